"""Repeating regions of the Excel engine (see ``docgen.excel.fill``).

:func:`plan_sheet` reads a sheet's marker rows and evaluates their iterables into a
:class:`SheetPlan`; :func:`apply_plan` rebuilds the sheet from it: cells rendered and
copied per item, formulas moved, and every range-bearing part of the sheet (merged
cells, row heights, data validations, conditional formats, tables, print area and
titles, page breaks, names, images, header/footer text) made to cover the filled rows.
Repeated sheets (``{%sheet for … %}``) are expanded before, in :mod:`docgen.excel.sheets`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import RenderError
from docgen.excel.cells import LoopInfo, Renderer, fit_row_heights, has_jinja
from docgen.excel.refs import Block, Home, Resolver, RowMap, join_spans, rewrite_expression
from docgen.excel.refs import rewrite_formula as _rewrite_formula

_DIRECTIVE_RE = re.compile(r"^\{%-?\s*(?P<kind>tr|sheet)\s+(?P<body>.*?)\s*-?%\}$", re.S)
FOR_RE = re.compile(r"^for\s+(?P<var>[A-Za-z_]\w*)\s+in\s+(?P<expr>.+)$", re.S)
_IF_RE = re.compile(r"^if\s+(?P<expr>.+)$", re.S)


@dataclass
class Region:
    """One repeated region: its block of rows and the context of each copy."""

    block: Block
    contexts: list[dict[str, Any]]


@dataclass
class SheetPlan:
    """How one sheet is expanded: its context, row map and regions."""

    ws: Worksheet
    ctx: dict[str, Any]
    template_title: str
    rowmap: RowMap = field(default_factory=RowMap)
    regions: dict[Block, Region] = field(default_factory=dict)


def directives(ws: Worksheet, renderer: Renderer, title: str) -> list[tuple[int, str, str]]:
    found = []
    for (row, col), cell in ws._cells.items():
        value = cell.value
        if not (isinstance(value, str) and value.lstrip().startswith("{%")):
            continue
        match = _DIRECTIVE_RE.match(value.strip())
        if match is None:
            continue
        if col != 1:
            where = f"{title}!{cell.coordinate}"
            raise renderer.template_error(where, "marker rows must have the marker in column A")
        found.append((row, match["kind"], match["body"]))
    return sorted(found)


def loop_items(renderer: Renderer, expr: str, ctx: Mapping[str, Any], where: str) -> list[Any]:
    value = renderer.evaluate(expr, ctx, where)
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise renderer.template_error(where, "the loop needs a list")
    items = list(value)
    bound = renderer.limits.xlsx_rows
    if len(items) > bound:
        msg = f"{renderer.name}: {where}: the loop repeats more than {bound:,} times"
        raise RenderError(f"{msg} (limits.xlsx_rows)")
    return items


def plan_sheet(ws: Worksheet, ctx: dict[str, Any], title: str, renderer: Renderer) -> SheetPlan:
    """Find the sheet's marker rows and evaluate each region's items."""
    plan = SheetPlan(ws=ws, ctx=ctx, template_title=title)
    blocks: list[Block] = []
    opened: tuple[int, str, str | None, str] | None = None
    for row, kind, body in directives(ws, renderer, title):
        where = f"{title}!A{row}"
        if kind == "sheet":
            blocks.append(Block(row, row, row + 1, row, 0))
            continue
        start = FOR_RE.match(body) or _IF_RE.match(body)
        if start is not None:
            if opened is not None:
                raise renderer.template_error(where, "regions cannot be nested or overlap")
            opened = (row, body.split()[0], start.groupdict().get("var"), start["expr"])
            continue
        if body not in ("endfor", "endif") or opened is None or body != "end" + opened[1]:
            raise renderer.template_error(where, f"unexpected marker {{%tr {body} %}}")
        first, loop_kind, var, expr = opened
        opened = None
        if row - first < 2:
            raise renderer.template_error(where, "a region needs at least one row")
        start_where = f"{title}!A{first}"
        if loop_kind == "for":
            items = loop_items(renderer, expr, ctx, start_where)
            contexts = [
                {**ctx, str(var): item, "loop": LoopInfo(k, len(items))}
                for k, item in enumerate(items)
            ]
        else:
            contexts = [ctx] if renderer.evaluate(expr, ctx, start_where) else []
        block = Block(first, row, first + 1, row - 1, len(contexts))
        blocks.append(block)
        plan.regions[block] = Region(block, contexts)
    if opened is not None:
        where = f"{title}!A{opened[0]}"
        raise renderer.template_error(where, f"no {{%tr end{opened[1]} %}} for this region")
    plan.rowmap = RowMap(blocks)
    return plan


def make_resolver(plans: Mapping[str, SheetPlan], own: str) -> Resolver:
    """Return the resolver for formulas written on sheet ``own``."""

    def resolve(title: str | None) -> tuple[RowMap, bool] | None:
        key = (own if title is None else title).casefold()
        plan = plans.get(key)
        if plan is None or plan.rowmap.is_identity:
            return None
        return plan.rowmap, key == own.casefold()

    return resolve


@dataclass
class _Sheet:
    plan: SheetPlan
    resolve: Resolver
    renderer: Renderer
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def apply_plan(plan: SheetPlan, plans: Mapping[str, SheetPlan], renderer: Renderer) -> None:
    """Rebuild the sheet from its plan (see the module docstring)."""
    sheet = _Sheet(plan, make_resolver(plans, plan.ws.title), renderer)
    _rebuild_cells(sheet)
    _rebuild_ranges(sheet)
    _rebuild_rules(sheet)
    _render_header_footer(sheet)
    fit_row_heights(plan.ws)


def _targets(plan: SheetPlan, row: int) -> list[tuple[int, Home | None, dict[str, Any]]]:
    found = plan.rowmap.block_of(row)
    if found is None:
        return [(plan.rowmap.rows(row)[0], None, plan.ctx)]
    block, _ = found
    region = plan.regions.get(block)
    if region is None or not block.in_body(row):
        return []
    rows = plan.rowmap.rows(row)
    return [(r, Home(block, k), region.contexts[k]) for k, r in enumerate(rows)]


def _rebuild_cells(sheet: _Sheet) -> None:
    ws, plan = sheet.plan.ws, sheet.plan
    old_cells, ws._cells = ws._cells, {}
    for (row, col), src in sorted(old_cells.items()):
        for index, (new_row, home, ctx) in enumerate(_targets(plan, row)):
            if isinstance(src, MergedCell):
                merged = MergedCell(ws, row=new_row, column=col)
                merged._style = copy(src._style)
                ws._cells[(new_row, col)] = merged
                continue
            dst = Cell(ws, row=new_row, column=col)
            ws._cells[(new_row, col)] = dst
            if src.has_style:
                dst._style = copy(src._style)
            _fill(sheet, src, dst, home, index, ctx)
            if src.hyperlink:
                dst.hyperlink = copy(src.hyperlink)
            if src.comment:
                dst.comment = copy(src.comment)
    old_dims = dict(ws.row_dimensions)
    ws.row_dimensions.clear()
    for row, dim in sorted(old_dims.items()):
        for new_row in plan.rowmap.rows(row):
            new_dim = copy(dim)
            new_dim.index = new_row
            new_dim.worksheet = ws
            ws.row_dimensions[new_row] = new_dim


def _formula(sheet: _Sheet, src: Cell, dst: Cell, text: str, home: Home | None,
             index: int) -> str:
    """The template formula as it reads at ``dst``: moved, then filled down per copy."""
    key = (src.row, src.column)
    if key not in sheet.formulas:
        first = None if home is None else Home(home.block, 0)
        sheet.formulas[key] = _rewrite_formula(text, sheet.resolve, first)
    formula = sheet.formulas[key]
    if index:
        origin = f"{dst.column_letter}{sheet.plan.rowmap.rows(src.row)[0]}"
        formula = Translator(formula, origin=origin).translate_formula(dst.coordinate)
    return formula


def _fill(sheet: _Sheet, src: Cell, dst: Cell, home: Home | None, index: int, ctx: Any) -> None:
    value = src._value
    where = f"{sheet.plan.template_title}!{src.coordinate}"
    if src.data_type == "f" and isinstance(value, str):
        dst._value, dst.data_type = _formula(sheet, src, dst, value, home, index), "f"
    elif isinstance(value, ArrayFormula) and value.ref == src.coordinate:
        text = _formula(sheet, src, dst, value.text, home, index)
        dst._value, dst.data_type = ArrayFormula(dst.coordinate, text), "f"
    elif has_jinja(value):
        sheet.renderer.fill_cell(dst, value, ctx, where)
    else:
        dst._value, dst.data_type = value, src.data_type


def map_ranges(rowmap: RowMap, ranges: MultiCellRange, *, join: bool) -> list[CellRange]:
    out = []
    for cr in sorted(ranges.ranges, key=lambda r: (r.min_row, r.min_col)):
        spans = rowmap.copies(cr.min_row, cr.max_row)
        for first, last in join_spans(spans) if join else spans:
            out.append(CellRange(min_col=cr.min_col, min_row=first,
                                 max_col=cr.max_col, max_row=last))
    return out


def home_of(rowmap: RowMap, ranges: MultiCellRange) -> Home | None:
    if not ranges.ranges:
        return None
    first = min(ranges.ranges, key=lambda r: (r.min_row, r.min_col))
    found = rowmap.block_of(first.min_row)
    if found and found[0].in_body(first.min_row) and found[0].count:
        return Home(found[0], 0)
    return None


def _rebuild_ranges(sheet: _Sheet) -> None:
    ws, rowmap = sheet.plan.ws, sheet.plan.rowmap
    merged = map_ranges(rowmap, ws.merged_cells, join=False)
    ws.merged_cells = MultiCellRange([_merged(ws, r.coord) for r in merged])
    for table in ws.tables.values():
        table.ref = _widen(rowmap, table.ref) or table.ref
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _widen(rowmap, ws.auto_filter.ref)
    if ws._print_area:
        ws.print_area = [r.coord for r in map_ranges(rowmap, ws._print_area, join=True)]
    if ws._print_rows is not None:
        span = rowmap.span(int(ws._print_rows.min_row), int(ws._print_rows.max_row))
        ws._print_rows = None
        if span:
            ws.print_title_rows = f"{span[0]}:{span[1]}"
    for brk in ws.row_breaks.brk:
        brk.id = rowmap.end(brk.id)
    if ws.freeze_panes:
        col, row = coordinate_from_string(ws.freeze_panes)
        ws.freeze_panes = f"{col}{rowmap.start(row)}"
    for name in ws.defined_names.values():
        name.attr_text = _name_text(sheet, name.attr_text)
    _move_drawings(ws, rowmap)


def _merged(ws: Worksheet, coord: str) -> MergedCellRange:
    """A merged range as openpyxl makes one, without its border pass.

    openpyxl's constructor copies the bottom-right cell's border onto the top-left cell,
    which it did already when it loaded the template (the cells moved with their rows);
    done again for every range of every sheet it was a fifth of a workbook's time.
    """
    merged = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(merged, range_string=coord)
    merged.ws = ws
    merged.start_cell = ws._cells.get((merged.min_row, merged.min_col)) or ws.cell(
        row=merged.min_row, column=merged.min_col)
    return merged


def _move_drawings(ws: Worksheet, rowmap: RowMap) -> None:
    for drawing in [*ws._images, *ws._charts]:
        anchor = drawing.anchor
        if isinstance(anchor, str):
            col, row = coordinate_from_string(anchor)
            drawing.anchor = f"{col}{rowmap.start(row)}"
        else:
            shift = rowmap.start(anchor._from.row + 1) - 1 - anchor._from.row
            anchor._from.row += shift
            if getattr(anchor, "to", None) is not None:
                anchor.to.row += shift


def _widen(rowmap: RowMap, ref: str) -> str | None:
    cr = CellRange(ref)
    span = rowmap.span(cr.min_row, cr.max_row)
    if span is None:
        return None
    widened = CellRange(min_col=cr.min_col, min_row=span[0], max_col=cr.max_col,
                        max_row=span[1])
    return str(widened.coord)


def _name_text(sheet: _Sheet, text: str) -> str:
    if has_jinja(text):
        text = sheet.renderer.render(text, sheet.plan.ctx, f"{sheet.plan.template_title} (name)")
    return rewrite_expression(text, sheet.resolve)


def _rebuild_rules(sheet: _Sheet) -> None:
    ws, rowmap, ctx = sheet.plan.ws, sheet.plan.rowmap, sheet.plan.ctx
    where = f"{sheet.plan.template_title} (data validation)"
    kept = []
    for dv in ws.data_validations.dataValidation:
        home = home_of(rowmap, dv.sqref)
        dv.sqref = MultiCellRange(map_ranges(rowmap, dv.sqref, join=True))
        if not dv.sqref.ranges:
            continue
        for attr in ("formula1", "formula2"):
            text = getattr(dv, attr)
            if text:
                text = sheet.renderer.render(text, ctx, where) if has_jinja(text) else text
                setattr(dv, attr, rewrite_expression(text, sheet.resolve, home))
        for attr in ("prompt", "promptTitle", "error", "errorTitle"):
            text = getattr(dv, attr)
            if has_jinja(text):
                setattr(dv, attr, sheet.renderer.render(text, ctx, where))
        kept.append(dv)
    ws.data_validations.dataValidation = kept
    old, ws.conditional_formatting = ws.conditional_formatting, ConditionalFormattingList()
    for cf in old:
        home = home_of(rowmap, cf.sqref)
        ranges = map_ranges(rowmap, cf.sqref, join=True)
        if not ranges:
            continue
        target = " ".join(r.coord for r in ranges)
        for rule in cf.rules:
            rule.formula = [rewrite_expression(f, sheet.resolve, home) for f in rule.formula]
            ws.conditional_formatting.add(target, rule)


def _render_header_footer(sheet: _Sheet) -> None:
    hf = sheet.plan.ws.HeaderFooter
    where = f"{sheet.plan.template_title} (header/footer)"
    for item in (hf.oddHeader, hf.oddFooter, hf.evenHeader, hf.evenFooter,
                 hf.firstHeader, hf.firstFooter):
        for part in (item.left, item.center, item.right) if item else ():
            if has_jinja(part.text):
                part.text = sheet.renderer.render(part.text, sheet.plan.ctx, where, header=True)
