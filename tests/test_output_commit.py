"""Issue 10, point 2: a commit is all or nothing, even when it dies at any step.

The commit is driven through the output wing directly with a small folder, so that every
step can be broken in turn: an exception after the k-th rename (the process rolls back at
once) and ``os._exit`` after the k-th rename in a child process (the next command
finishes or undoes it). Either way every byte under the folder is the old or the new state.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from docgen.errors import OutputError
from docgen.output import journal
from docgen.output.staging import Staging, recover
from tests.helpers import REPO, tree_state

OLD = {"a.docx": b"a1", "sub/b.docx": b"b1", "sub/c.xlsx": b"c1", "gone.docx": b"g1",
       "old/only.docx": b"o1"}
NEW = {"a.docx": b"a2", "sub/b.docx": b"b1", "sub/c.xlsx": b"c2", "fresh/d.docx": b"d2"}


def _commit(out: Path, files: dict[str, bytes]) -> None:
    with Staging(out, reference="REF-1") as stage:
        records: list[dict[str, Any]] = []
        for rel, data in files.items():
            stage.write(rel, data)
            import hashlib

            records.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest()})
        stage.commit({"docgen": "test", "reference": "REF-1", "documents": records})


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The folder before (with a file of the user's) and after a clean commit."""
    root = tmp_path_factory.mktemp("states")
    old = root / "old"
    _commit(old, OLD)
    (old / "notes.txt").write_bytes(b"the officer's own notes")
    new = root / "new"
    shutil.copytree(old, new)
    _commit(new, NEW)
    return {"old_dir": old, "old": tree_state(old), "new": tree_state(new)}


