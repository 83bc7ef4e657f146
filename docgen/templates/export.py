"""``docgen templates export DIR``: the shipped templates, copied for a consultant to edit.

The copy is all or nothing and never overwrites: every file is copied into a hidden
folder inside DIR first, then linked into place (a link fails rather than replace a
file that appeared meanwhile), and on any failure everything this run placed is
removed again, so DIR is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from docgen.errors import DocgenError
from docgen.settings import data_root


def shipped_templates() -> list[Path]:
    """The shipped template files, relative to the templates folder, in a stable order."""
    root = data_root() / "templates"
    return sorted(
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in (".docx", ".xlsx")
    )


def export_templates(dest: Path) -> list[Path]:
    """Copy every shipped template into ``dest`` (``dest/docx/…``, ``dest/xlsx/…``).

    Returns the files written. Raises DocgenError, with nothing written, when one of
    them already exists in ``dest`` or ``dest`` cannot be written.
    """
    source = data_root() / "templates"
    files = shipped_templates()
    if dest.exists() and not dest.is_dir():
        raise DocgenError(f"{dest} is a file; give a folder to copy the templates into")
    clashes = [r for r in files if (dest / r).exists() or (dest / r).is_symlink()]
    if clashes:
        n = len(clashes)
        raise DocgenError(
            f"{dest} already holds {n} of the templates (e.g. {clashes[0].as_posix()}); "
            "nothing was copied.",
            hint="choose a new folder, or move the existing templates away first",
        )
    made_dirs: list[Path] = []
    placed: list[Path] = []
    try:
        _mkdirs(dest, made_dirs)
        staging = Path(tempfile.mkdtemp(prefix=".docgen-export-", dir=dest))
        try:
            for rel in files:
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / rel, target)
            for rel in files:
                _mkdirs((dest / rel).parent, made_dirs)
                _place(staging / rel, dest / rel)
                placed.append(dest / rel)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as e:
        _undo(placed, made_dirs)
        reason = "a template appeared there meanwhile" if isinstance(
            e, FileExistsError) else e.strerror or type(e).__name__
        raise DocgenError(f"cannot copy the templates into {dest} ({reason}); "
                          "nothing was copied.") from None
    return placed


def _place(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target`` without ever replacing an existing file."""
    try:
        os.link(staged, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race remains).
        if target.exists() or target.is_symlink():
            raise FileExistsError(target) from None
        staged.rename(target)


def _mkdirs(folder: Path, made: list[Path]) -> None:
    """Create ``folder`` and its missing parents, remembering which ones this run made."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _undo(placed: list[Path], made_dirs: list[Path]) -> None:
    for path in placed:
        path.unlink(missing_ok=True)
    for folder in reversed(made_dirs):
        # Not empty: something else lives there now, so it stays.
        with contextlib.suppress(OSError):
            folder.rmdir()
