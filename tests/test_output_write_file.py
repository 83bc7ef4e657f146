"""One docgen-made file added to a built folder (``write_file``, as ``docgen collect``
writes the panel's summary): never over a file docgen did not make or one changed since,
its own earlier version replaced, nothing else touched, old-or-new under fault injection,
and kept by rebuilds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from docgen.errors import OutputError
from docgen.output import journal
from docgen.output.staging import Staging, write_file
from tests.helpers import tree_state

REF = "REF-1"
RECORD = {"kind": "scoresheet-summary", "recipient": None, "members": ["P1", "P2"]}
BUILT = {"stillingsopslag.docx": b"posting", "scoreark/P1_a.xlsx": b"sheet 1"}


def _build(out: Path, files: dict[str, bytes] = BUILT) -> None:
    with Staging(out, reference=REF) as stage:
        records = []
        for rel, data in files.items():
            stage.write(rel, data)
            records.append({"kind": "x", "path": rel,
                            "sha256": hashlib.sha256(data).hexdigest()})
        stage.commit({"docgen": "test", "reference": REF, "documents": records})


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    _build(folder)
    (folder / "egne noter.txt").write_bytes(b"the user's own file")
    return folder


def _manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data


def _add(out: Path, data: bytes, rel: str = "oversigt.xlsx", **kw: Any) -> Any:
    return write_file(out, rel, data, RECORD, reference=REF, **kw)


def test_a_new_file_is_added_with_its_entry_and_nothing_else_changes(out: Path) -> None:
    before = tree_state(out)
    old_manifest = _manifest(out)
    report = _add(out, b"v1")
    assert report.new == ["oversigt.xlsx"]
    after = tree_state(out)
    assert after.pop("oversigt.xlsx") == b"v1"
    assert after.pop("manifest.json") != before.pop("manifest.json")
    assert after == before
    manifest = _manifest(out)
    assert manifest["documents"] == old_manifest["documents"]
    assert manifest["added"] == [{**RECORD, "path": "oversigt.xlsx",
                                  "sha256": hashlib.sha256(b"v1").hexdigest()}]
    assert (out / "oversigt.xlsx").stat().st_mode & 0o777 == 0o600
    assert not (out / ".docgen").exists()


def test_its_own_earlier_unchanged_version_is_replaced(out: Path) -> None:
    _add(out, b"v1")
    report = _add(out, b"v2")
    assert report.changed == ["oversigt.xlsx"]
    assert (out / "oversigt.xlsx").read_bytes() == b"v2"
    entries = [d for d in _manifest(out)["added"] if d["path"] == "oversigt.xlsx"]
    assert [e["sha256"] for e in entries] == [hashlib.sha256(b"v2").hexdigest()]
    assert not list(out.glob("docgen-backup-*"))


def test_the_same_bytes_again_leave_the_file_untouched(out: Path) -> None:
    _add(out, b"v1")
    before = tree_state(out)
    report = _add(out, b"v1")
    assert report.unchanged == ["oversigt.xlsx"]
    assert tree_state(out) == before


def test_a_file_docgen_did_not_write_is_never_replaced(out: Path) -> None:
    before = tree_state(out)
    with pytest.raises(OutputError, match="egne noter.txt: was not made by docgen"):
        _add(out, b"x", rel="egne noter.txt")
    assert tree_state(out) == before


def test_a_file_changed_since_docgen_wrote_it_is_never_replaced_without_force(
    out: Path,
) -> None:
    _add(out, b"v1")
    (out / "oversigt.xlsx").write_bytes(b"v1 with the panel's consensus")
    before = tree_state(out)
    with pytest.raises(OutputError, match="oversigt.xlsx: was changed after docgen wrote it"):
        _add(out, b"v2")
    assert tree_state(out) == before
    report = _add(out, b"v2", force=True)
    assert report.backed_up == ["oversigt.xlsx"]
    assert (out / report.backup / "oversigt.xlsx").read_bytes() == (
        b"v1 with the panel's consensus")
    assert (out / "oversigt.xlsx").read_bytes() == b"v2"
    assert _manifest(out)["backups"] == [report.backup]


def test_a_symlink_in_its_place_is_refused(out: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"outside")
    (out / "oversigt.xlsx").symlink_to(elsewhere)
    before = tree_state(out)
    with pytest.raises(OutputError, match="oversigt.xlsx"):
        _add(out, b"v1")
    assert elsewhere.read_bytes() == b"outside"
    assert tree_state(out) == before


def test_a_folder_without_a_build_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OutputError, match="holds no docgen build"):
        _add(empty, b"v1")
    assert list(empty.iterdir()) == []


def test_another_cases_folder_is_refused(out: Path) -> None:
    before = tree_state(out)
    with pytest.raises(OutputError, match=f"holds the documents of case {REF}"):
        write_file(out, "oversigt.xlsx", b"v1", RECORD, reference="OTHER-2")
    assert tree_state(out) == before


def test_a_dry_run_writes_nothing(out: Path) -> None:
    _add(out, b"v1")
    before = tree_state(out)
    report = _add(out, b"v2", dry_run=True)
    assert report.dry_run
    assert report.changed == ["oversigt.xlsx"]
    assert tree_state(out) == before


def test_a_failure_at_every_step_leaves_the_folder_as_it_was(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(out, b"v1")
    before = tree_state(out)
    real = journal._rename
    steps: list[Path] = []

    def counting(src: Path, dst: Path) -> None:
        steps.append(dst)
        real(src, dst)

    probe = out.parent / "probe"
    _build(probe)
    write_file(probe, "oversigt.xlsx", b"v1", RECORD, reference=REF)
    monkeypatch.setattr(journal, "_rename", counting)
    write_file(probe, "oversigt.xlsx", b"v2", RECORD, reference=REF)
    monkeypatch.setattr(journal, "_rename", real)
    assert len(steps) >= 3  # summary aside, summary in, manifest aside, manifest in
    for k in range(1, len(steps) + 1):
        done = {"n": 0}

        def flaky(src: Path, dst: Path, k: int = k, done: dict[str, int] = done) -> None:
            done["n"] += 1
            if done["n"] == k:
                raise OSError(28, "No space left on device")
            real(src, dst)

        monkeypatch.setattr(journal, "_rename", flaky)
        with pytest.raises(OutputError, match="No space left on device|disk"):
            _add(out, b"v2")
        monkeypatch.setattr(journal, "_rename", real)
        assert tree_state(out) == before, f"step {k}"


def test_a_rebuild_keeps_the_added_file_and_its_entry(out: Path) -> None:
    _add(out, b"v1")
    entry = _manifest(out)["added"]
    _build(out, {**BUILT, "stillingsopslag.docx": b"posting 2"})
    assert (out / "oversigt.xlsx").read_bytes() == b"v1"
    assert _manifest(out)["added"] == entry
    _build(out, {"stillingsopslag.docx": b"posting 3"})  # a rebuild that makes less
    assert (out / "oversigt.xlsx").read_bytes() == b"v1"
    assert not (out / "scoreark").exists()
