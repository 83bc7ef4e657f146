"""The fifteen mistakes an HR officer makes, and the message each one gets.

Each case feeds one mistake into a valid case and pins the whole message: file, line,
column, field and the words of the fix. None of them may repeat the value written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import CaseError
from docgen.pack.pipeline import validate
from tests.cases import MINIMAL
from tests.conftest import write_case

# A valid case with the parts the mistakes below need: dates, a slot, two applicants.
CASE = MINIMAL.replace(
    "  deadline: 2026-10-01\n",
    "  posted: 2026-09-01\n  deadline: 2026-10-01\n  interviews: [2026-10-08]\n",
).replace(
    "  - id: A01\n    name: Åse Ærø\n",
    "  - id: A01\n    name: Åse Ærø\n    email: aase@eksempel.dk\n    interviewed: yes\n"
    "    outcome: hired\n"
    "  - id: A02\n    name: Bo Berg\n    phone: 97 12 34 56 (hverdage 9-12)\n"
    "    outcome: pending\n",
).replace(
    "panel:\n",
    "interview:\n  slots:\n    - applicant: A01\n      start: 2026-10-08 09:00\npanel:\n",
) + "decision:\n  reasons: [erfaring]\n  hired_profile: Erfaring med grupper.\n"


def report(tmp_path: Path, text: str) -> list[str]:
    """Every error, or else every piece of advice, as the CLI prints it (file shortened)."""
    path = write_case(tmp_path, text)
    try:
        checked = validate(path)
    except CaseError as e:
        return [str(i).replace(str(path), "case.yaml") for i in e.issues]
    return [str(issue).replace(str(path), "case.yaml") for _, issue in checked.advisories]


def vary(old: str, new: str) -> str:
    assert old in CASE, old
    return CASE.replace(old, new, 1)


def test_the_case_the_mistakes_start_from_is_clean(tmp_path: Path) -> None:
    assert report(tmp_path, CASE) == []


MISTAKES = [
    pytest.param(
        "  title: Peer-medarbejder", "\ttitle: Peer-medarbejder",
        "case.yaml:21:1: position.title: a tab is used for indentation; use spaces, not tabs",
        id="01-tab-indent",
    ),
    pytest.param(
        "  title: Peer-medarbejder", "  title Peer-medarbejder",
        "case.yaml:21:3: position.title: this line has no colon after its key; "
        "write 'key: value'",
        id="02-missing-colon",
    ),
    pytest.param(
        "    how: Send en mail", "    how: Send en mail: job@huset.dk",
        "case.yaml:30:22: position.application.how: a colon followed by a space inside a "
        'text; put the whole text in quotes, e.g. key: "text: more text"',
        id="03-colon-in-value",
    ),
    pytest.param(
        "  place: Huset", '  place: "Huset',
        "case.yaml:28:10: position.place: a quote opens here but is never closed; end the "
        "text with the same quote mark on the same line",
        id="04-unclosed-quote",
    ),
    pytest.param(
        "  tasks: [Samtaler]", "  tasks: [Samtaler",
        "case.yaml:22:10: position.tasks: a list opened with '[' here is never closed; "
        "end it with ']'",
        id="05-unclosed-bracket",
    ),
    pytest.param(
        "  sector: region", "  sector: regon",
        "case.yaml:8:11: organisation.sector: must be one of: 'region', 'kommune', "
        "'private' or 'ngo'; did you mean 'region'?",
        id="06-enum-near-miss",
    ),
    pytest.param(
        "  sector: region", "  sector: kommunal",
        "case.yaml:8:11: organisation.sector: must be one of: 'region', 'kommune', "
        "'private' or 'ngo'; did you mean 'kommune'?",
        id="07-danish-word-kommunal",
    ),
    pytest.param(
        "    outcome: pending\n", "    outcome: afslag\n",
        "case.yaml:49:14: applicants[1] (A02).outcome: must be one of: 'pending', 'hired', "
        "'rejected' or 'withdrawn'; did you mean 'rejected'?",
        id="08-danish-word-afslag",
    ),
    pytest.param(
        "  posted: 2026-09-01", "  posted: 2026-02-30",
        "case.yaml:3:11: dates.posted: is not a real date: that month does not have that "
        "many days",
        id="09-impossible-date",
    ),
    pytest.param(
        "    email: aase@eksempel.dk", "    email: aase.eksempel.dk",
        "case.yaml:43:12: applicants[0] (A01).email: is not a valid e-mail address: it "
        "needs one @ between the name and the domain; write it like navn@eksempel.dk",
        id="10-email",
    ),
    pytest.param(
        "    phone: 97 12 34 56 (hverdage 9-12)", "    phone: 97 12 34 5 (hverdage 9-12)",
        "case.yaml:48:12: applicants[1] (A02).phone: has 7 digits; a Danish number has 8, "
        "e.g. '97 12 34 56' or '+45 97 12 34 56'",
        id="11-phone-digits",
    ),
    pytest.param(
        "  interviews: [2026-10-08]", "  interviews: [2026-09-28]",
        "case.yaml:5:16: dates.interviews[0]: advice [date-order]: this interview day is "
        "before the application deadline (dates.deadline)",
        id="12-date-order",
    ),
    pytest.param(
        "    interviewed: yes\n", "    interviewed: no\n",
        "case.yaml:44:18: applicants[0] (A01).interviewed: advice [slot-not-interviewed]: "
        "this applicant has an interview slot but is marked as not interviewed; if the "
        "interview took place, write interviewed: yes (it decides which letter they get)",
        id="13-slot-not-interviewed",
    ),
    pytest.param(
        "    name: Bo Berg", "    name: åse  ærø",
        "case.yaml:47:11: applicants[1] (A02).name: advice [same-name]: the same name as "
        "applicants[0] (A01); if it is one person, keep one id and remove the other",
        id="14-same-name-two-ids",
    ),
    pytest.param(
        "  deadline: 2026-10-01", "  deadline: 2026-13-01",
        "case.yaml:4:13: dates.deadline: is not a real date: the month (the middle number) "
        "must be 01–12",
        id="15-month-13",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_each_mistake_gets_a_located_message_with_its_fix(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert report(tmp_path, vary(old, new)) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_no_message_repeats_what_was_written(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    message = expected.split(": ", 2)[-1]
    changed = new.split(":", 1)[-1].strip().strip("[\"'")
    if len(changed) > 3:  # "no" may well be a word of a message
        assert changed.casefold() not in message.casefold()
    assert report(tmp_path, vary(old, new))[0].endswith(message)


def test_trailing_spaces_after_a_choice_are_ignored(tmp_path: Path) -> None:
    text = vary("  sector: region", "  sector: kommune   ")
    assert report(tmp_path, text) == []
    assert validate(write_case(tmp_path, text)).case.organisation.sector == "kommune"


@pytest.mark.parametrize(
    ("word", "meant"),
    [("ansat", "hired"), ("Rejected", "rejected"), ("trukket tilbage", "withdrawn"),
     ("rejcted", "rejected")],
)
def test_danish_words_and_near_misses_of_an_outcome(tmp_path: Path, word: str,
                                                   meant: str) -> None:
    found = report(tmp_path, vary("    outcome: pending\n", f"    outcome: {word}\n"))
    assert found[0].endswith(f"did you mean '{meant}'?")


def test_a_word_far_from_every_choice_gets_no_guess(tmp_path: Path) -> None:
    found = report(tmp_path, vary("  sector: region", "  sector: stat"))
    assert found == ["case.yaml:8:11: organisation.sector: must be one of: 'region', "
                     "'kommune', 'private' or 'ngo'"]


def test_a_missing_colon_on_the_last_line_of_a_block(tmp_path: Path) -> None:
    text = vary("  place: Huset\n", "  place Huset\n")
    assert report(tmp_path, text) == [
        "case.yaml:28:3: position.place: this line has no colon after its key; "
        "write 'key: value'"
    ]


def test_an_unclosed_quote_in_a_list_item_names_the_item(tmp_path: Path) -> None:
    text = vary("    name: Bo Berg", "    name: 'Bo Berg")
    assert report(tmp_path, text) == [
        "case.yaml:47:11: applicants[1] (A02).name: a quote opens here but is never closed; "
        "end the text with the same quote mark on the same line"
    ]


@pytest.mark.parametrize(
    "phone",
    ["97 12 34 56 (hverdage 9-12)", "+45 97 12 34 56", "0045 97123456", "97-12-34-56",
     "+46 8 123 456 78", "9712 3456, lokal 212"],
)
def test_phone_numbers_as_hr_offices_write_them(tmp_path: Path, phone: str) -> None:
    assert report(tmp_path, vary("97 12 34 56 (hverdage 9-12)", phone)) == []


@pytest.mark.parametrize(
    ("email", "fix"),
    [("aase@@eksempel.dk", "it needs one @ between the name and the domain"),
     ("aase@eksempel", "the part after the @-sign is not valid. It should have a period"),
     ("aa se@eksempel.dk", "invalid characters before the @-sign: SPACE"),
     ("aase..berg@eksempel.dk", "cannot have two periods in a row")],
)
def test_email_addresses_that_are_wrong(tmp_path: Path, email: str, fix: str) -> None:
    found = report(tmp_path, vary("aase@eksempel.dk", email))
    assert len(found) == 1
    assert found[0].startswith("case.yaml:43:12: applicants[0] (A01).email: is not a valid "
                               "e-mail address: ")
    assert fix in found[0]
    assert found[0].endswith("; write it like navn@eksempel.dk")
    assert email.split("@")[0] not in found[0]


@pytest.mark.parametrize(
    ("phone", "fix"),
    [("+45 97 12 34", "has 6 digits; a Danish number has 8"),
     ("07 12 34 56", "a Danish number does not start with 0"),
     ("tlf. 97 12 34 56", "must start with the phone number"),
     ("+1 23", "a foreign number has 7 to 15 digits")],
)
def test_phone_numbers_that_are_truly_wrong(tmp_path: Path, phone: str, fix: str) -> None:
    found = report(tmp_path, vary("97 12 34 56 (hverdage 9-12)", phone))
    assert len(found) == 1
    assert found[0].startswith("case.yaml:48:12: applicants[1] (A02).phone: ")
    assert fix in found[0]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  posted: 2026-09-01", "  posted: 2026-10-02", "case.yaml:4:13: dates.deadline:"),
        ("  deadline: 2026-10-01", "  deadline: 2026-10-01\n  recruitment_closed: 2026-10-07",
         "case.yaml:5:23: dates.recruitment_closed:"),
        ("      start: 2026-10-08 09:00", "      start: 2026-09-30 09:00",
         "case.yaml:34:14: interview.slots[0].start:"),
        ("  place: Huset", "  place: Huset\n  start: 2026-10-07",
         "case.yaml:29:10: position.start:"),
    ],
)
def test_dates_out_of_order(tmp_path: Path, old: str, new: str, where: str) -> None:
    found = report(tmp_path, vary(old, new))
    assert len(found) == 1, found
    assert found[0].startswith(f"{where} advice [date-order]: ")


def test_date_order_advice_is_an_error_under_strict(tmp_path: Path) -> None:
    path = write_case(tmp_path, vary("  interviews: [2026-10-08]", "  interviews: [2026-09-28]"))
    with pytest.raises(CaseError) as info:
        validate(path, strict=True)
    assert [i.field for i in info.value.issues] == ["dates.interviews[0]"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [("12", "12.00"), ("12.00", "12.00"), ("12:00", "12.00"), ("kl. 12", "12.00"),
     ("kl 9.30", "09.30"), ("Kl. 12:00", "12.00"), ('"12.00"', "12.00")],
)
def test_times_are_read_as_hr_offices_write_them(tmp_path: Path, written: str,
                                                 stored: str) -> None:
    text = vary("  deadline: 2026-10-01", f"  deadline: 2026-10-01\n  deadline_time: {written}")
    assert validate(write_case(tmp_path, text)).case.dates.deadline_time == stored


@pytest.mark.parametrize(
    ("written", "fix"),
    [("24.00", "is not a real time: the hour must be 0–23"),
     ("12.75", "is not a real time: the minutes must be 00–59"),
     ("middag", "must be a time of day, e.g. 12.00, 12:00, 12 or kl. 12")],
)
def test_times_that_are_not_times(tmp_path: Path, written: str, fix: str) -> None:
    text = vary("  deadline: 2026-10-01", f"  deadline: 2026-10-01\n  deadline_time: {written}")
    assert report(tmp_path, text) == [f"case.yaml:5:18: dates.deadline_time: {fix}"]


@pytest.mark.parametrize("start", ["2026-10-08 9.00", "2026-10-08 kl. 9", "2026-10-08T09:00"])
def test_slot_times_take_the_same_forms(tmp_path: Path, start: str) -> None:
    checked = validate(write_case(tmp_path, vary("2026-10-08 09:00", start)))
    assert checked.case.interview.slots[0].start.hour == 9


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  tasks: [Samtaler]", "    tasks: [Samtaler]",
         "case.yaml:22:5: position.tasks: this line is indented further than the line "
         "above; keys of the same part start in the same column"),
        ("  tasks: [Samtaler]", " tasks: [Samtaler]",
         "case.yaml:22:2: position.tasks: this line's indentation does not match the lines "
         "above; keys of the same part start in the same column (use spaces)"),
        ("  tasks: [Samtaler]", "  tasks: [Samtaler]\n  - Møder",
         "case.yaml:23:3: position: a list item ('- ') among 'key: value' lines; indent it "
         "under the key the list belongs to"),
    ],
)
def test_indentation_mistakes(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert report(tmp_path, vary(old, new)) == [expected]


def test_a_tab_after_other_mistakes_is_still_found_first_in_the_file(tmp_path: Path) -> None:
    text = vary("    name: Bo Berg", "\tname: Bo Berg").replace("  title: Peer", "\ttitle: Peer")
    assert report(tmp_path, text) == [
        "case.yaml:21:1: position.title: a tab is used for indentation; use spaces, not tabs"
    ]


def test_a_duplicate_key_in_a_list_item_names_the_item_by_id(tmp_path: Path) -> None:
    text = vary("    name: Bo Berg\n", "    name: Bo Berg\n    name: Bo\n")
    assert report(tmp_path, text) == [
        'case.yaml:48:5: applicants[1] (A02).name: duplicate key "name" (first at 47:5)'
    ]
