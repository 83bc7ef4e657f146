"""A case file read and checked: the one way every command gets a case it may trust.

``check_case`` loads the YAML (located problems), validates it against the model and runs
the cross-field checks; the build and ``collect`` both start here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from docgen.case.checks import run_checks
from docgen.case.model import Case
from docgen.errors import Advisory, CaseError, Issue
from docgen.loading import load_model, sort_issues
from docgen.settings import Settings

__all__ = ["Checked", "check_case", "summary"]


@dataclass
class Checked:
    """A case that passed every check, with its advice."""

    case: Case
    path: Path
    sha256: str
    advisories: list[tuple[Advisory, Issue]]


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
    return Checked(case, case_path, digest, found.advisories)
