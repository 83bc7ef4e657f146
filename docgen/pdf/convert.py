"""Convert documents to PDF with LibreOffice headless: in batches, every PDF checked.

LibreOffice's exit code cannot be trusted (it exits 0 when a file could not be loaded), so
every PDF is checked: it exists, is a PDF, has pages and contains the expected texts.
Each ``soffice`` process gets a private profile in a fresh temporary folder (two processes
on one profile fail), runs in its own process group and is killed as a group when a
document makes no progress within the timeout. Messages name documents by their file
names only, never by what they contain.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docgen.errors import ConversionError
from docgen.pdf import reaper
from docgen.pdf.office import Office, Waiting, default_workers
from docgen.pdf.soffice import INSTALL_HELP, soffice_args
from docgen.pdf.stable import pin_pdf, source_date_epoch
from docgen.pdf.verify import is_complete, verify_pdf

__all__ = ["MIN_SPLIT", "PdfJob", "convert"]

_OOXML = {".docx", ".docm", ".xlsx", ".xlsm", ".pptx"}
_MAX_CHUNK = 200  # longer argument lists have been seen to drop files silently
MIN_SPLIT = 4  # do not start a second process for fewer documents than this
# Loading Writer or Calc into a process costs about 0.1 s, 0.8 of a one-page document.
_APP_START = 0.8
_APPS = {".docx": "writer", ".docm": "writer", ".doc": "writer", ".odt": "writer",
         ".rtf": "writer", ".xlsx": "calc", ".xlsm": "calc", ".xls": "calc", ".ods": "calc"}
_POLL = 0.05  # seconds between looks at the output folders
_SHOWN = 10  # documents named in one message before "and N more"
@dataclass(frozen=True)
class PdfJob:
    """One document to convert: ``source`` becomes ``target``, which must contain ``expected``.

    ``label`` names the document in messages (e.g. ``afslag/A07_x.docx``); it defaults to
    the source's file name. Expected texts never appear in messages. ``weight`` is the
    work it takes compared with a one-page document (a print file of 40 letters weighs
    more): it balances the processes and stretches the time limit.
    """

    source: Path
    target: Path
    expected: tuple[str, ...] = ()
    label: str = ""
    weight: float = 1.0

    @property
    def name(self) -> str:
        """Return the name used in messages."""
        return self.label or self.source.name


@dataclass
class _Chunk:
    jobs: list[PdfJob]
    home: Path  # holds the private profile, the output folder and the log
    proc: subprocess.Popen[bytes] | None = None
    server: Waiting | None = None  # the LibreOffice started ahead that converts for proc
    seen: int = 0  # jobs up to and including the last one with output
    since: float = 0.0  # when the last progress was seen
    problems: list[str | None] = field(default_factory=list)  # of the jobs checked so far

    @property
    def outdir(self) -> Path:
        return self.home / "out"

    @property
    def indir(self) -> Path:
        return self.home / "in"

    def inputs(self) -> list[Path]:
        """Each job's source under a name of its own (``0003.docx``), linked in ``indir``.

        LibreOffice names a PDF after its source, so documents of the same name from
        different folders (every hired applicant's function description and introduction
        plan) could not share a process otherwise.
        """
        return [self.indir / f"{i:04d}{job.source.suffix.lower()}"
                for i, job in enumerate(self.jobs)]

    def outputs(self) -> list[Path | None]:
        """Return each job's PDF if it has been written."""
        try:
            written = {p.name for p in self.outdir.iterdir()}
        except FileNotFoundError:
            written = set()
        return [self.outdir / f"{i:04d}.pdf" if f"{i:04d}.pdf" in written else None
                for i in range(len(self.jobs))]

    def look(self, now: float) -> None:
        """Note how far LibreOffice has got; it converts the files in the given order."""
        outputs = self.outputs()
        seen = max((i + 1 for i, pdf in enumerate(outputs) if pdf is not None), default=0)
        if seen > self.seen:
            self.seen, self.since = seen, now

    def check(self, upto: int) -> None:
        """Check the PDFs of jobs before ``upto`` (complete ones) not checked yet."""
        if len(self.problems) >= upto:
            return
        outputs = self.outputs()
        for i in range(len(self.problems), upto):
            pdf, expected = outputs[i], self.jobs[i].expected
            self.problems.append("LibreOffice wrote no PDF" if pdf is None
                                 else verify_pdf(pdf, expected))

    def busy(self) -> bool:
        """Whether LibreOffice still works on the chunk.

        Its process runs, or the process started ahead, which it handed the documents to,
        runs and has not written them all.
        """
        if self.proc is not None and self.proc.poll() is None:
            return True
        if self.server is None or not self.server.alive():
            return False
        outputs = self.outputs()
        last = outputs[-1] if outputs else None
        return not (all(outputs) and last is not None and is_complete(last))

    def weight_now(self) -> float:
        """The weight of the job being converted (the time limit grows with it)."""
        return max(1.0, self.jobs[min(self.seen, len(self.jobs) - 1)].weight)

    def stuck_at(self) -> int:
        """Return the index of the job being converted (may be len(jobs): all were written)."""
        at = self.seen
        last = self.outputs()[at - 1] if at else None
        return at - 1 if last is not None and not is_complete(last) else at


