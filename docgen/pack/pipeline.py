"""The build as a recipe: load → check → plan → render → write.

``build`` and ``validate`` are the library's entry points; the CLI only calls them
and prints what they return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen._version import __version__
from docgen.case.load import Checked, check_case
from docgen.case.model import Case
from docgen.errors import Advisory, Issue, TemplateError
from docgen.output.add import kept_entries
from docgen.output.staging import Staging
from docgen.pack.pdfstage import make_pdfs
from docgen.pack.plan import Plan, make_plan
from docgen.pack.render import Renderer
from docgen.pdf.soffice import find_soffice
from docgen.settings import Settings, load_settings
from docgen.templates.context import base_context

Progress = Callable[[dict[str, Any]], None]


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    advisories: list[tuple[Advisory, Issue]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_templates(settings: Settings) -> None:
    """Lint every template the build would use; raise one TemplateError listing them all."""
    from docgen.templates.lint import lint_templates  # noqa: PLC0415

    issues = lint_templates(settings, only_used=True)
    if issues:
        n = len(issues)
        msg = f"{n} template problem{'s' if n != 1 else ''} found; nothing was written."
        raise TemplateError(msg, issues, hint="`docgen templates check` lists them too")


def validate(
    case_path: Path,
    *,
    config: Path | None = None,
    templates: Path | None = None,
    strict: bool = False,
) -> Checked:
    """Run every check a build runs, render nothing and write nothing."""
    settings = load_settings(config, templates)
    checked = check_case(case_path, settings, strict=strict)
    check_templates(settings)
    make_plan(checked.case, settings, base_context(checked.case, settings))
    return checked


def _created(case: Case) -> dt.datetime:
    """The date written into every document: from the case, never the clock."""
    return dt.datetime.combine(case.dates.posted or case.dates.deadline, dt.time())


@dataclass
class PdfOptions:
    """PDF output: on or off (None: the configuration decides), time limit, progress."""

    enabled: bool | None = None
    timeout: float | None = None
    progress: Callable[[int, int], None] | None = None


def build(
    case_path: Path,
    out: Path,
    *,
    config: Path | None = None,
    templates: Path | None = None,
    strict: bool = False,
    on_document: Progress | None = None,
    pdf: PdfOptions | None = None,
) -> BuildResult:
    """Build every document of the case into ``out``; all or nothing."""
    settings = load_settings(config, templates)
    checked = check_case(case_path, settings, strict=strict)
    check_templates(settings)
    case = checked.case
    pdf = pdf or PdfOptions()
    want_pdf = settings.pdf.enabled if pdf.enabled is None else pdf.enabled
    # Look for LibreOffice before anything is rendered, so a missing one costs nothing.
    soffice = find_soffice(settings.pdf.soffice) if want_pdf else None
    plan: Plan = make_plan(case, settings, base_context(case, settings))
    result = BuildResult(
        out, skipped=[s.as_dict() for s in plan.skipped], advisories=checked.advisories
    )
    created = _created(case)
    with Staging(out) as stage:
        renderer = Renderer(case, case_path.parent, settings, created)
        try:
            _render_all(plan, renderer, stage, result, on_document)
        finally:
            renderer.close()
        if soffice is not None:
            timeout = pdf.timeout or settings.pdf.timeout_seconds
            when = created.replace(tzinfo=dt.UTC)
            for record in make_pdfs(
                renderer.done,
                stage,
                soffice=soffice,
                timeout=timeout,
                when=when,
                progress=pdf.progress,
            ):
                result.documents.append(record)
                if on_document:
                    on_document(record)
        result.warnings = renderer.warnings
        manifest = _manifest(checked, result)
        # Documents another command added (the panel's summary) are not the build's to remove.
        rebuilt = {str(d["path"]) for d in result.documents}
        manifest["documents"] = [*result.documents, *kept_entries(out, rebuilt)]
        stage.commit(manifest)
    return result


def _render_all(
    plan: Plan,
    renderer: Renderer,
    stage: Staging,
    result: BuildResult,
    on_document: Progress | None,
) -> None:
    for job in plan.jobs:
        data = renderer.render(job)
        renderer.done.append((job, stage.write(job.path, data)))
        record = job.record(job.path, data)
        result.documents.append(record)
        if on_document:
            on_document(record)


def _manifest(checked: Checked, result: BuildResult) -> dict[str, Any]:
    return {
        "docgen": __version__,
        "case": checked.path.as_posix(),
        "case_sha256": checked.sha256,
        "documents": result.documents,
        "skipped": result.skipped,
        "advisories": [a.as_dict() for a, _ in result.advisories],
    }
