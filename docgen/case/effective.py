"""The case completed from the settings: the criteria, scale and retention a hiring uses.

The checks, the template contexts and the collected scores all need the same answer to
"which criteria, on which scale, kept for how long", so it is worked out in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt

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


def retention_ends(case: Case, settings: Settings) -> dt.date | None:
    """The first day the case's outputs may be purged: recruitment closed + retention months.

    None while ``dates.recruitment_closed`` is not set. A month that is too short for the
    day ends on its last day (31 August + 6 months is 28 or 29 February).
    """
    closed = case.dates.recruitment_closed
    if closed is None:
        return None
    return add_months(closed, retention_months(case, settings))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
