"""One returned scoresheet: identified by its hidden metadata, checked, and its scores read.

A workbook is matched to its panel member by the ``_docgen`` sheet (never by file name),
then trusted only as far as it checks out: same case, a template version docgen reads,
the layout checksum unchanged (else the change is named: a sheet renamed or removed, rows
sorted or moved, a row or column inserted or deleted, a criterion renamed), and every
score a whole number on the scale or blank, every recommendation one of the labels or
blank. Each problem is an ``Issue`` located ``file!sheet!cell``; nothing in a message
quotes what the member typed, and nothing quotes the case (names may be health data).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter, range_boundaries

from docgen.errors import Issue
from docgen.excel.meta import CHECKSUM_KEY, META_SHEET, layout_checksum, read_metadata
from docgen.excel.untrusted import Limits, UntrustedFileError, check_deadline, open_untrusted

__all__ = ["Expected", "Returned", "SheetScores", "read_returned"]

_NAME_KEY = re.compile(r"^name:(?P<sheet>.*):(?P<name>docgen_[a-z_]+)$")
_DECIMAL_TEXT = re.compile(r"^[+-]?\d+[.,]\d+$")
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
_PLAIN = re.compile(r"^[A-Za-z0-9._-]{1,24}$")
Cell = tuple[Any, str, bool]
"""A cell's value, openpyxl data type and whether it is locked."""


@dataclass(frozen=True)
class Expected:
    """What a scoresheet of this case must look like (from the case and the settings)."""

    case_reference: str
    members: tuple[str, ...]
    applicants: tuple[str, ...]
    criteria: tuple[str, ...]
    labels: tuple[str, ...]
    scale: tuple[int, int]
    recommendations: tuple[str, ...]
    versions: tuple[str, ...]


@dataclass
class SheetScores:
    """One applicant as one member scored them."""

    applicant: str
    scores: dict[str, int | None]
    recommendation: str | None
    takeaways: str


@dataclass
class Returned:
    """A returned workbook: who it belongs to, what it says, and what is wrong with it."""

    file: str
    member: str | None = None
    sheets: list[SheetScores] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def filled_in(self) -> bool:
        """Anything at all entered: a score, a recommendation or a take-away."""
        return any(
            any(v is not None for v in s.scores.values()) or s.recommendation or s.takeaways
            for s in self.sheets
        )


def _issue(where: str, message: str) -> Issue:
    return Issue(where, None, None, "", message)


def read_returned(path: Path, display: str, expected: Expected,
                  limits: Limits | None = None) -> Returned:
    """Read and check one returned workbook; problems are in ``Returned.issues``."""
    result = Returned(display)
    try:
        opened = open_untrusted(path, limits)
    except UntrustedFileError as e:
        result.issues.append(_issue(display, str(e)))
        return result
    wb, extent = opened.workbook, opened.extent
    seconds = (limits or Limits()).seconds
    try:
        meta = read_metadata(wb, extent)
        if not _identify(meta, display, expected, result):
            return result
        grids = {}
        for ws in wb.worksheets:
            if ws.title != META_SHEET:
                check_deadline(opened.deadline, seconds)
                grids[ws.title] = _grid(ws, extent)
        changed = layout_checksum(wb, extent) != meta.get(CHECKSUM_KEY)
        layout: list[Issue] = []
        for title, names in _sheets_from(meta).items():
            where = f"{display}!{title}"
            grid = grids.get(title)
            if grid is None:
                layout.append(_issue(where, "the sheet was renamed or removed; restore its "
                                            "name or use a fresh copy"))
                continue
            sheet = _read_sheet(grid, names, where, expected, changed, layout, result.issues)
            if sheet is not None:
                result.sheets.append(sheet)
        result.issues[:0] = layout
        if changed and not layout:
            result.issues.insert(0, _issue(display, "the layout was changed (a locked cell was "
                                        "edited, or a sheet, row or column was added); ask "
                                        "for the scores in a fresh copy of the scoresheet"))
    except UntrustedFileError as e:
        result.issues = [_issue(display, str(e))]
        result.member = None
    finally:
        wb.close()
    return result


def _shown(value: str) -> str:
    """A metadata value fit to quote in a message: short and plain, else a placeholder."""
    return value if _PLAIN.match(value) else "(unreadable)"


