"""Issue 10: a rebuild never loses the user's work (points 1, 3, 4, 5, 6, 7, 8).

Each refusal leaves every byte under the output folder, and outside it, as it was.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli.app import main
from docgen.errors import OutputError
from docgen.output import journal
from docgen.output.lock import FolderLock
from docgen.pack.pipeline import build
from tests.helpers import SAMPLES, require_soffice, tree_state

CASE = SAMPLES / "region-vest.yaml"  # letters, phone guides, scoresheets: every kind
OTHER = SAMPLES / "kommune-fjordby.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "out"
    build(CASE, out)
    return out


@pytest.fixture
def out(tmp_path: Path, built: Path) -> Path:
    """A fresh copy of a finished build of the Fjordby sample."""
    target = tmp_path / "out"
    shutil.copytree(built, target, symlinks=True)
    return target


def _cli(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    return result.exit_code, result.output


def _letter(out: Path) -> str:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return next(d["path"] for d in manifest["documents"] if d["path"].startswith("afslag/"))


# --- 1. nothing outside the output folder -------------------------------------------


def test_a_symlinked_subfolder_is_refused_and_nothing_moves(tmp_path: Path, out: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone else's", encoding="utf-8")
    shutil.move(out / "afslag", elsewhere / "afslag")
    (out / "afslag").symlink_to(elsewhere / "afslag")
    inside, outside = tree_state(out), tree_state(elsewhere)
    code, text = _cli("build", CASE, "-o", out)
    assert code == 1
    assert "afslag is a symbolic link" in text
    assert tree_state(out) == inside
    assert tree_state(elsewhere) == outside
    assert (out / "afslag").is_symlink()


def test_a_symlinked_file_is_refused(tmp_path: Path, out: Path) -> None:
    target = tmp_path / "target.xlsx"
    target.write_bytes(b"not docgen's")
    (out / "parathed.xlsx").unlink()
    (out / "parathed.xlsx").symlink_to(target)
    before = tree_state(out)
    with pytest.raises(OutputError, match="parathed.xlsx is a symbolic link"):
        build(CASE, out)
    assert tree_state(out) == before
    assert target.read_bytes() == b"not docgen's"


def test_an_edited_manifest_cannot_make_a_rebuild_delete_an_unrelated_file(out: Path) -> None:
    (out / "budget.xlsx").write_bytes(b"the office's budget")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append({"path": "budget.xlsx", "sha256": "0" * 64, "kind": "x"})
    manifest["documents"].append({"path": "../outside.txt", "sha256": "0" * 64, "kind": "x"})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out.parent / "outside.txt").write_text("outside", encoding="utf-8")
    with pytest.raises(OutputError, match="budget.xlsx: was changed after docgen wrote it"):
        build(CASE, out)
    assert (out / "budget.xlsx").read_bytes() == b"the office's budget"
    assert (out.parent / "outside.txt").exists()


# --- 3. never lose the user's work ---------------------------------------------------


def test_an_edited_letter_stops_the_rebuild_and_nothing_is_written(out: Path) -> None:
    letter = _letter(out)
    with (out / letter).open("ab") as fh:
        fh.write(b"edited by hand")
    before = tree_state(out)
    code, text = _cli("build", CASE, "-o", out)
    assert code == 1
    assert f"{letter}: was changed after docgen wrote it" in text
    assert "--force" in text
    assert tree_state(out) == before


def test_a_returned_scoresheet_saved_over_the_sent_one_is_kept(out: Path) -> None:
    sheet = next((out / "scoreark").iterdir())
    sheet.write_bytes(b"the panel member's scores")
    before = tree_state(out)
    with pytest.raises(OutputError, match="was changed after docgen wrote it"):
        build(CASE, out)
    assert tree_state(out) == before


def test_a_users_file_with_a_name_docgen_uses_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "parathed.xlsx").write_bytes(b"my own readiness notes")
    before = tree_state(out)
    with pytest.raises(OutputError, match="parathed.xlsx: was not made by docgen"):
        build(CASE, out)
    assert tree_state(out) == before


def test_an_edited_file_the_rebuild_no_longer_makes_is_not_removed(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "extra").mkdir()
    (out / "extra/old.docx").write_bytes(b"edited since")
    manifest["documents"].append({"path": "extra/old.docx", "sha256": "1" * 64})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = tree_state(out)
    with pytest.raises(OutputError, match="extra/old.docx: was changed"):
        build(CASE, out)
    assert tree_state(out) == before


def test_force_moves_the_files_in_the_way_to_a_dated_backup_first(out: Path) -> None:
    letter = _letter(out)
    (out / letter).write_bytes(b"edited by hand")
    (out / "stillingsopslag.docx").write_bytes(b"the user's own posting")
    code, text = _cli("build", CASE, "-o", out, "--force")
    assert code == 0, text
    backups = sorted(out.glob("docgen-backup-*"))
    assert len(backups) == 1
    assert (backups[0] / letter).read_bytes() == b"edited by hand"
    assert (backups[0] / "stillingsopslag.docx").read_bytes() == b"the user's own posting"
    assert f"moved to {backups[0]}" in text.replace("\n", " ")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backups"] == [backups[0].name]
    assert (out / letter).read_bytes() != b"edited by hand"
    # the backup survives the next rebuild and stays listed
    build(CASE, out)
    assert (backups[0] / letter).exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["backups"]


# --- 4. one case per folder -----------------------------------------------------------


def test_the_default_output_folder_is_the_cases_own(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _cli("build", OTHER)[0] == 0
    assert _cli("build", CASE)[0] == 0
    assert (tmp_path / "out/FK-SOC-2026-88/manifest.json").is_file()
    assert (tmp_path / "out/RMV-2026-0417/manifest.json").is_file()
    assert (tmp_path / "out/FK-SOC-2026-88/stillingsopslag.docx").is_file()
    assert (tmp_path / "out/RMV-2026-0417/afslag/alle_afslag.docx").is_file()


def test_a_folder_of_another_case_is_refused_naming_both(out: Path) -> None:
    before = tree_state(out)
    code, text = _cli("build", OTHER, "-o", out)
    assert code == 1
    assert "FK-SOC-2026-88" in text
    assert "RMV-2026-0417" in text
    assert tree_state(out) == before


def test_force_over_another_case_keeps_its_files_in_a_backup(out: Path) -> None:
    before = tree_state(out)
    assert _cli("build", OTHER, "-o", out, "--force")[0] == 0
    backup = next(out.glob("docgen-backup-*"))
    for rel, data in before.items():
        assert (backup / rel).read_bytes() == data or (out / rel).read_bytes() == data


# --- 5. say what changed ---------------------------------------------------------------


def test_a_rebuild_says_what_changed_and_lists_the_removed(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    n = len(manifest["documents"])
    (out / "parathed.xlsx").unlink()
    extra = out / "telefonguide" / "A99_gone.docx"
    extra.write_bytes(b"x")
    manifest["documents"].append({"path": "telefonguide/A99_gone.docx",
                                  "sha256": __import__("hashlib").sha256(b"x").hexdigest()})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, text = _cli("build", CASE, "-o", out)
    assert code == 0, text
    assert f"1 new, 0 changed, {n - 1} unchanged, 1 removed" in text
    assert "removed telefonguide/A99_gone.docx" in text
    assert not extra.exists()


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path, out: Path) -> None:
    (out / "parathed.xlsx").unlink()
    before = tree_state(out)
    code, text = _cli("build", CASE, "-o", out, "--dry-run")
    assert code == 0, text
    assert "would write    parathed.xlsx" in text
    assert "would keep     stillingsopslag.docx" in text
    assert tree_state(out) == before
    fresh = tmp_path / "fresh"
    assert _cli("build", CASE, "-o", fresh, "--dry-run")[0] == 0
    assert not fresh.exists()


# --- 6. leave nothing behind -----------------------------------------------------------


def test_nothing_is_left_beside_or_in_the_folder_after_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    out = tmp_path / "parent" / "out"
    build(CASE, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
    assert not (out / ".docgen").exists()
    assert list(scratch.iterdir()) == []  # no docgen-templates-* any more


def test_a_killed_builds_staging_folder_is_removed_but_a_running_ones_is_not(
    out: Path,
) -> None:
    dead = out / ".docgen" / "stage-dead"
    (dead / "new").mkdir(parents=True)
    (dead / "new" / "big.docx").write_bytes(b"x" * 1000)
    live = out / ".docgen" / "stage-live"
    live.mkdir()
    from docgen.output.lock import try_lock, unlock

    fd = os.open(live / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
    assert try_lock(fd)
    try:
        build(CASE, out)
        assert not dead.exists()
        assert live.exists()
    finally:
        unlock(fd)
    build(CASE, out)
    assert not (out / ".docgen").exists()


def test_the_lock_message_names_the_output_folder_and_the_other_process(out: Path) -> None:
    holder = FolderLock(out)
    with holder:
        with pytest.raises(OutputError) as caught, FolderLock(out, timeout=0.2):
            pass
        assert str(out) in caught.value.message
        assert f"process {os.getpid()}" in caught.value.message
    assert not (out / ".docgen").exists()


# --- 7. owner-only files -------------------------------------------------------------------


def _modes(out: Path) -> tuple[set[str], set[str]]:
    loose_files = {p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and stat.S_IMODE(p.stat().st_mode) != 0o600}
    loose_dirs = {p.relative_to(out).as_posix() for p in [out, *out.rglob("*")]
                  if p.is_dir() and stat.S_IMODE(p.stat().st_mode) != 0o700}
    return loose_files, loose_dirs


@pytest.mark.libreoffice
def test_every_file_is_0600_and_every_folder_0700_after_a_pdf_build(tmp_path: Path) -> None:
    require_soffice()
    previous = os.umask(0o022)  # the usual umask, which used to leave PDFs 0644
    try:
        out = tmp_path / "new" / "out"
        result = build(CASE, out, pdf=__import__("docgen").PdfOptions(enabled=True))
    finally:
        os.umask(previous)
    assert any(d["path"].endswith(".pdf") for d in result.documents)
    assert any(d["path"] == "afslag/alle_afslag.pdf" for d in result.documents)
    assert _modes(out) == (set(), set())
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700  # docgen made it


def test_an_output_folder_readable_by_others_gets_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    out.chmod(0o755)
    result = build(CASE, out)
    assert any("can be read by other users" in w for w in result.warnings)
    out.chmod(0o700)
    assert not any("other users" in w for w in build(CASE, out).warnings)


# --- 8. the operating system's refusals ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "said"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"),
     (errno.EROFS, "read-only"), (errno.ENAMETOOLONG, "too long"),
     (errno.EBUSY, "in use by another program")],
)
def test_the_systems_refusals_in_the_commit_are_clear_and_undone(
    out: Path, monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    (out / "parathed.xlsx").unlink()  # so the rebuild has something to move
    before = tree_state(out)
    real = journal._rename
    calls = []

    def refusing(src: Path, dst: Path) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(code, os.strerror(code), str(dst))
        real(src, dst)

    monkeypatch.setattr(journal, "_rename", refusing)
    status, text = _cli("build", CASE, "-o", out)
    assert status == 1
    assert said in text
    assert str(out) in text
    assert "parathed.xlsx" in text
    assert tree_state(out) == before


def test_a_disk_full_while_staging_is_clear_and_writes_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_state(out)
    real = os.fdopen

    def full(fd: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        fh = real(fd, *args, **kwargs)  # type: ignore[call-overload]

        def write(_data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        fh.write = write
        return fh

    monkeypatch.setattr(os, "fdopen", full)
    status, text = _cli("build", CASE, "-o", out)
    assert status == 1
    assert "the disk is full" in text
    monkeypatch.undo()
    assert tree_state(out) == before


def test_a_name_too_long_is_a_clear_error(tmp_path: Path) -> None:
    status, text = _cli("build", CASE, "-o", tmp_path / ("x" * 300))
    assert status == 1
    assert "too long" in text


def test_a_file_where_a_folder_belongs_is_refused_before_anything_moves(out: Path) -> None:
    shutil.rmtree(out / "telefonguide")
    (out / "telefonguide").write_bytes(b"a file")
    (out / "parathed.xlsx").unlink()
    before = tree_state(out)
    with pytest.raises(OutputError, match="telefonguide: a file stands where a folder belongs"):
        build(CASE, out)
    assert tree_state(out) == before


def test_a_folder_where_a_file_belongs_is_refused_before_anything_moves(out: Path) -> None:
    (out / "parathed.xlsx").unlink()
    (out / "parathed.xlsx").mkdir()
    (out / "rollestjerne.xlsx").unlink()
    before = tree_state(out)
    with pytest.raises(OutputError, match="parathed.xlsx: a folder stands where"):
        build(CASE, out)
    assert tree_state(out) == before
    assert not (out / "rollestjerne.xlsx").exists()


def test_a_planted_link_for_docgens_own_hidden_folder_is_refused(tmp_path: Path,
                                                                 out: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / ".docgen").symlink_to(elsewhere)
    before = tree_state(out)
    with pytest.raises(OutputError, match=r"\.docgen is a symbolic link"):
        build(CASE, out)
    assert tree_state(out) == before
    assert list(elsewhere.iterdir()) == []


def test_a_rebuild_tightens_the_files_and_folders_an_older_build_left_open(out: Path) -> None:
    for path in out.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    build(CASE, out)
    loose_files, loose_dirs = _modes(out)
    assert loose_files == set()
    assert loose_dirs == set()
