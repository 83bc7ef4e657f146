"""Excel template checks, following the language of :mod:`docgen.excel.fill`.

See :mod:`docgen.templates.lint` for the linter as a whole.

Each cell is a template of its own, so its blocks must close in the cell. Row markers
``{%tr for x in xs %}`` … ``{%tr endfor %}`` (and ``{%tr if %}`` … ``{%tr endif %}``)
stand alone in column A; their rows see ``x`` and ``loop``. ``{%sheet for x in xs %}``
in column A repeats the sheet (``x``, ``loop``, ``sheet_loop`` everywhere on it; the tab
name is the Jinja text in column B). Jinja is also filled in data-validation formulas
and messages, defined names, header/footer text and the ``_docgen_spec`` sheet; it is
*not* filled in formulas, conditional formats, cell notes or sheet names, so Jinja there
is a problem. Locations are ``Sheet!A1``.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from docgen.templates.findings import Finding, Knowledge, Tag
from docgen.templates.names import (
    item_of,
    loop_node,
    resolve_expression,
)
from docgen.templates.tags import check_tags
from docgen.templates.variables import Node

# Mirrors docgen.excel.regions (_DIRECTIVE_RE, FOR_RE, _IF_RE) (the engine's marker syntax).
_DIRECTIVE_RE = re.compile(r"^\{%-?\s*(?P<kind>tr|sheet)\s+(?P<body>.*?)\s*-?%\}$", re.S)
_FOR_RE = re.compile(r"^for\s+(?P<var>[A-Za-z_]\w*)\s+in\s+(?P<expr>.+)$", re.S)
_IF_RE = re.compile(r"^if\s+(?P<expr>.+)$", re.S)
_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPEN_RE = re.compile(r"\{\{|\{%|\{#")
_CLOSE_RE = re.compile(r"\}\}|%\}|#\}")
_MARKS = ("{{", "{%", "{#")
SPEC_SHEET = "_docgen_spec"
META_SHEET = "_docgen"
SPEC_KINDS = ("chart", "format")
XLSX_LOOP = ("index", "index0", "revindex", "first", "last", "length")
"""Attributes of the engine's ``loop`` for repeated rows and sheets.

The same as ``docgen.excel.cells.LoopInfo``.
"""


def has_jinja(value: object) -> bool:
    """Whether a value is text holding Jinja."""
    return isinstance(value, str) and any(m in value for m in _MARKS)


def _tags(text: str, where: str) -> tuple[list[Tag], list[Finding]]:
    tags = [Tag(m.group(0), where, text) for m in _TAG_RE.finditer(text)]
    blank = _TAG_RE.sub(lambda m: " " * len(m.group(0)), text)
    stray = _OPEN_RE.search(blank) or _CLOSE_RE.search(blank)
    found = []
    if stray:
        what = ("starts but does not end" if _OPEN_RE.match(stray.group(0))
                else "ends without a start")
        found.append(Finding(Tag("", where, text), f"a tag '{stray.group(0)}…' {what}"))
    return tags, found


def check_text(text: str, where: str, know: Knowledge) -> list[Finding]:
    """Every check on one Jinja text (a cell, a message, a name): it is a template alone."""
    tags, found = _tags(text, where)
    checked = check_tags(tags, know, word=False)
    for finding in checked.findings:
        if finding.message.endswith("never closed with {% endfor %}"):
            finding = Finding(finding.tag, finding.message + (
                "; a cell is a template of its own: to repeat rows, put {%tr for … %} alone "
                "in column A of a row of its own and {%tr endfor %} below"))
        found.append(finding)
    return found


def _with(know: Knowledge, **names: Node) -> Knowledge:
    return dataclasses.replace(know, extra={**know.extra, **names})


def _xlsx_loop() -> Node:
    return loop_node(XLSX_LOOP)


def _sheet_scope(ws: Worksheet, know: Knowledge, found: list[Finding]) -> Knowledge:
    """The names a ``{%sheet for %}`` marker puts in scope on its sheet."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        cell = row[0]
        text = cell.value
        if not isinstance(text, str):
            continue
        marker = _DIRECTIVE_RE.match(text.strip())
        if marker is None or marker["kind"] != "sheet":
            continue
        where = f"{ws.title}!{cell.coordinate}"
        loop = _FOR_RE.match(marker["body"])
        if loop is None:
            found.append(Finding(Tag(text, where, text), "write {%sheet for x in list %}"))
            return know
        node, problems = resolve_expression(loop["expr"], know, Tag(text, where, text))
        found.extend(problems)
        inner = _with(know, **{loop["var"]: item_of(node)}, loop=_xlsx_loop(),
                      sheet_loop=_xlsx_loop())
        title = ws.cell(row=cell.row, column=2).value
        if has_jinja(title):
            found.extend(check_text(str(title), f"{ws.title}!B{cell.row}", inner))
        return inner
    return know