def _identify(meta: dict[str, str], display: str, expected: Expected,
              result: Returned) -> bool:
    where = f"{display}!{META_SHEET}"
    if not meta or "docgen_kind" not in meta:
        result.issues.append(_issue(display, "is not a docgen scoresheet (its hidden docgen "
                                             "sheet is missing)"))
        return False
    if meta["docgen_kind"] != "scoresheet":
        result.issues.append(_issue(display, "is a docgen workbook of another kind, not a "
                                             "scoresheet"))
        return False
    if meta.get("case_reference") != expected.case_reference:
        result.issues.append(_issue(where, "the scoresheet belongs to another case"))
        return False
    version = meta.get("template_version", "")
    if version not in expected.versions:
        known = ", ".join(expected.versions)
        result.issues.append(_issue(where, f"made with scoresheet template version "
                                           f"{_shown(version)}, which this docgen does "
                                           f"not read (it reads {known})"))
        return False
    member = meta.get("recipient", "")
    if member not in expected.members:
        result.issues.append(_issue(where, f"made for panel member {_shown(member)}, who "
                                           "is not on this case's panel"))
        return False
    result.member = member
    return True


def _sheets_from(meta: dict[str, str]) -> dict[str, dict[str, str]]:
    """``{sheet title: {docgen name: reference}}`` from the metadata, in workbook order."""
    out: dict[str, dict[str, str]] = {}
    for key, ref in meta.items():
        found = _NAME_KEY.match(key)
        if found and found["sheet"]:
            out.setdefault(found["sheet"], {})[found["name"]] = ref.rsplit("!", 1)[-1]
    return {k: v for k, v in out.items() if "docgen_scores" in v}


def _grid(ws: Any, extent: tuple[int, int]) -> dict[tuple[int, int], Cell]:
    """The non-empty cells of one sheet, read once, within the measured extent."""
    ws.reset_dimensions()
    out: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max(extent[0], 1), min_col=1,
                                         max_col=max(extent[1], 1)), start=1):
        for c, cell in enumerate(row, start=1):
            if cell.value is not None:
                out[(r, c)] = (cell.value, cell.data_type, bool(cell.protection.locked))
    return out


def _cells(ref: str) -> list[tuple[int, int]]:
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert min_col is not None
    assert min_row is not None
    return [(r, c) for r in range(min_row, (max_row or min_row) + 1)
            for c in range(min_col, (max_col or min_col) + 1)]


def _coord(pos: tuple[int, int]) -> str:
    return f"{get_column_letter(pos[1])}{pos[0]}"


def _read_sheet(grid: dict[tuple[int, int], Cell], names: dict[str, str], where: str,
                expected: Expected, changed: bool, layout: list[Issue],
                issues: list[Issue]) -> SheetScores | None:
    id_cells = _cells(names["docgen_criterion_ids"])
    ids = [_text(grid.get(p)) for p in id_cells]
    applicant_pos = _cells(names["docgen_applicant_id"])[0]
    applicant = _text(grid.get(applicant_pos))
    before = len(layout)
    if ids != list(expected.criteria):
        layout.append(_layout_problem(grid, ids, id_cells, where, expected))
    elif changed:
        layout.extend(_renamed(grid, id_cells, where, expected))
    if len(layout) > before:
        return None
    if applicant not in expected.applicants:
        issues.append(_issue(f"{where}!{_coord(applicant_pos)}",
                             "the applicant id is not one of this case's applicants"))
        return None
    scores = {}
    for crit, pos in zip(expected.criteria, _cells(names["docgen_scores"]), strict=False):
        scores[crit] = _score(grid.get(pos), f"{where}!{_coord(pos)}", expected, issues)
    rec_pos = _cells(names["docgen_recommendation"])[0]
    recommendation = _recommendation(grid.get(rec_pos), f"{where}!{_coord(rec_pos)}",
                                     expected, issues)
    take_pos = _cells(names["docgen_takeaways"])[0]
    takeaways = _takeaways(grid.get(take_pos), f"{where}!{_coord(take_pos)}", issues)
    return SheetScores(applicant, scores, recommendation, takeaways)


def _text(cell: Cell | None) -> str:
    if cell is None or cell[1] == "f":
        return ""
    return str(cell[0]).strip()


