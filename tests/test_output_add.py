"""Adding one docgen-made file to an output folder: never over a file docgen did not make
or one changed since, nothing else touched, and old-or-new under fault injection."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.output.add import add_file, kept_entries
from tests.helpers import tree_state

RECORD = {"kind": "scoresheet-summary", "recipient": None}


def _folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stillingsopslag.docx").write_bytes(b"posting")
    (out / "egne noter.txt").write_bytes(b"the user's own file")
    manifest = {"docgen": "0", "documents": [
        {"kind": "posting", "path": "stillingsopslag.docx",
         "sha256": hashlib.sha256(b"posting").hexdigest(), "recipient": None}]}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def _manifest(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_new_file_is_added_with_its_entry_and_nothing_else_changes(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    before = tree_state(out)
    add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    after = tree_state(out)
    assert after.pop("oversigt.xlsx") == b"v1"
    assert after.pop("manifest.json") != before.pop("manifest.json")
    assert after == before
    docs = _manifest(out)["documents"]
    assert docs[0]["path"] == "stillingsopslag.docx"  # type: ignore[index]
    assert docs[1] == {**RECORD, "path": "oversigt.xlsx",  # type: ignore[index]
                       "sha256": hashlib.sha256(b"v1").hexdigest(), "added_by": "collect"}
    assert (out / "oversigt.xlsx").stat().st_mode & 0o077 == 0


def test_an_unchanged_docgen_file_is_replaced(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    add_file(out, "oversigt.xlsx", b"v2", RECORD, command="collect")
    assert (out / "oversigt.xlsx").read_bytes() == b"v2"
    entries = [d for d in _manifest(out)["documents"]  # type: ignore[attr-defined]
               if d["path"] == "oversigt.xlsx"]
    assert [e["sha256"] for e in entries] == [hashlib.sha256(b"v2").hexdigest()]


def test_a_file_docgen_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    before = tree_state(out)
    with pytest.raises(OutputError, match="egne noter.txt already exists and docgen did not "
                                          "write it"):
        add_file(out, "egne noter.txt", b"x", RECORD, command="collect")
    assert tree_state(out) == before


def test_a_file_changed_since_docgen_wrote_it_is_never_replaced(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    (out / "oversigt.xlsx").write_bytes(b"v1 with the panel's consensus")
    before = tree_state(out)
    with pytest.raises(OutputError, match="was changed since docgen wrote it"):
        add_file(out, "oversigt.xlsx", b"v2", RECORD, command="collect")
    assert tree_state(out) == before


def test_a_symlink_in_its_place_is_refused(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"outside")
    (out / "oversigt.xlsx").symlink_to(elsewhere)
    with pytest.raises(OutputError):
        add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    assert elsewhere.read_bytes() == b"outside"


@pytest.mark.parametrize("fail_at", [1, 2])
def test_a_failure_while_moving_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    out = _folder(tmp_path)
    add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    before = tree_state(out)
    real = Path.replace
    calls = {"n": 0}

    def flaky(self: Path, target: Path) -> Path:
        if target.name in ("oversigt.xlsx", "manifest.json") and self.name.endswith("-tmp"):
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    with pytest.raises(OutputError, match="No space left on device"):
        add_file(out, "oversigt.xlsx", b"v2", RECORD, command="collect")
    monkeypatch.undo()
    assert tree_state(out) == before  # old file, old manifest, no temporary files left


def test_a_rebuild_keeps_entries_another_command_added(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    add_file(out, "oversigt.xlsx", b"v1", RECORD, command="collect")
    kept = kept_entries(out, {"stillingsopslag.docx"})
    assert [d["path"] for d in kept] == ["oversigt.xlsx"]
    assert kept_entries(out, {"oversigt.xlsx"}) == []
    (out / "oversigt.xlsx").unlink()
    assert kept_entries(out, set()) == []
