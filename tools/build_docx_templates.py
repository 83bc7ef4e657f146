"""Create the shipped Word templates in templates/docx/ (run: python tools/build_docx_templates.py).

Consultants edit the resulting .docx files in Word; this script only makes the first
version reproducible. Every sentence is the project's own Danish wording.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx_kit import (  # noqa: E402
    ACCENT,
    BOX_FILL,
    MUTED,
    add_run,
    bottom_rule,
    cell_margins,
    keep_together,
    link,
    new_document,
    no_borders,
    page_number_field,
    para,
    shade,
    widths,
)

from docgen.word.package import normalise_package  # noqa: E402

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
    add_run(p, text + " · Side ", colour=MUTED, size=8.5)
    page_number_field(p)
    p.alignment = 1


def fact_box(doc: DocumentObject) -> None:
    """The shaded box with the practical facts of the post (the text does not repeat them)."""
    rows = [
        ("Timer", "{{ position.hours_per_week|tal }} timer om ugen"),
        ("Ansættelsesform", "{{ position.employment_form_text }}"),
        ("Løn", "{{ position.pay_basis }}"),
        ("Arbejdstid", "{{ position.working_times_line }}"),
        ("Tiltrædelse", "{% if position.start %}{{ position.start|dato }}{% elif "
                        "position.start_text %}{{ position.start_text|stort }}{% else %}Efter "
                        "aftale{% endif %}"),
        ("Arbejdssted", "{{ position.place }}"),
        ("Ansøgningsfrist", "{{ dates.deadline|ugedag|stort }} den {{ dates.deadline|dato }}"
                            "{% if dates.deadline_time %} kl. {{ dates.deadline_time }}"
                            "{% endif %}"),
        ("Samtaler", "{{ dates.interviews|datoer }}"),
        ("Kontakt", "{{ organisation.contact.name }}, {{ organisation.contact.title }}"
                    "{% if organisation.contact.phone %}, tlf. "
                    "{{ organisation.contact.phone|ubrudt }}{% endif %}"
                    "{% if organisation.contact.email %}, {% endif %}"),
    ]
    para(doc, "Fakta om stillingen", style="Heading 1")
    table = doc.add_table(rows=0, cols=2)
    no_borders(table)
    cell_margins(table, 1.6)
    for label, value in rows:
        if label == "Samtaler":
            marker = table.add_row().cells
            marker[0].paragraphs[0].add_run("{%tr if dates.interviews %}")
        cells = fact_row(table, label, value)
        if label == "Kontakt":
            contact = cells[1].paragraphs[0]
            add_run(contact, "{% if organisation.contact.email %}")
            link(contact, "mailto:{{ organisation.contact.email }}",
                 "{{ organisation.contact.email }}")
            add_run(contact, "{% endif %}")
        if label == "Samtaler":
            marker = table.add_row().cells
            marker[0].paragraphs[0].add_run("{%tr endif %}")
    widths(table, [38, 128])
    keep_together(table)
    for row in table.rows:
        for c in row.cells:
            shade(c, BOX_FILL)


def fact_row(table: Table, label: str, value: str) -> list[_Cell]:
    """A label/value row of a shaded fact box; returns its cells."""
    cells = table.add_row().cells
    cells[0].paragraphs[0].text = ""
    add_run(cells[0].paragraphs[0], label, bold=True, colour=ACCENT)
    cells[1].paragraphs[0].text = ""
    add_run(cells[1].paragraphs[0], value)
    for c in cells:
        c.paragraphs[0].paragraph_format.space_after = Pt(0)
    return list(cells)


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
                     "{{ position.employment_form_text }} · Start "
                     "{% if position.start %}{{ position.start|dato }}{% elif "
                     "position.start_text %}{{ position.start_text[:1]|lower }}"
                     "{{ position.start_text[1:] }}{% else %}efter aftale{% endif %}",
                size=12, colour=ACCENT, after=10)
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
    para(doc, "{{ position.education_requirement|punktum }}", style="List Bullet")
    bullets(doc, "position.competencies", "{{ item|punktum }}")
    para(doc, "Dine personlige kvalifikationer", style="Heading 1")
    bullets(doc, "position.qualities", "{{ item|punktum }}")
    para(doc, "Peer-uddannelse", style="Heading 1")
    para(doc, "{{ position.peer_education_text }} Din vigtigste kompetence er din erfaring "
              "med egen recovery og evnen til at bruge den til gavn for andre.")
    fact_box(doc)
    para(doc, "Sådan søger du", style="Heading 1")
    para(doc, "{{ position.application.how|punktum }}")
    para(doc, "{%p if position.application.url %}")
    apply = para(doc, "Link til ansøgningen: ")
    link(apply, "{% if '://' not in position.application.url %}https://{% endif %}"
                "{{ position.application.url }}", "{{ position.application.url }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if position.application.email %}")
    mail = para(doc, "Send ansøgningen til ")
    link(mail, "mailto:{{ position.application.email }}", "{{ position.application.email }}")
    add_run(mail, ".")
    para(doc, "{%p endif %}")
    para(doc, "Alle ansøgere får svar. Har du spørgsmål til stillingen, er du velkommen til "
              "at ringe eller skrive til kontaktpersonen i faktaboksen.")
    para(doc, "{%p if panel|selectattr('lived_experience')|list %}")
    para(doc, "I ansættelsesudvalget sidder også en kollega med egen erfaring. Vi spørger "
              "ikke til diagnoser eller behandling, men til hvordan du bruger dine erfaringer.",
         italic=True, colour=MUTED, before=6)
    para(doc, "{%p else %}")
    para(doc, "Vi spørger ikke til diagnoser eller behandling, men til hvordan du bruger dine "
              "erfaringer.", italic=True, colour=MUTED, before=6)
    para(doc, "{%p endif %}")
    doc.save(OUT / "stillingsopslag.docx")


def letter_top(doc: DocumentObject) -> None:
    """Recipient block on the left, date and case reference on the right, then the subject.

    The cells have no side padding, so the recipient starts at the left margin and the
    date ends at the right one, like the text below them.
    """
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    cell_margins(table, 0, sides_mm=0)
    widths(table, [110, 56])
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    add_run(left.paragraphs[0], "{{ applicant.name }}")
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    para(left, "{%p if applicant.address %}")
    para(left, "{{ applicant.address.street }}", after=0)
    para(left, "{{ applicant.address.postal_code }} {{ applicant.address.city }}", after=0)
    para(left, "{%p elif applicant.email %}")
    para(left, "Sendt pr. e-mail til {{ applicant.email }}", after=0, colour=MUTED, size=9)
    para(left, "{%p endif %}")
    right.paragraphs[0].text = ""
    add_run(right.paragraphs[0], "{{ organisation.address.city }}, {{ letter_date|dato }}")
    right.paragraphs[0].alignment = 2
    right.paragraphs[0].paragraph_format.space_after = Pt(0)
    ref = para(right, "Sagsnr. {{ case.reference }}", colour=MUTED, size=9, after=0)
    ref.alignment = 2
    para(doc, "", after=14)


def closing(doc: DocumentObject) -> None:
    """Contact sentence, greeting and signature."""
    para(doc, "Har du spørgsmål til brevet, er du velkommen til at kontakte "
              "{{ organisation.contact.name }}, {{ organisation.contact.title }}"
              "{% if organisation.contact.phone %}, på telefon "
              "{{ organisation.contact.phone|ubrudt }}{% endif %}"
              "{% if organisation.contact.email %} eller på "
              "{{ organisation.contact.email }}{% endif %}.")
    para(doc, "Med venlig hilsen", before=10, after=26)
    para(doc, "{{ organisation.signer.name }}", after=0)
    para(doc, "{{ organisation.signer.title|stort }}", after=0)
    para(doc, "{{ organisation.name }}{% if organisation.unit %}, {{ organisation.unit }}"
              "{% endif %}", after=0)


# The posts filled, in the letters' words: one post or several.
ONE_POST = "{% if decision.posts == 1 %}"
OTHER_APPLICANT = (ONE_POST + "stillingen til en anden ansøger{% else %}de "
                   "{{ decision.posts|talord }} stillinger til andre ansøgere{% endif %}")
NEW_STAFF = (ONE_POST + "en ny medarbejder{% else %}{{ decision.posts|talord }} nye "
             "medarbejdere{% endif %}")


def reasons_block(doc: DocumentObject, reasons: str, lead: str) -> None:
    """The main reasons (hovedmomenter) of one variant and the hired person's profile."""
    para(doc, f"{{%p if {reasons} %}}")
    para(doc, lead, after=2)
    bullets(doc, reasons)
    para(doc, "{%p endif %}")
    para(doc, "{%p if decision.hired_profile %}")
    para(doc, "{{ decision.hired_profile|punktum }}", before=5)
    para(doc, "{%p endif %}")


