"""Jinja rendering of cell text for the Excel engine (see ``docgen.excel.fill``).

A cell that is exactly one ``{{ expression }}`` gets the expression's own type (number,
date, bool; ``None`` leaves the cell empty); any other Jinja text becomes a string.
Every string that comes out of a template is stored as text, never as a formula.
Error messages name the template, sheet and cell, and never carry case values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import Environment, Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import Issue, RenderError, TemplateError
from docgen.jinja import NoneValueError, is_undefined

_JINJA_MARKS = ("{{", "{%", "{#")
_SINGLE_RE = re.compile(r"^\s*\{\{-?(?P<expr>.*?)-?\}\}\s*$", re.S)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
TIME_FORMAT = "hh:mm"


def has_jinja(text: object) -> bool:
    """Tell whether a value is a string (or rich text) holding Jinja markup."""
    if isinstance(text, CellRichText):
        return has_jinja(str(text))
    return isinstance(text, str) and any(mark in text for mark in _JINJA_MARKS)


@dataclass(frozen=True)
class LoopInfo:
    """The ``loop`` variable of a repeated region or sheet (like Jinja's own)."""

    index0: int
    length: int

    @property
    def index(self) -> int:
        """1-based position."""
        return self.index0 + 1

    @property
    def revindex(self) -> int:
        """Items left including this one."""
        return self.length - self.index0

    @property
    def first(self) -> bool:
        """True for the first item."""
        return self.index0 == 0

    @property
    def last(self) -> bool:
        """True for the last item."""
        return self.index0 == self.length - 1


def set_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a string cell (never a formula); empty text leaves it empty."""
    if text == "":
        cell.value = None
        return
    try:
        cell.value = text
    except IllegalCharacterError:
        msg = f"{cell.parent.title}!{cell.coordinate}: the text holds a control character"
        raise RenderError(msg, hint="remove control characters from the case") from None
    cell.data_type = "s"
    if text.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True


def _escape_header(value: Any) -> Any:
    return value.replace("&", "&&") if isinstance(value, str) else value


_COMPILED: weakref.WeakKeyDictionary[Environment, dict[str, Template]] = weakref.WeakKeyDictionary()


class Renderer:
    """Render Jinja text and expressions of one template, with compiled-template caches."""

    def __init__(self, env: Environment, template_name: str) -> None:
        self.env = env
        self.name = template_name
        # Workbooks of one build share cell texts (one scoresheet per panel member), so
        # compiled templates are kept per environment, not per workbook.
        self._templates = _COMPILED.setdefault(env, {})
        self._expressions: dict[str, Any] = {}
        base_finalize = env.finalize

        def header_finalize(value: Any) -> Any:
            value = base_finalize(value) if base_finalize else value
            return _escape_header(value if isinstance(value, str) else str(value))

        self._header_env = env.overlay(finalize=header_finalize)
        self._header_templates: dict[str, Template] = {}

    def template_error(self, where: str, message: str) -> TemplateError:
        issue = Issue(file=self.name, line=None, col=None, field=where, message=message)
        return TemplateError(f"{self.name}: the workbook template is broken", [issue])

    def fail(self, where: str, exc: Exception) -> Exception:
        """Turn an exception raised while rendering into a docgen error (no case values)."""
        if isinstance(exc, TemplateSyntaxError):
            return self.template_error(where, f"Jinja syntax error: {exc.message}")
        if isinstance(exc, (UndefinedError, SecurityError)):
            return self.template_error(where, str(exc.message))
        if isinstance(exc, NoneValueError):
            return RenderError(f"{self.name}: {where}: {exc}")
        return RenderError(f"{self.name}: {where}: {type(exc).__name__} while rendering")

    def template(self, text: str, where: str, *, header: bool = False) -> Template:
        """Compile (once) a Jinja text."""
        cache = self._header_templates if header else self._templates
        if text not in cache:
            env = self._header_env if header else self.env
            try:
                cache[text] = env.from_string(text)
            except TemplateSyntaxError as exc:
                raise self.fail(where, exc) from None
        return cache[text]

    def render(self, text: str, ctx: Mapping[str, Any], where: str, *, header: bool = False) -> str:
        """Render Jinja text to a string (``header=True`` doubles ``&`` in values)."""
        template = self.template(text, where, header=header)
        try:
            return template.render(ctx)
        except Exception as exc:  # noqa: BLE001  (reported with its location)
            raise self.fail(where, exc) from None

    def evaluate(self, expression: str, ctx: Mapping[str, Any], where: str) -> Any:
        """Evaluate one Jinja expression to its native value; undefined is an error."""
        if expression not in self._expressions:
            try:
                self._expressions[expression] = self.env.compile_expression(
                    expression, undefined_to_none=False
                )
            except TemplateSyntaxError as exc:
                raise self.fail(where, exc) from None
        try:
            value = self._expressions[expression](**ctx)
            if is_undefined(value):
                str(value)  # StrictUndefined raises here, with the missing name
        except Exception as exc:  # noqa: BLE001  (reported with its location)
            raise self.fail(where, exc) from None
        return value

    def fill_rich(self, cell: Cell, text: CellRichText, ctx: Mapping[str, Any], where: str) -> None:
        """Render each run of a rich-text cell on its own, keeping the runs' formats.

        A run that renders empty is dropped, so an optional second line (a description
        under a bold label) leaves no trace when the case has none.
        """
        blocks: list[str | TextBlock] = []
        for block in text:
            source = block.text if isinstance(block, TextBlock) else block
            rendered = self.render(source, ctx, where) if has_jinja(source) else source
            if not rendered.strip():
                continue
            if isinstance(block, TextBlock):
                blocks.append(TextBlock(block.font, rendered))
            else:
                blocks.append(rendered)
        if not blocks:
            cell.value = None
            return
        plain = "".join(b.text if isinstance(b, TextBlock) else b for b in blocks)
        set_text(cell, plain)  # the same checks as plain text (control characters, formulas)
        cell.value = CellRichText(blocks)

    def fill_cell(self, cell: Cell, text: str, ctx: Mapping[str, Any], where: str) -> None:
        """Render template text into ``cell``: typed for one expression, else text."""
        if isinstance(text, CellRichText):
            self.fill_rich(cell, text, ctx, where)
            return
        single = _SINGLE_RE.match(text)
        if single and not any(m in single["expr"] for m in ("{{", "}}", "{%", "%}")):
            set_value(cell, self.evaluate(single["expr"].strip(), ctx, where), where)
        else:
            set_text(cell, self.render(text, ctx, where))


def set_value(cell: Cell, value: Any, where: str) -> None:
    """Store a native value: numbers, dates and bools typed, strings as text."""
    if value is None:
        cell.value = None
    elif isinstance(value, (bool, int, float, Decimal)):
        cell.value = value
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        if isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        general = cell.number_format == "General"
        cell.value = value
        if general:
            cell.number_format = (
                DATETIME_FORMAT
                if isinstance(value, dt.datetime)
                else DATE_FORMAT
                if isinstance(value, dt.date)
                else TIME_FORMAT
            )
    elif isinstance(value, (list, tuple, dict, set)):
        msg = f"{where}: the expression gives a list; join it, e.g. with |join(', ')"
        raise RenderError(msg)
    else:
        set_text(cell, str(value))


def _wrapped_lines(text: str, per_line: float) -> int:
    """Lines a paragraph takes when wrapped at word boundaries, as spreadsheets do."""
    lines, used = 1, 0.0
    for word in text.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if need <= per_line:
            used = need
        elif used == 0 and len(word) <= per_line * 1.3:
            used = len(word)  # one word alone: letter widths vary too much to call it long
        elif used == 0:  # a word longer than the line breaks inside itself
            lines += math.ceil(len(word) / per_line) - 1
            used = len(word) % per_line
        else:
            lines += 1
            used = len(word)
    return lines


def fit_row_heights(ws: Worksheet, rows: set[int] | None = None) -> None:
    """Grow rows (all, or ``rows``) with wrapped text so it fits (an estimate; never shrinks).

    The estimate uses the column widths (merged cells: the sum of their columns) and
    the font size, close to what LibreOffice and Excel show as "optimal height"; cells
    merged over several rows are left alone.
    """
    widths: dict[tuple[int, int], float] = {}
    for merged in ws.merged_cells.ranges:
        widths[(merged.min_row, merged.min_col)] = (
            sum(_col_width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
            if merged.min_row == merged.max_row
            else 0.0
        )
    needed: dict[int, float] = {}
    normal = next((st for st in ws.parent._named_styles if st.name == "Normal"), None)
    base = float(normal.font.sz or 11) if normal is not None else 11.0
    for (row, col), cell in ws._cells.items():
        wanted = rows is None or row in rows
        if not wanted or cell.data_type != "s" or not cell.alignment.wrap_text:
            continue
        size = float(cell.font.sz or 11)
        width = widths.get((row, col), _col_width(ws, col))
        if width <= 1:
            continue
        # A width unit is one "0" of the default font; prose fits a little under one
        # character per unit (bold less), and an estimate that is too short cuts text.
        density = 0.95 if cell.font.b else 1.05
        per_line = max(1.0, (width - 1) * density * base / size)
        lines = sum(_wrapped_lines(p, per_line) for p in str(cell.value).split("\n"))
        needed[row] = max(needed.get(row, 0.0), lines * size * 1.3 + 5)
    for row, height in needed.items():
        dim = ws.row_dimensions[row]
        if height > (dim.ht or 15):
            dim.ht = math.ceil(height / 0.75) * 0.75


def _col_width(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    if dim is None or dim.hidden:
        return 8.43 if dim is None else 0.0
    return float(dim.width) if dim.customWidth else 8.43
