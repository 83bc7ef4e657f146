"""The parts of a template that docxtpl renders, each compiled once for the fast path.

:class:`docgen.word.compiled.CompiledTemplate` turns the body, each header and footer and the
footnotes into a :class:`RenderedPart` (:func:`compile_part`), and reuses a part's last
output when every top-level value it reads (:func:`names_read`) has the same
:func:`fingerprint` as last time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal, NoReturn

from docxtpl import DocxTemplate
from jinja2 import Environment, Template, nodes
from jinja2.exceptions import TemplateError, TemplateSyntaxError
from jinja2.utils import _PassArg
from lxml import etree
from markupsafe import Markup

from docgen.word.errors import TemplateRenderError, near

__all__ = [
    "MISSING",
    "R_NS",
    "STRICT_PARSER",
    "PartKind",
    "PrecompiledEnv",
    "RenderedPart",
    "Uncacheable",
    "compile_part",
    "fingerprint",
    "is_static",
    "names_read",
]

PartKind = Literal["body", "header", "footer", "footnotes"]

R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NONDETERMINISTIC: Final = frozenset({"random", "lipsum"})

STRICT_PARSER: Final = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, huge_tree=False
)


class PrecompiledEnv:
    """Hands one precompiled template to ``DocxTemplate.render_xml_part``.

    ``render_xml_part`` calls ``jinja_env.from_string(source)`` on the part's source
    after inserting its own newlines; this returns the template compiled at load time
    from exactly that source.
    """

    def __init__(self, source: str, template: Template) -> None:
        self.source = source
        """The source compiled: docxtpl's patched source with its newlines."""
        self._template = template

    def from_string(self, source: str) -> Template:
        if source != self.source:  # pragma: no cover - docxtpl changed its contract
            msg = "docxtpl passed a different source than the one compiled"
            raise RuntimeError(msg)
        return self._template


@dataclass(frozen=True)
class RenderedPart:
    """How to render one part that docxtpl renders."""

    name: str
    kind: PartKind
    source: str
    """docxtpl's patched source, as passed to ``render_xml_part``."""
    env: PrecompiledEnv
    encoding: str
    rel_ids: frozenset[str]
    uses: tuple[str, ...] | None
    """Every name the part reads, if its output depends only on them (else None)."""


# ---------------------------------------------------------------------------
# compiling a part


def compile_part(
    env: Environment,
    template: str,
    name: str,
    kind: PartKind,
    tpl: DocxTemplate,
    xml: str,
    encoding: str,
    part: Any,
) -> RenderedPart:
    """Patch a part's XML the docxtpl way and compile it once.

    ``template`` is the template's name in error messages.
    """
    patched: str = tpl.patch_xml(xml)
    # The exact source render_xml_part will ask its environment to compile.
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
    try:
        compiled = env.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateRenderError(
            template,
            name,
            f"template syntax error: {exc.message}",
            lineno=exc.lineno,
            near=near(source, exc.lineno),
        ) from exc
    except TemplateError as exc:
        raise TemplateRenderError(template, name, str(exc)) from exc
    return RenderedPart(
        name=name,
        kind=kind,
        source=patched,
        env=PrecompiledEnv(source, compiled),
        encoding=encoding,
        rel_ids=frozenset(part.rels.keys()) | _referenced_ids(template, name, xml),
        uses=names_read(env, env.parse(source)),
    )


def _referenced_ids(template: str, name: str, xml: str) -> frozenset[str]:
    """Relationship ids the template itself already refers to."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), STRICT_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        _fail(template, name, "the template part is not well-formed XML")
    return frozenset(str(v) for v in root.xpath("//@*[namespace-uri()=$ns]", ns=R_NS))


def _fail(template: str, part: str, reason: str) -> NoReturn:
    raise TemplateRenderError(template, part, reason)


def is_static(env: Environment, part: RenderedPart) -> bool:
    """Tell whether a part's output cannot depend on the context."""
    ast = env.parse(part.env.source)
    return all(
        isinstance(node, nodes.Output)
        and all(isinstance(child, nodes.TemplateData) for child in node.nodes)
        for node in ast.body
    )


# ---------------------------------------------------------------------------
# reusing a part's output when the values it reads are the same


class Uncacheable(Exception):  # noqa: N818 - internal signal, never escapes
    """A value whose rendering cannot be told apart by its fingerprint."""


MISSING: Final = object()
_EXACT_TYPES: Final = frozenset({str, Markup, int, bool, type(None), dt.date})


def fingerprint(value: object) -> object:
    """Return a key equal for two values only if they render the same.

    Only plain data is accepted (exact types, no subclasses, no objects whose attributes
    a template could read): ``1``/``True``/``1.0``, ``0.0``/``-0.0`` and
    ``Decimal("1.0")``/``Decimal("1.00")`` all get different keys.
    """
    kind = type(value)
    if kind in _EXACT_TYPES:
        return (kind, value)
    if kind is float or kind is Decimal:
        return (kind, repr(value))
    if kind is dt.datetime or kind is dt.time:
        if value.tzinfo is not None:  # type: ignore[attr-defined]
            raise Uncacheable
        return (kind, value)
    if kind is dict:
        return (kind, tuple((fingerprint(k), fingerprint(v)) for k, v in value.items()))  # type: ignore[attr-defined]
    if kind is list or kind is tuple:
        return (kind, tuple(fingerprint(v) for v in value))  # type: ignore[attr-defined]
    raise Uncacheable


def names_read(env: Environment, ast: nodes.Template) -> tuple[str, ...] | None:
    """Every top-level name a template may read, or None if its output may depend on more.

    A superset is fine (loop variables are included). Templates that include or import
    others, draw random values or call something that receives the whole context are
    never reused.
    """
    if any(ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    called: list[Any] = []
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        if node.name in _NONDETERMINISTIC:
            return None
        table = env.filters if isinstance(node, nodes.Filter) else env.tests
        called.append(table.get(node.name))
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}
    if names & _NONDETERMINISTIC:
        return None
    called.extend(env.globals.get(name) for name in names)
    if any(_PassArg.from_obj(f) is _PassArg.context for f in called if f is not None):
        return None
    return tuple(sorted(names))
