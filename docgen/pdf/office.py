"""LibreOffice started ahead of the conversion, while the documents are still rendered.

Starting LibreOffice is most of what a small conversion costs. So a build starts its
processes before it renders (:class:`Office`): each waits, with a profile of its own, for
one request. A conversion then runs ``soffice --convert-to`` with the same profile; that
second process hands its documents to the waiting one through LibreOffice's own
single-instance pipe, waits until they are converted and exits, and the first one ends by
itself once it has nothing open. A waiting process that no conversion needs is sent an
empty document to convert, which ends it the same way; only one that does not end in
time is killed.
If a waiting process is gone when its documents come, the second process converts them
itself: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from docgen.pdf import reaper
from docgen.pdf.profile import Profile
from docgen.pdf.soffice import soffice_args

__all__ = ["Office", "Waiting", "default_workers", "sweep"]

_END_SECONDS = 5.0  # for a waiting process to end after its request, before it is killed
_PREFIX = "docgen-office-"
_OWNER = "docgen.pid"  # in an Office's folder: the docgen process it belongs to


def sweep(parent: Path) -> list[Path]:
    """Remove what killed builds left in ``parent``: their folders with prepared profiles.

    Only folders docgen made (its name, its owner file, the same user) whose docgen
    process is gone are removed; the removed ones are returned. Not on Windows, where
    asking whether a process exists would end it.
    """
    if sys.platform == "win32":  # pragma: no cover
        return []
    removed = []
    for home in parent.glob(f"{_PREFIX}*"):
        try:
            info = home.lstat()
            pid = int((home / _OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not one of ours to judge
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or _alive(pid):
            continue
        shutil.rmtree(home, ignore_errors=True)
        removed.append(home)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's: alive
        return True
    return True


def default_workers() -> int:
    """LibreOffice processes at once: two, one on a one-core machine."""
    return min(2, os.cpu_count() or 1)


@dataclass
class Waiting:
    """A LibreOffice process waiting for its one request, and its profile."""

    profile: Path
    proc: subprocess.Popen[bytes] | None
    by_itself: bool | None = None  # once it has ended: whether it ended without being killed

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def end(self, soffice: Path, *, asked: bool) -> None:
        """Let the process end by itself, first sending it an empty document if not ``asked``.

        One that has not ended within ``_END_SECONDS`` is killed.
        """
        proc = self.proc
        if proc is None:
            return
        if not asked and proc.poll() is None:
            # a request without documents is not passed on: it gets an empty one instead
            empty = self.profile / "end" / "empty.txt"
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                empty.parent.mkdir(exist_ok=True)
                empty.write_bytes(b"")
                subprocess.run([*soffice_args(soffice, self.profile), "--convert-to", "pdf",
                                "--outdir", str(empty.parent), str(empty)],
                               stdin=subprocess.DEVNULL, capture_output=True, check=False,
                               timeout=_END_SECONDS)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=_END_SECONDS)
        self.kill()

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            self.by_itself = proc.poll() == 0
            reaper.stop_group(proc)


class Office:
    """A profile prepared at once, and the processes :meth:`open` starts ahead from it.

    Use it as a context manager around the work that renders and converts; on leaving,
    every process it started has ended and its folder is gone.
    """

    def __init__(self, soffice: Path, *, workdir: Path | None = None, locale: str = "da-DK",
                 timeout: float = 20.0):
        self.soffice = soffice
        self.timeout = timeout
        if workdir is None:
            sweep(Path(tempfile.gettempdir()))
        self.home = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=workdir))  # 0700
        (self.home / _OWNER).write_text(str(os.getpid()), encoding="ascii")
        self.profile = Profile(soffice, workdir=self.home, locale=locale)
        self.ended: list[Waiting] = []  # after close: every process started ahead
        self._waiting: list[Waiting] = []
        self.taken: list[Waiting] = []  # handed to conversions, in order

    def open(self, count: int) -> None:
        """Start ``count`` processes that wait for documents, each from a profile copy.

        The preparation (0.1 s) is waited for here, at most a quarter of ``timeout`` (what
        one document may take to convert); see :meth:`Profile.install`.
        """
        start = len(self._waiting) + len(self.taken)
        for i in range(start, start + count):
            profile = self.home / f"p{i}"
            self.profile.install(profile, timeout=self.timeout)
            try:
                proc = reaper.spawn(soffice_args(self.soffice, profile),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            except OSError:  # the conversion reports a LibreOffice that cannot start
                break
            self._waiting.append(Waiting(profile, proc))

    def take(self) -> Waiting | None:
        """A waiting process for one chunk of documents, or None when all are taken."""
        while self._waiting:
            waiting = self._waiting.pop(0)
            self.taken.append(waiting)
            if waiting.alive():
                return waiting
            waiting.kill()
        return None

    def close(self) -> None:
        """End every process (a waiting one by an empty document) and remove the folder."""
        deadline = time.monotonic() + _END_SECONDS
        for waiting in self.taken:
            waiting.end(self.soffice, asked=True)
        for waiting in self._waiting:
            if time.monotonic() < deadline:
                waiting.end(self.soffice, asked=False)
            waiting.kill()
        self.ended = [*self.taken, *self._waiting]
        self._waiting.clear()
        self.profile.close()
        for _ in range(20):  # a killed process may still finish a write it had begun
            shutil.rmtree(self.home, ignore_errors=True)
            if not self.home.exists():
                break
            time.sleep(0.05)

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
