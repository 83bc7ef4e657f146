"""Create the shipped Word templates in templates/docx/ (run: python tools/build_docx_templates.py).

Consultants edit the resulting .docx files in Word; this script only makes the first
version reproducible. Every sentence is the project's own Danish wording.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx_kit import (  # noqa: E402
    ACCENT,
    BOX_FILL,
    MUTED,
    add_run,
    bottom_rule,
    cell_margins,
    keep_together,
    new_document,
    no_borders,
    page_number_field,
    para,
    shade,
    widths,
)

OUT = Path(__file__).resolve().parent.parent / "templates" / "docx"

ADDRESS = (
    "{{ organisation.address.street }} · {{ organisation.address.postal_code }} "
    "{{ organisation.address.city }}{% if organisation.website %} · {{ organisation.website }}"
    "{% endif %}"
)


def letterhead(doc: DocumentObject) -> None:
    """Organisation name, unit and address in the header, with the logo on the right."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    table = header.add_table(rows=1, cols=2, width=Mm(166))
    no_borders(table)
    widths(table, [120, 46])
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    first = left.paragraphs[0]
    add_run(first, "{{ organisation.name }}", bold=True, colour=ACCENT, size=13)
    first.paragraph_format.space_after = Pt(0)
    unit = para(left, "{% if organisation.unit %}{{ organisation.unit }}{% endif %}",
                colour=MUTED, size=9.5, after=0)
    unit.paragraph_format.space_after = Pt(0)
    para(left, ADDRESS, colour=MUTED, size=8.5, after=0)
    right.paragraphs[0].text = ""
    add_run(right.paragraphs[0], "{% if logo %}{{ logo }}{% endif %}")
    right.paragraphs[0].alignment = 2  # right
    rule = header.add_paragraph()
    rule.paragraph_format.space_after = Pt(0)
    bottom_rule(rule)
    # python-docx leaves an empty first paragraph in a new header; drop it.
    first_para = header.paragraphs[0]
    if not first_para.text and first_para._p is not rule._p:
        first_para._p.getparent().remove(first_para._p)


def footer(doc: DocumentObject, text: str) -> None:
    """A small footer line with a page number."""
    foot = doc.sections[0].footer
    p = foot.paragraphs[0]
    add_run(p, text + "  ·  Side ", colour=MUTED, size=8.5)
    page_number_field(p)
    p.alignment = 1


def fact_box(doc: DocumentObject) -> None:
    """The shaded box with the practical facts of the post."""
    rows = [
        ("Timer", "{{ position.hours_per_week|tal }} timer om ugen"),
        ("Ansættelsesform", "{{ position.employment_form_text }}"),
        ("Løn", "{{ position.pay_basis }}"),
        ("Arbejdstid", "{{ position.working_times_text|opremsning|stort }}"
                       "{% if position.working_times_note %}. {{ position.working_times_note }}"
                       "{% endif %}"),
        ("Tiltrædelse", "{% if position.start %}{{ position.start|dato }}{% elif "
                        "position.start_text %}{{ position.start_text }}{% else %}Efter aftale"
                        "{% endif %}"),
        ("Arbejdssted", "{{ position.place }}"),
        ("Ansøgningsfrist", "{{ dates.deadline|ugedag|stort }} den {{ dates.deadline|dato }}"
                            "{% if dates.deadline_time %} kl. {{ dates.deadline_time }}"
                            "{% endif %}"),
        ("Samtaler", "{{ dates.interviews|map('dato')|opremsning }}"),
        ("Kontakt", "{{ organisation.contact.name }}, {{ organisation.contact.title }}"
                    "{% if organisation.contact.phone %}, tlf. {{ organisation.contact.phone }}"
                    "{% endif %}{% if organisation.contact.email %}, "
                    "{{ organisation.contact.email }}{% endif %}"),
    ]
    para(doc, "Fakta om stillingen", style="Heading 1")
    table = doc.add_table(rows=0, cols=2)
    no_borders(table)
    cell_margins(table, 1.6)
    for label, value in rows:
        if label == "Samtaler":
            marker = table.add_row().cells
            marker[0].paragraphs[0].add_run("{%tr if dates.interviews %}")
        cells = table.add_row().cells
        cells[0].paragraphs[0].text = ""
        add_run(cells[0].paragraphs[0], label, bold=True, colour=ACCENT)
        cells[1].paragraphs[0].text = ""
        add_run(cells[1].paragraphs[0], value)
        for c in cells:
            c.paragraphs[0].paragraph_format.space_after = Pt(0)
        if label == "Samtaler":
            marker = table.add_row().cells
            marker[0].paragraphs[0].add_run("{%tr endif %}")
    widths(table, [38, 128])
    keep_together(table)
    for row in table.rows:
        for c in row.cells:
            shade(c, BOX_FILL)


