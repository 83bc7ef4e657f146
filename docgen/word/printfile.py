"""Join rendered Word documents into one print file, each starting on a new page.

Letters of one run come from the same templates, so their styles, numbering and
headers are the same: their bodies can simply be joined, which is fast. When the parts
differ (an organisation's letter templates with different styles) or a body refers to
other parts (images, links), docxcompose does the careful merge instead.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHARED = ("word/styles.xml", "word/numbering.xml", "word/settings.xml")
_BODY = "word/document.xml"


def _read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _refers_to_parts(body: etree._Element) -> bool:
    """Whether body content (not the section's header/footer references) uses relationships."""
    return any(
        attr.startswith(f"{{{R}}}")
        for child in body
        if child.tag != f"{{{W}}}sectPr"
        for el in child.iter()
        for attr in el.attrib
    )


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


def _join_bodies(packages: list[dict[str, bytes]]) -> bytes | None:
    master = packages[0]
    if any(p.get(n) != master.get(n) for p in packages[1:] for n in _SHARED):
        return None
    root = etree.fromstring(master[_BODY])
    body = root.find(f"{{{W}}}body")
    assert body is not None
    sect = body.find(f"{{{W}}}sectPr")
    if sect is None:
        return None
    for package in packages[1:]:
        other = etree.fromstring(package[_BODY]).find(f"{{{W}}}body")
        assert other is not None
        if _refers_to_parts(other):
            return None
        items = [_section_break(sect), *(c for c in other if c.tag != f"{{{W}}}sectPr")]
        for item in items:
            sect.addprevious(item)
    body.replace(sect, _restart_numbering(sect))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in master.items():
            z.writestr(
                name,
                etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                if name == _BODY
                else data,
            )
    return out.getvalue()


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


def combine_docx(paths: Sequence[Path]) -> bytes:
    """One .docx holding every document of ``paths`` in order, a page break between them."""
    packages = [_read(p) for p in paths]
    first = etree.fromstring(packages[0][_BODY]).find(f"{{{W}}}body")
    if first is None or _refers_to_parts(first):
        return _compose(paths)
    joined = _join_bodies(packages)
    return joined if joined is not None else _compose(paths)
