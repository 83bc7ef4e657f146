"""The panel's figures from the members' scores: plain arithmetic, done exactly.

Per applicant and criterion: every member's score, the mean, min, max and spread of the
scores given (a blank means "not rated" and is left out), a disagreement flag when the
spread reaches the threshold and an unrated flag when a member who returned a sheet
left the criterion blank. Per applicant: the mean total (the sum of the criterion
means), the average per rated criterion, and a rank by mean total in which equal totals
share a rank (1, 1, 3). Per member: the mean offset from the panel, the average of
(own score - panel mean) over every criterion at least two members rated, so a
consistently strict (negative) or lenient (positive) scorer shows. Means are exact
fractions until they are shown, so ties are real ties, not rounding accidents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["ApplicantFigures", "CriterionFigures", "MemberFigures", "Panel", "compute"]


@dataclass
class CriterionFigures:
    """One criterion for one applicant."""

    id: str
    label: str
    scores: dict[str, int | None]
    """Member id → score (None: not rated); members who returned a scoresheet only."""
    mean: Fraction | None = None
    low: int | None = None
    high: int | None = None
    spread: int | None = None
    disagreement: bool = False
    unrated_by: list[str] = field(default_factory=list)


@dataclass
class ApplicantFigures:
    """One applicant across the panel."""

    id: str
    criteria: list[CriterionFigures]
    recommendations: dict[str, str | None]
    takeaways: dict[str, str]
    total: Fraction | None = None
    average: Fraction | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def disagreements(self) -> int:
        """Criteria whose spread reached the threshold."""
        return sum(c.disagreement for c in self.criteria)

    @property
    def unrated(self) -> int:
        """Criteria some member left blank."""
        return sum(bool(c.unrated_by) for c in self.criteria)


@dataclass
class MemberFigures:
    """One panel member's scoring across all applicants."""

    id: str
    returned: bool
    offset: Fraction | None = None
    compared: int = 0
    """How many scores the offset averages over."""


@dataclass
class Panel:
    """Everything the summary shows."""

    applicants: list[ApplicantFigures]
    members: list[MemberFigures]
    threshold: int

    @property
    def ranking(self) -> list[ApplicantFigures]:
        """Applicants by rank; those nobody rated come last, in case order."""
        ranked = [a for a in self.applicants if a.rank is not None]
        ranked.sort(key=lambda a: a.rank or 0)
        return ranked + [a for a in self.applicants if a.rank is None]


Scores = dict[str, dict[str, dict[str, int | None]]]
"""applicant id → member id → criterion id → score."""


def compute(
    criteria: list[tuple[str, str]],
    members: list[str],
    returned: list[str],
    applicants: list[str],
    scores: Scores,
    recommendations: dict[str, dict[str, str | None]],
    takeaways: dict[str, dict[str, str]],
    threshold: int,
) -> Panel:
    """The figures for ``applicants`` (in that order) from the members who ``returned``."""
    result: list[ApplicantFigures] = []
    for applicant in applicants:
        given = scores.get(applicant, {})
        rows = []
        for crit, label in criteria:
            row = CriterionFigures(crit, label, {m: given.get(m, {}).get(crit) for m in returned})
            _fill(row, threshold)
            rows.append(row)
        figures = ApplicantFigures(
            applicant, rows,
            {m: recommendations.get(applicant, {}).get(m) for m in returned},
            {m: takeaways.get(applicant, {}).get(m, "") for m in returned},
        )
        means = [r.mean for r in rows if r.mean is not None]
        if means:
            figures.total = sum(means, Fraction(0))
            figures.average = figures.total / len(means)
        result.append(figures)
    _rank(result)
    return Panel(result, _offsets(result, members, returned), threshold)


def _fill(row: CriterionFigures, threshold: int) -> None:
    given = [s for s in row.scores.values() if s is not None]
    row.unrated_by = [m for m, s in row.scores.items() if s is None]
    if not given:
        return
    row.mean = Fraction(sum(given), len(given))
    row.low, row.high = min(given), max(given)
    row.spread = row.high - row.low
    row.disagreement = row.spread >= threshold


def _rank(applicants: list[ApplicantFigures]) -> None:
    totals = sorted((a.total for a in applicants if a.total is not None), reverse=True)
    for a in applicants:
        if a.total is None:
            continue
        a.rank = totals.index(a.total) + 1
        a.tied = totals.count(a.total) > 1


def _offsets(applicants: list[ApplicantFigures], members: list[str],
             returned: list[str]) -> list[MemberFigures]:
    out = []
    for member in members:
        diffs = []
        for a in applicants:
            for row in a.criteria:
                own = row.scores.get(member)
                rated = sum(s is not None for s in row.scores.values())
                if own is not None and row.mean is not None and rated >= 2:
                    diffs.append(own - row.mean)
        figures = MemberFigures(member, member in returned, compared=len(diffs))
        if diffs:
            figures.offset = sum(diffs, Fraction(0)) / len(diffs)
        out.append(figures)
    return out
