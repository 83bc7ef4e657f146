"""Create the job-start Word templates (run: python tools/build_jobstart_templates.py).

Two documents for the person hired: the function description (funktionsbeskrivelse) and
the introduction plan (introduktionsplan). They share the letterhead and footer of the
other Word templates (tools/build_docx_templates.py), so a change of house style there
reaches them too. Every sentence is the project's own Danish wording.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_docx_templates import OUT, bullets, fact_row, footer, letterhead, pin  # noqa: E402
from docx_kit import (  # noqa: E402
    ACCENT,
    BOX_FILL,
    MUTED,
    add_run,
    cell_margins,
    keep_together,
    new_document,
    no_borders,
    para,
    shade,
    widths,
)

FUNCTION_DESCRIPTION = "funktionsbeskrivelse.docx"
INTRODUCTION_PLAN = "introduktionsplan.docx"

START = ("{% if job_start.start %}{{ job_start.start|dato }}{% elif job_start.start_text %}"
         "{{ job_start.start_text|stort }}{% else %}Efter aftale{% endif %}")
MANAGER = "{{ job_start.manager.name }}, {{ job_start.manager.title }}"


def optional_row(table: Table, condition: str, label: str, value: str) -> None:
    """A fact row kept only when ``condition`` holds (docxtpl's row tags)."""
    table.add_row().cells[0].paragraphs[0].add_run(f"{{%tr if {condition} %}}")
    fact_row(table, label, value)
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endif %}")


def support_rows(table: Table) -> None:
    """The contact person and the supervisor, each only where the case names one."""
    for key, label in (("contact_person", "Kontaktperson"), ("supervisor", "Supervisor")):
        optional_row(table, f"job_start.{key}", label,
                     f"{{{{ job_start.{key}.name }}}}, {{{{ job_start.{key}.title }}}}")


def shaded_box(table: Table, cols: list[float]) -> None:
    widths(table, cols)
    keep_together(table)
    for row in table.rows:
        for c in row.cells:
            shade(c, BOX_FILL)


