"""Converters never outlive docgen.

Each LibreOffice process runs in its own process group (so its helpers can be killed
with it). While any is running:

- SIGINT, SIGTERM and SIGHUP first kill every group, then end docgen as usual (an
  exception, so that the staging folder is cleaned up on the way out);
- on Linux each converter gets the parent-death signal, so it is killed when docgen dies;
- a small watchdog process holds a pipe from docgen and kills the groups when the pipe
  closes, which also covers a ``kill -9`` of docgen and LibreOffice's own child process
  (which the parent-death signal of its parent does not reach).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO, Any

__all__ = ["forget", "popen_options", "track"]

_WATCHDOG = """
import os, signal, sys
groups = set()
for line in sys.stdin:
    op, _, pid = line.partition(" ")
    (groups.add if op == "+" else groups.discard)(int(pid))
for pid in groups:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
"""
_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_PR_SET_PDEATHSIG = 1

_groups: set[int] = set()
_watchdog: subprocess.Popen[bytes] | None = None
_saved: dict[int, Any] = {}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    import ctypes  # noqa: PLC0415

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def popen_options() -> dict[str, Any]:
    """Keyword arguments for ``subprocess.Popen`` of a converter.

    The watchdog and the signal handlers start here, before the converter does, so that
    no signal can come between its start and its being watched.
    """
    if sys.platform == "win32":  # pragma: no cover - the tree is killed with taskkill
        return {}
    if _watchdog is None and not _saved:
        _start_watching()
    options: dict[str, Any] = {"start_new_session": True}
    if sys.platform.startswith("linux"):
        options["preexec_fn"] = _die_with_parent
    return options


def track(pid: int) -> None:
    """Watch the process group led by ``pid`` (a converter just started)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    if _watchdog is None and not _saved:
        _start_watching()
    _groups.add(pid)
    _tell(f"+ {pid}\n")


def forget(pid: int) -> None:
    """Stop watching a group that was killed or has ended."""
    if pid not in _groups:
        return
    _groups.discard(pid)
    _tell(f"- {pid}\n")
    if not _groups:
        _stop_watching()


def _tell(line: str) -> None:
    stdin: IO[bytes] | None = _watchdog.stdin if _watchdog is not None else None
    if stdin is not None:
        with contextlib.suppress(OSError):
            stdin.write(line.encode("ascii"))
            stdin.flush()


def _start_watching() -> None:
    global _watchdog  # noqa: PLW0603 - one watchdog per process
    with contextlib.suppress(OSError):
        _watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if threading.current_thread() is not threading.main_thread():
        return  # handlers can only be set from the main thread; the watchdog still works
    for name in _SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            _saved[number] = signal.signal(number, _on_signal)


def _stop_watching() -> None:
    global _watchdog  # noqa: PLW0603
    for number, handler in _saved.items():
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(number, handler)
    _saved.clear()
    if _watchdog is not None:
        with contextlib.suppress(OSError):
            if _watchdog.stdin is not None:
                _watchdog.stdin.close()
        _watchdog.wait()
        _watchdog = None


def _kill_all() -> None:
    for pid in list(_groups):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)


def _on_signal(number: int, frame: FrameType | None) -> None:
    _kill_all()
    previous = _saved.get(number)
    if previous == signal.SIG_IGN:
        return
    if callable(previous):
        handler: Callable[[int, FrameType | None], Any] = previous
        handler(number, frame)  # SIGINT: Python's own, which raises KeyboardInterrupt
        return
    raise SystemExit(128 + number)
