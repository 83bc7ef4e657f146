"""The manifest of an output folder: what docgen wrote there, with each file's SHA-256.

``documents`` belongs to the build; ``added`` lists files other commands put in the folder
(a summary workbook, returned scoresheets), which a rebuild keeps; ``backups`` lists the
backup folders docgen made. Only files listed here, unchanged since docgen wrote them, are
ever replaced or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.output.paths import UnsafePathError, check_plain

__all__ = ["MANIFEST", "Previous", "read_previous", "sha256_of"]

MANIFEST = "manifest.json"
OWNED = "documents"
ADDED = "added"
BACKUPS = "backups"


@dataclass
class Previous:
    """The manifest found in the folder before a command (empty when there is none)."""

    exists: bool = False
    ours: bool = True  # False: a manifest.json docgen did not write
    data: dict[str, Any] = field(default_factory=dict)
    sha: dict[str, str] = field(default_factory=dict)  # every listed path -> its SHA-256

    @property
    def reference(self) -> str | None:
        ref = self.data.get("reference")
        return ref if isinstance(ref, str) else None

    def paths(self, section: str) -> list[str]:
        """Listed paths of one section, safe ones only."""
        return [r["path"] for r in _records(self.data.get(section))]

    @property
    def backups(self) -> list[str]:
        items = self.data.get(BACKUPS)
        return [b for b in items if _plain(b)] if isinstance(items, list) else []


def read_previous(out: Path) -> Previous:
    """Read ``out/manifest.json``; one that is not docgen's counts as a user's file."""
    path = out / MANIFEST
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Previous()
    except (OSError, ValueError):
        return Previous(exists=True, ours=False)
    if not isinstance(data, dict) or "docgen" not in data or not isinstance(
        data.get(OWNED), list
    ):
        return Previous(exists=True, ours=False)
    sha: dict[str, str] = {}
    for section in (OWNED, ADDED):
        for record in _records(data.get(section)):
            sha[record["path"]] = record["sha256"]
    return Previous(exists=True, ours=True, data=data, sha=sha)


def _records(items: object) -> list[dict[str, str]]:
    if not isinstance(items, list):
        return []
    return [
        {"path": r["path"], "sha256": r["sha256"]}
        for r in items
        if isinstance(r, dict)
        and isinstance(r.get("path"), str)
        and isinstance(r.get("sha256"), str)
        and _plain(r["path"])
        and r["path"] != MANIFEST
    ]


def _plain(rel: object) -> bool:
    if not isinstance(rel, str):
        return False
    try:
        check_plain(rel)
    except UnsafePathError:
        return False
    return not rel.startswith(".docgen")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
