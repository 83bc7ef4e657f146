"""Filling returned scoresheets as panel members would, for the collect tests.

The regional sample has four panel members (P4 is external, so their workbook is
pseudonymised) and six interviewed applicants. Each member gives every criterion the
applicant's base score plus the member's bias, with three departures a real panel
produces: P1 scores A07's first criterion 2 (a disagreement of 3 points), P3 leaves
A12's 'recovery' blank, and P4 gives no recommendation for A25.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries

from docgen.excel.meta import read_metadata

REGION = Path(__file__).resolve().parent.parent / "samples" / "region-vest.yaml"
MEMBERS = ["P1", "P2", "P3", "P4"]
APPLICANTS = ["A03", "A07", "A12", "A18", "A25", "A31"]
CRITERIA = ["distance", "learning", "dialogue", "sharing", "peer-role", "recovery",
            "communication", "wellbeing", "part-time", "disturbance", "everyday"]
BASE = {"A03": 3, "A07": 4, "A12": 2, "A18": 3, "A25": 4, "A31": 1}
BIAS = {"P1": 0, "P2": 1, "P3": 0, "P4": 0}
RECOMMENDATION = {"P1": "Ja", "P2": "Klart ja", "P3": "Nej", "P4": "Ja"}


def intended_score(member: str, applicant: str, criterion: str) -> int | None:
    """What the test's panel member types (None: left blank)."""
    if (member, applicant, criterion) == ("P1", "A07", "distance"):
        return 2
    if (member, applicant, criterion) == ("P3", "A12", "recovery"):
        return None
    return BASE[applicant] + BIAS[member]


def intended_recommendation(member: str, applicant: str) -> str | None:
    """The recommendation chosen (None: left blank)."""
    if (member, applicant) == ("P4", "A25"):
        return None
    return RECOMMENDATION[member]


def takeaway(member: str, applicant: str) -> str:
    """A take-away text unique to one member and applicant."""
    return f"Indtryk {member}-{applicant}: lyttede godt og gav konkrete eksempler."


def cells(ref: str) -> list[str]:
    """The cells of an A1 range (``$D$10:$D$20``), top to bottom."""
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert min_col is not None
    assert min_row is not None
    return [f"{get_column_letter(c)}{r}" for r in range(min_row, (max_row or min_row) + 1)
            for c in range(min_col, (max_col or min_col) + 1)]


def layout(path: Path) -> dict[str, dict[str, str]]:
    """``{sheet: {docgen name: range}}`` as the scoresheet's metadata lists it."""
    meta = read_metadata(load_workbook(path))
    out: dict[str, dict[str, str]] = {}
    for key, ref in meta.items():
        if key.startswith("name:") and key.count(":") == 2:
            _, sheet, name = key.split(":")
            if sheet:
                out.setdefault(sheet, {})[name] = ref.rsplit("!", 1)[-1]
    return out


def fill(src: Path, dst: Path, member: str) -> Path:
    """Fill ``src`` (a built scoresheet) as ``member`` would and save it as ``dst``."""
    wb = load_workbook(src, rich_text=True)  # as Excel keeps them: label and description runs
    for sheet, names in layout(src).items():
        ws = wb[sheet]
        applicant = ws[cells(names["docgen_applicant_id"])[0]].value
        ids = [ws[c].value for c in cells(names["docgen_criterion_ids"])]
        for crit, ref in zip(ids, cells(names["docgen_scores"]), strict=True):
            ws[ref] = intended_score(member, applicant, crit)
        ws[cells(names["docgen_recommendation"])[0]] = intended_recommendation(member, applicant)
        ws[cells(names["docgen_takeaways"])[0]] = takeaway(member, applicant)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def returned_set(built: Path, folder: Path) -> dict[str, Path]:
    """The four members' filled scoresheets, renamed as mail attachments are."""
    out = {}
    for n, sheet in enumerate(sorted((built / "scoreark").glob("*.xlsx"))):
        member = sheet.name.split("_")[0]
        out[member] = fill(sheet, folder / f"vedhaeftning ({n + 7}).xlsx", member)
    return out


def copy_set(files: dict[str, Path], folder: Path) -> dict[str, Path]:
    """A fresh copy of a returned set, to tamper with."""
    folder.mkdir(parents=True, exist_ok=True)
    return {m: Path(shutil.copy(p, folder / p.name)) for m, p in files.items()}
