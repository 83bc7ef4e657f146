"""PDF conversion: real LibreOffice for a few cases, fake converters for the failures."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docgen.errors import ConversionError
from docgen.pdf import convert as pdf
from docgen.pdf import soffice as soffice_module
from docgen.pdf import stable, verify
from docgen.pdf.combine import combine_pdfs
from docgen.pdf.convert import PdfJob, convert
from docgen.pdf.profile import profile_settings
from docgen.pdf.soffice import find_soffice
from docgen.pdf.verify import verify_pdf
from tests.helpers import require_soffice

FAKES = Path(__file__).parent / "fake_soffice"
NAME = "Søren Østergaard"
OTHER = "Åse Ærø Brøndum"
SCORE_TEXT = "Æblegrød på hospitalet"
posix_fakes = pytest.mark.skipif(os.name != "posix", reason="the fake converters are sh scripts")
needs_proc = pytest.mark.skipif(not Path("/proc").is_dir(), reason="scans /proc for processes")


def make_docx(path: Path, text: str, font: str = "Carlito") -> Path:
    import docx

    document = docx.Document()
    run = document.add_paragraph().add_run(f"Kære {text}, tak for din ansøgning til stillingen.")
    run.font.name = font
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def make_xlsx(path: Path, text: str) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = text
    ws["A1"].font = Font(name="Carlito", size=12)
    ws["B2"] = 3.5
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def fake(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Install a fake converter as ``soffice``, first on PATH and named by DOCGEN_SOFFICE."""
    bindir = tmp_path / "bin"
    shutil.copytree(FAKES, bindir, dirs_exist_ok=True)
    target = bindir / "soffice"
    shutil.copy2(FAKES / name, target)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("DOCGEN_SOFFICE", str(target))
    return find_soffice()


