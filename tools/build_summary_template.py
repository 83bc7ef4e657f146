"""Build the shipped template of the panel's summary: ``templates/xlsx/scoreark_oversigt.xlsx``.

Run from the project root: ``python tools/build_summary_template.py [OUT_DIR]`` (default
``templates/xlsx``). ``docgen collect`` fills it (see ``docgen.scoring.summary`` for the
names it may use); consultants restyle it in Excel or LibreOffice afterwards. The look
follows the other shipped workbooks (the helpers come from ``build_xlsx_templates``);
the output is byte-stable.

Layout: an overview sheet (how to read it, the ranking, the panel with each member's
offset) and one sheet per applicant (criteria by members, mean, lowest, highest,
spread, flags, a consensus column; then each member's recommendation and take-aways).
Members fill six fixed columns (``slots``); unused ones stay empty and narrow.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from build_xlsx_templates import (  # noqa: E402
    BOX,
    GREY,
    INPUT,
    NAVY,
    PALE,
    headers,
    marker,
    new_workbook,
    output_dir,
    page,
    put,
    save,
    section,
    title_block,
    widths,
)

NAME = "scoreark_oversigt.xlsx"
SLOTS = "DEFGHI"
"""The six member columns on an applicant's sheet (``slots[0]`` … ``slots[5]``)."""
HIGH = "C6E0B4"
LOW = "F8CBAD"
FLAG = "F4B183"
GAP = "FFF2CC"


def oversigt() -> Workbook:
    """The summary workbook template."""
    wb = new_workbook()
    front = wb.active
    front.title = "Oversigt"
    overview(front)
    applicant(wb.create_sheet("Ansøger"))
    spec = wb.create_sheet("_docgen_spec")
    spec.sheet_state = "hidden"
    spec.append(["# docgen: betingede formater. Se docgen.excel.fill."])
    spec.append(["format", "sheet=Ansøger", "range=$N$10",
                 "formula=AND(ISNUMBER($N$10),$N$10>={{ threshold }})", f"fill={FLAG}"])
    spec.append(["format", "sheet=Ansøger", "range=$D$10:$I$10",
                 "formula=AND(ISNUMBER(D10),$N10>={{ threshold }},D10=$M10)", f"fill={HIGH}"])
    spec.append(["format", "sheet=Ansøger", "range=$D$10:$I$10",
                 "formula=AND(ISNUMBER(D10),$N10>={{ threshold }},D10=$L10)", f"fill={LOW}"])
    spec.append(["format", "sheet=Ansøger", "range=$D$10:$I$10",
                 'formula=AND(D$8<>"",D10="")', f"fill={GAP}"])
    spec.append(["format", "sheet=Oversigt", "range=$G$16",
                 "formula=AND(ISNUMBER($G$16),$G$16>0)", f"fill={FLAG}"])
    spec.append(["format", "sheet=Oversigt", "range=$H$16",
                 "formula=AND(ISNUMBER($H$16),$H$16>0)", f"fill={GAP}"])
    return wb


