"""The vocabulary of template contexts and the descriptions of the names docgen computes.

:mod:`docgen.templates.variables` observes which names the contexts hold and describes each one
from the case and settings models when the name mirrors a model field; every other name
is described here: :data:`DERIVED` (names :mod:`docgen.templates.context` computes),
:data:`RENDER_EXTRAS` (names the Word renderer adds), and, for the listing and its tests,
:data:`CASE_FIELDS_ELSEWHERE` and :data:`CASE_ALIASES`. Paths are written as in
:mod:`docgen.templates.variables` (``applicants[].name``).
"""

from __future__ import annotations

from typing import Literal

KINDS = ("case", "panel", "applicant", "hired", "summary")
"""Context kinds, named like ``for:`` in ``configs/documents.yaml`` (``hired``: documents for
an applicant with ``select: hired``; ``summary``: the panel's summary that ``docgen collect``
writes, configured as ``collect.template``)."""

KIND_TEXT = {
    "case": "documents made once per case (`for: case`: posting, role star, readiness)",
    "panel": "documents made per panel member (`for: panel`: scoresheets)",
    "applicant": "documents made per applicant (`for: applicant`: letters, phone guide)",
    "hired": "documents made per hired applicant (`for: applicant` with `select: hired`: "
    "the job-start documents)",
    "summary": "the panel's summary of the returned scoresheets (`docgen collect`)",
}

Shape = Literal["mapping", "list", "value"]


def _scale(prefix: str, what: str) -> dict[str, tuple[str, str]]:
    return {
        prefix: ("group", f"The {what}: bounds and one labelled step per value."),
        f"{prefix}.min": ("whole number", "Lowest value."),
        f"{prefix}.max": ("whole number", "Highest value."),
        f"{prefix}.steps": ("list of groups", "One entry per whole value from min to max."),
        f"{prefix}.steps[].value": ("whole number", "The value."),
        f"{prefix}.steps[].label": ("text", "Its label (the value itself when unlabelled)."),
    }


_SLOT = {
    "applicant": ("text", "The applicant's id, e.g. 'A07'."),
    "start": ("date and time", "Start of the interview."),
    "end": ("date and time", "End of the interview (start plus interview.duration_minutes)."),
}

_SUMMARY_ITEM = {
    "id": ("text", "The applicant's id, e.g. 'A07'."),
    "name": ("text", "The applicant's name (from the case, also for pseudonymised sheets)."),
    "rank_text": ("text", "The place in the ranking: '1', or 'delt 2' for a shared place; "
                          "empty when nobody rated the applicant."),
    "total": ("number or empty", "Mean total: the sum of the criteria's means."),
    "total_text": ("text", "The mean total with a decimal comma ('33,25'), '–' when empty."),
    "average": ("number or empty", "The mean total divided by the criteria rated."),
    "disagreements": ("whole number", "Criteria whose spread reached the threshold."),
    "unrated": ("whole number", "Criteria at least one member left blank."),
    "recommendations_text": ("text", "The recommendations counted, e.g. 'Ja 2 · Klart ja 1'."),
    "criteria": ("list of groups", "One entry per criterion, in the configured order."),
    "criteria[].id": ("text", "The criterion's id."),
    "criteria[].label": ("text", "The criterion as the scoresheet shows it."),
    "criteria[].s": ("list of whole numbers", "The score in each member column (slots); "
                                              "empty when not rated or unused."),
    "criteria[].mean": ("number or empty", "Mean of the scores given."),
    "criteria[].low": ("whole number or empty", "Lowest score given."),
    "criteria[].high": ("whole number or empty", "Highest score given."),
    "criteria[].spread": ("whole number or empty", "Highest minus lowest score."),
    "criteria[].flag": ("text", "'Uenighed (N point)' and/or 'Ikke vurderet af P2'."),
    "totals": ("list of whole numbers", "Each member column's sum of scores (empty unused)."),
    "recommendations": ("list of groups", "Each returning member's recommendation."),
    "recommendations[].id": ("text", "The member's id, e.g. 'P2'."),
    "recommendations[].name": ("text", "The member's name."),
    "recommendations[].recommendation": ("text", "The recommendation, or '(ikke udfyldt)'."),
    "recommendations[].takeaways": ("text", "The member's key take-aways (may be empty)."),
}