def marked_processes(marker: str, grace: float = 2.0) -> list[int]:
    """Return the live processes whose environment carries ``marker`` (a /proc scan).

    A process that was sent SIGKILL may take a moment to go, so look again for ``grace``
    seconds before answering.
    """
    deadline = time.monotonic() + grace
    while (found := _scan(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _scan(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"DOCGEN_FAKE_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def two_jobs(tmp_path: Path) -> list[PdfJob]:
    a = make_docx(tmp_path / "src" / "afslag" / "A01_anna.docx", NAME)
    b = make_docx(tmp_path / "src" / "afslag" / "A02_bo.docx", NAME)
    return [
        PdfJob(a, tmp_path / "out" / "afslag" / "A01_anna.pdf", (NAME,), "afslag/A01_anna.docx"),
        PdfJob(b, tmp_path / "out" / "afslag" / "A02_bo.pdf", (NAME,), "afslag/A02_bo.docx"),
    ]


# --- real LibreOffice -----------------------------------------------------------------


@pytest.mark.libreoffice
def test_real_conversion_of_mixed_documents(tmp_path: Path) -> None:
    soffice = require_soffice()
    base = tmp_path / "mappe med mellemrum #1 %41"  # space, '#' and '%' in every path
    work = base / "arbejde"
    work.mkdir(parents=True)
    same_a = make_docx(base / "afslag" / "A07_soeren.docx", NAME)
    # the same name in other folders: one with other text, one a copy
    same_b = make_docx(base / "telefonguide" / "A07_soeren.docx", OTHER)
    same_c = make_docx(base / "kopi" / "A07_soeren.docx", NAME)
    sheet = make_xlsx(base / "scoreark" / "P1_hanne.xlsx", SCORE_TEXT)
    out = base / "ud"
    jobs = [
        PdfJob(same_a, out / "afslag" / "A07_soeren.pdf", (NAME,), "afslag/A07_soeren.docx"),
        PdfJob(same_b, out / "telefonguide" / "A07_soeren.pdf", (OTHER,)),
        PdfJob(same_c, out / "kopi" / "A07_soeren.pdf", (NAME,)),
        PdfJob(sheet, out / "scoreark" / "P1_hanne.pdf", (SCORE_TEXT, "3,5")),  # da-DK
    ]
    seen: list[tuple[int, int]] = []
    when = datetime(2026, 11, 22, tzinfo=UTC)
    made = convert(jobs, soffice=soffice, timeout=120, progress=lambda d, t: seen.append((d, t)),
                   workdir=work, timestamp=when)

    assert made == [j.target for j in jobs]
    assert seen[-1] == (4, 4)
    assert list(work.iterdir()) == []  # profiles and temporary output removed
    import pdfplumber

    for job in jobs:
        data = job.target.read_bytes()
        assert data.startswith(b"%PDF-")
        with pdfplumber.open(job.target) as doc:
            assert len(doc.pages) >= 1
            text = doc.pages[0].extract_text()
            fonts = {c["fontname"].split("+")[-1] for c in doc.pages[0].chars}
        assert job.expected[0] in text
        assert fonts
        assert all(f.startswith("Carlito") for f in fonts), fonts
    # documents of the same name, converted in one process, each became its own PDF
    with pdfplumber.open(jobs[1].target) as doc:
        assert NAME not in doc.pages[0].extract_text()
    # pinned date and content-derived /ID: the same document converts to the same bytes
    assert jobs[0].target.read_bytes() == jobs[2].target.read_bytes()
    assert b"(D:20261122000000Z)" in jobs[0].target.read_bytes()


@pytest.mark.libreoffice
def test_real_unloadable_document_is_reported_and_nothing_written(tmp_path: Path) -> None:
    soffice = require_soffice()
    good = make_docx(tmp_path / "A01_good.docx", NAME)
    broken = tmp_path / "A02_broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml"
                         else body)
    jobs = [PdfJob(good, tmp_path / "out" / "A01_good.pdf", (NAME,)),
            PdfJob(broken, tmp_path / "out" / "A02_broken.pdf", (NAME,))]
    with pytest.raises(ConversionError) as err:
        convert(jobs, soffice=soffice, timeout=120, workers=1)
    assert "A02_broken.docx: LibreOffice wrote no PDF" in err.value.message
    assert "A01_good" not in err.value.message
    assert not (tmp_path / "out").exists()  # all or nothing


# --- fake converters ------------------------------------------------------------------


@posix_fakes
@needs_proc
def test_hung_converter_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = uuid.uuid4().hex
    monkeypatch.setenv("DOCGEN_FAKE_MARKER", marker)
    soffice = fake("hang", tmp_path, monkeypatch)
    work = tmp_path / "work"
    work.mkdir()
    start = time.monotonic()
    with pytest.raises(ConversionError) as err:
        convert(two_jobs(tmp_path), soffice=soffice, timeout=3, workers=1, workdir=work)
    assert time.monotonic() - start < 8
    assert "afslag/A01_anna.docx" in err.value.message
    assert "afslag/A02_bo.docx" in err.value.message
    assert NAME not in "\n".join(err.value.lines())
    assert "--pdf-timeout" in (err.value.hint or "")
    assert marked_processes(marker) == []
    assert list(work.iterdir()) == []
    assert not (tmp_path / "out").exists()


@posix_fakes
@pytest.mark.parametrize(
    ("name", "problem"),
    [("silent", "LibreOffice wrote no PDF"), ("garbage", "the output is not a PDF"),
     ("blank", "1 of 1 expected texts are missing")],
)
def test_bad_output_lists_every_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, problem: str
) -> None:
    soffice = fake(name, tmp_path, monkeypatch)
    with pytest.raises(ConversionError) as err:
        convert(two_jobs(tmp_path), soffice=soffice, timeout=30)
    assert f"afslag/A01_anna.docx: {problem}" in err.value.message
    assert f"afslag/A02_bo.docx: {problem}" in err.value.message
    assert NAME not in "\n".join(err.value.lines())
    assert not (tmp_path / "out").exists()


@posix_fakes
@needs_proc
def test_converter_that_never_exits_after_writing_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = uuid.uuid4().hex
    monkeypatch.setenv("DOCGEN_FAKE_MARKER", marker)
    soffice = fake("linger", tmp_path, monkeypatch)
    jobs = [PdfJob(j.source, j.target) for j in two_jobs(tmp_path)]
    assert convert(jobs, soffice=soffice, timeout=1, workers=1) == [j.target for j in jobs]
    assert marked_processes(marker) == []


@posix_fakes
def test_blank_pdf_passes_without_expected_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    soffice = fake("blank", tmp_path, monkeypatch)
    jobs = [PdfJob(j.source, j.target) for j in two_jobs(tmp_path)]
    assert convert(jobs, soffice=soffice, timeout=30) == [j.target for j in jobs]
    assert all(j.target.read_bytes().startswith(b"%PDF-") for j in jobs)


def test_text_file_named_docx_is_refused_before_converting(tmp_path: Path) -> None:
    fake_docx = tmp_path / "A03_x.docx"
    fake_docx.write_text("hello", encoding="utf-8")
    job = PdfJob(fake_docx, tmp_path / "A03_x.pdf", label="afslag/A03_x.docx")
    with pytest.raises(ConversionError, match=r"afslag/A03_x\.docx: not a valid Office Open XML"):
        convert([job], soffice=tmp_path / "no-soffice", timeout=5)


# --- finding LibreOffice --------------------------------------------------------------


def test_missing_soffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(soffice_module, "_USUAL_PLACES", ())
    with pytest.raises(ConversionError) as err:
        find_soffice()
    text = "\n".join(err.value.lines())
    assert "LibreOffice is needed for --pdf" in text
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in text
    assert "fonts-crosextra-carlito" in text
    assert "libreoffice.org" in text
    assert "DOCGEN_SOFFICE" in text
    assert "without --pdf" in text


@posix_fakes
def test_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = fake("silent", tmp_path, monkeypatch)
    other = tmp_path / "other"
    shutil.copy2(FAKES / "silent", other)
    assert find_soffice(str(other)) == soffice
    monkeypatch.delenv("DOCGEN_SOFFICE")
    assert find_soffice(str(other)) == other
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "missing"))
    with pytest.raises(ConversionError, match="DOCGEN_SOFFICE"):
        find_soffice()


