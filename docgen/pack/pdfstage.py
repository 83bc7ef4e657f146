"""The PDF stage of a build: convert the staged documents and combine the letters.

It runs inside the staging folder, so a failed conversion leaves the output folder as
it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.output.staging import Staging
from docgen.pack.plan import Job
from docgen.pdf.combine import combine_pdfs
from docgen.pdf.convert import PdfJob, convert


def _pdf_path(rel: str) -> str:
    return rel.rsplit(".", 1)[0] + ".pdf"


def make_pdfs(
    done: list[tuple[Job, Path]],
    stage: Staging,
    *,
    soffice: Path,
    timeout: float,
    when: dt.datetime,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Convert every staged document (a print file becomes the letters' PDFs joined)."""
    singles = [(job, path) for job, path in done if not job.spec.combine]
    jobs = [
        PdfJob(
            source=path,
            target=stage.path(_pdf_path(job.path)),
            expected=tuple(job.expected_texts),
            label=job.path,
        )
        for job, path in singles
    ]
    convert(
        jobs,
        soffice=soffice,
        timeout=timeout,
        progress=progress,
        timestamp=when,
        workdir=stage.root,
    )
    records = []
    pdf_of: dict[str, Path] = {}
    for (job, _), pdf in zip(singles, jobs, strict=True):
        rel = _pdf_path(job.path)
        stage.written.append(rel)
        pdf_of[job.path] = pdf.target
        records.append(job.record(rel, pdf.target.read_bytes(), source=job.path))
    for job, _ in done:
        if not job.spec.combine:
            continue
        parts = sorted(
            (j.recipient or "", pdf_of[j.path])
            for j, _ in singles
            if j.spec.kind == job.spec.combine
        )
        rel = _pdf_path(job.path)
        target = stage.path(rel)
        combine_pdfs([p for _, p in parts], target, timestamp=when)
        stage.written.append(rel)
        records.append(job.record(rel, target.read_bytes(), source=job.path))
    return records
