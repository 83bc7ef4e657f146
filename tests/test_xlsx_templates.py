"""The three shipped Excel templates, rendered with hand-made contexts.

The contexts below are what the build passes (see the engine brief); names carry æøå,
``&`` and formula-like text on purpose. Tests marked ``libreoffice`` convert workbooks to
PDF to check the recalculated totals and the printed layout; they skip without
``soffice`` on PATH, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from docgen.excel.fill import (
    CHECKSUM_KEY,
    META_SHEET,
    FillResult,
    fill_workbook,
    layout_checksum,
    read_metadata,
)
from docgen.jinja import make_env
from tests.helpers import require_soffice

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "xlsx"
ENV = make_env(autoescape=False)
META = {"case": "RM-2026-117", "recipient": "P1", "template_version": "scoreark/1"}

CRITERIA: list[dict[str, Any]] = [
    {"id": "distance", "label": "Distance til og refleksion over egne erfaringer",
     "description": "Kan tale om sine erfaringer med afstand og sætte dem i perspektiv.",
     "questions": ["Hvordan ser du i dag på den periode, hvor du havde det svært?",
                   "Hvad har du lært om dig selv, som andre kan have gavn af?"]},
    {"id": "learning", "label": "Egen læring og vendepunkter",
     "description": "Kan sætte ord på, hvad der hjalp, og hvornår det vendte.",
     "questions": ["Fortæl om et vendepunkt i din egen recovery.",
                   "Hvad hjalp dig – og hvad hjalp ikke?"]},
    {"id": "dialogue", "label": "Fri og reflekterende dialog",
     "description": "Taler frit og eftertænksomt, også om svære emner.",
     "questions": ["Hvordan vil du tale med en borger, der ikke tror på bedring?"]},
    {"id": "sharing", "label": "Deler erfaringer relevant",
     "description": "Ved, hvornår og hvor meget egne erfaringer hjælper den anden.",
     "questions": ["Giv et eksempel på, hvornår du ikke ville dele dine erfaringer.",
                   "Hvordan mærker du, om det, du deler, hjælper?"]},
    {"id": "peer", "label": "Ser sig selv som peer i personalegruppen",
     "description": "Forstår rollen som ligeværdig kollega med en særlig viden.",
     "questions": ["Hvordan forestiller du dig samarbejdet med sygeplejersker og læger?"]},
    {"id": "recovery", "label": "Forståelse af recovery",
     "description": "Har en personlig og faglig forståelse af recovery.",
     "questions": ["Hvad betyder recovery for dig?",
                   "Hvordan kan en afdeling blive mere recovery-orienteret?"]},
    {"id": "communication", "label": "Kommunikation",
     "description": "Lytter, spørger og formidler klart og respektfuldt.",
     "questions": ["Hvordan reagerer du, når en kollega taler nedsættende om en patient?"]},
    {"id": "wellbeing", "label": "Det, der hjælper med at holde sig rask",
     "description": "Kender sine egne tegn og det, der hjælper i en travl hverdag.",
     "questions": ["Hvad gør du, når du mærker, at du har brug for en pause?"]},
    {"id": "parttime", "label": "Prioritering i en deltidsstilling",
     "description": "Har realistiske forventninger til opgaver og aktiviteter.",
     "questions": ["Hvilke opgaver vil du prioritere, når du er her 25 timer om ugen?"]},
    {"id": "pebble", "label": "En sten i skoen, ikke et bjerg",
     "description": "Den forstyrrelse, personen bringer, passer til stedet.",
     "questions": ["Hvad tror du, vi som arbejdsplads skal lære af dig?"]},
    {"id": "everyday", "label": "Kan møde teamets hverdagskrav",
     "description": "Mødestabilitet, samarbejde og dokumentation som alle andre.",
     "questions": ["Hvordan har du det med faste mødetider og skriftlig dokumentation?"]},
    {"id": "network", "label": "Netværk og brobygning",
     "description": "Kender tilbud i civilsamfundet og kan bygge bro til dem.",
     "questions": ["Hvilke fællesskaber uden for psykiatrien kender du til?"]},
    {"id": "groups", "label": "Gruppeforløb",
     "description": "Kan være medleder af en gruppe og skabe tryghed i den.",
     "questions": ["Hvordan vil du tage imod en ny deltager i en gruppe?"]},
    {"id": "boundaries", "label": "Grænser og tavshedspligt",
     "description": "Forstår tavshedspligt og kan passe på sig selv og andre.",
     "questions": ["Hvad gør du, hvis en borger beder dig holde noget hemmeligt?"]},
    {"id": "teaching", "label": "Oplæg og undervisning",
     "description": "Kan fortælle sin historie for en gruppe, så den giver håb.",
     "questions": ["Hvordan vil du bygge et oplæg op for nye medarbejdere?"]},
]

APPLICANTS = [("Søren Østergaard"), ("Åse Bæk-Jørgensen"), ("Mette & Ole Hansen"),
              ('=HYPERLINK("http://evil.example","klik")'), ("+45 12 34 56 78"),
              ("Ida Ærø")]

SPOKES = [
    ("individual", "Individuelle peer-samtaler", "Samtaler om håb, ønsker og drømme.", 9, 7),
    ("groups", "Gruppeforløb", "Medleder af grupper og forløb.", 7, None),
    ("bridging", "Civilsamfund og brobygning", "Aktiviteter uden for huset og brobygning.",
     6, 5),
    ("teaching", "Oplæg og undervisning", "Fortæller sin historie og underviser.", 5, 8),
    ("culture", "Recovery-orienteret kultur og sprog", "Kulturbærer for recovery i teamet.",
     8, 6),
    ("meetings", "Personalemøder og supervision", "Deltager som kollega på lige fod.", 6, 6),
    ("network", "Netværk", "Netværk med andre peers og organisationer.", 4, 3),
    ("development", "Organisationsudvikling", "Bidrager til udvikling af tilbuddet.", 3, None),
]

QUESTIONS = [
    ("Ledelse", "Har ledelsen besluttet at ansætte en peer, og står den bag beslutningen?"),
    ("Jobbeskrivelse", "Er jobbeskrivelsen lavet sammen med personer med peer-erfaring?"),
    ("Supervision", "Er der aftalt supervision, gerne fra en med erfaring i peer-arbejde?"),
    ("Kolleger", "Er kollegerne forberedt på, hvad en peer-medarbejder skal og ikke skal?"),
    ("Recovery-kultur", "Taler og arbejder vi ud fra troen på, at bedring er mulig?"),
    ("Løn og vilkår", "Er løn og ansættelsesvilkår afklaret med den lokale overenskomst?"),
    ("Tavshedspligt", "Har vi aftalt, hvordan peer-medarbejderen deler egne erfaringer?"),
    ("Introduktion", "Er der en plan for de første uger & måneder?"),
    ("Brugerinddragelse", "Bliver brugerne inddraget i udviklingen af tilbuddet?"),
    ("Peer-netværk", "Kan peer-medarbejderen mødes med andre peers uden for huset?"),
]


def base_context() -> dict[str, Any]:
    """Fields every template receives."""
    return {
        "case": {"reference": "RM-2026-117", "retention_months": 6},
        "organisation": {"name": "Psykiatrisk Center Nord & Vest",
                         "unit": "Ambulatorium for unge", "sector": "region"},
        "position": {"title": "Peer-medarbejder", "hours_per_week": 25},
        "interview": {"duration_minutes": 45, "pause_minutes": 15, "location": "Mødelokale 2"},
        "criteria": CRITERIA[:11],
        "scale": {"min": 1, "max": 5, "steps": [
            {"value": 1, "label": "Ikke til stede"}, {"value": 2, "label": "Svag"},
            {"value": 3, "label": "Tilstrækkelig"}, {"value": 4, "label": "God"},
            {"value": 5, "label": "Fremragende"}]},
        "recommendations": ["Klart nej", "Nej", "Ja", "Klart ja", "Ingen vurdering"],
    }


def scoresheet_context(n_criteria: int = 11, n_applicants: int = 4, *,
                       pseudonymised: bool = False, slots: bool = True,
                       blank: bool = False) -> dict[str, Any]:
    """The scoresheet context; ``blank`` gives six empty blocks to fill by hand."""
    ctx = base_context()
    ctx["criteria"] = CRITERIA[:n_criteria]
    ctx["member"] = {"id": "P1", "name": "Hanne Holm", "title": "afdelingsleder",
                     "lived_experience": False, "external": pseudonymised}
    ctx["pseudonymised"] = pseudonymised
    start = dt.datetime(2026, 11, 23, 9, 0)
    applicants = []
    for n in range(n_applicants):
        begin = start + dt.timedelta(minutes=60 * n)
        ident = f"A{n + 1:02d}"
        name = APPLICANTS[n % len(APPLICANTS)]
        applicants.append({
            "id": ident,
            "label": ident if pseudonymised else f"{ident} · {name}",
            "slot": {"start": begin, "end": begin + dt.timedelta(minutes=45)} if slots else None,
        })
    if blank:
        applicants = [{"id": "", "label": "", "slot": None} for _ in range(6)]
    ctx["sheet_applicants"] = applicants
    return ctx


def role_star_context() -> dict[str, Any]:
    """The role star context (eight default spokes)."""
    ctx = base_context()
    ctx["role_star"] = {"scale": {"min": 0, "max": 10}, "spokes": [
        {"id": i, "label": label, "description": text, "desired": desired, "current": current,
         "covered_by": "Sygeplejerske Anna & socialrådgiver" if i == "groups" else None}
        for i, label, text, desired, current in SPOKES]}
    return ctx


def readiness_context(answers: list[int | None] | None = None) -> dict[str, Any]:
    """The readiness context; ``answers`` pre-fills the ten answers."""
    ctx = base_context()
    answers = answers if answers is not None else [None] * len(QUESTIONS)
    ctx["readiness"] = {
        "scale": {"min": 0, "max": 3, "steps": [
            {"value": 0, "label": "Slet ikke"}, {"value": 1, "label": "I mindre grad"},
            {"value": 2, "label": "I nogen grad"}, {"value": 3, "label": "I høj grad"}]},
        "questions": [
            {"id": f"q{n}", "theme": theme, "text": text, "answer": answers[n],
             "action": "Aftal møde med HR & TR" if n == 5 else None}
            for n, (theme, text) in enumerate(QUESTIONS)],
        "motivation": [
            {"id": "m1", "text": "Hvad har inspireret jer til at ville have en peer-medarbejder?",
             "answer": "Gode erfaringer fra et naboteam & ønske om mere håb i hverdagen."},
            {"id": "m2", "text": "Hvad håber I at opnå ved at ansætte en peer-medarbejder?",
             "answer": None},
            {"id": "m3", "text": "Hvad kan en peer-medarbejder bidrage med, som ingen andre kan?",
             "answer": None},
        ],
        "bands": [
            {"min": 0, "max": 14, "label": "Ikke klar endnu: læg en plan, før I ansætter",
             "colour": "C00000"},
            {"min": 15, "max": 23, "label": "På vej: arbejd videre med de lave svar",
             "colour": "FFC000"},
            {"min": 24, "max": 30, "label": "Klar: I har et godt grundlag", "colour": "70AD47"},
        ],
        "max_total": 30,
    }
    return ctx


# --------------------------------------------------------------------------- helpers


def render(name: str, ctx: dict[str, Any]) -> tuple[FillResult, Workbook]:
    result = fill_workbook(TEMPLATES / name, ctx, ENV, metadata=META)
    return result, load_workbook(BytesIO(result.data))


def rows_of(ref: str) -> tuple[int, int]:
    """First and last row of a reference such as ``'A07'!$D$10:$D$24``."""
    _, _, cells = ref.rpartition("!")
    _, first, _, last = range_boundaries(cells.replace("$", ""))
    return first, last


def strings(book: Workbook | Worksheet) -> list[str]:
    """Every text a workbook (or one sheet) shows: cells, validations, headers, footers."""
    out: list[str] = []
    for ws in book.worksheets if isinstance(book, Workbook) else [book]:
        out.extend(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
        for dv in ws.data_validations.dataValidation:
            out.extend(t for t in (dv.formula1, dv.formula2, dv.error, dv.prompt) if t)
        for item in (ws.oddHeader, ws.oddFooter):
            out.extend(p.text for p in (item.left, item.center, item.right) if p.text)
    return out


def unlocked(ws: Worksheet) -> set[str]:
    return {c.coordinate for c in ws._cells.values()
            if not isinstance(c, MergedCell) and not c.protection.locked}


def validation_for(ws: Worksheet, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, cell
    return found[0]


def assert_print_ready(ws: Worksheet, *, landscape: bool, one_page: bool = False) -> None:
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1 if one_page else 0)
    assert "&P" in ws.oddFooter.right.text
    assert ws.protection.sheet
    assert not ws.protection.password
    # An explicit print area holding every filled cell: LibreOffice converts a workbook
    # much faster with one than when it has to find each sheet's used area itself.
    assert ws.print_area, ws.title
    first_col, first_row, last_col, last_row = range_boundaries(
        ws.print_area.rsplit("!", 1)[-1].replace("$", ""))
    used = [c for row in ws.iter_rows() for c in row if c.value not in (None, "")]
    assert (first_col, first_row) == (1, 1)
    assert max(c.row for c in used) <= last_row
    assert max(c.column for c in used if not ws.column_dimensions[c.column_letter].hidden) \
        <= last_col


# ------------------------------------------------------------------------ scoreark


@pytest.mark.parametrize(("n_criteria", "n_applicants"), [(3, 1), (15, 1), (3, 40), (15, 40)])
def test_scoresheet_has_one_sheet_per_applicant_with_exact_ranges(
    n_criteria: int, n_applicants: int
) -> None:
    ctx = scoresheet_context(n_criteria, n_applicants)
    result, wb = render("scoreark.xlsx", ctx)
    applicants = ctx["sheet_applicants"]
    assert wb.sheetnames == ["Vejledning", *[a["id"] for a in applicants], META_SHEET]
    assert result.warnings == ()
    meta = read_metadata(wb)
    assert {k: meta[k] for k in META} == META
    assert meta[CHECKSUM_KEY] == layout_checksum(wb)
    labels = [c["label"] for c in ctx["criteria"]]
    for applicant in applicants:
        title = applicant["id"]
        ws = wb[title]
        first, last = rows_of(meta[f"name:{title}:docgen_scores"])
        assert last - first + 1 == n_criteria
        assert rows_of(meta[f"name:{title}:docgen_notes"]) == (first, last)
        ids = [ws[f"F{r}"].value for r in range(first, last + 1)]
        assert ids == [c["id"] for c in ctx["criteria"]]
        # Each criterion's description is printed under its label (a bold run, then a
        # small one).
        assert [ws[f"B{r}"].value for r in range(first, last + 1)] == [
            f"{c['label']}\n{c['description']}" for c in ctx["criteria"]
        ]
        assert labels
        assert ws[f"C{first}"].value.startswith("• ")
        id_cell = meta[f"name:{title}:docgen_applicant_id"].rpartition("!")[2].replace("$", "")
        assert ws[id_cell].value == title
        assert ws.column_dimensions["F"].hidden
        score = validation_for(ws, f"D{first}")
        assert str(score.sqref) == f"D{first}:D{last}"
        assert (score.type, score.formula1) == ("list", '"1,2,3,4,5"')
        assert score.showErrorMessage
        # The input message names every step and says what a blank means.
        assert score.showInputMessage
        assert score.prompt.splitlines() == [
            *(f"{st['value']} = {st['label']}" for st in ctx["scale"]["steps"]),
            "Tomt = ikke vurderet (ikke belyst)",
        ]
        advice_cell = meta[f"name:{title}:docgen_recommendation"].rpartition("!")[2]
        advice = validation_for(ws, advice_cell.replace("$", ""))
        assert advice.formula1 == '"Klart nej,Nej,Ja,Klart ja,Ingen vurdering"'
        takeaways = meta[f"name:{title}:docgen_takeaways"].rpartition("!")[2].replace("$", "")
        assert unlocked(ws) == {
            *(f"D{r}" for r in range(first, last + 1)),
            *(f"E{r}" for r in range(first, last + 1)),
            advice_cell.replace("$", ""), takeaways,
        }
        formulas = [c.value for c in ws["D"] if c.data_type == "f"]
        assert formulas == [
            f"=COUNT(D{first}:D{last})",
            f'=IF(COUNT(D{first}:D{last})=0,"",SUM(D{first}:D{last}))',
            f'=IF(COUNT(D{first}:D{last})=0,"",AVERAGE(D{first}:D{last}))',
        ]
        assert ws.print_title_rows == f"${first - 1}:${first - 1}"
        assert ws[f"B{first - 1}"].value == "Kriterium – det ser du efter"
        # One A4 page per applicant, portrait.
        assert_print_ready(ws, landscape=False, one_page=True)
    assert_print_ready(wb["Vejledning"], landscape=False)
    assert not [s for s in strings(wb) if "{{" in s or "{%" in s]


def test_scoresheet_front_sheet_carries_the_interview_facts() -> None:
    ctx = scoresheet_context(11, 4)
    _, wb = render("scoreark.xlsx", ctx)
    text = "\n".join(strings(wb["Vejledning"]))
    assert "Samtalen varer højst 45 minutter" in text
    assert "Hanne Holm, afdelingsleder" in text
    assert "diagnoser" in text
    assert "behandlingshistorik" in text
    for step in ctx["scale"]["steps"]:
        assert step["label"] in text
    assert "Klart nej · Nej · Ja · Klart ja · Ingen vurdering" in text
    assert "Tidsplan for samtalerne" in text
    schedule = [r for r in wb["Vejledning"].iter_rows(values_only=True)
                if isinstance(r[3], str) and r[3].startswith("kl. ")]
    assert [r[2] for r in schedule] == [a["label"] for a in ctx["sheet_applicants"]]
    # Dates as on the applicant sheets: "Mandag 23. november 2026" (non-breaking spaces).
    assert schedule[0][1:] == ("Mandag 23.\u00a0november\u00a02026", "A01 · Søren Østergaard",
                               "kl. 09.00–09.45")
    assert "pseudonymiseret" not in text
    assert "Psykiatrisk Center Nord && Vest" in wb["A01"].oddFooter.left.text
    assert "diagnoser" in "\n".join(strings(wb["A01"]))


def test_scoresheet_stores_formula_like_names_as_text() -> None:
    _, wb = render("scoreark.xlsx", scoresheet_context(3, 5))
    cell = wb["A04"]["C4"]
    assert cell.value == 'A04 · =HYPERLINK("http://evil.example","klik")'
    assert cell.data_type == "s"
    with zipfile.ZipFile(BytesIO(fill_workbook(TEMPLATES / "scoreark.xlsx",
                                               scoresheet_context(3, 5), ENV).data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("HYPERLINK" in f for s in sheets for f in re.findall(r"<f>(.*?)</f>", s))


def test_pseudonymised_scoresheet_shows_no_names() -> None:
    ctx = scoresheet_context(11, 6, pseudonymised=True)
    _, wb = render("scoreark.xlsx", ctx)
    text = "\n".join(strings(wb))
    assert "Ansøgerne står kun med et nummer i dit ark" in text
    assert "sletter du din egen kopi" in text
    assert "Forsøg ikke" not in text
    for name in APPLICANTS:
        assert name not in text
    assert wb["A03"]["C4"].value == "A03"


def test_blank_scoresheet_has_six_unnamed_sheets_and_no_schedule() -> None:
    _, wb = render("scoreark.xlsx", scoresheet_context(11, 0, blank=True, slots=False))
    assert wb.sheetnames == ["Vejledning", *[f"Ansøger {n}" for n in range(1, 7)], META_SHEET]
    assert wb["Ansøger 1"]["C4"].value is None
    assert "Tidsplan for samtalerne" not in strings(wb)


def test_scoresheet_renders_byte_identically() -> None:
    ctx = scoresheet_context(11, 4)
    assert render("scoreark.xlsx", ctx)[0].data == render("scoreark.xlsx", ctx)[0].data


# --------------------------------------------------------------------- rollestjerne


@pytest.mark.parametrize("n_spokes", [3, 8, 12])
def test_role_star_rows_validation_and_radar_chart(n_spokes: int) -> None:
    ctx = role_star_context()
    spokes = (ctx["role_star"]["spokes"] * 2)[:n_spokes]
    ctx["role_star"]["spokes"] = spokes
    result, wb = render("rollestjerne.xlsx", ctx)
    assert wb.sheetnames == ["Vejledning", "Rollestjerne", META_SHEET]
    ws = wb["Rollestjerne"]
    header = next(r for r in range(1, 20) if ws[f"B{r}"].value == "Opgaveområde")
    first, last = header + 1, header + n_spokes
    assert [ws[f"B{r}"].value for r in range(first, last + 1)] == [s["label"] for s in spokes]
    assert [ws[f"D{r}"].value for r in range(first, last + 1)] == [s["desired"] for s in spokes]
    assert [ws[f"E{r}"].value for r in range(first, last + 1)] == [s["current"] for s in spokes]
    values = validation_for(ws, f"D{first}")
    assert str(values.sqref) == f"D{first}:E{last}"
    assert values.formula1 == '"0,1,2,3,4,5,6,7,8,9,10"'
    assert {f"{c}{r}" for c in "DEFG" for r in range(first, last + 1)} <= unlocked(ws)
    with zipfile.ZipFile(BytesIO(result.data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert "<radarChart>" in chart
    refs = re.findall(r"<f>([^<]+)</f>", chart)
    assert refs.count(f"'Rollestjerne'!$B${first}:$B${last}") == 2
    assert f"'Rollestjerne'!$D${first}:$D${last}" in refs
    assert f"'Rollestjerne'!$E${first}:$E${last}" in refs
    assert chart.count("<ser>") == 2
    assert ws._charts[0].anchor._from.row > last
    assert ws.print_area.endswith(f"$G${last + 31}")
    assert_print_ready(ws, landscape=True)
    assert "Rollestjernen hjælper jer" in "\n".join(strings(wb["Vejledning"]))


# ------------------------------------------------------------------------- parathed


def test_readiness_scores_band_and_motivation() -> None:
    answers = [3, 2, 3, 1, 2, 3, 2, 3, 2, None]
    ctx = readiness_context(answers)
    result, wb = render("parathed.xlsx", ctx)
    ws = wb["Parathed"]
    header = next(r for r in range(1, 20) if ws[f"C{r}"].value == "Spørgsmål")
    first, last = header + 1, header + 10
    assert [ws[f"D{r}"].value for r in range(first, last + 1)] == answers
    assert [ws[f"B{r}"].value for r in range(first, last + 1)] == [q for q, _ in QUESTIONS]
    assert ws[f"G{first + 5}"].value == "Aftal møde med HR & TR"
    scale_first = next(r for r in range(last, 60) if ws[f"C{r}"].value == "Slet ikke")
    scale = f"$B${scale_first}:$B${scale_first + 3}"
    assert ws[f"F{first}"].value == f'=IF(ISNUMBER(D{first}),D{first}-MIN({scale}),"")'
    assert ws[f"E{last}"].value.startswith(f"=IF(ISNUMBER(D{last}),IFERROR(INDEX(")
    total = last + 1
    assert ws[f"F{total}"].value == f'=IF(COUNT(D{first}:D{last})=0,"",SUM(F{first}:F{last}))'
    assert ws[f"G{total}"].value == (
        f'=IF(COUNT(D{first}:D{last})<ROWS(D{first}:D{last}),"kun "&COUNT(D{first}:D{last})'
        f'&" af "&ROWS(D{first}:D{last})&" spørgsmål besvaret","af "&$H${total}&" mulige")')
    assert ws[f"H{total}"].value == 30
    band_first = next(r for r in range(scale_first, 80) if ws[f"B{r}"].value == "0–14")
    band = f"$H${band_first}:$H${band_first + 2}"
    assert ws[f"D{total + 2}"].value == (
        f'=IF(COUNT(D{first}:D{last})<ROWS(D{first}:D{last}),"Besvar alle "&ROWS(D{first}:'
        f'D{last})&" spørgsmål for at se vurderingen",LOOKUP(F{total},{band},'
        f'$C${band_first}:$C${band_first + 2}))')
    rules = {str(c.sqref): c.rules for c in ws.conditional_formatting}
    verdict = rules[f"D{total + 2}"]
    assert [r.dxf.fill.fgColor.rgb[-6:] for r in verdict] == ["C00000", "FFC000", "70AD47"]
    assert verdict[1].formula == [
        f"AND(COUNT($D${first}:$D${last})=ROWS($D${first}:$D${last}),"
        f"$F${total}>=15,$F${total}<=23)"]
    assert len(rules[f"B{band_first}:C{band_first + 2}"]) == 3
    answer = validation_for(ws, f"D{first}")
    assert (str(answer.sqref), answer.formula1) == (f"D{first}:D{last}", '"0,1,2,3"')
    motivation = [r for r in ws.iter_rows(values_only=True) if r[1] in
                  {m["text"] for m in ctx["readiness"]["motivation"]}]
    assert [r[3] for r in motivation] == [m["answer"] for m in ctx["readiness"]["motivation"]]
    assert_print_ready(ws, landscape=True)
    assert result.warnings == ()


# -------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def soffice() -> str:
    return str(require_soffice())


def to_pdf(soffice: str, files: list[Path], out: Path) -> None:
    profile = (out / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=240,
    )


@pytest.fixture(scope="module")
def printed(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The templates rendered, partly filled in by a panel member, and printed to PDF."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = tmp_path_factory.mktemp("pdf")
    results = {
        "scores": fill_workbook(TEMPLATES / "scoreark.xlsx", scoresheet_context(3, 1), ENV),
        "scores15": fill_workbook(TEMPLATES / "scoreark.xlsx", scoresheet_context(15, 2), ENV),
        "scores40": fill_workbook(TEMPLATES / "scoreark.xlsx", scoresheet_context(11, 40), ENV),
        "star": fill_workbook(TEMPLATES / "rollestjerne.xlsx", role_star_context(), ENV),
        "ready": fill_workbook(TEMPLATES / "parathed.xlsx",
                               readiness_context([3, 2, 3, 1, 2, 3, 2, 3, 2, 3]), ENV),
        "partial": fill_workbook(TEMPLATES / "parathed.xlsx", readiness_context([2, 1]
                                                                              + [None] * 8), ENV),
    }
    files = []
    for name, result in results.items():
        wb = load_workbook(BytesIO(result.data))
        if name == "scores":
            wb["A01"]["D11"], wb["A01"]["D12"] = 4, 5
        path = out / f"{name}.xlsx"
        wb.save(path)
        files.append(path)
    to_pdf(soffice, files, out)
    pages: dict[str, Any] = {}
    for name in results:
        with pdfplumber.open(out / f"{name}.pdf") as pdf:
            pages[name] = [(p.width, p.height, p.extract_text() or "") for p in pdf.pages]
    return pages


@pytest.mark.libreoffice
def test_scoresheet_totals_after_recalculation(printed: dict[str, Any]) -> None:
    text = "\n".join(t for _, _, t in printed["scores"])
    assert "Antal vurderede kriterier 2 af 3" in text
    assert "Sum af point 9" in text
    assert re.search(r"Gennemsnit af de vurderede kriterier 4[.,]5", text)


@pytest.mark.libreoffice
def test_printed_pages_fit_the_width_and_carry_everything(printed: dict[str, Any]) -> None:
    # A scoresheet is a front page and then exactly one page per applicant, even with
    # 15 criteria; the schedule of 40 interviews continues on a second front page.
    expected = {"scores": 2, "scores15": 3, "star": 3, "ready": 2}
    for name, count in expected.items():
        assert len(printed[name]) == count, name
    front = [t for _, _, t in printed["scores40"] if "Vejledning" in t.splitlines()[-1]]
    sheets = [t for _, _, t in printed["scores40"] if "Vejledning" not in t.splitlines()[-1]]
    assert len(front) > 1
    assert len(sheets) == 40
    for name, pages in printed.items():
        scores = name.startswith("scores")
        for n, (width, height, text) in enumerate(pages):
            assert (width < height) == (scores or (name == "star" and n == 0)), (name, n)
            assert re.search(r"Side \d+ af \d+", text), (name, n)
    for n, text in enumerate(sheets):
        assert f"A{n + 1:02d} · " in text
    # The schedule's header row is repeated where the table continues.
    for text in front[1:]:
        assert text.splitlines()[0].startswith("Dato Ansøger Tidspunkt")
    text15 = "\n".join(t for _, _, t in printed["scores15"])
    for criterion in CRITERIA:
        assert criterion["label"].split()[0] in text15
    assert text15.count("Gennemsnit af de vurderede kriterier") == 2
    assert "Noter" in printed["scores"][1][2]


@pytest.mark.libreoffice
def test_readiness_total_and_band_after_recalculation(printed: dict[str, Any]) -> None:
    text = printed["ready"][0][2]
    assert "Samlet point 24 af 30 mulige" in text
    assert "Klar: I har et godt grundlag" in text
    assert "Besvar alle 10 spørgsmål for at se vurderingen" in printed["partial"][0][2]
    # A partial sum is marked provisional and says how many questions were answered.
    assert "Foreløbigt point 3 kun 2 af 10 spørgsmål besvaret" in printed["partial"][0][2]
    assert "Samlet point" not in printed["partial"][0][2]
    assert "Western Mass Peer Network" in "\n".join(t for _, _, t in printed["ready"])


@pytest.mark.libreoffice
def test_layout_checksum_survives_a_libreoffice_save(soffice: str, tmp_path: Path) -> None:
    result = fill_workbook(TEMPLATES / "scoreark.xlsx", scoresheet_context(11, 3), ENV,
                           metadata=META)
    wb = load_workbook(BytesIO(result.data))
    wb["A02"]["D11"] = 3  # a panel member's score
    source = tmp_path / "in" / "scoreark.xlsx"
    source.parent.mkdir()
    wb.save(source)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path),
         str(source)], check=True, capture_output=True, timeout=240)
    returned = load_workbook(tmp_path / "scoreark.xlsx")
    assert read_metadata(returned)[CHECKSUM_KEY] == result.layout_checksum
    assert layout_checksum(returned) == result.layout_checksum
    assert returned["A02"]["D11"].value == 3

