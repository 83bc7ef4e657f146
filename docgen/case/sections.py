"""The later parts of a case: the decision, the role star, readiness, retention, job start.

Each is optional in the case file and filled in as the hiring moves on; the letters, the
workbooks and the job-start documents read them.
"""

from __future__ import annotations

from pydantic import Field

from docgen.case.base import Model, Person
from docgen.case.values import Date, Line, Slug, Text, YesNo


class Decision(Model):
    """The decision, as the letters explain it."""

    reasons: list[Text] = Field(
        default_factory=list,
        description="What decided the hire among the interviewed (hovedmomenter), one per "
        "line; the letter to interviewed applicants gives them, and a public employer must.",
    )
    shortlist_reasons: list[Text] = Field(
        default_factory=list,
        description="What decided who was invited to an interview, judged from the written "
        "applications, one per line; the letter to applicants not interviewed gives them, and "
        "a public employer must.",
    )
    posts: int | None = Field(
        None,
        ge=1,
        le=50,
        description="How many posts were filled; defaults to the number of hired applicants "
        "(at least 1). Letters say 'en anden ansøger' or 'andre ansøgere' accordingly.",
    )
    later_posts: int | None = Field(
        None,
        ge=1,
        le=50,
        description="How many more peer posts are expected to be posted later (implies "
        "more_posts_expected).",
    )
    phone_calls: YesNo = Field(
        True,
        description="Whether rejected interviewed applicants are told by phone before the "
        "letter; their letter then refers to the call.",
    )
    hired_profile: Text | None = Field(
        None,
        description="The hired person's qualifications in a sentence or two, without "
        "identifying them.",
    )
    more_posts_expected: YesNo = Field(
        False,
        description="Whether more peer posts are expected to be posted (say how many in "
        "later_posts if you know).",
    )


class RoleStar(Model):
    """Values the organisation already has for the role star."""

    desired: dict[Slug, int] = Field(
        default_factory=dict,
        description="Desired centrality per spoke id, on the role-star scale (default 0–10).",
    )
    current: dict[Slug, int] = Field(
        default_factory=dict, description="The peer worker's own view per spoke id."
    )
    covered_by: dict[Slug, Line] = Field(
        default_factory=dict, description="Who else in the team covers the task, per spoke id."
    )


class Readiness(Model):
    """Answers the organisation already has for the readiness check."""

    answers: dict[Slug, int] = Field(
        default_factory=dict, description="Answer per question id, on the readiness scale."
    )
    actions: dict[Slug, Text] = Field(
        default_factory=dict, description="Planned action per question id."
    )
    motivation: dict[Slug, Text] = Field(
        default_factory=dict, description="Answers to the motivation questions, per id."
    )


class Retention(Model):
    """How long applications are kept."""

    months: int | None = Field(
        None,
        ge=1,
        description="Months applications of applicants not hired are kept (at most 36); "
        "defaults to the configuration's retention.default_months.",
    )
    consent_months: int | None = Field(
        None,
        ge=1,
        description="Months an application is kept for future posts when the applicant consents.",
    )


class JobStart(Model):
    """The start of the person hired: who is around them and when the start is reviewed.

    Nothing here is about the hired person's needs or health: the manager and the peer
    worker agree on particular needs in a conversation, not in the case file.
    """

    start: Date | None = Field(
        None, description="First working day (YYYY-MM-DD); defaults to position.start."
    )
    manager: Person | None = Field(
        None,
        description="The peer worker's manager, who the worker refers to; defaults to the "
        "organisation's signer.",
    )
    supervisor: Person | None = Field(
        None, description="Who gives the peer worker supervision, e.g. an external supervisor."
    )
    contact_person: Person | None = Field(
        None, description="A colleague who is the new worker's contact person the first months."
    )
    supervision: Text | None = Field(
        None, description="How supervision is arranged, e.g. 'Ekstern supervision hver 6. uge'."
    )
    staff_meetings: Text | None = Field(
        None, description="The staff meetings the worker takes part in, e.g. 'Teammøde hver "
        "tirsdag kl. 9'."
    )
    peer_network: Text | None = Field(
        None, description="The peer network the worker can join, e.g. a regional network."
    )
    review: Date | None = Field(
        None,
        description="When the function description is reviewed together; defaults to the "
        "start plus job_start.review_after_months in the configuration (three months).",
    )
