"""Building blocks for the shipped Word templates (used by tools/build_docx_templates.py).

The templates are ordinary .docx files that consultants edit in Word; this kit only
makes the first version reproducible. Body text is Calibri: LibreOffice renders it with
Carlito, its metric twin, so pages break the same way in Word and in the PDFs.
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Calibri"
ACCENT = RGBColor(0x1F, 0x4E, 0x5F)
MUTED = RGBColor(0x59, 0x59, 0x59)
BOX_FILL = "E8F1F2"


def new_document(top_mm: float = 18, bottom_mm: float = 18) -> DocumentObject:
    """An A4 document with house styles."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(top_mm), Mm(bottom_mm)
    section.header_distance = section.footer_distance = Mm(9)
    _ = WD_SECTION
    styles = doc.styles
    _danish(doc)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    pf = normal.paragraph_format
    pf.space_after = Pt(5)
    pf.line_spacing = 1.12
    for name, size in (("Title", 22), ("Heading 1", 13.5), ("Heading 2", 11.5)):
        st = styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = ACCENT
        st.font.italic = False
        rfonts = st.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(theme)) is not None:
                del rfonts.attrib[qn(theme)]
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _remove_border(title.element)
    bullet = styles["List Bullet"]
    bullet.font.name = FONT
    bullet.paragraph_format.space_after = Pt(2)
    return doc


def _danish(doc: DocumentObject) -> None:
    """Tag every run Danish (da-DK) by default, so Word and LibreOffice spell-check in Danish."""
    doc.core_properties.language = "da-DK"
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    lang.set(qn("w:eastAsia"), "da-DK")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def _remove_border(style_el: OxmlElement) -> None:
    ppr = style_el.find(qn("w:pPr"))
    if ppr is not None:
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)


def para(
    container: DocumentObject | _Cell, text: str = "", *, style: str | None = None,
    bold: bool = False, size: float | None = None, colour: RGBColor | None = None,
    align: str | None = None, after: float | None = None, before: float | None = None,
    italic: bool = False,
) -> Paragraph:
    """Add a paragraph whose text is one run (so Jinja tags are never split)."""
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    if align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    return p


def add_run(p: Paragraph, text: str, *, bold: bool = False, colour: RGBColor | None = None,
            size: float | None = None) -> None:
    """Append one run to a paragraph."""
    run = p.add_run(text)
    run.bold = bold or None
    if colour is not None:
        run.font.color.rgb = colour
    if size:
        run.font.size = Pt(size)


def shade(cell: _Cell, fill: str) -> None:
    """Give a table cell a background colour."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def cell_margins(table: Table, mm: float, *, sides_mm: float | None = None) -> None:
    """Inner padding of every cell in ``table`` (``sides_mm`` for left and right if given)."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        width = mm if sides_mm is None or side in ("top", "bottom") else sides_mm
        el.set(qn("w:w"), str(int(width * 56.7)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def no_borders(table: Table) -> None:
    """Remove every border of ``table``."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def bottom_rule(p: Paragraph, colour: str = "1F4E5F", size: int = 8) -> None:
    """A line under a paragraph (letterheads)."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), colour)
    bdr.append(bottom)
    ppr.append(bdr)


def field(p: Paragraph, instruction: str, result: str, *, size: float | None = None,
          colour: RGBColor | None = None, underline: bool = False) -> None:
    """Append a complex field (begin, instruction, separate, result, end) to ``p``.

    Every run carries the same format, so the shown result (a page number, a link) looks
    like the text around it in Word and in LibreOffice alike.
    """
    parts: list[tuple[str, str | None]] = [
        ("begin", None), ("instr", instruction), ("separate", None), ("text", result),
        ("end", None),
    ]
    for kind, text in parts:
        run = p.add_run()
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
        if underline:
            run.underline = True
        if kind == "text":
            run.text = text or ""
            continue
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def page_number_field(p: Paragraph) -> None:
    """Append a PAGE field to ``p`` in the footer's size and colour."""
    field(p, "PAGE", "1", size=8.5, colour=MUTED)


def link(p: Paragraph, target: str, text: str) -> None:
    """Append a link (a HYPERLINK field: it needs no relationship, so Jinja can fill it)."""
    field(p, f'HYPERLINK "{target}"', text, colour=ACCENT, underline=True)


def widths(table: Table, mms: list[float]) -> None:
    """Fixed column widths in millimetres (cells and grid: LibreOffice reads the grid)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for col, w in zip(table.columns, mms, strict=True):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, mms, strict=True):
            cell.width = Mm(w)
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def keep_together(table: Table) -> None:
    """Keep a table on one page: no row splits, every row kept with the next."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        trpr.append(cant)
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
