"""A template file's size and structure, checked before anything else reads it.

A .docx or .xlsx is a zip of XML. Before the linter or a renderer opens one, it must
inflate within :class:`docgen.limits.Limits` by the bytes it really gives (not the
sizes it declares), every entry must pass its CRC, no XML part may carry a DOCTYPE
(entity tricks; Office never writes one), and a workbook must stay within the sheet,
row and column limits, by what its sheets declare (``<dimension ref>``) and by the
cells they really hold: one cell at ``XFD1048576`` makes a grid of 17 billion cells.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from docgen.limits import LimitError, Limits, check_zip

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_HEAD = 4096


def package_problems(path: Path, limits: Limits, *, excel: bool) -> list[str]:
    """Why a template file is too big or unsafe to open (an empty list when it is fine)."""
    try:
        check_zip(path, limits)
    except LimitError as exc:
        return [str(exc)]
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                with archive.open(info) as fh:
                    if _DOCTYPE.search(fh.read(_HEAD)):
                        problems.append(
                            f"{info.filename}: holds a DOCTYPE, which Office files never "
                            "need; save the file again from Word or Excel"
                        )
        if excel and not problems:
            problems.extend(_workbook_problems(archive, limits))
    return problems


def _workbook_problems(archive: zipfile.ZipFile, limits: Limits) -> list[str]:
    sheets = [n for n in archive.namelist() if _SHEET_PART.match(n)]
    if len(sheets) > limits.xlsx_sheets:
        return [f"has more than {limits.xlsx_sheets} sheets (limits.xlsx_sheets)"]
    problems = []
    for name in sorted(sheets):
        row, col = _extent(archive, name)
        if row > limits.xlsx_rows or col > limits.xlsx_columns:
            problems.append(
                f"{name}: uses cells up to row {row:,}, column {col:,}; an Excel template "
                f"may use {limits.xlsx_rows:,} rows and {limits.xlsx_columns} columns "
                "(limits.xlsx_rows, limits.xlsx_columns); clear the far cells or formatting"
            )
    return problems


def _extent(archive: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """The furthest row and column a sheet declares or uses."""
    far_row = far_col = 0
    with archive.open(name) as fh:
        for _, el in etree.iterparse(
            fh, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            tag = el.tag
            refs: list[str] = []
            if tag == f"{_MAIN}dimension":
                refs = (el.get("ref") or "").split(":")
            elif tag == f"{_MAIN}c":
                refs = [el.get("r") or ""]
            elif tag == f"{_MAIN}row" and (el.get("r") or "").isdigit():
                far_row = max(far_row, int(el.get("r") or 0))
            for ref in refs:
                row, col = _cell(ref)
                far_row, far_col = max(far_row, row), max(far_col, col)
            if tag in (f"{_MAIN}c", f"{_MAIN}row"):
                el.clear()
    return far_row, far_col


def _cell(ref: str) -> tuple[int, int]:
    # openpyxl loads all of itself with its helpers (0.08 s): only a workbook checked needs it
    from openpyxl.utils.cell import (  # noqa: PLC0415
        column_index_from_string,
        coordinate_from_string,
    )

    try:
        letters, row = coordinate_from_string(ref.replace("$", ""))
        return row, column_index_from_string(letters)
    except ValueError:
        return 0, 0
