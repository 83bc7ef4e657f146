"""The values of a case file as HR offices write them, each checked with a clear message.

Dates (a real date, ``YYYY-MM-DD``), times of day (``12``, ``12.00``, ``12:00``,
``kl. 12``), yes/no words, fixed choices with a "did you mean" (also for the Danish
words HR officers write), phone numbers and e-mail addresses. Every message says what
is wrong and how to write it, and never repeats the value: it may be personal data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import BeforeValidator, Field

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]+|\s+kl\.?\s*)(?P<time>\d{1,2}(?:[:.]\d{2}){0,2})$",
    re.IGNORECASE,
)
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]+|\s+[kK][lL]\.?\s*)\d{1,2}([:.]\d{2}){0,2}$"
"""``_DATETIME`` for the JSON Schema, which has no flags (so ``kl`` is spelt out)."""
_CLOCK = re.compile(r"^(?:kl\.?\s*)?(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?$", re.IGNORECASE)
_TRUE = {"true", "yes", "ja", "y", "on"}
_FALSE = {"false", "no", "nej", "n", "off"}


def _real_date(text: str) -> dt.date:
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        msg = "is not a real date: the month (the middle number) must be 01–12"
        raise ValueError(msg)
    try:
        return dt.date(year, month, day)
    except ValueError:
        msg = "is not a real date: that month does not have that many days"
        raise ValueError(msg) from None


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not _ISO_DATE.match(value.strip()):
        msg = "must be a date written YYYY-MM-DD, e.g. 2026-11-22"
        raise ValueError(msg)
    return _real_date(value.strip())


def _clock_parts(text: str) -> tuple[int, int]:
    m = _CLOCK.match(text.strip())
    if m is None:
        msg = "must be a time of day, e.g. 12.00, 12:00, 12 or kl. 12"
        raise ValueError(msg)
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    if hour > 23:
        msg = "is not a real time: the hour must be 0–23"
        raise ValueError(msg)
    if minute > 59:
        msg = "is not a real time: the minutes must be 00–59"
        raise ValueError(msg)
    return hour, minute


def _clock(value: Any) -> Any:
    """A time of day as HR offices write it (``12``, ``12.00``, ``12:00``, ``kl. 12``).

    Stored in the one Danish form, ``12.00``, so that templates print ``kl. 12.00``.
    """
    if not isinstance(value, str):
        return value
    hour, minute = _clock_parts(value)
    return f"{hour:02d}.{minute:02d}"


def _iso_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    m = _DATETIME.match(value.strip())
    if m is None:
        msg = "must be a date and time written YYYY-MM-DD HH:MM, e.g. 2026-10-12 09:00"
        raise ValueError(msg)
    day = _real_date(m["date"])
    time = m["time"].replace(":", ".").split(".")
    hour, minute = _clock_parts(".".join(time[:2]))
    second = int(time[2]) if len(time) > 2 else 0
    if second > 59:
        msg = "is not a real time: the seconds must be 00–59"
        raise ValueError(msg)
    return dt.datetime.combine(day, dt.time(hour, minute, second))


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        msg = "must be yes or no (true/false, ja/nej)"
        raise ValueError(msg)
    return value


class Choice:
    """A before-validator for a fixed set of words, with a "did you mean" when it misses.

    Surrounding spaces are ignored. A near miss (``rejcted``), another letter case, or a
    Danish word an HR officer would write (``afslag``, ``kommunal``) gets the right word
    suggested; the message lists the choices, never the value written. ``danish`` gives
    each choice a Danish description for editors (the JSON Schema's enum descriptions).
    """

    def __init__(
        self, danish: dict[str, str], words: dict[str, str], *, accept_words: bool = False
    ) -> None:
        self.values = tuple(danish)
        self.danish = danish
        self.words = {word.casefold(): value for word, value in words.items()}
        # Where the Danish words are unambiguous (working times: 'dag', 'aften'), they are
        # taken as written instead of suggested.
        self.accept_words = accept_words

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        word = value.strip()
        if word in self.values:
            return word
        if self.accept_words and " ".join(word.casefold().split()) in self.words:
            return self.words[" ".join(word.casefold().split())]
        quoted = [f"'{v}'" for v in self.values]
        options = f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        guess = self.suggest(word)
        hint = f"; did you mean '{guess}'?" if guess else ""
        msg = f"must be one of: {options}{hint}"
        raise ValueError(msg)

    def suggest(self, word: str) -> str | None:
        """The choice ``word`` most likely meant, if any."""
        folded = " ".join(word.casefold().split())
        if folded in self.words:
            return self.words[folded]
        for value in self.values:
            if value.casefold() == folded:
                return value
        close = difflib.get_close_matches(folded, [*self.values, *self.words], n=1, cutoff=0.75)
        if close:
            return self.words.get(close[0], close[0])
        return None


SECTOR = Choice(
    {
        "region": "Region (offentlig arbejdsgiver: afslag skal give hovedmomenter)",
        "kommune": "Kommune (offentlig arbejdsgiver: afslag skal give hovedmomenter)",
        "private": "Privat virksomhed",
        "ngo": "Forening, selvejende institution eller anden nonprofit-organisation "
        "(reglerne for private arbejdsgivere gælder)",
    },
    {"regional": "region", "regionen": "region", "kommunal": "kommune", "kommunen": "kommune",
     "privat": "private", "virksomhed": "private", "forening": "ngo", "selvejende": "ngo",
     "frivillig": "ngo", "nonprofit": "ngo"},
)
EMPLOYMENT_FORM = Choice(
    {
        "ordinary": "Ordinær ansættelse",
        "fleksjob": "Fleksjob (til en person med bevilget fleksjob)",
        "skaanejob": "Skånejob (job med løntilskud til en førtidspensionist)",
    },
    {"ordinær": "ordinary", "ordinaer": "ordinary", "almindelig": "ordinary",
     "ordinært": "ordinary", "flexjob": "fleksjob", "skånejob": "skaanejob"},
)
WORKING_TIME = Choice(
    {"day": "Dagtimer", "evening": "Aftener", "weekend": "Weekender"},
    {"dag": "day", "dagtimer": "day", "dagtid": "day", "aften": "evening",
     "aftener": "evening", "aftentimer": "evening", "weekender": "weekend", "weekends": "weekend"},
    accept_words=True,
)
PEER_EDUCATION = Choice(
    {
        "required": "Peer-uddannelse er et krav (sjældent en god idé)",
        "able-to-complete": "Ansøgeren skal kunne gennemføre en peer-uddannelse",
        "given-in-job": "Peer-uddannelsen gives som en del af jobbet",
        "not-required": "Peer-uddannelse er ikke et krav",
    },
    {"krav": "required", "påkrævet": "required", "kræves": "required",
     "ikke krav": "not-required", "ikke påkrævet": "not-required", "nej": "not-required",
     "gives i jobbet": "given-in-job", "i jobbet": "given-in-job"},
)
OUTCOME = Choice(
    {
        "pending": "Afventer afgørelse",
        "hired": "Ansat",
        "rejected": "Får afslag",
        "withdrawn": "Har trukket ansøgningen tilbage (får intet brev)",
    },
    {"afventer": "pending", "venter": "pending", "ansat": "hired", "ansættes": "hired",
     "ja": "hired", "afslag": "rejected", "afvist": "rejected", "nej": "rejected",
     "trukket": "withdrawn", "trukket tilbage": "withdrawn", "tilbagetrukket": "withdrawn",
     "trak sig": "withdrawn"},
)

_PHONE_START = re.compile(r"^(?P<number>\+?[0-9][0-9 ./-]*[0-9])(?P<rest>.*)$", re.DOTALL)
_PHONE_EXAMPLE = "e.g. '97 12 34 56' or '+45 97 12 34 56'"


def _phone(value: Any) -> Any:
    """A phone number as HR offices write it; a note may follow (``(hverdage 9-12)``).

    Checks what is truly wrong (a Danish number has eight digits, no leading 0; a
    foreign one has a country code and at most 15 digits) and keeps the text as written.
    Hand-written rather than ``phonenumbers``: the Danish plan is this simple, and a
    number followed by office hours would need splitting before such a library anyway.
    """
    if not isinstance(value, str):
        return value
    m = _PHONE_START.match(value.strip())
    if m is None:
        msg = f"must start with the phone number, {_PHONE_EXAMPLE} (a note may follow)"
        raise ValueError(msg)
    number = m["number"]
    digits = re.sub(r"\D", "", number)
    if number.startswith("+") or digits.startswith("00"):
        international = digits[2:] if not number.startswith("+") else digits
        if not international.startswith("45"):
            if not 7 <= len(international) <= 15:
                msg = "a foreign number has 7 to 15 digits with its country code"
                raise ValueError(msg)
            return value
        digits = international[2:]
    if len(digits) != 8:
        msg = f"has {len(digits)} digits; a Danish number has 8, {_PHONE_EXAMPLE}"
        raise ValueError(msg)
    if digits.startswith("0"):
        msg = f"a Danish number does not start with 0; write the 8 digits, {_PHONE_EXAMPLE}"
        raise ValueError(msg)
    return value


_LISTED = re.compile(r":\s*((?:'.'|[A-Z]+)(?:,\s*(?:'.'|[A-Z]+))*)\.?$")


def _email(value: Any) -> Any:
    """An e-mail address, checked by email-validator (form only: no network lookups)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.count("@") != 1:
        # Said in our words: email-validator's wording for this differs between versions.
        msg = (
            "is not a valid e-mail address: it needs one @ between the name and the "
            "domain; write it like navn@eksempel.dk"
        )
        raise ValueError(msg)
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as e:
        reason = str(e).rstrip(".")
        # email-validator names the offending characters ('@', SPACE): syntax, not
        # data. Anything longer than a character is cut, so no value is echoed.
        if ":" in reason and not _LISTED.search(reason):
            reason = reason.split(":", 1)[0]
        reason = reason[0].lower() + reason[1:]
        msg = f"is not a valid e-mail address: {reason}; write it like navn@eksempel.dk"
        raise ValueError(msg) from None
    return text


_POSTAL_CODE = re.compile(r"^(?:DK[- ]?)?([0-9]{4})$", re.IGNORECASE)
POSTAL_CODE_PATTERN = r"^([Dd][Kk][- ]?)?[0-9]{4}$"
ONE_LINE_ADDRESS = re.compile(
    r"^(?P<street>.+?)\s*[,\n]\s*(?:DK[- ]?)?(?P<postal_code>[0-9]{4})\s+"
    r"(?P<city>[^,\n0-9][^,\n]*)$",
    re.IGNORECASE,
)
"""An address on one line, as offices copy it: 'Vejnavn 1, 7500 By' (a 'DK-' allowed)."""


def _postal_code(value: Any) -> Any:
    if isinstance(value, str):
        found = _POSTAL_CODE.match(value.strip())
        if found is None:
            msg = "must be a four-digit Danish postal code, e.g. '7500' (or 'DK-7500')"
            raise ValueError(msg)
        return found[1]
    return value


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
DateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime)]
Clock = Annotated[str, BeforeValidator(_clock)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Line = Annotated[str, Field(min_length=1, max_length=200)]
Phone = Annotated[
    str, BeforeValidator(_phone), Field(max_length=200, examples=["+45 97 12 34 56"])
]
Email = Annotated[
    str, BeforeValidator(_email), Field(max_length=254, examples=["navn@eksempel.dk"])
]
PanelId = Annotated[str, Field(pattern=r"^P[0-9]{1,3}$", examples=["P1"])]
ApplicantId = Annotated[str, Field(pattern=r"^A[0-9]{2,3}$", examples=["A07"])]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$", examples=["recovery"])]
PostalCode = Annotated[str, BeforeValidator(_postal_code)]
