"""The case file accepts what HR offices write, and refuses the rest with located messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import CaseError
from docgen.pack.pipeline import build, validate
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import docx_text

SECRET = "Hemmelig Værdi 4711"


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = write_case(tmp_path, text)
    with pytest.raises(CaseError) as info:
        validate(path)
    return [str(i).replace(str(path), "case.yaml") for i in info.value.issues]


@pytest.mark.parametrize("reference", ["2026/0417 HR", "RM-2026-117", "J.nr. 26/117 (HR)"])
def test_references_as_offices_write_them(tmp_path: Path, reference: str) -> None:
    checked = validate(write_case(tmp_path, MINIMAL.replace("reference: T-1",
                                                            f"reference: {reference}")))
    assert checked.case.reference == reference


def test_an_address_on_one_line_or_with_a_country_prefix(tmp_path: Path) -> None:
    one_line = MINIMAL.replace(
        '  address:\n    street: Vej 1\n    postal_code: "0700"\n    city: By\n',
        "  address: Nørre Allé 12, 2. th., DK-8000 Aarhus C\n",
    )
    address = validate(write_case(tmp_path, one_line)).case.organisation.address
    assert (address.street, address.postal_code, address.city) == (
        "Nørre Allé 12, 2. th.", "8000", "Aarhus C")
    prefixed = MINIMAL.replace('postal_code: "0700"', "postal_code: DK-7500")
    code = validate(write_case(tmp_path, prefixed, "b.yaml")).case.organisation.address
    assert code.postal_code == "7500"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('  address:\n    street: Vej 1\n    postal_code: "0700"\n    city: By\n',
         f"  address: {SECRET}\n",
         "case.yaml:7:12: organisation.address: write the address as 'Vejnavn 1, 7500 By' "
         "or as street, postal_code and city on lines of their own"),
        ('postal_code: "0700"', f"postal_code: {SECRET}",
         "case.yaml:9:18: organisation.address.postal_code: must be a four-digit Danish "
         "postal code, e.g. '7500' (or 'DK-7500')"),
        ("phone: +4512345678", f"phone: {SECRET}",
         "case.yaml:14:12: organisation.contact.phone: must start with the phone number, "
         "e.g. '97 12 34 56' or '+45 97 12 34 56' (a note may follow)"),
        ("reference: T-1", f"reference: {SECRET}!",
         "case.yaml:1:12: reference: has the wrong form; write it like '2026/0417 HR'"),
    ],
)
def test_what_is_truly_wrong_is_a_located_error_without_the_value(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    found = _problems(tmp_path, MINIMAL.replace(old, new, 1))
    assert found == [expected]
    assert all("4711" not in line for line in found)


def test_a_phone_number_may_carry_a_note(tmp_path: Path) -> None:
    text = MINIMAL.replace("phone: +4512345678", "phone: 97 12 34 56 (hverdage 9-12)")
    checked = validate(write_case(tmp_path, text))
    assert checked.case.organisation.contact.phone == "97 12 34 56 (hverdage 9-12)"


def _posting(tmp_path: Path, text: str) -> str:
    result = build(write_case(tmp_path, text), tmp_path / "out")
    posting = next(d for d in result.documents if d["kind"] == "posting")
    return docx_text(tmp_path / "out" / posting["path"])


@pytest.mark.parametrize(
    ("times", "line"),
    [
        ("  working_times: [day]\n  working_times_note: dagtimer\n", "Arbejdstid\nDagtimer.\n"),
        ("  working_times: Dagtimer og enkelte aftener\n",
         "Arbejdstid\nDagtimer og enkelte aftener.\n"),
        ("  working_times: [dag, aften]\n", "Arbejdstid\nDagtimer og aftener\n"),
        ("  working_times: [day]\n  working_times_note: Mest om formiddagen\n",
         "Arbejdstid\nDagtimer. Mest om formiddagen.\n"),
    ],
)
def test_working_times_read_well_whichever_way_they_are_given(
    tmp_path: Path, times: str, line: str
) -> None:
    text = MINIMAL.replace("  working_times: [day]\n", times)
    assert line in _posting(tmp_path, text)


def test_free_text_working_times_keep_the_fixed_choices(tmp_path: Path) -> None:
    text = MINIMAL.replace("  working_times: [day]\n",
                           "  working_times: Hverdage, enkelte aftener og weekender\n")
    position = validate(write_case(tmp_path, text)).case.position
    assert position.working_times == ["day", "evening", "weekend"]
    assert position.working_times_note == "Hverdage, enkelte aftener og weekender"


def test_working_times_must_be_given_somehow(tmp_path: Path) -> None:
    found = _problems(tmp_path, MINIMAL.replace("  working_times: [day]\n", ""))
    assert found == [
        "case.yaml:19:3: position: say when the work happens: working_times (day, evening, "
        "weekend) or working_times_note as free text"
    ]


def test_an_association_is_its_own_sector_with_private_rules(tmp_path: Path) -> None:
    text = (MINIMAL.replace("  sector: region", "  sector: ngo")
            .replace("    name: Åse Ærø", "    name: Åse Ærø\n    email: a@eksempel.dk\n"
                     "    outcome: rejected")
            + "  - id: A02\n    name: Bo Bæk\n    outcome: hired\n"
            + "decision:\n  hired_profile: Erfaren.\n")
    checked = validate(write_case(tmp_path, text))
    assert checked.case.organisation.sector == "ngo"
    posting = _posting(tmp_path, text)
    assert "Fakta om stillingen" in posting
