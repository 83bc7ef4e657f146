"""Benchmark: docgen's batched PDF conversion against one LibreOffice process per file.

    python bench/pdf.py --n 40 [--workers 2] [--chunk-size 50]

Makes N small but realistic documents (Danish rejection letters and phone guides made with
python-docx, and every eighth one a scoresheet made with openpyxl) in a temporary folder,
converts them (a) the naive way, one ``soffice`` process with a fresh profile per file,
and (b) with ``docgen.pdf.convert.convert``, checks every PDF both ways, and prints the ratio of
the times per document on its last line. Both sides include the same PDF check.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen.pdf.convert import PdfJob, convert  # noqa: E402
from docgen.pdf.soffice import find_soffice  # noqa: E402
from docgen.pdf.verify import verify_pdf  # noqa: E402

NAMES = [
    "Søren Østergaard", "Hanne Holm", "Åse Brøndum", "Mette Kjær", "Jens Ærø", "Birgitte Lund",
    "Mads Sørensen", "Line Bæk", "Ole Jørgensen", "Karen Ødegaard", "Peter Dahl", "Signe Møller",
]
BODY = [
    "Tak for din ansøgning til stillingen som peer-medarbejder i Socialpsykiatrien, "
    "Team Øst. Vi har været glade for at læse om dine erfaringer og om, hvordan du selv har "
    "arbejdet med din recovery.",
    "Vi modtog i alt 23 ansøgninger, og ansættelsesudvalget har haft en svær opgave. Efter en "
    "samlet vurdering har vi valgt at gå videre med andre ansøgere, hvis erfaringer passer "
    "tættere på opgaverne i teamet lige nu.",
    "Vi vil gerne opfordre dig til at søge igen, når vi slår nye stillinger op. Hvis du ønsker "
    "en uddybende begrundelse, er du velkommen til at kontakte os på telefon 33 12 45 67.",
    "Vi ønsker dig held og lykke fremover.",
]


def make_letter(path: Path, name: str, guide: bool) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    style = document.styles["Normal"]
    style.font.name = "Carlito"
    style.font.size = Pt(11)
    document.add_paragraph("Region Eksempel · Socialpsykiatrien · Team Øst\nVesterbrogade 1, "
                           "1620 København V")
    document.add_paragraph("22. november 2026").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if guide:
        document.add_heading(f"Telefonsamtale med {name}", level=1)
        for point in ("Tak for samtalen og for tiden", "Begrundelse: erfaring med gruppeforløb",
                      "Styrker vi lagde mærke til", "Tilbud om at søge igen"):
            document.add_paragraph(point, style="List Bullet")
        table = document.add_table(rows=3, cols=2)
        table.style = "Table Grid"
        for row, (k, v) in zip(table.rows, [("Kriterium", "Score"), ("Egen recovery", "4"),
                                            ("Samarbejde", "3")], strict=True):
            row.cells[0].text, row.cells[1].text = k, v
    else:
        document.add_paragraph(f"Kære {name}")
        for text in BODY:
            document.add_paragraph(text)
        document.add_paragraph("Med venlig hilsen\n\nHanne Holm\nTeamleder")
    document.save(str(path))


def make_scoresheet(path: Path, member: str) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Scoreark"
    ws["A1"] = f"Scoreark · {member}"
    ws["A1"].font = Font(name="Carlito", size=14, bold=True)
    ws.append([])
    ws.append(["Kriterium", *NAMES[:5]])
    for criterion in ("Egen recovery-erfaring", "Formidling af erfaring", "Samarbejde",
                      "Grænsesætning", "Motivation"):
        ws.append([criterion, 3, 4, 2, 5, 4])
    ws.append(["I alt", *[f"=SUM({c}4:{c}8)" for c in "BCDEF"]])
    ws.column_dimensions["A"].width = 28
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    wb.save(path)


def make_documents(folder: Path, n: int) -> list[PdfJob]:
    jobs = []
    for i in range(n):
        name = NAMES[i % len(NAMES)]
        if i % 8 == 7:
            src = folder / "scoreark" / f"P{i:02}.xlsx"
            src.parent.mkdir(parents=True, exist_ok=True)
            make_scoresheet(src, name)
            expected: tuple[str, ...] = (f"Scoreark · {name}", "Egen recovery-erfaring")
        else:
            guide = i % 4 == 3
            src = folder / ("telefonguide" if guide else "afslag") / f"A{i:02}.docx"
            src.parent.mkdir(parents=True, exist_ok=True)
            make_letter(src, name, guide)
            expected = (name,)
        jobs.append(PdfJob(src, folder / "pdf" / src.parent.name / (src.stem + ".pdf"),
                           expected, f"{src.parent.name}/{src.name}"))
    return jobs


def per_file(jobs: list[PdfJob], soffice: Path, scratch: Path) -> None:
    """The naive script: one process, with a fresh profile, per file; then the same check."""
    for i, job in enumerate(jobs):
        profile = scratch / f"profile{i}"
        out = scratch / f"out{i}"
        subprocess.run(
            [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
             str(job.source)],
            check=False, capture_output=True, timeout=300,
        )
        problem = verify_pdf(out / (job.source.stem + ".pdf"), job.expected)
        if problem:
            raise SystemExit(f"per-file: {job.name}: {problem}")
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="number of documents (default 40)")
    parser.add_argument("--workers", type=int, default=None, help="docgen's parallel processes")
    parser.add_argument("--chunk-size", type=int, default=50)
    args = parser.parse_args()
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as tmp:
        folder = Path(tmp)
        jobs = make_documents(folder / "src", args.n)
        print(f"{len(jobs)} documents ({sum(j.source.suffix == '.xlsx' for j in jobs)} xlsx), "
              f"{soffice}")
        per_file(jobs[:1], soffice, folder / "warm")  # untimed: load LibreOffice from disk once

        start = time.perf_counter()
        convert(jobs, soffice=soffice, timeout=120, chunk_size=args.chunk_size,
                workers=args.workers)
        batched = (time.perf_counter() - start) / len(jobs)
        print(f"docgen convert: {batched * len(jobs):.1f} s")

        start = time.perf_counter()
        per_file(jobs, soffice, folder / "naive")
        naive = (time.perf_counter() - start) / len(jobs)
        print(f"per-file: {naive * len(jobs):.1f} s")

    print(f"speedup: {naive / batched:.1f}x "
          f"(docgen {batched:.2f} s/doc, per-file {naive:.1f} s/doc)")


if __name__ == "__main__":
    main()
