"""Render many documents from one docxtpl template, fast.

The plain docxtpl loop (``DocxTemplate(path)``, ``render(ctx, jinja_env)``, ``save``)
re-reads the zip, re-patches and re-parses the XML and recompiles Jinja for every
letter. :class:`CompiledTemplate` does the per-template work once:

* it loads the .docx once with docxtpl/python-docx and runs docxtpl's own
  preprocessing (``get_xml``/``get_part_xml`` + ``patch_xml``) on every part docxtpl
  renders: the document body, the headers and footers related from the main part,
  and the footnotes part;
* it compiles each part's Jinja source once with the given environment;
* it keeps every other zip entry as pre-compressed bytes (parts without any Jinja are
  rendered once and cached the same way).

Per document it then runs docxtpl's own post-processing on the compiled template's
output: ``DocxTemplate.render_xml_part`` (newline/``\\a``/``\\t``/``\\f`` handling in
``resolve_listing``, the ``{_{`` escapes), ``fix_tables`` and ``fix_docpr_ids`` for
the body, python-docx's parser and serializer for headers and footers. Only the Jinja
compilation is shared: the compiled template is handed to ``render_xml_part`` through
a small environment stand-in whose ``from_string`` returns it, so docxtpl's code runs
unchanged. For the letters' template the rendered ``document.xml``, headers and
footers are byte-identical to docxtpl's.

Two shortcuts keep that cheap, both exact: ``resolve_listing`` is skipped when the
rendered XML has none of the four characters it rewrites, and a part's last output is
reused when every top-level value it reads is the same plain data as last time
(``organisation``, ``kontakt`` in a letterhead; compared by exact type and value, so
``1``/``True``/``1.0`` differ; objects, random values and context-reading filters
are never reused).

Differences from ``DocxTemplate.render`` + ``save``, all deliberate:

* ``docProps`` are never rendered (docxtpl renders title, author, subject, … with
  the context; docgen keeps applicant data out of document metadata). Every entry that
  is not rendered is copied byte for byte from the template, instead of being
  re-serialized by python-docx.
* the footnotes part is rendered once (docxtpl renders it once per section).
* every rendered part is parsed with a non-recovering XML parser, so a broken result
  raises :class:`TemplateRenderError` instead of being silently "recovered"; every
  relationship id (``r:id``, ``r:embed`` …) in a rendered part must exist.
* the zip is written deterministically: entries in the template's order, fixed
  timestamps (1980-01-01 00:00:00), deflate at a fixed level; same inputs, same bytes.
* errors name the template and the part and never carry context values.

Supported: everything docxtpl does with the template's own XML: ``{{ }}``, ``{% %}``,
``{%p %}``, ``{%tr %}``, ``{%tc %}``, ``{%r %}``, ``{#p #}`` comments, ``colspan``,
``cellbg``, ``vm``/``hm``, ``{_{`` escapes, ``Listing`` and ``RichText`` /
``RichTextParagraph`` values without hyperlinks, images already in the template
(body, header, footer; they are left untouched).

Not supported, raising :class:`UnsupportedFeatureError` (there is no silent fallback;
render such a template with ``docxtpl.DocxTemplate``): ``InlineImage`` and ``Subdoc``
values (they add parts and relationships at render time; refused before rendering
when found in the context's dicts and lists, otherwise when they fail or when the
result refers to a relationship the template lacks), ``RichText`` hyperlinks
(``build_url_id``), and the media-replacement API (``replace_pic``/``replace_media``/
``replace_embedded``/``replace_zipname``), which this class does not offer.

``render`` keeps no state between documents other than the reuse cache above, so it may
be called from several threads.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, NoReturn

from docx.opc.oxml import oxml_parser, serialize_part_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from docxtpl.inline_image import InlineImage
from jinja2 import Environment, Template, nodes
from jinja2.exceptions import TemplateError, TemplateSyntaxError
from jinja2.utils import _PassArg
from lxml import etree
from markupsafe import Markup

from docgen.errors import RenderError
from docgen.filters import NoneValueError

__all__ = [
    "CompiledTemplate",
    "TemplateRenderError",
    "UnsupportedFeatureError",
    "WrittenFile",
]

PartKind = Literal["body", "header", "footer", "footnotes"]

ZIP_DATE_TIME: Final = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every entry in a rendered document."""

