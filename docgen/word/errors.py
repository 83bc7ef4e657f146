"""The fast path's errors, and the checks that keep context values out of them.

:class:`docgen.word.compiled.CompiledTemplate` raises :class:`TemplateRenderError` (and its
:class:`UnsupportedFeatureError`); their messages name the template, the part and the
template's own text, never a value from the context: it may be health data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from docxtpl.inline_image import InlineImage
from jinja2.exceptions import TemplateError

from docgen.errors import RenderError
from docgen.jinja import NoneValueError

__all__ = [
    "TemplateRenderError",
    "UnsupportedFeatureError",
    "check_context",
    "near",
    "raised_by_docxtpl_objects",
    "redact",
    "render_failure",
    "template_lineno",
]

_TEMPLATE_FILENAME: Final = "<template>"
_NEAR_MAX: Final = 120
_DOCXTPL_OBJECT_MODULES: Final = frozenset({"inline_image.py", "subdoc.py"})


class TemplateRenderError(RenderError):
    """A template failed to compile or render.

    The message names the template, the part (``word/document.xml``) and the Jinja
    message, never a value from the context.
    """

    def __init__(
        self,
        template: str,
        part: str,
        reason: str,
        *,
        lineno: int | None = None,
        near: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = f"{template}: {part}"
        if lineno is not None:
            where += f": line {lineno}"
        message = f"{where}: {reason}"
        if near:
            message += f" (near: {near})"
        super().__init__(message, hint)
        self.template = template
        self.part = part
        self.reason = reason
        self.lineno = lineno
        self.near = near


class UnsupportedFeatureError(TemplateRenderError):
    """The template or context needs something the fast path does not support."""


def template_lineno(exc: BaseException) -> int | None:
    """Return the template line of a Jinja error (Jinja rewrites the traceback)."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    tb: TracebackType | None = exc.__traceback__
    found: int | None = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILENAME:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def raised_by_docxtpl_objects(exc: BaseException) -> bool:
    """Tell whether an InlineImage or Subdoc failed (they need a docxtpl package)."""
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name in _DOCXTPL_OBJECT_MODULES:
            return True
        tb = tb.tb_next
    return False


def near(source: str, lineno: int | None) -> str | None:
    """Return the template's own text on ``lineno`` (tags stripped), never a value."""
    if lineno is None:
        return None
    lines = source.splitlines()
    if not 1 <= lineno <= len(lines):
        return None
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
    if len(text) > _NEAR_MAX:
        text = text[: _NEAR_MAX - 1] + "…"
    return text or None


def _strings(value: object, depth: int = 0) -> Iterator[str]:
    """Every string value in a context (values of dicts, items of lists …; not keys)."""
    if depth > 50:  # noqa: PLR2004
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item, depth + 1)


def redact(message: str, context: Mapping[str, Any]) -> str:
    """Remove quoted context strings from a Jinja message.

    Jinja quotes the missing key of ``{{ table[applicant.name] }}`` in its message; the
    key may be a value from the case.
    """
    for text in sorted(set(_strings(context)), key=len, reverse=True):
        for quoted in (repr(text), f'"{text}"'):
            if quoted in message:
                message = message.replace(quoted, "'…'")
    return message


def check_context(value: object, template: str, depth: int = 0) -> None:
    """Refuse values the fast path cannot render (looks inside dicts, lists, tuples)."""
    if depth > 50:  # noqa: PLR2004
        return
    if isinstance(value, str | int | float | bool) or value is None:
        return
    if isinstance(value, Mapping):
        for item in value.values():
            check_context(item, template, depth + 1)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_context(item, template, depth + 1)
        return
    kind = type(value).__name__
    if isinstance(value, InlineImage) or kind == "Subdoc":
        raise UnsupportedFeatureError(
            template,
            "context",
            f"{kind} values are not supported by the fast path",
            hint="render this template with docxtpl.DocxTemplate instead",
        )


def render_failure(
    exc: Exception, template: str, part: str, source: str, context: Mapping[str, Any]
) -> TemplateRenderError:
    """Turn what rendering a part raised into an error that carries no context value.

    Jinja's own messages are redacted; a filter's or value's message may quote the value,
    so only its type is reported.
    """
    lineno = template_lineno(exc)
    if isinstance(exc, TemplateError):
        message = redact(exc.message or type(exc).__name__, context)
    elif isinstance(exc, NoneValueError):
        message = str(exc)
    elif raised_by_docxtpl_objects(exc):
        return UnsupportedFeatureError(
            template,
            part,
            "an InlineImage or Subdoc value is not supported by the fast path",
            lineno=lineno,
            hint="render this template with docxtpl.DocxTemplate instead",
        )
    else:
        message = f"{type(exc).__name__} while rendering"
    return TemplateRenderError(template, part, message, lineno=lineno, near=near(source, lineno))
