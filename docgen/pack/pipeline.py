"""The build as a recipe: load → check → plan → render → write.

``build`` and ``validate`` are the library's entry points; the CLI only calls them
and prints what they return.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen._version import __version__
from docgen.case.load import Checked, check_case, check_retention, default_out
from docgen.case.model import Case
from docgen.errors import Advisory, ConversionError, Issue, RenderError, TemplateError
from docgen.limits import Ask, WorkerTimeout, run_in_workers
from docgen.output.changes import Report
from docgen.output.staging import Staging
from docgen.pack.budget import check_budget
from docgen.pack.plan import Job, Plan, make_plan
from docgen.pdf.soffice import find_soffice
from docgen.settings import Settings, load_settings
from docgen.templates.context import base_context, letter_date, letter_date_source

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from docgen.pdf.office import Office

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
    check_budget(plan, settings.limits, case_path)
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
    pdf = pdf or PdfOptions()
    with _office(settings, pdf) as office:  # LibreOffice prepares while the case is checked
        return _build(case_path, out, settings, office, strict=strict, on_document=on_document,
                      pdf=pdf, force=force, dry_run=dry_run, today=today)


def _build(case_path: Path, out: Path | None, settings: Settings, office: Office | None, *,
           strict: bool, on_document: Progress | None, pdf: PdfOptions, force: bool,
           dry_run: bool, today: dt.date | None) -> BuildResult:
    checked = check_case(case_path, settings, strict=strict)
    check_templates(settings)
    case = checked.case
    check_retention(case, settings, today or dt.date.today())
    out = default_out(case) if out is None else out
    # Look for LibreOffice before anything is rendered, so a missing one costs nothing.
    soffice = find_soffice(settings.pdf.soffice) if _wants_pdf(settings, pdf) else None
    plan: Plan = make_plan(case, settings, base_context(case, settings))
    check_budget(plan, settings.limits, case_path)
    result = BuildResult(
        out,
        skipped=[s.as_dict() for s in plan.skipped],
        advisories=checked.advisories,
        notes=[*checked.notes, *_plan_notes(case, plan)],
    )
    created = _created(case)
    from docgen.pack.render import Renderer  # noqa: PLC0415 - `validate` needs no renderer

    with Staging(out, reference=case.reference, force=force, dry_run=dry_run) as stage:
        if office is not None:  # converting processes start while the documents render
            office.open(_processes(plan))
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
                office=office,
            ):
                result.documents.append(record)
                if on_document:
                    on_document(record)
        result.warnings = [*stage.warnings, *renderer.warnings]
        result.changes = stage.commit(_manifest(checked, result))
    return result


def _processes(plan: Plan) -> int:
    """How many LibreOffice processes to start ahead: one for a handful of PDFs.

    Letters a print file joins are converted as the print file, so they do not count.
    """
    from docgen.pdf.convert import MIN_SPLIT  # noqa: PLC0415 - only with --pdf
    from docgen.pdf.office import default_workers  # noqa: PLC0415

    printed = {job.spec.combine for job in plan.jobs if job.spec.combine}
    pdfs = sum(1 for job in plan.jobs if job.spec.kind not in printed)
    return default_workers() if pdfs >= MIN_SPLIT else 1


def _wants_pdf(settings: Settings, pdf: PdfOptions) -> bool:
    return settings.pdf.enabled if pdf.enabled is None else pdf.enabled


def _office(settings: Settings, pdf: PdfOptions) -> Any:
    """LibreOffice's profile, prepared from the start of a build that makes PDFs.

    Its folder is in the system's temporary folder (it holds no case data) and is gone
    when the build ends. Not finding LibreOffice here is not an error yet: the build
    reports it after the case is checked, as it always has.
    """
    if not _wants_pdf(settings, pdf):
        return contextlib.nullcontext()
    try:
        soffice = find_soffice(settings.pdf.soffice)
    except ConversionError:
        return contextlib.nullcontext()
    from docgen.pdf.office import Office  # noqa: PLC0415 - only with --pdf

    return Office(soffice, timeout=pdf.timeout or settings.pdf.timeout_seconds)


def _render_all(
    plan: Plan,
    renderer: Any,  # docgen.pack.render.Renderer, imported when a build starts
    stage: Staging,
    result: BuildResult,
    on_document: Progress | None,
) -> None:
    """Render every job in the bounded worker (:mod:`docgen.limits`); stage what comes back.

    The worker (a forked child with a memory limit, stopped after ``limits.render_seconds``)
    only renders: every file is written once, by the parent, into the staging folder,
    while the worker renders the next document. The only files the worker writes itself
    are its working copies of templates, in the staging folder's scratch folder. A print
    file reads the letters it joins from the staging folder, so before one is rendered the
    worker asks (:class:`~docgen.limits.Ask`) and waits until every document before it is
    written. What the worker learns that the PDF stage needs (warnings, which print files
    can be cut) comes back with its last message.
    """
    limits = renderer.limits
    # The engines (openpyxl, docxtpl) are imported by the workers that use them, after the
    # fork: the two import side by side, each while the other renders.
    groups = _groups(plan)
    order = {job.path: i for i, job in enumerate(plan.jobs)}
    current: dict[int, Job] = {}
    worker = run_in_workers(
        [partial(_produce, plan, renderer, group) for group in groups],
        seconds=limits.render_seconds,
        memory_mb=limits.render_memory_mb,
    )
    def staged(record: dict[str, Any]) -> None:  # told once the file is really written
        result.documents.append(record)
        if on_document:
            on_document(record)

    writes = _Writes(stage, staged)
    warnings: list[list[str]] = [[] for _ in groups]
    try:
        answer: Any = None
        while (sent := worker.send(answer)) is not None:
            answer = None
            group, message = sent
            if isinstance(message, Ask):  # a print file is next: its letters must be on disk
                writes.drain()
                answer = list(writes.written)
                continue
            what, index, payload = message
            if what == "state":
                warnings[group], marked = payload
                renderer.marked |= marked
                continue
            job = plan.jobs[index]
            if what == "start":  # named if the time runs out while it renders
                current[group] = job
            elif what == "done":
                current.pop(group, None)
                writes.submit(index, job.path, payload, job.record(job.path, payload))
                del payload, message, sent
    except StopIteration:
        writes.drain()
    except WorkerTimeout:
        names = sorted({_template_name(job) for job in current.values()}) or ["the build"]
        msg = (
            f"{', '.join(names)}: rendering took longer than "
            f"{limits.render_seconds:g} s (limits.render_seconds) and was stopped; "
            "nothing was written"
        )
        raise RenderError(msg, hint="a template loops too much, or the case is very large") \
            from None
    finally:
        worker.close()  # stops the workers that still run
        writes.close()
    renderer.warnings = [w for group in warnings for w in group]
    # in plan order, however the workers' documents arrived
    result.documents.sort(key=lambda record: order[record["path"]])
    renderer.done = [(plan.jobs[i], path) for i, path in sorted(writes.written)]


def _groups(plan: Plan) -> list[list[int]]:
    """The jobs of each render worker: workbooks in one, everything else in another.

    The two share nothing (a print file joins letters, never workbooks), so on a machine
    with two cores they render side by side.
    """
    books = [i for i, job in enumerate(plan.jobs)
             if job.template is not None and job.template.suffix.lower() == ".xlsx"]
    rest = [i for i in range(len(plan.jobs)) if i not in set(books)]
    return [group for group in (books, rest) if group] or [[]]


def _produce(plan: Plan, renderer: Any, indexes: list[int]) -> Generator[Any, Any, None]:
    """The worker's side: render each of its jobs and hand the bytes over; write nothing."""
    for index in indexes:
        job = plan.jobs[index]
        if job.spec.combine:
            written = yield Ask(("written", index))
            renderer.done = [(plan.jobs[i], path) for i, path in written]
        yield "start", index, None
        try:
            data = renderer.render(job)
        except MemoryError:  # outside a template (the engine, a library): still bounded
            msg = (
                f"{_template_name(job)}: rendering needed more memory than "
                f"{renderer.limits.render_memory_mb} MB (limits.render_memory_mb); "
                "nothing was written"
            )
            raise RenderError(msg) from None
        yield "done", index, data
    yield "state", -1, (renderer.warnings, renderer.marked)


class _Writes:
    """Staged files written by one helper thread while the next document is received.

    Creating a file waits on the disk, not on Python, so the parent reads the worker's
    next document meanwhile. The thread starts with the first file, which comes after the
    worker is forked: the child never inherits a thread (or a lock one holds). A document
    is reported (``staged``) only once its file is written.
    """

    def __init__(self, stage: Staging, staged: Callable[[dict[str, Any]], None]) -> None:
        self.stage = stage
        self.staged = staged
        self.pending: list[tuple[int, Future[Path], dict[str, Any]]] = []
        self.written: list[tuple[int, Path]] = []
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, index: int, rel: str, data: bytes, record: dict[str, Any]) -> None:
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - builds only

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-write")
        self.pending.append((index, self._pool.submit(self.stage.write, rel, data), record))
        self.drain(keep=4)  # a few files in flight at most: memory stays flat

    def drain(self, keep: int = 0) -> None:
        while len(self.pending) > keep:
            index, future, record = self.pending.pop(0)
            self.written.append((index, future.result()))
            self.staged(record)

    def close(self) -> None:
        for _, future, _ in self.pending:
            future.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _template_name(job: Job | None) -> str:
    if job is None:
        return "the build"
    return job.template.name if job.template is not None else job.spec.kind


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
