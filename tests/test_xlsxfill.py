"""The xlsx engine on small workbooks built here with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table

from docgen.errors import RenderError, TemplateError
from docgen.excel.fill import (
    CHECKSUM_KEY,
    META_SHEET,
    FillResult,
    fill_workbook,
    layout_checksum,
    read_metadata,
)
from docgen.excel.refs import Block, RowMap, rewrite_formula
from docgen.jinja import make_env

ENV = make_env(autoescape=False)


def template(build: Callable[[Workbook], None]) -> bytes:
    """A template workbook made by ``build`` (its first sheet is titled "Ark")."""
    wb = Workbook()
    wb.active.title = "Ark"
    build(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def render(data: bytes, ctx: dict[str, Any], **kw: Any) -> tuple[FillResult, Workbook]:
    result = fill_workbook(data, ctx, ENV, **kw)
    return result, load_workbook(BytesIO(result.data))


def values(ws: Any, col: str) -> list[Any]:
    return [ws[f"{col}{r}"].value for r in range(1, ws.max_row + 1)]


def region(ws: Any, first: int = 3) -> None:
    """Marker rows at ``first`` and ``first + 2`` around a one-row body."""
    ws[f"A{first}"] = "{%tr for c in items %}"
    ws[f"A{first + 2}"] = "{%tr endfor %}"


ITEMS = [{"name": "a", "score": 3}, {"name": "b", "score": 4}, {"name": "c", "score": 5}]


# ------------------------------------------------------------------ row map and formulas


def test_rowmap_moves_widens_and_drops_rows() -> None:
    rowmap = RowMap([Block(3, 5, 4, 4, 3)])  # markers 3 and 5, body row 4, three copies
    assert rowmap.rows(1) == [1]
    assert rowmap.rows(3) == []
    assert rowmap.rows(4) == [3, 4, 5]
    assert rowmap.rows(6) == [6]
    assert rowmap.span(4, 4) == (3, 5)
    assert RowMap([Block(3, 5, 4, 4, 0)]).span(4, 4) is None
    assert RowMap([Block(3, 5, 4, 4, 0)]).rows(9) == [6]


def test_rewrite_formula_uses_tokens_not_text() -> None:
    rowmap = RowMap([Block(3, 5, 4, 4, 5)])

    def resolve(title: str | None) -> tuple[RowMap, bool] | None:
        return (rowmap, title in (None, "Ark")) if title in (None, "Ark", "'Ark'") else None

    formula = '=SUM(D4)&"D4"&Ark!D9&Other!D4&COUNT($D$4:$D$4)'
    expected = '=SUM(D3:D7)&"D4"&Ark!D11&Other!D4&COUNT($D$3:$D$7)'
    assert rewrite_formula(formula, resolve) == expected


# ---------------------------------------------------------------------------- cells


def test_single_expression_keeps_type_and_mixed_text_is_string() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws["A1"], ws["A2"], ws["A3"] = "{{ n }}", "{{ x }}", "{{ d }}"
        ws["A4"], ws["A5"], ws["A6"] = "{{ flag }}", "{{ nothing }}", "Antal: {{ n }}"
        ws["A7"] = "{{ d }}"
        ws["A7"].number_format = "yyyy-mm-dd"
        ws["A8"] = "{{ when }}"

    ctx = {"n": 7, "x": 2.5, "d": dt.date(2026, 11, 22), "flag": True, "nothing": None,
           "when": dt.datetime(2026, 11, 22, 9, 30)}
    _, wb = render(template(build), ctx)
    ws = wb["Ark"]
    assert ws["A1"].value == 7
    assert ws["A2"].value == 2.5
    assert ws["A3"].value == dt.datetime(2026, 11, 22)
    assert ws["A3"].number_format == "dd.mm.yyyy"
    assert ws["A4"].value is True
    assert ws["A5"].value is None
    assert ws["A6"].value == "Antal: 7"
    assert ws["A7"].number_format == "yyyy-mm-dd"
    assert ws["A8"].number_format == "dd.mm.yyyy hh:mm"


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil.example","x")', "+45 1234", "-1", "@SUM(A1)", "\tx", "=1+1"],
)
def test_formula_like_strings_are_stored_as_text(name: str) -> None:
    def build(wb: Workbook) -> None:
        wb.active["A1"] = "{{ name }}"
        wb.active["A2"] = "{{ name }} (ansøger)"
        wb.active["A3"] = "=1+1"

    result, wb = render(template(build), {"name": name})
    ws = wb["Ark"]
    for ref in ("A1", "A2"):
        assert ws[ref].data_type == "s"
        assert ws[ref].value.startswith(name)
        assert ws[ref].quotePrefix
    with zipfile.ZipFile(BytesIO(result.data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<f>") == 1  # only the template's own formula in A3
    assert 't="inlineStr"' in sheet


def test_control_character_error_does_not_leak_the_value() -> None:
    with pytest.raises(RenderError) as info:
        render(template(lambda wb: wb.active.__setitem__("A1", "{{ v }}")),
               {"v": "SENTINEL-HEALTH-123\x07"})
    assert "SENTINEL" not in str(info.value)
    assert "Ark!A1" in str(info.value)


# -------------------------------------------------------------------------- regions


def table_template(wb: Workbook) -> None:
    ws = wb.active
    ws["A1"] = "Titel"
    ws["A2"], ws["B2"], ws["C2"] = "Nr", "Navn", "Point"
    region(ws)
    ws["A4"], ws["B4"], ws["C4"] = "{{ loop.index }}", "{{ c.name }}", "{{ c.score }}"
    ws["D4"] = "=C4*2"
    ws["E4"] = "=RANK(C4,$C$4:$C$4)"
    ws["B6"], ws["C6"], ws["D6"] = "I alt", "=SUM(C4:C4)", "=AVERAGE(C4)"
    ws["C7"] = '=IF(COUNT(C4)=0,"",C6/COUNT(C4))'
    ws["C8"] = "=C6+C7"
    ws.row_dimensions[4].height = 33
    ws["C4"].fill = PatternFill("solid", start_color="FFF8E1", end_color="FFF8E1")
    ws["C4"].protection = Protection(locked=False)
    ws["G4"].border = Border(right=Side(style="thin"), bottom=Side(style="medium"))
    ws.merge_cells("F4:G4")
    dv = DataValidation(type="whole", operator="between", formula1="{{ lo }}",
                        formula2="{{ hi }}", error="Fra {{ lo }} til {{ hi }}")
    dv.add("C4")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(
        "C4", CellIsRule(operator="greaterThan", formula=["$C$6/3"],
                         fill=PatternFill("solid", start_color="FF0000")))
    ws.conditional_formatting.add(
        "B4:C4", FormulaRule(formula=["$C4>4"], fill=PatternFill("solid", start_color="00FF00")))
    ws.print_title_rows = "2:2"
    ws.print_area = "A1:G8"


@pytest.mark.parametrize("count", [0, 1, 3, 15])
def test_region_repeats_body_and_everything_covers_the_filled_rows(count: int) -> None:
    items = [{"name": f"n{i}", "score": i % 5 + 1} for i in range(count)]
    _, wb = render(template(table_template), {"items": items, "lo": 1, "hi": 5})
    ws = wb["Ark"]
    first, last = 3, 2 + count
    assert values(ws, "B")[2:2 + count] == [f"n{i}" for i in range(count)]
    assert [ws[f"A{r}"].value for r in range(first, last + 1)] == list(range(1, count + 1))
    assert all("{%" not in str(v) for v in values(ws, "A"))
    total_row = last + 1
    assert ws[f"B{total_row}"].value == "I alt"
    if count:
        rng = f"C{first}:C{last}" if count > 1 else f"C{first}"
        assert ws[f"C{total_row}"].value == f"=SUM(C{first}:C{last})"
        assert ws[f"D{total_row}"].value == f"=AVERAGE({rng})"
        assert ws[f"C{total_row + 1}"].value == (
            f'=IF(COUNT({rng})=0,"",C{total_row}/COUNT({rng}))')
        assert [ws[f"D{r}"].value for r in range(first, last + 1)] == [
            f"=C{r}*2" for r in range(first, last + 1)]
        assert ws[f"E{last}"].value == f"=RANK(C{last},$C${first}:$C${last})"
        dv = ws.data_validations.dataValidation[0]
        assert str(dv.sqref) == (f"C{first}:C{last}" if count > 1 else f"C{first}")
        assert (dv.formula1, dv.formula2, dv.error) == ("1", "5", "Fra 1 til 5")
        cf = {str(c.sqref): [r.formula for r in c.rules] for c in ws.conditional_formatting}
        assert cf[str(dv.sqref)] == [[f"$C${total_row}/3"]]
        assert cf[f"B{first}:C{last}"] == [[f"$C{first}>4"]]
        assert {str(m) for m in ws.merged_cells.ranges} == {
            f"F{r}:G{r}" for r in range(first, last + 1)}
        # each merged copy shows the template's outer border, as Excel draws it
        assert all((ws[f"F{r}"].border.right.style, ws[f"F{r}"].border.bottom.style)
                   == ("thin", "medium") for r in range(first, last + 1))
        assert all(ws.row_dimensions[r].height == 33 for r in range(first, last + 1))
        assert all(not ws[f"C{r}"].protection.locked for r in range(first, last + 1))
        assert all(ws[f"C{r}"].fill.start_color.rgb.endswith("FFF8E1")
                   for r in range(first, last + 1))
    else:
        assert ws[f"C{total_row}"].value == "=SUM(#REF!)"
        assert ws.data_validations.dataValidation == []
        assert not ws.merged_cells.ranges
    assert ws[f"C{total_row + 2}"].value == f"=C{total_row}+C{total_row + 1}"
    assert ws.print_title_rows == "$2:$2"
    assert ws.print_area == f"'Ark'!$A$1:$G${total_row + 2}"


def test_multirow_body_several_regions_and_if() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws["A1"] = "{%tr for p in people %}"
        ws["B2"], ws["C2"] = "{{ p.name }}", "{{ p.n }}"
        ws["B3"], ws["C3"] = "note", "=C2+1"
        ws["A4"] = "{%tr endfor %}"
        ws["A5"] = "{%tr if show %}"
        ws["B6"] = "shown"
        ws["A7"] = "{%tr endif %}"
        ws["A8"] = "{%tr for t in tags %}"
        ws["B9"] = "{{ t }}"
        ws["A10"] = "{%tr endfor %}"
        ws["B11"] = "=SUM(C2:C3)"
        ws["B12"] = "=COUNTA(B9)"
        dv = DataValidation(type="list", formula1='"x,y"')
        dv.add("C2")
        ws.add_data_validation(dv)

    people = [{"name": "Åse", "n": 1}, {"name": "Bo", "n": 2}]
    _, wb = render(template(build), {"people": people, "show": False, "tags": ["x", "y", "z"]})
    ws = wb["Ark"]
    assert values(ws, "B")[:9] == ["Åse", "note", "Bo", "note", "x", "y", "z",
                                   "=SUM(C1:C4)", "=COUNTA(B5:B7)"]
    assert ws["C2"].value == "=C1+1"
    assert ws["C4"].value == "=C3+1"
    assert str(ws.data_validations.dataValidation[0].sqref) == "C1 C3"


def test_region_errors_name_the_cell() -> None:
    def unclosed(wb: Workbook) -> None:
        wb.active["A3"] = "{%tr for c in items %}"

    def nested(wb: Workbook) -> None:
        wb.active["A1"] = "{%tr for c in items %}"
        wb.active["A3"] = "{%tr for d in items %}"

    def off_column(wb: Workbook) -> None:
        wb.active["C2"] = "{%tr for c in items %}"

    for build, cell in ((unclosed, "Ark!A3"), (nested, "Ark!A3"), (off_column, "Ark!C2")):
        with pytest.raises(TemplateError) as info:
            render(template(build), {"items": []})
        assert [i.field for i in info.value.issues] == [cell]


def test_jinja_errors_become_docgen_errors() -> None:
    with pytest.raises(TemplateError) as info:
        render(template(lambda wb: wb.active.__setitem__("B2", "{{ missing.x }}")), {})
    assert info.value.issues[0].field == "Ark!B2"
    with pytest.raises(TemplateError):
        render(template(lambda wb: wb.active.__setitem__("B2", "{{ x.__class__ }}")), {"x": 1})
    with pytest.raises(RenderError, match="empty value"):
        render(template(lambda wb: wb.active.__setitem__("B2", "Navn: {{ x }}")), {"x": None})


def test_tables_names_breaks_and_header_footer_follow() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws["A1"], ws["B1"] = "Navn", "Point"
        ws["A2"] = "{%tr for c in items %}"
        ws["A3"], ws["B3"] = "{{ c.name }}", "{{ c.score }}"
        ws["A4"] = "{%tr endfor %}"
        ws.add_table(Table(displayName="Point", ref="A1:B3"))
        ws.defined_names["docgen_scores"] = DefinedName("docgen_scores", attr_text="Ark!$B$3")
        wb.defined_names["alle"] = DefinedName("alle", attr_text="Ark!$A$3:$B$3")
        wb.defined_names["liste"] = DefinedName("liste", attr_text='"{{ tags|join(",") }}"')
        ws.row_breaks.append(Break(id=5))
        ws.oddFooter.left.text = "{{ org }}"
        ws.oddHeader.center.text = "&P af &N"

    ctx = {"items": ITEMS + ITEMS[:2], "org": "Nord & Vest", "tags": ["a", "b"]}
    _, wb = render(template(build), ctx)
    ws = wb["Ark"]
    assert ws.tables["Point"].ref == "A1:B6"
    assert ws.defined_names["docgen_scores"].attr_text == "Ark!$B$2:$B$6"
    assert wb.defined_names["alle"].attr_text == "Ark!$A$2:$B$6"
    assert wb.defined_names["liste"].attr_text == '"a,b"'
    assert [b.id for b in ws.row_breaks.brk] == [7]
    assert ws.oddFooter.left.text == "Nord && Vest"
    assert ws.oddHeader.center.text == "&P af &N"


def test_cross_sheet_references_follow_the_other_sheets_rows() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        region(ws, 1)
        ws["B2"] = "{{ c.score }}"
        ws["B4"] = "=SUM(B2)"
        wb.create_sheet("Oversigt")["A1"] = "=Ark!B4+SUM(Ark!B2)"

    _, wb = render(template(build), {"items": ITEMS})
    assert wb["Oversigt"]["A1"].value == "=Ark!B4+SUM(Ark!B1:B3)"
    assert wb["Ark"]["B4"].value == "=SUM(B1:B3)"


def test_single_cell_array_formulas_move_too() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        region(ws, 1)
        ws["B2"], ws["C2"] = "{{ c.score }}", ArrayFormula("C2", "=B2*2")
        ws["B4"] = ArrayFormula("B4", "=SUM(B2*1)")

    _, wb = render(template(build), {"items": ITEMS})
    ws = wb["Ark"]
    assert [(ws[f"C{r}"].value.ref, ws[f"C{r}"].value.text) for r in (1, 2, 3)] == [
        ("C1", "=B1*2"), ("C2", "=B2*2"), ("C3", "=B3*2")]
    assert (ws["B4"].value.ref, ws["B4"].value.text) == ("B4", "=SUM(B1:B3*1)")


def test_rows_with_long_wrapped_text_grow() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws.column_dimensions["A"].width = 20
        ws["A1"] = "{{ text }}"
        ws["A1"].alignment = Alignment(wrap_text=True)

    _, wb = render(template(build), {"text": "ord " * 60})
    assert wb["Ark"].row_dimensions[1].height > 80


# --------------------------------------------------------------------------- sheets


def sheet_template(wb: Workbook) -> None:
    ws = wb.active
    ws["A1"] = "{%sheet for a in applicants %}"
    ws["B1"] = '{{ a.id or "Ansøger " ~ loop.index }}'
    ws["A2"] = "Ansøger: {{ a.label }}"
    region(ws, 3)
    ws["B4"], ws["C4"] = "{{ c.name }}", None
    ws["C4"].protection = Protection(locked=False)
    ws["B6"] = "=AVERAGE(C4)"
    ws.defined_names["docgen_scores"] = DefinedName("docgen_scores", attr_text="'Ark'!$C$4")
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
    dv.add("C4")
    ws.add_data_validation(dv)
    ws.protection.sheet = True
    wb.create_sheet("Bagside")["A1"] = "slut"


def test_sheet_loop_makes_one_sheet_per_item_in_place() -> None:
    applicants = [{"id": "A07", "label": "A07 · Søren Østergaard"},
                  {"id": "A/8?", "label": "=HYPERLINK(1)"}, {"id": "", "label": ""},
                  {"id": "A07", "label": "dublet"}]
    result, wb = render(template(sheet_template), {"applicants": applicants, "items": ITEMS},
                        metadata={"case": "RM-1"})
    assert wb.sheetnames == ["A07", "A-8-", "Ansøger 3", "A07 (2)", "Bagside", META_SHEET]
    for title, label in zip(wb.sheetnames[:4], applicants, strict=True):
        ws = wb[title]
        assert ws["A1"].value == f"Ansøger: {label['label']}"
        assert [ws[f"B{r}"].value for r in (2, 3, 4)] == ["a", "b", "c"]
        assert ws["B5"].value == "=AVERAGE(C2:C4)"
        assert str(ws.data_validations.dataValidation[0].sqref) == "C2:C4"
        assert ws.protection.sheet
        quoted = "'" + title + "'"
        assert ws.defined_names["docgen_scores"].attr_text == f"{quoted}!$C$2:$C$4"
        assert result.names[f"name:{title}:docgen_scores"] == f"{quoted}!$C$2:$C$4"
    assert wb["A-8-"]["A1"].data_type == "s"
    assert sum(ws.sheet_view.tabSelected for ws in wb.worksheets) == 1


def test_sheet_loop_with_no_items_removes_the_sheet() -> None:
    _, wb = render(template(sheet_template), {"applicants": [], "items": ITEMS})
    assert wb.sheetnames == ["Bagside"]


# --------------------------------------------------------------------- charts, formats


def spec_template(wb: Workbook) -> None:
    ws = wb.active
    ws["B1"], ws["C1"], ws["D1"] = "Område", "Ønske", "Nu"
    region(ws, 2)
    ws["B3"], ws["C3"], ws["D3"] = "{{ c.name }}", "{{ c.score }}", "{{ c.score - 1 }}"
    ws["B6"] = "=SUM(C3)"
    spec = wb.create_sheet("_docgen_spec")
    spec.append(["# noter"])
    spec.append(["chart", "sheet=Ark", "type=radar", "anchor=B7", "title={{ title }}",
                 "categories=$B$3", "series=$C$1:$C$3", "series=$D$1:$D$3",
                 "colours=1F4E79,C55A11", "min=0", "max=10", "major=2"])
    spec.append(["format", "sheet=Ark", "range=$B$3:$D$3", "for=b in bands",
                 "formula=$C3>={{ b.min }}", "fill={{ b.colour }}"])


@pytest.mark.parametrize("count", [3, 8, 15])
def test_chart_from_spec_covers_exactly_the_filled_rows(count: int) -> None:
    items = [{"name": f"område {i}", "score": i % 10 + 1} for i in range(count)]
    bands = [{"min": 0, "colour": "C00000"}, {"min": 5, "colour": "70AD47"}]
    result, wb = render(template(spec_template),
                        {"items": items, "title": "Rollestjerne & mere", "bands": bands})
    assert "_docgen_spec" not in wb.sheetnames
    last = 1 + count
    with zipfile.ZipFile(BytesIO(result.data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<radarChart>" in chart
    refs = re.findall(r"<f>([^<]+)</f>", chart)
    assert f"'Ark'!$B$2:$B${last}" in refs
    assert f"'Ark'!$C$2:$C${last}" in refs
    assert f"'Ark'!$D$2:$D${last}" in refs
    assert "'Ark'!C1" in refs
    assert chart.count("<ser>") == 2
    assert "Rollestjerne &amp; mere" in chart
    ws = wb["Ark"]
    anchor = ws._charts[0].anchor._from if ws._charts else None
    assert anchor is None or anchor.row == last + 2
    rules = {str(c.sqref): [(r.formula, r.dxf.fill.fgColor.rgb) for r in c.rules]
             for c in ws.conditional_formatting}
    assert rules == {f"B2:D{last}": [(["$C2>=0"], "00C00000"), (["$C2>=5"], "0070AD47")]}


def test_chart_declared_in_code() -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws["B1"], ws["C1"] = "Navn", "Point"
        region(ws, 2)
        ws["B3"], ws["C3"] = "{{ c.name }}", "{{ c.score }}"

    chart = {"sheet": "Ark", "type": "bar", "categories": "$B$3", "series": ["$C$1:$C$3"],
             "anchor": "E2"}
    result, _ = render(template(build), {"items": ITEMS}, charts=[chart])
    with zipfile.ZipFile(BytesIO(result.data)) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in xml
    assert "'Ark'!$B$2:$B$4" in xml


# --------------------------------------------------------------- metadata, determinism


def test_metadata_sheet_and_layout_checksum() -> None:
    data = template(sheet_template)
    ctx = {"applicants": [{"id": "A1", "label": "x"}], "items": ITEMS}
    result, wb = render(data, ctx, metadata={"case": "RM-2026-117", "recipient": "P1"})
    meta = read_metadata(wb)
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb[META_SHEET].protection.sheet
    assert list(meta)[:2] == ["case", "recipient"]
    assert meta["case"] == "RM-2026-117"
    assert meta["name:A1:docgen_scores"] == "'A1'!$C$2:$C$4"
    assert meta[CHECKSUM_KEY] == result.layout_checksum == layout_checksum(wb)
    read_only = load_workbook(BytesIO(result.data), read_only=True)
    assert layout_checksum(read_only) == result.layout_checksum
    assert read_metadata(read_only)[CHECKSUM_KEY] == result.layout_checksum
    wb["A1"]["C3"] = 4  # an unlocked input cell: the layout is unchanged
    assert layout_checksum(wb) == result.layout_checksum
    wb["A1"]["B3"] = "ændret"  # a locked label
    assert layout_checksum(wb) != result.layout_checksum


def test_no_metadata_sheet_unless_asked() -> None:
    _, wb = render(template(table_template), {"items": ITEMS, "lo": 1, "hi": 5})
    assert META_SHEET not in wb.sheetnames


def test_output_is_byte_identical_and_has_fixed_dates() -> None:
    data = template(spec_template)
    ctx = {"items": ITEMS, "title": "x", "bands": []}
    first = fill_workbook(data, ctx, ENV, metadata={"case": "1"}).data
    second = fill_workbook(data, ctx, ENV, metadata={"case": "1"}).data
    assert first == second
    with zipfile.ZipFile(BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core
    assert "openpyxl" not in core
    later = fill_workbook(data, ctx, ENV, created=dt.datetime(2027, 5, 1)).data
    assert later != first


# ------------------------------------------------------------------------- warnings


def with_parts(data: bytes, parts: dict[str, str], patch: tuple[str, str] | None = None) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if patch and info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</worksheet>", patch[1].encode() + b"</worksheet>")
            dst.writestr(info, content)
        for name, text in parts.items():
            dst.writestr(name, text)
    return out.getvalue()


def test_warns_about_what_openpyxl_would_drop() -> None:
    x14 = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           '<x14:dataValidations count="0"/></ext></extLst>')
    drawing = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
               'spreadsheetDrawing"><xdr:twoCellAnchor><xdr:sp><xdr:nvSpPr/></xdr:sp>'
               '</xdr:twoCellAnchor></xdr:wsDr>')
    data = with_parts(template(lambda _: None), {
        "xl/drawings/drawing9.xml": drawing,
        "xl/ctrlProps/ctrlProp1.xml": "<formControlPr/>",
        "xl/drawings/vmlDrawing9.vml": '<xml><x:ClientData ObjectType="Button"/></xml>',
    }, patch=("", x14))
    result, _ = render(data, {})
    text = "\n".join(result.warnings)
    assert "xl/drawings/drawing9.xml: shapes" in text
    assert "xl/ctrlProps/ctrlProp1.xml: form controls" in text
    assert "vmlDrawing9.vml" in text
    assert "x14" in text or "extension" in text.lower()


def test_clean_template_gives_no_warnings() -> None:
    result, _ = render(template(table_template), {"items": ITEMS, "lo": 1, "hi": 5})
    assert result.warnings == ()


def test_row_height_estimate_wraps_at_words_like_a_spreadsheet() -> None:
    from docgen.excel.cells import _wrapped_lines

    # The readiness band label that LibreOffice wraps in a 52-wide column.
    label = "Ikke klar endnu – begynd med de grundlæggende forudsætninger"
    assert _wrapped_lines(label, 51 * 1.05) == 2
    assert _wrapped_lines("Tidspunkt", 8 * 0.95) == 1  # one word alone is not split
    assert _wrapped_lines("kort tekst", 40) == 1
    assert _wrapped_lines("x" * 100, 40) == 3
