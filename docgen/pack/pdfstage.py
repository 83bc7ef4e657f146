"""The PDF stage of a build: convert the staged documents, each only once.

A print file is converted once: its PDF is the letters' combined PDF, and each letter's
own PDF is cut from it by the page ranges the print file's bookmarks mark (see
``word/printfile.py``). Everything else goes through the same few LibreOffice processes.
When a print file carries no marks (the careful join of unlike templates) or its PDF does
not show them, its letters are converted one by one and their PDFs joined, as a fallback.
It runs inside the staging folder, so a failed conversion leaves the output folder as it
was.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docgen.errors import ConversionError
from docgen.output.staging import Staging
from docgen.pack.plan import Job
from docgen.pack.render import print_order
from docgen.pdf.combine import combine_pdfs
from docgen.pdf.convert import PdfJob, convert
from docgen.pdf.cut import cut_pdf, part_pages
from docgen.pdf.office import Office
from docgen.pdf.verify import verify_pdf

# What a document costs LibreOffice, in units of a one-page Word document (about 0.12 s
# measured on the regional sample): a letter in a print file costs 0.05 (38 letters took
# 0.33 s in one file) and each further sheet of a workbook 0.15 (a scoresheet of 8
# sheets 0.2 s, the one-sheet readiness form 0.12 s). A document from a template laid out
# before costs 0.6 less (four more phone guides took 0.2 s, not 0.5 s). The processes
# are balanced by these.
_PAGE_WEIGHT = 0.05
_SHEET_WEIGHT = 0.15
_AGAIN = 0.6
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b")
_SHOWN = 10


def _pdf_path(rel: str) -> str:
    return rel.rsplit(".", 1)[0] + ".pdf"


@dataclass
class _Print:
    """A print file and the documents it joins, in its order."""

    job: Job
    path: Path
    parts: list[tuple[Job, Path]]


def make_pdfs(
    done: list[tuple[Job, Path]],
    stage: Staging,
    *,
    soffice: Path,
    timeout: float,
    when: dt.datetime,
    progress: Callable[[int, int], None] | None = None,
    marked: frozenset[str] | set[str] = frozenset(),
    office: Office | None = None,
) -> list[dict[str, Any]]:
    """Convert every staged document; ``marked``: print files whose PDF can be cut."""
    prints = [_Print(job, path, print_order(done, job.spec.combine))
              for job, path in done if job.spec.combine]
    cut = [p for p in prints if p.job.path in marked]
    cut_kinds = {p.job.spec.combine for p in cut}
    direct = [(job, path) for job, path in done
              if not job.spec.combine and job.spec.kind not in cut_kinds]
    jobs = _direct_jobs(stage, direct)
    jobs += [_pdf_job(stage, p.job, p.path, weight=1 + _PAGE_WEIGHT * len(p.parts))
             for p in cut]
    run = _Converter(stage, soffice, timeout, when, progress, office)
    run(jobs)
    late: list[PdfJob] = []
    for p in cut:
        try:
            pages = part_pages(stage.path(_pdf_path(p.job.path)), len(p.parts))
        except ConversionError:  # no marks in the PDF: convert the letters themselves
            late += [_pdf_job(stage, job, path) for job, path in p.parts]
            continue
        targets = [stage.path(_pdf_path(job.path)) for job, _ in p.parts]
        cut_pdf(stage.path(_pdf_path(p.job.path)), pages, targets, timestamp=when)
        _check([(job.path, target, job.expected_texts)
                for (job, _), target in zip(p.parts, targets, strict=True)])
    run(late)

    records = []
    for job, _ in done:
        if job.spec.combine:
            continue
        rel = _pdf_path(job.path)
        stage.written.append(rel)
        records.append(job.record(rel, stage.path(rel).read_bytes(), source=job.path))
    for p in prints:
        rel = _pdf_path(p.job.path)
        if p.job.path not in marked:  # not converted itself: join its letters' PDFs
            parts = [stage.path(_pdf_path(job.path)) for job, _ in p.parts]
            combine_pdfs(parts, stage.path(rel), timestamp=when)
        stage.written.append(rel)
        records.append(p.job.record(rel, stage.path(rel).read_bytes(), source=p.job.path))
    return records


def _pdf_job(stage: Staging, job: Job, path: Path, weight: float | None = None) -> PdfJob:
    return PdfJob(source=path, target=stage.path(_pdf_path(job.path)),
                  expected=tuple(job.expected_texts), label=job.path,
                  weight=_weight(path) if weight is None else weight)


def _direct_jobs(stage: Staging, direct: list[tuple[Job, Path]]) -> list[PdfJob]:
    """Each document converted by itself; the first from each template costs the most."""
    jobs: list[PdfJob] = []
    seen: set[Path] = set()
    for job, path in direct:
        pdf_job = _pdf_job(stage, job, path)
        if job.template is not None:
            if job.template in seen:
                pdf_job = replace(pdf_job, weight=pdf_job.weight - _AGAIN)
            seen.add(job.template)
        jobs.append(pdf_job)
    return jobs


def _weight(path: Path) -> float:
    """A document's cost to convert (see _SHEET_WEIGHT): workbooks by their sheets."""
    if path.suffix.lower() != ".xlsx":
        return 1.0
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = len(_SHEET.findall(zf.read("xl/workbook.xml")))
    except (OSError, KeyError, zipfile.BadZipFile):
        return 1.0  # the converter reports what is wrong with it
    return 1.0 + _SHEET_WEIGHT * max(sheets - 1, 0)


class _Converter:
    def __init__(self, stage: Staging, soffice: Path, timeout: float, when: dt.datetime,
                 progress: Callable[[int, int], None] | None, office: Office | None) -> None:
        self.stage, self.soffice, self.timeout = stage, soffice, timeout
        self.when, self.progress, self.office = when, progress, office

    def __call__(self, jobs: list[PdfJob]) -> None:
        convert(jobs, soffice=self.soffice, timeout=self.timeout, progress=self.progress,
                timestamp=self.when, workdir=self.stage.root, office=self.office)


def _check(pdfs: list[tuple[str, Path, list[str]]]) -> None:
    """Check each cut PDF as a converted one is checked: pages, the recipient's name."""
    bad = [f"  {label}: {problem}" for label, path, expected in pdfs
           if (problem := verify_pdf(path, expected))]
    if bad:
        more = [f"  … and {len(bad) - _SHOWN} more"] if len(bad) > _SHOWN else []
        raise ConversionError("\n".join(["PDF conversion failed for:", *bad[:_SHOWN], *more]),
                              hint="open the print file in LibreOffice to see what goes wrong; "
                              "no PDF was written.")
