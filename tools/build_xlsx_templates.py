"""Build the shipped Excel templates: scoreark, rollestjerne and parathed.

Run from the project root: ``python tools/build_xlsx_templates.py [OUT_DIR]`` (default
``templates/xlsx``). The files are ordinary workbooks in docgen's template language (see
``docgen.excel.fill``); consultants restyle them in Excel or LibreOffice afterwards. This
script only gives them their first, consistent look; the output is byte-stable.
"""

from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from docgen.excel.meta import stable_zip  # noqa: E402

FONT = "Calibri"  # LibreOffice renders it with Carlito, its metric twin
NAVY = "1F4E79"
PALE = "DDEBF7"
INPUT = "FFF8E1"
GREY = "595959"
LINE = "A6A6A6"
WARN_FILL = "FCE4D6"
WARN_TEXT = "843C0C"
BUILT = dt.datetime(2026, 1, 1)
_thin = Side(style="thin", color=LINE)
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
UNDERLINE = Border(bottom=_thin)


def new_workbook() -> Workbook:
    """A workbook whose default font is Calibri 10."""
    wb = Workbook()
    base = Font(name=FONT, size=10, family=2)
    wb._fonts = IndexedList([base])
    wb._named_styles.clear()
    wb.add_named_style(NamedStyle(name="Normal", font=Font(name=FONT, size=10, family=2),
                                  builtinId=0))
    return wb


def put(ws: Worksheet, ref: str, value: Any = None, *, size: float = 10, bold: bool = False,
        italic: bool = False, color: str = "000000", fill: str | None = None,
        border: Border | None = None, h: str = "left", v: str = "top", wrap: bool = True,
        locked: bool = True, fmt: str | None = None, merge: str | None = None) -> None:
    """Write and style one cell (and the cells it is merged with)."""
    cell = ws[ref]
    if value is not None:
        cell.value = value
    targets = ws[merge] if merge else ((cell,),)
    for row in targets:
        for c in row:
            c.font = Font(name=FONT, size=size, bold=bold, italic=italic, color=color)
            indent = 1 if h in ("left", "right") and (border is BOX or fill) else 0
            c.alignment = Alignment(horizontal=h, vertical=v, wrap_text=wrap, indent=indent)
            if fill:
                c.fill = PatternFill("solid", start_color=fill, end_color=fill)
            if border:
                c.border = border
            if not locked:
                c.protection = Protection(locked=False)
            if fmt:
                c.number_format = fmt
    if merge:
        ws.merge_cells(merge)


def title_block(ws: Worksheet, row: int, title: str, last_col: str) -> None:
    """Title line and the organisation/case line under it."""
    put(ws, f"B{row}", title, size=18, bold=True, color=NAVY, v="center", wrap=False,
        merge=f"B{row}:{last_col}{row}")
    ws.row_dimensions[row].height = 30
    put(ws, f"B{row + 1}", "{{ organisation.name }}{% if organisation.unit %} · "
        "{{ organisation.unit }}{% endif %} · Sag {{ case.reference }}", size=11, color=GREY,
        merge=f"B{row + 1}:{last_col}{row + 1}")
    ws.row_dimensions[row + 1].height = 18


def section(ws: Worksheet, ref: str, text: str, merge: str | None = None, *,
            gap: bool = False) -> None:
    """A section heading with a rule under it; ``gap`` makes the next row a thin spacer
    (leave it empty) so that the rule stays off the text below."""
    put(ws, ref, text, size=13, bold=True, color=NAVY, v="bottom", wrap=False, merge=merge,
        border=Border(bottom=Side(style="medium", color=NAVY)))
    row = ws[ref].row
    ws.row_dimensions[row].height = 24
    if gap:
        ws.row_dimensions[row + 1].height = 5


def headers(ws: Worksheet, row: int, labels: dict[str, str],
            centred: tuple[str, ...] = ()) -> None:
    """A table header row: white bold text on navy, aligned like the column's values."""
    for col, text in labels.items():
        put(ws, f"{col}{row}", text, bold=True, color="FFFFFF", fill=NAVY, border=BOX,
            v="center", h="center" if col in centred else "left")
    ws.row_dimensions[row].height = 30


