"""Locks inside the output folder: commands on one folder take turns.

The folder lock is ``DIR/.docgen/lock``; it holds the process id of its owner, so a
waiting command can say who is writing. It is removed by its owner when done (the path is
checked again after locking, so a waiter that locked a removed file tries again). A
staging folder holds a lock of its own for as long as its build runs, so that a later
command can tell a killed build's leftovers from a build still running.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from docgen.errors import OutputError
from docgen.output.paths import walk_to

__all__ = ["FolderLock", "try_lock", "unlock"]

HIDDEN = ".docgen"


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False if another process has it."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    """Release a lock taken with ``try_lock`` and close the descriptor."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


class FolderLock:
    """The exclusive lock on one output folder (which must exist)."""

    def __init__(self, out: Path, timeout: float = 60.0) -> None:
        self.out = out
        self.path = out / HIDDEN / "lock"
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> FolderLock:
        deadline = time.monotonic() + self.timeout
        while True:
            fd = self._open()
            if fd is not None and try_lock(fd):
                if self._still_ours(fd):
                    self.fd = fd
                    os.ftruncate(fd, 0)
                    os.write(fd, str(os.getpid()).encode("ascii"))
                    return self
                unlock(fd)
                continue
            if fd is not None:
                os.close(fd)
            if time.monotonic() > deadline:
                raise self._busy()
            time.sleep(0.1)

    def _open(self) -> int | None:
        walk_to(self.out, HIDDEN).mkdir(mode=0o700, exist_ok=True)  # refuses a planted link
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0),
                           0o600)
        except FileNotFoundError:  # the folder was removed by the last owner meanwhile
            return None

    def _still_ours(self, fd: int) -> bool:
        try:
            now = self.path.stat()
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)

    def _busy(self) -> OutputError:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        who = f" (process {pid})" if pid.isdigit() else ""
        msg = (f"another docgen command{who} is writing the output folder {self.out}; "
               "nothing was written")
        return OutputError(msg, hint="wait until it has finished and run the command again")

    def __exit__(self, *exc: object) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        # Removed while still held, so no other process can be holding an older copy.
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            (self.out / HIDDEN).rmdir()
        unlock(fd)
