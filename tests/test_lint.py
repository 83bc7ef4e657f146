"""docgen templates check: deliberately broken templates, each with its message and place."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.cli.tools import templates
from docgen.errors import Issue
from docgen.settings import load_settings
from docgen.templates.lint import lint_file, lint_templates, templates_in_use

W_T = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
POSTING = "docx/stillingsopslag.docx"


def p(*runs: str) -> str:
    """A paragraph; each argument is a run's text, or raw XML when it starts with '<'."""
    return "<w:p>" + "".join(r if r.startswith("<") else W_T.format(r) for r in runs) + "</w:p>"


def table(*rows: list[str]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{c if c.startswith('<w:p') else p(c)}</w:tc>" for c in row)
        + "</w:tr>" for row in rows
    )
    grid = "<w:gridCol/>" * len(rows[0])
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{cells}</w:tbl>"


def make_docx(path: Path, body: str, *, extra: dict[str, str | bytes] | None = None,
              header: str | None = None, title: str | None = None) -> Path:
    """A real .docx (python-docx's default package) with ``body`` as its body XML."""
    doc = Document()
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if title is not None:
        doc.core_properties.title = title
    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(r"<w:body>.*</w:body>",
                              lambda _m: f"<w:body>{body}<w:sectPr/></w:body>", text, flags=re.S)
                data = text.encode("utf-8")
            if extra and item.filename in extra:
                continue
            out.writestr(item, data)
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return path


def lint_docx(tmp_path: Path, body: str, *, kind: str = "case", doc_kind: str = "posting",
              **kwargs: object) -> list[Issue]:
    path = make_docx(tmp_path / "t.docx", body, **kwargs)  # type: ignore[arg-type]
    return lint_file(path, POSTING, [kind], [doc_kind])


def pinned(issues: list[Issue]) -> list[tuple[str, str]]:
    """(place, message without the quoted snippet) of each issue."""
    return [(i.field, i.message.split(" — in ")[0]) for i in issues]


BODY = "word/document.xml"