def marker(ws: Worksheet, row: int, text: str, tab: str | None = None) -> None:
    """A marker row (removed when rendering), greyed so consultants recognise it."""
    put(ws, f"A{row}", text, size=8, italic=True, color="808080", wrap=False)
    if tab is not None:
        put(ws, f"B{row}", tab, size=8, italic=True, color="808080", wrap=False)


def widths(ws: Worksheet, cols: dict[str, float]) -> None:
    """Set column widths."""
    for col, width in cols.items():
        ws.column_dimensions[col].width = width


def page(ws: Worksheet, *, landscape: bool, title_rows: str | None = None,
         one_page: bool = False) -> None:
    """A4, fit to page width (and height with ``one_page``), margins, footer, no grid lines."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.55, bottom=0.7,
                                  header=0.25, footer=0.3)
    if title_rows:
        ws.print_title_rows = title_rows
    ws.sheet_view.showGridLines = False
    if not ws.print_area:
        # An explicit print area spares LibreOffice a search for the used area of every
        # sheet: a workbook of scoresheets converts to PDF in half the time with one.
        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    footer = ws.oddFooter
    footer.left.text = "{{ case.reference }} · {{ organisation.name }}"
    footer.center.text = "&A"
    footer.right.text = "Side &P af &N"
    for part in (footer.left, footer.center, footer.right):
        part.size, part.font, part.color = 8, f"{FONT},Regular", GREY


def protect(ws: Worksheet) -> None:
    """Sheet protection without a password; rows and columns may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def list_validation(formula: str, title: str, message: str) -> DataValidation:
    """A drop-down list with a Danish error message."""
    return DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                          showErrorMessage=True, errorTitle=title, error=message,
                          errorStyle="stop")


def local_name(ws: Worksheet, name: str, ref: str) -> None:
    """A sheet-scoped defined name (``docgen_*`` names are listed in the metadata)."""
    quoted = "'" + ws.title.replace("'", "''") + "'"
    ws.defined_names[name] = DefinedName(name=name, attr_text=f"{quoted}!{ref}")


# --------------------------------------------------------------------------- scoreark


def scoreark() -> Workbook:
    """The panel member's scoresheet: a front sheet and one sheet per applicant."""
    wb = new_workbook()
    front = wb.active
    front.title = "Vejledning"
    scoreark_front(front)
    scoreark_applicant(wb.create_sheet("Ansøger"))
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


SCALE_TEXT = ("{% for s in scale.steps %}{{ s.value }} = {{ s.label }}{% if not loop.last %} · "
              "{% endif %}{% endfor %}")
BLANK_TEXT = "Tomt felt = ikke vurderet (kriteriet blev ikke belyst)"


