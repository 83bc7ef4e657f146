"""The fast path renders what docxtpl renders, safely and reproducibly."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, InlineImage, RichText
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError
from lxml import etree
from markupsafe import Markup
from PIL import Image

from docgen.jinja import make_env
from docgen.word.compiled import (
    CompiledTemplate,
    TemplateRenderError,
    UnsupportedFeatureError,
)

SENTINEL = "SENTINEL-HEALTH-123"
STRICT = etree.XMLParser(recover=False, resolve_entities=False)
RENDERED = ("word/document.xml", "word/header1.xml", "word/footer1.xml")


# ---------------------------------------------------------------------------
# templates and helpers


def _logo(folder: Path) -> Path:
    path = folder / "logo.png"
    if not path.exists():
        Image.new("RGB", (60, 20), (20, 90, 140)).save(path)
    return path


def build_template(
    folder: Path,
    *,
    name: str = "brev.docx",
    header: str = "\t{{ org.navn }}",
    footer: str = "{{ org.adresse }} · {{ kontakt }}",
    body: tuple[str, ...] = (),
    title: str | None = None,
) -> Path:
    """A small letter: header with a logo, paragraphs, {%p if/for %}, a {%tr for %} table."""
    logo = _logo(folder)
    doc = Document()
    hp = doc.sections[0].header.paragraphs[0]
    hp.add_run().add_picture(str(logo), width=Cm(2))
    hp.add_run(header)
    doc.sections[0].footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
        doc.core_properties.author = "{{ navn }}"

    doc.add_paragraph("Kære {{ navn }}")
    doc.add_paragraph("{%p if interviewet %}")
    doc.add_paragraph("Tak for samtalen den {{ dato|dato }}.")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Du blev ikke indkaldt til samtale.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Vi har lagt vægt på:")
    doc.add_paragraph("{%p for g in grunde %}")
    doc.add_paragraph("{{ g }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    table = doc.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "Kriterium"
    table.cell(0, 1).text = "Point"
    table.cell(1, 0).text = "{%tr for k in kriterier %}"
    table.cell(2, 0).text = "{{ k.navn }}"
    table.cell(2, 1).text = "{{ k.point|tal }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{%p for x in billeder %}")
    doc.add_paragraph().add_run().add_picture(str(logo), width=Cm(1))
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("Note: {{ note }}")
    for text in body:
        doc.add_paragraph(text)
    doc.add_paragraph("Med venlig hilsen")
    path = folder / name
    doc.save(str(path))
    return path


def context(**overrides: Any) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "navn": "Søren Østergaard",
        "interviewet": True,
        "dato": dt.date(2026, 10, 12),
        "grunde": ["erfaring med recovery", "refleksion over egne erfaringer"],
        "kriterier": [{"navn": "Refleksion", "point": 4}, {"navn": "Dialog", "point": 3.5}],
        "billeder": [1, 2],
        "note": "ingen",
        "org": {"navn": "Region Midtjylland", "adresse": "Skovagervej 2, 8240 Risskov"},
        "kontakt": "Hanne Holm",
    }
    ctx.update(overrides)
    return ctx


def docxtpl_bytes(path: Path, ctx: dict[str, Any]) -> bytes:
    """The plain docxtpl way, as docgen would call it."""
    tpl = DocxTemplate(path)
    tpl.render(ctx, jinja_env=make_env(autoescape=True))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def texts(data: bytes) -> dict[str, list[str]]:
    """Paragraph texts of the body (tables included), headers and footers."""
    doc = Document(io.BytesIO(data))
    out = {"body": [Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))]}
    for i, section in enumerate(doc.sections):
        for kind, hf in (("header", section.header), ("footer", section.footer)):
            out[f"{kind}{i}"] = [Paragraph(p, hf).text for p in hf._element.iter(qn("w:p"))]
    return out


def assert_well_formed(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(name), STRICT)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fastdocx")


@pytest.fixture(scope="module")
def template(folder: Path) -> Path:
    return build_template(folder)


@pytest.fixture(scope="module")
def compiled(template: Path) -> CompiledTemplate:
    return CompiledTemplate(template, make_env(autoescape=True), name="afslag.docx")


# ---------------------------------------------------------------------------
# same result as docxtpl

CONTEXTS = [
    context(),
    context(interviewet=False, grunde=[], kriterier=[], billeder=[]),
    context(grunde=[f"grund {i}" for i in range(12)], billeder=[1, 2, 3, 4]),
    context(note="linje 1\nlinje 2\ttab", navn="Åse\tÆrbøl"),
    context(org={"navn": "Kommune & Co <A/S>", "adresse": "Æblevej 1\n8000 Aarhus C"}),
]


@pytest.mark.parametrize("ctx", CONTEXTS, ids=range(len(CONTEXTS)))
def test_same_parts_and_text_as_docxtpl(
    template: Path, compiled: CompiledTemplate, ctx: dict[str, Any]
) -> None:
    expected = docxtpl_bytes(template, ctx)
    got = compiled.render(ctx)
    assert texts(got) == texts(expected)
    exp_parts, got_parts = parts(expected), parts(got)
    for name in RENDERED:
        assert got_parts[name] == exp_parts[name], name
    assert list(got_parts) == list(exp_parts)


def test_other_docxtpl_tags_match_docxtpl(folder: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "{% cellbg farve %}Farvet"
    table.cell(0, 1).text = "{% colspan bredde %}Bred"
    table.cell(1, 0).text = "{%tc for k in kolonner %}"
    table.cell(1, 1).text = "{{ k }}"
    table.cell(1, 2).text = "{%tc endfor %}"
    p = doc.add_paragraph("Før ")
    p.add_run("{%r if vis %}")
    p.add_run("vist")
    p.add_run("{%r endif %}")
    doc.add_paragraph("{#p en kommentar #}")
    doc.add_paragraph("Bogstaveligt {_{ ikke jinja }_} og {{ navn }}")
    path = folder / "tags.docx"
    doc.save(str(path))
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    for ctx in [
        {"farve": "FF0000", "bredde": 2, "kolonner": ["a", "b", "c", "d"], "vis": True},
        {"farve": "00FF00", "bredde": 1, "kolonner": [], "vis": False},
    ]:
        ctx["navn"] = "Ærø"
        got = compiled.render(ctx)
        expected = docxtpl_bytes(path, ctx)
        assert parts(got)["word/document.xml"] == parts(expected)["word/document.xml"]
        assert texts(got) == texts(expected)
        assert "Bogstaveligt {{ ikke jinja }} og Ærø" in texts(got)["body"]


def test_text_is_what_the_letter_says(compiled: CompiledTemplate) -> None:
    t = texts(compiled.render(context()))
    assert t["body"][0] == "Kære Søren Østergaard"
    assert "Tak for samtalen den 12.\u00a0oktober\u00a02026." in t["body"]
    assert "Du blev ikke indkaldt til samtale." not in t["body"]
    assert t["body"].count("erfaring med recovery") == 1
    table = [p for p in t["body"] if p in {"Refleksion", "4", "Dialog", "3,5"}]
    assert table == ["Refleksion", "4", "Dialog", "3,5"]
    assert not any("{" in p or "%}" in p for p in t["body"] + t["header0"] + t["footer0"])
    assert t["header0"] == ["\tRegion Midtjylland"]
    assert t["footer0"] == ["Skovagervej 2, 8240 Risskov · Hanne Holm"]


def test_template_without_jinja_in_a_part_renders_it_once(folder: Path) -> None:
    path = build_template(folder, name="static.docx", header="\tRegion Midtjylland")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    assert compiled.rendered_parts == ("word/document.xml", "word/footer1.xml")
    ctx = context()
    assert (
        parts(compiled.render(ctx))["word/header1.xml"]
        == (parts(docxtpl_bytes(path, ctx))["word/header1.xml"])
    )


def test_docprops_are_never_rendered(folder: Path) -> None:
    path = build_template(folder, name="props.docx", title="Afslag til {{ navn }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    out = parts(compiled.render(context(navn=SENTINEL)))
    with zipfile.ZipFile(path) as zf:
        assert out["docProps/core.xml"] == zf.read("docProps/core.xml")
    assert all(SENTINEL.encode() not in data for name, data in out.items() if "docProps" in name)


def add_footnotes(src: Path, dst: Path, text: str) -> Path:
    """Copy a template, adding a footnotes part (python-docx cannot make one)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:id="1"><w:p><w:r>'
        f"<w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    rel = (
        '<Relationship Id="rId99" Target="footnotes.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/footnotes"/></Relationships>'
    )
    override = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats'
        '-officedocument.wordprocessingml.footnotes+xml"/></Types>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", override.encode())
            elif name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode())
            zout.writestr(name, data)
        zout.writestr("word/footnotes.xml", footnotes)
    return dst