# (name, body, expected [(place, message)]) -- the message is pinned word for word.
WORD_CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("unknown variable", p("{{ positon.title }}"),
     [(f"{BODY}, paragraph 1", "unknown variable 'positon'; did you mean 'position'?")]),
    ("unknown field", p("Stilling: ", "{{ position.titel }}"),
     [(f"{BODY}, paragraph 1", "unknown field 'titel' in 'position'; did you mean 'title'?")]),
    ("unknown filter", p("{{ dates.deadline|datum }}"),
     [(f"{BODY}, paragraph 1", "unknown filter 'datum'; did you mean 'dato'?")]),
    ("unknown test", p("{% if panel is emty %}x{% endif %}"),
     [(f"{BODY}, paragraph 1", "unknown test 'emty'")]),
    ("field of a loop variable", p("{%p for c in criteria %}") + p("{{ c.lable }}")
     + p("{%p endfor %}"),
     [(f"{BODY}, paragraph 2", "unknown field 'lable' in 'c'; did you mean 'label'?")]),
    ("loop attribute", p("{% for t in position.tasks %}{{ loop.idx }}{% endfor %}"),
     [(f"{BODY}, paragraph 1", "unknown field 'idx' in 'loop'; did you mean 'index'?")]),
    ("loop outside a loop", p("{{ loop.index }}"),
     [(f"{BODY}, paragraph 1", "'loop' exists only inside a loop ({% for %} or a repeated row)")]),
    ("attribute of a list", p("{{ panel.name }}"),
     [(f"{BODY}, paragraph 1", "'panel' is a list, so 'panel.name' does not exist; "
                              "loop over it ({% for x in panel %}) or pick one item "
                              "(panel[0].name)")]),
    ("attribute given to selectattr", p("{{ panel|selectattr('lived_experiense')|list|length }}"),
     [(f"{BODY}, paragraph 1", "unknown field 'lived_experiense' in the items given to "
                              "selectattr(); did you mean 'lived_experience'?")]),
    ("filter given to map", p("{{ dates.interviews|map('datoo')|join(', ') }}"),
     [(f"{BODY}, paragraph 1", "unknown filter 'datoo' in map(); did you mean 'dato'?")]),
    ("sandbox", p("{{ position.__class__ }}"),
     [(f"{BODY}, paragraph 1", "'__class__': names starting with '_' are blocked by the sandbox")]),
    ("Danish low quote", p("{{ position.intro|default(„ingen“) }}"),
     [(f"{BODY}, paragraph 1", "Jinja syntax error: unexpected char '„'; Word or Excel "
                              "replaced a straight quote with a typographic one; retype the "
                              "quotes inside the tag as \" or ' (turn off AutoCorrect's "
                              "\"straight quotes with smart quotes\" while editing templates)")]),
    ("broken expression", p("{{ position.title | }}"),
     [(f"{BODY}, paragraph 1", "Jinja syntax error: expected token 'name', got 'end of print "
                              "statement'")]),
    ("never closed", p("{% if position.intro %}"),
     [(f"{BODY}, paragraph 1", "this {% if %} is never closed with {% endif %}")]),
    ("end without start", p("x") + p("{%p endfor %}"),
     [(f"{BODY}, paragraph 2", "{% endfor %} without a matching {% for %}")]),
    ("include", p("{% include 'fod.docx' %}"),
     [(f"{BODY}, paragraph 1", "{% include %} is not available: a docgen template is one file "
                              "(copy the text in, or use a {% macro %})")]),
    ("tag across paragraphs", p("{{ position.title") + p("}}"),
     [(f"{BODY}, paragraph 1", "a tag '{{…' starts here but does not end in the same "
                              "paragraph; keep a whole tag in one paragraph"),
      (f"{BODY}, paragraph 2", "a tag '}}…' ends here without a matching start in the same "
                              "paragraph")]),
    ("split by a tracked change",
     p("{{ organisation.", '<w:ins w:id="1" w:author="K"><w:r><w:t>name }}</w:t></w:r></w:ins>'),
     [(f"{BODY}, paragraph 1", "the tag is split by a tracked change, which docxtpl cannot "
                              "repair; delete the whole tag and type it again in one go "
                              "(accept or reject tracked changes first)"),
      (f"{BODY}, paragraph 1", "the part has 1 tracked change(s); docxtpl renders deleted text "
                              "too: accept or reject all changes (Review → Accept All) and "
                              "turn Track Changes off")]),
    ("split by a field",
     p("{{ organisation.",
       '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
       '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>', "name }}"),
     [(f"{BODY}, paragraph 1", "the tag is split by a field, which docxtpl cannot repair; "
                              "delete the whole tag and type it again in one go")]),
    ("percent in a paragraph tag", p("{%p if position.hours_per_week % 2 %}") + p("x")
     + p("{%p endif %}"),
     [(f"{BODY}, paragraph 1", "docxtpl cannot read a {%p … tag holding '%' or '}' (e.g. the % "
                              "operator or a {…} mapping); compute the value first with "
                              "{% set … %} in a tag of its own")]),
    ("text beside a paragraph tag", p("Overskrift {%p if position.intro %}") + p("x")
     + p("{%p endif %}"),
     [(f"{BODY}, paragraph 1", "the paragraph holding {%p … %} is removed when the document is "
                              "made, so its other text is lost: \"Overskrift\"; give the tag a "
                              "paragraph of its own")]),
    ("two paragraph tags", p("{%p if position.intro %}{%p if position.purpose %}") + p("x")
     + p("{%p endif %}") + p("{%p endif %}"),
     [(f"{BODY}, paragraph 1", "only one {%p … %} tag per paragraph: docxtpl keeps the first "
                              "and drops this one; give it a paragraph of its own")]),
    ("ampersand", p('{{ "R&amp;D" }}'),
     [(f"{BODY}, paragraph 1", "'&' inside a tag reaches Jinja as '&amp;' (docxtpl does not "
                              "unescape it); write 'og' instead")]),
    ("for loop in a table without tr",
     table(["{% for c in criteria %}", ""], ["{{ c.label }}", "{{ c.description }}"],
           ["{% endfor %}", ""]),
     [(f"{BODY}, table 1, row 1, cell 1",
       "a {% for %} loop in a table must repeat whole rows: put {%tr for … %} and "
       "{%tr endfor %} each alone in a row of its own (this loop ends at "
       "word/document.xml, table 1, row 3, cell 1); a plain loop across cells breaks the table")]),
    ("if across cells", table(["{% if position.intro %}", "{% endif %}"]),
     [(f"{BODY}, table 1, row 1, cell 1",
       "an {% if %} that ends in another table cell breaks the table (it ends at "
       "word/document.xml, table 1, row 1, cell 2); use {%tr if … %} and {%tr endif %} rows, "
       "or keep the if inside one cell")]),
    ("tr row closed by a plain tag",
     table(["{%tr for c in criteria %}"], ["{{ c.label }}"], ["{% endfor %}"]),
     [(f"{BODY}, table 1, row 1, cell 1",
       "a {%tr for … %} row must be closed by a {%tr endfor %} row (found a plain tag at "
       "word/document.xml, table 1, row 3, cell 1)")]),
    ("tr row with other text",
     table(["{%tr for c in criteria %}", "Kriterium"], ["{{ c.label }}", ""],
           ["{%tr endfor %}", ""]),
     [(f"{BODY}, table 1, row 1, cell 1",
       "the row holding {%tr … %} is removed when the document is made, so its other text is "
       "lost: \"Kriterium\"; give the tag a row of its own")]),
    ("tr outside a table", p("{%tr if position.intro %}") + p("{%tr endif %}"),
     [(f"{BODY}, paragraph 1", "the {%tr … %} tag must be inside a table row"),
      (f"{BODY}, paragraph 2", "the {%tr … %} tag must be inside a table row")]),
    ("no-break space after tr",
     table(["{%tr\u00a0for c in criteria %}"], ["{{ c.label }}"], ["{%tr endfor %}"]),
     [(f"{BODY}, table 1, row 1, cell 1",
       "Jinja syntax error: Encountered unknown tag 'tr'.; docxtpl did not recognise the "
       "{%tr … %} tag: write exactly one ordinary space after it and keep '%' and '}' out of "
       "the expression (compute it first with {% set … %})")]),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in WORD_CASES],
                         ids=[c[0] for c in WORD_CASES])
