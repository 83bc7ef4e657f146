"""Limits on what a template, a template file or a case may cost, and how they are kept.

Templates are code written by consultants, so a build must end, within a time and a
memory budget, whatever a template does. Two mechanisms work together:

- **A worker process with resource limits** (:func:`run_in_worker`) is the guarantee.
  The render stage runs in a forked child with ``RLIMIT_AS`` set to what the process
  already maps plus ``render_memory_mb``, and the parent stops it after
  ``render_seconds``. Nothing inside Python can stop a template that loops over a list
  of a million items twice, or the C code of a filter that allocates gigabytes: only the
  operating system can, so only a process boundary bounds *every* template. A fork
  costs a few milliseconds, the child inherits the loaded templates and case, and the
  parent keeps the output folder, so a killed child leaves nothing half-written.
- **A counting sandbox** (:class:`BoundedEnvironment` in :mod:`docgen.jinja`) makes the
  common bombs fail at once with a clear message instead of at the process limit:
  ``range`` beyond ``max_range``, a string or list made bigger than ``max_string`` /
  ``max_items`` by ``*``, ``**`` on huge numbers, and a document whose printed output
  exceeds ``max_output``.

Where ``fork`` is missing (Windows; macOS, where ``RLIMIT_AS`` is not enforced) the
render stage runs in-process with the counting sandbox alone; that is stated in the
README. Zip files (templates, returned workbooks) are checked by the bytes they really
inflate to (:func:`check_zip`), never by the sizes they declare.

Every limit is a setting (``limits:`` in ``configs/defaults.yaml``), and every message
names the limit and the setting, never a value from the case.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docgen.redaction import SafeMessageError

__all__ = [
    "Ask",
    "LimitError",
    "Limits",
    "WorkerCrash",
    "WorkerTimeout",
    "check_zip",
    "run_in_worker",
    "run_in_workers",
]

_CHUNK = 1 << 16


class Limits(BaseModel):
    """The bounds of one build (``limits:`` in the configuration)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    render_seconds: float = Field(30, gt=0, description="Time all documents may take to render.")
    render_memory_mb: int = Field(
        512, ge=64, description="Memory the rendering may add to what docgen already uses."
    )
    max_range: int = Field(10_000, ge=1, description="Largest range() a template may make.")
    max_string: int = Field(
        1_000_000, ge=1000, description="Longest text one expression may make, in characters."
    )
    max_items: int = Field(100_000, ge=100, description="Longest list one expression may make.")
    max_output: int = Field(
        50_000_000, ge=10_000, description="Characters one template may print in a build."
    )
    max_documents: int = Field(
        5_000, ge=1, description="Most documents one build may make (panel × applicants …)."
    )
    max_sheets: int = Field(
        500, ge=1, description="Most applicant sheets in all scoresheets of a build together."
    )
    zip_bytes: int = Field(
        200_000_000, ge=1_000_000, description="Bytes a .docx/.xlsx may inflate to."
    )
    zip_entries: int = Field(5_000, ge=10, description="Most files inside a .docx/.xlsx.")
    zip_ratio: int = Field(
        200, ge=10, description="Most an entry may inflate, as a multiple of its packed size."
    )
    xlsx_sheets: int = Field(200, ge=1, description="Most sheets in a workbook (template or made).")
    xlsx_rows: int = Field(10_000, ge=10, description="Highest row an Excel template may use.")
    xlsx_columns: int = Field(200, ge=10, description="Highest column an Excel template may use.")
    logo_bytes: int = Field(2_000_000, ge=1000, description="Largest logo file, in bytes.")
    logo_pixels: int = Field(
        25_000_000, ge=10_000, description="Most pixels in a logo (width × height)."
    )


class LimitError(SafeMessageError):
    """A limit was reached; the message names the limit and its setting."""


@dataclass(frozen=True)
class Ask:
    """A question the render worker yields and waits on; the parent's answer is sent back."""

    question: Any


class WorkerTimeout(Exception):
    """The render worker ran out of time and was stopped."""


class WorkerCrash(Exception):
    """The render worker died or raised something unexpected (a bug in docgen)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


# -- zip files ---------------------------------------------------------------------


def check_zip(source: Path | bytes, limits: Limits) -> None:
    """Inflate every entry of a zip, counting real bytes; raise LimitError past a bound.

    Reading each entry to its end also checks its CRC, so a damaged file is found here
    and not halfway through a build.
    """
    try:
        handle = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        msg = f"is not a readable zip file ({type(exc).__name__}); save it again as .docx/.xlsx"
        raise LimitError(msg) from None
    with handle as archive:
        infos = archive.infolist()
        if len(infos) > limits.zip_entries:
            msg = f"holds more than {limits.zip_entries} files (limits.zip_entries)"
            raise LimitError(msg)
        total = 0
        for info in infos:
            total = _inflate(archive, info, total, limits)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, limits: Limits) -> int:
    allowed = max(info.compress_size, 1) * limits.zip_ratio + _CHUNK
    size = 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > limits.zip_bytes:
                    msg = (
                        f"inflates to more than {limits.zip_bytes:,} bytes (limits.zip_bytes); "
                        "a zip bomb?"
                    )
                    raise LimitError(msg)
                if size > allowed:
                    msg = (
                        f"has a part that inflates more than {limits.zip_ratio} times "
                        "(limits.zip_ratio); a zip bomb?"
                    )
                    raise LimitError(msg)
    except LimitError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        msg = f"is damaged: a part cannot be read ({type(exc).__name__}); save it again"
        raise LimitError(msg) from None
    return total


# -- the render worker ---------------------------------------------------------------


def forking() -> bool:
    """Whether the render stage can run in a forked worker with a memory limit."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _address_space() -> int:
    with Path("/proc/self/statm").open() as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _portable(exc: BaseException) -> tuple[str, Any]:
    """An exception as something the parent can rebuild (custom __init__s cannot pickle)."""
    if type(exc).__module__.startswith("docgen.") and isinstance(exc, Exception):
        payload = (type(exc), exc.args, dict(exc.__dict__))
        try:
            pickle.dumps(payload)
        except Exception:  # noqa: BLE001, S110 - fall through to the plain report
            pass
        else:
            return "error", payload
    text = "".join(traceback.format_exception(exc))
    return "crash", (type(exc).__name__, text)


