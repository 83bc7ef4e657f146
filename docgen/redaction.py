"""Messages about a failed template, made from the template and never from the case.

A template error can quote a value: ``{{ table[applicant.notes] }}`` makes Jinja say
``'dict object' has no attribute '<the notes>'``, and a filter given the wrong value
says ``Invalid isoformat string: '<the value>'``. Hiding the *known* values is not
enough (a value with ``!`` appended, or one cut in half, slips through), so this
module works the other way round: a quoted word or a number in a Jinja message is kept
only when it is a name or number written in the template itself, and anything else is
replaced by ``…``. Syntax errors are raised while compiling, before any value exists,
and are shown whole. Exceptions that are not Jinja's own are reported by kind only, except docgen's
:class:`SafeMessageError`, whose messages are value-free by construction.

All three render paths (docxtpl, the compiled letters, the xlsx engine) use
:func:`template_message`.
"""

from __future__ import annotations

import re
from typing import Final

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

__all__ = ["SafeMessageError", "keep_template_words", "template_message"]

_QUOTED: Final = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_NUMBER: Final = re.compile(r"(?<![\w.])\d[\d_.]*")
# Jinja describes objects as 'dict object', 'str object' …: type names, never values.
_TYPE_WORDS: Final = re.compile(
    r"(dict|list|str|int|float|bool|tuple|NoneType|date|datetime|time|Decimal|Markup|"
    r"LoopContext|Namespace|Cycler|Joiner|LoopInfo|range|builtin_function_or_method|"
    r"function|method|type|Undefined|StrictUndefined) object"
)
# Jinja quotes names (variables, attributes, filters); a value is kept out even when it
# happens to look like one, unless the template itself writes that word.
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
REDACTED: Final = "…"


class SafeMessageError(ValueError):
    """An error whose message docgen wrote itself from names and limits, never values."""


def keep_template_words(message: str, source: str) -> str:
    """Replace every quoted text and number in ``message`` not written in ``source``."""

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        if _TYPE_WORDS.fullmatch(inner) or (_IDENTIFIER.fullmatch(inner) and _written(inner)):
            return match.group(0)
        return f"'{REDACTED}'"

    def number(match: re.Match[str]) -> str:
        return match.group(0) if _written(match.group(0)) else REDACTED

    def _written(word: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(word)}(?![\w])", source) is not None

    pieces = []
    last = 0
    for match in _QUOTED.finditer(message):
        pieces.append(_NUMBER.sub(number, message[last : match.start()]))
        pieces.append(quoted(match))
        last = match.end()
    pieces.append(_NUMBER.sub(number, message[last:]))
    return "".join(pieces)


def template_message(exc: BaseException, source: str) -> str:
    """What went wrong while rendering a template, in words that carry no case value.

    ``source`` is the template text that was rendering (a Word part after docxtpl's
    preparation, or one Excel cell's text).
    """
    if isinstance(exc, SafeMessageError):
        return str(exc)
    if isinstance(exc, TemplateSyntaxError):
        # Raised while compiling: its words come from the template, never from a case.
        return f"Jinja syntax error: {exc.message or ''}"
    if isinstance(exc, UndefinedError):
        return keep_template_words(exc.message or "an undefined name", source)
    if isinstance(exc, SecurityError):
        said = keep_template_words(exc.message or "", source)
        return f"the sandbox refused it: {said}" if said else "the sandbox refused it"
    if isinstance(exc, TemplateError):
        return keep_template_words(exc.message or type(exc).__name__, source)
    if isinstance(exc, RecursionError):
        return "the template recursed too deeply (a macro calling itself?)"
    if isinstance(exc, MemoryError):
        return "the template needed more memory than a build may use (limits.render_memory_mb)"
    if isinstance(exc, OverflowError):
        return "a number in the template grew too large"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    return f"{type(exc).__name__} in an expression or filter (a value of the wrong kind?)"
