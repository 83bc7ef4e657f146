"""Paths inside the output folder: a relative path from a plan, refused if it could leave it."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.errors import OutputError

__all__ = ["UnsafePathError", "check_inside"]


class UnsafePathError(OutputError):
    """A path would leave the output folder or is not a plain relative path."""


def check_inside(root: Path, rel: str) -> Path:
    """Return ``root/rel`` resolved, refusing anything that is not inside ``root``.

    Refuses absolute paths, drive letters, backslashes, ``..`` and empty components,
    NUL, and paths that resolve (following symbolic links) outside ``root``.

    Raises:
        UnsafePathError: ``rel`` is not a plain relative path inside ``root``.
    """
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
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or target == base:
        msg = "refusing an output path outside the output folder"
        raise UnsafePathError(msg)
    return target
