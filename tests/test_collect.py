"""`docgen collect` round trip: build the regional sample, fill the four scoresheets as the
panel would, collect, and check every figure against the calculation written out here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from openpyxl import load_workbook

import docgen
from docgen.errors import OutputError, ReadError, RetentionError
from docgen.scoring.recipe import KIND
from tests.helpers import require_soffice, tree_state
from tests.scoresheets import (
    APPLICANTS,
    CRITERIA,
    MEMBERS,
    REGION,
    intended_recommendation,
    intended_score,
    returned_set,
    takeaway,
)

THRESHOLD = 2


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "region"
    docgen.build(REGION, out)
    return out


@pytest.fixture(scope="module")
def returned(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return returned_set(built, tmp_path_factory.mktemp("mail"))


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "region"
    shutil.copytree(built, copy)
    return copy


# ----------------------------------------------------------------- the hand calculation


def hand_scores(applicant: str, criterion: str) -> list[int]:
    return [s for m in MEMBERS if (s := intended_score(m, applicant, criterion)) is not None]


def hand_mean(applicant: str, criterion: str) -> Fraction:
    scores = hand_scores(applicant, criterion)
    return Fraction(sum(scores), len(scores))


def hand_total(applicant: str) -> Fraction:
    return sum((hand_mean(applicant, c) for c in CRITERIA), Fraction(0))


def hand_offset(member: str) -> Fraction:
    diffs = [intended_score(member, a, c) - hand_mean(a, c)  # type: ignore[operator]
             for a in APPLICANTS for c in CRITERIA
             if intended_score(member, a, c) is not None and len(hand_scores(a, c)) >= 2]
    return sum(diffs, Fraction(0)) / len(diffs)


def test_the_hand_calculation_is_the_one_described() -> None:
    # The designed departures, worked out by hand, so the helpers above are checked too.
    assert hand_scores("A07", "distance") == [2, 5, 4, 4]
    assert hand_mean("A07", "distance") == Fraction(15, 4)
    assert hand_scores("A12", "recovery") == [2, 3, 2]
    assert hand_total("A25") == Fraction(187, 4)            # 11 x 4.25 = 46.75
    assert hand_total("A07") == Fraction(185, 4)            # 46.75 - (4 - 2) / 4 = 46.25
    assert hand_total("A03") == hand_total("A18") == Fraction(143, 4)  # 35.75, a tie
    assert hand_total("A12") == Fraction(99, 4) - Fraction(9, 4) + Fraction(7, 3)
    assert hand_total("A31") == Fraction(55, 4)             # 13.75


# ----------------------------------------------------------------------- the figures


def test_every_figure_matches_the_hand_calculation(out: Path,
                                                   returned: dict[str, Path]) -> None:
    result = docgen.collect(REGION, list(returned.values()), out)
    panel = result.panel
    assert [a.id for a in panel.applicants] == APPLICANTS
    for a in panel.applicants:
        assert [c.id for c in a.criteria] == CRITERIA
        for row in a.criteria:
            scores = hand_scores(a.id, row.id)
            assert row.scores == {m: intended_score(m, a.id, row.id) for m in MEMBERS}
            assert row.mean == hand_mean(a.id, row.id)
            assert (row.low, row.high) == (min(scores), max(scores))
            assert row.spread == max(scores) - min(scores)
            assert row.disagreement == (max(scores) - min(scores) >= THRESHOLD)
            assert row.unrated_by == [m for m in MEMBERS
                                      if intended_score(m, a.id, row.id) is None]
        assert a.total == hand_total(a.id)
        assert a.recommendations == {m: intended_recommendation(m, a.id) for m in MEMBERS}
        assert a.takeaways == {m: takeaway(m, a.id) for m in MEMBERS}
    flagged = [(a.id, r.id) for a in panel.applicants for r in a.criteria if r.disagreement]
    assert flagged == [("A07", "distance")]
    unrated = [(a.id, r.id) for a in panel.applicants for r in a.criteria if r.unrated_by]
    assert unrated == [("A12", "recovery")]
    ranking = [(a.id, a.rank, a.tied) for a in panel.ranking]
    assert ranking == [("A25", 1, False), ("A07", 2, False), ("A03", 3, True),
                       ("A18", 3, True), ("A12", 5, False), ("A31", 6, False)]
    offsets = {m.id: m.offset for m in panel.members}
    assert offsets == {m: hand_offset(m) for m in MEMBERS}
    assert offsets["P2"] > 0 > offsets["P1"]  # P2 is the lenient scorer
    assert result.missing == []


def _sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    ws = load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_summary_workbook_shows_the_figures(out: Path, returned: dict[str, Path]) -> None:
    result = docgen.collect(REGION, list(returned.values()), out)
    assert result.path == (out / "scoreark_oversigt.xlsx").absolute()
    assert result.changes.new == ["scoreark_oversigt.xlsx"]
    wb = load_workbook(result.path)
    assert wb.sheetnames[:7] == ["Oversigt", *APPLICANTS]
    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "{{" not in text
    assert "{%" not in text
    assert "None" not in text
    overview = _sheet_rows(result.path, "Oversigt")
    ranking = {row[2]: row for row in overview if row[2] in APPLICANTS}
    for applicant in APPLICANTS:
        assert ranking[applicant][4] == pytest.approx(float(hand_total(applicant)), abs=0.005)
    assert ranking["A03"][1] == ranking["A18"][1] == "delt 3"
    assert ranking["A07"][6] == 1
    assert ranking["A12"][7] == 1
    assert "Søren" not in text  # a rejected applicant who was not interviewed is not listed
    assert "Ulla Brøndum" in text  # the external member is named in the office's summary
    members = {row[1]: row for row in overview if row[1] in MEMBERS}
    for m in MEMBERS:
        assert members[m][6] == pytest.approx(float(hand_offset(m)), abs=0.005)
    for applicant in APPLICANTS:
        rows = [r for r in _sheet_rows(result.path, applicant) if isinstance(r[1], int)]
        assert len(rows) == len(CRITERIA)
        for crit, row in zip(CRITERIA, rows, strict=True):
            assert row[3:7] == [intended_score(m, applicant, crit) for m in MEMBERS]
            assert row[7:9] == [None, None]  # unused member columns stay empty
            assert row[10] == pytest.approx(float(hand_mean(applicant, crit)), abs=0.005)
            scores = hand_scores(applicant, crit)
            assert row[11:14] == [min(scores), max(scores), max(scores) - min(scores)]
    a07 = [r for r in _sheet_rows(result.path, "A07") if isinstance(r[1], int)]
    assert a07[0][14] == "Uenighed (3 point)"
    a12 = [r for r in _sheet_rows(result.path, "A12") if isinstance(r[1], int)]
    assert a12[CRITERIA.index("recovery")][14] == "Ikke vurderet af P3"
    a25 = _sheet_rows(result.path, "A25")
    p4 = next(r for r in a25 if r[1] == "P4")
    assert p4[3] == "(ikke udfyldt)"
    assert p4[6] == takeaway("P4", "A25")
    rules = load_workbook(result.path)["A07"].conditional_formatting
    assert any("N" in str(cf.sqref) for cf in rules), "disagreement is not highlighted"


def test_the_summary_is_listed_in_the_manifest_and_a_rebuild_keeps_it(
    out: Path, returned: dict[str, Path]
) -> None:
    import json

    docgen.collect(REGION, list(returned.values()), out)
    summary = out / "scoreark_oversigt.xlsx"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [d for d in manifest["documents"] if d["kind"] == KIND]  # not the build's
    entry = next(d for d in manifest["added"] if d["kind"] == KIND)
    assert entry["path"] == "scoreark_oversigt.xlsx"
    assert entry["sha256"] == hashlib.sha256(summary.read_bytes()).hexdigest()
    assert entry["recipient"] is None
    assert entry["members"] == MEMBERS
    before = summary.read_bytes()
    docgen.build(REGION, out)
    assert summary.read_bytes() == before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d for d in manifest["added"] if d["kind"] == KIND] == [entry]


def test_collecting_again_replaces_the_summary_byte_for_byte(
    out: Path, returned: dict[str, Path]
) -> None:
    files = list(returned.values())
    docgen.collect(REGION, files, out)
    first = (out / "scoreark_oversigt.xlsx").read_bytes()
    docgen.collect(REGION, list(reversed(files)), out)
    assert (out / "scoreark_oversigt.xlsx").read_bytes() == first


def test_an_expired_case_is_refused_like_a_build(
    out: Path, returned: dict[str, Path], tmp_path: Path
) -> None:
    # The sample leaves its closing date as a comment (so that it never expires); set it.
    closed = "  # recruitment_closed: 2026-10-20\n"
    text = REGION.read_text(encoding="utf-8")
    assert closed in text
    case = tmp_path / REGION.name
    case.write_text(text.replace(closed, "  recruitment_closed: 2026-10-20\n"), encoding="utf-8")
    before = tree_state(out)
    with pytest.raises(RetentionError, match="ended on 2027-04-20"):
        docgen.collect(case, list(returned.values()), out, today=dt.date(2027, 4, 20))
    assert tree_state(out) == before
    docgen.collect(case, list(returned.values()), out, today=dt.date(2027, 4, 19))


def test_a_folder_without_this_cases_build_is_refused(returned: dict[str, Path],
                                                       tmp_path: Path) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    with pytest.raises(OutputError, match="holds no docgen build"):
        docgen.collect(REGION, list(returned.values()), empty)
    assert list(empty.iterdir()) == []


def test_a_summary_the_panel_edited_is_kept_unless_forced(
    out: Path, returned: dict[str, Path]
) -> None:
    files = list(returned.values())
    docgen.collect(REGION, files, out)
    summary = out / "scoreark_oversigt.xlsx"
    summary.write_bytes(summary.read_bytes() + b"consensus typed in")
    before = tree_state(out)
    with pytest.raises(OutputError, match="scoreark_oversigt.xlsx: was changed after docgen"):
        docgen.collect(REGION, files, out)
    assert tree_state(out) == before
    result = docgen.collect(REGION, files, out, force=True)
    assert result.changes.backup is not None
    assert (out / result.changes.backup / "scoreark_oversigt.xlsx").read_bytes() == (
        before["scoreark_oversigt.xlsx"])


def test_returned_files_are_never_modified(out: Path, returned: dict[str, Path]) -> None:
    before = {p: p.read_bytes() for p in returned.values()}
    docgen.collect(REGION, [next(iter(returned.values())).parent], out)
    assert {p: p.read_bytes() for p in returned.values()} == before


# ----------------------------------------------------------------------- the terminal


def test_cli_prints_the_ranking_with_ids_and_names_only_when_asked(
    cli: Callable[..., Result], out: Path, returned: dict[str, Path]
) -> None:
    folder = next(iter(returned.values())).parent
    result = cli("collect", REGION, folder, "-o", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table = [ln.split() for ln in lines if re.match(r"^=?\d+ +A\d", ln)]
    assert [row[:2] for row in table] == [["1", "A25"], ["2", "A07"], ["=3", "A03"],
                                          ["=3", "A18"], ["5", "A12"], ["6", "A31"]]
    assert table[0][2] == "46.75"
    assert table[4][2] == "24.83"
    assert "flags: 1 criteria with a spread of 2 or more, 1 criteria not rated" in result.output
    assert "Julie" not in result.output
    assert "Ærø" not in result.output
    assert "1 new, 0 changed, 0 unchanged, 0 removed" in result.output
    assert f"summary written to {(out / 'scoreark_oversigt.xlsx').absolute()}" in result.output
    named = cli("collect", REGION, folder, "-o", out, "--names")
    assert named.exit_code == 0, named.output
    assert "Jens Ærø Hansen" in named.output
    assert "0 new, 0 changed, 1 unchanged, 0 removed" in named.output
    quiet = cli("-q", "collect", REGION, folder, "-o", out)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output == ""


def test_cli_dry_run_checks_and_ranks_but_writes_nothing(
    cli: Callable[..., Result], out: Path, returned: dict[str, Path]
) -> None:
    before = tree_state(out)
    folder = next(iter(returned.values())).parent
    result = cli("collect", REGION, folder, "-o", out, "--dry-run")
    assert result.exit_code == 0, result.output
    assert re.search(r"^1 +A25", result.output, flags=re.MULTILINE)
    assert "dry run, nothing written" in result.output
    assert "would write    scoreark_oversigt.xlsx" in result.output
    assert "summary written" not in result.output
    assert tree_state(out) == before


def test_cli_collects_into_the_cases_own_folder_by_default(
    cli: Callable[..., Result], built: Path, returned: dict[str, Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(built, tmp_path / "out" / "RMV-2026-0417")
    folder = next(iter(returned.values())).parent
    result = cli("collect", REGION, folder)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "RMV-2026-0417" / "scoreark_oversigt.xlsx").is_file()


# --------------------------------------------------------------------------- the PDF


@pytest.mark.libreoffice
def test_the_summary_opens_in_libreoffice_and_its_figures_survive_a_pdf(
    out: Path, returned: dict[str, Path], tmp_path: Path
) -> None:
    soffice = require_soffice()
    result = docgen.collect(REGION, list(returned.values()), out)
    assert result.path is not None
    pdf_dir = tmp_path / "pdf"
    subprocess.run([str(soffice), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(pdf_dir), str(result.path)],
                   check=True, capture_output=True, timeout=180)
    import pdfplumber

    with pdfplumber.open(pdf_dir / "scoreark_oversigt.pdf") as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
    assert sizes == {(842, 595)}  # A4 landscape
    text = "\n".join(pages)
    assert "{{" not in text
    assert "None" not in text
    line = next(ln for ln in pages[0].splitlines() if " A25 " in f" {ln} ")
    assert re.search(r"\b1 A25 .* 46[.,]75 4[.,]25\b", line), line
    tie = [ln for ln in pages[0].splitlines() if "delt 3" in ln]
    assert len(tie) == 2
    assert all(re.search(r"35[.,]75", ln) for ln in tie)
    assert re.search(r"Uenighed \(3 point\)", text)
    assert "Ikke vurderet af P3" in text


def test_nothing_is_written_when_a_file_is_bad(out: Path, returned: dict[str, Path],
                                              tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    before = tree_state(out)
    with pytest.raises(ReadError):
        docgen.collect(REGION, [*returned.values(), bad], out)
    assert tree_state(out) == before


def test_the_shipped_summary_template_is_what_the_tool_makes(tmp_path: Path) -> None:
    import sys

    repo = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(repo / "tools" / "build_summary_template.py"),
                    str(tmp_path)], check=True, capture_output=True, timeout=120)
    shipped = repo / "templates" / "xlsx" / "scoreark_oversigt.xlsx"
    assert (tmp_path / "scoreark_oversigt.xlsx").read_bytes() == shipped.read_bytes()


@pytest.mark.libreoffice
def test_scoresheets_saved_again_by_libreoffice_are_read_the_same(
    out: Path, returned: dict[str, Path], tmp_path: Path
) -> None:
    # Panel members without Excel fill the sheets in LibreOffice: its re-saved workbooks
    # must keep the metadata and the layout checksum, and give the same figures.
    soffice = require_soffice()
    saved = tmp_path / "saved"
    subprocess.run([str(soffice), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved),
                    *map(str, returned.values())], check=True, capture_output=True, timeout=300)
    assert len(list(saved.glob("*.xlsx"))) == len(MEMBERS)
    result = docgen.collect(REGION, [saved], out)
    assert {a.id: a.total for a in result.panel.applicants} == \
        {a: hand_total(a) for a in APPLICANTS}
    assert {m.id: m.offset for m in result.panel.members} == {m: hand_offset(m) for m in MEMBERS}
