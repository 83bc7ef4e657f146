"""Issue 10, point 9: retention and `docgen purge`, with a fixed clock.

The regional sample closed recruitment on 2026-10-20 and keeps applications 6 months, so
its outputs may be purged from 2027-04-20.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.case.effective import add_months
from docgen.cli.app import main
from docgen.errors import OutputError, RetentionError
from docgen.output.staging import write_file
from docgen.pack.pipeline import build
from docgen.retention import purging
from docgen.retention.purging import purge
from tests.helpers import SAMPLES, docx_text, tree_state

CASE = SAMPLES / "region-vest.yaml"
ENDS = dt.date(2027, 4, 20)
BUILT_ON = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case folder as it looks after weeks of work: a forced rebuild's backup, a returned
    scoresheet and a summary added by other commands, and a file of the user's own."""
    out = tmp_path_factory.mktemp("built") / "out"
    build(CASE, out, today=BUILT_ON)
    letter = next((out / "afslag").glob("A*.docx"))
    letter.write_bytes(b"edited by hand")
    build(CASE, out, force=True, today=BUILT_ON)
    write_file(out, "indsamlet/P1_returned.xlsx", b"returned scores",
               {"kind": "returned-scoresheet"}, reference="RMV-2026-0417")
    write_file(out, "opsummering.xlsx", b"summary", {"kind": "summary"},
               reference="RMV-2026-0417")
    (out / "noter.txt").write_text("HR's own notes", encoding="utf-8")
    return out


@pytest.fixture
def out(tmp_path: Path, built: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(built, target, symlinks=True)
    return target


def test_the_period_ends_on_the_same_day_months_later_or_the_months_last_day() -> None:
    assert add_months(dt.date(2026, 10, 20), 6) == ENDS
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 1), 36) == dt.date(2029, 12, 1)


def test_purge_before_the_date_refuses_and_says_the_date(out: Path) -> None:
    before = tree_state(out)
    with pytest.raises(RetentionError, match="ends on 2027-04-20"):
        purge(CASE, out, on=ENDS - dt.timedelta(days=1))
    assert tree_state(out) == before


def test_purge_after_the_date_deletes_every_listed_output_and_leaves_a_record(
    out: Path,
) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backups"]
    assert manifest["added"]
    result = purge(CASE, out, on=ENDS)
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert left == ["noter.txt", "purged.json"]
    assert result.left == ["noter.txt"]
    assert len(result.deleted) == len(manifest["documents"]) + 2
    assert result.backups == manifest["backups"]
    record = json.loads((out / "purged.json").read_text(encoding="utf-8"))
    assert record["reference"] == "RMV-2026-0417"
    assert record["purged_on"] == "2027-04-20"
    assert record["deleted"]["files"] == len(result.deleted)
    assert record["deleted"]["backup_folders"] == 1
    text = (out / "purged.json").read_text(encoding="utf-8")
    case_text = CASE.read_text(encoding="utf-8")
    names = [line.split("name:", 1)[1].strip() for line in case_text.splitlines()
             if "name:" in line]
    assert names
    assert not any(name in text for name in names)
    assert (out / "noter.txt").read_text(encoding="utf-8") == "HR's own notes"


def test_purge_dry_run_lists_and_deletes_nothing(out: Path) -> None:
    before = tree_state(out)
    result = purge(CASE, out, on=ENDS, dry_run=True)
    assert "stillingsopslag.docx" in result.deleted
    assert tree_state(out) == before


def test_purge_without_recruitment_closed_says_how_to_set_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fjordby = SAMPLES / "kommune-fjordby.yaml"
    build(fjordby, out)
    before = tree_state(out)
    with pytest.raises(RetentionError, match="does not say when recruitment closed") as caught:
        purge(fjordby, out, on=dt.date(2099, 1, 1))
    assert "dates.recruitment_closed" in (caught.value.hint or "")
    assert tree_state(out) == before