def _count_steps(tmp_path: Path, states: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> int:
    out = tmp_path / "count"
    shutil.copytree(states["old_dir"], out)
    real = journal._rename
    steps = []

    def counting(src: Path, dst: Path) -> None:
        steps.append(dst)
        real(src, dst)

    monkeypatch.setattr(journal, "_rename", counting)
    _commit(out, NEW)
    monkeypatch.setattr(journal, "_rename", real)
    assert tree_state(out) == states["new"]
    return len(steps)


def test_the_two_states_differ_in_every_way_a_commit_can(states: dict[str, Any]) -> None:
    old, new = states["old"], states["new"]
    assert old["a.docx"] != new["a.docx"]  # replaced
    assert old["sub/b.docx"] == new["sub/b.docx"]  # unchanged
    assert "gone.docx" in old
    assert "gone.docx" not in new
    assert "fresh/d.docx" in new
    assert "fresh/d.docx" not in old
    assert new["notes.txt"] == old["notes.txt"]  # the user's file stays
    assert not any(k.startswith(".docgen") for k in [*old, *new])


def test_an_exception_after_every_commit_step_rolls_back(
    tmp_path: Path, states: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    total = _count_steps(tmp_path, states, monkeypatch)
    assert total >= 8
    real = journal._rename
    for k in range(1, total + 1):
        out = tmp_path / f"k{k}"
        shutil.copytree(states["old_dir"], out)
        done = []

        def failing(src: Path, dst: Path, k: int = k, done: list[int] = done) -> None:
            real(src, dst)
            done.append(1)
            if len(done) == k:
                raise OSError(28, "No space left on device", str(dst))

        monkeypatch.setattr(journal, "_rename", failing)
        with pytest.raises(OutputError, match="disk is full"):
            _commit(out, NEW)
        monkeypatch.setattr(journal, "_rename", real)
        assert tree_state(out) == states["old"], f"after step {k}"
        assert len(done) >= k


# A child process whose k-th rename of the commit is its last: os._exit right after it.
_DYING = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from docgen.output import journal
    k = int(sys.argv[2]); done = []
    real = journal._rename
    def dying(src, dst):
        real(src, dst)
        done.append(1)
        if len(done) == k:
            os._exit(9)
    journal._rename = dying
""")
_CHILD = _DYING + textwrap.dedent("""
    from tests.test_output_commit import NEW, _commit
    _commit(Path(sys.argv[1]), NEW)
""")


def test_a_kill_after_every_commit_step_is_finished_or_undone_by_the_next_command(
    tmp_path: Path, states: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    total = _count_steps(tmp_path, states, monkeypatch)
    script = _CHILD.format(repo=str(REPO))
    outcomes = set()
    for k in range(1, total + 1):
        out = tmp_path / f"k{k}"
        shutil.copytree(states["old_dir"], out)
        run = subprocess.run([sys.executable, "-c", script, str(out), str(k)],
                             capture_output=True, check=False)
        assert run.returncode == 9, run.stderr.decode()
        assert (out / ".docgen").is_dir(), "the killed commit left its journal"
        assert recover(out) == 1
        state = tree_state(out)
        assert state in (states["old"], states["new"]), f"after a kill at step {k}"
        outcomes.add("new" if state == states["new"] else "old")
        _commit(out, NEW)  # and the folder works as ever
        assert tree_state(out) == states["new"]
    assert outcomes == {"new"}  # every step is past the journal: each kill is finished


def test_a_kill_before_the_journal_leaves_the_old_state(tmp_path: Path,
                                                        states: dict[str, Any]) -> None:
    out = tmp_path / "out"
    shutil.copytree(states["old_dir"], out)
    script = _CHILD.format(repo=str(REPO)).replace(
        "journal._rename = dying", "journal.Journal.save = lambda self: os._exit(9)")
    run = subprocess.run([sys.executable, "-c", script, str(out), "1"], capture_output=True,
                         check=False)
    assert run.returncode == 9, run.stderr.decode()
    assert recover(out) == 1
    assert tree_state(out) == states["old"]


def test_an_interrupted_rollback_is_finished_by_the_next_command(
    tmp_path: Path, states: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(states["old_dir"], out)
    real = journal._rename
    calls = []

    def broken(src: Path, dst: Path) -> None:
        calls.append(1)
        if len(calls) == 4:
            raise OSError(5, "Input/output error", str(dst))
        if len(calls) > 5:  # the disk is gone: the rollback fails too
            raise OSError(5, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(journal, "_rename", broken)
    with pytest.raises(OutputError, match="next docgen command"):
        _commit(out, NEW)
    monkeypatch.setattr(journal, "_rename", real)
    assert recover(out) == 1
    assert tree_state(out) == states["old"]


_BUILD_CHILD = _DYING + textwrap.dedent("""
    from docgen.pack.pipeline import build
    build(Path({case!r}), Path(sys.argv[1]))
""")


def test_a_real_rebuild_killed_after_every_commit_step_is_finished_by_the_next_build(
    tmp_path: Path,
) -> None:
    import hashlib
    import json

    from docgen.pack.pipeline import build

    case = REPO / "samples" / "kommune-fjordby.yaml"
    old = tmp_path / "old"
    build(case, old)
    (old / "parathed.xlsx").unlink()  # the rebuild adds it back
    (old / "rollestjerne.xlsx").write_bytes(b"an older version docgen wrote")
    (old / "scoreark" / "P9_gone.xlsx").write_bytes(b"a member who left the panel")
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    for record in manifest["documents"]:
        if record["path"] == "rollestjerne.xlsx":
            record["sha256"] = hashlib.sha256(b"an older version docgen wrote").hexdigest()
    manifest["documents"].append({"path": "scoreark/P9_gone.xlsx", "sha256": hashlib.sha256(
        b"a member who left the panel").hexdigest()})
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = tree_state(old)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    build(case, new)
    after = tree_state(new)
    assert before != after
    script = _BUILD_CHILD.format(repo=str(REPO), case=str(case))
    k = 0
    while True:
        k += 1
        out = tmp_path / f"k{k}"
        shutil.copytree(old, out)
        run = subprocess.run([sys.executable, "-c", script, str(out), str(k)],
                             capture_output=True, check=False)
        if run.returncode == 0:  # k is past the last step
            assert tree_state(out) == after
            break
        assert run.returncode == 9, run.stderr.decode()
        assert recover(out) == 1
        assert tree_state(out) in (before, after), f"after a kill at step {k}"
        build(case, out)
        assert tree_state(out) == after
    assert k >= 5  # aside and place of the replaced file, place, aside, the manifest's two
