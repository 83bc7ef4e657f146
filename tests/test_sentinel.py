"""P8: no value from a case reaches a message, a log or a traceback (issue findings 1 and 2).

A sentinel sits in every personal field (:data:`hostile_kit.SENTINEL_CASE`); every kind of
template error is provoked through each of the three render paths (docxtpl for a Word
document, the compiled fast path for letters, the xlsx engine), and every kind of case
error is made with a sentinel in the offending value. The sentinel must never appear in
stdout or stderr, and the build must end in a located message, not a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_kit import SENTINEL_CASE, config, docx_template, leaked, xlsx_template

from docgen.cli import main
from docgen.settings import load_settings
from docgen.templates.context import applicant_context, base_context, case_context, member_context

# Every kind of failure a template can have at render time; X is a personal value.
TEMPLATE_ERRORS = {
    "value used as a key": "{{ {}[X] }}",
    "value with text appended used as a key": "{{ {}[X ~ '!'] }}",
    "value cut and used as a key": "{{ {}[X[2:]] }}",
    "value through a date filter": "{{ X|dato }}",
    "value through a number filter": "{{ X|tal }}",
    "value through the number-word filter": "{{ X|talord }}",
    "value in a list of dates": "{{ [X]|datoer }}",
    "value with non-breaking spaces and a full stop as a key": "{{ {}[X|ubrudt|punktum] }}",
    "value as an attribute name": "{{ X|attr(X) }}",
    "value in arithmetic": "{{ X + 1 }}",
    "value as a number": "{{ X|int // 0 }}",
    "value formatted into a sandbox escape": "{{ X|attr('__' ~ X) }}",
    "value as a range": "{{ range(X|length * 100000000) }}",
    "value in a huge string": "{{ X * 100000000 }}",
    "value in a deep recursion": "{% macro r(n) %}{{ r(n ~ X) }}{% endmacro %}{{ r(X) }}",
}

# (document kind, template path, for, the expression reaching a personal value)
PATHS = {
    "docxtpl": ("posting", "docx/p.docx", "panel", "sheet_applicants[0].label"),
    "compiled letters": ("rejection-letter", "docx/a.docx", "applicant", "applicant.reason"),
    "xlsx engine": ("scoresheet", "xlsx/s.xlsx", "panel", "sheet_applicants[0].label"),
}


@pytest.fixture
def log_records() -> Iterator[list[logging.LogRecord]]:
    """Every log record any library emits while the test runs."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(old)


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(main, args)


def _assert_clean(result: Any, logs: list[logging.LogRecord]) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), "an exception escaped the CLI"
    assert "Traceback" not in result.output
    assert not leaked(result.output), result.output
    for record in logs:
        assert not leaked(record.getMessage()), record.getMessage()


@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
@pytest.mark.parametrize("error", TEMPLATE_ERRORS, ids=list(TEMPLATE_ERRORS))
def test_template_errors_never_show_a_value(
    tmp_path: Path, path: str, error: str, log_records: list[logging.LogRecord]
) -> None:
    kind, template, for_, value = PATHS[path]
    text = "Hej " + TEMPLATE_ERRORS[error].replace("X", value)
    if template.endswith(".xlsx"):
        xlsx_template(tmp_path / "tpl" / template, {"A1": "Ark", "B2": text})
    else:
        docx_template(tmp_path / "tpl" / template, text)
    doc = {"kind": kind, "template": template, "output": "x/{id}_{slug}" + template[-5:],
           "for": for_}
    if for_ == "applicant":
        doc["select"] = "rejected"
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    result = _run(["build", str(case), "-o", str(tmp_path / "out"),
                   "--config", str(config(tmp_path / "c.yaml", [doc])),
                   "--templates", str(tmp_path / "tpl")])
    _assert_clean(result, log_records)
    # The failure is reported by rendering (not refused earlier), naming the template.
    assert Path(template).name in result.output
    assert not (tmp_path / "out").exists()


# Every kind of case error, with the sentinel in the offending value or key.
CASE_ERRORS = {
    "number": ("hours_per_week: 20", "hours_per_week: SENTINEL-hours"),
    "date": ("deadline: 2026-10-01", "deadline: SENTINEL-2026"),
    "e-mail": ("sentinel-contact@eksempel.dk", "SENTINEL-not-an-address"),
    "choice": ("outcome: rejected", "outcome: SENTINEL-outcome"),
    "yes/no": ("interviewed: yes\n    outcome: rejected",
               "interviewed: SENTINEL\n    outcome: rejected"),
    "unknown key that is data": ("    went_well:", "    SENTINEL-has-ptsd: x\n    went_well:"),
    "unknown key close to a field": ("    went_well:", "    went_wel: SENTINEL\n    went_well:"),
    "duplicate key": ("    went_well:", "    reason: SENTINEL-first\n    went_well:"),
    "control character": ("SENTINEL-name Åse", "SENTINEL-name\\u0007 Åse"),
    "newline in a name": ("name: SENTINEL-name Åse", 'name: "SENTINEL-name\\nÅse"'),
    "bidi override": ("SENTINEL-name Åse", "SENTINEL-name \u202eÅse"),
    "id": ("id: A01", "id: SENTINEL"),
    "phone": ("phone: \"+45 98765432\"\n    address", "phone: SENTINEL-phone\n    address"),
    "yaml syntax": ("reference: T-1", "reference: T-1\nSENTINEL: [unclosed"),
    "yaml tag": ("reference: T-1", "reference: !!python/object SENTINEL"),
    "anchor": ("reference: T-1", "reference: &a SENTINEL\nx: *a"),
    "too long": ("SENTINEL-reason diagnosis", "SENTINEL-reason " + "x" * 3000),
}


