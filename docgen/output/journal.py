"""The commit as a journal of renames that a crash at any instant cannot leave half done.

Before the first rename, the whole list of steps is written to ``journal.json`` in the
staging folder (itself inside the output folder, so every rename stays on one disk) and
flushed to disk. Each step is a rename that can be redone or undone by looking at which
of its two paths exists, so running the journal forward (or back) again after a crash
finishes the job: files being replaced are first moved aside into the staging folder
(or into a kept backup folder), then the new files are moved in, ``manifest.json`` last.
Only when everything is on disk is the journal removed; the staging folder, holding the
replaced files, goes after it.

A failure inside the process rolls the folder back at once; a killed process is
finished (or, when a step cannot be redone, rolled back) by the next docgen command
that opens the folder (``recover``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.output.paths import walk_to

__all__ = ["JOURNAL", "Journal", "fsync_dir", "fsync_file"]

JOURNAL = "journal.json"


def _rename(src: Path, dst: Path) -> None:
    """Every step of a commit goes through here (the fault-injection tests count them)."""
    src.replace(dst)


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk (where the system allows it)."""
    if os.name == "nt":  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Journal:
    """The steps of one commit into ``out`` from the staging folder ``stage``.

    Steps: ``{"op": "mkdir", "rel"}``; ``{"op": "aside", "rel", "to"}`` moves an existing
    file to ``to`` (relative to ``out``); ``{"op": "place", "rel"}`` moves ``stage/new/rel``
    in. ``prune`` lists folders to remove if empty once the commit is through.
    """

    out: Path
    stage: Path
    ops: list[dict[str, str]] = field(default_factory=list)
    prune: list[str] = field(default_factory=list)
    state: str = "forward"

    @property
    def path(self) -> Path:
        return self.stage / JOURNAL

    def _src(self, rel: str) -> Path:
        return self.stage / "new" / rel

    def save(self) -> None:
        """Write the journal atomically and durably."""
        body = {"state": self.state, "ops": self.ops, "prune": self.prune}
        tmp = self.stage / (JOURNAL + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(body, fh)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)
        fsync_dir(self.stage)

    @classmethod
    def load(cls, out: Path, stage: Path) -> Journal | None:
        """The journal left in ``stage`` by an interrupted commit, if any."""
        try:
            body: dict[str, Any] = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return cls(out, stage, list(body["ops"]), list(body.get("prune", [])),
                   str(body.get("state", "forward")))

    def forward(self) -> None:
        """Do every step not yet done; the manifest is flushed to disk after the rest."""
        touched: set[Path] = {self.out}
        for i, op in enumerate(self.ops):
            if i == len(self.ops) - 1:  # the manifest: everything before it is on disk first
                for folder in sorted(touched):
                    fsync_dir(folder)
            touched.update(self._forward(op))
        fsync_dir(self.out)
        for rel in sorted(self.prune, key=lambda r: -r.count("/")):
            with contextlib.suppress(OSError):
                walk_to(self.out, rel).rmdir()
        self.finish()

    def _forward(self, op: dict[str, str]) -> list[Path]:
        rel = op["rel"]
        dest = walk_to(self.out, rel)
        if op["op"] == "mkdir":
            if not dest.is_dir():
                dest.mkdir(mode=0o700)
            return [dest.parent]
        if op["op"] == "aside":
            to = self.out / op["to"]
            if os.path.lexists(dest) and not os.path.lexists(to):
                to.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _rename(dest, to)
            return [dest.parent, to.parent]
        src = self._src(rel)
        if os.path.lexists(src):
            if os.path.lexists(dest):
                raise FileExistsError(0, "a file appeared where a document goes", str(dest))
            _rename(src, dest)
        return [dest.parent]

    def back(self) -> None:
        """Undo every step done, newest first; the folder is as before the commit."""
        if self.state != "back":
            self.state = "back"
            self.save()
        for op in reversed(self.ops):
            rel = op["rel"]
            dest = walk_to(self.out, rel)
            if op["op"] == "mkdir":
                with contextlib.suppress(OSError):
                    dest.rmdir()
            elif op["op"] == "aside":
                to = self.out / op["to"]
                if os.path.lexists(to) and not os.path.lexists(dest):
                    _rename(to, dest)
                    _prune_up(to.parent, self.out)
            else:
                src = self._src(rel)
                if os.path.lexists(dest) and not os.path.lexists(src):
                    src.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    _rename(dest, src)
        fsync_dir(self.out)
        self.finish()

    def finish(self) -> None:
        """Forget the journal, then drop the staging folder (replaced files included)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        fsync_dir(self.stage)
        shutil.rmtree(self.stage, ignore_errors=True)


def _prune_up(folder: Path, stop: Path) -> None:
    """Remove empty folders from ``folder`` up to (not including) ``stop``."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
