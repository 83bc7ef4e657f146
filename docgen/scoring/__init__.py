"""The scoring wing: the panel's returned scoresheets read back, checked and summarised.

``recipe.collect`` is the recipe (``docgen collect``): ``returned`` identifies and checks
one workbook (opened through ``docgen.excel.untrusted``), ``docgen.case.figures`` does the
panel's arithmetic, ``summary`` fills the summary template, and
``docgen.output.staging.write_file`` adds it to the case's output folder.
"""

from docgen.scoring.recipe import CollectResult, collect

__all__ = ["CollectResult", "collect"]