_SUMMARY = {
    "threshold": ("whole number", "The spread that counts as disagreement "
                                  "(collect.spread_threshold)."),
    "missing": ("list of text", "Ids of members whose scores are not included (--partial)."),
    "slots": ("list of text", "The member ids heading the score columns ('' when unused)."),
    "ranking": ("list of groups", "The applicants by rank; shared ranks in case order."),
    **{f"ranking[].{k}": v for k, v in _SUMMARY_ITEM.items()},
    "applicant_sheets": ("list of groups", "The same applicants in the case's order."),
    **{f"applicant_sheets[].{k}": v for k, v in _SUMMARY_ITEM.items()},
    "members": ("list of groups", "The panel, each with its scoring compared to the panel's."),
    "members[].id": ("text", "The member's id."),
    "members[].name": ("text", "The member's name."),
    "members[].external": ("yes/no", "Whether the member is external (pseudonymised sheet)."),
    "members[].returned": ("yes/no", "Whether the member's scores are included."),
    "members[].offset": ("number or empty", "Mean of (own score - panel mean) over the "
                                            "criteria at least two members rated."),
    "members[].compared": ("whole number", "How many scores the offset averages over."),
}

DERIVED: dict[str, tuple[str, str]] = {
    **_SUMMARY,
    "case": ("group", "The case itself."),
    "case.retention_months": (
        "whole number",
        "Months applications are kept: retention.months of the case, else the configured "
        "retention.default_months.",
    ),
    "letter_date": (
        "date",
        "The date printed on letters: dates.letters, else dates.recruitment_closed, else "
        "SOURCE_DATE_EPOCH, else today. Print it with |dato.",
    ),
    "organisation.sector_text": ("text", "The sector in Danish (configuration labels.sector)."),
    "organisation.public": ("yes/no", "Whether the employer is public (region or kommune)."),
    "position.hours_per_week": (
        "number",
        "Hours per week; a whole number when there are no decimals (25, not 25.0). "
        "Print it with |tal.",
    ),
    "position.employment_form_text": (
        "text", "The form of employment in Danish (labels.employment_form), e.g. 'Fleksjob'."
    ),
    "position.working_times_text": (
        "list of text",
        "The working times in Danish (labels.working_times), e.g. dagtimer, aftener; "
        "join them with |opremsning.",
    ),
    "position.working_times_line": (
        "text",
        "The working times for the posting's fact box, each fact once: the chosen times "
        "('Dagtimer og aftener'), followed by working_times_note as a sentence unless the "
        "note already names them.",
    ),
    "position.peer_education_text": (
        "text", "A sentence stating the peer-education stance (labels.peer_education)."
    ),
    "interview.slots": ("list of groups", "The interview schedule, sorted by start time."),
    **{f"interview.slots[].{k}": v for k, v in _SLOT.items()},
    "applicant_count": ("whole number", "Number of applicants, withdrawn ones included."),
    "interviewed_count": ("whole number", "Number of applicants (not withdrawn) interviewed."),
    "hired_count": ("whole number", "Number of hired applicants."),
    "retention": ("group", "How long applications are kept."),
    "retention.months": (
        "whole number",
        "Months applications of applicants not hired are kept (the case's value, else the "
        "configured default).",
    ),
    "criteria": (
        "list of groups",
        "The interview criteria: the case's interview.criteria (completed from the "
        "configuration), else the configured criteria.",
    ),
    "criteria[].id": ("text", "The criterion's id, e.g. 'recovery'."),
    "criteria[].label": ("text", "The criterion as the scoresheet shows it."),
    "criteria[].description": ("text", "What the panel looks for (may be empty)."),
    "criteria[].questions": ("list of text", "One or two questions to ask."),
    **_scale("scale", "interview scoring scale (the case's interview.scale, else configured)"),
    "recommendations": (
        "list of text", "The overall recommendations a panel member can give, e.g. 'Klart ja'."
    ),
    "role_star": ("group", "The role star: its scale and spokes (task areas)."),
    **_scale("role_star.scale", "role-star scale"),
    "role_star.spokes": ("list of groups", "The spokes from the configuration, in order."),
    "role_star.spokes[].id": ("text", "The spoke's id, e.g. 'conversations'."),
    "role_star.spokes[].label": ("text", "The spoke's name."),
    "role_star.spokes[].description": ("text", "What the task area covers."),
    "role_star.spokes[].desired": (
        "whole number or empty", "The organisation's value from the case (role_star.desired)."
    ),
    "role_star.spokes[].current": (
        "whole number or empty", "The peer worker's own value (role_star.current)."
    ),
    "role_star.spokes[].covered_by": (
        "text or empty", "Who else covers the task (role_star.covered_by)."
    ),
    "job_start.start": (
        "date or empty", "The first working day: job_start.start, else position.start."
    ),
    "job_start.start_text": (
        "text or empty", "The start as text when there is no date (position.start_text)."
    ),
    "job_start.review": (
        "date or empty",
        "When the function description is reviewed: job_start.review, else the first working "
        "day plus job_start.review_after_months (empty without a start date).",
    ),
    "job_start.review_after_months": (
        "whole number", "Months after the start the review falls (configuration, default 3)."
    ),
    "job_start.manager": (
        "group", "The peer worker's manager: job_start.manager, else organisation.signer."
    ),
    "job_start.introduction": (
        "list of groups",
        "The introduction plan's phases from the configuration (job_start.introduction).",
    ),
    "job_start.introduction[].id": ("text", "The phase's id, e.g. 'first-day'."),
    "job_start.introduction[].label": ("text", "The phase's heading, e.g. 'Første arbejdsdag'."),
    "job_start.introduction[].steps": ("list of groups", "What to do in the phase, in order."),
    "job_start.introduction[].steps[].text": ("text", "What to do."),
    "job_start.introduction[].steps[].who": ("text", "Who does it, e.g. 'Leder'."),
    "job_start.introduction[].steps[].due": (
        "date or empty",
        "When it should be done by: the first working day plus the step's due_days, or the "
        "review date; empty when the start is not known.",
    ),
    "job_start.core_tasks": (
        "list of groups",
        "The role-star spokes the organisation rated above zero (role_star.desired), most "
        "central first; empty when the case has no role-star values.",
    ),
    "job_start.core_tasks[].id": ("text", "The spoke's id."),
    "job_start.core_tasks[].label": ("text", "The spoke's name."),
    "job_start.core_tasks[].description": ("text", "What the task area covers."),
    "job_start.core_tasks[].desired": ("whole number", "How central the task is to be."),
    "job_start.core_tasks[].covered_by": (
        "text or empty", "Who else covers the task (role_star.covered_by)."
    ),
    "job_start.covered_by_others": (
        "list of groups", "The spokes someone else in the team also covers (role_star.covered_by)."
    ),
    "job_start.covered_by_others[].id": ("text", "The spoke's id."),
    "job_start.covered_by_others[].label": ("text", "The spoke's name."),
    "job_start.covered_by_others[].description": ("text", "What the task area covers."),
    "job_start.covered_by_others[].covered_by": ("text", "Who else covers it."),
    "readiness": ("group", "The readiness check: scale, questions, motivation and bands."),
    **_scale("readiness.scale", "readiness answer scale"),
    "readiness.questions": ("list of groups", "The readiness questions from the configuration."),
    "readiness.questions[].id": ("text", "The question's id, e.g. 'leadership'."),
    "readiness.questions[].theme": ("text", "A short theme, e.g. 'Ledelse'."),
    "readiness.questions[].text": ("text", "The question."),
    "readiness.questions[].answer": (
        "whole number or empty", "The answer from the case (readiness.answers)."
    ),
    "readiness.questions[].action": (
        "text or empty", "The planned action from the case (readiness.actions)."
    ),
    "readiness.motivation": ("list of groups", "The motivation questions."),
    "readiness.motivation[].id": ("text", "The question's id, e.g. 'inspiration'."),
    "readiness.motivation[].theme": ("text", "A short theme (may be empty)."),
    "readiness.motivation[].text": ("text", "The question."),
    "readiness.motivation[].answer": (
        "text or empty", "The answer from the case (readiness.motivation)."
    ),
    "readiness.bands": ("list of groups", "Interpretation bands for the total score."),
    "readiness.bands[].min": ("whole number", "Lowest total in the band."),
    "readiness.bands[].max": ("whole number", "Highest total in the band."),
    "readiness.bands[].label": ("text", "What the band means."),
    "readiness.bands[].colour": ("text", "Fill colour as six hex digits, e.g. 'D9EAD3'."),
    "readiness.max_total": ("whole number", "Highest possible total (scale max × questions)."),
    "member": ("group", "The panel member this document is for."),
    "pseudonymised": (
        "yes/no", "Whether this member's documents show applicant ids only (external member)."
    ),
    "sheet_applicants": (
        "list of groups",
        "The rows of this member's scoresheet: interviewed applicants, else those with an "
        "interview slot, else six blank rows; sorted by interview time.",
    ),
    "sheet_applicants[].id": ("text", "The applicant's id ('' on a blank row)."),
    "sheet_applicants[].label": (
        "text", "The row label: 'A07 · name', or the id only for an external member."
    ),
    "sheet_applicants[].slot": ("group or empty", "The applicant's interview slot, if any."),
    **{f"sheet_applicants[].slot.{k}": v for k, v in _SLOT.items()},
    "applicant": ("group", "The applicant this document is for (never any other applicant)."),
    "applicant.first_name": ("text", "The first word of the applicant's name."),
    "applicant.greeting": (
        "text", "The name the letter greets the applicant by (configuration letters.greeting)."
    ),
    "applicant.reachable": (
        "yes/no", "Whether the case has a postal address or an e-mail address for the letter."
    ),
    "applicant.slot": ("group or empty", "The applicant's interview slot, if any."),
    **{f"applicant.slot.{k}": v for k, v in _SLOT.items()},
    "variant": (
        "text or empty", "The letter variant: 'interviewed', 'not-interviewed' or empty."
    ),
}
"""Names :mod:`docgen.templates.context` computes, with their type and description."""

