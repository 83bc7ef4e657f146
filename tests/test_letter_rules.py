"""What each rejection letter says: the variant's reasons, personal feedback, posts, greeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import CaseError
from docgen.pack.pipeline import build, validate
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import docx_text

PEOPLE = """\
  - id: A02
    name: Bent Brun
    email: bent@eksempel.dk
    outcome: rejected
  - id: A03
    name: Carla Castor
    email: carla@eksempel.dk
    interviewed: yes
    outcome: rejected
{extra}  - id: A04
    name: Dorte Dam
    interviewed: yes
    outcome: hired
"""

DECISION = """\
decision:
  shortlist_reasons: [UDVALGT-EFTER-ANSOEGNING]
  reasons: [VALGT-EFTER-SAMTALE]
  hired_profile: Den ansatte har erfaring med grupper.
"""

PERSONAL = (
    "    went_well: Du fortalte åbent om dit vendepunkt.\n"
    "    reason: Valget faldt på en ansøger med mere erfaring med grupper.\n"
)


def _case(*, extra: str = "", decision: str = DECISION, sector: str = "region") -> str:
    text = MINIMAL.replace("  sector: region", f"  sector: {sector}")
    text = text.replace("    name: Åse Ærø\n", "    name: Åse Ærø\n    email: aase@eksempel.dk\n")
    return text + PEOPLE.format(extra=extra) + decision


def _letters(tmp_path: Path, text: str, config: Path | None = None) -> dict[str, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "out"
    result = build(write_case(tmp_path, text), out, config=config)
    return {
        d["recipient"]: docx_text(out / d["path"])
        for d in result.documents
        if d["kind"] == "rejection-letter"
    }


def test_each_letter_gives_the_reasons_of_its_variant(tmp_path: Path) -> None:
    letters = _letters(tmp_path, _case(extra=PERSONAL))
    not_interviewed, interviewed = letters["A02"], letters["A03"]
    assert "UDVALGT-EFTER-ANSOEGNING" in not_interviewed
    assert "VALGT-EFTER-SAMTALE" not in not_interviewed
    assert "VALGT-EFTER-SAMTALE" in interviewed
    assert "UDVALGT-EFTER-ANSOEGNING" not in interviewed
    assert "udvalgte ansøgere til samtale ud fra ansøgningerne" in not_interviewed


@pytest.mark.parametrize(
    ("missing", "field"),
    [("  shortlist_reasons: [UDVALGT-EFTER-ANSOEGNING]\n", "decision.shortlist_reasons"),
     ("  reasons: [VALGT-EFTER-SAMTALE]\n", "decision.reasons")],
)
def test_a_public_employer_needs_the_reasons_of_every_variant_it_sends(
    tmp_path: Path, missing: str, field: str
) -> None:
    text = _case(decision=DECISION.replace(missing, ""))
    with pytest.raises(CaseError) as info:
        validate(write_case(tmp_path, text))
    located = [str(i) for i in info.value.issues]
    assert len(located) == 1
    assert f": {field}: a public employer must give the main reasons" in located[0]
    # An association follows private-employer rules: the reasons are not required.
    validate(write_case(tmp_path, _case(decision=DECISION.replace(missing, ""), sector="ngo"),
                        "ngo.yaml"))


def test_a_variant_nobody_receives_needs_no_reasons(tmp_path: Path) -> None:
    text = _case().replace("  - id: A02\n    name: Bent Brun\n    email: bent@eksempel.dk\n"
                           "    outcome: rejected\n", "")
    validate(write_case(tmp_path, text.replace("  shortlist_reasons: [UDVALGT-EFTER-ANSOEGNING]\n",
                                               "")))


def test_the_interviewed_letter_speaks_to_the_applicant_before_the_general_reasons(
    tmp_path: Path,
) -> None:
    letter = _letters(tmp_path, _case(extra=PERSONAL))["A03"]
    personal = (
        "Vi vil gerne give dig en personlig tilbagemelding på samtalen. Du fortalte åbent om "
        "dit vendepunkt. Valget faldt på en ansøger med mere erfaring med grupper.\n"
    )
    assert personal in letter
    assert letter.index(personal) < letter.index("VALGT-EFTER-SAMTALE")
    assert "Som vi fortalte dig i telefonen, har vi valgt at tilbyde stillingen til en anden" \
        " ansøger." in letter


def test_without_personal_feedback_the_build_advises(tmp_path: Path) -> None:
    checked = validate(write_case(tmp_path, _case()))
    advice = [(a.code, a.field) for a, _ in checked.advisories]
    assert ("letter-no-reason", "applicants[2].reason") in advice
    assert ("letter-no-went-well", "applicants[2].went_well") in advice
    messages = [str(issue) for _, issue in checked.advisories]
    assert any("A03" in m and "reason" in m for m in messages)


def test_no_phone_call_no_reference_to_it_and_no_phone_guide(tmp_path: Path) -> None:
    text = _case(extra=PERSONAL).replace("decision:\n", "decision:\n  phone_calls: no\n")
    letter = _letters(tmp_path, text)["A03"]
    assert "telefonen" not in letter
    assert "Vi har nu afsluttet ansættelsen" in letter
    result = build(write_case(tmp_path, text, "again.yaml"), tmp_path / "again")
    assert "phone-guide" not in {d["kind"] for d in result.documents}
    assert "phone-guide" in {s["kind"] for s in result.skipped}
    with_calls = build(write_case(tmp_path, _case(extra=PERSONAL), "calls.yaml"),
                       tmp_path / "calls")
    assert "phone-guide" in {d["kind"] for d in with_calls.documents}


def test_without_reasons_the_letter_promises_no_written_reasons(tmp_path: Path) -> None:
    decision = "decision:\n  hired_profile: Den ansatte har erfaring med grupper.\n"
    letter = _letters(tmp_path, _case(extra=PERSONAL, decision=decision, sector="ngo"))["A03"]
    assert "begrundelse" not in letter
    assert "Med dette brev får du afgørelsen på skrift." in letter
    with_reasons = _letters(tmp_path / "r", _case(extra=PERSONAL))["A03"]
    assert "Med dette brev får du afgørelsen på skrift sammen med vores begrundelse." \
        in with_reasons


def test_letters_count_the_posts(tmp_path: Path) -> None:
    one = _letters(tmp_path / "one", _case(extra=PERSONAL))
    assert "stillingen til en anden ansøger" in one["A03"]
    assert "har nu ansat en ny medarbejder." in one["A02"]
    two_hires = _case(extra=PERSONAL).replace(
        "  - id: A02\n    name: Bent Brun\n", "  - id: A05\n    name: Erik Eg\n    outcome: hired\n"
        "  - id: A02\n    name: Bent Brun\n"
    )
    two = _letters(tmp_path / "two", two_hires)
    assert "de to stillinger til andre ansøgere" in two["A03"]
    assert "en anden ansøger" not in two["A03"]
    assert "har nu ansat to nye medarbejdere." in two["A02"]


def test_posts_must_match_the_hired_applicants(tmp_path: Path) -> None:
    text = _case(extra=PERSONAL).replace("decision:\n", "decision:\n  posts: 2\n")
    with pytest.raises(CaseError) as info:
        validate(write_case(tmp_path, text))
    assert [str(i).split(": ", 1)[1] for i in info.value.issues] == [
        "decision.posts: does not match the number of applicants whose outcome is 'hired'; "
        "correct one of them (letters say how many posts were filled)"
    ]


@pytest.mark.parametrize(
    ("later", "sentence"),
    [("  later_posts: 1\n", "Vi forventer at slå endnu en peer-stilling op i den kommende tid"),
     ("  later_posts: 3\n", "Vi forventer at slå tre peer-stillinger mere op i den kommende tid"),
     ("  more_posts_expected: yes\n", "Vi forventer at slå flere peer-stillinger op")],
)
def test_posts_expected_later(tmp_path: Path, later: str, sentence: str) -> None:
    text = _case(extra=PERSONAL).replace("decision:\n", "decision:\n" + later)
    letters = _letters(tmp_path, text)
    assert all(sentence in letter for letter in letters.values())


def test_letters_greet_by_first_name_unless_configured(tmp_path: Path) -> None:
    assert "Kære Carla\n" in _letters(tmp_path / "a", _case(extra=PERSONAL))["A03"]
    config = tmp_path / "org.yaml"
    config.write_text("letters:\n  greeting: full-name\n", encoding="utf-8")
    letters = _letters(tmp_path / "b", _case(extra=PERSONAL), config=config)
    assert "Kære Carla Castor\n" in letters["A03"]


def test_a_letter_nobody_can_send_is_advised_by_id(tmp_path: Path) -> None:
    text = _case(extra=PERSONAL).replace("    email: bent@eksempel.dk\n", "")
    checked = validate(write_case(tmp_path, text))
    unreachable = [(a, str(i)) for a, i in checked.advisories if a.code == "letter-unreachable"]
    assert len(unreachable) == 1
    advisory, message = unreachable[0]
    assert advisory.field == "applicants[1]"
    assert "A02" in message
    assert "Bent" not in message