def more_posts(doc: DocumentObject) -> None:
    """An invitation to apply again when more posts are expected."""
    para(doc, "{%p if decision.more_posts_expected %}")
    para(doc, "{% if decision.later_posts == 1 %}Vi forventer at slå endnu en peer-stilling op"
              "{% elif decision.later_posts %}Vi forventer at slå {{ decision.later_posts|talord }}"
              " peer-stillinger mere op{% else %}Vi forventer at slå flere peer-stillinger op"
              "{% endif %} i den kommende tid, og du er meget velkommen til at søge igen.")
    para(doc, "{%p endif %}")


def retention_block(doc: DocumentObject) -> None:
    """How long the application is kept, and consent for future posts."""
    para(doc, "{%p if applicant.consent_keep %}")
    para(doc, "Du har givet samtykke til, at vi gemmer din ansøgning i "
              "{{ retention.consent_months or retention.months }} måneder, så vi kan kontakte "
              "dig, hvis en ny peer-stilling bliver ledig. Du kan til enhver tid trække "
              "samtykket tilbage ved at skrive eller ringe til os.")
    para(doc, "{%p else %}")
    para(doc, "Vi gemmer din ansøgning i {{ retention.months }} måneder, efter at "
              "ansættelsesforløbet er afsluttet, og sletter den derefter."
              "{% if retention.consent_months %} Vil du hellere have, at vi gemmer den i "
              "{{ retention.consent_months }} måneder med henblik på kommende peer-stillinger, "
              "kan du give os dit samtykke ved at kontakte os.{% endif %}")
    para(doc, "{%p endif %}")