def _markers(ws: Worksheet, found: list[Finding]) -> list[tuple[int, str, Tag]]:
    """The ``{%tr … %}`` marker rows of a sheet: (row, body, tag); misplaced ones reported."""
    markers = []
    for (row, col), cell in sorted(ws._cells.items()):
        text = cell.value
        if not (isinstance(text, str) and text.lstrip().startswith("{%")):
            continue
        marker = _DIRECTIVE_RE.match(text.strip())
        if marker is None:
            continue
        where = f"{ws.title}!{cell.coordinate}"
        if col != 1:
            found.append(Finding(Tag(text, where, text),
                                 "marker rows must have the marker in column A"))
            continue
        if marker["kind"] == "tr":
            markers.append((row, marker["body"], Tag(text, where, text)))
    return markers


def _regions(ws: Worksheet, know: Knowledge, found: list[Finding]) -> dict[int, Knowledge]:
    """Row → the scope of that row inside a ``{%tr %}`` region."""
    scopes: dict[int, Knowledge] = {}
    opened: tuple[int, str, Knowledge, Tag] | None = None
    for row, body, tag in _markers(ws, found):
        start = _FOR_RE.match(body) or _IF_RE.match(body)
        if start is not None:
            if opened is not None:
                found.append(Finding(tag, "row regions cannot be nested or overlap; close the "
                                          f"region opened at {opened[3].where} first"))
                continue
            node, problems = resolve_expression(start["expr"], know, tag)
            found.extend(problems)
            inner = know
            if start.re is _FOR_RE:
                inner = _with(know, **{start["var"]: item_of(node)}, loop=_xlsx_loop())
            opened = (row, body.split()[0], inner, tag)
            continue
        if opened is None or body != "end" + opened[1]:
            found.append(Finding(tag, f"unexpected marker {{%tr {body} %}}"
                                 + ("" if opened is None else
                                    f"; the region at {opened[3].where} needs "
                                    f"{{%tr end{opened[1]} %}}")))
            continue
        first = opened[0]
        if row - first < 2:  # noqa: PLR2004
            found.append(Finding(tag, "a region needs at least one row between its markers"))
        for r in range(first + 1, row):
            scopes[r] = opened[2]
        opened = None
    if opened is not None:
        found.append(Finding(opened[3], f"no {{%tr end{opened[1]} %}} row for this region"))
    return scopes


def _cells(ws: Worksheet, know: Knowledge, scopes: dict[int, Knowledge]) -> Iterator[Finding]:
    for (row, _col), cell in sorted(ws._cells.items()):
        text = cell.value
        where = f"{ws.title}!{cell.coordinate}"
        if cell.comment is not None and has_jinja(cell.comment.text):
            yield Finding(Tag("", where, cell.comment.text),
                          "Jinja in a cell note is never filled in")
        if not has_jinja(text):
            continue
        if cell.data_type == "f" or str(text).startswith("="):
            yield Finding(Tag("", where, str(text)),
                          "Jinja in a formula is never filled in (formulas belong to the "
                          "template); put the value in a cell of its own and refer to it")
            continue
        if _DIRECTIVE_RE.match(str(text).strip()):
            continue
        yield from check_text(str(text), where, scopes.get(row, know))


def _rules(ws: Worksheet, know: Knowledge) -> Iterator[Finding]:
    yield from _validations(ws, know)
    yield from _formats(ws)
    yield from _header_footer(ws, know)
    for name, dn in ws.defined_names.items():
        if has_jinja(dn.attr_text):
            yield from check_text(str(dn.attr_text), f"{ws.title} (defined name {name})", know)


def _validations(ws: Worksheet, know: Knowledge) -> Iterator[Finding]:
    for dv in ws.data_validations.dataValidation:
        where = f"{ws.title}!{dv.sqref} (data validation)"
        for attr in ("formula1", "formula2", "prompt", "promptTitle", "error", "errorTitle"):
            text = getattr(dv, attr)
            if has_jinja(text):
                yield from check_text(str(text), where, know)


