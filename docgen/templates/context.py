"""Turn a validated case and the settings into what templates see. No I/O here.

The context is plain data (dicts, lists, strings, numbers, dates) so that Word and
Excel templates, ``docgen templates list`` and the tests all see the same names.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from docgen.case.effective import effective_criteria, effective_scale, retention_months
from docgen.case.model import Applicant, Case, PanelMember, times_named_in
from docgen.jinja import opremsning, punktum, stort
from docgen.settings import Scale, Settings

BLANK_SHEET_ROWS = 6


def letter_date_source(case: Case) -> str:
    """Where the letters' date comes from: ``letters``, ``recruitment_closed``,
    ``SOURCE_DATE_EPOCH`` or ``today``."""
    if case.dates.letters:
        return "letters"
    if case.dates.recruitment_closed:
        return "recruitment_closed"
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return "SOURCE_DATE_EPOCH"
    return "today"


def letter_date(case: Case, today: dt.date | None = None) -> dt.date:
    """The date printed on letters: the case's, else SOURCE_DATE_EPOCH, else today."""
    if case.dates.letters:
        return case.dates.letters
    if case.dates.recruitment_closed:
        return case.dates.recruitment_closed
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return today or dt.date.today()


def scale_dict(scale: Scale) -> dict[str, Any]:
    """A scale as templates see it: bounds and one labelled step per value."""
    values = range(scale.min, scale.max + 1)
    labels = scale.labels or [str(v) for v in values]
    return {
        "min": scale.min,
        "max": scale.max,
        "steps": [{"value": v, "label": label} for v, label in zip(values, labels, strict=True)],
    }


def _applicant(a: Applicant, greeting: str = "first-name") -> dict[str, Any]:
    data = a.model_dump()
    data["first_name"] = a.name.split()[0]
    data["greeting"] = data["first_name"] if greeting == "first-name" else a.name
    data["reachable"] = bool(a.address or a.email)
    return data


def _decision(case: Case) -> dict[str, Any]:
    decision = case.decision
    data = decision.model_dump()
    hired = sum(1 for a in case.applicants if a.outcome == "hired")
    data["posts"] = decision.posts or max(hired, 1)
    data["more_posts_expected"] = decision.more_posts_expected or bool(decision.later_posts)
    return data


def _slots(case: Case) -> list[dict[str, Any]]:
    length = dt.timedelta(minutes=case.interview.duration_minutes)
    return [
        {"applicant": s.applicant, "start": s.start, "end": s.start + length}
        for s in sorted(case.interview.slots, key=lambda s: (s.start, s.applicant))
    ]


def _working_times_line(chosen: list[str], texts: list[str], note: str | None) -> str:
    """The working times as the posting prints them, each fact once.

    A note that already names every chosen time ('Dagtimer og enkelte aftener') stands
    alone; otherwise the chosen times come first and the note follows as a sentence.
    """
    if not note:
        return stort(opremsning(texts))
    if set(chosen) <= set(times_named_in(note)):
        return stort(punktum(note))
    return f"{stort(opremsning(texts))}. {stort(punktum(note))}"


def _position(case: Case, settings: Settings) -> dict[str, Any]:
    labels = settings.labels
    pos = case.position.model_dump()
    pos["employment_form_text"] = labels["employment_form"][case.position.employment_form]
    pos["working_times_text"] = [labels["working_times"][w] for w in case.position.working_times]
    pos["working_times_line"] = _working_times_line(
        list(case.position.working_times), pos["working_times_text"],
        case.position.working_times_note,
    )
    pos["peer_education_text"] = labels["peer_education"][case.position.peer_education]
    hours = case.position.hours_per_week
    pos["hours_per_week"] = int(hours) if hours == int(hours) else hours
    return pos


