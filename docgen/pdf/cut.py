"""Cut a combined PDF (a print file's) into the PDFs of the documents it joins.

The print file marks the first paragraph of each part with a bookmark (``_DocgenPart1``,
``_DocgenPart2`` …) and LibreOffice exports bookmarks as named destinations, so each
part's first page is read from the PDF, never guessed. PDFium copies the pages (fonts
and images with them) about ten times faster than pypdf; each cut PDF is then pinned
(creation date, ``/ID``) so the same inputs give the same bytes.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docgen.errors import ConversionError
from docgen.pdf.stable import pin_pdf

# LibreOffice writes "_" in a destination's name as "5F" (7.4) or "%5F".
_NAME = re.compile(r"^/?(?:_|5F|%5F)?DocgenPart(\d+)$")


def part_pages(source: Path, parts: int) -> list[range]:
    """The page range of each of ``parts`` parts in ``source``, from its named destinations.

    Raise ConversionError unless there is exactly one destination for each part, the
    first on the first page and each on a later page than the one before.
    """
    import pypdfium2  # noqa: PLC0415
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    found: dict[int, int] = {}
    try:
        doc = pypdfium2.PdfDocument(source)
    except Exception:  # a broken file raises PdfiumError or worse
        raise ConversionError("cannot read the print file's PDF") from None
    try:
        total = len(doc)
        for i in range(pdfium_c.FPDF_CountNamedDests(doc.raw)):
            size = ctypes.c_long(0)
            pdfium_c.FPDF_GetNamedDest(doc.raw, i, None, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(max(size.value, 2))
            dest = pdfium_c.FPDF_GetNamedDest(doc.raw, i, buffer, ctypes.byref(size))
            name = buffer.raw[: size.value].decode("utf-16-le", "replace").rstrip("\x00")
            m = _NAME.match(name)
            if m and dest:
                found[int(m[1])] = pdfium_c.FPDFDest_GetDestPageIndex(doc.raw, dest)
    finally:
        doc.close()
    starts = [found.get(n, -1) for n in range(1, parts + 1)]
    ends = [*starts[1:], total]
    if (len(found) != parts or not starts or starts[0] != 0
            or any(b <= a for a, b in zip(starts, ends, strict=True))):
        raise ConversionError("the print file's PDF does not mark where each document starts")
    return [range(a, b) for a, b in zip(starts, ends, strict=True)]


def cut_pdf(source: Path, pages: Sequence[range], targets: Sequence[Path], *,
            timestamp: datetime | None = None) -> None:
    """Write the pages ``pages[i]`` of ``source`` to ``targets[i]``, each pinned."""
    import pypdfium2  # noqa: PLC0415

    doc = pypdfium2.PdfDocument(source)
    try:
        for span, target in zip(pages, targets, strict=True):
            part = pypdfium2.PdfDocument.new()
            try:
                part.import_pages(doc, list(span))
                target.parent.mkdir(parents=True, exist_ok=True)
                part.save(target)
            finally:
                part.close()
            pin_pdf(target, timestamp)
    finally:
        doc.close()
