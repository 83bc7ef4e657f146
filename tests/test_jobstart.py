"""The job start: a function description and an introduction plan for the person hired."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from docx import Document

from docgen.case.model import Case
from docgen.errors import CaseError
from docgen.loading import load_model
from docgen.pack.pipeline import build
from docgen.settings import load_settings
from docgen.templates.context import base_context
from docgen.templates.jobstart import add_months, job_start_context
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import SAMPLES, docx_text

REGION = SAMPLES / "region-vest.yaml"
KOMMUNE = SAMPLES / "kommune-fjordby.yaml"
JOB_START_KINDS = ("function-description", "introduction-plan")


def _case(path: Path) -> Case:
    case, _, issues = load_model(path, Case, display_name=path.name)
    assert case is not None, issues
    return case


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


HIRED_CASE = MINIMAL.replace(
    "    name: Åse Ærø\n",
    "    name: Åse Ærø\n    outcome: hired\n    interviewed: yes\n",
).replace("  working_times: [day]\n", "  working_times: [day]\n  start: 2027-01-31\n")


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("jobstart") / "out"
    build(REGION, out)
    return out, _manifest(out)


def test_the_hired_applicant_gets_both_documents(region) -> None:
    out, manifest = region
    case = _case(REGION)
    hired = [a for a in case.applicants if a.outcome == "hired"]
    assert len(hired) == 1
    for kind in JOB_START_KINDS:
        docs = [d for d in manifest["documents"] if d["kind"] == kind]
        assert [d["recipient"] for d in docs] == [hired[0].id]
        text = docx_text(out / docs[0]["path"])
        assert hired[0].name in text
        assert "{{" not in text
        assert "{%" not in text


def test_the_hired_name_appears_in_no_other_applicant_document(region) -> None:
    out, manifest = region
    hired = next(a for a in _case(REGION).applicants if a.outcome == "hired")
    others = [
        d for d in manifest["documents"]
        if d["path"].endswith(".docx") and d["recipient"] and d["recipient"].startswith("A")
        and d["recipient"] != hired.id
    ]
    assert others
    for doc in others:
        assert hired.name not in docx_text(out / doc["path"]), doc["path"]


def test_nobody_hired_lists_both_as_skipped(tmp_path: Path) -> None:
    build(KOMMUNE, tmp_path / "out")
    manifest = _manifest(tmp_path / "out")
    assert not [d for d in manifest["documents"] if d["kind"] in JOB_START_KINDS]
    skipped = {s["kind"]: s["reason"] for s in manifest["skipped"]}
    for kind in JOB_START_KINDS:
        assert "nobody is hired yet" in skipped[kind]


def test_tasks_follow_the_role_star_most_central_first(region) -> None:
    out, manifest = region
    case = _case(REGION)
    settings = load_settings()
    labels = {s.id: s.label for s in settings.role_star.spokes}
    order = [s.id for s in settings.role_star.spokes]
    rated = [(v, k) for k, v in case.role_star.desired.items() if v > 0]
    # Most central first; equal values keep the configured order of the spokes.
    expected = [labels[k] for _, k in sorted(rated, key=lambda t: (-t[0], order.index(t[1])))]
    doc = next(d for d in manifest["documents"] if d["kind"] == "function-description")
    lines = docx_text(out / doc["path"]).splitlines()
    found = [line.split(" (", 1)[0] for line in lines if " af 10)" in line]
    assert found == expected
    for spoke, who in case.role_star.covered_by.items():
        assert f"{labels[spoke]}: {who}" in lines


def test_without_role_star_values_the_posting_tasks_are_listed(tmp_path: Path) -> None:
    case_file = write_case(tmp_path, HIRED_CASE)
    build(case_file, tmp_path / "out")
    manifest = _manifest(tmp_path / "out")
    doc = next(d for d in manifest["documents"] if d["kind"] == "function-description")
    text = docx_text(tmp_path / "out" / doc["path"])
    assert "Stillingens opgaver er:\nSamtaler\n" in text
    assert " af 10)" not in text


def test_review_defaults_to_three_months_after_the_start(tmp_path: Path) -> None:
    case = _case(write_case(tmp_path, HIRED_CASE))
    settings = load_settings()
    assert settings.job_start.review_after_months == 3
    ctx = job_start_context(case, settings)
    assert ctx["start"] == dt.date(2027, 1, 31)
    assert ctx["review"] == dt.date(2027, 4, 30)  # no 31 April: the month's last day


def test_a_review_date_and_people_from_the_case_win(tmp_path: Path) -> None:
    text = HIRED_CASE + (
        "job_start:\n  start: 2027-02-01\n  review: 2027-06-15\n"
        "  manager: {name: Mette Leder, title: teamleder}\n"
        "  contact_person: {name: Ole Kollega, title: sygeplejerske}\n"
    )
    case_file = write_case(tmp_path, text)
    ctx = job_start_context(_case(case_file), load_settings())
    assert ctx["review"] == dt.date(2027, 6, 15)
    assert ctx["manager"] == {"name": "Mette Leder", "title": "teamleder"}
    build(case_file, tmp_path / "out")
    manifest = _manifest(tmp_path / "out")
    doc = next(d for d in manifest["documents"] if d["kind"] == "introduction-plan")
    plan = docx_text(tmp_path / "out" / doc["path"])
    assert "Mette Leder, teamleder" in plan
    assert "Ole Kollega, sygeplejerske" in plan
    assert "15.06.2027" in plan  # the review step is due on the review date


def test_the_manager_defaults_to_the_signer(tmp_path: Path) -> None:
    case = _case(write_case(tmp_path, HIRED_CASE))
    ctx = job_start_context(case, load_settings())
    assert ctx["manager"] == case.organisation.signer.model_dump()
    assert ctx["supervisor"] is None


def test_introduction_steps_are_dated_from_the_start(tmp_path: Path) -> None:
    case = _case(write_case(tmp_path, HIRED_CASE))
    settings = load_settings()
    ctx = job_start_context(case, settings)
    start = dt.date(2027, 1, 31)
    for phase, configured in zip(ctx["introduction"], settings.job_start.introduction,
                                 strict=True):
        assert phase["label"] == configured.label
        for step, item in zip(phase["steps"], configured.items, strict=True):
            if item.at_review:
                assert step["due"] == ctx["review"]
            else:
                assert item.due_days is not None
                assert step["due"] == start + dt.timedelta(days=item.due_days)


def test_without_a_start_date_nothing_is_dated(tmp_path: Path) -> None:
    text = HIRED_CASE.replace("  start: 2027-01-31\n", "")
    case_file = write_case(tmp_path, text)
    ctx = job_start_context(_case(case_file), load_settings())
    assert ctx["start"] is None
    assert ctx["review"] is None
    assert all(step["due"] is None for phase in ctx["introduction"] for step in phase["steps"])
    build(case_file, tmp_path / "out")
    manifest = _manifest(tmp_path / "out")
    fd = next(d for d in manifest["documents"] if d["kind"] == "function-description")
    assert "efter 3 måneder" in docx_text(tmp_path / "out" / fd["path"])


def test_the_job_start_context_carries_no_applicant(tmp_path: Path) -> None:
    case = _case(write_case(tmp_path, HIRED_CASE))
    ctx = base_context(case, load_settings())
    assert "Åse Ærø" not in json.dumps(ctx["job_start"], default=str, ensure_ascii=False)


def test_a_bad_review_date_is_a_located_error(tmp_path: Path) -> None:
    case_file = write_case(tmp_path, HIRED_CASE + "job_start:\n  review: 15-06-2027\n")
    with pytest.raises(CaseError) as err:
        build(case_file, tmp_path / "out")
    text = "\n".join(err.value.lines())
    assert "job_start.review" in text
    assert "YYYY-MM-DD" in text
    assert not (tmp_path / "out").exists()


def test_add_months_keeps_the_day_or_takes_the_last() -> None:
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 10, 31), 14) == dt.date(2027, 12, 31)


def test_a_third_document_is_a_template_and_a_config_entry(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "docx").mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("Velkommen {{ applicant.name }} den {{ job_start.start|dato }}")
    doc.save(templates / "docx" / "velkomst.docx")
    shipped = (Path(__file__).resolve().parent.parent / "configs" / "documents.yaml").read_text(
        encoding="utf-8")
    config = tmp_path / "org.yaml"
    config.write_text(
        shipped.split("documents:", 1)[0] + "documents:" + shipped.split("documents:", 1)[1]
        + "  - kind: welcome-letter\n    template: docx/velkomst.docx\n"
        "    output: velkomst/{id}_{slug}.docx\n    for: applicant\n    select: hired\n",
        encoding="utf-8",
    )
    case_file = write_case(tmp_path, HIRED_CASE)
    build(case_file, tmp_path / "out", config=config, templates=templates)
    manifest = _manifest(tmp_path / "out")
    welcome = [d for d in manifest["documents"] if d["kind"] == "welcome-letter"]
    assert [d["recipient"] for d in welcome] == ["A01"]
    assert "Velkommen Åse Ærø den 31.\xa0januar\xa02027" in docx_text(
        tmp_path / "out" / welcome[0]["path"])


@pytest.mark.libreoffice
def test_job_start_pdfs_are_a4_and_hold_the_name(tmp_path: Path) -> None:
    import pdfplumber  # noqa: PLC0415

    from docgen.pack.pipeline import PdfOptions  # noqa: PLC0415
    from tests.helpers import require_soffice  # noqa: PLC0415

    require_soffice()
    case_file = write_case(tmp_path, HIRED_CASE)
    build(case_file, tmp_path / "out", pdf=PdfOptions(enabled=True))
    manifest = _manifest(tmp_path / "out")
    pdfs = [d for d in manifest["documents"]
            if d["kind"] in JOB_START_KINDS and d["path"].endswith(".pdf")]
    assert sorted(d["kind"] for d in pdfs) == sorted(JOB_START_KINDS)
    for doc in pdfs:
        with pdfplumber.open(tmp_path / "out" / doc["path"]) as pdf:
            assert 1 <= len(pdf.pages) <= 2, doc["path"]
            for page in pdf.pages:
                assert page.width == pytest.approx(595, abs=2)
                assert page.height == pytest.approx(842, abs=2)
                assert all(w["x0"] >= 0 and w["x1"] <= page.width for w in page.extract_words())
                fonts = {c["fontname"].split("+")[-1] for c in page.chars if c["text"].isalnum()}
                assert all(f.startswith("Carlito") for f in fonts), fonts
            text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert "Åse Ærø" in text
        assert "{{" not in text
