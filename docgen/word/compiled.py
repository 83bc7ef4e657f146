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

``render`` keeps no state between documents other than the reuse cache above and the
top-level values of the last context, whose check for unsupported values is not repeated
when the next context holds the very same objects; it may be called from several threads.

The parts' compilation and reuse keys live in :mod:`docgen.word.parts`, the errors
and the context checks in :mod:`docgen.word.errors`, the zip writing in
:mod:`docgen.word.package`.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NoReturn

from docx.opc.oxml import oxml_parser, serialize_part_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from docgen.word.errors import TemplateRenderError, UnsupportedFeatureError, render_failure
from docgen.word.errors import check_context as _check_context
from docgen.word.package import DEFAULT_COMPRESSLEVEL as DEFAULT_COMPRESSLEVEL
from docgen.word.package import ZIP_DATE_TIME as ZIP_DATE_TIME
from docgen.word.package import ZipEntry as _ZipEntry
from docgen.word.package import zip_bytes as _zip_bytes
from docgen.word.package import zip_entry as _zip_entry
from docgen.word.parts import MISSING as _MISSING
from docgen.word.parts import R_NS as _R_NS
from docgen.word.parts import STRICT_PARSER as _STRICT_PARSER
from docgen.word.parts import PartKind as PartKind
from docgen.word.parts import RenderedPart as _RenderedPart
from docgen.word.parts import Uncacheable as _Uncacheable
from docgen.word.parts import compile_part as _compile_part
from docgen.word.parts import fingerprint as _fingerprint
from docgen.word.parts import is_static as _is_static

__all__ = [
    "CompiledTemplate",
    "TemplateRenderError",
    "UnsupportedFeatureError",
    "WrittenFile",
]

MAX_TEMPLATE_BYTES: Final = 64 * 1024 * 1024
"""Refuse templates that inflate to more than this (a template is a small file)."""

_FOOTNOTES_CT: Final = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
_BODY_MARKER: Final = "DOCGEN-FASTDOCX-BODY-MARKER-5e1f0c9b"
_LISTING_CHARS: Final = re.compile("[\t\a\n\f]")
"""What ``DocxTemplate.resolve_listing`` rewrites; without them it returns its input."""


@dataclass(frozen=True)
class WrittenFile:
    """One document written by :meth:`CompiledTemplate.render_many`."""

    path: Path
    sha256: str
    size: int


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
        self._checked: dict[str, object] = {}  # the top-level values checked last time
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
            elif _is_static(self.env, part):
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
        parts[body_name] = _compile_part(
            self.env, self.name, body_name, "body", tpl, body_xml, "utf-8", main_part
        )

        kinds: tuple[tuple[str, PartKind], ...] = (
            (tpl.HEADER_URI, "header"),
            (tpl.FOOTER_URI, "footer"),
        )
        for uri, kind in kinds:
            for _rel_key, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                name = str(part.partname).lstrip("/")
                parts[name] = _compile_part(
                    self.env, self.name, name, kind, tpl, xml, encoding, part
                )

        for part in main_part.package.parts:
            if part.content_type == _FOOTNOTES_CT:
                blob = part.blob
                xml = blob.decode("utf-8") if isinstance(blob, bytes) else blob
                name = str(part.partname).lstrip("/")
                parts[name] = _compile_part(
                    self.env, self.name, name, "footnotes", tpl, xml, "utf-8", part
                )
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
        return _zip_bytes(self.render_entries(context))

    def render_entries(self, context: Mapping[str, Any]) -> list[_ZipEntry]:
        """Render one document into its compressed zip entries, in the template's order.

        Raises:
            TemplateRenderError: Jinja failed (undefined name, sandbox violation, a
                filter's error …) or the result is not well-formed XML.
            UnsupportedFeatureError: a value needs what the fast path lacks.
        """
        # A value that is the very object checked for the previous document (the case's
        # shared data in every letter) is not walked again; a value changed in place since
        # is still refused when it fails or adds a relationship (see the module notes).
        checked = self._checked
        for key, value in context.items():
            if checked.get(key, _MISSING) is not value:
                _check_context(value, self.name)
        self._checked = dict(context)
        return [
            e if isinstance(e, _ZipEntry) else self._rendered_entry(e, context)
            for e in self._entries
        ]

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
        except Exception as exc:
            raise render_failure(exc, self.name, part.name, part.env.source, context) from exc
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
