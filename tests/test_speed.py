"""Work done once: lint results cached by content, workbook templates parsed once, the
print file streamed and marked, and a case with hundreds of applicants (its print file's
PDF checked page by page against the letters). Speed itself is measured in bench/."""

from __future__ import annotations

import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from docgen.errors import ConversionError
from docgen.excel.fill import fill_workbook, load_template
from docgen.jinja import make_env
from docgen.pack.pipeline import PdfOptions, build, check_case
from docgen.pack.plan import make_plan
from docgen.pdf.cut import part_pages
from docgen.settings import load_settings
from docgen.templates.context import base_context
from docgen.templates.lint import lint_templates
from docgen.word.printfile import MARK, combine_docx
from tests.helpers import SAMPLES, _part_text, docx_text, require_soffice

REGION = SAMPLES / "region-vest.yaml"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json")) if folder.exists() else []


def test_lint_results_are_cached_by_content(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(cache))
    templates = tmp_path / "templates"
    shutil.copytree(load_settings().template_dirs[-1], templates)
    settings = load_settings(None, templates)
    assert lint_templates(settings, only_used=True) == []
    entries = _entries(cache)
    assert entries, "the first lint fills the cache"
    # A remembered result is used as it stands: plant one to see it come back.
    planted = [["docx/stillingsopslag.docx", None, None, "word/document.xml", "planted"]]
    for entry in entries:
        entry.write_text(json.dumps(planted), encoding="utf-8")
    assert [i.message for i in lint_templates(settings, only_used=True)] == ["planted"] * len(
        entries
    )
    # A changed template is a new key: checked again, and its real problem found.
    posting = templates / "docx" / "stillingsopslag.docx"
    with zipfile.ZipFile(posting) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"</w:body>", b"<w:p><w:r><w:t>{{ no_such_name }}</w:t></w:r></w:p></w:body>"
    )
    with zipfile.ZipFile(posting, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    found = lint_templates(settings, only_used=True)
    assert any("no_such_name" in i.message for i in found)
    assert [i for i in found if i.message != "planted"]


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("region") / "out"
    build(REGION, out)
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG cache folder")
def test_lint_cache_can_be_turned_off_and_holds_no_case_data(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "")
    build(REGION, tmp_path / "off")
    assert not _entries(cache)
    monkeypatch.delenv("DOCGEN_CACHE_DIR")
    build(REGION, tmp_path / "on")
    text = "".join(e.read_text(encoding="utf-8") for e in _entries(cache))
    assert _entries(cache / "docgen")
    case = REGION.read_text(encoding="utf-8")
    names = re.findall(r"^\s+name: (.+)$", case, re.M)
    assert names
    assert not [n for n in names if n in text]


def test_a_workbook_template_parsed_once_fills_to_the_same_bytes() -> None:
    settings = load_settings()
    checked = check_case(REGION, settings)
    plan = make_plan(checked.case, settings, base_context(checked.case, settings))
    env = make_env(autoescape=False)
    jobs = [j for j in plan.jobs if j.template is not None and j.template.suffix == ".xlsx"]
    assert len({j.template for j in jobs}) == 3
    loaded = {}
    for job in jobs:
        assert job.template is not None
        template = loaded.setdefault(job.template, load_template(job.template))
        fresh = fill_workbook(job.template, job.context, env).data
        assert fill_workbook(template, job.context, env).data == fresh, job.path
    # The parsed template is left as it was by every fill.
    for path, template in loaded.items():
        other = next(j for j in jobs if j.template == path)
        assert fill_workbook(template, other.context, env).data == fill_workbook(
            path, other.context, env).data


def test_print_file_marks_each_letter_and_keeps_their_text(region) -> None:
    out, manifest = region
    letters = sorted((d["recipient"], out / d["path"]) for d in manifest["documents"]
                     if d["kind"] == "rejection-letter")
    printed = combine_docx([p for _, p in letters])
    assert printed.marked
    with zipfile.ZipFile(out / "afslag" / "alle_afslag.docx") as z:
        body = z.read("word/document.xml")
    marks = re.findall(rb'w:name="' + MARK.encode() + rb'(\d+)"', body)
    assert [int(m) for m in marks] == list(range(1, len(letters) + 1))
    def body(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as z:
            return _part_text(z.read("word/document.xml"))

    joined = [line for _, p in letters for line in body(p)]
    assert len(joined) > 10 * len(letters)
    assert body(out / "afslag" / "alle_afslag.docx") == joined


def test_part_pages_refuses_a_pdf_without_marks(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    pdf = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with pdf.open("wb") as f:
        writer.write(f)
    with pytest.raises(ConversionError, match="does not mark"):
        part_pages(pdf, 1)


def _large_case(tmp_path: Path, extra: int) -> Path:
    text = REGION.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\napplicants:\n")
    rows = [f"  - id: A{1000 + i}\n    name: Ansøger Nummer{i}\n    outcome: rejected\n"
            for i in range(extra)]
    case = tmp_path / "stor.yaml"
    case.write_text(head + sep + "".join(rows) + tail, encoding="utf-8")
    shutil.copy(SAMPLES / "fjordby-logo.png", tmp_path / "fjordby-logo.png")
    return case


def test_a_case_with_hundreds_of_applicants_prints_every_letter_on_its_pages(
    tmp_path: Path,
) -> None:
    import pypdfium2

    require_soffice()
    out = tmp_path / "out"
    build(_large_case(tmp_path, 300), out, pdf=PdfOptions(enabled=True, timeout=300))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # The print file holds the letters by the number in their ids (A99, A100, …, A1000).
    letters = sorted(
        ((int(d["recipient"][1:]), d["path"]) for d in manifest["documents"]
         if d["kind"] == "rejection-letter" and d["path"].endswith(".docx")),
    )
    assert len(letters) > 300
    combined = pypdfium2.PdfDocument(out / "afslag" / "alle_afslag.pdf")
    pages = [combined[i].get_textpage().get_text_range() for i in range(len(combined))]
    at = 0
    for _, rel in letters:
        own = pypdfium2.PdfDocument(out / rel.replace(".docx", ".pdf"))
        own_pages = [own[i].get_textpage().get_text_range() for i in range(len(own))]
        assert own_pages == pages[at:at + len(own_pages)], rel
        name = docx_text(out / rel).split("Kære ", 1)[1].split("\n", 1)[0]
        assert name in "".join(own_pages), rel
        at += len(own_pages)
    assert at == len(pages)


def test_a_write_failing_in_the_writer_thread_leaves_the_folder_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.errors import OutputError
    from docgen.output.staging import Staging
    from tests.helpers import tree_state

    out = tmp_path / "out"
    build(REGION, out)
    before = tree_state(out)
    real = Staging.write
    calls = {"n": 0}

    def flaky(self: Staging, rel: str, data: bytes) -> Path:
        calls["n"] += 1
        if calls["n"] == 25:
            raise OSError(28, "No space left on device")
        return real(self, rel, data)

    monkeypatch.setattr(Staging, "write", flaky)
    with pytest.raises(OutputError, match="the disk is full; nothing was changed"):
        build(REGION, out)
    assert calls["n"] >= 25
    assert tree_state(out) == before
    assert [p for p in tmp_path.iterdir() if p.is_dir() and ".docgen-" in p.name] == []


def test_without_marks_in_the_pdf_each_letter_is_converted_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2

    from docgen.pack import pdfstage

    require_soffice()

    def unmarked(_source: Path, _parts: int) -> list[range]:
        raise ConversionError("the print file's PDF does not mark where each document starts")

    monkeypatch.setattr(pdfstage, "part_pages", unmarked)
    out = tmp_path / "out"
    build(REGION, out, pdf=PdfOptions(enabled=True))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    letters = [d for d in manifest["documents"]
               if d["kind"] == "rejection-letter" and d["path"].endswith(".pdf")]
    assert len(letters) > 30
    for doc in letters:
        pdf = pypdfium2.PdfDocument(out / doc["path"])
        assert len(pdf) == 1
        # Converted by LibreOffice itself, not cut (a cut PDF is written by PDFium).
        assert pdf.get_metadata_dict()["Producer"].startswith("LibreOffice"), doc["path"]
    assert len(pypdfium2.PdfDocument(out / "afslag" / "alle_afslag.pdf")) == len(letters)


def test_the_print_file_does_not_read_back_the_letters_just_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region
) -> None:
    from docgen.pack import render

    def no_reading(_path: Path) -> None:
        raise AssertionError("a staged letter was read back")

    monkeypatch.setattr(render, "read_part", no_reading)
    build(REGION, tmp_path / "out")
    out, _ = region
    assert (tmp_path / "out" / "afslag" / "alle_afslag.docx").read_bytes() == (
        out / "afslag" / "alle_afslag.docx").read_bytes()


def test_the_print_file_orders_letters_by_the_number_in_their_ids() -> None:
    from types import SimpleNamespace

    from docgen.pack.render import print_order

    ids = ["A1000", "A99", "A100", "A07", "A0100", "A999"]
    done = [(SimpleNamespace(spec=SimpleNamespace(kind="rejection-letter"), recipient=i),
             Path(f"{i}.docx")) for i in ids]
    done.append((SimpleNamespace(spec=SimpleNamespace(kind="phone-guide"), recipient="A01"),
                 Path("guide.docx")))
    ordered = [job.recipient for job, _ in print_order(done, "rejection-letter")]  # type: ignore[arg-type]
    assert ordered == ["A07", "A99", "A0100", "A100", "A999", "A1000"]
