"""Advice on mistakes an HR officer makes that every field can pass on its own.

Dates out of order, an interview slot for an applicant marked as not interviewed, one
person under two ids, and the starter's example values left in the file (so that a
letter never goes out from the starter's fictional municipality). Each is advice, not
an error: the build can go on, and ``--strict`` makes them errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from docgen.case.model import Case
from docgen.case.starter import starter_path
from docgen.yamlio import Path_, load_yaml

Advise = Callable[[str, Path_, str], None]


def check_consistency(case: Case, advise: Advise, *, starter: bool = True) -> None:
    """Run every check of this module, reporting through ``advise(code, path, message)``."""
    _date_order(case, advise)
    _slots_not_interviewed(case, advise)
    _same_name_twice(case, advise)
    if starter:
        _starter_leftovers(case, advise)


def _date_order(case: Case, advise: Advise) -> None:
    d = case.dates
    if d.posted and d.posted > d.deadline:
        advise("date-order", ("dates", "deadline"),
               "the deadline is before the posting date (dates.posted); check both dates")
    for i, day in enumerate(d.interviews):
        if day < d.deadline:
            advise("date-order", ("dates", "interviews", i),
                   "this interview day is before the application deadline (dates.deadline)")
    for i, slot in enumerate(case.interview.slots):
        if slot.start.date() < d.deadline:
            advise("date-order", ("interview", "slots", i, "start"),
                   "this interview is before the application deadline (dates.deadline)")
    last, what = _last_step(case)
    if case.position.start and case.position.start < last:
        advise("date-order", ("position", "start"),
               f"the start date is before the {what}; check the dates")
    if d.recruitment_closed and d.recruitment_closed < last:
        advise("date-order", ("dates", "recruitment_closed"),
               f"the hiring is settled before the {what}; check the dates")
    if d.letters and d.recruitment_closed and d.letters < d.recruitment_closed:
        advise("date-order", ("dates", "letters"),
               "the letters are dated before the hiring was settled (dates.recruitment_closed)")


def _last_step(case: Case) -> tuple[dt.date, str]:
    """The latest date the hiring must pass before a start or a decision."""
    days = [*case.dates.interviews, *(s.start.date() for s in case.interview.slots)]
    if days:
        return max(days), "last interview (dates.interviews and interview.slots)"
    return case.dates.deadline, "application deadline (dates.deadline)"


def _slots_not_interviewed(case: Case, advise: Advise) -> None:
    with_slot = {s.applicant for s in case.interview.slots}
    for i, a in enumerate(case.applicants):
        if a.id in with_slot and not a.interviewed and a.outcome in ("hired", "rejected"):
            advise("slot-not-interviewed", ("applicants", i, "interviewed"),
                   "this applicant has an interview slot but is marked as not interviewed; "
                   "if the interview took place, write interviewed: yes (it decides which "
                   "letter they get)")


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def _same_name_twice(case: Case, advise: Advise) -> None:
    groups: list[tuple[str, list[Any]]] = [("panel", case.panel), ("applicants", case.applicants)]
    for group, people in groups:
        first: dict[str, int] = {}
        for i, person in enumerate(people):
            key = _normal(person.name)
            if key in first:
                j = first[key]
                advise("same-name", (group, i, "name"),
                       f"the same name as {group}[{j}] ({people[j].id}); if it is one person, "
                       "keep one id and remove the other")
            else:
                first[key] = i


# Fields where the starter holds an example that must not reach a real letter. A list
# index is written as None: any item matches.
_EXAMPLE_FIELDS: tuple[tuple[str | None, ...], ...] = (
    ("organisation", "name"), ("organisation", "unit"), ("organisation", "website"),
    ("organisation", "address", "street"), ("organisation", "address", "city"),
    ("organisation", "contact", "name"), ("organisation", "contact", "phone"),
    ("organisation", "contact", "email"), ("organisation", "signer", "name"),
    ("position", "intro"), ("position", "place"), ("position", "application", "url"),
    ("position", "application", "email"), ("interview", "location"),
    ("panel", None, "name"),
    ("applicants", None, "name"), ("applicants", None, "email"), ("applicants", None, "phone"),
    ("applicants", None, "address", "street"),
)


def _leaves(data: Any, pattern: tuple[str | None, ...], path: Path_ = ()) -> Iterable[
    tuple[Path_, str]
]:
    if not pattern:
        if isinstance(data, str):
            yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head is None:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _leaves(item, rest, (*path, i))
    elif isinstance(data, dict) and head in data:
        yield from _leaves(data[head], rest, (*path, head))


@cache
def starter_examples() -> dict[tuple[str | None, ...], frozenset[str]]:
    """The starter's example value(s) for each field of ``_EXAMPLE_FIELDS``."""
    loaded, _ = load_yaml(starter_path())
    data = loaded.data if loaded is not None else {}
    return {
        pattern: frozenset(_normal(v) for _, v in _leaves(data, pattern))
        for pattern in _EXAMPLE_FIELDS
    }


def _starter_leftovers(case: Case, advise: Advise) -> None:
    data = case.model_dump(mode="json")
    for pattern, examples in starter_examples().items():
        for path, value in _leaves(data, pattern):
            if _normal(value) in examples:
                advise("starter-example", path,
                       "still the starter's example; write your own (or delete the line if "
                       "the field is optional)")
