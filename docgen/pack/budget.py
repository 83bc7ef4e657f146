"""How much a build will make, checked against the limits before anything is rendered.

Rendering is linear in what is made: about 2 ms per letter and 20 ms per applicant
sheet of a scoresheet on one core of a laptop (``bench/`` measures it), so a build's
time is bounded by panel members × applicant sheets plus letters. A case that would
make more than ``limits.max_documents`` documents, or scoresheets with more than
``limits.max_sheets`` applicant sheets in all, stops here with a message, before the
render worker's time limit would stop it halfway.
"""

from __future__ import annotations

from pathlib import Path

from docgen.errors import CaseError, Issue
from docgen.limits import Limits
from docgen.pack.plan import Plan


def check_budget(plan: Plan, limits: Limits, case_path: Path) -> None:
    """Raise CaseError when the plan makes more than the limits allow."""
    name = str(case_path)
    issues = []
    documents = len(plan.jobs)
    if documents > limits.max_documents:
        issues.append(Issue(name, None, None, "applicants", (
            f"the case would make {documents:,} documents, more than "
            f"{limits.max_documents:,} (limits.max_documents)")))
    sheets = sum(len(job.context.get("sheet_applicants", ())) for job in plan.jobs)
    if sheets > limits.max_sheets:
        issues.append(Issue(name, None, None, "panel", (
            f"the scoresheets would hold {sheets:,} applicant sheets in all (panel members × "
            f"applicants), more than {limits.max_sheets:,} (limits.max_sheets); "
            "interview fewer applicants per panel, or raise the limit")))
    if issues:
        raise CaseError("The case is larger than a build may make; nothing was written.", issues)