def test_footnotes_are_rendered_like_docxtpl(template: Path, tmp_path: Path) -> None:
    path = add_footnotes(template, tmp_path / "fodnote.docx", "Fodnote til {{ navn }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    assert "word/footnotes.xml" in compiled.rendered_parts
    ctx = context(navn="Åse & Bo")
    got = parts(compiled.render(ctx))["word/footnotes.xml"]
    assert got == parts(docxtpl_bytes(path, ctx))["word/footnotes.xml"]
    assert "Fodnote til Åse &amp; Bo".encode() in got


# ---------------------------------------------------------------------------
# hostile values

HOSTILE = [
    "&",
    "x & y",
    "<b>fed</b>",
    "\"citat\" og 'apostrof'",
    "emoji 😀👩🏽‍⚕️",
    "Søren Ærø Åse",
    "Se\u0301bastien A\u030ase",  # NFD
    "=cmd|' /C calc'!A0",
    "+45 12 34 56 78",
    "a</w:t></w:r><w:r><w:t>X",
    "]]><!-- -->",
    "&amp; &#x41; &lt;",
    "{{ navn }} {% if %}",
    "\u202egnp.exe",
    "  spaces  around  ",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_render_exactly(
    template: Path, compiled: CompiledTemplate, value: str
) -> None:
    ctx = context(note=value, navn=value, grunde=[value], org={"navn": value, "adresse": value})
    data = compiled.render(ctx)
    assert_well_formed(data)
    t = texts(data)
    assert f"Note: {value}" in t["body"]
    assert f"Kære {value}" in t["body"]
    assert value in t["body"]
    assert t["header0"] == [f"\t{value}"]
    assert t["footer0"] == [f"{value} · Hanne Holm"]
    assert texts(docxtpl_bytes(template, ctx)) == t


def test_injected_markup_does_not_create_runs(compiled: CompiledTemplate) -> None:
    data = compiled.render(context(note="a</w:t></w:r><w:r><w:t>X"))
    body = etree.fromstring(parts(data)["word/document.xml"], STRICT)
    hits = [p for p in body.iter(qn("w:p")) if "Note" in "".join(p.itertext())]
    assert len(hits) == 1
    assert [t.text for t in hits[0].iter(qn("w:t"))] == ["Note: a</w:t></w:r><w:r><w:t>X"]


XML_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, codec="utf-8", exclude_characters="\ufffe\uffff"),
    max_size=40,
).filter(lambda s: not any(m in s for m in ("{_{", "}_}", "{_%", "%_}")))
# docxtpl turns "{_{" into "{{" after rendering, in values too; docgen keeps that.


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=XML_TEXT)
def test_any_xml_text_renders_exactly(compiled: CompiledTemplate, value: str) -> None:
    data = compiled.render(context(note=value, org={"navn": value, "adresse": "x"}))
    assert_well_formed(data)
    t = texts(data)
    assert f"Note: {value}" in t["body"]
    assert t["header0"] == [f"\t{value}"]


