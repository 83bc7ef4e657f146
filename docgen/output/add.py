"""Add (or replace) one docgen-made file in an output folder, with its manifest entry.

For commands that write one document into a folder a build made (``docgen collect``
writes the panel's summary). The rules are the build's:

- the file may replace only a file docgen wrote there and nobody changed since: its
  path is in ``manifest.json`` with the same SHA-256; anything else (a file the user
  put there, or the summary after the panel typed its consensus into it) is refused;
- nothing else in the folder is touched: the manifest gains or updates one entry;
- the file and then the manifest are each written to a temporary file beside them and
  moved into place, under the same lock a build takes; if anything fails in between,
  the previous file (kept as a hard link until the end) is put back, so the folder is
  old or new, never a new file with an old manifest;
- entries added this way are marked ``"added_by"``, and a rebuild keeps them (see
  ``kept_entries``), since the build did not make them and must not remove them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from docgen.errors import OutputError
from docgen.output.paths import check_inside
from docgen.output.staging import MANIFEST, _Lock

__all__ = ["ADDED_BY", "add_file", "kept_entries"]

ADDED_BY = "added_by"
"""Manifest key naming the command that added an entry (absent for the build's own)."""


def add_file(out: Path, rel: str, data: bytes, record: dict[str, Any], command: str) -> Path:
    """Write ``data`` to ``out/rel`` and list ``record`` for it in the manifest.

    ``record`` is the manifest entry without ``path`` and ``sha256`` (added here).

    Raises:
        OutputError: the folder cannot be written, or ``rel`` exists and docgen did not
            write it or it changed since.
    """
    out = out.resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"cannot create the output folder {out} ({e.strerror})"
        raise OutputError(msg) from None
    if not out.is_dir():
        msg = f"{out} exists and is not a folder"
        raise OutputError(msg)
    target = check_inside(out, rel)
    with _Lock(out.parent / f".{out.name}.docgen-lock"):
        manifest = _read_manifest(out)
        documents = [d for d in manifest.get("documents", []) if isinstance(d, dict)]
        _check_replaceable(target, rel, documents)
        entry = {**record, "path": rel, "sha256": hashlib.sha256(data).hexdigest(),
                 ADDED_BY: command}
        manifest["documents"] = [d for d in documents if d.get("path") != rel] + [entry]
        body = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        try:
            _swap(target, data, out / MANIFEST, body.encode("utf-8"))
        except OSError as e:
            msg = f"cannot write {rel} into {out} ({e.strerror or type(e).__name__})"
            raise OutputError(msg) from None
    return target


def kept_entries(out: Path, rebuilt: set[str]) -> list[dict[str, Any]]:
    """Entries another command added to ``out``'s manifest, for a rebuild to carry over.

    Only entries whose file still exists and that the rebuild does not write itself.
    """
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        documents = data.get("documents", [])
    except (OSError, ValueError, AttributeError):
        return []
    kept = []
    for doc in documents if isinstance(documents, list) else []:
        if not isinstance(doc, dict) or not doc.get(ADDED_BY):
            continue
        rel = str(doc.get("path", ""))
        try:
            exists = check_inside(out, rel).is_file()
        except OutputError:
            continue
        if exists and rel not in rebuilt:
            kept.append(doc)
    return kept


def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / MANIFEST
    if not path.exists():
        return {"documents": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        msg = f"{path} cannot be read; refusing to change a folder docgen cannot account for"
        raise OutputError(msg)
    return data


def _check_replaceable(target: Path, rel: str, documents: list[dict[str, Any]]) -> None:
    if target.is_symlink() or (target.exists() and not target.is_file()):
        msg = f"{rel} in the output folder is not a plain file; refusing to replace it"
        raise OutputError(msg)
    if not target.exists():
        return
    listed = next((d for d in documents if d.get("path") == rel), None)
    if listed is None:
        msg = (f"{rel} already exists and docgen did not write it; move it away or "
               "choose another output folder (-o)")
        raise OutputError(msg)
    if hashlib.sha256(target.read_bytes()).hexdigest() != listed.get("sha256"):
        msg = (f"{rel} was changed since docgen wrote it (perhaps the panel's consensus "
               "was typed in); move it away or choose another output folder (-o)")
        raise OutputError(msg)


def _temp_beside(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".docgen-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _swap(target: Path, data: bytes, manifest: Path, body: bytes) -> None:
    """Move the file and then the manifest into place; put the old file back on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    new_file = _temp_beside(target, data)
    new_manifest = _temp_beside(manifest, body)
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.docgen-old")
        backup.unlink(missing_ok=True)
        os.link(target, backup)
    try:
        new_file.replace(target)
        new_manifest.replace(manifest)
    except BaseException:
        if backup is not None:
            backup.replace(target)
        else:
            target.unlink(missing_ok=True)
        raise
    finally:
        for leftover in (new_file, new_manifest, backup):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
