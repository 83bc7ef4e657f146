"""A case file read and checked: the one way every command gets a case it may trust.

``check_case`` loads the YAML (located problems), validates it against the model and runs
the cross-field checks; ``check_retention`` refuses a case whose outputs are due for
purging; ``default_out`` is the case's own output folder. The build and ``collect`` both
start here, so that neither has to import the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case.checks import run_checks
from docgen.case.effective import retention_ends
from docgen.case.model import Case
from docgen.case.starter import schema_note
from docgen.errors import Advisory, CaseError, Issue, RetentionError
from docgen.loading import load_model, sort_issues
from docgen.settings import Settings

__all__ = ["Checked", "check_case", "check_retention", "default_out", "summary"]


@dataclass
class Checked:
    """A case that passed every check, with its advice."""

    case: Case
    path: Path
    sha256: str
    advisories: list[tuple[Advisory, Issue]]
    notes: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)


def summary(issues: list[Issue]) -> str:
    """``N problems found; nothing was written.``"""
    n = len(issues)
    return f"{n} problem{'s' if n != 1 else ''} found; nothing was written."


def check_case(case_path: Path, settings: Settings, *, strict: bool = False) -> Checked:
    """Load, validate and cross-check a case; raise one CaseError listing every problem."""
    name = str(case_path)
    case, loaded, issues = load_model(case_path, Case, display_name=name)
    if case is None or loaded is None:
        raise CaseError(summary(issues), issues)
    found = run_checks(case, settings, loaded.source, case_path, name)
    errors = list(found.errors)
    if strict:
        errors.extend(issue for _, issue in found.advisories)
    if errors:
        errors = sort_issues(errors)
        raise CaseError(summary(errors), errors)
    digest = hashlib.sha256(case_path.read_bytes()).hexdigest()
    notes = [n for n in (schema_note(case_path),) if n]
    return Checked(case, case_path, digest, found.advisories, notes)


def default_out(case: Case) -> Path:
    """The case's own output folder: ``out/<reference>`` (a reference is a safe name)."""
    return Path("out") / case.reference


def check_retention(case: Case, settings: Settings, today: dt.date) -> None:
    """Refuse a case whose retention period has ended: its outputs are due for purging."""
    ends = retention_ends(case, settings)
    if ends is not None and today >= ends:
        msg = (f"the retention period of case {case.reference} ended on {ends.isoformat()} "
               "(dates.recruitment_closed + retention.months); nothing was written")
        raise RetentionError(msg, hint="delete its outputs with `docgen purge`")