def bullets(doc: DocumentObject, loop: str, item: str = "{{ item }}") -> None:
    """A bulleted list from a loop."""
    para(doc, f"{{%p for item in {loop} %}}")
    para(doc, item, style="List Bullet")
    para(doc, "{%p endfor %}")


def posting() -> None:
    """templates/docx/stillingsopslag.docx: the job posting."""
    doc = new_document(top_mm=34)
    letterhead(doc)
    footer(doc, "{{ organisation.name }} · Stillingsopslag · {{ case.reference }}")
    para(doc, "STILLINGSOPSLAG{% if organisation.unit %} · {{ organisation.unit|upper }}"
              "{% endif %}", colour=MUTED, size=9, after=2, bold=True)
    para(doc, "{{ position.title }}", style="Title")
    lead = para(doc, "{{ position.hours_per_week|tal }} timer om ugen · "
                     "{{ position.employment_form_text }} · "
                     "{% if position.start %}Start {{ position.start|dato }}{% elif "
                     "position.start_text %}{{ position.start_text }}{% else %}Start efter aftale"
                     "{% endif %}", size=12, colour=ACCENT, after=10)
    _ = lead
    para(doc, "{%p if position.intro %}")
    para(doc, "{{ position.intro }}")
    para(doc, "{%p endif %}")
    para(doc, "Om stillingen", style="Heading 1")
    para(doc, "{%p if position.purpose %}")
    para(doc, "{{ position.purpose }}")
    para(doc, "{%p else %}")
    para(doc, "Som peer-medarbejder bruger du dine egne erfaringer med psykisk sårbarhed og "
              "med at komme dig til at støtte mennesker, der står midt i noget lignende. Du "
              "viser med din egen historie, at det er muligt at komme sig eller at få et godt "
              "liv med de udfordringer, man har, og du er med til at give håb og styrke "
              "troen på recovery – både hos borgerne og i personalegruppen.")
    para(doc, "{%p endif %}")
    para(doc, "Dine opgaver", style="Heading 1")
    bullets(doc, "position.tasks")
    para(doc, "Dine faglige kompetencer", style="Heading 1")
    para(doc, "{{ position.education_requirement }}", style="List Bullet")
    bullets(doc, "position.competencies")
    para(doc, "Dine personlige kvalifikationer", style="Heading 1")
    bullets(doc, "position.qualities")
    para(doc, "Peer-uddannelse", style="Heading 1")
    para(doc, "{{ position.peer_education_text }} Din vigtigste kompetence er din erfaring "
              "med egen recovery og evnen til at bruge den til gavn for andre.")
    fact_box(doc)
    para(doc, "Sådan søger du", style="Heading 1")
    para(doc, "{{ position.application.how }}")
    para(doc, "{%p if position.application.url or position.application.email %}")
    para(doc, "{% if position.application.url %}Ansøgning: {{ position.application.url }}"
              "{% endif %}{% if position.application.url and position.application.email %} · "
              "{% endif %}{% if position.application.email %}E-mail: "
              "{{ position.application.email }}{% endif %}")
    para(doc, "{%p endif %}")
    para(doc, "Vi skal have din ansøgning senest {{ dates.deadline|ugedag }} den "
              "{{ dates.deadline|dato }}{% if dates.deadline_time %} kl. "
              "{{ dates.deadline_time }}{% endif %}.{% if dates.interviews %} Vi forventer at "
              "holde samtaler {{ dates.interviews|map('dato')|opremsning }}.{% endif %} "
              "Alle ansøgere får svar.")
    para(doc, "Du er velkommen til at kontakte {{ organisation.contact.name }}, "
              "{{ organisation.contact.title }}, hvis du vil vide mere om stillingen"
              "{% if organisation.contact.phone %} (tlf. {{ organisation.contact.phone }})"
              "{% endif %}.")
    para(doc, "{%p if panel|selectattr('lived_experience')|list %}")
    para(doc, "I ansættelsesudvalget sidder også en kollega med egen erfaring. Vi spørger "
              "ikke til diagnoser eller behandling, men til hvordan du bruger dine erfaringer.",
         italic=True, colour=MUTED, before=6)
    para(doc, "{%p else %}")
    para(doc, "Vi spørger ikke til diagnoser eller behandling, men til hvordan du bruger dine "
              "erfaringer.", italic=True, colour=MUTED, before=6)
    para(doc, "{%p endif %}")
    doc.save(OUT / "stillingsopslag.docx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    posting()
    print(f"templates written to {OUT}")