def test_markup_that_breaks_the_xml_raises(compiled: CompiledTemplate) -> None:
    with pytest.raises(TemplateRenderError, match=r"word/document.xml.*not well-formed"):
        compiled.render(context(note=Markup("<w:t>")))
    with pytest.raises(TemplateRenderError, match=r"word/header1.xml.*not well-formed"):
        compiled.render(context(org={"navn": Markup("</w:r>"), "adresse": "x"}))


# ---------------------------------------------------------------------------
# reproducible output


def test_same_inputs_same_bytes(template: Path, compiled: CompiledTemplate) -> None:
    ctx = context()
    first = compiled.render(ctx)
    compiled.render(context(navn="En anden"))
    assert compiled.render(ctx) == first
    again = CompiledTemplate(template, make_env(autoescape=True), name="afslag.docx")
    assert again.render(ctx) == first
    with zipfile.ZipFile(io.BytesIO(first)) as out, zipfile.ZipFile(template) as src:
        assert out.namelist() == src.namelist()
        for info in out.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
        assert out.testzip() is None


def test_different_letters_differ(compiled: CompiledTemplate) -> None:
    a = compiled.render(context(navn="Anna"))
    b = compiled.render(context(navn="Bo"))
    assert a != b
    assert "Kære Anna" in texts(a)["body"]
    assert "Kære Bo" in texts(b)["body"]
    assert "Anna" not in str(texts(b))