def base_context(case: Case, settings: Settings, *, today: dt.date | None = None) -> dict[str, Any]:
    """The context every document shares."""
    greeting = settings.letters.greeting
    applicants = [_applicant(a, greeting) for a in case.applicants]
    active = [a for a in applicants if a["outcome"] != "withdrawn"]
    org = case.organisation.model_dump()
    org["sector_text"] = settings.labels["sector"][case.organisation.sector]
    org["public"] = case.organisation.sector in ("region", "kommune")
    star = case.role_star
    ready = case.readiness
    return {
        "case": {"reference": case.reference, "retention_months": retention_months(case, settings)},
        "dates": case.dates.model_dump(),
        "letter_date": letter_date(case, today),
        "organisation": org,
        "position": _position(case, settings),
        "panel": [m.model_dump() for m in case.panel],
        "interview": {
            **case.interview.model_dump(exclude={"criteria", "scale", "slots"}),
            "slots": _slots(case),
        },
        "applicants": active,
        "applicant_count": len(applicants),
        "interviewed_count": sum(1 for a in active if a["interviewed"]),
        "hired": [a for a in active if a["outcome"] == "hired"],
        "decision": _decision(case),
        "retention": {
            "months": retention_months(case, settings),
            "consent_months": case.retention.consent_months,
        },
        "criteria": [c.model_dump() for c in effective_criteria(case, settings)],
        "scale": scale_dict(effective_scale(case, settings)),
        "recommendations": list(settings.recommendations),
        "role_star": {
            "scale": scale_dict(settings.role_star.scale),
            "spokes": [
                {
                    **s.model_dump(),
                    "desired": star.desired.get(s.id),
                    "current": star.current.get(s.id),
                    "covered_by": star.covered_by.get(s.id),
                }
                for s in settings.role_star.spokes
            ],
        },
        "readiness": {
            "scale": scale_dict(settings.readiness.scale),
            "questions": [
                {
                    **q.model_dump(),
                    "answer": ready.answers.get(q.id),
                    "action": ready.actions.get(q.id),
                }
                for q in settings.readiness.questions
            ],
            "motivation": [
                {**q.model_dump(), "answer": ready.motivation.get(q.id)}
                for q in settings.readiness.motivation
            ],
            "bands": [b.model_dump() for b in settings.readiness.bands],
            # Each answer scores (answer - scale min), so the total starts at 0.
            "max_total": (settings.readiness.scale.max - settings.readiness.scale.min)
            * len(settings.readiness.questions),
        },
    }


def sheet_applicants(case: Case, member: PanelMember) -> list[dict[str, Any]]:
    """The applicants a scoresheet lists: interviewed, else invited, else blank rows."""
    active = [a for a in case.applicants if a.outcome != "withdrawn"]
    by_id = {a.id: a for a in active}
    slot_of = {s["applicant"]: s for s in _slots(case)}
    chosen = [a for a in active if a.interviewed]
    if not chosen:
        chosen = [by_id[s] for s in slot_of if s in by_id]
    if not chosen:
        return [{"id": "", "label": "", "slot": None} for _ in range(BLANK_SHEET_ROWS)]
    chosen.sort(
        key=lambda a: (slot_of[a.id]["start"] if a.id in slot_of else dt.datetime.max, a.id)
    )
    return [
        {
            "id": a.id,
            "label": a.id if member.external else f"{a.id} · {a.name}",
            "slot": slot_of.get(a.id),
        }
        for a in chosen
    ]


def member_context(base: dict[str, Any], case: Case, member: PanelMember) -> dict[str, Any]:
    """Context of a document made for one panel member."""
    return {
        **base,
        "member": member.model_dump(),
        "pseudonymised": member.external,
        "sheet_applicants": sheet_applicants(case, member),
    }


def applicant_context(
    base: dict[str, Any], applicant: Applicant, variant: str | None
) -> dict[str, Any]:
    """Context of a document made for one applicant (it carries no other applicant's data)."""
    ctx = {k: v for k, v in base.items() if k not in ("applicants", "hired", "interview")}
    ctx["interview"] = {k: v for k, v in base["interview"].items() if k != "slots"}
    # The shared list already holds this applicant with the configured greeting.
    known = next((a for a in base["applicants"] if a["id"] == applicant.id), None)
    ctx["applicant"] = dict(known) if known is not None else _applicant(applicant)
    ctx["applicant"]["slot"] = next(
        (s for s in base["interview"]["slots"] if s["applicant"] == applicant.id), None
    )
    ctx["variant"] = variant
    ctx["hired_count"] = len(base["hired"])
    return ctx