def _layout_problem(grid: dict[tuple[int, int], Cell], ids: list[str],
                    id_cells: list[tuple[int, int]], where: str, expected: Expected) -> Issue:
    """Name what moved the hidden criterion ids: sorting, or an inserted row or column."""
    span = f"{where}!{_coord(id_cells[0])}:{_coord(id_cells[-1])}"
    if sorted(ids) == sorted(expected.criteria):
        return _issue(span, "the criteria rows were sorted or moved; undo it (Ctrl+Z) or "
                            "copy the scores into a fresh copy of the scoresheet")
    home_row, home_col = id_cells[0]
    for n, crit in enumerate(expected.criteria):
        found = next((p for p, cell in grid.items() if cell[2] and _text(cell) == crit), None)
        if found is None:
            continue
        if found[1] != home_col:
            return _issue(span, "a column was inserted or deleted, so the scores are no "
                                "longer where docgen wrote them; delete or restore it")
        if found[0] != home_row + n:
            return _issue(span, "a row was inserted or deleted above or among the criteria, "
                                "so the scores are no longer where docgen wrote them; delete "
                                "or restore it")
    if set(ids) & set(expected.criteria):
        return _issue(span, "the criteria rows were changed (a criterion's row was deleted, "
                            "copied or overwritten); use a fresh copy of the scoresheet")
    return _issue(span, "the criteria differ from this case's criteria (the scoresheet was "
                        "made before they changed, or its hidden column was edited); build "
                        "and send new scoresheets")


def _label(cell: Cell) -> str:
    """A criterion cell's label: its first line (the description, if shown, follows it in
    the same cell)."""
    return _text(cell).split("\n", 1)[0].strip()


def _renamed(grid: dict[tuple[int, int], Cell], id_cells: list[tuple[int, int]], where: str,
             expected: Expected) -> list[Issue]:
    """Criteria whose label no longer reads as configured (the ids are where they were)."""
    label_col = None
    for (row, _), label in zip(id_cells, expected.labels, strict=True):
        label_col = next((c for (r, c), cell in grid.items()
                          if r == row and cell[2] and _label(cell) == label), None)
        if label_col is not None:
            break
    out = []
    for (row, _), crit, label in zip(id_cells, expected.criteria, expected.labels, strict=True):
        texts = {_label(cell) for (r, _c), cell in grid.items() if r == row and cell[2]}
        if label not in texts:
            col = label_col or 2
            out.append(_issue(f"{where}!{get_column_letter(col)}{row}",
                              f"criterion '{crit}' was renamed (its label was edited); "
                              "restore it"))
    return out


def _score(cell: Cell | None, where: str, expected: Expected, issues: list[Issue]) -> int | None:
    low, high = expected.scale
    want = f"a whole number from {low} to {high}, or blank"
    if cell is None:
        return None
    value, kind, _ = cell
    problem = None
    if kind == "f":
        problem = f"a formula; type the score itself ({want})"
    elif kind == "e":
        problem = f"an error value; expected {want}"
    elif isinstance(value, bool):
        problem = f"TRUE/FALSE; expected {want}"
    elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        problem = f"a date or time; expected {want}"
    elif isinstance(value, str):
        if not value.strip():
            return None
        problem = _text_problem(value.strip(), want)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            problem = f"a decimal number; scores are whole numbers ({want})"
        elif not low <= value <= high:
            problem = f"{int(value)} is outside the scale {low}–{high}; expected {want}"
        else:
            return int(value)
    else:
        problem = f"not a score; expected {want}"
    issues.append(_issue(where, problem))
    return None


def _text_problem(text: str, want: str) -> str:
    if _DECIMAL_TEXT.match(text):
        return f"a decimal number typed as text; scores are whole numbers ({want})"
    if _INTEGER_TEXT.match(text):
        return f"a number stored as text; retype it as a number ({want})"
    return f"text; expected {want}"


def _recommendation(cell: Cell | None, where: str, expected: Expected,
                    issues: list[Issue]) -> str | None:
    if cell is None:
        return None
    if cell[1] == "f":
        issues.append(_issue(where, "a formula; choose the recommendation in the list"))
        return None
    text = str(cell[0]).strip()
    if not text:
        return None
    if text not in expected.recommendations:
        labels = ", ".join(expected.recommendations)
        issues.append(_issue(where, f"not one of the recommendations ({labels}) or blank"))
        return None
    return text


def _takeaways(cell: Cell | None, where: str, issues: list[Issue]) -> str:
    if cell is None:
        return ""
    if cell[1] == "f":
        issues.append(_issue(where, "a formula; write the take-aways as text"))
        return ""
    return str(cell[0]).strip()
