"""A small valid case, as text, for tests to vary."""

MINIMAL = """\
reference: T-1
dates:
  deadline: 2026-10-01
organisation:
  name: Testhuset & Co
  sector: region
  address:
    street: Vej 1
    postal_code: "0700"
    city: By
  contact:
    name: Kim Kontakt
    title: leder
    phone: +4512345678
  signer:
    name: Kim Kontakt
    title: leder
position:
  title: Peer-medarbejder
  tasks: [Samtaler]
  competencies: [Samarbejde]
  qualities: [Lyttende]
  hours_per_week: 20
  pay_basis: Efter overenskomst
  working_times: [day]
  place: Huset
  application:
    how: Send en mail
panel:
  - id: P1
    name: Pia Panel
    title: leder
    lived_experience: yes
applicants:
  - id: A01
    name: Åse Ærø
"""