def convert(
    jobs: Sequence[PdfJob],
    *,
    soffice: Path,
    timeout: float,
    chunk_size: int = 50,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    workdir: Path | None = None,
    timestamp: datetime | None = None,
    locale: str = "da-DK",
    office: Office | None = None,
) -> list[Path]:
    """Convert every job's source to its target PDF and check each one; return the targets.

    Documents go to ``soffice`` in chunks of at most ``chunk_size``; up to ``workers``
    processes (default 2, 1 on a one-core machine) run at once, each with a private profile
    under ``workdir`` (default: the system's temporary folder). ``timeout`` is the seconds
    one document may take (the first also pays the start-up); a process making no progress
    for that long is killed with its children. ``progress(done, total)`` is called from
    this thread. PDFs get ``/CreationDate`` = ``timestamp`` (else ``SOURCE_DATE_EPOCH``)
    and a content-derived ``/ID``, so the same inputs give the same bytes. ``locale`` sets
    how spreadsheets show numbers and dates (``3,5`` in da-DK). ``office`` holds LibreOffice
    processes the caller started ahead (while the documents were made; its locale wins),
    and the prepared profile others copy; without it, one is made here. No target is
    written unless every document converted and passed its check.
    """
    if not jobs:
        return []
    if len({j.target.absolute() for j in jobs}) != len(jobs):
        raise ValueError("two PDF jobs have the same target")
    _precheck(jobs)
    when = timestamp or source_date_epoch()
    if workers is None:
        workers = default_workers()
    size = max(1, min(chunk_size, _MAX_CHUNK))
    root = Path(tempfile.mkdtemp(prefix="docgen-pdf-", dir=workdir))  # mode 0700
    chunks = [_Chunk(part, root / f"c{i}") for i, part in enumerate(_plan(jobs, size, workers))]
    own = None
    if office is None:
        office = own = Office(soffice, workdir=root, locale=locale, timeout=timeout)
    try:
        _run_all(chunks, soffice, timeout, max(1, workers), office, progress, len(jobs))
        made = _verify_all(chunks)
        for job in jobs:
            pin_pdf(made[job], when)
        for job in jobs:
            job.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(made[job], job.target)
        return [j.target for j in jobs]
    finally:
        for chunk in chunks:
            _stop(chunk)
        if own is not None:
            own.close()
        for _ in range(20):  # a killed process may still finish a write it had begun
            shutil.rmtree(root, ignore_errors=True)
            if not root.exists():
                break
            time.sleep(0.05)


def _precheck(jobs: Sequence[PdfJob]) -> None:
    """Refuse sources LibreOffice would silently mis-convert (a text file named .docx)."""
    bad: list[str] = []
    for job in jobs:
        if not job.source.is_file():
            bad.append(f"{job.name}: the file does not exist")
        elif job.source.suffix.lower() in _OOXML:
            try:
                with zipfile.ZipFile(job.source) as zf:
                    zf.getinfo("[Content_Types].xml")
            except (OSError, KeyError, zipfile.BadZipFile):
                bad.append(f"{job.name}: not a valid Office Open XML file")
    if bad:
        raise ConversionError(_listing("cannot convert to PDF:", bad))


def _plan(jobs: Sequence[PdfJob], size: int, workers: int) -> list[list[PdfJob]]:
    """Split jobs into chunks of about equal cost, each in the given order.

    A process that converts only Word documents never loads Calc, and the other way
    round, which saves each process an application's start (``_APP_START``): so when
    every application can have a process of its own, its documents are kept apart if
    that finishes sooner by the jobs' weights.
    """
    mixed = _greedy(jobs, size, workers)
    apps: dict[str, list[PdfJob]] = {}
    for job in jobs:
        apps.setdefault(_app(job), []).append(job)
    if not 1 < len(apps) <= workers:
        return mixed
    apart = [chunk for group in apps.values() for chunk in _greedy(group, size, 1)]
    if len(apart) <= workers and _finish(apart) < _finish(mixed):
        return apart
    return mixed


def _app(job: PdfJob) -> str:
    return _APPS.get(job.source.suffix.lower(), job.source.suffix.lower())


def _finish(chunks: list[list[PdfJob]]) -> float:
    """The estimated cost of the costliest chunk: its weights and its applications' starts."""
    return max(sum(j.weight for j in chunk) + _APP_START * len({_app(j) for j in chunk})
               for chunk in chunks)