def overview(ws: Worksheet) -> None:
    widths(ws, {"A": 2, "B": 8, "C": 9, "D": 26, "E": 12, "F": 13, "G": 13, "H": 10,
                "I": 40, "J": 24})
    title_block(ws, 1, "Panelets samlede vurdering · {{ position.title }}", "J")
    section(ws, "B4", "Sådan læser du oversigten", merge="B4:J4")
    notes = [
        "Hvert panelmedlem har givet point for sig selv. Oversigten lægger pointene ved "
        "siden af hinanden, så panelet kan drøfte dem. Den træffer ingen beslutning – det "
        "gør panelet.",
        "Gennemsnit, laveste og højeste point og spredning (højeste minus laveste) er regnet "
        "af de point, der er givet. Et tomt felt betyder, at kriteriet ikke blev vurderet; "
        "det tæller ikke med.",
        "Uenighed: pointene for et kriterium ligger {{ threshold }} point eller mere fra "
        "hinanden. Ikke vurderet: mindst ét panelmedlem lod kriteriet stå tomt. Samlet "
        "gennemsnit er summen af kriteriernes gennemsnit på skalaen {{ scale.min }}–"
        "{{ scale.max }}; ved samme tal deler ansøgerne pladsen. De gule felter udfylder "
        "panelet selv, når I er enige.",
    ]
    for n, text in enumerate(notes, start=5):
        put(ws, f"B{n}", text, merge=f"B{n}:J{n}", v="center")
    marker(ws, 8, "{%tr if missing %}")
    put(ws, "B9", "Mangler: {{ missing|join(', ') }} har ikke sendt et gyldigt scoreark. "
        "Deres point indgår ikke, og tallene kan ændre sig, når arkene kommer.",
        bold=True, color="843C0C", fill="FCE4D6", border=BOX, v="center", merge="B9:J9")
    ws.row_dimensions[9].height = 30
    marker(ws, 10, "{%tr endif %}")
    ws.row_dimensions[11].height = 4
    ws.row_dimensions[12].height = 8
    section(ws, "B13", "Rangering efter samlet gennemsnit", merge="B13:J13")
    headers(ws, 14, {"B": "Plads", "C": "Ansøger", "D": "Navn", "E": "Samlet gns.",
                     "F": "Gns. pr. kriterium", "G": "Uenighed", "H": "Ikke vurderet",
                     "I": "Indstillinger", "J": "Panelets beslutning"},
            centred=("B", "E", "F", "G", "H"))
    marker(ws, 15, "{%tr for a in ranking %}")
    put(ws, "B16", "{{ a.rank_text }}", bold=True, h="center", border=BOX, fill=PALE)
    put(ws, "C16", "{{ a.id }}", bold=True, border=BOX)
    put(ws, "D16", "{{ a.name }}", border=BOX)
    put(ws, "E16", "{{ a.total }}", bold=True, h="center", border=BOX, fmt="0.00")
    put(ws, "F16", "{{ a.average }}", h="center", border=BOX, fmt="0.00")
    put(ws, "G16", "{{ a.disagreements }}", h="center", border=BOX, fmt="0")
    put(ws, "H16", "{{ a.unrated }}", h="center", border=BOX, fmt="0")
    put(ws, "I16", "{{ a.recommendations_text }}", size=9, border=BOX)
    put(ws, "J16", None, border=BOX, fill=INPUT, locked=False)
    marker(ws, 17, "{%tr endfor %}")
    ws.row_dimensions[18].height = 8
    section(ws, "B19", "Panelet", merge="B19:J19")
    headers(ws, 20, {"B": "Id", "C": "Ekstern", "D": "Navn", "E": "Scoreark",
                     "F": "Point sammenlignet", "G": "Afvigelse fra panelet"},
            centred=("C", "E", "F", "G"))
    put(ws, "H21", "Negativ afvigelse: gav i gennemsnit færre point end panelet. Positiv: "
        "flere.", size=8.5, italic=True, color=GREY, merge="H20:J20", v="center")
    marker(ws, 21, "{%tr for m in members %}")
    put(ws, "B22", "{{ m.id }}", bold=True, border=BOX)
    put(ws, "C22", "{{ 'ja' if m.external else 'nej' }}", h="center", border=BOX)
    put(ws, "D22", "{{ m.name }}", border=BOX)
    put(ws, "E22", "{{ 'modtaget' if m.returned else 'mangler' }}", h="center", border=BOX)
    put(ws, "F22", "{{ m.compared }}", h="center", border=BOX, fmt="0")
    put(ws, "G22", "{{ m.offset }}", bold=True, h="center", border=BOX, fmt="+0.00;-0.00;0.00")
    marker(ws, 23, "{%tr endfor %}")
    page(ws, landscape=True)


