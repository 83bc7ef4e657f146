"""The hostile corpus's tools: templates made on the fly, a case with a sentinel everywhere.

Every personal field of :data:`SENTINEL_CASE` carries the word ``SENTINEL`` (or, where
the schema allows digits only, :data:`SENTINEL_DIGITS`), so a test can prove that no
message, log or traceback ever shows a value from the case.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docx import Document
from openpyxl import Workbook

SENTINEL = "SENTINEL"
SENTINEL_DIGITS = "98765432"

SENTINEL_CASE = f"""\
reference: T-1
dates:
  deadline: 2026-10-01
  letters: 2026-11-01
organisation:
  name: Testhuset
  sector: private
  address: {{street: Vej 1 SENTINEL-street, postal_code: "0700", city: By SENTINEL-city}}
  contact:
    name: SENTINEL-contact Kim
    title: leder
    phone: "+45 70 10 20 30 (SENTINEL-phone-note)"
    email: sentinel-contact@eksempel.dk
  signer: {{name: SENTINEL-signer Kim, title: leder}}
position:
  title: Peer-medarbejder
  tasks: [Samtaler]
  competencies: [Samarbejde]
  qualities: [Lyttende]
  hours_per_week: 20
  pay_basis: Efter overenskomst
  working_times: [day]
  working_times_note: SENTINEL-times enkelte aftener
  place: Huset
  application: {{how: Send en mail}}
panel:
  - {{id: P1, name: SENTINEL-panel Pia, title: leder, lived_experience: yes}}
  - {{id: P2, name: SENTINEL-external Ole, title: konsulent, external: yes}}
applicants:
  - id: A01
    name: SENTINEL-name Åse
    email: sentinel-applicant@eksempel.dk
    phone: "+45 {SENTINEL_DIGITS}"
    address: {{street: SENTINEL-home 3, postal_code: "8000", city: SENTINEL-town}}
    interviewed: yes
    outcome: rejected
    went_well: SENTINEL-went-well has PTSD
    reason: SENTINEL-reason diagnosis
  - id: A02
    name: SENTINEL-hired Bo
    interviewed: yes
    outcome: hired
decision:
  reasons: [SENTINEL-decision reason]
  shortlist_reasons: [SENTINEL-shortlist reason]
  later_posts: 1
  hired_profile: SENTINEL-profile of the hired person
job_start:
  supervisor: {{name: SENTINEL-supervisor Eva, title: supervisor}}
  supervision: SENTINEL-supervision every second week
"""


def leaked(text: str) -> bool:
    """Whether ``text`` shows any sentinel value."""
    lowered = text.lower()
    return SENTINEL.lower() in lowered or SENTINEL_DIGITS in text.replace(" ", "")


def docx_template(path: Path, *paragraphs: str) -> Path:
    """A Word template with one paragraph per text (one run each)."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def xlsx_template(path: Path, cells: dict[str, str], title: str = "Ark") -> Path:
    """An Excel template with the given cell texts on one sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for ref, text in cells.items():
        ws[ref] = text
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def config(path: Path, documents: list[dict[str, str]], **extra: object) -> Path:
    """An organisation's config that declares exactly ``documents``."""
    path.write_text(yaml.safe_dump({"documents": documents, **extra}), encoding="utf-8")
    return path
