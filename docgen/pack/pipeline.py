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
from docgen.case.load import Checked, check_case, check_retention, default_out
from docgen.case.model import Case
from docgen.errors import Advisory, Issue, TemplateError
from docgen.output.changes import Report
from docgen.output.staging import Staging
from docgen.pack.plan import Job, Plan, make_plan
from docgen.pdf.soffice import find_soffice
from docgen.settings import Settings, load_settings
from docgen.templates.context import base_context, letter_date, letter_date_source

Progress = Callable[[dict[str, Any]], None]


@dataclass
class BuildResult:
    """What a build wrote (or, in a dry run, would write): ``changes`` says what moved."""

    out: Path
    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    advisories: list[tuple[Advisory, Issue]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: Report = field(default_factory=Report)


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
    plan = make_plan(checked.case, settings, base_context(checked.case, settings))
    checked.planned = [job.path for job in plan.jobs]
    checked.notes.extend(_plan_notes(checked.case, plan))
    return checked


_DATED = {"rejection-letter", "letters-print"}


def _plan_notes(case: Case, plan: Plan) -> list[str]:
    """What the user should know about the documents a plan makes."""
    if not any(job.spec.kind in _DATED for job in plan.jobs):
        return []
    source = letter_date_source(case)
    fix = "set dates.letters (or dates.recruitment_closed) in the case to choose the date"
    if source == "today":
        when = dt.date.today().isoformat()
        return [f"the letters are dated today ({when}): the case gives neither "
                f"dates.letters nor dates.recruitment_closed; {fix}"]
    if source == "SOURCE_DATE_EPOCH":
        when = letter_date(case).isoformat()
        return [f"the letters are dated {when} from SOURCE_DATE_EPOCH: the case gives "
                f"neither dates.letters nor dates.recruitment_closed; {fix}"]
    return []


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
    out: Path | None = None,
    *,
    config: Path | None = None,
    templates: Path | None = None,
    strict: bool = False,
    on_document: Progress | None = None,
    pdf: PdfOptions | None = None,
    force: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> BuildResult:
    """Build every document of the case into ``out`` (default ``out/<reference>``).

    All or nothing, and never over the user's work: a file that changed since docgen wrote
    it, or that docgen did not write, stops the build unless ``force`` (which moves it
    into a backup folder first). ``dry_run`` renders elsewhere and only reports the plan.
    ``today`` (default: the clock) decides whether the retention period has ended.
    """
    settings = load_settings(config, templates)
    checked = check_case(case_path, settings, strict=strict)
    check_templates(settings)
    case = checked.case
    check_retention(case, settings, today or dt.date.today())
    out = default_out(case) if out is None else out
    pdf = pdf or PdfOptions()
    want_pdf = settings.pdf.enabled if pdf.enabled is None else pdf.enabled
    # Look for LibreOffice before anything is rendered, so a missing one costs nothing.
    soffice = find_soffice(settings.pdf.soffice) if want_pdf else None
    plan: Plan = make_plan(case, settings, base_context(case, settings))
    result = BuildResult(
        out,
        skipped=[s.as_dict() for s in plan.skipped],
        advisories=checked.advisories,
        notes=[*checked.notes, *_plan_notes(case, plan)],
    )
    created = _created(case)
    from docgen.pack.render import Renderer  # noqa: PLC0415 - `validate` needs no renderer

    with Staging(out, reference=case.reference, force=force, dry_run=dry_run) as stage:
        renderer = Renderer(case, case_path.parent, settings, created, stage.scratch)
        _render_all(plan, renderer, stage, result, on_document)
        if soffice is not None:
            from docgen.pack.pdfstage import make_pdfs  # noqa: PLC0415 - only with --pdf

            timeout = pdf.timeout or settings.pdf.timeout_seconds
            when = created.replace(tzinfo=dt.UTC)
            for record in make_pdfs(
                renderer.done,
                stage,
                soffice=soffice,
                timeout=timeout,
                when=when,
                progress=pdf.progress,
                marked=renderer.marked,
            ):
                result.documents.append(record)
                if on_document:
                    on_document(record)
        result.warnings = [*stage.warnings, *renderer.warnings]
        result.changes = stage.commit(_manifest(checked, result))
    return result


def _render_all(
    plan: Plan,
    renderer: Any,  # docgen.pack.render.Renderer, imported when a build starts
    stage: Staging,
    result: BuildResult,
    on_document: Progress | None,
) -> None:
    # Files are written by one helper thread while the next document renders (creating
    # a file costs about as much as rendering a letter, and it waits on the disk, not on
    # Python); a print file reads the letters, so it waits until they are all written.
    from concurrent.futures import Future, ThreadPoolExecutor  # noqa: PLC0415

    pending: list[tuple[Job, Future[Path]]] = []

    def drain(keep: int = 0) -> None:
        while len(pending) > keep:  # a few files in flight at most: memory stays flat
            job, future = pending.pop(0)
            renderer.done.append((job, future.result()))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-write") as writer:
        try:
            for job in plan.jobs:
                if job.spec.combine:
                    drain()
                data = renderer.render(job)
                pending.append((job, writer.submit(stage.write, job.path, data)))
                drain(keep=4)
                record = job.record(job.path, data)
                del data
                result.documents.append(record)
                if on_document:
                    on_document(record)
            drain()
        finally:
            for _, future in pending:
                future.cancel()


def _manifest(checked: Checked, result: BuildResult) -> dict[str, Any]:
    return {
        "docgen": __version__,
        "reference": checked.case.reference,
        "case": checked.path.as_posix(),
        "case_sha256": checked.sha256,
        "documents": result.documents,
        "skipped": result.skipped,
        "advisories": [a.as_dict() for a, _ in result.advisories],
    }
