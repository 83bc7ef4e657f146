"""The Jinja environment and the Danish filters shared by Word and Excel templates.

Templates are written by consultants, so they are treated as untrusted code: they
render in an immutable sandbox, an undefined name is an error (never a silent blank),
and ``None`` is refused instead of printing the word "None" into a letter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

LOCALE = "da_DK"


class NoneValueError(ValueError):
    """A template printed a value that is empty in the case (``None``)."""


def _finalize(value: Any) -> Any:
    if value is None:
        msg = "a template printed an empty value; guard it with {% if … %}"
        raise NoneValueError(msg)
    return value


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


NBSP = "\u00a0"
"""A non-breaking space: dates and phone numbers never break across lines."""


def dato(value: dt.date | dt.datetime | str) -> str:
    """Long Danish date: ``22. november 2026`` (with non-breaking spaces)."""
    return format_date(_as_date(value), "d. MMMM y", locale=LOCALE).replace(" ", NBSP)


def datoer(values: Iterable[dt.date | dt.datetime | str]) -> str:
    """Several dates joined the Danish way: ``5. og 6. oktober 2026``.

    Days in the same month share the month's name, months in the same year share the year.
    """
    days = sorted({_as_date(v) if not isinstance(v, dt.datetime) else v.date() for v in values})
    groups: list[list[dt.date]] = []
    for day in days:
        if groups and (groups[-1][0].year, groups[-1][0].month) == (day.year, day.month):
            groups[-1].append(day)
        else:
            groups.append([day])
    parts = []
    for i, group in enumerate(groups):
        same_year_next = i + 1 < len(groups) and groups[i + 1][0].year == group[0].year
        pattern = "MMMM" if same_year_next else "MMMM y"
        month = format_date(group[0], pattern, locale=LOCALE).replace(" ", NBSP)
        numbers = [f"{d.day}." for d in group]
        numbers[-1] = f"{numbers[-1]}{NBSP}{month}"
        parts.extend(numbers)
    return opremsning(parts)


_BETWEEN_DIGITS = re.compile(r"(?<=[0-9+]) (?=[0-9])")


def ubrudt(value: str) -> str:
    """Non-breaking spaces between the digit groups of a number: ``+45 97 12 34 56``.

    Words around the number (``(hverdage 9-12)``) may still wrap.
    """
    return _BETWEEN_DIGITS.sub(NBSP, value)


_NUMBER_WORDS = ("nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
                 "elleve", "tolv")


def talord(value: int) -> str:
    """A small whole number in words as Danish prose writes it (``2`` -> ``to``), else digits."""
    if isinstance(value, int) and 0 <= value < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[value]
    return tal(value)


def punktum(value: str) -> str:
    """The text with a full stop at the end unless it already ends a sentence."""
    text = value.rstrip()
    return text if not text or text[-1] in ".!?:" else text + "."


def dato_kort(value: dt.date | dt.datetime | str) -> str:
    """Short Danish date: ``22.11.2026``."""
    return format_date(_as_date(value), "dd.MM.y", locale=LOCALE)


def ugedag(value: dt.date | dt.datetime | str) -> str:
    """Danish weekday in lower case: ``søndag``."""
    return format_date(_as_date(value), "EEEE", locale=LOCALE)


def tid(value: dt.time | dt.datetime) -> str:
    """Danish clock time: ``09.30``."""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "HH.mm", locale=LOCALE)
    return format_time(value, "HH.mm", locale=LOCALE)


def tal(value: float | int | Decimal, decimals: int | None = None) -> str:
    """Danish number: ``1.234,5``; ``decimals`` fixes the number of decimals."""
    if decimals is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def beloeb(value: float | int | Decimal) -> str:
    """Danish amount in kroner: ``12.345,00 kr.``."""
    return format_currency(value, "DKK", locale=LOCALE)


def opremsning(values: Iterable[Any], conjunction: str = "og") -> str:
    """Danish list: ``a, b og c`` (``conjunction="eller"`` gives ``a, b eller c``)."""
    items = [str(v) for v in values]
    if conjunction == "og":
        return format_list(items, locale=LOCALE)
    if len(items) < 2:  # noqa: PLR2004
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def stort(value: str) -> str:
    """First letter upper case, the rest untouched (``capitalize`` would lower the rest)."""
    return value[:1].upper() + value[1:]


FILTERS: dict[str, Callable[..., Any]] = {
    "dato": dato,
    "datoer": datoer,
    "dato_kort": dato_kort,
    "ugedag": ugedag,
    "tid": tid,
    "tal": tal,
    "beloeb": beloeb,
    "opremsning": opremsning,
    "stort": stort,
    "talord": talord,
    "ubrudt": ubrudt,
    "punktum": punktum,
}
"""Every filter docgen adds, by name; both template kinds get exactly these."""


def make_env(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    """Return the sandboxed environment templates render in.

    Word templates need ``autoescape=True`` (their text is XML); Excel cells need
    ``False`` (their text is stored as-is).
    """
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def is_undefined(value: object) -> bool:
    """Tell whether ``value`` is Jinja's undefined marker."""
    return isinstance(value, Undefined)
