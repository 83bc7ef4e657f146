"""``collect`` as a recipe: check the case → read every returned file → check the panel →
compute the figures → write the summary into the output folder.

Nothing is aggregated while any file has a problem, a member is missing or returned
twice, unless ``partial`` is set: then the usable scoresheets are summarised and the
members without one are shown as missing. Returned files are only ever read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case.effective import effective_criteria, effective_scale
from docgen.case.figures import Panel, compute
from docgen.case.load import check_case, check_retention, default_out
from docgen.case.model import Case
from docgen.errors import Issue, ReadError
from docgen.excel.untrusted import Limits
from docgen.output.changes import Report
from docgen.output.staging import write_file
from docgen.scoring.returned import Expected, Returned, read_returned
from docgen.scoring.summary import render_summary
from docgen.settings import Settings, find_template, load_settings
from docgen.templates.context import base_context

__all__ = ["CollectResult", "collect"]

_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
KIND = "scoresheet-summary"


@dataclass
class CollectResult:
    """What ``collect`` found and wrote."""

    out: Path
    panel: Panel
    path: Path | None = None
    """The summary written (relative paths in the manifest; this one is absolute)."""
    changes: Report = field(default_factory=Report)
    """What writing the summary did (or, in a dry run, would do) to the output folder."""
    problems: list[Issue] = field(default_factory=list)
    """Problems left out under ``partial`` (empty otherwise: problems raise)."""
    missing: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """Member id → the file their scores came from."""
    names: dict[str, str] = field(default_factory=dict)
    """Applicant id → name, for a caller that may show names."""


def _issue(where: str, message: str) -> Issue:
    return Issue(where, None, None, "", message)


def gather(inputs: list[Path]) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """Files to read: each file given, and the workbooks directly inside each folder given."""
    found: list[tuple[Path, str]] = []
    issues: list[Issue] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            inside = sorted(p for p in item.iterdir()
                            if p.is_file() and p.suffix.lower() in _WORKBOOK_SUFFIXES
                            and not p.name.startswith((".", "~$")))
            if not inside:
                issues.append(_issue(str(item), "the folder holds no workbooks (.xlsx)"))
            candidates = inside
        elif item.is_file():
            candidates = [item]
        else:
            issues.append(_issue(str(item), "no such file or folder"))
            continue
        for path in candidates:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append((path, str(path)))
    return found, issues


def expected_of(case: Case, settings: Settings) -> Expected:
    """What this case's scoresheets must contain."""
    criteria = effective_criteria(case, settings)
    scale = effective_scale(case, settings)
    versions = (settings.template_version, *settings.collect.readable_template_versions)
    return Expected(
        case_reference=case.reference,
        members=tuple(m.id for m in case.panel),
        applicants=tuple(a.id for a in case.applicants),
        criteria=tuple(c.id for c in criteria),
        labels=tuple(c.label for c in criteria),
        scale=(scale.min, scale.max),
        recommendations=tuple(settings.recommendations),
        versions=versions,
    )


def check_panel(case: Case, returned: list[Returned]) -> tuple[dict[str, Returned], list[Issue]]:
    """One usable, filled-in scoresheet per member, or the problems that prevent it."""
    issues = [i for r in returned for i in r.issues]
    by_member: dict[str, list[Returned]] = {}
    for r in returned:
        if r.member is not None:
            by_member.setdefault(r.member, []).append(r)
    usable: dict[str, Returned] = {}
    for member in case.panel:
        files = by_member.get(member.id, [])
        if len(files) > 1:
            listed = ", ".join(r.file for r in files)
            issues.append(_issue(f"panel member {member.id}",
                                 f"{len(files)} scoresheets were returned ({listed}); keep one"))
        elif not files:
            issues.append(_issue(f"panel member {member.id}", "no scoresheet was returned"))
        elif not files[0].issues:
            if files[0].filled_in:
                usable[member.id] = files[0]
            else:
                issues.append(_issue(files[0].file, "not filled in: nothing is rated, "
                                                    "recommended or written on any sheet"))
    return usable, issues