def scoreark_front(ws: Worksheet) -> None:
    widths(ws, {"A": 3, "B": 24, "C": 50, "D": 26})
    title_block(ws, 1, "Scoreark til ansættelsessamtaler", "D")
    rows = [
        ("Panelmedlem", "{{ member.name }}{% if member.title %}, {{ member.title }}{% endif %}"),
        ("Stilling", "{{ position.title }}{% if position.hours_per_week %}, "
                     "{{ position.hours_per_week|tal }} timer om ugen{% endif %}"),
        ("Samtalen", "Samtalen varer højst {{ interview.duration_minutes }} minutter"
                     "{% if interview.pause_minutes %}, og der er {{ interview.pause_minutes }} "
                     "minutters pause mellem samtalerne{% endif %}."
                     "{% if interview.location %} Sted: {{ interview.location|punktum }}"
                     "{% endif %}"),
    ]
    for n, (label, text) in enumerate(rows, start=4):
        put(ws, f"B{n}", label, bold=True, border=UNDERLINE)
        put(ws, f"C{n}", text, border=UNDERLINE, merge=f"C{n}:D{n}")
    put(ws, "B8", "Skriv ikke diagnoser, medicin, indlæggelser eller anden behandlingshistorik "
        "i noterne. Vurdér erfaringskompetencen og det, ansøgeren kan bidrage med i jobbet – "
        "ikke sygdom. Notér kun det, der belyser kriterierne.", bold=True, color=WARN_TEXT,
        fill=WARN_FILL, border=BOX, v="center", merge="B8:D8")
    ws.row_dimensions[8].height = 44
    section(ws, "B10", "Sådan bruger du arket", merge="B10:D10", gap=True)
    # Each step is either short enough for one line or clearly two: a row's height is an
    # estimate, and a step just over one line would otherwise leave a gap under it.
    steps = [
        "1. Hver ansøger har sit eget faneblad. Udfyld det under samtalen eller lige efter.",
        "2. Giv point for hvert kriterium i rullelisten ({{ scale.min }}–{{ scale.max }}), ud "
        "fra beskrivelsen under kriteriet. Lad feltet stå tomt, hvis kriteriet ikke blev "
        "belyst: Et tomt felt tæller ikke med, men {{ scale.min }} gør.",
        "3. Skriv korte noter om det, ansøgeren sagde og gjorde. Eksempler vejer tungere end "
        "indtryk.",
        "4. Vælg til sidst en samlet indstilling, og skriv dine vigtigste indtryk.",
        "5. Vurdér selv, og sammenlign først point med de andre i udvalget, når alle har "
        "udfyldt deres ark.",
        "6. Gem arket som .xlsx, og send det tilbage til HR uden at omdøbe fanebladene. HR "
        "gemmer arket i {{ case.retention_months }} måneder, efter at stillingen er besat, og "
        "sletter det derefter.",
    ]
    for n, text in enumerate(steps, start=12):
        put(ws, f"B{n}", text, merge=f"B{n}:D{n}")
    marker(ws, 18, "{%tr if pseudonymised %}")
    put(ws, "B19", "Ansøgerne står kun med et nummer i dit ark. Skriv ingen navne eller andre "
        "personoplysninger i arket. Når du har sendt arket tilbage til HR, sletter du din egen "
        "kopi – også fra din e-mail og dine overførsler.", bold=True, color=NAVY, fill=PALE,
        border=BOX, v="center", merge="B19:D19")
    ws.row_dimensions[19].height = 34
    marker(ws, 20, "{%tr endif %}")
    section(ws, "B22", "Pointskala", merge="B22:D22", gap=True)
    headers(ws, 24, {"B": "Point", "C": "Betydning"}, centred=("B",))
    ws.row_dimensions[24].height = 20
    marker(ws, 25, "{%tr for s in scale.steps %}")
    put(ws, "B26", "{{ s.value }}", bold=True, h="center", border=BOX, fill=PALE)
    put(ws, "C26", "{{ s.label }}", border=BOX)
    marker(ws, 27, "{%tr endfor %}")
    put(ws, "B28", "Tomt felt", bold=True, h="center", border=BOX)
    put(ws, "C28", "Ikke vurderet – kriteriet blev ikke belyst (tæller ikke med)", border=BOX)
    put(ws, "B29", "Samlet indstilling", bold=True, v="center")
    put(ws, "C29", "{{ recommendations|join(' · ') }}", merge="C29:D29", v="center")
    ws.row_dimensions[29].height = 22
    marker(ws, 31, "{%tr if sheet_applicants|selectattr('slot')|list %}")
    section(ws, "B32", "Tidsplan for samtalerne", merge="B32:D32", gap=True)
    headers(ws, 34, {"B": "Dato", "C": "Ansøger", "D": "Tidspunkt"})
    ws.row_dimensions[34].height = 20
    marker(ws, 35, "{%tr endif %}")
    marker(ws, 36, "{%tr for a in sheet_applicants|selectattr('slot')|list %}")
    put(ws, "B37", "{{ a.slot.start|ugedag|stort }} {{ a.slot.start|dato }}", border=BOX)
    put(ws, "C37", "{{ a.label }}", border=BOX)
    put(ws, "D37", "kl. {{ a.slot.start|tid }}–{{ a.slot.end|tid }}", border=BOX)
    marker(ws, 38, "{%tr endfor %}")
    page(ws, landscape=False, title_rows="34:34")
    protect(ws)