def letter(variant: str) -> None:
    """templates/docx/afslag_*.docx: a rejection letter."""
    doc = new_document(top_mm=34)
    letterhead(doc)
    footer(doc, "{{ organisation.name }} · Sagsnr. {{ case.reference }}")
    letter_top(doc)
    para(doc, "Svar på din ansøgning om stillingen som {{ position.title|lower }}", bold=True,
         size=12, colour=ACCENT, after=10)
    para(doc, "Kære {{ applicant.greeting }}")
    if variant == "interviewed":
        para(doc, "Tak, fordi du søgte stillingen som {{ position.title|lower }}"
                  "{% if organisation.unit %} i {{ organisation.unit }}{% endif %}, og tak, "
                  "fordi du kom til samtale{% if applicant.slot %} den "
                  "{{ applicant.slot.start|dato }}{% endif %}. Vi satte stor pris på at møde "
                  "dig og høre om dine erfaringer.")
        para(doc, "{% if decision.phone_calls %}Som vi fortalte dig i telefonen, har vi valgt "
                  f"at tilbyde {OTHER_APPLICANT}.{{% else %}}Vi har nu afsluttet ansættelsen, "
                  "og vi må desværre meddele dig, at vi har valgt at tilbyde "
                  f"{OTHER_APPLICANT}.{{% endif %}} Med dette brev får du afgørelsen på skrift"
                  "{% if decision.reasons %} sammen med vores begrundelse{% endif %}.")
        para(doc, "{%p if applicant.went_well or applicant.reason %}")
        para(doc, "Vi vil gerne give dig en personlig tilbagemelding på samtalen."
                  "{% if applicant.went_well %} {{ applicant.went_well|punktum }}{% endif %}"
                  "{% if applicant.reason %} {{ applicant.reason|punktum }}{% endif %}")
        para(doc, "{%p endif %}")
        para(doc, "Vi fik {{ applicant_count|talord }} ansøgninger og holdt samtaler med "
                  "{{ interviewed_count|talord }} ansøgere. Valget har været svært, fordi flere "
                  "ansøgere havde stærke erfaringer at byde på.")
        reasons_block(doc, "decision.reasons",
                      "Da vi valgte mellem ansøgerne efter samtalerne, lagde vi især vægt på:")
    else:
        para(doc, "Tak for din ansøgning til stillingen som {{ position.title|lower }}"
                  "{% if organisation.unit %} i {{ organisation.unit }}{% endif %} og for den "
                  "interesse, du har vist for at arbejde hos os.")
        para(doc, f"Vi fik {{{{ applicant_count|talord }}}} ansøgninger og har nu ansat "
                  f"{NEW_STAFF}. "
                  "Vi må desværre meddele dig, at du ikke blev udvalgt til samtale, og at vi "
                  "derfor ikke kan tilbyde dig stillingen.")
        reasons_block(doc, "decision.shortlist_reasons",
                      "Da vi udvalgte ansøgere til samtale ud fra ansøgningerne, lagde vi især "
                      "vægt på:")
    more_posts(doc)
    retention_block(doc)
    closing(doc)
    name = "afslag_samtale.docx" if variant == "interviewed" else "afslag_uden_samtale.docx"
    doc.save(OUT / name)


