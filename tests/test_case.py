"""Loading a case: every rule reports file, line, column and field, never the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import CaseError
from docgen.pack.pipeline import validate
from tests.cases import MINIMAL
from tests.conftest import write_case


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write_case(tmp_path, text)
    with pytest.raises(CaseError) as info:
        validate(path)
    return [str(i).replace(str(path), "case.yaml") for i in info.value.issues]


def test_minimal_case_is_valid(tmp_path: Path) -> None:
    checked = validate(write_case(tmp_path, MINIMAL))
    assert checked.case.organisation.address.postal_code == "0700"
    assert checked.case.organisation.contact.phone == "+4512345678"
    assert checked.case.panel[0].lived_experience is True


def test_values_keep_their_written_form(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: leder\n    phone", "title: no\n    phone")
    checked = validate(write_case(tmp_path, text))
    assert checked.case.organisation.contact.title == "no"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  hours_per_week: 20", "  hours_per_week: tyve",
         "case.yaml:23:19: position.hours_per_week: must be a number, e.g. 25 or 18.5"),
        ("  sector: region", "  sectr: region",
         "case.yaml:6:3: organisation.sectr: unknown field 'sectr'; did you mean 'sector'?"),
        ("  title: Peer-medarbejder", "  title: Peer-medarbejder\n  title: Peer",
         'case.yaml:20:3: position.title: duplicate key "title" (first at 19:3)'),
        ('    postal_code: "0700"', "    postal_code: 700",
         "case.yaml:9:18: organisation.address.postal_code: must be a four-digit Danish "
         "postal code, e.g. '7500' (or 'DK-7500')"),
        ("  - id: A01", "  - id: 1",
         "case.yaml:35:9: applicants[0].id: has the wrong form; write it like 'A07'"),
        ("  sector: region", "  sector: stat",
         "case.yaml:6:11: organisation.sector: must be one of: 'region', 'kommune', "
         "'private' or 'ngo'"),
        ("  deadline: 2026-10-01", "  deadline: 1. oktober",
         "case.yaml:3:13: dates.deadline: must be a date written YYYY-MM-DD, e.g. 2026-11-22"),
        ("    lived_experience: yes", "    lived_experience: måske",
         "case.yaml:33:23: panel[0] (P1).lived_experience: must be yes or no (true/false, ja/nej)"),
        ("  place: Huset\n", "",
         "case.yaml:19:3: position.place: is required"),
        ("  name: Testhuset & Co", "  name: &navn Testhuset",
         "case.yaml:5:9: anchors (&name) are not allowed; write the value out"),
        ("  place: Huset", "  place: !!str Huset",
         "case.yaml:26:10: tags (!!type) are not allowed; the schema decides types"),
        ("    name: Åse Ærø", '    name: "Åse\\x07"',
         "case.yaml:36:11: applicants[0] (A01).name: control character U+0007 is not allowed"),
        ("    name: Åse Ærø", "    name: Åse\x0bÆrø",
         "case.yaml:36:14: control character U+000B is not allowed"),
        ("  - id: A01\n    name: Åse Ærø\n", "  - id: P1\n",
         "case.yaml:35:5: applicants[0].name: is required"),
    ],
)
def test_each_rule_has_a_located_message(tmp_path: Path, old: str, new: str,
                                         expected: str) -> None:
    assert old in MINIMAL
    assert expected in problems(tmp_path, MINIMAL.replace(old, new, 1))


def test_aliases_are_refused_before_expansion(tmp_path: Path) -> None:
    text = MINIMAL.replace("  name: Testhuset & Co", "  name: &n Testhuset").replace(
        "    name: Åse Ærø", "    name: *n")
    found = problems(tmp_path, text)
    assert "case.yaml:36:11: aliases (*name) are not allowed; write the value out" in found


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL + "#" * 1_000_001 + "\n")
    assert found == ["case.yaml: the file is larger than 1 MB; a case file is far smaller"]


def test_three_planted_mistakes_in_one_report(tmp_path: Path) -> None:
    text = (MINIMAL.replace("  hours_per_week: 20", "  hours_per_week: tyve")
            .replace("  place: Huset", "  plac: Huset\n  place: Huset")
            .replace("  qualities: [Lyttende]", "  qualities: [Lyttende]\n  qualities: [Rolig]"))
    found = problems(tmp_path, text)
    assert found == [
        'case.yaml:23:3: position.qualities: duplicate key "qualities" (first at 22:3)',
        "case.yaml:24:19: position.hours_per_week: must be a number, e.g. 25 or 18.5",
        "case.yaml:27:3: position.plac: unknown field 'plac'; did you mean 'place'?",
    ]


SECRET = "SENTINEL-HEALTH-123"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  hours_per_week: 20", f"  hours_per_week: {SECRET}"),
        ("  - id: A01", f"  - id: {SECRET}"),
        ("    name: Åse Ærø", f"    name: {SECRET}\n    name: {SECRET}-2"),
        ("  sector: region", f"  sector: {SECRET}"),
        ("    lived_experience: yes", f"    lived_experience: {SECRET}"),
        ("  deadline: 2026-10-01", f"  deadline: {SECRET}"),
        ("  deadline: 2026-10-01", f'  deadline: "{SECRET}\\x01"'),
        ("  place: Huset", f"  place: [{SECRET}"),
    ],
)
def test_messages_never_echo_values(tmp_path: Path, old: str, new: str) -> None:
    found = problems(tmp_path, MINIMAL.replace(old, new, 1))
    assert found
    assert all(SECRET not in line for line in found)


def test_cross_field_checks(tmp_path: Path) -> None:
    text = MINIMAL.replace("applicants:\n", "interview:\n  slots:\n"
                           "    - {applicant: A09, start: '2026-10-05 09:00'}\napplicants:\n")
    text += "  - id: A01\n    name: Bo\n"
    found = problems(tmp_path, text)
    assert "case.yaml:36:19: interview.slots[0].applicant: no applicant has id 'A09'" in found
    assert ("case.yaml:40:9: applicants[1] (A01).id: id 'A01' is already used by "
            "applicants[0]") in found


def test_retention_over_36_months_is_an_error(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL + "retention:\n  months: 40\n")
    assert found == [
        "case.yaml:38:11: retention.months: at most 36 months: Datatilsynet accepts up to "
        "3 years after the recruitment for applicants not hired"
    ]


def test_public_employer_needs_main_reasons(tmp_path: Path) -> None:
    text = MINIMAL.replace("    name: Åse Ærø", "    name: Åse Ærø\n    outcome: rejected")
    found = problems(tmp_path, text)
    # Åse was not interviewed: her letter needs the shortlisting reasons, not the interview's.
    assert [f for f in found if "main reasons" in f] == [
        "case.yaml:1:1: decision.shortlist_reasons: a public employer must give the main "
        "reasons (hovedmomenter) in the letters to applicants who were not interviewed "
        "(forvaltningsloven § 22); list what decided who was invited here"
    ]
    for sector in ("private", "ngo"):
        other = text.replace("  sector: region", f"  sector: {sector}")
        checked = validate(write_case(tmp_path, other, f"{sector}.yaml"))
        assert [a.code for a, _ in checked.advisories] == [
            "rejected-before-hire", "letter-unreachable"
        ]


def test_advisories_and_strict(tmp_path: Path) -> None:
    text = (MINIMAL.replace("  hours_per_week: 20", "  hours_per_week: 8")
            .replace("    lived_experience: yes", "    external: yes")
            .replace("  place: Huset", "  place: Huset\n  peer_education: required"))
    path = write_case(tmp_path, text)
    checked = validate(path)
    codes = [a.code for a, _ in checked.advisories]
    assert codes == ["hours-range", "panel-lived-experience", "external-panel-member",
                     "peer-education-required"]
    with pytest.raises(CaseError) as info:
        validate(path, strict=True)
    assert len(info.value.issues) == 4
    assert all("advice [" in str(i) for i in info.value.issues)


def test_both_samples_are_valid() -> None:
    samples = sorted(Path(__file__).resolve().parent.parent.glob("samples/*.yaml"))
    assert len(samples) >= 2
    for sample in samples:
        validate(sample)


def test_empty_values_mean_not_given_but_quoted_ones_are_text(tmp_path: Path) -> None:
    text = MINIMAL.replace("    phone: +4512345678", "    phone: ~\n    email:").replace(
        "  place: Huset", "  place: Huset\n  start_text: 'null'"
    )
    checked = validate(write_case(tmp_path, text))
    assert checked.case.organisation.contact.phone is None
    assert checked.case.organisation.contact.email is None
    assert checked.case.position.start_text == "null"


def test_a_scale_override_without_a_label_per_step_is_a_located_error(tmp_path: Path) -> None:
    text = MINIMAL + "interview:\n  scale:\n    min: 1\n    max: 3\n    labels: [a, b]\n"
    assert problems(tmp_path, text) == [
        "case.yaml:41:13: interview.scale.labels: needs one label per step: 3 labels"
    ]
