"""docgen: the whole hiring pack for a peer-support-worker position from one YAML case file.

The library is the product: ``docgen.build(case_path, out_dir)`` makes every document and
``docgen.validate(case_path)`` runs every check a build makes, writing nothing;
``docgen.collect(case_path, files)`` reads the panel's returned scoresheets and writes
their summary; ``docgen.purge(case_path)`` deletes a case's outputs once its retention
period is over. They are
loaded on first use, so importing a ground-floor module (``docgen.errors``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docgen._version import __version__

if TYPE_CHECKING:
    from docgen.pack import BuildResult, PdfOptions, build, validate
    from docgen.retention import PurgeResult, purge
    from docgen.scoring import CollectResult, collect

__all__ = ["BuildResult", "CollectResult", "PdfOptions", "PurgeResult", "__version__", "build",
           "collect", "purge", "validate"]


def __getattr__(name: str) -> Any:
    if name in {"BuildResult", "PdfOptions", "build", "validate"}:
        import docgen.pack  # noqa: PLC0415  (deferred: the API pulls in every wing)

        return getattr(docgen.pack, name)
    if name in {"CollectResult", "collect"}:
        import docgen.scoring  # noqa: PLC0415

        return getattr(docgen.scoring, name)
    if name in {"PurgeResult", "purge"}:
        import docgen.retention  # noqa: PLC0415

        return getattr(docgen.retention, name)
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