def scoreark_applicant(ws: Worksheet) -> None:
    widths(ws, {"A": 4.5, "B": 34, "C": 30, "D": 7, "E": 36, "F": 10})
    ws.column_dimensions["F"].hidden = True
    marker(ws, 1, "{%sheet for a in sheet_applicants %}", '{{ a.id or "Ansøger " ~ loop.index }}')
    title_block(ws, 2, "Scoreark · {{ position.title }}", "E")
    put(ws, "F3", "{{ a.id }}", size=8, wrap=False)
    facts = [
        (5, "Ansøger", "{{ a.label }}", 11),
        (6, "Samtale", "{% if a.slot %}{{ a.slot.start|ugedag|stort }} {{ a.slot.start|dato }}, "
                       "kl. {{ a.slot.start|tid }}–{{ a.slot.end|tid }} (højst "
                       "{{ interview.duration_minutes }} minutter){% endif %}", 10),
        (7, "Panelmedlem", "{{ member.name }}{% if member.title %}, {{ member.title }}"
                           "{% endif %}", 10),
    ]
    for row, label, value, size in facts:
        put(ws, f"B{row}", label, bold=True, border=UNDERLINE, v="center")
        put(ws, f"C{row}", value, border=UNDERLINE, v="center", size=size, merge=f"C{row}:E{row}")
        ws.row_dimensions[row].height = 18
    put(ws, "B8", "Husk: Skriv ikke diagnoser eller behandlingshistorik i noterne – kun det, "
        "der belyser kriterierne.", bold=True, color=WARN_TEXT, fill=WARN_FILL, border=BOX,
        v="center", merge="B8:E8")
    ws.row_dimensions[8].height = 20
    put(ws, "B9", f"Point: {SCALE_TEXT}. {BLANK_TEXT}.", size=9, italic=True, color=GREY,
        v="center", merge="B9:E9")
    ws.row_dimensions[10].height = 5
    headers(ws, 11, {"A": "Nr.", "B": "Kriterium – det ser du efter",
                     "C": "Spørgsmål, du kan stille", "D": "Point", "E": "Noter", "F": "id"},
            centred=("A", "D"))
    ws.row_dimensions[11].height = 22
    marker(ws, 12, "{%tr for c in criteria %}")
    put(ws, "A13", "{{ loop.index }}", h="center", border=BOX, color=GREY)
    put(ws, "B13", None, border=BOX)
    # The label in bold with the description under it in small type (rich text: docgen
    # renders each run on its own and drops the description's run when it is empty).
    ws["B13"].value = CellRichText([
        TextBlock(InlineFont(rFont=FONT, b=True, sz=10), "{{ c.label }}"),
        TextBlock(InlineFont(rFont=FONT, sz=8.5, color="404040"),
                  "{% if c.description %}\n{{ c.description }}{% endif %}"),
    ])
    put(ws, "C13", "{% for q in c.questions[:2] %}• {{ q }}{% if not loop.last %}\n"
        "{% endif %}{% endfor %}", size=8.5, border=BOX, color="262626")
    put(ws, "D13", None, size=14, bold=True, h="center", v="center", border=BOX, fill=INPUT,
        locked=False, fmt="0")
    put(ws, "E13", None, border=BOX, fill=INPUT, locked=False)
    put(ws, "F13", "{{ c.id }}", size=8, wrap=False)
    ws.row_dimensions[13].height = 40
    marker(ws, 14, "{%tr endfor %}")
    totals = [
        (15, "Antal vurderede kriterier", "=COUNT(D13)", "af {{ criteria|length }}", "0"),
        (16, "Sum af point", '=IF(COUNT(D13)=0,"",SUM(D13))', "", "0"),
        (17, "Gennemsnit af de vurderede kriterier", '=IF(COUNT(D13)=0,"",AVERAGE(D13))',
         "point på skalaen {{ scale.min }}–{{ scale.max }}", "0.0"),
    ]
    for row, label, formula, after, fmt in totals:
        put(ws, f"A{row}", label, bold=True, h="right", v="center", merge=f"A{row}:C{row}")
        put(ws, f"D{row}", formula, bold=True, h="center", v="center", border=BOX, fill=PALE,
            fmt=fmt)
        put(ws, f"E{row}", after, color=GREY, v="center")
        ws.row_dimensions[row].height = 17
    ws.row_dimensions[18].height = 6
    put(ws, "B19", "Samlet indstilling", bold=True, v="center", border=UNDERLINE)
    put(ws, "C19", None, size=12, bold=True, v="center", border=BOX, fill=INPUT, locked=False)
    put(ws, "D19", "Vælg i rullelisten: {{ recommendations|join(' · ') }}", size=8.5,
        italic=True, color=GREY, v="center", merge="D19:E19")
    ws.row_dimensions[19].height = 24
    put(ws, "B20", "Vigtigste indtryk\n(styrker, forbehold og det, udvalget bør tale om)",
        bold=True, border=UNDERLINE)
    put(ws, "C20", None, border=BOX, fill=INPUT, locked=False, merge="C20:E20")
    ws.row_dimensions[20].height = 72
    ws.row_dimensions[4].height = 6
    score = list_validation('"{{ range(scale.min, scale.max + 1)|join(\',\') }}"',
                            "Ugyldigt point", "Vælg et helt tal fra {{ scale.min }} til "
                            "{{ scale.max }}, eller lad feltet stå tomt, hvis kriteriet ikke "
                            "blev belyst.")
    score.showInputMessage = True
    score.promptTitle = "Point {{ scale.min }}–{{ scale.max }}"
    score.prompt = ("{% for s in scale.steps %}{{ s.value }} = {{ s.label }}\n{% endfor %}"
                    "Tomt = ikke vurderet (ikke belyst)")
    score.add("D13")
    ws.add_data_validation(score)
    advice = list_validation("\"{{ recommendations|join(',') }}\"", "Ugyldig indstilling",
                             "Vælg en af indstillingerne i listen.")
    advice.add("C19")
    ws.add_data_validation(advice)
    for name, ref in (("docgen_applicant_id", "$F$3"), ("docgen_criterion_ids", "$F$13"),
                      ("docgen_scores", "$D$13"), ("docgen_notes", "$E$13"),
                      ("docgen_recommendation", "$C$19"), ("docgen_takeaways", "$C$20")):
        local_name(ws, name, ref)
    page(ws, landscape=False, title_rows="11:11", one_page=True)
    protect(ws)


