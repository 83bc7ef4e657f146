"""Cut a combined PDF (a print file's) into the PDFs of the documents it joins.

The print file marks the first paragraph of each part with a bookmark (``_DocgenPart1``,
``_DocgenPart2`` …) and LibreOffice exports bookmarks as named destinations, so each
part's first page is read from the PDF, never guessed. Each cut PDF is written
deterministically: fixed metadata, ``/CreationDate`` from the given time and an ``/ID``
derived from the source's bytes and the page range.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docgen.errors import ConversionError

_NAME = re.compile(r"^/?(?:_|5F|%5F)?DocgenPart(\d+)$")


def part_pages(source: Path, parts: int) -> list[range]:
    """The page range of each of ``parts`` parts in ``source``, from its named destinations.

    Raise ConversionError unless there is exactly one destination for each part, the
    first on the first page and each on a later page than the one before.
    """
    from pypdf import PdfReader  # noqa: PLC0415

    try:
        reader = PdfReader(source)
        total = len(reader.pages)
        found: dict[int, int] = {}
        for name, dest in reader.named_destinations.items():
            m = _NAME.match(str(name))
            page = reader.get_destination_page_number(dest) if m else None
            if m and page is not None:
                found[int(m[1])] = page
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise ConversionError(f"cannot read the print file's PDF: {type(exc).__name__}") from None
    starts = [found.get(n, -1) for n in range(1, parts + 1)]
    ends = [*starts[1:], total]
    if (len(found) != parts or not starts or starts[0] != 0
            or any(b <= a for a, b in zip(starts, ends, strict=True))):
        raise ConversionError("the print file's PDF does not mark where each document starts")
    return [range(a, b) for a, b in zip(starts, ends, strict=True)]


def cut_pdf(source: Path, pages: Sequence[range], targets: Sequence[Path], *,
            timestamp: datetime | None = None) -> None:
    """Write the pages ``pages[i]`` of ``source`` to ``targets[i]``, each deterministically."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415
    from pypdf.generic import ArrayObject, ByteStringObject  # noqa: PLC0415

    from docgen._version import __version__  # noqa: PLC0415

    seed = hashlib.sha256(source.read_bytes()).digest()
    reader = PdfReader(source)
    meta = {"/Producer": f"docgen {__version__}"}
    if timestamp is not None:
        meta["/CreationDate"] = "D:" + timestamp.astimezone(UTC).strftime("%Y%m%d%H%M%S") + "Z"
    for span, target in zip(pages, targets, strict=True):
        writer = PdfWriter()
        for i in span:
            writer.add_page(reader.pages[i])
        writer.metadata = meta
        file_id = ByteStringObject(
            hashlib.sha256(seed + f"{span.start}-{span.stop}".encode()).digest()[:16])
        writer._ID = ArrayObject([file_id, file_id])  # else none, or a random one
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            writer.write(f)
