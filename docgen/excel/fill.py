"""Fill an Excel template workbook from a context: docgen's xlsx engine.

Consultants restyle the template workbooks in Excel or LibreOffice; everything
data-driven lives in the workbook itself, written in the template language below.

**Cells.** Any cell text may hold Jinja (``{{ … }}``, ``{% … %}``). A cell that is exactly
one ``{{ expression }}`` keeps the value's type: numbers stay numbers, dates become dates
(shown ``dd.mm.yyyy`` unless the cell already has a date format), bools stay bools and
``None`` leaves the cell empty. Other text renders to a string. Every rendered string is
stored as text, never as a formula; text starting with ``= + - @`` also gets Excel's
quote prefix. Formulas (cells starting with ``=``) belong to the template: they are never
rendered, only moved.

**Repeating rows.** A row whose column A is ``{%tr for c in criteria %}`` starts a region
and a row whose column A is ``{%tr endfor %}`` ends it. The rows between (the body) are
written once per item with ``c`` and ``loop`` (``loop.index``, ``loop.first``, …) in
scope; both marker rows disappear, and zero items remove the body. ``{%tr if expr %}`` …
``{%tr endif %}`` keeps its body once or not at all. A sheet may hold several regions;
they cannot be nested.

**Repeating sheets.** A row whose column A is ``{%sheet for a in applicants %}`` makes one
copy of the whole sheet per item (in place of the template sheet; none for no items), with
``a``, ``loop`` and ``sheet_loop`` in scope everywhere on it, regions included. The tab
name is the Jinja text in column B of that row (else the template's tab name), e.g.
``{{ a.id or "Ansøger " ~ loop.index }}``; the marker row disappears.

**What follows the rows.** Formulas in body rows behave like Excel's fill-down: relative
references move with each copy, and a reference to the body with absolute rows
(``$D$7``) means the whole filled column. Formulas elsewhere are moved, and a reference
to body rows is widened to all copies: ``=SUM(D7:D7)`` or ``=AVERAGE(D7)`` become
``…(D7:D21)``. Data validations, conditional formats, merged cells, row heights and styles
are copied per body row; tables, print area, print titles, page breaks, freeze panes,
defined names and images follow. Jinja is rendered in data-validation formulas and
messages (``"{{ recommendations|join(',') }}"``), defined names and header/footer text.
Rows with wrapped text grow (never shrink) so the text fits. See ``docgen.excel.refs``.
Not supported: nested regions, formulas on other sheets that name a repeated sheet (left
as written, so they break), Excel tables on repeated sheets (names must be unique).

**Charts and data-driven formats** are declared in a sheet named ``_docgen_spec`` (removed
from the output; see ``docgen.excel.charts``), one per row, column A the kind and the other
cells ``key=value``, references in template coordinates::

    chart   sheet=Rollestjerne  type=radar  style=marker  anchor=B20  width=18  height=12
            title=Rollestjernen  categories=$B$9  series=$D$8:$D$9  series=$E$8:$E$9
            colours=1F4E79,C55A11  min={{ role_star.scale.min }}  max=…  major=2  legend=bottom
    format  sheet=Parathed  range=$F$20  for=b in readiness.bands
            formula=AND(ISNUMBER($F$20),$F$20>={{ b.min }},$F$20<={{ b.max }})
            fill={{ b.colour }}  font=FFFFFF

``sheet`` is the template's tab name (a repeated sheet gets the item on every copy).
Chart keys: ``type`` (radar, bar, col, line), ``style`` (radar: marker, standard,
filled), ``anchor``, ``width``/``height`` (cm), ``title``, ``categories``, ``series``
(repeatable; a series range's first row is its name), ``colours``, ``min``/``max``/``major``
(value axis), ``legend`` (bottom, right, top, left, none). A ``format`` adds one
conditional-format rule per item of ``for`` (or one rule): ``formula`` and ``fill``
(RRGGBB) are Jinja, ``font`` defaults to black or white, whichever reads better.
Values may hold Jinja. ``fill_workbook(charts=[{...}])`` takes the same keys in code
(``"series": [...]``).

**Metadata.** With ``metadata={...}`` a very hidden, protected sheet ``_docgen`` gets one
key/value row per entry, then ``name:<sheet>:<name>`` = reference for every defined name
starting with ``docgen_`` (sheet-scoped names follow their sheet copies, so ``collect``
finds e.g. each applicant's ``docgen_scores``), then ``layout_checksum``
(:func:`layout_checksum`: all locked, non-empty cells; unlocked input cells excluded).

**Warnings** (no case data) list what openpyxl would drop from the template: shapes,
form controls, VML objects, extension-list validations and formats, kept charts, macros.

**Output** is byte-stable: fixed document dates (``created``), no author, fixed zip times.

**Many workbooks from one template** (a scoresheet per panel member): :func:`load_template`
reads, inspects and parses the template once; :func:`fill_workbook` then works on a deep
copy of the parsed workbook, several times cheaper than parsing it again, and gives the
same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings as pywarnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_STORED, ZipFile

from jinja2 import Environment
from openpyxl import load_workbook
from openpyxl.utils.bound_dictionary import BoundDictionary
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook

from docgen.excel.cells import Renderer, has_jinja
from docgen.excel.charts import SPEC_SHEET, apply_specs, read_spec_sheet, specs_from_code
from docgen.excel.meta import (
    CHECKSUM_KEY,
    META_SHEET,
    docgen_names,
    inspect_template,
    layout_checksum,
    read_metadata,
    stable_zip,
    write_metadata,
)
from docgen.excel.refs import rewrite_expression
from docgen.excel.regions import (
    SheetPlan,
    apply_plan,
    make_resolver,
    plan_sheet,
)
from docgen.excel.sheets import expand_sheet_loops

__all__ = [
    "CHECKSUM_KEY",
    "DEFAULT_CREATED",
    "META_SHEET",
    "SPEC_SHEET",
    "FillResult",
    "LoadedTemplate",
    "fill_workbook",
    "inspect_template",
    "layout_checksum",
    "load_template",
    "read_metadata",
]

DEFAULT_CREATED = dt.datetime(2026, 1, 1)
"""Document date written when the caller gives none (output must not depend on the clock)."""


@dataclass(frozen=True)
class FillResult:
    """A rendered workbook and what the engine noticed on the way."""

    data: bytes
    """The .xlsx file."""
    warnings: tuple[str, ...] = ()
    """Template features openpyxl drops, and declared items left out; never case data."""
    layout_checksum: str = ""
    """:func:`layout_checksum` of the rendered workbook (also in ``_docgen`` when written)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """``name:<sheet>:<name>`` → reference, for every defined name starting ``docgen_``."""