# ------------------------------------------------------------------------- rollestjerne


def rollestjerne() -> Workbook:
    """The role star: instructions, one row per spoke, and a radar chart."""
    wb = new_workbook()
    guide = wb.active
    guide.title = "Vejledning"
    rollestjerne_guide(guide)
    rollestjerne_sheet(wb.create_sheet("Rollestjerne"))
    spec = wb.create_sheet("_docgen_spec")
    spec.sheet_state = "hidden"
    spec.append(["# docgen: diagrammer og betingede formater. Se docgen.excel.fill."])
    spec.append(["chart", "sheet=Rollestjerne", "type=radar", "style=marker", "anchor=B12",
                 "width=24", "height=14", "title=Rollestjernen: {{ position.title }}",
                 "categories=$B$8", "series=$D$6:$D$8", "series=$E$6:$E$8",
                 "colours=1F4E79,C55A11", "min={{ role_star.scale.min }}",
                 "max={{ role_star.scale.max }}", "major=2", "legend=bottom"])
    return wb


def rollestjerne_guide(ws: Worksheet) -> None:
    widths(ws, {"A": 3, "B": 100})
    title_block(ws, 1, "Rollestjernen – vejledning", "B")
    paragraphs: list[tuple[str, str]] = [
        ("h", "Hvad er rollestjernen?"),
        ("p", "Rollestjernen hjælper jer med at blive enige om, hvilke opgaver der er "
              "centrale i jobbet som {{ position.title|lower }}, og hvordan peer-medarbejderen "
              "og kollegerne supplerer hinanden. Lederen og den nye peer-medarbejder udfylder "
              "den sammen, når ansættelsen begynder."),
        ("h", "Sådan gør I"),
        ("p", "1. Tag opgaveområderne på fanebladet Rollestjerne ét ad gangen; beskrivelsen "
              "siger, hvad de dækker."),
        ("p", "2. Kolonnen Organisationens ønske viser, hvor central organisationen tænker sig "
              "opgaven: {{ role_star.scale.min }} er ikke en del af jobbet, "
              "{{ role_star.scale.max }} er helt central. Ret tallet, hvis I bliver enige om "
              "noget andet."),
        ("p", "3. I kolonnen Peer-medarbejderens vurdering sætter peer-medarbejderen sit eget "
              "tal: hvor central opgaven er i jobbet, som det ser ud nu."),
        ("p", "4. Skriv, hvem i teamet der ellers tager sig af opgaven. Så bliver det tydeligt, "
              "hvor peer-medarbejderen bidrager med noget nyt, og hvor I deles om opgaven."),
        ("p", "5. Diagrammet under tabellen tegner begge vurderinger og følger med, når et tal "
              "ændres. Store forskelle mellem de to linjer er et godt sted at begynde samtalen."),
        ("p", "6. Gem rollestjernen, og tag den frem igen ved de næste opfølgningssamtaler. "
              "Rollen må gerne flytte sig, efterhånden som I får erfaringer."),
        ("h", "Spørgsmål, I kan tale ud fra"),
        ("p", "• Hvilke opgaver giver peer-medarbejderen mest energi – og hvilke dræner?"),
        ("p", "• Hvor kan erfaringerne med egen recovery gøre den største forskel for dem, "
              "vi er til for?"),
        ("p", "• Hvad skal kollegerne vide om rollen, og hvem kan peer-medarbejderen gå til "
              "med spørgsmål?"),
    ]
    row = 3
    for kind, text in paragraphs:
        row += 1
        if kind == "h":
            ws.row_dimensions[row].height = 8
            section(ws, f"B{row + 1}", text, gap=True)
            row += 2
        else:
            put(ws, f"B{row}", text)
    page(ws, landscape=False)
    protect(ws)


