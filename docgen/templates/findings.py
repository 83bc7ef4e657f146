"""What the template linters pass around: a Jinja tag with its place, a finding at it,
and what a template of one document kind may use.

The Word and Excel linters cut a template into :class:`Tag` objects, the shared checks
(:mod:`docgen.templates.tags`, :mod:`docgen.templates.names`) return :class:`Finding`
objects, and :class:`Knowledge` says which names are in scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from docgen.templates.variables import Node

SMART_QUOTES = "“”„‟‘’‚‛«»‹›′″"
QUOTE_HINT = (
    "Word or Excel replaced a straight quote with a typographic one; retype the quotes "
    "inside the tag as \" or ' (turn off AutoCorrect's \"straight quotes with smart "
    "quotes\" while editing templates)"
)
OPENERS = {
    "for": "endfor", "if": "endif", "macro": "endmacro", "call": "endcall",
    "filter": "endfilter", "with": "endwith", "autoescape": "endautoescape",
    "block": "endblock", "raw": "endraw", "set": "endset",
}
JINJA_LOOP = frozenset({
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
    "depth0", "previtem", "nextitem", "changed", "cycle",
})
_KEYWORD = re.compile(r"^\{%[-+]?\s*([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Tag:
    """One Jinja tag as the template engine will see it."""

    source: str
    """The tag's Jinja source, e.g. ``{% for c in criteria %}`` (docxtpl prefixes removed)."""
    where: str
    """Where it sits (becomes ``Issue.field``), e.g. ``word/document.xml, paragraph 4``."""
    snippet: str
    """What the consultant wrote, for the message."""
    info: Any = None
    """Linter-specific data (Word: paragraph and table cell)."""
    order: int = 0
    """Position in reading order, for sorting problems as they appear."""

    @property
    def keyword(self) -> str | None:
        """The statement's first word (``for``, ``endif`` …); None for ``{{ }}``/``{# #}``."""
        found = _KEYWORD.match(self.source)
        return found.group(1) if found else None

    @property
    def opens(self) -> str | None:
        """The block this tag opens (``for`` …), if any."""
        word = self.keyword
        if word not in OPENERS:
            return None
        if word == "set" and _assigns(self.source):
            return None
        return word


def _assigns(source: str) -> bool:
    """``{% set x = 1 %}`` (a value) rather than ``{% set x %}…{% endset %}`` (a block)."""
    body = source[2:-2]
    return "=" in re.sub(r"(==|!=|<=|>=)", "", body)


@dataclass
class Finding:
    """A problem at one tag."""

    tag: Tag
    message: str


@dataclass
class Knowledge:
    """What a template of one document kind may use."""

    kind: str
    label: str
    """How messages name the template, e.g. ``a rejection-letter template (per applicant)``."""
    roots: Node
    others: dict[str, tuple[str, Node]]
    """Other kinds: kind → (description, name tree), for "exists only in …" messages."""
    env: Environment
    extra: dict[str, Node] = field(default_factory=dict)
    """Names in scope everywhere besides the context (e.g. a repeated sheet's item)."""


def shorten(text: str, limit: int = 70) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def syntax_message(exc: TemplateSyntaxError, *, word: bool) -> str:
    """Jinja's syntax message with a hint for the usual Word/Excel causes."""
    text = re.sub(r" at \d+$", "", exc.message or "")  # an offset in docgen's source, not theirs
    message = f"Jinja syntax error: {text or 'invalid syntax'}"
    if "unexpected char" in text and any(q in text for q in SMART_QUOTES):
        return f"{message}; {QUOTE_HINT}"
    unknown = re.search(r"unknown tag '(\w+)'", text)
    if unknown and unknown.group(1) in ("tr", "tc", "p", "r", "sheet"):
        if word:
            return (f"{message}; docxtpl did not recognise the {{%{unknown.group(1)} … %}} tag: "
                    "write exactly one ordinary space after it and keep '%' and '}' out of "
                    "the expression (compute it first with {% set … %})")
        return (f"{message}; a {{%{unknown.group(1)} … %}} marker must be the only text of a "
                "cell in column A")
    return message
