"""LibreOffice started ahead: used by the conversion, and always ended, never left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from docgen.pdf.convert import PdfJob, convert
from docgen.pdf.office import Office
from tests.helpers import require_soffice
from tests.test_pdf import NAME, OTHER, SCORE_TEXT, make_docx, make_xlsx, needs_proc

pytestmark = [pytest.mark.libreoffice, needs_proc]


def _ours(work: Path) -> list[int]:
    """Processes whose command line names a folder under ``work`` (profiles, documents)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(work).encode() in cmdline:
            found.append(int(entry.name))
    return found


def _pipes() -> set[str]:
    """LibreOffice's single-instance pipes; one left behind means a process was killed."""
    return {p.name for p in Path("/tmp").glob("OSL_PIPE_*")}


def _settle(work: Path) -> list[int]:
    deadline = time.monotonic() + 5
    while (left := _ours(work)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_started_ahead_they_convert_and_end_by_themselves(tmp_path: Path) -> None:
    soffice = require_soffice()
    work = tmp_path / "arbejde"
    work.mkdir()
    letters = [make_docx(tmp_path / "afslag" / f"A0{i}.docx", NAME) for i in range(1, 4)]
    sheet = make_xlsx(tmp_path / "scoreark" / "P1.xlsx", SCORE_TEXT)
    out = tmp_path / "ud"
    jobs = [PdfJob(p, out / f"{p.stem}.pdf", (NAME,)) for p in letters]
    jobs.append(PdfJob(sheet, out / "P1.pdf", (SCORE_TEXT,)))
    before = _pipes()
    with Office(soffice, workdir=work) as office:
        office.open(2)
        made = convert(jobs, soffice=soffice, timeout=120, workdir=work, office=office)
        assert len(office.taken) == 2  # Writer's and Calc's documents, one process each
    assert made == [j.target for j in jobs]
    assert all(target.read_bytes().startswith(b"%PDF-") for target in made)
    assert [w.by_itself for w in office.ended] == [True, True]
    assert _settle(work) == []
    assert _pipes() <= before
    assert list(work.iterdir()) == []


def test_unused_they_are_ended_by_an_empty_request(tmp_path: Path) -> None:
    soffice = require_soffice()
    work = tmp_path / "arbejde"
    work.mkdir()
    before = _pipes()
    with Office(soffice, workdir=work) as office:
        office.open(2)
        time.sleep(1)  # well started: each waits on its pipe
    assert [w.by_itself for w in office.ended] == [True, True]
    assert _settle(work) == []
    assert _pipes() <= before
    assert list(work.iterdir()) == []


def test_one_gone_before_its_documents_come_changes_nothing(tmp_path: Path) -> None:
    soffice = require_soffice()
    work = tmp_path / "arbejde"
    work.mkdir()
    source = make_docx(tmp_path / "a.docx", OTHER)
    with Office(soffice, workdir=work) as office:
        office.open(1)
        waiting = office._waiting[0]
        assert waiting.proc is not None
        os.killpg(waiting.proc.pid, signal.SIGKILL)
        waiting.proc.wait()
        made = convert([PdfJob(source, tmp_path / "a.pdf", (OTHER,))], soffice=soffice,
                       timeout=120, workdir=work, office=office)
    assert made == [tmp_path / "a.pdf"]
    assert _settle(work) == []
    assert list(work.iterdir()) == []
