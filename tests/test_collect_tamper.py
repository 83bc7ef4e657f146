"""`collect` never trusts a returned workbook: each tampering gives its pinned message,
within bounded memory (and a hang guard), and no summary is written."""

from __future__ import annotations

import io
import re
import shutil
import signal
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText

import docgen
from docgen.errors import ReadError
from docgen.excel.untrusted import Limits
from tests.helpers import SAMPLES, tree_state
from tests.scoresheets import REGION, returned_set

SENTINELS = ["Jens Ærø Hansen", "Rasmus Højgaard", "Hanne Kirkegaard", "Ulla Brøndum"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "region"
    docgen.build(REGION, out)
    return out


@pytest.fixture(scope="module")
def pristine(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return returned_set(built, tmp_path_factory.mktemp("mail"))


@pytest.fixture
def files(pristine: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "mail"
    folder.mkdir()
    return {m: Path(shutil.copy(p, folder / p.name)) for m, p in pristine.items()}


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "region"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture(autouse=True)
def _hang_guard() -> Iterator[None]:
    """Not a speed test: a read that loops fails here instead of hanging the suite."""
    def stop(*_: object) -> None:
        raise TimeoutError("collect did not finish within 60 s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def problems_of(files: list[Path], out: Path, **kwargs: object) -> list[str]:
    """Collect; the problems as printed lines. Proves nothing was written and no case
    value (a name) leaked into a message."""
    before = tree_state(out)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            docgen.collect(REGION, files, out, **kwargs)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, f"reading used {peak // 2**20} MB"
    assert tree_state(out) == before
    lines = caught.value.lines()
    for name in SENTINELS:
        assert all(name not in line for line in lines), "a name leaked into a message"
    return lines


def edit(path: Path, sheet: str, change: Callable[..., None]) -> None:
    wb = load_workbook(path, rich_text=True)
    change(wb[sheet])
    wb.save(path)


def _one(lines: list[str], pattern: str) -> str:
    found = [ln for ln in lines if re.search(pattern, ln)]
    assert found, "\n".join(lines)
    return found[0]


# ----------------------------------------------------------------- scores and labels


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("fire", r"^.*\.xlsx!A07!D11: text; expected a whole number from 1 to 5, or blank$"),
        ("7,5", r"!A07!D11: a decimal number typed as text; scores are whole numbers"),
        (7.5, r"!A07!D11: a decimal number; scores are whole numbers"),
        ("=2+2", r"!A07!D11: a formula; type the score itself"),
        (9, r"!A07!D11: 9 is outside the scale 1–5; expected a whole number from 1 to 5"),
        (0, r"!A07!D11: 0 is outside the scale 1–5"),
        (True, r"!A07!D11: TRUE/FALSE; expected"),
        ("4", r"!A07!D11: a number stored as text; retype it as a number"),
    ],
)
def test_a_bad_score_is_named_by_file_sheet_and_cell(
    files: dict[str, Path], out: Path, value: object, message: str
) -> None:
    def put(ws: object) -> None:
        ws["D11"] = value  # type: ignore[index]
        if value == "4":
            ws["D11"].data_type = "s"  # type: ignore[index]

    edit(files["P2"], "A07", put)
    lines = problems_of(list(files.values()), out)
    line = _one(lines, message)
    assert line.startswith(str(files["P2"]))
    assert lines[-2] == "1 problem found; no summary was written."


def test_a_date_in_a_score_cell_is_an_error(files: dict[str, Path], out: Path) -> None:
    import datetime as dt

    edit(files["P1"], "A12", lambda ws: ws.__setitem__("D13", dt.date(2026, 10, 5)))
    _one(problems_of(list(files.values()), out), r"!A12!D13: a date or time; expected")


def test_a_recommendation_must_be_one_of_the_labels(files: dict[str, Path], out: Path) -> None:
    edit(files["P3"], "A18", lambda ws: ws.__setitem__("C26", "Måske"))
    _one(problems_of(list(files.values()), out),
         r"!A18!C26: not one of the recommendations \(Klart nej, Nej, Ja, Klart ja, "
         r"Ingen vurdering\) or blank$")


def test_every_problem_is_reported_at_once(files: dict[str, Path], out: Path) -> None:
    edit(files["P1"], "A03", lambda ws: ws.__setitem__("D12", "7,5"))
    edit(files["P4"], "A31", lambda ws: ws.__setitem__("D21", 6))
    lines = problems_of(list(files.values()), out)
    _one(lines, r"!A03!D12: a decimal number typed as text")
    _one(lines, r"!A31!D21: 6 is outside the scale")
    assert lines[-2] == "2 problems found; no summary was written."


# --------------------------------------------------------------------------- layout


def test_sorted_rows_are_named(files: dict[str, Path], out: Path) -> None:
    def swap(ws: object) -> None:
        for col in "ABCDEF":
            a, b = ws[f"{col}11"], ws[f"{col}12"]  # type: ignore[index]
            a.value, b.value = b.value, a.value

    edit(files["P1"], "A07", swap)
    line = _one(problems_of(list(files.values()), out), r"!A07!F11:F21: ")
    assert line.endswith("the criteria rows were sorted or moved; undo it (Ctrl+Z) or copy "
                         "the scores into a fresh copy of the scoresheet")


def test_an_inserted_column_is_named(files: dict[str, Path], out: Path) -> None:
    edit(files["P2"], "A03", lambda ws: ws.insert_cols(3))
    _one(problems_of(list(files.values()), out),
         r"!A03!F11:F21: a column was inserted or deleted, so the scores are no longer where")


def test_an_inserted_row_is_named(files: dict[str, Path], out: Path) -> None:
    edit(files["P2"], "A03", lambda ws: ws.insert_rows(13))
    _one(problems_of(list(files.values()), out),
         r"!A03!F11:F21: a row was inserted or deleted above or among the criteria")


def test_a_renamed_criterion_is_named(files: dict[str, Path], out: Path) -> None:
    edit(files["P3"], "A25", lambda ws: ws.__setitem__("B13", "Noget helt andet"))
    lines = problems_of(list(files.values()), out)
    _one(lines, r"!A25!B13: criterion 'dialogue' was renamed \(its label was edited\); restore it$")
    # The other labels, each with its description under it in the same cell, still read.
    assert len([ln for ln in lines if "was renamed" in ln]) == 1, lines


def test_a_renamed_sheet_is_named(files: dict[str, Path], out: Path) -> None:
    edit(files["P1"], "A12", lambda ws: setattr(ws, "title", "Anden"))
    _one(problems_of(list(files.values()), out),
         r"\.xlsx!A12: the sheet was renamed or removed; restore its name or use a fresh copy$")


def test_an_edited_locked_cell_elsewhere_is_a_changed_layout(files: dict[str, Path],
                                                             out: Path) -> None:
    edit(files["P1"], "Vejledning", lambda ws: ws.__setitem__("B1", "Mit eget ark"))
    lines = problems_of(list(files.values()), out)
    line = _one(lines, r"the layout was changed")
    assert line.startswith(f"{files['P1']}: ")
    assert not [ln for ln in lines if "was renamed" in ln], lines


# ------------------------------------------------------------------ whose and how many


def test_another_cases_workbook_is_named(files: dict[str, Path], out: Path,
                                         tmp_path: Path) -> None:
    other = tmp_path / "kommune"
    docgen.build(SAMPLES / "kommune-fjordby.yaml", other)
    sheet = sorted((other / "scoreark").glob("*.xlsx"))[0]
    foreign = tmp_path / "mail" / "scoreark.xlsx"
    shutil.copy(sheet, foreign)
    lines = problems_of([*files.values(), foreign], out)
    assert _one(lines, "another case") == \
        f"{foreign}!_docgen: the scoresheet belongs to another case"


def test_a_missing_member_is_named(files: dict[str, Path], out: Path) -> None:
    lines = problems_of([p for m, p in files.items() if m != "P3"], out)
    assert "panel member P3: no scoresheet was returned" in lines


def test_a_member_returned_twice_names_both_files(files: dict[str, Path], out: Path) -> None:
    again = files["P2"].with_name("P2 igen.xlsx")
    shutil.copy(files["P2"], again)
    lines = problems_of([*files.values(), again], out)
    line = _one(lines, r"^panel member P2: ")
    assert str(files["P2"]) in line
    assert str(again) in line
    assert line.endswith("; keep one")


def test_an_unfilled_scoresheet_is_not_filled_in(files: dict[str, Path], out: Path,
                                                 built: Path) -> None:
    blank = sorted((built / "scoreark").glob("P4_*.xlsx"))[0]
    lines = problems_of([*(p for m, p in files.items() if m != "P4"), blank], out)
    assert (f"{blank}: not filled in: nothing is rated, recommended or written on any sheet"
            in lines)


def test_partial_summarises_the_rest_and_shows_the_gaps(files: dict[str, Path],
                                                        out: Path) -> None:
    edit(files["P2"], "A07", lambda ws: ws.__setitem__("D11", "7,5"))
    result = docgen.collect(REGION, list(files.values()), out, partial=True)
    assert result.missing == ["P2"]
    assert [str(p) for p in result.problems][0].endswith(
        "!A07!D11: a decimal number typed as text; scores are whole numbers "
        "(a whole number from 1 to 5, or blank)")
    assert [m.id for m in result.panel.members if m.returned] == ["P1", "P3", "P4"]
    wb = load_workbook(result.path)
    text = " ".join(str(v) for row in wb["Oversigt"].iter_rows(values_only=True) for v in row
                    if v)
    assert "Mangler: P2 har ikke sendt et gyldigt scoreark." in text


# ------------------------------------------------------------------ untrusted files


def _rewrite(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    path.write_bytes(buffer.getvalue())


def _sheet_part(path: Path, title: str) -> str:
    wb = load_workbook(path, read_only=True)
    index = wb.sheetnames.index(title) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def test_a_forged_dimension_is_ignored_and_the_scores_read(files: dict[str, Path],
                                                           out: Path) -> None:
    part = _sheet_part(files["P1"], "A07")
    _rewrite(files["P1"], part, lambda xml: re.sub(rb'<dimension ref="[^"]*"',
                                                   b'<dimension ref="A1:XFD1048576"', xml))
    assert b"XFD1048576" in zipfile.ZipFile(files["P1"]).read(part)
    result = docgen.collect(REGION, list(files.values()), out)
    a07 = next(a for a in result.panel.applicants if a.id == "A07")
    assert a07.criteria[0].scores["P1"] == 2


def test_a_cell_far_away_is_refused_without_padding_every_row(files: dict[str, Path],
                                                              out: Path) -> None:
    part = _sheet_part(files["P1"], "A07")
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    _rewrite(files["P1"], part, lambda xml: xml.replace(b"</sheetData>", far))
    lines = problems_of(list(files.values()), out)
    assert f"{files['P1']}: has cells far outside a scoresheet's area (a row or column was " \
           "filled far away); refusing to read it" in lines


def test_a_zip_bomb_is_stopped_while_inflating(files: dict[str, Path], out: Path) -> None:
    bomb = files["P1"].with_name("bombe.xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            for _ in range(30):  # 30 MB of zeros, about 30 kB packed
                fh.write(bytes(1024 * 1024))
    assert bomb.stat().st_size < 100 * 1024
    lines = problems_of([*files.values(), bomb], out)
    assert f"{bomb}: has a part that unpacks to over 100 times its packed size (a zip bomb?); " \
           "refusing to read it" in lines


def test_the_inflated_total_is_counted_not_taken_from_the_headers(
    files: dict[str, Path], out: Path
) -> None:
    lines = problems_of(list(files.values()), out, limits=Limits(inflated_bytes=64 * 1024))
    assert f"{files['P1']}: unpacks to more than 0 MB (a zip bomb?); refusing to read it" \
        in lines


def test_too_many_cells_are_refused(files: dict[str, Path], out: Path) -> None:
    lines = problems_of(list(files.values()), out, limits=Limits(cells=100))
    assert f"{files['P1']}: has too many filled cells for a scoresheet; refusing to read it" \
        in lines


def test_an_xml_bomb_is_refused(files: dict[str, Path], out: Path) -> None:
    part = _sheet_part(files["P1"], "A07")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    _rewrite(files["P1"], part, lambda xml: laughs + (xml.split(b"?>", 1)[1]
                                                      if xml.startswith(b"<?xml") else xml))
    lines = problems_of(list(files.values()), out)
    assert f"{files['P1']}: has a worksheet that is not well-formed (or uses forbidden XML " \
           "features)" in lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Hej, her er mit scoreark.\n", "is not an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le"),
         "is an old Excel 97-2003 workbook (.xls); open it and save it as an Excel workbook "
         "(.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
         + "EncryptionInfo".encode("utf-16-le"),
         "is encrypted (saved with a password); open it, remove the password and save it "
         "again as .xlsx"),
        (b"PK\x03\x04 truncated", "is not an Excel workbook (.xlsx): the zip container is "
                                  "damaged"),
    ],
    ids=["not-a-zip", "old-xls", "encrypted", "damaged-zip"],
)
def test_a_file_that_is_not_a_workbook_is_named(files: dict[str, Path], out: Path,
                                                content: bytes, message: str) -> None:
    odd = files["P1"].with_name("scoreark.xls")
    odd.write_bytes(content)
    lines = problems_of([*files.values(), odd], out)
    assert f"{odd}: {message}" in lines


def test_a_docgen_workbook_of_another_kind_is_not_a_scoresheet(
    files: dict[str, Path], out: Path, built: Path
) -> None:
    lines = problems_of([*files.values(), built / "parathed.xlsx"], out)
    assert f"{built / 'parathed.xlsx'}: is a docgen workbook of another kind, not a " \
           "scoresheet" in lines


def test_an_unknown_template_version_is_named(files: dict[str, Path], out: Path,
                                              tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text('template_version: "2027.1"\n', encoding="utf-8")
    before = tree_state(out)
    with pytest.raises(ReadError) as caught:
        docgen.collect(REGION, list(files.values()), out, config=config)
    assert tree_state(out) == before
    assert f"{files['P1']}!_docgen: made with scoresheet template version 2026.1, which " \
           "this docgen does not read (it reads 2027.1)" in caught.value.lines()


def test_a_cli_run_with_a_bad_file_exits_1_and_prints_every_problem(
    cli: Callable[..., object], files: dict[str, Path], out: Path
) -> None:
    edit(files["P2"], "A07", lambda ws: ws.__setitem__("D11", "7,5"))
    result = cli("collect", REGION, *files.values(), "-o", out)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "!A07!D11: a decimal number typed as text" in result.output  # type: ignore[attr-defined]
    assert "no summary was written" in result.output  # type: ignore[attr-defined]
    partial = cli("collect", REGION, *files.values(), "-o", out, "--partial")
    assert partial.exit_code == 0  # type: ignore[attr-defined]
    assert "missing from the summary: P2" in partial.output  # type: ignore[attr-defined]


def test_fill_helper_really_fills(pristine: dict[str, Path]) -> None:
    # The fixtures above are only meaningful if the helper writes what it claims.
    wb = load_workbook(pristine["P1"], rich_text=True)
    assert wb["A07"]["D11"].value == 2
    # ... and keeps the criteria cells as Excel does: the label and its description as runs.
    label = wb["A07"]["B11"].value
    assert isinstance(label, CellRichText)
    assert len(label) == 2


def test_one_wide_sheet_cannot_make_every_sheet_read_wide(files: dict[str, Path],
                                                          out: Path) -> None:
    # Each sheet is read within the largest extent; 8 sheets x one 300 x 1000 area is over
    # the cap even though that sheet alone is not.
    part = _sheet_part(files["P1"], "A07")
    wide = b'<row r="300"><c r="ALL300" t="n"><v>1</v></c></row></sheetData>'
    _rewrite(files["P1"], part, lambda xml: xml.replace(b"</sheetData>", wide))
    lines = problems_of(list(files.values()), out, limits=Limits(area=1_000_000))
    assert any("far outside a scoresheet's area" in line for line in lines)


def test_reading_stops_at_the_time_limit(files: dict[str, Path], out: Path) -> None:
    lines = problems_of(list(files.values()), out, limits=Limits(seconds=0))
    assert f"{files['P1']}: took longer than 0 seconds to read; refusing it" in lines