RENDER_EXTRAS: dict[str, tuple[str, str, Shape]] = {
    "logo": (
        "image or empty",
        "Word templates only: the organisation's logo, sized for a letterhead; write "
        "{% if logo %}{{ logo }}{% endif %}.",
        "value",
    ),
}
"""Names the Word renderer adds to every context."""

CASE_FIELDS_ELSEWHERE: dict[str, str] = {
    "reference": "case.reference",
    "applicants": "applicant (a letter's own applicant only), sheet_applicants (a "
    "scoresheet's rows), applicant_count; no document gets the whole list",
    "interview.slots": "interview.slots (with end times), applicant.slot, "
    "sheet_applicants[].slot",
    "interview.criteria": "criteria (completed from the configuration)",
    "interview.scale": "scale (with one step per value)",
    "role_star.desired": "role_star.spokes[].desired",
    "role_star.current": "role_star.spokes[].current",
    "role_star.covered_by": "role_star.spokes[].covered_by",
    "readiness.answers": "readiness.questions[].answer",
    "readiness.actions": "readiness.questions[].action",
    "readiness.motivation": "readiness.motivation[].answer",
    "retention.months": "retention.months and case.retention_months (with the default)",
}
"""Case fields templates see under another name (for the listing and its test)."""

CASE_ALIASES: dict[str, tuple[str, ...]] = {
    "panel[]": ("panel[]", "member"),
    "applicants[]": ("applicant",),
}
"""Case list items that also appear as a single group in a per-recipient context."""