def rollestjerne_sheet(ws: Worksheet) -> None:
    widths(ws, {"A": 5, "B": 27, "C": 40, "D": 16, "E": 16, "F": 22, "G": 30})
    title_block(ws, 1, "Rollestjerne · {{ position.title }}", "G")
    put(ws, "B3", "Dato for samtalen", bold=True, v="center", border=UNDERLINE)
    put(ws, "C3", None, border=BOX, fill=INPUT, locked=False, v="center", fmt="dd.mm.yyyy")
    put(ws, "D3", "Deltagere", bold=True, v="center", h="right", border=UNDERLINE)
    put(ws, "E3", None, border=BOX, fill=INPUT, locked=False, v="center", merge="E3:G3")
    ws.row_dimensions[3].height = 22
    put(ws, "B4", "Skala: {{ role_star.scale.min }} = ikke en del af jobbet … "
        "{{ role_star.scale.max }} = helt central opgave. Gule felter udfyldes.",
        size=9, italic=True, color=GREY, v="center", merge="B4:G4")
    scale = "({{ role_star.scale.min }}–{{ role_star.scale.max }})"
    headers(ws, 6, {"A": "Nr.", "B": "Opgaveområde", "C": "Beskrivelse",
                    "D": f"Organisationens ønske {scale}",
                    "E": f"Peer-medarbejderens vurdering {scale}",
                    "F": "Dækkes også af", "G": "Noter"}, centred=("A", "D", "E"))
    ws.row_dimensions[6].height = 44
    marker(ws, 7, "{%tr for s in role_star.spokes %}")
    put(ws, "A8", "{{ loop.index }}", h="center", border=BOX, color=GREY)
    put(ws, "B8", "{{ s.label }}", bold=True, border=BOX)
    put(ws, "C8", "{{ s.description }}", size=9.5, border=BOX)
    for col in ("D", "E"):
        put(ws, f"{col}8", f"{{{{ s.{'desired' if col == 'D' else 'current'} }}}}", size=13,
            bold=True, h="center", v="center", border=BOX, fill=INPUT, locked=False, fmt="0")
    put(ws, "F8", "{{ s.covered_by }}", border=BOX, fill=INPUT, locked=False)
    put(ws, "G8", None, border=BOX, fill=INPUT, locked=False)
    ws.row_dimensions[8].height = 40
    marker(ws, 9, "{%tr endfor %}")
    ws.row_breaks.append(Break(id=10))
    section(ws, "B11", "Rollestjernen", merge="B11:G11")
    values = list_validation('"{{ range(role_star.scale.min, role_star.scale.max + 1)'
                             "|join(',') }}\"", "Ugyldigt tal",
                             "Vælg et helt tal fra {{ role_star.scale.min }} til "
                             "{{ role_star.scale.max }}.")
    values.add("D8:E8")
    ws.add_data_validation(values)
    ws.print_area = "A1:G40"
    page(ws, landscape=True)
    protect(ws)


# ---------------------------------------------------------------------------- parathed