def _formats(ws: Worksheet) -> Iterator[Finding]:
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            for formula in rule.formula or []:
                if has_jinja(formula):
                    yield Finding(Tag("", f"{ws.title}!{cf.sqref} (conditional format)", formula),
                                  "Jinja in a conditional format is never filled in; declare "
                                  "data-driven formats in the _docgen_spec sheet")


def _header_footer(ws: Worksheet, know: Knowledge) -> Iterator[Finding]:
    hf = ws.HeaderFooter
    for item in (hf.oddHeader, hf.oddFooter, hf.evenHeader, hf.evenFooter,
                 hf.firstHeader, hf.firstFooter):
        for part in (item.left, item.center, item.right) if item else ():
            if has_jinja(part.text):
                yield from check_text(str(part.text), f"{ws.title} (header/footer)", know)


def _spec_sheet(ws: Worksheet, know: Knowledge, sheets: dict[str, Knowledge]) -> Iterator[Finding]:
    for row in ws.iter_rows():
        kind = str(row[0].value or "").strip().lower()
        if not kind or kind.startswith("#"):
            continue
        where = f"{SPEC_SHEET}!A{row[0].row}"
        values: dict[str, list[tuple[str, str]]] = {}
        for cell in row[1:]:
            text = str(cell.value or "").strip()
            if text:
                key, _, value = text.partition("=")
                values.setdefault(key.strip().lower(), []).append((value.strip(),
                                                                   cell.coordinate))
        if kind not in SPEC_KINDS:
            yield Finding(Tag("", where, kind), f"unknown kind '{kind}'; use one of: "
                                                + ", ".join(SPEC_KINDS))
            continue
        sheet = (values.get("sheet") or [("", "")])[0][0]
        scope = sheets.get(sheet.casefold())
        if scope is None:
            yield Finding(Tag("", where, sheet), f"no sheet named '{sheet}'")
            scope = know
        loop = values.get("for")
        if kind == "format" and loop:
            text, coord = loop[0]
            tag = Tag(text, f"{SPEC_SHEET}!{coord}", text)
            found = _FOR_RE.match("for " + text)
            if found is None:
                yield Finding(tag, "write for=x in list")
            else:
                node, problems = resolve_expression(found["expr"], scope, tag)
                yield from problems
                scope = _with(scope, **{found["var"]: item_of(node)}, loop=_xlsx_loop())
        for key, items in values.items():
            for text, coord in items:
                if key != "for" and has_jinja(text):
                    yield from check_text(text, f"{SPEC_SHEET}!{coord}", scope)


def check_workbook(path: Path, know: Knowledge) -> list[Finding]:
    """Every check on one Excel template for one document kind."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path, rich_text=False)
    found: list[Finding] = []
    sheets: dict[str, Knowledge] = {}
    regions: dict[str, dict[int, Knowledge]] = {}
    for ws in wb.worksheets:
        if ws.title in (META_SHEET, SPEC_SHEET):
            continue
        if has_jinja(ws.title):
            found.append(Finding(Tag("", ws.title, ws.title),
                                 "a sheet name is never filled in; name repeated sheets with "
                                 "Jinja text in column B of the {%sheet for … %} row"))
        scope = _sheet_scope(ws, know, found)
        sheets[ws.title.casefold()] = scope
        regions[ws.title] = _regions(ws, scope, found)
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        if ws.title == SPEC_SHEET:
            found.extend(_spec_sheet(ws, know, sheets))
            continue
        scope = sheets[ws.title.casefold()]
        found.extend(_cells(ws, scope, regions[ws.title]))
        found.extend(_rules(ws, scope))
    for name, dn in wb.defined_names.items():
        if has_jinja(dn.attr_text):
            found.extend(check_text(str(dn.attr_text), f"defined name {name}", know))
    order = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    return sorted(found, key=lambda f: _position(f.tag.where, order))


def _position(where: str, order: dict[str, int]) -> tuple[int, int, int]:
    """Sort key of a location: sheet order, then row, then column."""
    sheet, _, ref = where.partition("!")
    found = re.match(r"^\$?([A-Z]{1,3})\$?(\d+)", ref)
    if found is None:
        return order.get(sheet.split(" (")[0], len(order)), 1 << 30, 0
    col = 0
    for ch in found.group(1):
        col = col * 26 + ord(ch) - 64
    return order.get(sheet, len(order)), int(found.group(2)), col

