"""Open a workbook somebody sent back: bounded, read-only, formulas as written.

Returned scoresheets come by e-mail from people outside docgen's control, so a file is
measured before openpyxl sees it:

1. the first bytes say what it is: an old ``.xls`` or an encrypted workbook (both OLE2
   compound files) or not a zip at all is refused with a message naming the kind;
2. the file size, the number of zip entries and, while every entry is inflated in chunks,
   the bytes actually produced (not the sizes the zip headers claim) are capped, overall
   and per entry against its compressed size (a zip bomb stops after at most one chunk
   past the cap);
3. every worksheet is scanned with defusedxml (no DTDs, no entities): the cells that are
   really there are counted and capped, and the area they span is what is read later, so
   a forged ``<dimension>`` or one cell at ``XFD1048576`` cannot make a read loop;
4. openpyxl then opens the inflated copy in read-only mode with ``data_only=False``:
   a formula comes back as its text, never as a cached result.

The caller gets the workbook and the extent (rows, columns) to pass to
``meta.layout_checksum`` and ``meta.read_metadata``. The file itself is only read.
This lives in the Excel wing because it is about workbooks, not about scores.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string
from openpyxl.workbook.workbook import Workbook

__all__ = ["Limits", "Opened", "UntrustedFileError", "check_deadline", "open_untrusted"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_CHUNK = 64 * 1024
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class UntrustedFileError(Exception):
    """The file is refused; the message says why without quoting its content."""


@dataclass(frozen=True)
class Limits:
    """Caps for one returned workbook (a real scoresheet needs a small part of each)."""

    file_bytes: int = 10 * 1024 * 1024
    entries: int = 500
    inflated_bytes: int = 40 * 1024 * 1024
    ratio: int = 100
    """Most inflated bytes per compressed byte, for an entry over ``ratio_from`` bytes."""
    ratio_from: int = 1024 * 1024
    sheets: int = 200
    cells: int = 200_000
    """Cells present in all worksheets together."""
    seconds: float = 30.0
    """Wall-clock time for unpacking and measuring (checked as it goes)."""
    area: int = 2_000_000
    """Rows times columns spanned, summed over the worksheets, and the sheets times the
    largest extent (every sheet is read within it): what the reads may visit."""


@dataclass
class Opened:
    """A workbook opened read-only from an inflated, checked copy of the file."""

    workbook: Workbook
    extent: tuple[int, int]
    """The largest row and column any worksheet uses: the area every read is bounded to."""
    deadline: float
    """``time.monotonic()`` after which a caller's own reading should stop too."""


def check_deadline(deadline: float, seconds: float) -> None:
    """Raise UntrustedFileError once ``deadline`` (from ``time.monotonic``) has passed."""
    if time.monotonic() > deadline:
        msg = f"took longer than {seconds:g} seconds to read; refusing it"
        raise UntrustedFileError(msg)


def open_untrusted(path: Path, limits: Limits | None = None) -> Opened:
    """Open ``path`` as a workbook within ``limits``; raise UntrustedFileError if refused."""
    limits = limits or Limits()
    deadline = time.monotonic() + limits.seconds
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        msg = "defusedxml is not installed, so returned workbooks cannot be read safely"
        raise UntrustedFileError(msg)
    raw = _read_capped(path, limits.file_bytes)
    _sniff(raw)
    parts = _inflate(raw, limits, deadline)
    extent = _measure(parts, limits, deadline)
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    del parts
    try:
        wb = load_workbook(stored, read_only=True, data_only=False, keep_links=False,
                           rich_text=False)
    except (DefusedXmlException, KeyError, ValueError, TypeError, IndexError,
            zipfile.BadZipFile, SyntaxError) as e:
        msg = f"cannot be read as a workbook ({type(e).__name__}); it may be damaged"
        raise UntrustedFileError(msg) from None
    if len(wb.sheetnames) > limits.sheets:
        msg = f"has more than {limits.sheets} sheets; refusing to read it"
        raise UntrustedFileError(msg)
    return Opened(wb, extent, deadline)


def _read_capped(path: Path, cap: int) -> bytes:
    try:
        with path.open("rb") as fh:
            raw = fh.read(cap + 1)
    except OSError as e:
        msg = f"cannot be read ({e.strerror or type(e).__name__})"
        raise UntrustedFileError(msg) from None
    if len(raw) > cap:
        msg = f"is larger than {cap // (1024 * 1024)} MB; a scoresheet is far smaller"
        raise UntrustedFileError(msg)
    return raw


