"""Repeated sheets of the Excel engine (see ``docgen.excel.fill``).

:func:`expand_sheet_loops` turns each ``{%sheet for … %}`` sheet into one sheet per item,
before the rows of each sheet are planned (:mod:`docgen.excel.regions`): each copy keeps
the template sheet's validations, formats, print settings, names and images, and gets a
safe, unique tab name rendered from the item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy, deepcopy
from io import BytesIO
from typing import Any

from openpyxl.drawing.image import Image
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import RenderError
from docgen.excel.cells import LoopInfo, Renderer
from docgen.excel.regions import FOR_RE, directives, loop_items

_BAD_TITLE_RE = re.compile(r"[\\*?:/\[\]]")
RESERVED_SHEETS = ("_docgen", "_docgen_spec")


def rename_sheet_refs(text: str, old: str, new: str) -> str:
    """Point references to sheet ``old`` in a formula (with ``=``) at sheet ``new``."""
    quoted_new = "'" + new.replace("'", "''") + "'"
    out = ["="]
    for token in Tokenizer(text).items:
        value = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE and "!" in value:
            sheet, _, ref = value.rpartition("!")
            bare = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
            if bare.casefold() == old.casefold():
                value = f"{quoted_new}!{ref}"
        out.append(value)
    return "".join(out)


def _clone(wb: Workbook, ws: Worksheet, warn: Callable[[str], None]) -> Worksheet:
    new = wb.copy_worksheet(ws)
    new.data_validations = deepcopy(ws.data_validations)
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            new.conditional_formatting.add(str(cf.sqref), deepcopy(rule))
    new.protection = copy(ws.protection)
    new._print_rows, new._print_cols = copy(ws._print_rows), copy(ws._print_cols)
    new._print_area = deepcopy(ws._print_area)
    new.HeaderFooter = deepcopy(ws.HeaderFooter)
    new.views = deepcopy(ws.views)
    new.row_breaks, new.col_breaks = deepcopy(ws.row_breaks), deepcopy(ws.col_breaks)
    new.auto_filter = deepcopy(ws.auto_filter)
    for name, dn in ws.defined_names.items():
        new.defined_names[name] = DefinedName(name=dn.name, attr_text=dn.attr_text)
    for img in ws._images:
        if isinstance(img.ref, BytesIO):
            copied = Image(BytesIO(img.ref.getvalue()))
            copied.width, copied.height = img.width, img.height
            copied.anchor = deepcopy(img.anchor)
            new.add_image(copied)
        else:
            warn(f"{ws.title}: an image could not be copied to the repeated sheets")
    if ws.tables:
        warn(f"{ws.title}: Excel tables are not copied to repeated sheets (names must be unique)")
    return new


def _sheet_title(raw: str, taken: set[str], index: int) -> str:
    title = _BAD_TITLE_RE.sub("-", raw).strip().strip("'")[:31].strip() or f"Ark {index}"
    base, n = title, 2
    while title.casefold() in taken or title.casefold() in RESERVED_SHEETS:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def expand_sheet_loops(
    wb: Workbook, ctx: dict[str, Any], renderer: Renderer, warn: Callable[[str], None]
) -> list[tuple[Worksheet, dict[str, Any], str]]:
    """Repeat every ``{%sheet for x in xs %}`` sheet per item; return (sheet, ctx, template title).

    The tab name is a Jinja text (the cell right of the marker, else the tab's own name)
    rendered per item; unsafe characters are replaced and duplicates numbered.
    """
    out: list[tuple[Worksheet, dict[str, Any], str]] = []
    taken = {ws.title.casefold() for ws in wb.worksheets}
    for ws in list(wb.worksheets):
        directive = next((d for d in directives(ws, renderer, ws.title) if d[1] == "sheet"), None)
        if directive is None:
            out.append((ws, ctx, ws.title))
            continue
        row, _, body = directive
        where = f"{ws.title}!A{row}"
        loop = FOR_RE.match(body)
        if loop is None:
            raise renderer.template_error(where, "write {%sheet for x in list %}")
        items = loop_items(renderer, loop["expr"], ctx, where)
        if len(wb.worksheets) + len(items) > renderer.limits.xlsx_sheets:
            bound = renderer.limits.xlsx_sheets
            msg = f"{renderer.name}: {where}: the workbook would get more than {bound} sheets"
            raise RenderError(f"{msg} (limits.xlsx_sheets)")
        if not items:
            wb.remove(ws)
            continue
        title_text = ws.cell(row=row, column=2).value or ws.title
        template_title = ws.title
        taken.discard(ws.title.casefold())
        copies = [ws] + [_clone(wb, ws, warn) for _ in items[1:]]
        position = wb._sheets.index(ws)
        for k, (sheet, item) in enumerate(zip(copies, items, strict=True)):
            wb._sheets.remove(sheet)
            wb._sheets.insert(position + k, sheet)
            info = LoopInfo(k, len(items))
            sheet_ctx = {**ctx, loop["var"]: item, "loop": info, "sheet_loop": info}
            raw = renderer.render(str(title_text), sheet_ctx, where)
            sheet.title = _sheet_title(raw, taken, k + 1)
            for name in sheet.defined_names.values():
                name.attr_text = rename_sheet_refs("=" + name.attr_text, template_title,
                                                   sheet.title)[1:]
            out.append((sheet, sheet_ctx, template_title))
    return out