def test_broken_word_templates(tmp_path: Path, body: str,
                               expected: list[tuple[str, str]]) -> None:
    issues = lint_docx(tmp_path, body)
    assert pinned(issues) == expected
    assert all(i.file == POSTING and i.line is None for i in issues)


GOOD_WORD = [
    p("{{ position.title }} · {{ dates.deadline|dato }} · {{ letter_date|dato_kort }}"),
    p("{{ organisation.", "name }}"),  # split across plain runs: docxtpl repairs it
    p("{{ position.intro|default(“ingen”) }}"),  # docxtpl straightens “ ” ‘ ’
    p("{%p if position.intro %}") + p("{{ position.intro }}") + p("{%p endif %}"),
    p("{%p for t in position.tasks %}") + p("{{ t }} ({{ loop.index }})") + p("{%p endfor %}"),
    table(["Kriterium", "Spørgsmål"], ["{%tr for c in criteria %}", ""],
          ["{{ c.label }}", "{{ c.questions|join(' ') }}"], ["{%tr endfor %}", ""]),
    table(["{% for q in criteria[0].questions %}{{ q }} {% endfor %}"]),
    p("{% set ns = namespace(n=0) %}{% for m in panel %}{% set ns.n = ns.n + 1 %}{% endfor %}"
      "{{ ns.n }}"),
    p("{% macro line(x) %}{{ x|stort }}{% endmacro %}{{ line(position.title) }}"),
    p("{% if logo %}{{ logo }}{% endif %} {{ panel|selectattr('lived_experience')|list|length }}"),
    p("{{ role_star.spokes|map(attribute='label')|opremsning }} {{ range(3)|list }}"),
    p("{#p en kommentar #}"),
]


