"""What the panel's summary template sees (``docgen collect``; ``xlsx/scoreark_oversigt.xlsx``).

Besides ``case``, ``organisation``, ``position`` and ``scale`` as in every document:

- ``threshold``: the spread that counts as disagreement; ``missing``: ids of members
  whose scores are not included (``--partial``);
- ``ranking``: applicants by rank, each with ``rank_text`` ("1" or "delt 2"), ``id``,
  ``name``, ``total`` and ``average`` (numbers or empty), ``total_text``,
  ``disagreements``, ``unrated`` and ``recommendations_text``, plus ``criteria``
  (``label``, ``s`` (a score per slot), ``mean``, ``low``, ``high``, ``spread``,
  ``flag``), ``totals`` (each slot's sum) and ``recommendations`` (``id``, ``name``,
  ``recommendation``, ``takeaways``);
- ``applicant_sheets``: the same items in the case's order (one sheet each);
- ``members``: ``id``, ``name``, ``external``, ``returned``, ``offset``, ``compared``;
- ``slots``: the member ids heading the score columns ("" when unused).

Applicants are shown with their names: the summary stays with the office, and an
external member's pseudonymised sheets are mapped back through the case's ids.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from docgen.case.effective import effective_criteria
from docgen.case.figures import ApplicantFigures, CriterionFigures, Panel, compute
from docgen.case.model import Case
from docgen.settings import Settings

__all__ = ["SLOTS", "sample_summary", "summary_context"]

SLOTS = 6
"""Member columns in the shipped summary template; a larger panel is refused."""


NOT_GIVEN = "(ikke udfyldt)"


def _number(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _danish(value: Fraction | None) -> str:
    return "–" if value is None else f"{float(value):.2f}".replace(".", ",")


def _rank_text(a: ApplicantFigures) -> str:
    if a.rank is None:
        return ""
    return f"delt {a.rank}" if a.tied else str(a.rank)


def _recommendations_text(a: ApplicantFigures, labels: list[str]) -> str:
    given = [r for r in a.recommendations.values() if r]
    parts = [f"{label} {given.count(label)}" for label in labels if given.count(label)]
    blank = len(a.recommendations) - len(given)
    if blank:
        parts.append(f"ikke udfyldt {blank}")
    return " · ".join(parts)


def _flag(row: CriterionFigures, threshold: int) -> str:
    parts = []
    if row.disagreement:
        parts.append(f"Uenighed ({row.spread} point)" if threshold else "Uenighed")
    if row.unrated_by:
        parts.append("Ikke vurderet af " + ", ".join(row.unrated_by))
    return "; ".join(parts)


def summary_context(case: Case, base: dict[str, Any], panel: Panel,
                    missing: list[str]) -> dict[str, Any]:
    """What the summary template sees."""
    names = {a.id: a.name for a in case.applicants}
    member_names = {m.id: m.name for m in case.panel}
    returned = [m.id for m in panel.members if m.returned]
    slots = [*returned, *[""] * (SLOTS - len(returned))]
    labels = list(base["recommendations"])

    def applicant(a: ApplicantFigures) -> dict[str, Any]:
        return {
            "id": a.id,
            "name": names.get(a.id, ""),
            "rank_text": _rank_text(a),
            "total": _number(a.total),
            "total_text": _danish(a.total),
            "average": _number(a.average),
            "disagreements": a.disagreements,
            "unrated": a.unrated,
            "recommendations_text": _recommendations_text(a, labels),
            "criteria": [
                {
                    "id": row.id,
                    "label": row.label,
                    "s": [row.scores.get(m) if m else None for m in slots],
                    "mean": _number(row.mean),
                    "low": row.low,
                    "high": row.high,
                    "spread": row.spread,
                    "flag": _flag(row, panel.threshold),
                }
                for row in a.criteria
            ],
            "totals": [_member_total(a, m) for m in slots],
            "recommendations": [
                {
                    "id": m,
                    "name": member_names.get(m, ""),
                    "recommendation": a.recommendations.get(m) or NOT_GIVEN,
                    "takeaways": a.takeaways.get(m, ""),
                }
                for m in returned
            ],
        }

    return {
        "case": base["case"],
        "organisation": base["organisation"],
        "position": base["position"],
        "scale": base["scale"],
        "threshold": panel.threshold,
        "missing": missing,
        "slots": slots,
        "ranking": [applicant(a) for a in panel.ranking],
        "applicant_sheets": [applicant(a) for a in panel.applicants],
        "members": [
            {
                "id": m.id,
                "name": member_names.get(m.id, ""),
                "external": next(p.external for p in case.panel if p.id == m.id),
                "returned": m.returned,
                "offset": _number(m.offset),
                "compared": m.compared,
            }
            for m in panel.members
        ],
    }


def _member_total(a: ApplicantFigures, member: str) -> int | None:
    if not member:
        return None
    given = [row.scores.get(member) for row in a.criteria]
    numbers = [s for s in given if s is not None]
    return sum(numbers) if numbers else None


def sample_summary(case: Case, settings: Settings, base: dict[str, Any]) -> dict[str, Any]:
    """The summary's context for the starter case, every member scoring every criterion."""
    criteria = [(c.id, c.label) for c in effective_criteria(case, settings)]
    members = [m.id for m in case.panel]
    applicants = [a.id for a in case.applicants]
    low, high = base["scale"]["min"], base["scale"]["max"]
    scores = {a: {m: {c: low + (i + j + k) % (high - low + 1) for k, (c, _) in enumerate(criteria)}
                  for j, m in enumerate(members)} for i, a in enumerate(applicants)}
    recs: dict[str, dict[str, str | None]] = {
        a: {m: settings.recommendations[0] for m in members} for a in applicants
    }
    takes = {a: {m: "" for m in members} for a in applicants}
    panel = compute(criteria, members, members, applicants, scores, recs, takes,
                    settings.collect.spread_threshold)
    return summary_context(case, base, panel, members[:1])
