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

__all__ = ["forget", "spawn", "track"]

# Killed more than once for a while: a dying docgen's pipe closes before its children get
# the parent-death signal, and a converter may start a child in that gap.
_WATCHDOG = """
import os, signal, sys, time
groups = set()
for line in sys.stdin:
    op, _, pid = line.partition(" ")
    (groups.add if op == "+" else groups.discard)(int(pid))
end = time.monotonic() + 3
while groups and time.monotonic() < end:
    for pid in list(groups):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            groups.discard(pid)
        except OSError:
            groups.discard(pid)
    time.sleep(0.1)
"""
_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_PR_SET_PDEATHSIG = 1

_groups: set[int] = set()
_watchdog: subprocess.Popen[bytes] | None = None
_saved: dict[int, Any] = {}


def _child_setup(parent: int, watch: int | None) -> Callable[[], None]:
    def setup() -> None:  # pragma: no cover - runs in the child, before exec
        if watch is not None:  # the watchdog knows the group before anything runs in it
            with contextlib.suppress(OSError):
                os.write(watch, f"+ {os.getpid()}\n".encode("ascii"))
        if sys.platform.startswith("linux"):
            import ctypes  # noqa: PLC0415

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # docgen died before the signal was armed
                os._exit(1)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _numbers())

    return setup


def _numbers() -> set[int]:
    return {n for n in (getattr(signal, name, None) for name in _SIGNALS) if n is not None}


def spawn(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start a converter in its own process group, watched from the first instant.

    The signals are held back from ``Popen`` until the group is known, so a Ctrl-C or
    SIGTERM arriving while it starts still finds it; the child arms the parent-death
    signal (Linux) and lets the signals through again before it runs the converter.
    """
    if sys.platform == "win32":  # pragma: no cover - the tree is killed with taskkill
        return subprocess.Popen(args, **kwargs)
    if _watchdog is None and not _saved:
        _start_watching()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _numbers())
    try:
        stdin = _watchdog.stdin if _watchdog is not None else None
        watch = stdin.fileno() if stdin is not None else None
        proc = subprocess.Popen(args, start_new_session=True,
                                preexec_fn=_child_setup(os.getpid(), watch), **kwargs)
        track(proc.pid)
    except BaseException:
        if not _groups:  # nothing to watch: handlers and watchdog go again
            _stop_watching()
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return proc


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


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a converter's whole process group (the launcher, LibreOffice, any leftovers)."""
    if sys.platform == "win32":  # pragma: no cover - no process groups: kill the tree
        if proc.poll() is None:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           capture_output=True, check=False)
        proc.kill()
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    forget(proc.pid)
