"""The pack wing: one case file in, the whole hiring pack out (the build).

``pipeline.build`` is the recipe (check, plan, render, PDF, write) and ``pipeline.validate``
its checks alone; ``plan`` decides the documents and their safe names (``naming``),
``render`` dispatches each to the Word or Excel wing, ``pdfstage`` converts them, and
``docgen.output`` writes everything all or nothing with the manifest, never over
the user's work.
"""

from docgen.pack.pipeline import BuildResult, PdfOptions, build, validate

__all__ = ["BuildResult", "PdfOptions", "build", "validate"]
