"""Checks across fields and against the guide: errors (located issues) and advisories."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case.consistency import check_consistency
from docgen.case.effective import effective_criteria, retention_months
from docgen.case.model import Applicant, Case
from docgen.errors import Advisory, Issue
from docgen.loading import label_path
from docgen.settings import Settings
from docgen.yamlio import Path_, SourceMap, format_path


@dataclass
class Findings:
    """What the checks found: errors stop the build, advisories are advice."""

    errors: list[Issue] = field(default_factory=list)
    advisories: list[tuple[Advisory, Issue]] = field(default_factory=list)


class _Checker:
    def __init__(self, case: Case, settings: Settings, source: SourceMap, name: str) -> None:
        self.case = case
        self.settings = settings
        self.source = source
        self.name = name
        self.found = Findings()
        # Plain data, so that list items can be named by their id (``panel[3] (P4)``).
        self.data = case.model_dump(mode="json")

    def _issue(self, path: Path_, message: str, *, key: bool = False) -> Issue:
        line, col = self.source.locate(path, prefer_key=key)
        return Issue(self.name, line, col, label_path(path, self.data), message)

    def error(self, path: Path_, message: str, *, key: bool = False) -> None:
        self.found.errors.append(self._issue(path, message, key=key))

    def advise(self, code: str, path: Path_, message: str) -> None:
        issue = self._issue(path, f"advice [{code}]: {message}")
        self.found.advisories.append((Advisory(code, format_path(path), message), issue))


def run_checks(
    case: Case, settings: Settings, source: SourceMap, case_path: Path, name: str
) -> Findings:
    """Run every cross-field check and every advisory on a schema-valid case."""
    c = _Checker(case, settings, source, name)
    _check_ids(c)
    _check_values(c, case_path)
    _check_guide(c)
    _check_letters(c)
    before = len(c.found.advisories)
    check_consistency(case, c.advise)
    # In file order, so that a fresh starter reads as a list of lines to fill in.
    c.found.advisories[before:] = sorted(
        c.found.advisories[before:], key=lambda found: (found[1].line or 0, found[1].col or 0)
    )
    return c.found


def _check_ids(c: _Checker) -> None:
    case = c.case
    groups: list[tuple[str, list[str]]] = [
        ("panel", [m.id for m in case.panel]),
        ("applicants", [a.id for a in case.applicants]),
    ]
    for group, ids in groups:
        first: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in first:
                c.error(
                    (group, i, "id"), f"id '{ident}' is already used by {group}[{first[ident]}]"
                )
            else:
                first[ident] = i
    known = {a.id: a for a in case.applicants}
    starts = Counter(s.start for s in case.interview.slots)
    for i, slot in enumerate(case.interview.slots):
        if slot.applicant not in known:
            c.error(
                ("interview", "slots", i, "applicant"), f"no applicant has id '{slot.applicant}'"
            )
        elif known[slot.applicant].outcome == "withdrawn":
            c.advise(
                "slot-withdrawn",
                ("interview", "slots", i, "applicant"),
                "this applicant has withdrawn but still has an interview slot",
            )
        if starts[slot.start] > 1:
            c.error(("interview", "slots", i, "start"), "two interviews start at the same time")
    configured = {cr.id for cr in c.settings.criteria}
    for i, item in enumerate(case.interview.criteria or []):
        if item.id not in configured and not item.label:
            c.error(
                ("interview", "criteria", i, "label"),
                f"criterion '{item.id}' is not in the configuration, so it needs a label",
            )


def _check_values(c: _Checker, case_path: Path) -> None:
    _check_role_star(c)
    _check_readiness(c)
    _check_interview_and_logo(c, case_path)


def _check_role_star(c: _Checker) -> None:
    case, settings = c.case, c.settings
    spokes = {s.id for s in settings.role_star.spokes}
    lo, hi = settings.role_star.scale.min, settings.role_star.scale.max
    for part in ("desired", "current", "covered_by"):
        for key, value in getattr(case.role_star, part).items():
            path = ("role_star", part, key)
            if key not in spokes:
                c.error(
                    path, f"unknown spoke '{key}'; known: {', '.join(sorted(spokes))}", key=True
                )
            elif part != "covered_by" and not lo <= value <= hi:
                c.error(path, f"must be between {lo} and {hi}")


def _check_readiness(c: _Checker) -> None:
    case, settings = c.case, c.settings
    questions = {q.id for q in settings.readiness.questions}
    motivation = {q.id for q in settings.readiness.motivation}
    rlo, rhi = settings.readiness.scale.min, settings.readiness.scale.max
    for part, known in (("answers", questions), ("actions", questions), ("motivation", motivation)):
        for key, value in getattr(case.readiness, part).items():
            path = ("readiness", part, key)
            if key not in known:
                c.error(
                    path, f"unknown question '{key}'; known: {', '.join(sorted(known))}", key=True
                )
            elif part == "answers" and not rlo <= value <= rhi:
                c.error(path, f"must be between {rlo} and {rhi}")


def _check_interview_and_logo(c: _Checker, case_path: Path) -> None:
    case, settings = c.case, c.settings
    scale = case.interview.scale
    if scale is not None:
        if scale.max <= scale.min:
            c.error(("interview", "scale", "max"), "must be greater than min")
        elif len(scale.labels) != scale.max - scale.min + 1:
            c.error(
                ("interview", "scale", "labels"),
                f"needs one label per step: {scale.max - scale.min + 1} labels",
            )
    logo = case.organisation.logo
    if logo:
        file = case_path.parent / logo
        if file.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            c.error(("organisation", "logo"), "must be a .png or .jpg file")
        elif not file.is_file():
            c.error(
                ("organisation", "logo"), "file not found (the path is relative to the case file)"
            )
    if not effective_criteria(case, settings):
        c.error(("interview", "criteria"), "needs at least one criterion")


def _check_guide(c: _Checker) -> None:
    case, adv = c.case, c.settings.advisories
    hours = case.position.hours_per_week
    if not adv.hours_min <= hours <= adv.hours_max:
        c.advise(
            "hours-range",
            ("position", "hours_per_week"),
            f"the guide advises {adv.hours_min:g}–{adv.hours_max:g} hours per week so that "
            "the peer worker becomes part of the staff group",
        )
    if len(case.panel) > adv.panel_max:
        c.advise(
            "panel-size",
            ("panel",),
            f"the guide advises at most {adv.panel_max} people on the panel",
        )
    if case.panel and not any(m.lived_experience for m in case.panel):
        c.advise(
            "panel-lived-experience",
            ("panel",),
            "the guide advises at least one panel member with lived experience",
        )
    for i, m in enumerate(case.panel):
        if m.external:
            c.advise(
                "external-panel-member",
                ("panel", i, "external"),
                "an external member handles personal data: agree how applications are "
                "shared and deleted; their scoresheets show applicant ids, not names",
            )
    if case.interview.duration_minutes > adv.interview_max_minutes:
        c.advise(
            "interview-length",
            ("interview", "duration_minutes"),
            f"the guide advises interviews of {adv.interview_max_minutes} minutes or less",
        )
    if case.position.peer_education == "required":
        c.advise(
            "peer-education-required",
            ("position", "peer_education"),
            "requiring a peer education is rarely a good idea: many able peers have none; "
            "consider 'able-to-complete' or 'given-in-job'",
        )
    months = retention_months(case, c.settings)
    if months > c.settings.retention.max_months:
        c.error(
            ("retention", "months"),
            f"at most {c.settings.retention.max_months} months: Datatilsynet accepts up to "
            "3 years after the recruitment for applicants not hired",
        )


def _check_letters(c: _Checker) -> None:
    case = c.case
    rejected = [a for a in case.applicants if a.outcome == "rejected"]
    hired = [a for a in case.applicants if a.outcome == "hired"]
    posts = case.decision.posts
    if posts is not None and hired and len(hired) != posts:
        c.error(
            ("decision", "posts"),
            "does not match the number of applicants whose outcome is 'hired'; correct one "
            "of them (letters say how many posts were filled)",
        )
    if rejected and not hired:
        c.advise(
            "rejected-before-hire",
            ("applicants",),
            "nobody is hired yet: letters to applicants who were not interviewed wait "
            "until the hiring is settled",
        )
    if not rejected:
        return
    _check_reasons(c, rejected)
    if hired and not case.decision.hired_profile:
        c.error(
            ("decision", "hired_profile"),
            "the letters describe the hired person's qualifications briefly; write a "
            "sentence or two without identifying them",
        )
    index = {id(a): i for i, a in enumerate(case.applicants)}
    for a in rejected:
        i = index[id(a)]
        if not a.address and not a.email:
            c.advise(
                "letter-unreachable",
                ("applicants", i),
                f"the letter to {a.id} has neither a postal address nor an e-mail address; "
                "add address or email so that it can be sent",
            )
        if a.interviewed:
            for name, what in (
                ("reason", "why another applicant was chosen"),
                ("went_well", "what went well in the interview"),
            ):
                if getattr(a, name) is None:
                    c.advise(
                        f"letter-no-{name.replace('_', '-')}",
                        ("applicants", i, name),
                        f"the letter to {a.id} (interviewed) would be fuller with {name}: "
                        f"{what}, written to the applicant",
                    )


def _check_reasons(c: _Checker, rejected: list[Applicant]) -> None:
    """A public employer must give the main reasons of each letter it sends (§ 22)."""
    if c.case.organisation.sector not in ("region", "kommune"):
        return
    variants = (
        ("shortlist_reasons", False, "applicants who were not interviewed", "who was invited"),
        ("reasons", True, "interviewed applicants", "the hire among the interviewed"),
    )
    for field_name, interviewed, whom, what in variants:
        sent = any(a.interviewed == interviewed for a in rejected)
        if sent and not getattr(c.case.decision, field_name):
            c.error(
                ("decision", field_name),
                f"a public employer must give the main reasons (hovedmomenter) in the letters "
                f"to {whom} (forvaltningsloven § 22); list what decided {what} here",
            )