# --- pieces ---------------------------------------------------------------------------


def test_plan_balances_and_keeps_word_and_calc_apart_when_that_is_sooner(
        tmp_path: Path) -> None:
    def job(name: str, weight: float = 1.0) -> PdfJob:
        return PdfJob(tmp_path / name, tmp_path / f"{name}.pdf", weight=weight)

    letters = [job(f"A{i:02}.docx") for i in range(8)]
    sheets = [job(f"P{i}.xlsx", 2.0) for i in range(4)]
    chunks = pdf._plan([*letters, *sheets], 50, 2)
    assert [{j.source.suffix for j in c} for c in chunks] == [{".docx"}, {".xlsx"}]
    # one heavy workbook among many letters: apart would leave one process idle
    lopsided = pdf._plan([*letters, *letters[:4], job("P9.xlsx", 2.0)], 50, 2)
    loads = sorted(sum(j.weight for j in c) for c in lopsided)
    assert len(lopsided) == 2
    assert loads[1] - loads[0] <= 2.0
    assert len(pdf._plan(letters, 50, 2)) == 2  # two processes share small builds
    assert len(pdf._plan(letters[:3], 50, 2)) == 1
    assert all(len(c) <= 5 for c in pdf._plan(letters * 3, 5, 2))


def test_text_check_survives_line_breaks_and_normal_forms() -> None:
    assert verify._contains("Kære Søren\nØster-\ngaard, tak", "Søren Østergaard")
    assert verify._contains("KÆRE SØREN  ØSTERGAARD", "Søren Østergaard")
    assert verify._contains("So\u0308ren", "Sören")  # decomposed in the PDF
    assert verify._contains("Hanne-\nMarie Holm", "Hanne-Marie Holm")
    assert not verify._contains("Søren Østergård", "Søren Østergaard")


