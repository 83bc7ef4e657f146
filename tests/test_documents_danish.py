"""Every document is tagged Danish, and the posting reads as a Danish HR officer would send it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docgen.pack.pipeline import build
from tests.helpers import SAMPLES, docx_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name in SAMPLE_NAMES:
        folder = tmp_path_factory.mktemp(name) / "out"
        build(SAMPLES / f"{name}.yaml", folder)
        out[name] = folder
    return out


def _core_language(z: zipfile.ZipFile) -> str | None:
    core = etree.fromstring(z.read("docProps/core.xml"))
    found = core.find("{http://purl.org/dc/elements/1.1/}language")
    return None if found is None else found.text


def test_every_word_and_excel_document_is_tagged_danish(built: dict[str, Path]) -> None:
    checked = 0
    for folder in built.values():
        for path in sorted(folder.rglob("*.docx")) + sorted(folder.rglob("*.xlsx")):
            with zipfile.ZipFile(path) as z:
                assert _core_language(z) == "da-DK", path.name
                if path.suffix == ".docx":
                    styles = etree.fromstring(z.read("word/styles.xml"))
                    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
                    assert lang is not None, path.name
                    assert lang.get(f"{W}val") == "da-DK", path.name
            checked += 1
    assert checked > 40


def test_footer_page_numbers_look_like_the_footer(built: dict[str, Path]) -> None:
    path = built["region-vest"] / "stillingsopslag.docx"
    with zipfile.ZipFile(path) as z:
        footer = etree.fromstring(z.read("word/footer1.xml"))
    runs = footer.findall(f".//{W}r")
    sizes = {r.find(f"{W}rPr/{W}sz").get(f"{W}val") for r in runs}
    colours = {r.find(f"{W}rPr/{W}color").get(f"{W}val") for r in runs}
    assert (sizes, colours) == ({"17"}, {"595959"})
    assert "RMV-2026-0417 · Side {PAGE}1" in docx_text(path)


def test_posting_joins_dates_and_links_addresses(built: dict[str, Path]) -> None:
    text = docx_text(built["region-vest"] / "stillingsopslag.docx")
    assert "Samtaler\n5. og 6.\u00a0oktober\u00a02026\n" in text
    assert "+45\u00a097\u00a012\u00a034\u00a056" in text
    assert '{HYPERLINK "https://psykiatrien-vest.eksempel.dk/job/4417"}' in text
    assert '{HYPERLINK "mailto:hanne.kirkegaard@psykiatrien-vest.eksempel.dk"}' in text
    # The fact box holds the deadline, the interviews and the contact; the text does not
    # repeat them.
    body = text.split("Sådan søger du", 1)[1]
    assert "21.\u00a0september" not in body
    assert "oktober" not in body
    assert "Hanne Kirkegaard" not in body
    assert "Du har som minimum afsluttet folkeskolens 9. klasse eller tilsvarende." in text


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_subtitle_says_start_and_sentences_end_with_a_full_stop(
    built: dict[str, Path], name: str
) -> None:
    text = docx_text(built[name] / "stillingsopslag.docx")
    subtitle = next(line for line in text.splitlines() if " timer om ugen · " in line)
    assert " · Start " in subtitle
    body = text.split("[body]", 1)[1].split("[footer]", 1)[0].splitlines()
    start = body.index("Dine faglige kompetencer")
    for line in body[start + 1:body.index("Dine personlige kvalifikationer")]:
        assert line.endswith("."), line
    for line in body[body.index("Sådan søger du") + 1:]:
        if not line.startswith(("Link til ansøgningen:", "{")):
            assert re.search(r"[.:]$", line), line


def test_the_date_block_ends_at_the_right_margin(built: dict[str, Path]) -> None:
    letter = next((built["region-vest"] / "afslag").glob("A0*.docx"))
    with zipfile.ZipFile(letter) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    table = body.find(f"{W}body/{W}tbl")
    margins = table.find(f"{W}tblPr/{W}tblCellMar")
    assert margins.find(f"{W}left").get(f"{W}w") == "0"
    assert margins.find(f"{W}right").get(f"{W}w") == "0"
    grid = sum(int(c.get(f"{W}w")) for c in table.findall(f"{W}tblGrid/{W}gridCol"))
    section = body.find(f"{W}body/{W}sectPr")
    page = int(section.find(f"{W}pgSz").get(f"{W}w"))
    mar = section.find(f"{W}pgMar")
    text_width = page - int(mar.get(f"{W}left")) - int(mar.get(f"{W}right"))
    assert abs(grid - text_width) <= 2  # noqa: PLR2004  (twips lost to mm rounding)


def test_readiness_speaks_of_kolleger_and_peer_medarbejdere() -> None:
    from docgen.settings import load_settings

    questions = load_settings(None).readiness.questions
    assert "Kolleger" in [q.theme for q in questions]
    for q in questions:
        assert "Kollegaer" not in q.theme
        assert not re.search(r"\bpeers?\b(?!-)", q.text), q.id