DEFAULT_COMPRESSLEVEL: Final = 6
MAX_TEMPLATE_BYTES: Final = 64 * 1024 * 1024
"""Refuse templates that inflate to more than this (a template is a small file)."""

_FOOTNOTES_CT: Final = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
_R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BODY_MARKER: Final = "DOCGEN-FASTDOCX-BODY-MARKER-5e1f0c9b"
_TEMPLATE_FILENAME: Final = "<template>"
_NEAR_MAX: Final = 120
_LISTING_CHARS: Final = re.compile("[\t\a\n\f]")
"""What ``DocxTemplate.resolve_listing`` rewrites; without them it returns its input."""
_DOCXTPL_OBJECT_MODULES: Final = frozenset({"inline_image.py", "subdoc.py"})
_NONDETERMINISTIC: Final = frozenset({"random", "lipsum"})

_STRICT_PARSER: Final = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, huge_tree=False
)


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


@dataclass(frozen=True)
class WrittenFile:
    """One document written by :meth:`CompiledTemplate.render_many`."""

    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class _ZipEntry:
    """A zip entry's compressed data and the fields its headers need."""

    name: bytes
    flags: int
    crc: int
    compressed: bytes
    size: int


class _PrecompiledEnv:
    """Hands one precompiled template to ``DocxTemplate.render_xml_part``.

    ``render_xml_part`` calls ``jinja_env.from_string(source)`` on the part's source
    after inserting its own newlines; this returns the template compiled at load time
    from exactly that source.
    """

    def __init__(self, source: str, template: Template) -> None:
        self._source = source
        self._template = template

    def from_string(self, source: str) -> Template:
        if source != self._source:  # pragma: no cover - docxtpl changed its contract
            msg = "docxtpl passed a different source than the one compiled"
            raise RuntimeError(msg)
        return self._template


@dataclass(frozen=True)
class _RenderedPart:
    """How to render one part that docxtpl renders."""

    name: str
    kind: PartKind
    source: str
    """docxtpl's patched source, as passed to ``render_xml_part``."""
    env: _PrecompiledEnv
    encoding: str
    rel_ids: frozenset[str]
    uses: tuple[str, ...] | None
    """Every name the part reads, if its output depends only on them (else None)."""


# ---------------------------------------------------------------------------
# zip writing


def _dos_date_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    return dos_date, dos_time


_DOS_DATE, _DOS_TIME = _dos_date_time(ZIP_DATE_TIME)
_ZIP_VERSION: Final = 20
_ZIP_MADE_BY: Final = (3 << 8) | _ZIP_VERSION  # unix, so the attributes mean the same everywhere
_ZIP_EXTERNAL_ATTR: Final = (0o100600 & 0xFFFF) << 16
_ZIP_UTF8_FLAG: Final = 0x800
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_ZIP32_MAX: Final = 0xFFFFFFFF


