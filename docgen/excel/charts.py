"""Charts and data-driven conditional formats of the Excel engine (see ``docgen.excel.fill``).

openpyxl loses chart formatting when it loads a workbook, so charts are not kept in
the template: they are declared, one per row, in a sheet named ``_docgen_spec``
(removed from the output), or passed in code as mappings with the same keys. Each
row's column A is the kind (``chart`` or ``format``); every other cell is
``key=value``. Cell references are written in the template's own coordinates and
follow the rows when regions expand. Rows whose column A starts with ``#`` are notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import MultiCellRange

from docgen.excel.cells import LoopInfo, Renderer, has_jinja
from docgen.excel.refs import REF_ERROR, rewrite_expression, rewrite_reference
from docgen.excel.regions import FOR_RE, SheetPlan, home_of, loop_items, make_resolver, map_ranges

SPEC_SHEET = "_docgen_spec"
_HEX_RE = re.compile(r"^[0-9A-Fa-f]{6}$")
_LEGEND = {"bottom": "b", "right": "r", "top": "t", "left": "l"}


@dataclass(frozen=True)
class Spec:
    """One declared chart or conditional format."""

    kind: str
    values: Mapping[str, list[str]]
    where: str

    def get(self, key: str, default: str = "") -> str:
        """First value of ``key``."""
        found = self.values.get(key)
        return found[0] if found else default


def read_spec_sheet(wb: Workbook) -> list[Spec]:
    """Read and remove the ``_docgen_spec`` sheet (no sheet: no specs)."""
    if SPEC_SHEET not in wb.sheetnames:
        return []
    ws = wb[SPEC_SHEET]
    specs = []
    for row in ws.iter_rows():
        kind = str(row[0].value or "").strip().lower()
        if not kind or kind.startswith("#"):
            continue
        values: dict[str, list[str]] = {}
        for cell in row[1:]:
            text = str(cell.value or "").strip()
            if text:
                key, _, value = text.partition("=")
                values.setdefault(key.strip().lower(), []).append(value.strip())
        specs.append(Spec(kind, values, f"{SPEC_SHEET}!A{row[0].row}"))
    wb.remove(ws)
    return specs


def specs_from_code(charts: Iterable[Mapping[str, Any]]) -> list[Spec]:
    """Turn ``charts=[{...}]`` mappings into specs (a list value repeats the key)."""
    out = []
    for n, chart in enumerate(charts, start=1):
        values = {
            str(k).lower(): [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]
            for k, v in chart.items()
        }
        out.append(Spec(str(chart.get("kind", "chart")), values, f"charts[{n}]"))
    return out


def apply_specs(specs: list[Spec], plans: Mapping[str, SheetPlan], renderer: Renderer,
                warn: Callable[[str], None]) -> None:
    """Add every declared chart and format to each sheet made from its template sheet."""
    for spec in specs:
        sheet = spec.get("sheet").casefold()
        targets = [p for p in plans.values() if p.template_title.casefold() == sheet]
        if not targets:
            warn(f"{spec.where}: no sheet named {spec.get('sheet')!r}; nothing added")
        for plan in targets:
            if spec.kind == "chart":
                _add_chart(spec, plan, plans, renderer, warn)
            elif spec.kind == "format":
                _add_format(spec, plan, plans, renderer, warn)
            else:
                raise renderer.template_error(spec.where, f"unknown kind {spec.kind!r}")


def _text(spec: Spec, key: str, plan: SheetPlan, renderer: Renderer, default: str = "") -> str:
    value = spec.get(key, default)
    return renderer.render(value, plan.ctx, spec.where).strip() if has_jinja(value) else value


def _reference(text: str, plan: SheetPlan, plans: Mapping[str, SheetPlan]) -> Reference | None:
    mapped = rewrite_reference(text.strip(), make_resolver(plans, plan.ws.title))
    if mapped == REF_ERROR:
        return None
    sheet, _, ref = mapped.rpartition("!")
    title = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
    ws = plan.ws if not title else plans[title.casefold()].ws
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return Reference(ws, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row)


def _make_chart(kind: str, style: str) -> ChartBase:
    if kind == "radar":
        radar = RadarChart()
        radar.type = style or "marker"
        return radar
    if kind in ("bar", "col"):
        bar = BarChart()
        bar.type = kind
        return bar
    if kind == "line":
        return LineChart()
    msg = f"unknown chart type {kind!r} (radar, bar, col, line)"
    raise ValueError(msg)


def _add_chart(spec: Spec, plan: SheetPlan, plans: Mapping[str, SheetPlan],
               renderer: Renderer, warn: Callable[[str], None]) -> None:
    def text(key: str, default: str = "") -> str:
        return _text(spec, key, plan, renderer, default)

    try:
        chart = _make_chart(text("type", "radar"), text("style"))
    except ValueError as exc:
        raise renderer.template_error(spec.where, str(exc)) from None
    categories = _reference(text("categories"), plan, plans) if text("categories") else None
    if categories is None:
        warn(f"{spec.where}: the chart has no category rows on {plan.ws.title}; left out")
        return
    colours = [c.strip().lstrip("#") for c in text("colours").split(",") if c.strip()]
    for n, series_ref in enumerate(spec.values.get("series", [])):
        data = _reference(series_ref, plan, plans)
        if data is None:
            continue
        chart.add_data(data, titles_from_data=True)
        if n < len(colours) and _HEX_RE.match(colours[n]):
            series = chart.series[-1]
            series.graphicalProperties.line.solidFill = colours[n]
            series.graphicalProperties.line.width = 28575
            series.marker.symbol = "circle"
            series.marker.graphicalProperties = None
    chart.set_categories(categories)
    chart.title = text("title") or None
    for key, attr in (("min", "min"), ("max", "max")):
        if text(key):
            setattr(chart.y_axis.scaling, attr, float(text(key)))
    if text("major"):
        chart.y_axis.majorUnit = float(text("major"))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    legend = text("legend", "bottom")
    if legend == "none":
        chart.legend = None
    elif chart.legend is not None:
        chart.legend.position = _LEGEND.get(legend, "b")
    chart.width = float(text("width", "16"))
    chart.height = float(text("height", "10"))
    col, row = coordinate_from_string(text("anchor", "A1").replace("$", ""))
    plan.ws.add_chart(chart, f"{col}{plan.rowmap.start(row)}")


def _contrast(fill: str) -> str:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def _add_format(spec: Spec, plan: SheetPlan, plans: Mapping[str, SheetPlan],
                renderer: Renderer, warn: Callable[[str], None]) -> None:
    area = MultiCellRange(spec.get("range").replace("$", ""))
    target = " ".join(r.coord for r in map_ranges(plan.rowmap, area, join=True))
    if not target:
        return
    home = home_of(plan.rowmap, area)
    contexts = [plan.ctx]
    loop = FOR_RE.match("for " + spec.get("for")) if spec.get("for") else None
    if loop is not None:
        items = loop_items(renderer, loop["expr"], plan.ctx, spec.where)
        contexts = [{**plan.ctx, loop["var"]: item, "loop": LoopInfo(k, len(items))}
                    for k, item in enumerate(items)]
    resolve = make_resolver(plans, plan.ws.title)
    for ctx in contexts:
        formula = renderer.render(spec.get("formula"), ctx, spec.where).strip().lstrip("=")
        fill = renderer.render(spec.get("fill"), ctx, spec.where).strip().lstrip("#")
        if not _HEX_RE.match(fill):
            warn(f"{spec.where}: a fill colour is not RRGGBB; that rule is left out")
            continue
        font = renderer.render(spec.get("font"), ctx, spec.where).strip().lstrip("#")
        rule = FormulaRule(
            formula=[rewrite_expression(formula, resolve, home)],
            fill=PatternFill(fill_type="solid", start_color=fill, end_color=fill),
            font=Font(color=font if _HEX_RE.match(font) else _contrast(fill), bold=True),
        )
        plan.ws.conditional_formatting.add(target, rule)
