"""`docgen build --pdf`: every document as a verified PDF, all or nothing."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pdfplumber
import pytest

from docgen.errors import ConversionError
from docgen.pack.pipeline import PdfOptions, build
from tests.helpers import SAMPLES, docx_text, require_soffice, tree_state

REGION = SAMPLES / "region-vest.yaml"


@pytest.fixture(scope="module")
def region_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    require_soffice()
    out = tmp_path_factory.mktemp("pdf") / "out"
    build(REGION, out, pdf=PdfOptions(enabled=True))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def test_every_document_has_a_pdf_entry(region_pdf) -> None:
    out, manifest = region_pdf
    docs = manifest["documents"]
    sources = {d["path"]: d for d in docs if "source" not in d}
    pdfs = {d["source"]: d for d in docs if "source" in d}
    assert set(pdfs) == set(sources)
    for src, pdf in pdfs.items():
        assert pdf["path"] == src.rsplit(".", 1)[0] + ".pdf"
        for key in ("kind", "recipient"):
            assert pdf[key] == sources[src][key]
        assert pdf.get("variant") == sources[src].get("variant")
        assert (out / pdf["path"]).read_bytes().startswith(b"%PDF-")


def test_pdfs_carry_their_recipient(region_pdf) -> None:
    out, manifest = region_pdf
    for doc in manifest["documents"]:
        if doc.get("source", "").startswith("afslag/A0") and doc["kind"] == "rejection-letter":
            name = docx_text(out / doc["source"]).split("Kære ", 1)[1].split("\n", 1)[0]
            assert name in _text(out / doc["path"])


def test_letters_fit_one_page_and_the_print_pdf_holds_them_all(region_pdf) -> None:
    out, manifest = region_pdf
    letters = [
        d
        for d in manifest["documents"]
        if d["kind"] == "rejection-letter" and d["path"].endswith(".pdf")
    ]
    for doc in letters:
        assert _pages(out / doc["path"]) == 1, doc["path"]
    combined = next(
        d
        for d in manifest["documents"]
        if d["kind"] == "letters-print" and d["path"].endswith(".pdf")
    )
    assert _pages(out / combined["path"]) == len(letters)
    assert combined["source"] == "afslag/alle_afslag.docx"


def test_posting_layout(region_pdf) -> None:
    out, _ = region_pdf
    path = out / "stillingsopslag.pdf"
    assert _pages(path) == 2
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        assert first.width == pytest.approx(595, abs=2)  # A4
        assert first.height == pytest.approx(842, abs=2)
        title = [w for w in first.extract_words() if w["text"] == "Peer-medarbejder"]
        assert title
        words = [w for p in pdf.pages for w in p.extract_words()]
        assert all(w["x0"] >= 0 and w["x1"] <= first.width for w in words)
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Fakta om stillingen" in text
    assert "{{" not in text


def test_fonts_are_the_intended_ones(region_pdf) -> None:
    out, _ = region_pdf
    for rel in ("stillingsopslag.pdf", "afslag/alle_afslag.pdf"):
        with pdfplumber.open(out / rel) as pdf:
            # Letters and digits must be Carlito (Calibri's metric twin), not a fallback;
            # list bullets come from the symbol font.
            fonts = {
                c["fontname"].split("+")[-1]
                for p in pdf.pages[:2]
                for c in p.chars
                if c["text"].isalnum()
            }
        assert fonts, rel
        assert all(f.startswith("Carlito") for f in fonts), (rel, fonts)


def test_missing_libreoffice_fails_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "out"
    with pytest.raises(ConversionError) as info:
        build(REGION, out, pdf=PdfOptions(enabled=True))
    assert "libreoffice-writer-nogui" in info.value.message + (info.value.hint or "")
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if ".docgen-" in p.name] == []
    build(REGION, out)  # without --pdf LibreOffice is never needed
    assert (out / "stillingsopslag.docx").is_file()


def _fake_hanging_soffice(folder: Path) -> Path:
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\nsleep 600 &\nsleep 600\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return fake


def test_hanging_converter_is_stopped_and_nothing_changes(tmp_path: Path) -> None:
    fake = _fake_hanging_soffice(tmp_path)
    out = tmp_path / "out"
    build(SAMPLES / "kommune-fjordby.yaml", out)
    before = tree_state(out)
    env = {**os.environ, "DOCGEN_SOFFICE": str(fake), "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    started = time.monotonic()
    done = subprocess.run(
        [
            str(Path(os.sys.executable)),
            "-m",
            "docgen",
            "build",
            str(SAMPLES / "kommune-fjordby.yaml"),
            "-o",
            str(out),
            "--pdf",
            "--pdf-timeout",
            "3",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert "stillingsopslag.docx" in done.stderr
    assert elapsed < 30
    assert tree_state(out) == before
    leftover = subprocess.run(
        ["pgrep", "-f", str(fake)], capture_output=True, text=True, check=False
    )
    assert leftover.stdout.strip() == ""


def test_workbooks_print_on_a4_with_nothing_cut_off(region_pdf) -> None:
    out, manifest = region_pdf
    workbooks = [d for d in manifest["documents"] if d.get("source", "").endswith(".xlsx")]
    assert len(workbooks) == 6
    for doc in workbooks:
        with pdfplumber.open(out / doc["path"]) as pdf:
            for page in pdf.pages:
                size = sorted((round(page.width), round(page.height)))
                assert size == [595, 842], (doc["path"], size)  # A4, either way round
                words = page.extract_words()
                assert all(w["x0"] >= 0 and w["x1"] <= page.width for w in words)
                assert all(w["top"] >= 0 and w["bottom"] <= page.height for w in words)


def test_scoresheet_pages_hold_the_form(region_pdf) -> None:
    out, _ = region_pdf
    with pdfplumber.open(out / "scoreark/P1_hanne-kirkegaard.pdf") as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    # A front page with the schedule, then one page per interviewed applicant (6 of them),
    # each with every criterion's description under its label.
    assert len(pages) == 7
    assert "Skriv ikke diagnoser" in pages[0]
    assert "Samtalen varer højst 45 minutter" in pages[0]
    assert "Tidsplan for samtalerne" in pages[0]
    for i, applicant in enumerate(["A03", "A07", "A12", "A18", "A25", "A31"]):
        page = pages[1 + i]
        assert f"{applicant} · " in page
        assert "Distance til og refleksion" in page
        assert "Kan se sine svære perioder i perspektiv" in page
        assert "Samlet indstilling" in page


def test_role_star_and_readiness_pages(region_pdf) -> None:
    out, _ = region_pdf
    with pdfplumber.open(out / "rollestjerne.pdf") as pdf:
        star = [p.extract_text() or "" for p in pdf.pages]
    assert len(star) == 3
    assert "Organisationsudvikling" in star[1]
    assert "Rollestjernen" in star[2]
    with pdfplumber.open(out / "parathed.pdf") as pdf:
        ready = [p.extract_text() or "" for p in pdf.pages]
    assert len(ready) == 2
    # Six of ten questions are answered: the sum is provisional and says so.
    assert "Foreløbigt point 13 kun 6 af 10 spørgsmål besvaret" in ready[0]
    assert "Samlet point" not in ready[0]


def test_pdf_rebuild_is_byte_identical(tmp_path: Path) -> None:
    require_soffice()
    case = SAMPLES / "kommune-fjordby.yaml"
    build(case, tmp_path / "a", pdf=PdfOptions(enabled=True))
    build(case, tmp_path / "b", pdf=PdfOptions(enabled=True))
    a, b = tree_state(tmp_path / "a"), tree_state(tmp_path / "b")
    assert any(name.endswith(".pdf") for name in a)
    assert a == b
