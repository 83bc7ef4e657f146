"""Join rendered Word documents into one print file, each starting on a new page.

Letters of one run come from the same templates, so their styles, numbering and
headers are the same: the print file takes every part but the body once, from the first
letter, and streams each letter's body into one compressed ``document.xml``, so memory
does not grow with the number of letters. Each letter ends its own section (page numbers
restart at 1) and its first paragraph carries a hidden bookmark (``_DocgenPart1``,
``_DocgenPart2`` …; Word hides bookmarks that start with ``_``): LibreOffice exports them
as named destinations, which is how each letter's pages are found in the print file's
PDF. When the parts differ (an organisation's letter templates with different styles) or
a body refers to other parts (images, links), docxcompose does the careful merge instead,
without bookmarks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen.word.package import DEFAULT_COMPRESSLEVEL, ZipEntry, zip_bytes, zip_entry

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHARED = ("word/styles.xml", "word/numbering.xml", "word/settings.xml")
_BODY = "word/document.xml"
MARK = "_DocgenPart"
"""Bookmark names at the start of each part: ``_DocgenPart1`` for the first, and so on."""
_MARK_ID = 1_000_000  # far above the ids Word and docxtpl give bookmarks
_MARKER = "DOCGEN-PRINT-FILE-MARKER"


@dataclass(frozen=True)
class PrintFile:
    """A print file's bytes; ``marked``: each part starts with its ``MARK`` bookmark."""

    data: bytes
    marked: bool


def _restart_numbering(sect: etree._Element) -> etree._Element:
    """A copy of the section's properties whose page numbers start at 1."""
    copy = deepcopy(sect)
    for old in copy.findall(f"{{{W}}}pgNumType"):
        copy.remove(old)
    number = etree.Element(f"{{{W}}}pgNumType", {f"{{{W}}}start": "1"})
    # Schema order: pgNumType comes after the page size, margins and borders.
    after = [copy.find(f"{{{W}}}{tag}") for tag in ("pgBorders", "pgMar", "pgSz")]
    anchor = next((el for el in after if el is not None), None)
    if anchor is not None:
        anchor.addnext(number)
    else:
        copy.insert(0, number)
    return copy


def _section_break(sect: etree._Element) -> etree._Element:
    """An empty paragraph that ends a letter's section: the next letter starts a new page
    and its page numbers start again at 1, as if it were printed on its own."""
    p = etree.Element(f"{{{W}}}p")
    ppr = etree.SubElement(p, f"{{{W}}}pPr")
    ppr.append(_restart_numbering(sect))
    return p


class _Layout:
    """What every letter's ``document.xml`` shares with the first one, as bytes."""

    def __init__(self, xml: bytes) -> None:
        root = etree.fromstring(xml)
        body = root.find(f"{{{W}}}body")
        if body is None or len(body) == 0 or body[-1].tag != f"{{{W}}}sectPr":
            raise _Careful
        w = body.prefix
        r = next((p for p, uri in root.nsmap.items() if uri == R), None)
        if w is None or r is None or root.nsmap.get(w) != W:
            raise _Careful
        self.open_tag = xml[: xml.index(b">", xml.index(b"<" + w.encode() + b":document")) + 1]
        self.body_open = re.compile(rb"<" + w.encode() + rb":body(?:\s[^>]*)?>")
        self.sect_open = b"<" + w.encode() + b":sectPr"
        self.paragraph = re.compile(rb"<" + w.encode() + rb":p(?=[\s>/])[^>]*?(/?)>")
        self.ppr = re.compile(rb"<" + w.encode() + rb":pPr(?:\s[^>]*)?(?:/>|>.*?</"
                              + w.encode() + rb":pPr>)", re.S)
        self.refers = re.compile(rb"\s" + r.encode() + rb":[A-Za-z]+\s*=")
        self.w: bytes = w.encode()
        self.uri_r = R.encode()
        sect = body[-1]
        shell = deepcopy(root)
        shell_body = shell.find(f"{{{W}}}body")
        assert shell_body is not None
        for child in list(shell_body):
            shell_body.remove(child)
        shell_body.append(_section_break(sect))
        shell_body.append(_restart_numbering(sect))
        etree.SubElement(shell_body, f"{{{W}}}{_MARKER}")
        text = etree.tostring(shell, xml_declaration=True, encoding="UTF-8", standalone=True)
        head, found, tail = text.partition(b"<" + self.w + b":" + _MARKER.encode() + b"/>")
        if not found:
            raise _Careful
        head_open = self.body_open.search(head)
        if head_open is None:
            raise _Careful
        self.prefix = head[: head_open.end()]
        inner = head[head_open.end():]
        cut = inner.index(b"</" + self.w + b":p>") + len(self.w) + 5
        self.section_break, self.last_sect = inner[:cut], inner[cut:]
        self.suffix = tail

    def content(self, xml: bytes) -> bytes:
        """The body's content without its section properties; raise _Careful if unusual."""
        if not xml.startswith(self.open_tag):
            raise _Careful  # other namespaces or prefixes than the first letter's
        found = self.body_open.search(xml, len(self.open_tag))
        end = xml.rfind(self.sect_open)
        if found is None or end < found.end():
            raise _Careful
        content = xml[found.end():end]
        if self.uri_r in content or self.refers.search(content):
            raise _Careful  # refers to parts (images, links) this file may not have
        if not xml[end:].rstrip().endswith(b"</" + self.w + b":body></" + self.w + b":document>"):
            raise _Careful
        return content

    def marked(self, content: bytes, n: int) -> bytes:
        """The content with a hidden bookmark at the start of its first paragraph."""
        w = self.w
        mark = (b'<' + w + b':bookmarkStart ' + w + b':id="%d" ' + w + b':name="%s%d"/><'
                + w + b':bookmarkEnd ' + w + b':id="%d"/>') % (
                    _MARK_ID + n, MARK.encode(), n, _MARK_ID + n)
        found = self.paragraph.search(content)
        if found is None:
            raise _Careful
        if found[1]:  # an empty paragraph: <w:p/>
            tag: bytes = found[0]
            return (content[: found.start()] + tag[:-2] + b">" + mark + b"</" + w + b":p>"
                    + content[found.end():])
        at = found.end()
        ppr = self.ppr.match(content, at)
        if ppr is not None:
            at = ppr.end()
        return content[:at] + mark + content[at:]