# ---------------------------------------------------------------------------
# reusing parts whose values did not change


def test_header_reading_applicant_data_is_rendered_per_letter(folder: Path) -> None:
    path = build_template(folder, name="perletter.docx", header="\t{{ navn }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    for name in ["Anna", "Bo", "Anna", "Anna", "Cecilie"]:
        assert texts(compiled.render(context(navn=name)))["header0"] == [f"\t{name}"]


@pytest.mark.parametrize(
    "values",
    [
        [1, True, 1.0, Decimal("1.0"), Decimal("1.00"), "1"],
        [0.0, -0.0, 0, False, None.__class__.__name__],
        ["<b>", Markup("<w:t>x</w:t>"), "<b>"],
        [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
        [dt.date(2026, 1, 1), dt.datetime(2026, 1, 1), dt.date(2026, 1, 1)],
    ],
)
def test_equal_but_differently_rendered_values_are_not_reused(
    folder: Path, values: list[Any]
) -> None:
    path = build_template(folder, name="eq.docx", footer="{{ kontakt }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    for value in values:
        ctx = context(kontakt=value)
        got = texts(compiled.render(ctx))["footer0"]
        assert got == texts(docxtpl_bytes(path, ctx))["footer0"], repr(value)


def test_objects_are_read_afresh_every_time(folder: Path) -> None:
    class Contact:
        name = "før"

    path = build_template(folder, name="obj.docx", footer="{{ kontakt.name }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    person = Contact()
    assert texts(compiled.render(context(kontakt=person)))["footer0"] == ["før"]
    person.name = "efter"
    assert texts(compiled.render(context(kontakt=person)))["footer0"] == ["efter"]


# ---------------------------------------------------------------------------
# errors


def test_undefined_variable_names_template_and_part(folder: Path) -> None:
    path = build_template(folder, name="undef.docx", body=("Hej {{ ukendt_felt }}",))
    compiled = CompiledTemplate(path, make_env(autoescape=True), name="afslag.docx")
    with pytest.raises(TemplateRenderError) as info:
        compiled.render(context(navn=SENTINEL, note=SENTINEL))
    message = str(info.value)
    assert message.startswith("afslag.docx: word/document.xml: line ")
    assert "'ukendt_felt' is undefined" in message
    assert "Hej {{ ukendt_felt }}" in message  # the template's own text, to find it
    assert SENTINEL not in message
    assert info.value.part == "word/document.xml"


def test_undefined_in_header_names_the_header(folder: Path) -> None:
    path = build_template(folder, name="hundef.docx", header="{{ org.telefon }}")
    compiled = CompiledTemplate(path, make_env(autoescape=True), name="afslag.docx")
    with pytest.raises(TemplateRenderError, match=r"^afslag.docx: word/header1.xml: .*telefon"):
        compiled.render(context())


def test_error_messages_never_carry_values(folder: Path) -> None:
    path = build_template(
        folder, name="leak.docx", body=("{{ tabel[note] }}",), footer="{{ kontakt|tal }}"
    )
    compiled = CompiledTemplate(path, make_env(autoescape=True))
    with pytest.raises(TemplateRenderError) as info:
        compiled.render(context(note=SENTINEL, tabel={}))
    assert SENTINEL not in str(info.value)
    with pytest.raises(TemplateRenderError) as info:
        compiled.render(context(note=SENTINEL, tabel={SENTINEL: "x"}, kontakt=SENTINEL))
    assert "word/footer1.xml" in str(info.value)
    assert SENTINEL not in str(info.value)


def test_none_is_refused(compiled: CompiledTemplate) -> None:
    with pytest.raises(TemplateRenderError, match="empty value"):
        compiled.render(context(note=None))


def test_sandbox_escape_raises_and_writes_nothing(folder: Path, tmp_path: Path) -> None:
    path = build_template(
        folder, name="ssti.docx", body=("{{ cycler.__init__.__globals__.os.popen('id') }}",)
    )
    compiled = CompiledTemplate(path, make_env(autoescape=True), name="ondt.docx")
    target = tmp_path / "out.docx"
    with pytest.raises(TemplateRenderError, match="ondt.docx: word/document.xml") as info:
        compiled.render_to(context(), target)
    assert isinstance(info.value.__cause__, SecurityError)
    assert not target.exists()


def test_syntax_error_is_reported_when_loading(folder: Path) -> None:
    path = build_template(folder, name="syntax.docx", body=("{{ navn ", "{% if %}"))
    with pytest.raises(TemplateRenderError, match=r"syntax.docx: word/document.xml: line \d+"):
        CompiledTemplate(path, make_env(autoescape=True))


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_text("not a zip")
    with pytest.raises(TemplateRenderError, match="x.docx.*cannot read"):
        CompiledTemplate(path, make_env(autoescape=True))


# ---------------------------------------------------------------------------
# what the fast path does not support


def test_inline_image_is_refused(template: Path, compiled: CompiledTemplate) -> None:
    image = InlineImage(DocxTemplate(template), str(_logo(template.parent)))
    with pytest.raises(UnsupportedFeatureError, match="InlineImage"):
        compiled.render(context(note=image))

    class Holder:
        def __init__(self, img: InlineImage) -> None:
            self.img = img

    path = build_template(template.parent, name="img.docx", body=("{{ holder.img }}",))
    with pytest.raises(UnsupportedFeatureError, match="word/document.xml"):
        CompiledTemplate(path, make_env(autoescape=True)).render(context(holder=Holder(image)))


def test_richtext_without_links_matches_docxtpl(template: Path, compiled: CompiledTemplate) -> None:
    ctx = context(note=RichText("fed & kursiv", bold=True, italic=True))
    assert (
        parts(compiled.render(ctx))["word/document.xml"]
        == (parts(docxtpl_bytes(template, ctx))["word/document.xml"])
    )


def test_richtext_hyperlink_is_refused(compiled: CompiledTemplate) -> None:
    rich = RichText("link", url_id="rId999")
    with pytest.raises(UnsupportedFeatureError, match="relationship"):
        compiled.render(context(note=rich))


# ---------------------------------------------------------------------------
# streaming to disk


def test_render_many_writes_private_files(compiled: CompiledTemplate, tmp_path: Path) -> None:
    names = ["Anna", "Bo", "Cecilie"]
    items = [(context(navn=n), tmp_path / f"{n}.docx") for n in names]
    seen: list[Path] = []
    written = compiled.render_many(iter(items), progress=lambda w: seen.append(w.path))
    assert [w.path for w in written] == [p for _, p in items] == seen
    for w, name in zip(written, names, strict=True):
        data = w.path.read_bytes()
        assert w.sha256 == hashlib.sha256(data).hexdigest()
        assert w.size == len(data)
        assert f"Kære {name}" in texts(data)["body"]
        assert stat.S_IMODE(w.path.stat().st_mode) & 0o077 == 0
    with pytest.raises(FileExistsError):
        compiled.render_many(items[:1])
    assert compiled.render_many(items[:1], exclusive=False)[0].path == items[0][1]
