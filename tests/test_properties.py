"""P2 (issue build point 10): any well-typed text is rendered exactly, on every render path.

Hypothesis makes names (one line) and free texts (with line breaks) from XML-legal
Unicode, weighted towards what breaks documents: ``&<>"'``, æøå, combining marks,
formula starts ``= + - @``. Each is rendered through docxtpl, the compiled letters and the
xlsx engine; every XML part of the result must parse with a parser that does not
recover, the text read back must equal the input, and a string cell must be a string.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hostile_kit import docx_template, xlsx_template
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from docgen.case.model import Applicant
from docgen.excel.fill import fill_workbook
from docgen.jinja import make_env
from docgen.word.compiled import CompiledTemplate
from docgen.word.render import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT = etree.XMLParser(recover=False, resolve_entities=False)
SPECIAL = "&<>\"'=+-@æøåÆØÅéü\u0301\u0308 ·–—’“”€ǅﬁ😀"
# Known troublemakers, always tried first (formula starts, markup, marks, emoji).
HARD = [
    ('=HYPERLINK("http://x","y")', "+45 12\n-3 @a"),
    ("a</w:t></w:r><w:r><w:t>X & <b>", "x & y\n<i>'\""),
    ("Zoe\u0308 Ha\u0301kansson 😀", "Æ\nø\nå"),
]
# XML-legal characters a case may hold: no C0/C1 controls, no surrogates, no U+FFFE/F,
# no bidi controls (the loader refuses them), and no private use.
LEGAL = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
    exclude_characters="\ufffe\uffff\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069",
)
CHARS = st.one_of(LEGAL, st.sampled_from(SPECIAL))
NAMES = st.text(CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)
TEXTS = st.lists(NAMES, min_size=1, max_size=3).map("\n".join)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def word_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return docx_template(tmp_path_factory.mktemp("p") / "t.docx", "[{{ name }}]", "[{{ text }}]")


@pytest.fixture(scope="module")
def compiled(word_template: Path) -> CompiledTemplate:
    return CompiledTemplate(word_template, make_env(autoescape=True))


@pytest.fixture(scope="module")
def excel_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return xlsx_template(tmp_path_factory.mktemp("x") / "t.xlsx",
                         {"A1": "{{ name }}", "A2": "Hej {{ name }}", "A3": "{{ text }}"})


def _parts_parse_strictly(data: bytes) -> dict[str, etree._Element]:
    parsed = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for entry in z.namelist():
            if entry.endswith((".xml", ".rels")):
                parsed[entry] = etree.fromstring(z.read(entry), STRICT)
    return parsed


def _paragraphs(root: etree._Element) -> list[str]:
    out = []
    for p in root.iter(f"{W}p"):
        text = "".join((el.text or "") if el.tag == f"{W}t" else "\n"
                       for el in p.iter(f"{W}t", f"{W}br"))
        if text:
            out.append(text)
    return out


def _model_accepts(name: str) -> bool:
    try:
        Applicant(id="A01", name=name)
    except ValueError:
        return False
    return True


@SETTINGS
@given(name=NAMES, text=TEXTS)
@example(name=HARD[0][0], text=HARD[0][1])
@example(name=HARD[1][0], text=HARD[1][1])
@example(name=HARD[2][0], text=HARD[2][1])
def test_docxtpl_renders_text_exactly(word_template: Path, name: str, text: str) -> None:
    data = render_docx(word_template, {"name": name, "text": text},
                       make_env(autoescape=True), logo=None)
    parts = _parts_parse_strictly(data)
    assert _paragraphs(parts["word/document.xml"]) == [f"[{name}]", f"[{text}]"]


@SETTINGS
@given(name=NAMES, text=TEXTS)
@example(name=HARD[0][0], text=HARD[0][1])
@example(name=HARD[1][0], text=HARD[1][1])
@example(name=HARD[2][0], text=HARD[2][1])
def test_compiled_letters_render_text_exactly(
    compiled: CompiledTemplate, name: str, text: str
) -> None:
    data = compiled.render({"name": name, "text": text})
    parts = _parts_parse_strictly(data)
    assert _paragraphs(parts["word/document.xml"]) == [f"[{name}]", f"[{text}]"]


@SETTINGS
@given(name=NAMES, text=TEXTS)
@example(name=HARD[0][0], text=HARD[0][1])
@example(name=HARD[1][0], text=HARD[1][1])
@example(name=HARD[2][0], text=HARD[2][1])
def test_xlsx_cells_hold_text_exactly_as_text(excel_template: Path, name: str, text: str) -> None:
    import datetime as dt

    result = fill_workbook(excel_template, {"name": name, "text": text},
                           make_env(autoescape=False), charts=[], metadata={},
                           created=dt.datetime(2026, 1, 1))
    _parts_parse_strictly(result.data)
    ws = load_workbook(io.BytesIO(result.data)).worksheets[0]
    for ref, expected in (("A1", name), ("A2", f"Hej {name}"), ("A3", text)):
        cell = ws[ref]
        assert cell.value == expected
        assert cell.data_type == "s"  # never a formula, whatever the text starts with


@settings(max_examples=200, deadline=None)
@given(name=NAMES)
def test_every_generated_name_is_one_the_case_model_accepts(name: str) -> None:
    """The strategies above stay within what a case may hold (else P2 would test nothing)."""
    assert _model_accepts(name)