class _Careful(Exception):
    """The quick join does not apply: use docxcompose."""


class _Deflate:
    """One zip entry compressed as it is written."""

    def __init__(self) -> None:
        self._z = zlib.compressobj(DEFAULT_COMPRESSLEVEL, zlib.DEFLATED, -15)
        self._out: list[bytes] = []
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._out.append(self._z.compress(data))

    def entry(self, name: str) -> ZipEntry:
        self._out.append(self._z.flush())
        return ZipEntry(name.encode("ascii"), 0, self.crc, b"".join(self._out), self.size)


Signature = dict[str, tuple[int, int]]
"""The CRC-32 and size of a document's styles, numbering and settings."""
Reader = Callable[[Path], tuple[bytes, Signature]]
"""Gives a document's ``word/document.xml`` and its :data:`Signature`."""


def read_part(path: Path) -> tuple[bytes, Signature]:
    """A document's body and signature, read from its file."""
    with zipfile.ZipFile(path) as z:
        # The zip's own checksums say whether styles and numbering are the same,
        # without inflating them for every letter.
        same = {m: (z.getinfo(m).CRC, z.getinfo(m).file_size)
                for m in _SHARED if m in z.NameToInfo}
        return z.read(_BODY), same


def signature(entries: Iterable[ZipEntry]) -> Signature:
    """The :data:`Signature` of a document given as zip entries (a rendered letter)."""
    return {e.name.decode(): (e.crc, e.size) for e in entries if e.name.decode() in _SHARED}


def _stream(paths: Sequence[Path], read: Reader) -> bytes:
    with zipfile.ZipFile(paths[0]) as z:
        names = z.namelist()
        first = {n: z.read(n) for n in names if n != _BODY}
    layout: _Layout | None = None
    shared: Signature = {}
    out = _Deflate()
    for n, path in enumerate(paths, start=1):
        xml, same = read(path)
        if layout is None:
            layout, shared = _Layout(xml), same
            out.write(layout.prefix)
        else:
            if same != shared:
                raise _Careful
            out.write(layout.section_break)
        out.write(layout.marked(layout.content(xml), n))
    assert layout is not None
    out.write(layout.last_sect)
    out.write(layout.suffix)
    entries = [out.entry(_BODY) if name == _BODY
               else zip_entry(name, first[name], DEFAULT_COMPRESSLEVEL) for name in names]
    return zip_bytes(entries)


def _compose(paths: Sequence[Path]) -> bytes:
    from docx import Document  # noqa: PLC0415
    from docx.enum.text import WD_BREAK  # noqa: PLC0415
    from docxcompose.composer import Composer  # noqa: PLC0415

    master = Document(str(paths[0]))
    composer = Composer(master)
    for path in paths[1:]:
        last = master.paragraphs[-1] if master.paragraphs else master.add_paragraph()
        last.add_run().add_break(WD_BREAK.PAGE)
        composer.append(Document(str(path)))
    buf = io.BytesIO()
    composer.save(buf)
    return buf.getvalue()


def combine_docx(paths: Sequence[Path], read: Reader = read_part) -> PrintFile:
    """One .docx holding every document of ``paths`` in order, each on its own pages.

    ``read`` gives each document's body and signature; by default from its file, and a
    caller that still holds them (the build, for the letters it rendered) passes its own.
    The quick join writes deterministic zip entries itself (fixed times, fixed order);
    the careful one (``marked`` False) should be normalised by the caller.
    """
    if not paths:
        raise ValueError("combine_docx needs at least one document")
    try:
        return PrintFile(_stream(paths, read), marked=True)
    except _Careful:
        return PrintFile(_compose(paths), marked=False)