def test_build_of_an_expired_case_refuses_with_the_same_date(tmp_path: Path) -> None:
    with pytest.raises(RetentionError, match="ended on 2027-04-20"):
        build(CASE, tmp_path / "out", today=ENDS)
    assert not (tmp_path / "out").exists()
    build(CASE, tmp_path / "out", today=ENDS - dt.timedelta(days=1))


def test_purge_refuses_the_folder_of_another_case(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(SAMPLES / "kommune-fjordby.yaml", out)
    before = tree_state(out)
    with pytest.raises(OutputError, match="FK-SOC-2026-88.*RMV-2026-0417"):
        purge(CASE, out, on=ENDS)
    assert tree_state(out) == before


def test_purge_never_deletes_through_a_symlink(tmp_path: Path, out: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "afslag", elsewhere)
    (out / "afslag").symlink_to(elsewhere)
    inside, outside = tree_state(out), tree_state(elsewhere)
    with pytest.raises(OutputError, match="symbolic link"):
        purge(CASE, out, on=ENDS)
    assert tree_state(out) == inside
    assert tree_state(elsewhere) == outside


def test_purge_command_prints_what_it_deleted_and_where_consented_applications_are(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(purging, "today", lambda: ENDS)
    result = CliRunner().invoke(main, ["purge", str(CASE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "deleted stillingsopslag.docx" in result.output
    assert "deleted opsummering.xlsx" in result.output
    assert "(a backup folder)" in result.output
    assert "purged.json" in result.output
    assert "noter.txt" in result.output
    assert "3 applicant(s) consented" in result.output
    assert "outside this folder" in result.output


def test_purge_command_before_the_date_exits_1_with_the_date(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(purging, "today", lambda: dt.date(2027, 1, 1))
    result = CliRunner().invoke(main, ["purge", str(CASE), "-o", str(out)])
    assert result.exit_code == 1
    assert "2027-04-20" in result.output
    assert "Traceback" not in result.output


def test_a_consenting_applicants_letter_says_how_long_the_application_is_kept(
    built: Path,
) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    case = CASE.read_text(encoding="utf-8")
    assert "consent_months: 12" in case
    letters = [d for d in manifest["documents"] if d["kind"] == "rejection-letter"]
    texts = [docx_text(built / d["path"]) for d in letters if (built / d["path"]).exists()
             and (built / d["path"]).read_bytes()[:2] == b"PK"]
    assert any("12 måneder" in t for t in texts)


def test_write_file_adds_a_file_that_rebuilds_keep_and_never_overwrites_a_users(
    out: Path,
) -> None:
    report = write_file(out, "opsummering.xlsx", b"summary 2", {"kind": "summary"},
                        reference="RMV-2026-0417")
    assert report.changed == ["opsummering.xlsx"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = [r for r in manifest["added"] if r["path"] == "opsummering.xlsx"]
    assert len(entries) == 1
    assert entries[0]["kind"] == "summary"
    build(CASE, out, today=BUILT_ON)
    assert (out / "opsummering.xlsx").read_bytes() == b"summary 2"
    before = tree_state(out)
    with pytest.raises(OutputError, match="noter.txt: was not made by docgen"):
        write_file(out, "noter.txt", b"x", {"kind": "summary"}, reference="RMV-2026-0417")
    with pytest.raises(OutputError, match="holds the documents of case RMV-2026-0417"):
        write_file(out, "x.xlsx", b"x", {"kind": "summary"}, reference="OTHER-1")
    assert tree_state(out) == before


def test_purge_never_overwrites_a_users_file_named_like_its_record(out: Path) -> None:
    (out / "purged.json").write_text("my own notes", encoding="utf-8")
    before = tree_state(out)
    with pytest.raises(OutputError, match="not a record docgen wrote"):
        purge(CASE, out, on=ENDS)
    assert tree_state(out) == before