def blank_pdf(text_id: bytes, date: bytes) -> bytes:
    body = (FAKES / "blank").read_text(encoding="utf-8")
    data = body[body.index("%PDF-1.4"): body.index("%%EOF") + 6].encode()
    return data.replace(b"<< /Size 4 /Root 1 0 R >>", b"<< /Size 4 /Root 1 0 R /Info << "
                        b"/CreationDate(D:" + date + b"Z')>> /ID [ <" + text_id + b"> <"
                        + text_id + b"> ] >>")


def test_pinning_makes_converted_pdfs_reproducible(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(blank_pdf(b"0AD0F2DF10EF2F66675323A256743A2D", b"20261122193816"))
    b.write_bytes(blank_pdf(b"3A10309CA607EAD900658975ED3A8EC5", b"20250101120000"))
    when = datetime(2026, 11, 22, tzinfo=UTC)
    stable.pin_pdf(a, when)
    stable.pin_pdf(b, when)
    assert a.read_bytes() == b.read_bytes()
    assert len(a.read_bytes()) == len(blank_pdf(b"0" * 32, b"0" * 14))  # offsets kept
    assert verify_pdf(a) is None


def test_combined_pdf_is_deterministic(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    parts = []
    for i in range(3):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        buf = io.BytesIO()
        writer.write(buf)
        parts.append(tmp_path / f"p{i}.pdf")
        parts[-1].write_bytes(buf.getvalue())
    when = datetime(2026, 11, 22, tzinfo=UTC)
    first = combine_pdfs(parts, tmp_path / "one.pdf", title="Afslag", timestamp=when)
    second = combine_pdfs(parts, tmp_path / "two.pdf", title="Afslag", timestamp=when)
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    assert len(reader.pages) == 3
    assert reader.metadata is not None
    assert reader.metadata.title == "Afslag"
    file_id = reader.trailer["/ID"]
    assert isinstance(file_id, list)
    assert file_id[0] == file_id[1]


@pytest.mark.parametrize("layout", ["program/soffice", "Contents/MacOS/soffice"])
def test_setup_version_is_read_from_the_installation(tmp_path: Path, layout: str) -> None:
    program = tmp_path / layout
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    registry = tmp_path / ("Contents/Resources" if layout.startswith("Contents") else "share")
    registry = registry / "registry"
    registry.mkdir(parents=True)
    (registry / "main.xcd").write_text(
        '<oor:data><prop oor:name="ooSetupVersion">\n  <value>24.8</value>\n</prop></oor:data>',
        encoding="utf-8")
    soffice_module.setup_version.cache_clear()
    assert soffice_module.setup_version(program) == "24.8"
    settings = profile_settings(program, "da-DK")
    assert "<value>24.8</value>" in settings
    assert "ooSetupLastVersion" in settings
    assert "<value>da-DK</value>" in settings


def test_unknown_installation_gives_a_profile_without_version(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    soffice_module.setup_version.cache_clear()
    assert soffice_module.setup_version(program) is None
    settings = profile_settings(program, "da-DK")
    assert "ooSetupLastVersion" not in settings
    assert "<value>da-DK</value>" in settings


def test_real_profile_skips_the_first_start_self_test(tmp_path: Path) -> None:
    # LibreOffice writes GraphicsRenderTests.log into a profile whenever it runs its
    # graphics self-test, which it does when it takes a start for the first after an
    # upgrade; a docgen profile records the version, so the test (and its cost) is skipped.
    soffice = require_soffice()
    source = make_docx(tmp_path / "a.docx", "Selvtest")
    logs = {}
    for name, settings in (("docgen", profile_settings(soffice, "da-DK")), ("empty", None)):
        profile = tmp_path / f"profile-{name}"
        (profile / "user").mkdir(parents=True)
        if settings is not None:
            (profile / "user" / "registrymodifications.xcu").write_text(settings, "utf-8")
        subprocess.run([str(soffice), f"-env:UserInstallation={profile.as_uri()}",
                        "--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf",
                        "--outdir", str(tmp_path / name), str(source)],
                       check=True, capture_output=True, timeout=120)
        assert (tmp_path / name / "a.pdf").is_file()
        logs[name] = (profile / "user" / "GraphicsRenderTests.log").exists()
    assert logs == {"docgen": False, "empty": True}