def _rebuild(payload: tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]) -> Exception:
    cls, args, state = payload
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc  # type: ignore[return-value]


def _child(produce: Callable[[], Generator[Any, Any, None]], conn: Any, memory: int) -> None:
    import resource  # noqa: PLC0415 - POSIX only; the worker runs only where it exists

    limit = _address_space() + memory
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        made = produce()
        answer: Any = None
        while True:
            try:
                item = made.send(answer)
            except StopIteration:
                break
            answer = None
            if isinstance(item, Ask):
                conn.send(("ask", item.question))
                answer = conn.recv()
            else:
                conn.send(("item", item))
        conn.send(("end", None))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        conn.send(_portable(exc))
    finally:
        conn.close()


def run_in_worker(
    produce: Callable[[], Generator[Any, Any, None]], *, seconds: float, memory_mb: int
) -> Generator[Any, Any, None]:
    """Yield what ``produce`` yields, produced in a bounded child process.

    An :class:`Ask` the child yields reaches the caller as it is; what the caller sends
    back (``generator.send``) becomes the value of the child's ``yield``, so the child can
    wait for the parent (a print file waits until the letters it joins are written).
    Raises :class:`WorkerTimeout` after ``seconds`` (the child is killed), the child's own
    docgen errors as they were, and :class:`WorkerCrash` for anything else.
    """
    workers = run_in_workers([produce], seconds=seconds, memory_mb=memory_mb)
    try:
        answer: Any = None
        while True:
            try:
                _, item = workers.send(answer)
            except StopIteration:
                return
            answer = yield item
    finally:
        workers.close()


def run_in_workers(
    producers: list[Callable[[], Generator[Any, Any, None]]], *, seconds: float, memory_mb: int
) -> Generator[tuple[int, Any], Any, None]:
    """Like :func:`run_in_worker` for several producers at once, each in its own child.

    Yields ``(i, item)`` for whatever producer ``i`` yields, in the order they arrive (each
    producer's items in its own order); what the caller sends back after an :class:`Ask`
    goes to the child that asked. Every child has the time and memory limit of its own.
    Without fork the producers run here, one after the other.
    """
    if not forking():
        yield from _one_by_one(producers)
        return
    import multiprocessing  # noqa: PLC0415
    from multiprocessing.connection import wait  # noqa: PLC0415

    ctx = multiprocessing.get_context("fork")
    children: dict[Any, tuple[int, Any, float]] = {}  # connection → index, process, deadline
    try:
        for i, produce in enumerate(producers):  # all forked before the caller makes threads
            conn, child_conn = ctx.Pipe()
            proc = ctx.Process(target=_child, args=(produce, child_conn, memory_mb << 20),
                               daemon=True)
            proc.start()
            child_conn.close()
            children[conn] = (i, proc, time.monotonic() + seconds)
        while children:
            left = min(deadline for _, _, deadline in children.values()) - time.monotonic()
            ready: list[Any] = wait(list(children), timeout=left) if left > 0 else []
            if not ready:
                raise WorkerTimeout
            for conn in ready:
                i, proc, _ = children[conn]
                try:
                    kind, payload = conn.recv()
                except EOFError:
                    proc.join(1)
                    msg = f"the render worker stopped unexpectedly (exit code {proc.exitcode})"
                    raise WorkerCrash(msg) from None
                if kind == "item":
                    yield i, payload
                elif kind == "ask":
                    conn.send((yield i, Ask(payload)))
                elif kind == "end":
                    del children[conn]
                    _reap(proc, conn)
                elif kind == "error":
                    raise _rebuild(payload)
                else:
                    name, details = payload
                    raise WorkerCrash(f"{name} in the render worker", details)
    finally:
        for conn, (_, proc, _) in children.items():
            _reap(proc, conn)


def _one_by_one(
    producers: list[Callable[[], Generator[Any, Any, None]]],
) -> Generator[tuple[int, Any], Any, None]:
    """The producers in this process, one after the other (no fork, no process limit)."""
    for i, produce in enumerate(producers):
        made = produce()
        answer: Any = None
        while True:
            try:
                item = made.send(answer)
            except StopIteration:
                break
            answer = yield i, item


def _reap(proc: Any, conn: Any) -> None:
    if proc.is_alive():
        proc.kill()
    proc.join()
    conn.close()