def phone_guide() -> None:
    """templates/docx/telefonguide.docx: talking points for the rejection call."""
    doc = new_document(top_mm=34)
    letterhead(doc)
    footer(doc, "Internt arbejdspapir · Sagsnr. {{ case.reference }} · Overfør notatet til "
                "sagen, og makulér derefter arket")
    para(doc, "TELEFONGUIDE · AFSLAG EFTER SAMTALE", colour=MUTED, size=9, bold=True, after=2)
    para(doc, "Opkald til {{ applicant.name }}", style="Title")
    table = doc.add_table(rows=0, cols=2)
    no_borders(table)
    cell_margins(table, 1.4)
    rows = [
        ("Ansøger", "{{ applicant.id }} · {{ applicant.name }}"),
        ("Telefon", "{% if applicant.phone %}{{ applicant.phone|ubrudt }}{% else %}Står ikke "
                    "i sagen – se ansøgningen{% endif %}"),
        ("Samtale", "{% if applicant.slot %}{{ applicant.slot.start|ugedag|stort }} den "
                    "{{ applicant.slot.start|dato }} kl. {{ applicant.slot.start|tid }}"
                    "{% else %}Se sagen{% endif %}"),
        ("Ring", "Kort efter samtalen – helst inden for et par dage og før brevet sendes"),
    ]
    for label, value in rows:
        fact_row(table, label, value)
    for row in table.rows:
        for c in row.cells:
            shade(c, BOX_FILL)
    widths(table, [30, 136])
    para(doc, "1. Åbning", style="Heading 2")
    para(doc, "Sig, hvem du er, og hvorfor du ringer. Spørg, om det er et godt tidspunkt at "
              "tale – ellers aftal et nyt.")
    para(doc, "2. Afgørelsen", style="Heading 2")
    para(doc, f"Sig det tidligt og tydeligt: Udvalget har valgt at tilbyde {OTHER_APPLICANT}. "
              "Giv plads til reaktionen, før du går videre.")
    para(doc, "3. Begrundelsen", style="Heading 2")
    para(doc, "{%p if decision.reasons %}")
    para(doc, "Udvalget lagde især vægt på:", after=2)
    bullets(doc, "decision.reasons")
    para(doc, "{%p endif %}")
    para(doc, "{%p if applicant.reason %}")
    para(doc, "Sig til ansøgeren: {{ applicant.reason|punktum }}", before=5)
    para(doc, "{%p endif %}")
    para(doc, "{%p if decision.hired_profile %}")
    para(doc, "Om {% if decision.posts == 1 %}den ansatte{% else %}de ansatte{% endif %} "
              "(uden navn eller andet, der kan afsløre, hvem personen er): "
              "{{ decision.hired_profile|punktum }}")
    para(doc, "{%p endif %}")
    para(doc, "4. Det gik godt", style="Heading 2")
    para(doc, "{%p if applicant.went_well %}")
    para(doc, "Fra udvalgets noter: {{ applicant.went_well|punktum }}")
    para(doc, "{%p else %}")
    para(doc, "Nævn et eller to konkrete eksempler fra samtalen, som udvalget lagde mærke til.")
    para(doc, "{%p endif %}")
    para(doc, "5. Brevet", style="Heading 2")
    para(doc, "Fortæl, at ansøgeren også får afgørelsen"
              "{% if decision.reasons %} og begrundelsen{% endif %} i et brev"
              "{% if applicant.email %}, der sendes pr. e-mail{% elif applicant.address %}, der "
              "sendes med posten{% endif %}.{% if not applicant.reachable %} Sagen har hverken "
              "adresse eller e-mail: Spørg, hvor brevet skal sendes hen.{% endif %}")
    para(doc, "6. Næste skridt", style="Heading 2")
    para(doc, "{% if decision.more_posts_expected %}Fortæl, at vi forventer at slå "
              "{% if decision.later_posts == 1 %}endnu en peer-stilling{% elif "
              "decision.later_posts %}{{ decision.later_posts|talord }} peer-stillinger mere"
              "{% else %}flere peer-stillinger{% endif %} op, og at ansøgeren er velkommen til "
              "at søge igen. {% endif %}"
              "{% if applicant.consent_keep %}Ansøgeren har givet samtykke til, at vi gemmer "
              "ansøgningen til kommende stillinger; bekræft det.{% else %}Spørg, om vi må gemme "
              "ansøgningen til kommende peer-stillinger (samtykke), ellers slettes den "
              "{{ retention.months }} måneder, efter at ansættelsesforløbet er afsluttet."
              "{% endif %}")
    para(doc, "7. Notér opkaldet", style="Heading 2")
    para(doc, "Skriv dato, tidspunkt og det vigtigste fra samtalen i sagen (notatpligt). "
              "Skriv aldrig diagnoser eller oplysninger om behandling.")
    para(doc, "Ringet den: ____________  kl. ______   Af: ______________________", before=6)
    doc.save(OUT / "telefonguide.docx")


def pin(path: Path) -> None:
    """Fixed zip times and cleared properties, so rebuilding the templates changes nothing."""
    path.write_bytes(normalise_package(path.read_bytes(), "2026-01-01T00:00:00Z"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    posting()
    letter("interviewed")
    letter("not-interviewed")
    phone_guide()
    for made in sorted(OUT.glob("*.docx")):
        pin(made)
    print(f"templates written to {OUT}")