@pytest.mark.parametrize("error", CASE_ERRORS, ids=list(CASE_ERRORS))
@pytest.mark.parametrize("command", ["build", "validate"])
def test_case_errors_never_show_a_value(
    tmp_path: Path, error: str, command: str, log_records: list[logging.LogRecord]
) -> None:
    old, new = CASE_ERRORS[error]
    assert old in SENTINEL_CASE
    case = tmp_path / "case.yaml"
    text = SENTINEL_CASE.replace(old, new, 1)
    if "\\u" in new:
        text = text.replace("\\u0007", "\u0007")
    case.write_text(text, encoding="utf-8")
    args = [command, str(case)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    result = _run(args)
    _assert_clean(result, log_records)
    assert "case.yaml:" in result.output  # located
    assert not (tmp_path / "out").exists()


def test_the_sentinel_case_itself_builds(tmp_path: Path) -> None:
    """The corpus's case is valid, so each test above fails for its own reason only."""
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    result = _run(["build", str(case), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _contexts() -> tuple[Any, dict[str, Any]]:
    from docgen.case.model import Case
    from docgen.yamlio import parse_yaml

    loaded, issues = parse_yaml(SENTINEL_CASE, "case.yaml")
    assert loaded is not None
    assert not issues
    case = Case.model_validate(loaded.data)
    return case, base_context(case, load_settings())


def test_an_external_members_context_has_applicant_ids_only() -> None:
    case, base = _contexts()
    external = next(m for m in case.panel if m.external)
    ctx = member_context(base, case, external)
    applicant_values = {s for a in case.applicants for s in _strings(a.model_dump())}
    applicant_values -= {a.id for a in case.applicants} | {"rejected", "hired"}
    assert not applicant_values & set(_strings(ctx))
    assert [row["label"] for row in ctx["sheet_applicants"]] == ["A01", "A02"]
    assert "decision" not in ctx  # the hired person's profile is for the letters


def test_a_public_documents_context_has_no_applicant() -> None:
    case, base = _contexts()
    ctx = case_context(base)
    private = ("SENTINEL-name", "SENTINEL-hired", "SENTINEL-profile", "SENTINEL-decision",
               "SENTINEL-shortlist", "SENTINEL-reason", "SENTINEL-went-well")
    assert not any(p in s for s in _strings(ctx) for p in private)
    assert ctx["hired_count"] == 1  # counts, not people


def test_a_letters_context_has_its_own_applicant_only() -> None:
    case, base = _contexts()
    first, second = case.applicants
    ctx = applicant_context(base, first, "interviewed")
    texts = set(_strings(ctx))
    assert "SENTINEL-name Åse" in texts
    assert not any("SENTINEL-hired" in s for s in texts)
    assert ctx["applicant"]["greeting"] == "SENTINEL-name"  # its own, as configured
    assert ctx["decision"]["posts"] == 1


def test_only_the_hired_applicants_documents_see_the_job_start() -> None:
    case, base = _contexts()
    rejected, hired = case.applicants
    assert "job_start" in applicant_context(base, hired, None)
    assert "job_start" not in applicant_context(base, rejected, "interviewed")
    assert "job_start" not in case_context(base)
    assert all("job_start" not in member_context(base, case, m) for m in case.panel)


def test_a_template_printing_every_applicant_into_an_external_workbook_is_refused(
    tmp_path: Path,
) -> None:
    """A consultant's scoresheet that tries to list all applicants never gets them."""
    xlsx_template(tmp_path / "tpl/xlsx/s.xlsx", {
        "A1": "Ark",
        "B2": "{% for a in applicants %}{{ a.name }} {{ a.reason }}{% endfor %}",
        "B3": "{{ hired[0].name }}",
    })
    doc = {"kind": "scoresheet", "template": "xlsx/s.xlsx", "output": "x/{id}_{slug}.xlsx",
           "for": "panel"}
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    args = ["--config", str(config(tmp_path / "c.yaml", [doc])),
            "--templates", str(tmp_path / "tpl")]
    check = _run(["templates", "check", str(tmp_path / "tpl"), *args[:2]])
    assert check.exit_code == 1
    assert "unknown variable 'applicants'" in check.output
    assert "unknown variable 'hired'" in check.output
    result = _run(["build", str(case), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 1
    assert "unknown variable 'applicants'" in result.output
    assert not leaked(result.output)
    assert not (tmp_path / "out").exists()