def figures_of(case: Case, settings: Settings, usable: dict[str, Returned]) -> Panel:
    """The panel's figures from the usable scoresheets."""
    members = [m.id for m in case.panel]
    returned = [m for m in members if m in usable]
    scores: dict[str, dict[str, dict[str, int | None]]] = {}
    recs: dict[str, dict[str, str | None]] = {}
    takes: dict[str, dict[str, str]] = {}
    for member, r in usable.items():
        for sheet in r.sheets:
            scores.setdefault(sheet.applicant, {})[member] = sheet.scores
            recs.setdefault(sheet.applicant, {})[member] = sheet.recommendation
            takes.setdefault(sheet.applicant, {})[member] = sheet.takeaways
    applicants = [a.id for a in case.applicants if a.id in scores]
    criteria = [(c.id, c.label) for c in effective_criteria(case, settings)]
    return compute(criteria, members, returned, applicants, scores, recs, takes,
                   settings.collect.spread_threshold)


def collect(
    case_path: Path,
    inputs: list[Path],
    out: Path | None = None,
    *,
    partial: bool = False,
    config: Path | None = None,
    templates: Path | None = None,
    limits: Limits | None = None,
    force: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> CollectResult:
    """Verify the returned scoresheets in ``inputs`` and write the summary into ``out``.

    ``out`` (default ``out/<reference>``) is the folder the case was built into: the
    summary joins its manifest (``added``) under the build's rules (``write_file``). A
    summary the panel changed since docgen wrote it is refused unless ``force`` (which
    moves it into a backup folder first); ``dry_run`` checks everything and writes
    nothing. ``today`` (default: the clock) decides whether the retention period has
    ended, as for a build.

    Raises:
        CaseError: the case file has problems.
        RetentionError: the case's retention period has ended.
        ReadError: a returned file has problems, or a member is missing or returned
            twice (unless ``partial``), or nothing usable was returned.
        OutputError: the summary cannot be written (e.g. the folder holds no build of
            this case, or a file docgen did not make is in its place).
    """
    settings = load_settings(config, templates)
    case = check_case(case_path, settings).case
    check_retention(case, settings, today or dt.date.today())
    out = default_out(case) if out is None else out
    template = find_template(settings, settings.collect.template)
    if template is None:
        msg = f"the summary template {settings.collect.template} was not found"
        raise ReadError(msg, [])
    files, issues = gather(inputs)
    expected = expected_of(case, settings)
    returned = [read_returned(path, display, expected, limits) for path, display in files]
    usable, problems = check_panel(case, returned)
    problems = issues + problems
    if problems and not partial:
        raise ReadError(_summary(problems), problems,
                        hint="fix these, or pass --partial to summarise the usable "
                             "scoresheets and show the rest as missing")
    if not usable:
        raise ReadError("no usable scoresheet; nothing was written.", problems)
    panel = figures_of(case, settings, usable)
    missing = [m.id for m in case.panel if m.id not in usable]
    created = dt.datetime.combine(case.dates.posted or case.dates.deadline, dt.time())
    data = render_summary(template, case, base_context(case, settings), panel, missing, created,
                          settings.limits)
    rel = settings.collect.output
    # Member ids, never the returned files' names: those may carry people's names.
    record = {"kind": KIND, "recipient": None, "members": sorted(usable)}
    changes = write_file(out, rel, data, record, reference=case.reference, force=force,
                         dry_run=dry_run)
    return CollectResult(
        out=out, panel=panel, path=out.absolute() / rel, changes=changes,
        problems=problems, missing=missing,
        files={m: r.file for m, r in usable.items()},
        names={a.id: a.name for a in case.applicants},
    )


def _summary(problems: list[Issue]) -> str:
    n = len(problems)
    return f"{n} problem{'s' if n != 1 else ''} found; no summary was written."
