"""The fast path's errors, and the checks that keep context values out of them.

:class:`docgen.word.compiled.CompiledTemplate` raises :class:`TemplateRenderError` (and its
:class:`UnsupportedFeatureError`); their messages name the template, the part and the
template's own text, never a value from the context: it may be health data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Final

from docxtpl.inline_image import InlineImage
from jinja2.exceptions import TemplateError

from docgen.errors import RenderError
from docgen.redaction import template_message

__all__ = [
    "TemplateRenderError",
    "UnsupportedFeatureError",
    "check_context",
    "near",
    "raised_by_docxtpl_objects",
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


def render_failure(exc: Exception, template: str, part: str, source: str) -> TemplateRenderError:
    """Turn what rendering a part raised into an error that carries no context value.

    The message keeps only words written in the template (:mod:`docgen.redaction`);
    the context is not consulted, so a value changed on its way into a message (cut,
    or with text appended) cannot slip through either.
    """
    lineno = template_lineno(exc)
    if not isinstance(exc, TemplateError) and raised_by_docxtpl_objects(exc):
        return UnsupportedFeatureError(
            template,
            part,
            "an InlineImage or Subdoc value is not supported by the fast path",
            lineno=lineno,
            hint="render this template with docxtpl.DocxTemplate instead",
        )
    message = template_message(exc, source)
    return TemplateRenderError(template, part, message, lineno=lineno, near=near(source, lineno))
