"""Paths inside the output folder: plain relative paths, never through a link.

``check_inside`` refuses a path that could leave the folder by its spelling; ``walk_to``
looks at every existing component between the folder and the file at the moment of
writing and refuses a symbolic link or a Windows junction anywhere on the way, so nothing
is ever written or removed outside the folder, whatever the folder contains.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from docgen.errors import OutputError

__all__ = ["LinkError", "UnsafePathError", "check_inside", "is_link", "walk_to"]

_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: junctions and symlinks on Windows


class UnsafePathError(OutputError):
    """A path would leave the output folder or is not a plain relative path."""


class LinkError(OutputError):
    """A symbolic link or junction sits between the output folder and a file."""


def check_inside(root: Path, rel: str) -> Path:
    """Return ``root/rel`` resolved, refusing anything that is not inside ``root``.

    Refuses absolute paths, drive letters, backslashes, ``..`` and empty components,
    NUL, and paths that resolve (following symbolic links) outside ``root``.

    Raises:
        UnsafePathError: ``rel`` is not a plain relative path inside ``root``.
    """
    check_plain(rel)
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or target == base:
        msg = "refusing an output path outside the output folder"
        raise UnsafePathError(msg)
    return target


def check_plain(rel: str) -> None:
    """Refuse ``rel`` unless it is a plain relative path (``a/b.docx``)."""
    refused = (
        not rel
        or "\x00" in rel
        or "\\" in rel
        or rel.startswith("/")
        or re.match(r"^[A-Za-z]:", rel) is not None
        or any(part in {"", ".", ".."} for part in rel.split("/"))
    )
    if refused:
        msg = "refusing an output path that is not a plain relative path"
        raise UnsafePathError(msg)


def is_link(path: Path) -> bool:
    """Whether ``path`` itself is a symbolic link or a junction (False if absent)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_file_attributes", 0) & _REPARSE_POINT)


def walk_to(root: Path, rel: str) -> Path:
    """Return ``root/rel`` after checking each existing component on the way is no link.

    ``root`` itself is taken as given (the user chose it); everything below it is looked
    at with ``lstat``, so a symlinked subfolder or file is refused before anything moves.

    Raises:
        UnsafePathError: ``rel`` is not a plain relative path.
        LinkError: a component is a symbolic link or a junction (named in the message).
    """
    check_plain(rel)
    here = root
    done: list[str] = []
    for part in rel.split("/"):
        here = here / part
        done.append(part)
        if is_link(here):
            shown = "/".join(done)
            msg = (f"{root / shown} is a symbolic link (or junction); docgen never writes "
                   "or removes anything through one")
            raise LinkError(msg, hint="replace the link by a real folder or file, or choose "
                                      "another output folder")
    return here
