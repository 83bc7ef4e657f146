"""The case completed from the settings: the criteria, scale and retention a hiring uses.

The checks, the template contexts and the collected scores all need the same answer to
"which criteria, on which scale, kept for how long", so it is worked out in one place.
"""

from __future__ import annotations

from docgen.case.model import Case
from docgen.settings import Criterion, Scale, Settings


def effective_scale(case: Case, settings: Settings) -> Scale:
    """The interview scale: the case's override or the configured one."""
    override = case.interview.scale
    if override is None:
        return settings.scale
    return Scale(min=override.min, max=override.max, labels=list(override.labels))


def effective_criteria(case: Case, settings: Settings) -> list[Criterion]:
    """The interview criteria: the case's list (completed from configuration) or the default."""
    if case.interview.criteria is None:
        return list(settings.criteria)
    known = {c.id: c for c in settings.criteria}
    out = []
    for item in case.interview.criteria:
        base = known.get(item.id)
        out.append(
            Criterion(
                id=item.id,
                label=item.label or (base.label if base else item.id),
                description=item.description or (base.description if base else ""),
                questions=item.questions or (list(base.questions) if base else []),
            )
        )
    return out


def retention_months(case: Case, settings: Settings) -> int:
    """Months applications are kept."""
    return case.retention.months or settings.retention.default_months