def applicant(ws: Worksheet) -> None:
    widths(ws, {"A": 2, "B": 5, "C": 54, **dict.fromkeys(SLOTS, 6.5), "J": 2, "K": 7,
                "L": 6, "M": 6, "N": 10.5, "O": 24, "P": 10})
    marker(ws, 1, "{%sheet for a in applicant_sheets %}", "{{ a.id }}")
    title_block(ws, 2, "{{ a.id }} · {{ a.name }}", "P")
    put(ws, "B4", "Plads {{ a.rank_text or '–' }} · samlet gennemsnit {{ a.total_text }} · "
        "uenighed om {{ a.disagreements }} {{ 'kriterium' if a.disagreements == 1 else "
        "'kriterier' }} · {{ a.unrated }} {{ 'kriterium' if a.unrated == 1 else 'kriterier' }} "
        "ikke vurderet af alle",
        size=11, bold=True, color=NAVY, merge="B4:P4", v="center")
    ws.row_dimensions[4].height = 20
    put(ws, "B5", "Point: {% for s in scale.steps %}{{ s.value }} = {{ s.label }}"
        "{% if not loop.last %} · {% endif %}{% endfor %}. Tomt felt = ikke vurderet. "
        "Grøn: højeste, rød: laveste point, hvor panelet er uenigt.",
        size=9, italic=True, color=GREY, merge="B5:P5", v="center")
    ws.row_dimensions[6].height = 6
    put(ws, "D7", "Panelmedlemmernes point", size=9, bold=True, color=GREY, h="center",
        wrap=False, merge="D7:I7")
    put(ws, "K7", "Panelet", size=9, bold=True, color=GREY, h="center", wrap=False,
        merge="K7:N7")
    heads = {"B": "Nr.", "C": "Kriterium"}
    heads.update({col: f"{{{{ slots[{n}] }}}}" for n, col in enumerate(SLOTS)})
    heads.update({"K": "Gns.", "L": "Lav", "M": "Høj", "N": "Spredning", "O": "Markering",
                  "P": "Fælles point"})
    headers(ws, 8, heads, centred=("B", *SLOTS, "K", "L", "M", "N", "P"))
    marker(ws, 9, "{%tr for c in a.criteria %}")
    put(ws, "B10", "{{ loop.index }}", h="center", border=BOX, color=GREY)
    put(ws, "C10", "{{ c.label }}", border=BOX)
    for n, col in enumerate(SLOTS):
        put(ws, f"{col}10", f"{{{{ c.s[{n}] }}}}", h="center", v="center", border=BOX, fmt="0")
    put(ws, "K10", "{{ c.mean }}", bold=True, h="center", v="center", border=BOX, fill=PALE,
        fmt="0.00")
    put(ws, "L10", "{{ c.low }}", h="center", v="center", border=BOX, fmt="0")
    put(ws, "M10", "{{ c.high }}", h="center", v="center", border=BOX, fmt="0")
    put(ws, "N10", "{{ c.spread }}", h="center", v="center", border=BOX, fmt="0")
    put(ws, "O10", "{{ c.flag }}", size=9, v="center", border=BOX)
    put(ws, "P10", None, h="center", v="center", border=BOX, fill=INPUT, locked=False, fmt="0")
    marker(ws, 11, "{%tr endfor %}")
    put(ws, "B12", "Sum af point", bold=True, h="right", merge="B12:C12", v="center")
    for n, col in enumerate(SLOTS):
        put(ws, f"{col}12", f"{{{{ a.totals[{n}] }}}}", bold=True, h="center", v="center",
            border=BOX, fmt="0")
    put(ws, "K12", "{{ a.total }}", bold=True, h="center", v="center", border=BOX, fill=PALE,
        fmt="0.00")
    put(ws, "L12", "samlet gennemsnit", size=8.5, italic=True, color=GREY, merge="L12:O12",
        v="center")
    put(ws, "P12", '=IF(COUNT(P10)=0,"",SUM(P10))', bold=True, h="center", v="center",
        border=BOX, fill=PALE, fmt="0")
    ws.row_dimensions[12].height = 20
    ws.row_dimensions[13].height = 8
    section(ws, "B14", "Indstillinger og vigtigste indtryk", merge="B14:P14")
    headers(ws, 15, {"B": "Id", "C": "Panelmedlem", "D": "Indstilling", "G": "Vigtigste indtryk"})
    ws.merge_cells("D15:F15")
    ws.merge_cells("G15:P15")
    marker(ws, 16, "{%tr for r in a.recommendations %}")
    put(ws, "B17", "{{ r.id }}", bold=True, border=BOX)
    put(ws, "C17", "{{ r.name }}", border=BOX)
    put(ws, "D17", "{{ r.recommendation }}", bold=True, border=BOX, merge="D17:F17")
    put(ws, "G17", "{{ r.takeaways }}", size=9.5, border=BOX, merge="G17:P17")
    marker(ws, 18, "{%tr endfor %}")
    page(ws, landscape=True, title_rows="8:8")


def main(argv: list[str]) -> int:
    """Write the summary template into OUT_DIR (default templates/xlsx)."""
    save(oversigt(), output_dir(argv) / NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
