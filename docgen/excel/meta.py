"""Hidden metadata, layout checksum, template inspection and byte-stable output.

Used by ``docgen.excel.fill`` when writing and by ``collect`` when reading back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.packaging.core import DocumentProperties
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.functions import tostring

from docgen.excel.cells import set_text

META_SHEET = "_docgen"
"""Title of the very hidden key/value sheet written into rendered workbooks."""
CHECKSUM_KEY = "layout_checksum"
"""Metadata key holding :func:`layout_checksum` of the rendered workbook."""
NAME_PREFIX = "docgen_"
"""Defined names starting with this are listed in the metadata as ``name:<sheet>:<name>``."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_PART_WARNINGS: tuple[tuple[str, bytes | None, str], ...] = (
    (r"^xl/drawings/[^/]+\.xml$", rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s>]",
     "shapes, text boxes or arrows are dropped; use cells or an image instead"),
    (r"^xl/drawings/[^/]+\.xml$", rb"AlternateContent",
     "form controls or embedded objects are dropped; use data validation lists instead"),
    (r"^xl/drawings/[^/]+\.xml$", rb"drawingml/2006/diagram",
     "SmartArt is dropped; use cells or an image instead"),
    (r"^xl/ctrlProps/", None, "form controls are dropped; use data validation lists instead"),
    (r"^xl/worksheets/[^/]+\.xml$", rb"x14:dataValidation",
     "extension-list data validations (e.g. lists from another sheet) are dropped; "
     "use a list of values or a defined name"),
    (r"^xl/worksheets/[^/]+\.xml$", rb"x14:conditionalFormatting",
     "extension-list conditional formats (e.g. some data bars and icon sets) are dropped"),
    (r"^xl/worksheets/[^/]+\.xml$", rb"x14:sparklineGroup", "sparklines are dropped"),
    (r"^xl/charts/chart", None,
     "charts kept in the template lose their formatting and do not follow the rows; "
     "declare them in the _docgen_spec sheet instead"),
    (r"^xl/vbaProject\.bin$", None, "macros are dropped"),
    (r"^xl/(?:pivotTables|slicers|timelines|threadedComments)/", None,
     "pivot tables, slicers, timelines or threaded comments are dropped"),
)


def inspect_template(data: bytes) -> list[str]:
    """List what openpyxl would drop or damage in a template (one warning per part)."""
    found: list[str] = []
    with ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            content: bytes | None = None
            for pattern, marker, message in _PART_WARNINGS:
                if not re.match(pattern, name):
                    continue
                if marker is not None:
                    content = archive.read(name) if content is None else content
                    if not re.search(marker, content):
                        continue
                found.append(f"{name}: {message}")
            if name.endswith(".vml"):
                kinds = set(re.findall(rb'ObjectType="(\w+)"', archive.read(name))) - {b"Note"}
                if kinds:
                    found.append(f"{name}: form controls or legacy objects are dropped "
                                 "(only cell notes survive)")
    return found


def _normalise(value: Any, data_type: str) -> str:
    if data_type == "f":
        return f"f:{value}"
    if isinstance(value, bool):
        return f"b:{int(value)}"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return f"n:{float(value):.15g}"
    if isinstance(value, dt.datetime):
        return f"d:{value.replace(tzinfo=None).isoformat()}"
    if isinstance(value, dt.date):
        return f"d:{dt.datetime.combine(value, dt.time()).isoformat()}"
    if isinstance(value, dt.time):
        return f"t:{value.isoformat()}"
    return f"s:{value}"


def _rows(ws: Any, extent: tuple[int, int] | None) -> Any:
    if hasattr(ws, "reset_dimensions"):  # read-only: ignore a forged <dimension>
        ws.reset_dimensions()
    if extent is None:
        return ws.iter_rows()
    # An untrusted workbook: iterate only the area its cells really occupy, so that one
    # far-away cell cannot make openpyxl pad every row out to column XFD.
    return ws.iter_rows(min_row=1, max_row=max(extent[0], 1), min_col=1,
                        max_col=max(extent[1], 1))


def layout_checksum(wb: Workbook, extent: tuple[int, int] | None = None) -> str:
    """SHA-256 over every locked, non-empty cell (sheet, coordinate, value) but ``_docgen``.

    Unlocked cells are the inputs a panel member fills in, so filling them in keeps the
    checksum; any other change (a renamed tab, an edited label, a moved formula) breaks
    it. Works on workbooks opened normally or with ``read_only=True`` (not
    ``data_only=True``: formulas are part of the layout). ``extent`` (rows, columns)
    bounds the cells read, for workbooks measured by ``docgen.excel.untrusted``.
    """
    digest = hashlib.sha256()
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        for row in _rows(ws, extent):
            for cell in row:
                if cell.value is None or not cell.protection.locked:
                    continue
                value = _normalise(cell.value, cell.data_type)
                digest.update(f"{ws.title}\x1f{cell.coordinate}\x1f{value}\x1e".encode())
    return digest.hexdigest()


def docgen_names(wb: Workbook) -> list[tuple[str, str]]:
    """``("name:<sheet>:<name>", ref)`` for every defined name starting with ``docgen_``."""
    out = [(f"name::{n}", d.attr_text) for n, d in wb.defined_names.items()
           if n.lower().startswith(NAME_PREFIX)]
    for ws in wb.worksheets:
        out.extend((f"name:{ws.title}:{n}", d.attr_text) for n, d in ws.defined_names.items()
                   if n.lower().startswith(NAME_PREFIX))
    return out


def write_metadata(wb: Workbook, entries: Iterable[tuple[str, str]]) -> None:
    """Add the very hidden, protected ``_docgen`` sheet with one key/value row per entry."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    for row, (key, value) in enumerate(entries, start=1):
        set_text(ws.cell(row=row, column=1), str(key))
        set_text(ws.cell(row=row, column=2), str(value))
    ws.protection.sheet = True


def read_metadata(wb: Workbook, extent: tuple[int, int] | None = None) -> dict[str, str]:
    """Return the ``_docgen`` key/value rows (empty when the sheet is missing)."""
    if META_SHEET not in wb.sheetnames:
        return {}
    out: dict[str, str] = {}
    ws = wb[META_SHEET]
    max_row = None if extent is None else max(extent[0], 1)
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    for key, value, *_ in ws.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=2,
                                       values_only=True):
        if key is not None:
            out[str(key)] = "" if value is None else str(value)
    return out


def stable_zip(data: bytes, created: dt.datetime) -> bytes:
    """Rewrite a saved workbook with fixed zip times and a fixed ``docProps/core.xml``."""
    # Tagged Danish (da-DK): the documents are Danish, and spell-checkers read the tag.
    props = DocumentProperties(creator=None, created=created, modified=created, language="da-DK")
    core = tostring(props.to_tree())
    out = BytesIO()
    with ZipFile(BytesIO(data)) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, content, compresslevel=6)
    return out.getvalue()