def _zip_entry(name: str, data: bytes, compresslevel: int) -> _ZipEntry:
    try:
        encoded = name.encode("ascii")
        flags = 0
    except UnicodeEncodeError:
        encoded = name.encode("utf-8")
        flags = _ZIP_UTF8_FLAG
    compressor = zlib.compressobj(compresslevel, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return _ZipEntry(encoded, flags, zlib.crc32(data), compressed, len(data))


def _zip_bytes(entries: Sequence[_ZipEntry]) -> bytes:
    """Write a zip (deflate, fixed times, no extras) from pre-compressed entries."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        header = _LOCAL.pack(
            0x04034B50,
            _ZIP_VERSION,
            e.flags,
            zipfile.ZIP_DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            e.crc,
            len(e.compressed),
            e.size,
            len(e.name),
            0,
        )
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                _ZIP_MADE_BY,
                _ZIP_VERSION,
                e.flags,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                e.crc,
                len(e.compressed),
                e.size,
                len(e.name),
                0,
                0,
                0,
                0,
                _ZIP_EXTERNAL_ATTR,
                offset,
            )
            + e.name
        )
        out += (header, e.name, e.compressed)
        offset += len(header) + len(e.name) + len(e.compressed)
    directory = b"".join(central)
    if offset + len(directory) > _ZIP32_MAX or len(entries) > 0xFFFF:
        msg = "document too large for a zip without zip64"
        raise ValueError(msg)
    out.append(directory)
    out.append(_END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0))
    return b"".join(out)


# ---------------------------------------------------------------------------
# errors


def _template_lineno(exc: BaseException) -> int | None:
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


def _raised_by_docxtpl_objects(exc: BaseException) -> bool:
    """Tell whether an InlineImage or Subdoc failed (they need a docxtpl package)."""
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name in _DOCXTPL_OBJECT_MODULES:
            return True
        tb = tb.tb_next
    return False


def _near(source: str, lineno: int | None) -> str | None:
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


def _redact(message: str, context: Mapping[str, Any]) -> str:
    """Remove quoted context strings from a Jinja message.

    Jinja quotes the missing key of ``{{ table[applicant.name] }}`` in its message; the
    key may be a value from the case.
    """
    for text in sorted(set(_strings(context)), key=len, reverse=True):
        for quoted in (repr(text), f'"{text}"'):
            if quoted in message:
                message = message.replace(quoted, "'…'")
    return message


def _check_context(value: object, template: str, depth: int = 0) -> None:
    """Refuse values the fast path cannot render (looks inside dicts, lists, tuples)."""
    if depth > 50:  # noqa: PLR2004
        return
    if isinstance(value, str | int | float | bool) or value is None:
        return
    if isinstance(value, Mapping):
        for item in value.values():
            _check_context(item, template, depth + 1)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_context(item, template, depth + 1)
        return
    kind = type(value).__name__
    if isinstance(value, InlineImage) or kind == "Subdoc":
        raise UnsupportedFeatureError(
            template,
            "context",
            f"{kind} values are not supported by the fast path",
            hint="render this template with docxtpl.DocxTemplate instead",
        )


# ---------------------------------------------------------------------------
# reusing a part's output when the values it reads are the same


class _Uncacheable(Exception):  # noqa: N818 - internal signal, never escapes
    """A value whose rendering cannot be told apart by its fingerprint."""


_MISSING: Final = object()
_EXACT_TYPES: Final = frozenset({str, Markup, int, bool, type(None), dt.date})


def _fingerprint(value: object) -> object:
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
            raise _Uncacheable
        return (kind, value)
    if kind is dict:
        return (kind, tuple((_fingerprint(k), _fingerprint(v)) for k, v in value.items()))  # type: ignore[attr-defined]
    if kind is list or kind is tuple:
        return (kind, tuple(_fingerprint(v) for v in value))  # type: ignore[attr-defined]
    raise _Uncacheable


def _names_read(env: Environment, ast: nodes.Template) -> tuple[str, ...] | None:
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


# ---------------------------------------------------------------------------
# the compiled template


class CompiledTemplate:
    """A docxtpl template loaded and compiled once, rendered many times.

    Args:
        path: the .docx template.
        env: the Jinja environment (docgen uses ``make_env(autoescape=True)``).
        name: the template's name in error messages (default: the file name).
        compresslevel: deflate level of every entry (fixed, so output is reproducible).

    Raises:
        TemplateRenderError: the template cannot be read, or a part does not compile
            (a Jinja syntax error), or a part without Jinja does not render.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        env: Environment,
        *,
        name: str | None = None,
        compresslevel: int = DEFAULT_COMPRESSLEVEL,
    ) -> None:
        self.path = Path(path)
        self.name = name or self.path.name
        self.env = env
        self.compresslevel = compresslevel
        self._entries: list[_ZipEntry | _RenderedPart] = []
        self._last: dict[str, tuple[object, _ZipEntry]] = {}
        self._body_prefix = b""
        self._body_open = b""
        self._body_src_open = b""
        self._body_suffix = b""
        self._load()

    # -- loading ------------------------------------------------------------

    def _load(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as zf:
                infos = zf.infolist()
                names = [i.filename for i in infos]
                if len(set(names)) != len(names):
                    self._fail("[zip]", "the template has duplicate zip entries")
                if sum(i.file_size for i in infos) > MAX_TEMPLATE_BYTES:
                    self._fail("[zip]", "the template is too large")
                raw = {i.filename: zf.read(i) for i in infos}
            tpl = DocxTemplate(self.path)
            tpl.init_docx()
        except TemplateRenderError:
            raise
        except Exception as exc:  # python-docx raises many kinds for a broken package
            self._fail("[file]", f"cannot read the template as a .docx ({type(exc).__name__})")

        rendered = self._collect_parts(tpl)
        for info_name in names:
            part = rendered.get(info_name)
            if part is None:
                self._entries.append(_zip_entry(info_name, raw[info_name], self.compresslevel))
            elif self._is_static(part):
                data = self._render_part(part, {})
                self._entries.append(_zip_entry(info_name, data, self.compresslevel))
            else:
                self._entries.append(part)

    def _collect_parts(self, tpl: DocxTemplate) -> dict[str, _RenderedPart]:
        """Run docxtpl's preprocessing on each part it renders, and compile it."""
        doc = tpl.docx
        main_part = doc.part
        parts: dict[str, _RenderedPart] = {}

        body_xml = tpl.get_xml()
        self._split_document(doc.element, body_xml)
        body_name = str(main_part.partname).lstrip("/")
        parts[body_name] = self._compile(body_name, "body", tpl, body_xml, "utf-8", main_part)

        kinds: tuple[tuple[str, PartKind], ...] = (
            (tpl.HEADER_URI, "header"),
            (tpl.FOOTER_URI, "footer"),
        )
        for uri, kind in kinds:
            for _rel_key, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                name = str(part.partname).lstrip("/")
                parts[name] = self._compile(name, kind, tpl, xml, encoding, part)

        for part in main_part.package.parts:
            if part.content_type == _FOOTNOTES_CT:
                blob = part.blob
                xml = blob.decode("utf-8") if isinstance(blob, bytes) else blob
                name = str(part.partname).lstrip("/")
                parts[name] = self._compile(name, "footnotes", tpl, xml, "utf-8", part)
        return parts

    def _split_document(self, root: etree._Element, body_xml: str) -> None:
        """Cut python-docx's serialization of ``document.xml`` around the body."""
        shell = copy.deepcopy(root)
        body = shell.find(qn("w:body"))
        if body is None:
            self._fail("word/document.xml", "the document has no body")
        for child in list(body):
            body.remove(child)
        body.text = _BODY_MARKER
        xml = serialize_part_xml(shell)
        marker = _BODY_MARKER.encode("ascii")
        if xml.count(marker) != 1:
            self._fail("word/document.xml", "unexpected document structure")
        before, after = xml.split(marker)
        cut = before.rindex(b"<")
        self._body_prefix, self._body_open = before[:cut], before[cut:]
        self._body_suffix = after[after.index(b">") + 1 :]
        src = etree.tostring(etree.fromstring(body_xml, _STRICT_PARSER), encoding="UTF-8")
        self._body_src_open = src[: src.index(b">") + 1]

    def _compile(
        self,
        name: str,
        kind: PartKind,
        tpl: DocxTemplate,
        xml: str,
        encoding: str,
        part: Any,
    ) -> _RenderedPart:
        """Patch a part's XML the docxtpl way and compile it once."""
        patched: str = tpl.patch_xml(xml)
        # The exact source render_xml_part will ask its environment to compile.
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
        try:
            template = self.env.from_string(source)
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                self.name,
                name,
                f"template syntax error: {exc.message}",
                lineno=exc.lineno,
                near=_near(source, exc.lineno),
            ) from exc
        except TemplateError as exc:
            raise TemplateRenderError(self.name, name, str(exc)) from exc
        return _RenderedPart(
            name=name,
            kind=kind,
            source=patched,
            env=_PrecompiledEnv(source, template),
            encoding=encoding,
            rel_ids=frozenset(part.rels.keys()) | self._referenced_ids(name, xml),
            uses=_names_read(self.env, self.env.parse(source)),
        )

    def _referenced_ids(self, name: str, xml: str) -> frozenset[str]:
        """Relationship ids the template itself already refers to."""
        try:
            root = etree.fromstring(xml.encode("utf-8"), _STRICT_PARSER)
        except (etree.XMLSyntaxError, ValueError):
            self._fail(name, "the template part is not well-formed XML")
        return frozenset(str(v) for v in root.xpath("//@*[namespace-uri()=$ns]", ns=_R_NS))

    def _is_static(self, part: _RenderedPart) -> bool:
        """Tell whether a part's output cannot depend on the context."""
        ast = self.env.parse(part.env._source)
        return all(
            isinstance(node, nodes.Output)
            and all(isinstance(child, nodes.TemplateData) for child in node.nodes)
            for node in ast.body
        )

    def _fail(self, part: str, reason: str) -> NoReturn:
        raise TemplateRenderError(self.name, part, reason)

    # -- rendering ------------------------------------------------------------

    @property
    def rendered_parts(self) -> tuple[str, ...]:
        """The zip entries rendered per document (the others are cached)."""
        return tuple(e.name for e in self._entries if isinstance(e, _RenderedPart))

    def render(self, context: Mapping[str, Any]) -> bytes:
        """Render one document and return the complete .docx.

        Raises:
            TemplateRenderError: Jinja failed (undefined name, sandbox violation, a
                filter's error …) or the result is not well-formed XML.
            UnsupportedFeatureError: a value needs what the fast path lacks.
        """
        _check_context(context, self.name)
        entries = [
            e if isinstance(e, _ZipEntry) else self._rendered_entry(e, context)
            for e in self._entries
        ]
        return _zip_bytes(entries)

    def _rendered_entry(self, part: _RenderedPart, context: Mapping[str, Any]) -> _ZipEntry:
        """Render a part, or reuse its last output when it reads the same values."""
        key: object = None
        if part.uses is not None:
            try:
                key = tuple(
                    _fingerprint(context[n]) if n in context else _MISSING for n in part.uses
                )
            except _Uncacheable:
                key = None
            else:
                last = self._last.get(part.name)
                if last is not None and last[0] == key:
                    return last[1]
        entry = _zip_entry(part.name, self._render_part(part, context), self.compresslevel)
        if key is not None:
            self._last[part.name] = (key, entry)
        return entry

    def render_to(
        self, context: Mapping[str, Any], path: str | os.PathLike[str], *, exclusive: bool = True
    ) -> WrittenFile:
        """Render one document into ``path`` (mode 0600; ``exclusive`` refuses to overwrite)."""
        data = self.render(context)
        target = Path(path)
        flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
        flags |= getattr(os, "O_BINARY", 0)
        fd = os.open(target, flags, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return WrittenFile(target, hashlib.sha256(data).hexdigest(), len(data))

    def iter_render_many(
        self,
        items: Iterable[tuple[Mapping[str, Any], str | os.PathLike[str]]],
        *,
        exclusive: bool = True,
    ) -> Iterator[WrittenFile]:
        """Render and write each ``(context, path)`` in turn, yielding as it goes.

        Only one document is in memory at a time.
        """
        for context, path in items:
            yield self.render_to(context, path, exclusive=exclusive)

    def render_many(
        self,
        items: Iterable[tuple[Mapping[str, Any], str | os.PathLike[str]]],
        *,
        exclusive: bool = True,
        progress: Callable[[WrittenFile], None] | None = None,
    ) -> list[WrittenFile]:
        """Render and write every ``(context, path)``; return what was written."""
        written: list[WrittenFile] = []
        for result in self.iter_render_many(items, exclusive=exclusive):
            written.append(result)
            if progress is not None:
                progress(result)
        return written

    def _render_part(self, part: _RenderedPart, context: Mapping[str, Any]) -> bytes:
        helper = DocxTemplate(self.path)  # cheap: reads nothing; holds render state
        helper.docx_ids_index = 1000
        # docxtpl's own resolve_listing, skipped where it provably returns its input.
        listing = helper.resolve_listing
        helper.resolve_listing = lambda xml: listing(xml) if _LISTING_CHARS.search(xml) else xml
        try:
            xml: str = helper.render_xml_part(part.source, None, context, part.env)
        except TemplateRenderError:
            raise
        except TemplateError as exc:
            lineno = _template_lineno(exc)
            raise TemplateRenderError(
                self.name,
                part.name,
                _redact(exc.message or type(exc).__name__, context),
                lineno=lineno,
                near=_near(part.env._source, lineno),
            ) from exc
        except NoneValueError as exc:
            lineno = _template_lineno(exc)
            raise TemplateRenderError(
                self.name,
                part.name,
                str(exc),
                lineno=lineno,
                near=_near(part.env._source, lineno),
            ) from exc
        except Exception as exc:
            # A filter or value failed; its message may quote the value, so only the
            # type is reported.
            lineno = _template_lineno(exc)
            if _raised_by_docxtpl_objects(exc):
                raise UnsupportedFeatureError(
                    self.name,
                    part.name,
                    "an InlineImage or Subdoc value is not supported by the fast path",
                    lineno=lineno,
                    hint="render this template with docxtpl.DocxTemplate instead",
                ) from exc
            raise TemplateRenderError(
                self.name,
                part.name,
                f"{type(exc).__name__} while rendering",
                lineno=lineno,
                near=_near(part.env._source, lineno),
            ) from exc
        if part.kind == "body":
            return self._finish_body(helper, part, xml)
        data = xml.encode(part.encoding)
        if part.kind == "footnotes":  # docxtpl stores the rendered text as it is
            self._check_rels(part, self._parse(part, data, _STRICT_PARSER))
            return data
        # docxtpl stores headers and footers as python-docx parts: python-docx's
        # (non-recovering) parser, then its serializer.
        tree = self._parse(part, data, oxml_parser)
        self._check_rels(part, tree)
        return serialize_part_xml(tree)

    def _finish_body(self, helper: DocxTemplate, part: _RenderedPart, xml: str) -> bytes:
        # fix_tables parses with recover=True, which would hide a broken result
        self._parse(part, xml.encode("utf-8"), _STRICT_PARSER)
        tree = helper.fix_tables(xml)
        helper.fix_docpr_ids(tree)
        self._check_rels(part, tree)
        body: bytes = etree.tostring(tree, encoding="UTF-8")
        if body.startswith(self._body_src_open):
            body = self._body_open + body[len(self._body_src_open) :]
        return self._body_prefix + body + self._body_suffix

    def _parse(self, part: _RenderedPart, data: bytes, parser: etree.XMLParser) -> etree._Element:
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise TemplateRenderError(
                self.name,
                part.name,
                "the rendered part is not well-formed XML "
                f"({type(exc).__name__} at line {exc.lineno}, column {exc.offset})",
                hint="a tag may cut through a paragraph or table; check the template "
                "with docgen templates check",
            ) from None

    def _check_rels(self, part: _RenderedPart, tree: etree._Element) -> None:
        for rid in tree.xpath("//@*[namespace-uri()=$ns]", ns=_R_NS):
            if rid not in part.rel_ids:
                raise UnsupportedFeatureError(
                    self.name,
                    part.name,
                    "the rendered part refers to a relationship the template does not "
                    "have (RichText hyperlinks, Subdoc and InlineImage are not supported "
                    "by the fast path)",
                    hint="render this template with docxtpl.DocxTemplate instead",
                )
