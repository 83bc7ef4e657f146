"""What the job-start documents see: the first day, the people around the new peer worker,
the review date, the introduction plan with dates, and the tasks the role star made central.

The guide's advice for a peer worker's start is the same as for any new employee, plus a
clear function description, a conversation about particular needs, and the role star as a
tool to share the tasks with colleagues; these values carry that into the templates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from docgen.case.model import Case
from docgen.settings import Settings


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` ahead, on the month's last day where it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def job_start_context(case: Case, settings: Settings) -> dict[str, Any]:
    """The ``job_start`` mapping every template sees."""
    js = case.job_start
    start = js.start or case.position.start
    months = settings.job_start.review_after_months
    review = js.review or (add_months(start, months) if start else None)
    return {
        "start": start,
        "start_text": case.position.start_text,
        "review": review,
        "review_after_months": months,
        "manager": (js.manager or case.organisation.signer).model_dump(),
        "supervisor": js.supervisor.model_dump() if js.supervisor else None,
        "contact_person": js.contact_person.model_dump() if js.contact_person else None,
        "supervision": js.supervision,
        "staff_meetings": js.staff_meetings,
        "peer_network": js.peer_network,
        "introduction": [
            {
                "id": phase.id,
                "label": phase.label,
                "steps": [
                    {
                        "text": item.text,
                        "who": item.who,
                        "due": review if item.at_review else _due(start, item.due_days),
                    }
                    for item in phase.items
                ],
            }
            for phase in settings.job_start.introduction
        ],
        **_tasks(case, settings),
    }


def _due(start: dt.date | None, days: int | None) -> dt.date | None:
    if start is None or days is None:
        return None
    return start + dt.timedelta(days=days)


def _tasks(case: Case, settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """The role star's spokes the organisation rated, most central first, and who else helps."""
    star = case.role_star
    spokes = settings.role_star.spokes
    rated = [
        {**s.model_dump(), "desired": star.desired[s.id], "covered_by": star.covered_by.get(s.id)}
        for s in spokes
        if star.desired.get(s.id)
    ]
    # Stable sort: equal centrality keeps the configured order of the spokes.
    rated.sort(key=lambda s: -s["desired"])
    covered = [
        {**s.model_dump(), "covered_by": star.covered_by[s.id]}
        for s in spokes
        if star.covered_by.get(s.id)
    ]
    return {"core_tasks": rated, "covered_by_others": covered}
