"""The Jinja environment and the Danish filters shared by Word and Excel templates.

Templates are written by consultants, so they are treated as untrusted code: they
render in an immutable sandbox that also counts what they make (:class:`BoundedEnvironment`,
see :mod:`docgen.limits` for why a worker process bounds the rest), an undefined name is
an error (never a silent blank), and ``None`` is refused instead of printing the word
"None" into a letter.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from docgen.limits import LimitError, Limits
from docgen.redaction import SafeMessageError

LOCALE = "da_DK"


class NoneValueError(SafeMessageError):
    """A template printed a value that is empty in the case (``None``)."""


def _finalize(value: Any) -> Any:
    if value is None:
        msg = "a template printed an empty value; guard it with {% if … %}"
        raise NoneValueError(msg)
    return value


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            # Python's message quotes the text, which may be anything from the case.
            msg = "a date filter was given text that is not a date written YYYY-MM-DD"
            raise SafeMessageError(msg) from None
    if not isinstance(value, dt.date):
        msg = f"a date filter was given a {type(value).__name__}, not a date"
        raise SafeMessageError(msg)
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


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox, counting what a template makes against :class:`Limits`.

    It refuses ``range`` beyond ``max_range``, ``*`` and ``+`` that would make a text or
    list beyond ``max_string``/``max_items``, ``**`` on numbers beyond a few thousand
    digits, filter arguments that ask for more than ``max_string`` of anything (``center``,
    ``indent``, ``slice``), a namespace holding a text beyond the limit, and more than
    ``max_output`` printed characters. The worker process bounds everything else.
    """

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, limits: Limits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.printed = 0
        self.globals.pop("lipsum", None)  # it makes text of any size; no template needs it
        self.globals["range"] = self._range
        self.globals["namespace"] = self._namespace

    def _range(self, *args: int) -> range:
        made = range(*args)
        if len(made) > self.limits.max_range:
            msg = f"range() of more than {self.limits.max_range:,} numbers (limits.max_range)"
            raise LimitError(msg)
        return made

    def _namespace(self, *args: Any, **kwargs: Any) -> Namespace:
        env = self

        class Bounded(Namespace):
            def __setitem__(self, name: str, value: Any) -> None:
                env.check_size(_size(value), isinstance(value, str))
                super().__setitem__(name, value)

        return Bounded(*args, **kwargs)

    def check_size(self, size: int, text: bool) -> None:
        """Refuse a text or list larger than the limits allow."""
        bound, what = (
            (self.limits.max_string, "text of more than {n:,} characters (limits.max_string)")
            if text
            else (self.limits.max_items, "a list of more than {n:,} items (limits.max_items)")
        )
        if size > bound:
            raise LimitError(what.format(n=bound))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse ``*``, ``+`` and ``**`` whose result would be too large, before making it."""
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int):
                    self.check_size(_size(seq) * max(times, 0), isinstance(seq, str))
        elif operator == "+" and _size(left) and _size(right):
            self.check_size(_size(left) + _size(right), isinstance(left, str))
        elif (
            operator == "**"
            and isinstance(left, int | float)
            and isinstance(right, int | float)
            and abs(left) > 1
            and right * math.log2(abs(left)) > _MAX_POWER_BITS
        ):
            msg = "a power too large to compute (more than about 10,000 digits)"
            raise LimitError(msg)
        return super().call_binop(context, operator, left, right)

    def count(self, value: Any) -> Any:
        """Count printed characters (the finalize step of every ``{{ … }}``)."""
        self.printed += len(value) if isinstance(value, str) else 16
        if self.printed > self.limits.max_output:
            msg = f"printed more than {self.limits.max_output:,} characters (limits.max_output)"
            raise LimitError(msg)
        return value


_MAX_POWER_BITS = 33_000


def _bounded_filter(env: BoundedEnvironment, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose arguments (not its value) may not ask for more than max_string."""

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1
        for arg in (*args[skip:], *kwargs.values()):
            too_big = isinstance(arg, int) and abs(arg) > env.limits.max_string
            if too_big and not isinstance(arg, bool):
                msg = f"a filter argument above {env.limits.max_string:,} (limits.max_string)"
                raise LimitError(msg)
        return func(*args, **kwargs)

    return bounded


def make_env(*, autoescape: bool, limits: Limits | None = None) -> BoundedEnvironment:
    """Return the sandboxed, bounded environment templates render in.

    Word templates need ``autoescape=True`` (their text is XML); Excel cells need
    ``False`` (their text is stored as-is). ``limits`` default to :class:`Limits`'s.
    """
    env = BoundedEnvironment(
        limits or Limits(),
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
    )
    env.finalize = lambda value: env.count(_finalize(value))
    env.filters.update(FILTERS)
    for name, func in list(env.filters.items()):
        env.filters[name] = _bounded_filter(env, func)
    return env


def is_undefined(value: object) -> bool:
    """Tell whether ``value`` is Jinja's undefined marker."""
    return isinstance(value, Undefined)