@dataclass(frozen=True)
class LoadedTemplate:
    """A workbook template read, inspected and parsed once; never changed by a fill."""

    name: str
    workbook: Workbook
    warnings: tuple[str, ...]


def load_template(template: Path | bytes) -> LoadedTemplate:
    """Read and parse a workbook template for any number of :func:`fill_workbook` calls."""
    if isinstance(template, Path):
        raw, name = template.read_bytes(), template.name
    else:
        raw, name = template, "workbook"
    found = inspect_template(raw)
    wb = _load(raw, found)
    return LoadedTemplate(name, wb, tuple(found))


def fill_workbook(
    template: Path | bytes | LoadedTemplate,
    context: Mapping[str, Any],
    env: Environment,
    *,
    charts: Iterable[Mapping[str, Any]] | None = None,
    metadata: Mapping[str, Any] | None = None,
    created: dt.date = DEFAULT_CREATED,
) -> FillResult:
    """Render ``template`` with ``context`` in ``env`` and return the workbook bytes.

    ``template`` is a file, its bytes or a :func:`load_template` result (for many fills).
    ``env`` must be docgen's sandboxed environment without autoescaping
    (``docgen.jinja.make_env(autoescape=False)``). ``charts`` adds charts to those
    declared in the template's ``_docgen_spec`` sheet; ``metadata`` (key → value) adds the
    hidden ``_docgen`` sheet; ``created`` is the document date written into the file.

    Raises:
        TemplateError: the template is broken (bad marker, Jinja syntax, unknown name).
        RenderError: a value could not be rendered (e.g. an empty value printed).
    """
    if isinstance(template, LoadedTemplate):
        name, found, wb = template.name, list(template.warnings), _copy_workbook(template.workbook)
    else:
        loaded = load_template(template)
        name, found, wb = loaded.name, list(loaded.warnings), loaded.workbook
    renderer = Renderer(env, name)
    specs = read_spec_sheet(wb) + specs_from_code(charts or ())
    ctx = dict(context)
    plans: dict[str, SheetPlan] = {}
    for ws, sheet_ctx, template_title in expand_sheet_loops(wb, ctx, renderer, found.append):
        plans[ws.title.casefold()] = plan_sheet(ws, sheet_ctx, template_title, renderer)
    for plan in plans.values():
        apply_plan(plan, plans, renderer)
    _render_workbook_names(wb, renderer, ctx, plans)
    apply_specs(specs, plans, renderer, found.append)
    names = docgen_names(wb)
    checksum = layout_checksum(wb)
    if metadata is not None:
        entries = [(str(k), "" if v is None else str(v)) for k, v in metadata.items()]
        write_metadata(wb, [*entries, *names, (CHECKSUM_KEY, checksum)])
    return FillResult(
        data=_save(wb, created),
        warnings=tuple(dict.fromkeys(found)),
        layout_checksum=checksum,
        names=dict(names),
    )