def parathed() -> Workbook:
    """The readiness temperature check with scores, band and motivation questions."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Parathed"
    parathed_sheet(ws)
    spec = wb.create_sheet("_docgen_spec")
    spec.sheet_state = "hidden"
    spec.append(["# docgen: diagrammer og betingede formater. Se docgen.excel.fill."])
    spec.append(["format", "sheet=Parathed", "range=$D$11", "for=b in readiness.bands",
                 "formula=AND(COUNT($D$7)=ROWS($D$7),$F$9>={{ b.min }},$F$9<={{ b.max }})",
                 "fill={{ b.colour }}"])
    spec.append(["format", "sheet=Parathed", "range=$B$28:$C$28", "for=b in readiness.bands",
                 "formula=$H28={{ b.min }}", "fill={{ b.colour }}"])
    return wb


def parathed_sheet(ws: Worksheet) -> None:
    widths(ws, {"A": 4, "B": 21, "C": 54, "D": 9, "E": 14, "F": 7, "G": 36, "H": 6})
    ws.column_dimensions["H"].hidden = True
    title_block(ws, 1, "Temperaturmåling: Er vi klar til en peer-medarbejder?", "G")
    put(ws, "B3", "Besvar de {{ readiness.questions|length }} spørgsmål sammen – gerne ledelse, "
        "kommende kolleger og en person med egen erfaring med psykiske vanskeligheder. Vælg det "
        "svar, der passer bedst i dag (svarskalaen står nederst), og skriv i kolonnen Handling, "
        "hvad I vil gøre, hvor svaret er lavt. Gule felter udfyldes.", merge="B3:G3")
    scale = "({{ readiness.scale.min }}–{{ readiness.scale.max }})"
    headers(ws, 5, {"A": "Nr.", "B": "Tema", "C": "Spørgsmål", "D": f"Svar {scale}",
                    "E": "Betydning", "F": "Point", "G": "Handling / næste skridt"},
            centred=("A", "D", "F"))
    # Page 1 holds the questions and the verdict: keep the rows around them low.
    ws.row_dimensions[4].height = 6
    ws.row_dimensions[5].height = 24
    marker(ws, 6, "{%tr for q in readiness.questions %}")
    put(ws, "A7", "{{ loop.index }}", h="center", border=BOX, color=GREY)
    put(ws, "B7", "{{ q.theme }}", bold=True, border=BOX)
    put(ws, "C7", "{{ q.text }}", border=BOX)
    put(ws, "D7", "{{ q.answer }}", size=13, bold=True, h="center", v="center", border=BOX,
        fill=INPUT, locked=False, fmt="0")
    put(ws, "E7", '=IF(ISNUMBER(D7),IFERROR(INDEX($C$22,MATCH(D7,$B$22,0)),""),"")',
        size=9.5, border=BOX, v="center")
    put(ws, "F7", '=IF(ISNUMBER(D7),D7-MIN($B$22),"")', h="center", v="center", border=BOX,
        fill=PALE, fmt="0")
    put(ws, "G7", "{{ q.action }}", border=BOX, fill=INPUT, locked=False)
    ws.row_dimensions[7].height = 27
    marker(ws, 8, "{%tr endfor %}")
    # Until every question is answered the sum is marked provisional, with the count.
    put(ws, "C9", '=IF(COUNT(D7)<ROWS(D7),"Foreløbigt point","Samlet point")', bold=True,
        h="right", v="center")
    put(ws, "F9", '=IF(COUNT(D7)=0,"",SUM(F7))', bold=True, size=12, h="center", v="center",
        border=BOX, fill=PALE, fmt="0")
    put(ws, "G9", '=IF(COUNT(D7)<ROWS(D7),"kun "&COUNT(D7)&" af "&ROWS(D7)&" spørgsmål '
        'besvaret","af "&$H$9&" mulige")', color=GREY, v="center")
    put(ws, "H9", "{{ readiness.max_total }}", size=8, wrap=False)
    put(ws, "C10", "Besvarede spørgsmål", bold=True, h="right", v="center")
    put(ws, "F10", "=COUNT(D7)", h="center", v="center", border=BOX, fmt="0")
    put(ws, "G10", "af {{ readiness.questions|length }}", color=GREY, v="center")
    put(ws, "C11", "Vurdering", bold=True, size=12, h="right", v="center")
    put(ws, "D11", '=IF(COUNT(D7)<ROWS(D7),"Besvar alle "&ROWS(D7)&" spørgsmål for at se '
        'vurderingen",LOOKUP(F9,$H$28,$C$28))', bold=True, size=12, h="center", v="center",
        border=BOX, merge="D11:G11")
    for row in (9, 10):
        ws.row_dimensions[row].height = 20
    ws.row_dimensions[11].height = 30
    section(ws, "B13", "Motivation: hvorfor vil I have en peer-medarbejder?", merge="B13:G13")
    headers(ws, 14, {"A": "Nr.", "B": "Spørgsmål", "C": "", "D": "Jeres svar", "E": "",
                     "F": "", "G": ""}, centred=("A",))
    ws.merge_cells("B14:C14")
    ws.merge_cells("D14:G14")
    marker(ws, 15, "{%tr for m in readiness.motivation %}")
    put(ws, "A16", "{{ loop.index }}", h="center", border=BOX, color=GREY)
    put(ws, "B16", "{{ m.text }}", bold=True, border=BOX, merge="B16:C16")
    put(ws, "D16", "{{ m.answer }}", border=BOX, fill=INPUT, locked=False, merge="D16:G16")
    ws.row_dimensions[16].height = 38
    marker(ws, 17, "{%tr endfor %}")
    section(ws, "B19", "Svarskala", merge="B19:C19")
    headers(ws, 20, {"B": "Svar", "C": "Betydning"}, centred=("B",))
    ws.row_dimensions[20].height = 20
    marker(ws, 21, "{%tr for s in readiness.scale.steps %}")
    put(ws, "B22", "{{ s.value }}", bold=True, h="center", border=BOX, fill=PALE)
    put(ws, "C22", "{{ s.label }}", border=BOX)
    marker(ws, 23, "{%tr endfor %}")
    section(ws, "B25", "Sådan læses resultatet", merge="B25:C25")
    headers(ws, 26, {"B": "Point", "C": "Vurdering"}, centred=("B",))
    ws.row_dimensions[26].height = 20
    marker(ws, 27, "{%tr for b in readiness.bands %}")
    put(ws, "B28", "{{ b.min }}–{{ b.max }}", h="center", border=BOX)
    put(ws, "C28", "{{ b.label }}", border=BOX)
    put(ws, "H28", "{{ b.min }}", size=8, wrap=False)
    marker(ws, 29, "{%tr endfor %}")
    put(ws, "B30", "Resultatet er et udgangspunkt for en samtale, ikke en dom. Tag fat i de "
        "spørgsmål, der har fået de laveste svar, og aftal, hvem der gør hvad og hvornår.",
        size=9.5, italic=True, color=GREY, merge="B30:G30")
    ws.row_dimensions[30].height = 30
    put(ws, "B31", "Idéen til en temperaturmåling med ti spørgsmål kommer fra den amerikanske "
        "peer-organisation Western Mass Peer Network og er bragt videre i Danmark af "
        "Socialstyrelsen (2016). Spørgsmålene og skalaen i dette ark er formuleret på ny og er "
        "ikke en oversættelse.", size=8.5, italic=True, color=GREY, merge="B31:G31")
    ws.row_dimensions[31].height = 26
    answers = list_validation('"{{ range(readiness.scale.min, readiness.scale.max + 1)'
                              "|join(',') }}\"", "Ugyldigt svar",
                              "Vælg et helt tal fra {{ readiness.scale.min }} til "
                              "{{ readiness.scale.max }}.")
    answers.add("D7")
    ws.add_data_validation(answers)
    ws.row_breaks.append(Break(id=12))
    page(ws, landscape=True)
    protect(ws)


BUILDERS = {"scoreark.xlsx": scoreark, "rollestjerne.xlsx": rollestjerne,
            "parathed.xlsx": parathed}


def output_dir(argv: list[str]) -> Path:
    """OUT_DIR from the command line, default templates/xlsx (made if missing)."""
    root = Path(__file__).resolve().parents[1]
    out_dir = Path(argv[0]) if argv else root / "templates" / "xlsx"
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def save(wb: Workbook, target: Path) -> None:
    """Write ``wb`` byte-stable: no author, fixed zip times (rebuilding changes nothing)."""
    wb.properties.creator = None
    buffer = BytesIO()
    wb.save(buffer)
    target.write_bytes(stable_zip(buffer.getvalue(), BUILT))
    print(f"wrote {target}")


def main(argv: list[str]) -> int:
    """Write the three templates into OUT_DIR (default templates/xlsx)."""
    out_dir = output_dir(argv)
    for name, build in BUILDERS.items():
        save(build(), out_dir / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