def _greedy(jobs: Sequence[PdfJob], size: int, workers: int) -> list[list[PdfJob]]:
    """Heaviest first, each job goes to the lightest chunk that has room."""
    n = len(jobs)
    total = sum(max(j.weight, 0.0) for j in jobs)
    count = max(math.ceil(n / size), min(workers, math.ceil(total / MIN_SPLIT)))
    chunks: list[list[int]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for i in sorted(range(n), key=lambda i: -jobs[i].weight):
        c = min((c for c in range(count) if len(chunks[c]) < size), key=lambda c: (loads[c], c))
        chunks[c].append(i)
        loads[c] += jobs[i].weight
    return [[jobs[i] for i in sorted(chunk)] for chunk in chunks if chunk]


def _run_all(chunks: list[_Chunk], soffice: Path, timeout: float, workers: int,
             office: Office, progress: Callable[[int, int], None] | None, total: int) -> None:
    pending = list(reversed(chunks))
    running: list[_Chunk] = []
    finished = 0
    reported = -1
    while pending or running:
        while pending and len(running) < workers:
            chunk = pending.pop()
            _start(chunk, soffice, office, timeout)
            running.append(chunk)
        proc = running[0].proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=_POLL)
        else:  # only the process started ahead works on: look again shortly
            time.sleep(_POLL / 5)
        now = time.monotonic()
        for chunk in list(running):
            chunk.look(now)
            busy = chunk.busy()
            if busy and now - chunk.since > timeout * chunk.weight_now():
                at = chunk.stuck_at()
                _stop(chunk)
                if at < len(chunk.jobs):  # else it hung on the way out: the PDFs get checked
                    raise _hang_error([j.name for j in chunk.jobs[at:]], timeout)
                busy = False
            if not busy:
                _stop(chunk, ended=True)
                running.remove(chunk)
                finished += len(chunk.jobs)
            else:  # check the finished PDFs while LibreOffice works on
                chunk.check(chunk.seen - 1)
        done = finished + sum(c.seen for c in running)
        if progress is not None and done != reported:
            reported = done
            progress(done, total)


def _start(chunk: _Chunk, soffice: Path, office: Office, timeout: float) -> None:
    chunk.outdir.mkdir(parents=True)
    chunk.server = office.take()
    if chunk.server is not None:  # its documents go to the process waiting on this profile
        profile = chunk.server.profile
    else:
        profile = chunk.home / "profile"
        office.profile.install(profile, timeout=timeout)
    chunk.indir.mkdir()
    for job, link in zip(chunk.jobs, chunk.inputs(), strict=True):
        try:
            os.link(job.source, link)
        except OSError:  # another file system, or links not allowed: a copy does too
            shutil.copyfile(job.source, link)
    args = [*soffice_args(soffice, profile), "--convert-to", "pdf",
            "--outdir", str(chunk.outdir.absolute()),
            *(str(link.absolute()) for link in chunk.inputs())]
    with (chunk.home / "log.txt").open("wb") as log:
        try:
            chunk.proc = reaper.spawn(args, stdin=subprocess.DEVNULL, stdout=log,
                                      stderr=subprocess.STDOUT)
        except OSError as exc:
            message = f"LibreOffice could not be started ({soffice}): {exc.strerror or exc}"
            raise ConversionError(message, hint=INSTALL_HELP) from None
    chunk.since = time.monotonic()


def _stop(chunk: _Chunk, *, ended: bool = False) -> None:
    """Kill the chunk's process group (also any leftovers after a normal exit).

    The process started ahead that converted for it ends by itself once it has ``ended``
    (:class:`~docgen.pdf.office.Office` waits for that); otherwise it is killed too.
    """
    proc, chunk.proc = chunk.proc, None
    if proc is not None:
        reaper.stop_group(proc)
    server, chunk.server = chunk.server, None
    if server is not None and not ended:
        server.kill()


def _hang_error(names: list[str], timeout: float) -> ConversionError:
    message = (f"LibreOffice stopped responding: no progress for {timeout:g} s while "
               f"converting {names[0]}; it was killed.")
    if len(names) > 1:
        message = _listing(message + " Not converted either:", names[1:])
    hint = (f"a large document may need more time: raise the limit with --pdf-timeout "
            f"(now {timeout:g} s per document).")
    return ConversionError(message, hint=hint)


def _verify_all(chunks: list[_Chunk]) -> dict[PdfJob, Path]:
    made: dict[PdfJob, Path] = {}
    bad: list[str] = []
    for chunk in chunks:
        chunk.check(len(chunk.jobs))
        for job, pdf, problem in zip(chunk.jobs, chunk.outputs(), chunk.problems, strict=True):
            if problem or pdf is None:
                bad.append(f"{job.name}: {problem}")
            else:
                made[job] = pdf
    if bad:
        raise ConversionError(
            _listing("PDF conversion failed for:", bad),
            hint="open the document in LibreOffice to see what goes wrong; nothing was written.",
        )
    return made


def _listing(head: str, items: list[str]) -> str:
    shown = [f"  {item}" for item in items[:_SHOWN]]
    if len(items) > _SHOWN:
        shown.append(f"  … and {len(items) - _SHOWN} more")
    return "\n".join([head, *shown])