def test_good_word_template_is_clean(tmp_path: Path) -> None:
    assert lint_docx(tmp_path, "".join(GOOD_WORD)) == []


def test_consultants_two_mistakes_come_in_one_report(tmp_path: Path) -> None:
    """The issue's "done when": a misspelt name and a table loop without tr, both located."""
    org = tmp_path / "skabeloner"
    body = (p("{{ positon.title }}")
            + table(["{% for c in criteria %}"], ["{{ c.label }}"], ["{% endfor %}"]))
    make_docx(org / POSTING, body)
    result = CliRunner().invoke(templates, ["check", str(org)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (f"{POSTING}: {BODY}, paragraph 1: unknown variable 'positon'; did you mean "
            "'position'? — in \"{{ positon.title }}\"") in lines
    assert any(line.startswith(f"{POSTING}: {BODY}, table 1, row 1, cell 1: a {{% for %}} loop "
                               "in a table must repeat whole rows") for line in lines)
    assert lines[-2:] == ["2 problems in 1 template.",
                          "hint: fix them in Word or Excel and check again"]
    assert f"{POSTING}" in result.output
    assert str(org) in result.output


def test_wrong_context_for_the_document_kind(tmp_path: Path) -> None:
    issues = lint_docx(tmp_path, p("{{ sheet_applicants|length }} {{ applicant.name }}"),
                       kind="applicant", doc_kind="rejection-letter")
    assert pinned(issues) == [(
        f"{BODY}, paragraph 1",
        "'sheet_applicants' is not available in a rejection-letter template (documents made "
        "per applicant); it exists only in documents made per panel member (for: panel)",
    )]


def test_header_properties_and_package(tmp_path: Path) -> None:
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            'Target="http://example.invalid/t.dotm" TargetMode="External"/><Relationship '
            'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/hyperlink" Target="https://example.invalid" TargetMode="External"/>'
            '</Relationships>')
    endnotes = ('<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                'main"><w:endnote><w:p><w:r><w:t>Se {{ position.title }}</w:t></w:r></w:p>'
                '</w:endnote></w:endnotes>')
    extra: dict[str, str | bytes] = {
        "word/_rels/settings.xml.rels": rels, "word/vbaProject.bin": b"\0",
        "word/embeddings/oleObject1.bin": b"\0", "word/endnotes.xml": endnotes,
    }
    issues = lint_docx(tmp_path, p("{{ position.title }}"), header="{{ organisaton.name }}",
                       title="{{ applicant.name }}", extra=extra)
    assert sorted(pinned(issues)) == sorted([
        ("word/_rels/settings.xml.rels", "an external attachedTemplate reference: every made "
         "document would fetch it from elsewhere when opened; remove it (e.g. Developer → "
         "Document Template, or re-insert linked pictures as embedded)"),
        ("word/vbaProject.bin", "the file carries macros; templates must not (save it as "
         ".docx/.xlsx without macros)"),
        ("word/embeddings/oleObject1.bin", "an embedded OLE object or ActiveX control; "
         "templates must not carry active content (delete it, or paste it as a picture)"),
        ("docProps/core.xml", "the document property 'title' holds Jinja, which docgen never "
         "fills in (and properties must not carry case data); clear it (File → Info → "
         "Properties)"),
        ("word/header1.xml, paragraph 1", "unknown variable 'organisaton'; did you mean "
         "'organisation'?"),
        ("word/endnotes.xml", "Jinja here is never filled in: docgen fills the body, headers, "
         "footers and footnotes only"),
    ])


def test_macro_enabled_and_unreadable_files(tmp_path: Path) -> None:
    docm = make_docx(tmp_path / "t.docm", p("x"))
    assert pinned(lint_file(docm, "docx/t.docm", ["case"], ["posting"])) == [
        ("file", "a macro-enabled file (.docm); save the template as .docx without macros")]
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", encoding="utf-8")
    assert pinned(lint_file(bad, "docx/bad.docx", ["case"], ["posting"])) == [
        ("file", "cannot be opened as a Word file (is it saved in the .docx format?)")]


def test_docxtpl_really_breaks_on_a_tracked_change_split() -> None:
    """The premise of the split check: docxtpl's patch_xml leaves unbalanced XML here."""
    from docxtpl import DocxTemplate

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = (f"<w:body {ns}>"
           + p("{{ a", '<w:ins w:id="1" w:author="K"><w:r><w:t>b }}</w:t></w:r></w:ins>')
           + "</w:body>")
    patched = DocxTemplate.patch_xml(DocxTemplate.__new__(DocxTemplate), xml)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(patched.encode())


# --- Excel ---------------------------------------------------------------------------


def make_xlsx(path: Path, build: Callable[[Workbook], None]) -> Path:
    wb = Workbook()
    wb.active.title = "Ark"
    build(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def lint_workbook(tmp_path: Path, build: Callable[[Workbook], None],
                  kind: str = "panel") -> list[Issue]:
    path = make_xlsx(tmp_path / "t.xlsx", build)
    return lint_file(path, "xlsx/scoreark.xlsx", [kind], ["scoresheet"])


def _cells(**cells: str) -> Callable[[Workbook], None]:
    def build(wb: Workbook) -> None:
        for ref, value in cells.items():
            wb["Ark"][ref] = value

    return build


def _validation(wb: Workbook) -> None:
    dv = DataValidation(type="list", formula1="\"{{ recomendations|join(',') }}\"")
    wb["Ark"].add_data_validation(dv)
    dv.add("D4")
    wb["Ark"].oddFooter.center.text = "{{ case.referense }}"


def _spec(wb: Workbook) -> None:
    spec = wb.create_sheet("_docgen_spec")
    for ref, value in {"A1": "format", "B1": "sheet=Ark", "C1": "for=b in readiness.bandz",
                       "D1": "fill={{ b.colour }}", "A2": "chrt", "A3": "chart",
                       "B3": "sheet=Nope"}.items():
        spec[ref] = value


XLSX_CASES: list[tuple[str, Callable[[Workbook], None], list[tuple[str, str]]]] = [
    ("unknown variable", _cells(B2="{{ positon.title }}"),
     [("Ark!B2", "unknown variable 'positon'; did you mean 'position'?")]),
    ("region field", _cells(A3="{%tr for c in criteria %}", B4="{{ c.lable }}",
                            A5="{%tr endfor %}"),
     [("Ark!B4", "unknown field 'lable' in 'c'; did you mean 'label'?")]),
    ("loop variable outside its region", _cells(A3="{%tr for c in criteria %}", B4="{{ c.id }}",
                                                A5="{%tr endfor %}", B6="{{ c.label }}"),
     [("Ark!B6", "unknown variable 'c'")]),
    ("engine loop", _cells(A3="{%tr for c in criteria %}", B4="{{ loop.revindex0 }}",
                           A5="{%tr endfor %}"),
     [("Ark!B4", "unknown field 'revindex0' in 'loop'; did you mean 'revindex'?")]),
    ("cell loop not closed", _cells(B2="{% for c in criteria %}{{ c.label }}"),
     [("Ark!B2", "this {% for %} is never closed with {% endfor %}; a cell is a template of "
                 "its own: to repeat rows, put {%tr for … %} alone in column A of a row of its "
                 "own and {%tr endfor %} below")]),
    ("marker outside column A", _cells(C3="{%tr for c in criteria %}"),
     [("Ark!C3", "marker rows must have the marker in column A")]),
    ("nested regions", _cells(A1="{%tr for c in criteria %}", A2="{%tr for q in scale.steps %}",
                              A3="{%tr endfor %}"),
     [("Ark!A2", "row regions cannot be nested or overlap; close the region opened at Ark!A1 "
                 "first")]),
    ("region never closed", _cells(A1="{%tr if pseudonymised %}", B2="x"),
     [("Ark!A1", "no {%tr endif %} row for this region")]),
    ("empty region", _cells(A1="{%tr for c in criteria %}", A2="{%tr endfor %}"),
     [("Ark!A2", "a region needs at least one row between its markers")]),
    ("typographic quotes", _cells(B2="{{ position.intro|default(“ingen”) }}"),
     [("Ark!B2", "Jinja syntax error: unexpected char '“'; Word or Excel replaced a "
                 "straight quote with a typographic one; retype the quotes inside the tag as \" "
                 "or ' (turn off AutoCorrect's \"straight quotes with smart quotes\" while "
                 "editing templates)")]),
    ("Jinja in a formula", _cells(B2="=SUM({{ scale.max }})"),
     [("Ark!B2", "Jinja in a formula is never filled in (formulas belong to the template); put "
                 "the value in a cell of its own and refer to it")]),
    ("logo is Word only", _cells(B2="{{ logo }}"),
     [("Ark!B2", "unknown variable 'logo'")]),
    ("wrong context", _cells(B2="{{ applicant.name }}"),
     [("Ark!B2", "'applicant' is not available in a scoresheet template (documents made per "
                 "panel member); it exists only in documents made per applicant "
                 "(for: applicant) and documents made per hired applicant (select: hired)")]),
    ("validation and footer", _validation,
     [("Ark!D4 (data validation)", "unknown variable 'recomendations'; did you mean "
                                   "'recommendations'?"),
      ("Ark (header/footer)", "unknown field 'referense' in 'case'; did you mean 'reference'?")]),
    ("spec sheet", _spec,
     [("_docgen_spec!C1", "unknown field 'bandz' in 'readiness'; did you mean 'bands'?"),
      ("_docgen_spec!A2", "unknown kind 'chrt'; use one of: chart, format"),
      ("_docgen_spec!A3", "no sheet named 'Nope'")]),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in XLSX_CASES],
                         ids=[c[0] for c in XLSX_CASES])
def test_broken_excel_templates(tmp_path: Path, build: Callable[[Workbook], None],
                                expected: list[tuple[str, str]]) -> None:
    assert pinned(lint_workbook(tmp_path, build)) == expected


def test_good_excel_template_is_clean(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        ws = wb["Ark"]
        ws["A1"] = "{%sheet for a in sheet_applicants %}"
        ws["B1"] = '{{ a.id or "Ansøger " ~ loop.index }}'
        ws["B2"] = "{{ a.label }} · {{ sheet_loop.index }} af {{ sheet_loop.length }}"
        ws["A4"] = "{%tr for c in criteria %}"
        ws["A5"] = "{{ loop.index }}"
        ws["B5"] = "{{ c.label }} {% for q in c.questions %}{{ q }}{% endfor %}"
        ws["C5"] = "=SUM(D5:D5)"
        ws["A6"] = "{%tr endfor %}"
        ws["B7"] = "{{ recommendations|join(' · ') }}"

    assert lint_workbook(tmp_path, build) == []


def test_excel_package_checks(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "t.xlsm", _cells(B2="{{ position.title }}"))
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\0")
        z.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    issues = lint_file(path, "xlsx/t.xlsm", ["case"], ["readiness"])
    assert pinned(issues) == [
        ("file", "a macro-enabled file (.xlsm); save the template as .xlsx without macros"),
        ("xl/vbaProject.bin", "the file carries macros; templates must not (save it as "
                              ".docx/.xlsx without macros)"),
        ("xl/externalLinks/externalLink1.xml", "a link to another workbook; opening a made "
                                               "document would fetch it (Data → Edit Links → "
                                               "Break Link)"),
    ]


# --- the shipped templates and folder layering ---------------------------------------


def test_shipped_templates_lint_clean() -> None:
    assert lint_templates(load_settings()) == []


@pytest.mark.parametrize(("relative", "kind"), [
    ("xlsx/scoreark.xlsx", "panel"), ("xlsx/rollestjerne.xlsx", "case"),
    ("xlsx/parathed.xlsx", "case"), (POSTING, "case"),
    ("docx/afslag_samtale.docx", "applicant"), ("docx/afslag_uden_samtale.docx", "applicant"),
    ("docx/telefonguide.docx", "applicant"),
])
def test_shipped_templates_fit_their_context(relative: str, kind: str) -> None:
    path = Path(__file__).resolve().parent.parent / "templates" / relative
    if not path.is_file():
        pytest.skip(f"{relative} is not shipped yet")
    assert lint_file(path, relative, [kind], ["shipped"]) == []


def test_organisation_folder_is_laid_over_the_shipped_one(tmp_path: Path) -> None:
    org = tmp_path / "org"
    make_docx(org / POSTING, p("{{ positon.title }}"))
    settings_ = load_settings()
    used = {u.relative: u for u in templates_in_use(settings_, org)}
    assert used[POSTING].path == org / POSTING
    assert used[POSTING].contexts == ("case",)
    assert used["docx/telefonguide.docx"].path is not None
    assert "org" not in str(used["docx/telefonguide.docx"].path)
    issues = lint_templates(settings_, org)
    assert [(i.file, i.field) for i in issues] == [(POSTING, f"{BODY}, paragraph 1")]
    same = lint_templates(load_settings(templates=org))
    assert same == issues


def test_missing_template_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("documents:\n  - kind: posting\n    template: docx/mangler.docx\n"
                      "    output: x.docx\n    for: case\n", encoding="utf-8")
    issues = lint_templates(load_settings(config))
    assert [(i.file, i.message) for i in issues if i.file == "docx/mangler.docx"] == [
        ("docx/mangler.docx", "template not found in any template folder")]


def test_check_command_on_shipped_templates() -> None:
    result = CliRunner().invoke(templates, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.output.rstrip().endswith("templates checked: no problems found")


def test_check_command_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(templates, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("{}%#pt r|.'\"“„ax_ ")), max_size=30))
def test_linter_never_crashes(tmp_path: Path, text: str) -> None:
    body = p(text.replace("&", "&amp;").replace("<", "&lt;")) + table([text or "x"])
    issues = lint_docx(tmp_path, body)
    assert all(isinstance(i, Issue) for i in issues)


def test_the_job_start_is_only_for_the_hired_persons_documents(tmp_path: Path) -> None:
    body = p("{{ job_start.review|dato }} {{ applicant.name }}")
    issues = lint_docx(tmp_path, body, kind="applicant", doc_kind="rejection-letter")
    assert pinned(issues) == [(
        f"{BODY}, paragraph 1",
        "'job_start' is not available in a rejection-letter template (documents made "
        "per applicant); it exists only in documents made per hired applicant (select: hired)",
    )]
    assert lint_docx(tmp_path, body, kind="hired", doc_kind="function-description") == []


def test_the_shipped_job_start_templates_are_linted_as_the_hired_persons() -> None:
    from docgen.settings import load_settings
    from docgen.templates.lint import templates_in_use

    used = {u.relative: u.contexts for u in templates_in_use(load_settings())}
    assert used["docx/funktionsbeskrivelse.docx"] == ("hired",)
    assert used["docx/introduktionsplan.docx"] == ("hired",)
    assert used["docx/afslag_samtale.docx"] == ("applicant",)