def _sniff(raw: bytes) -> None:
    if raw.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in raw:
            msg = ("is encrypted (saved with a password); open it, remove the password "
                   "and save it again as .xlsx")
        else:
            msg = ("is an old Excel 97-2003 workbook (.xls); open it and save it as an "
                   "Excel workbook (.xlsx)")
        raise UntrustedFileError(msg)
    if not raw.startswith(_ZIP):
        msg = "is not an Excel workbook (.xlsx)"
        raise UntrustedFileError(msg)


def _inflate(raw: bytes, limits: Limits, deadline: float) -> dict[str, bytes]:
    """Every entry inflated, counting the bytes really produced."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        msg = "is not an Excel workbook (.xlsx): the zip container is damaged"
        raise UntrustedFileError(msg) from None
    infos = archive.infolist()
    if len(infos) > limits.entries:
        msg = f"has more than {limits.entries} parts; refusing to read it"
        raise UntrustedFileError(msg)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        msg = "is not an Excel workbook (.xlsx): it has no workbook part"
        raise UntrustedFileError(msg)
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            msg = "is encrypted; remove the password and save it again as .xlsx"
            raise UntrustedFileError(msg)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            msg = "uses a zip compression Excel does not write; refusing to read it"
            raise UntrustedFileError(msg)
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    _check_growth(size, total, info.compress_size, limits)
                    check_deadline(deadline, limits.seconds)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            msg = "is damaged (a part of the zip cannot be unpacked)"
            raise UntrustedFileError(msg) from None
        parts[info.filename] = b"".join(chunks)
    return parts


def _check_growth(size: int, total: int, compressed: int, limits: Limits) -> None:
    if total > limits.inflated_bytes:
        msg = (f"unpacks to more than {limits.inflated_bytes // (1024 * 1024)} MB "
               "(a zip bomb?); refusing to read it")
        raise UntrustedFileError(msg)
    if size > limits.ratio_from and size > limits.ratio * max(compressed, 1):
        msg = (f"has a part that unpacks to over {limits.ratio} times its packed size "
               "(a zip bomb?); refusing to read it")
        raise UntrustedFileError(msg)


def _measure(parts: dict[str, bytes], limits: Limits, deadline: float) -> tuple[int, int]:
    """Count the cells really present and the extent they span, per worksheet."""
    cells = 0
    area = 0
    sheets = 0
    extent = (0, 0)
    for name, data in parts.items():
        if not _SHEET_PART.match(name):
            continue
        sheets += 1
        if sheets > limits.sheets:
            msg = f"has more than {limits.sheets} sheets; refusing to read it"
            raise UntrustedFileError(msg)
        check_deadline(deadline, limits.seconds)
        n, rows, cols = _scan_sheet(data, limits.cells - cells)
        cells += n
        area += rows * cols
        if area > limits.area:
            msg = ("has cells far outside a scoresheet's area (a row or column was "
                   "filled far away); refusing to read it")
            raise UntrustedFileError(msg)
        extent = (max(extent[0], rows), max(extent[1], cols))
    # Every sheet is read within the one extent, so that is what the reads may visit.
    if sheets * extent[0] * extent[1] > limits.area:
        msg = ("has cells far outside a scoresheet's area (a row or column was "
               "filled far away); refusing to read it")
        raise UntrustedFileError(msg)
    return extent


def _scan_sheet(data: bytes, budget: int) -> tuple[int, int, int]:
    cells = max_row = max_col = 0
    row = col = 0
    try:
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end"),
                                     forbid_dtd=True):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "row" and event == "start":
                row = _row_number(elem.get("r"), row)
                col = 0
                max_row = max(max_row, row)
            elif tag == "c" and event == "end":
                cells += 1
                if cells > budget:
                    msg = "has too many filled cells for a scoresheet; refusing to read it"
                    raise UntrustedFileError(msg)
                row, col = _cell_position(elem.get("r"), row, col)
                max_row, max_col = max(max_row, row), max(max_col, col)
                elem.clear()
            elif tag == "row" and event == "end":
                elem.clear()
    except (DefusedXmlException, SyntaxError, ValueError):
        msg = "has a worksheet that is not well-formed (or uses forbidden XML features)"
        raise UntrustedFileError(msg) from None
    return cells, max_row, max_col


def _row_number(text: Any, previous: int) -> int:
    if text is None:
        return previous + 1
    if not str(text).isdigit():
        msg = "has a worksheet with a malformed row number"
        raise UntrustedFileError(msg)
    return int(text)


def _cell_position(text: Any, row: int, col: int) -> tuple[int, int]:
    """The cell's row and column; cells without ``r`` follow the previous one, as in Excel."""
    if text is None:
        return max(row, 1), col + 1
    found = _CELL_REF.match(str(text))
    if found is None:
        msg = "has a worksheet with a malformed cell reference"
        raise UntrustedFileError(msg)
    return int(found.group(2)), column_index_from_string(found.group(1))