def repeat_header(table: Table) -> None:
    """Repeat the first row at the top of every page the table runs onto."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def borders(table: Table, colour: str = "BFCFD4") -> None:
    """Thin horizontal rules between rows, none at the sides."""
    tblpr = table._tbl.tblPr
    el = OxmlElement("w:tblBorders")
    for side in ("top", "bottom", "insideH"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:color"), colour)
        el.append(b)
    for side in ("left", "right", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        el.append(b)
    tblpr.append(el)


def signatures(doc: DocumentObject) -> None:
    """Date and signature lines for the manager and the peer worker, side by side."""
    para(doc, "Underskrifter", style="Heading 1")
    para(doc, "Vi har gennemgået funktionsbeskrivelsen sammen og er enige om den.")
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [83, 83])
    for cell, who, name in (
        (table.rows[0].cells[0], "Leder", "{{ job_start.manager.name }}"),
        (table.rows[0].cells[1], "Peer-medarbejder", "{{ applicant.name }}"),
    ):
        cell.paragraphs[0].text = ""
        add_run(cell.paragraphs[0], "Dato: ____________________", size=10)
        cell.paragraphs[0].paragraph_format.space_before = Pt(18)
        para(cell, "", after=18)
        para(cell, "______________________________", after=0)
        para(cell, name, after=0)
        para(cell, who, colour=MUTED, size=9, after=0)
    keep_together(table)


def function_description() -> None:
    """templates/docx/funktionsbeskrivelse.docx: what the post is, agreed with the person hired."""
    doc = new_document(top_mm=34)
    letterhead(doc)
    footer(doc, "{{ organisation.name }} · Funktionsbeskrivelse · Sagsnr. {{ case.reference }}")
    para(doc, "FUNKTIONSBESKRIVELSE{% if organisation.unit %} · {{ organisation.unit|upper }}"
              "{% endif %}", colour=MUTED, size=9, after=2, bold=True)
    para(doc, "{{ position.title }}", style="Title")
    para(doc, "{{ applicant.name }} · {{ position.hours_per_week|tal }} timer om ugen", size=12,
         colour=ACCENT, after=10)

    table = doc.add_table(rows=0, cols=2)
    no_borders(table)
    cell_margins(table, 1.6)
    fact_row(table, "Medarbejder", "{{ applicant.name }}")
    fact_row(table, "Stilling", "{{ position.title }}{% if organisation.unit %}, "
                                "{{ organisation.unit }}{% endif %}")
    fact_row(table, "Arbejdssted", "{{ position.place }}")
    fact_row(table, "Timer", "{{ position.hours_per_week|tal }} timer om ugen, "
                             "{{ position.employment_form_text|lower }}")
    fact_row(table, "Arbejdstid", "{{ position.working_times_line }}")
    fact_row(table, "Første arbejdsdag", START)
    fact_row(table, "Nærmeste leder", MANAGER)
    support_rows(table)
    shaded_box(table, [38, 128])

    para(doc, "Formål med stillingen", style="Heading 1")
    para(doc, "{%p if position.purpose %}")
    para(doc, "{{ position.purpose }}")
    para(doc, "{%p else %}")
    para(doc, "Stillingen bringer viden fra levet erfaring ind i arbejdet. Som "
              "peer-medarbejder bruger du det, du selv har lært om at komme dig, til at "
              "støtte borgerne i deres egen proces og til at holde håbet og "
              "recovery-perspektivet levende i teamet.")
    para(doc, "{%p endif %}")

    para(doc, "Opgaver", style="Heading 1")
    para(doc, "{%p if job_start.core_tasks %}")
    para(doc, "Rollestjernen viser, hvor central hver opgave skal være i stillingen, på en "
              "skala fra {{ role_star.scale.min }} til {{ role_star.scale.max }}. De mest "
              "centrale står først, og I gennemgår vurderingen sammen i de første uger.",
         after=3)
    bullets(doc, "job_start.core_tasks",
            "{{ item.label }} ({{ item.desired }} af {{ role_star.scale.max }})"
            "{% if item.description %}: {{ item.description|lower }}{% endif %}")
    para(doc, "I det daglige betyder det blandt andet:", before=4,
         after=3)
    bullets(doc, "position.tasks")
    para(doc, "{%p else %}")
    para(doc, "Stillingens opgaver er:", after=3)
    bullets(doc, "position.tasks")
    para(doc, "Når I har udfyldt rollestjernen (rollestjerne.xlsx) sammen, skrives "
              "opgaverne her i rækkefølge efter, hvor centrale de skal være.", italic=True,
         colour=MUTED, before=4)
    para(doc, "{%p endif %}")

    para(doc, "{%p if job_start.covered_by_others %}")
    para(doc, "Det dækker kollegerne også", style="Heading 2")
    para(doc, "Peer-medarbejderen supplerer kollegerne og overtager ikke deres opgaver. "
              "Disse områder deler du med andre i teamet:", after=3)
    bullets(doc, "job_start.covered_by_others", "{{ item.label }}: {{ item.covered_by }}")
    para(doc, "{%p endif %}")

    para(doc, "Samarbejde og faglig støtte", style="Heading 1")
    para(doc, "Du refererer til {{ job_start.manager.name }}, "
              "{{ job_start.manager.title }}, som også er den, du går til med spørgsmål om "
              "opgaver, arbejdstid og samarbejde."
              "{% if job_start.contact_person %} I de første måneder er "
              "{{ job_start.contact_person.name }} din kontaktperson i det daglige."
              "{% endif %}")
    para(doc, "{% if job_start.staff_meetings %}{{ job_start.staff_meetings }}"
              "{% else %}Du deltager i teamets personalemøder og konferencer på lige fod med "
              "dine kolleger.{% endif %}")
    para(doc, "{% if job_start.supervision %}{{ job_start.supervision }}{% else %}Du får "
              "supervision{% if job_start.supervisor %} hos {{ job_start.supervisor.name }}"
              "{% endif %}, så du har et fast sted at tale om, hvordan du bruger dine "
              "erfaringer i arbejdet.{% endif %}")
    para(doc, "{% if job_start.peer_network %}{{ job_start.peer_network }}{% else %}Vi "
              "støtter, at du får kontakt til andre peer-medarbejdere, fx i et lokalt eller "
              "regionalt netværk.{% endif %}")

    para(doc, "Brug af egne erfaringer", style="Heading 1")
    para(doc, "Dine erfaringer med psykisk sårbarhed og med at komme dig er en faglig "
              "kompetence i stillingen. Du bestemmer selv, hvad du fortæller om dig selv, til "
              "hvem og hvornår. Du har ingen pligt til at dele noget, og I aftaler sammen, "
              "hvordan du kan trække dig fra en situation, der kommer for tæt på.")
    para(doc, "Har du behov, som arbejdspladsen skal tage hensyn til, aftaler du og din leder "
              "dem i en fortrolig samtale. De skrives ikke i denne beskrivelse.")

    para(doc, "Opfølgning", style="Heading 1")
    para(doc, "I gennemgår funktionsbeskrivelsen sammen "
              "{% if job_start.review %}den {{ job_start.review|dato }}"
              "{% else %}efter {{ job_start.review_after_months }} måneder{% endif %} og "
              "retter den til efter de første erfaringer. Derefter ser I på den mindst én gang "
              "om året, fx ved medarbejderudviklingssamtalen.")
    signatures(doc)
    doc.save(OUT / FUNCTION_DESCRIPTION)


def introduction_plan() -> None:
    """templates/docx/introduktionsplan.docx: a dated checklist for the first months."""
    doc = new_document(top_mm=34)
    letterhead(doc)
    footer(doc, "{{ organisation.name }} · Introduktionsplan · Sagsnr. {{ case.reference }}")
    para(doc, "INTRODUKTIONSPLAN", colour=MUTED, size=9, after=2, bold=True)
    para(doc, "Velkommen, {{ applicant.first_name }}", style="Title")
    para(doc, "{{ applicant.name }} · {{ position.title }}{% if organisation.unit %} · "
              "{{ organisation.unit }}{% endif %}", size=12, colour=ACCENT, after=2)
    para(doc, "Første arbejdsdag: " + START, colour=MUTED, after=8)
    para(doc, "Planen samler det, alle nye medarbejdere skal have, og det, der er særligt "
              "vigtigt, når man starter som peer-medarbejder. Sæt kryds, når et punkt er "
              "klaret, og tag planen med til opfølgningen"
              "{% if job_start.review %} den {{ job_start.review|dato }}{% endif %}.")

    people = doc.add_table(rows=0, cols=2)
    no_borders(people)
    cell_margins(people, 1.4)
    fact_row(people, "Leder", MANAGER)
    support_rows(people)
    shaded_box(people, [38, 128])
    para(doc, "", after=4)

    table = doc.add_table(rows=1, cols=4)
    borders(table)
    cell_margins(table, 1.2)
    for cell, text in zip(table.rows[0].cells, ("Hvad", "Hvem", "Senest", "Udført"),
                          strict=True):
        cell.paragraphs[0].text = ""
        add_run(cell.paragraphs[0], text, bold=True, colour=ACCENT, size=9.5)
        shade(cell, BOX_FILL)
    repeat_header(table)
    table.add_row().cells[0].paragraphs[0].add_run(
        "{%tr for phase in job_start.introduction %}")
    heading = table.add_row().cells
    heading[0].paragraphs[0].text = ""
    add_run(heading[0].paragraphs[0], "{{ phase.label }}", bold=True, colour=ACCENT)
    heading[0].paragraphs[0].paragraph_format.space_before = Pt(6)
    heading[0].paragraphs[0].paragraph_format.keep_with_next = True
    table.add_row().cells[0].paragraphs[0].add_run("{%tr for item in phase.steps %}")
    row = table.add_row().cells
    for cell, text in zip(row, ("{{ item.text }}", "{{ item.who }}",
                                "{% if item.due %}{{ item.due|dato_kort }}{% endif %}", "☐"),
                          strict=True):
        cell.paragraphs[0].text = ""
        add_run(cell.paragraphs[0], text, size=9.5)
    row[3].paragraphs[0].alignment = 1
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    widths(table, [100, 36, 18, 12])
    for r in table.rows:
        r._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for c in r.cells:
            c.paragraphs[0].paragraph_format.space_after = Pt(1)

    para(doc, "Noter", style="Heading 2")
    for _ in range(3):
        para(doc, "_" * 86, colour=MUTED, after=6)
    doc.save(OUT / INTRODUCTION_PLAN)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    function_description()
    introduction_plan()
    for name in (FUNCTION_DESCRIPTION, INTRODUCTION_PLAN):
        pin(OUT / name)
    print(f"job-start templates written to {OUT}")
