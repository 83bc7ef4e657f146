"""The operating system's refusals as clear messages: which folder, which file, what to do.

Disk full, permission denied, read-only, name too long and a file locked by another
program (Word on Windows) each get their own sentence instead of a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from docgen.errors import OutputError

__all__ = ["describe"]

# Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE
_LOCKED_WINERRORS = {32, 33, 1224}

_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space (or choose another output folder) "
                   "and run the command again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and run the command again"),
    errno.EACCES: ("permission denied", "check that you may write to the folder, or choose "
                   "another output folder with -o"),
    errno.EPERM: ("the operation is not permitted", "check the folder's permissions, or "
                  "choose another output folder with -o"),
    errno.EROFS: ("the disk is read-only", "choose an output folder on a writable disk with -o"),
    errno.ENAMETOOLONG: ("a file name or path is too long", "choose a shorter output folder "
                         "path with -o"),
    errno.EBUSY: ("the file is in use by another program", "close it (e.g. in Word or Excel) "
                  "and run the command again"),
    errno.ETXTBSY: ("the file is in use by another program", "close it and run the command "
                    "again"),
    errno.ENOTDIR: ("a file stands where a folder belongs", "move the file away and run the "
                    "command again"),
    errno.EISDIR: ("a folder stands where a file belongs", "move the folder away and run the "
                   "command again"),
}


def describe(error: OSError, out: Path) -> OutputError:
    """An ``OutputError`` for ``error`` met while writing ``out``: folder and file named.

    The file is shown relative to the output folder when it lies inside it; docgen's own
    working files are shown as the folder, since the user cannot act on them.
    """
    reason, hint = _REASONS.get(error.errno or 0, (None, None))
    if getattr(error, "winerror", None) in _LOCKED_WINERRORS:
        reason, hint = _REASONS[errno.EBUSY]
    if reason is None:
        reason = (error.strerror or type(error).__name__).lower()
        hint = "check the output folder and run the command again"
    where = _where(error.filename, out)
    msg = f"cannot write the output folder {out}: {reason}{where}; nothing was changed"
    return OutputError(msg, hint=hint)


def _where(filename: object, out: Path) -> str:
    if not isinstance(filename, str | bytes | Path) or isinstance(filename, bytes):
        return ""
    path = Path(filename)
    try:
        rel = path.absolute().relative_to(out.absolute())
    except ValueError:
        return f" ({path})"
    if rel.parts and rel.parts[0] == ".docgen":
        return ""
    return f" ({rel.as_posix()})"
