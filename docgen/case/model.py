"""The case file schema: one declaration used by the loader, ``docgen schema`` and the docs.

Every field has a description (it becomes the JSON Schema and the template variable
list). Values arrive from :mod:`docgen.yamlio` as strings; the types here decide what
each one becomes, so ``0700`` stays a postal code and ``no`` stays a word unless the
field is a yes/no field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    model_validator,
)

from docgen.case.base import Address, Contact, Model, Person
from docgen.case.sections import Decision, JobStart, Readiness, Retention, RoleStar
from docgen.case.values import (
    EMPLOYMENT_FORM,
    OUTCOME,
    PEER_EDUCATION,
    SECTOR,
    WORKING_TIME,
    ApplicantId,
    Clock,
    Date,
    DateTime,
    Email,
    Line,
    PanelId,
    Phone,
    Slug,
    Text,
    YesNo,
)

WorkingTime = Literal["day", "evening", "weekend"]
_TIME_WORDS: dict[str, Any] = {
    "day": lambda w: w in {"dag", "dage", "dagtimer", "dagtid", "dagvagt", "dagvagter",
                           "hverdag", "hverdage", "day"},
    "evening": lambda w: w.startswith("aften") or w == "evening",
    "weekend": lambda w: w.startswith(("weekend", "lørdag", "søndag")),
}


def times_named_in(text: str) -> list[str]:
    """The working times ('day', 'evening', 'weekend') a Danish phrase names."""
    words = re.findall(r"[a-zæøå]+", text.lower())
    return [t for t, named in _TIME_WORDS.items() if any(named(w) for w in words)]


class Organisation(Model):
    """The employer."""

    name: Line = Field(description="The organisation's name as it should appear on the letterhead.")
    unit: Line | None = Field(None, description="The unit, team or department that hires.")
    sector: Annotated[Literal["region", "kommune", "private", "ngo"], BeforeValidator(SECTOR)] = (
        Field(
            description="'region' or 'kommune' (public employers: letters must give main "
            "reasons, forvaltningsloven § 22), 'private' (a company) or 'ngo' (an association "
            "or other non-profit organisation; private-employer rules apply)."
        )
    )
    address: Address = Field(description="Postal address of the workplace.")
    logo: Line | None = Field(
        None, description="A PNG or JPEG logo, as a path relative to the case file."
    )
    website: Line | None = Field(None, description="Web address shown on the letterhead.")
    contact: Contact = Field(description="Contact person for applicants.")
    signer: Person = Field(description="Who signs the letters (name and title).")


class Application(Model):
    """How to apply."""

    how: Text = Field(
        description="How to apply, in Danish, e.g. 'Søg via linket på region.dk/job'."
    )
    url: Line | None = Field(None, description="Link to the application form.")
    email: Email | None = Field(None, description="E-mail address applications go to.")


class Position(Model):
    """The post as the posting describes it."""

    title: Line = Field(description="Position title, e.g. 'Peer-medarbejder'.")
    purpose: Text | None = Field(
        None,
        description="The purpose of the role in a few sentences; the template has a default "
        "built on using lived experience to give hope and support recovery.",
    )
    intro: Text | None = Field(None, description="An opening paragraph about the workplace.")
    tasks: list[Text] = Field(min_length=1, description="The tasks, one line each.")
    competencies: list[Text] = Field(
        min_length=1, description="Professional competencies asked for, one line each."
    )
    qualities: list[Text] = Field(
        min_length=1, description="Personal qualities asked for, one line each."
    )
    hours_per_week: float = Field(
        ge=1, le=48, description="Hours per week, e.g. 25 or 18.5 (the guide advises 12–37)."
    )
    employment_form: Annotated[
        Literal["ordinary", "fleksjob", "skaanejob"], BeforeValidator(EMPLOYMENT_FORM)
    ] = Field(
        "ordinary",
        description="'ordinary', 'fleksjob' (for a person with a granted fleksjob) or "
        "'skaanejob' (wage-subsidised job for a person on early retirement pension).",
    )
    pay_basis: Text = Field(
        description="Pay basis in Danish, e.g. 'Løn efter overenskomst mellem Danske Regioner "
        "og FOA'."
    )
    working_times: list[Annotated[WorkingTime, BeforeValidator(WORKING_TIME)]] = Field(
        default_factory=list,
        description="When the work happens: any of 'day', 'evening', 'weekend' (or the "
        "Danish 'dag', 'aften', 'weekend'); or the working times as free text, e.g. "
        "'Dagtimer og enkelte aftener', which the posting then shows as written.",
    )
    working_times_note: Text | None = Field(
        None, description="More about working times, e.g. 'Enkelte aftener efter aftale'."
    )
    start: Date | None = Field(None, description="Start date (YYYY-MM-DD).")
    start_text: Line | None = Field(
        None, description="Start as text when there is no fixed date, e.g. 'Snarest muligt'."
    )
    place: Line = Field(description="Where the work takes place.")
    education_requirement: Text = Field(
        "Du har som minimum afsluttet folkeskolens 9. klasse eller tilsvarende",
        description="The education asked for, as a 'Du …' sentence like the other "
        "competencies; by default completed 9th grade or the like.",
    )
    peer_education: Annotated[
        Literal["required", "able-to-complete", "given-in-job", "not-required"],
        BeforeValidator(PEER_EDUCATION),
    ] = Field(
        "not-required",
        description="Stance on peer education: 'required' (rarely a good requirement), "
        "'able-to-complete', 'given-in-job' or 'not-required'.",
    )
    application: Application = Field(description="How to apply.")

    @model_validator(mode="before")
    @classmethod
    def _free_text_times(cls, data: Any) -> Any:
        # Offices write working times as a phrase; keep it as the note and read the
        # fixed choices out of it, so the posting shows the phrase once.
        if not isinstance(data, dict) or not isinstance(data.get("working_times"), str):
            return data
        text = data["working_times"].strip()
        choices = times_named_in(text)
        note = data.get("working_times_note")
        merged = f"{text.rstrip('.')}. {note}" if isinstance(note, str) and note.strip() else text
        return {**data, "working_times": choices, "working_times_note": merged}

    @model_validator(mode="after")
    def _times_given(self) -> Position:
        if not self.working_times and not self.working_times_note:
            msg = (
                "say when the work happens: working_times (day, evening, weekend) or "
                "working_times_note as free text"
            )
            raise ValueError(msg)
        return self


class Dates(Model):
    """Dates of the hiring process; every date in a document comes from here."""

    posted: Date | None = Field(None, description="Date the posting is published.")
    deadline: Date = Field(description="Application deadline.")
    deadline_time: Clock | None = Field(
        None,
        description="Time of day of the deadline: 12, 12.00, 12:00 or kl. 12 (printed "
        "'kl. 12.00').",
        examples=["12.00"],
    )
    interviews: list[Date] = Field(
        default_factory=list, description="Interview days (the slots may give exact times)."
    )
    recruitment_closed: Date | None = Field(
        None, description="The day the hiring was settled; retention counts from here."
    )
    letters: Date | None = Field(
        None,
        description="Date printed on letters; defaults to recruitment_closed, then to "
        "SOURCE_DATE_EPOCH, then to today.",
    )


class PanelMember(Model):
    """A member of the interview panel (ansættelsesudvalg)."""

    id: PanelId = Field(description="Stable id, e.g. 'P1'; used in file names and the manifest.")
    name: Line = Field(description="Full name.")
    title: Line = Field(description="Job title, e.g. 'afdelingsleder' or 'peer-medarbejder'.")
    lived_experience: YesNo = Field(
        False, description="Whether the member brings lived experience (the guide advises one)."
    )
    external: YesNo = Field(
        False,
        description="Whether the member is not employed by the organisation; their "
        "scoresheets are pseudonymised.",
    )


class Slot(Model):
    """One interview appointment."""

    applicant: ApplicantId = Field(description="The applicant's id, e.g. 'A07'.")
    start: DateTime = Field(description="Start, e.g. '2026-10-12 09:00'.")


class CriterionOverride(Model):
    """A criterion for this case: an id from the configuration, or a new one with a label."""

    id: Slug = Field(description="Criterion id, e.g. 'recovery'.")
    label: Line | None = Field(None, description="The criterion as the scoresheet shows it.")
    description: Text | None = Field(None, description="What the panel looks for.")
    questions: list[Text] | None = Field(None, description="One or two questions to ask.")


class ScaleOverride(Model):
    """A scoring scale from ``min`` to ``max`` with one label per step."""

    min: int = Field(ge=0, le=10, description="Lowest score.")
    max: int = Field(ge=1, le=10, description="Highest score.")
    labels: list[Line] = Field(description="One label per step, lowest first.")


class Interview(Model):
    """How the interviews run."""

    duration_minutes: int = Field(45, ge=10, le=180, description="Length of one interview.")
    pause_minutes: int = Field(15, ge=0, le=120, description="Pause between two interviews.")
    location: Line | None = Field(None, description="Where the interviews take place.")
    slots: list[Slot] = Field(default_factory=list, description="The interview schedule.")
    criteria: list[CriterionOverride] | None = Field(
        None, description="Criteria for this case instead of the configured ones."
    )
    scale: ScaleOverride | None = Field(None, description="A scoring scale instead of the default.")


class Applicant(Model):
    """An applicant. Only the id ever appears in file names' first part and in the manifest."""

    id: ApplicantId = Field(description="Stable id, e.g. 'A07'.")
    name: Line = Field(description="Full name as the applicant wrote it.")
    email: Email | None = Field(None, description="E-mail address.")
    phone: Phone | None = Field(None, description="Phone number.")
    address: Address | None = Field(None, description="Postal address for the letter.")
    interviewed: YesNo = Field(False, description="Whether the applicant was interviewed.")
    outcome: Annotated[
        Literal["pending", "hired", "rejected", "withdrawn"], BeforeValidator(OUTCOME)
    ] = Field(
        "pending", description="'pending', 'hired', 'rejected' or 'withdrawn'."
    )
    consent_keep: YesNo = Field(
        False,
        description="Whether the applicant consented to the application being kept for "
        "future peer posts.",
    )
    went_well: Text | None = Field(
        None,
        description="What went well in the interview, written to the applicant in one or two "
        "sentences, e.g. 'Du fortalte levende om dit vendepunkt.' The letter and the phone "
        "guide use it. Never diagnoses or treatment history.",
    )
    reason: Text | None = Field(
        None,
        description="Why another applicant was chosen, written to this applicant in a "
        "sentence or two, e.g. 'Valget faldt på en ansøger med mere erfaring med "
        "gruppeforløb.' The interviewed letter and the phone guide use it.",
    )


class Case(Model):
    """A hiring case for one peer-support-worker position."""

    reference: str = Field(
        pattern=r"^[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå ./_:()#-]{0,59}$",
        description="The case reference (journal number) as the office writes it, e.g. "
        "'RM-2026-117' or '2026/0417 HR': letters, digits, spaces and . / _ : ( ) # -.",
        examples=["2026/0417 HR"],
    )
    dates: Dates = Field(description="Dates of the hiring process.")
    organisation: Organisation = Field(description="The employer.")
    position: Position = Field(description="The post.")
    panel: list[PanelMember] = Field(default_factory=list, description="The interview panel.")
    interview: Interview = Field(default_factory=Interview, description="How interviews run.")
    applicants: list[Applicant] = Field(default_factory=list, description="The applicants.")
    decision: Decision = Field(default_factory=Decision, description="The decision.")
    role_star: RoleStar = Field(default_factory=RoleStar, description="Role-star values.")
    readiness: Readiness = Field(default_factory=Readiness, description="Readiness answers.")
    retention: Retention = Field(
        default_factory=Retention, description="How long applications are kept."
    )
    job_start: JobStart = Field(
        default_factory=JobStart,
        description="The hired person's start: function description and introduction plan.",
    )