def _copy_workbook(wb: Workbook) -> Workbook:
    """A deep copy of a parsed workbook that fills to the same bytes as a fresh parse.

    Plain ``copy.deepcopy`` empties openpyxl's style lists (``IndexedList``) and mixes up
    the arguments of its row and column holders (``BoundDictionary``), so those are
    copied first, by hand, and handed to ``deepcopy`` through its memo.
    """
    memo: dict[int, Any] = {}
    found: list[Any] = []
    for obj in (wb, *wb._sheets):  # empty copies first: they refer to each other
        for value in vars(obj).values():
            if id(value) not in memo and isinstance(value, (IndexedList, BoundDictionary)):
                kind: Any = type(value)
                memo[id(value)] = kind.__new__(kind)
                found.append(value)
    for value in found:
        new = memo[id(value)]
        if isinstance(value, IndexedList):
            list.extend(new, copy.deepcopy(list(value), memo))
            new._rebuild_dict()  # its value → index map, as the original has it
        else:
            new.__dict__.update(copy.deepcopy(vars(value), memo))
            new.default_factory = copy.deepcopy(value.default_factory, memo)
            for key, item in value.items():
                dict.__setitem__(new, key, copy.deepcopy(item, memo))
    copied: Workbook = copy.deepcopy(wb, memo)
    return copied


def _load(raw: bytes, found: list[str]) -> Workbook:
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        # Rich text is kept: a cell may mix formats (a bold label over a plain description).
        wb = load_workbook(BytesIO(raw), rich_text=True)
    found.extend(f"openpyxl: {w.message}" for w in caught)
    for reserved in (META_SHEET,):
        if reserved in wb.sheetnames:
            wb.remove(wb[reserved])
    return wb


def _render_workbook_names(wb: Workbook, renderer: Renderer, ctx: Mapping[str, Any],
                           plans: Mapping[str, SheetPlan]) -> None:
    resolve = make_resolver(plans, "")
    for dname in wb.defined_names.values():
        text = dname.attr_text
        if has_jinja(text):
            text = renderer.render(text, ctx, f"defined name {dname.name}")
        dname.attr_text = rewrite_expression(text, resolve)


def _fixed_time(created: dt.date) -> dt.datetime:
    if not isinstance(created, dt.datetime):
        return dt.datetime.combine(created, dt.time())
    if created.tzinfo is not None:
        return created.astimezone(dt.UTC).replace(tzinfo=None)
    return created


def _save(wb: Workbook, created: dt.date) -> bytes:
    created = _fixed_time(created)
    props = wb.properties
    props.creator = props.lastModifiedBy = props.title = props.subject = None
    props.description = props.keywords = props.category = None
    props.created = props.modified = created
    wb.calculation.fullCalcOnLoad = True
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    if visible and wb.active not in visible:
        wb.active = wb.worksheets.index(visible[0])
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415 - with openpyxl, when used

    out = BytesIO()
    # stored, not deflated: stable_zip compresses every part once, after fixing its time
    ExcelWriter(wb, ZipFile(out, "w", ZIP_STORED, allowZip64=True)).save()
    return stable_zip(out.getvalue(), created)

