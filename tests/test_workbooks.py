"""The workbooks of a real build: scoresheets per panel member, role star, readiness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.pack.pipeline import build
from tests.helpers import SAMPLES, xlsx_text

REGION = SAMPLES / "region-vest.yaml"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("wb") / "out"
    build(REGION, out)
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _names() -> list[str]:
    from docgen.case.model import Case
    from docgen.loading import load_model

    case, _, _ = load_model(REGION, Case)
    assert case is not None
    return [a.name for a in case.applicants]


def test_regional_sample_builds_all_workbooks(region) -> None:
    _, manifest = region
    kinds = [
        (d["kind"], d["recipient"]) for d in manifest["documents"] if d["path"].endswith(".xlsx")
    ]
    assert kinds == [
        ("scoresheet", "P1"),
        ("scoresheet", "P2"),
        ("scoresheet", "P3"),
        ("scoresheet", "P4"),
        ("role-star", None),
        ("readiness", None),
    ]


def test_external_members_sheet_is_pseudonymised(region) -> None:
    out, manifest = region
    sheets = {
        d["recipient"]: out / d["path"] for d in manifest["documents"] if d["kind"] == "scoresheet"
    }
    external = xlsx_text(sheets["P4"])
    internal = xlsx_text(sheets["P1"])
    interviewed = ["Jens Ærø Hansen", "Rasmus Højgaard", "Ida Skøtt"]
    assert all(n in internal for n in interviewed)
    assert [n for n in _names() if n in external] == []
    assert "A07" in external


def test_scoresheet_metadata_names_case_and_member(region) -> None:
    out, manifest = region
    doc = next(d for d in manifest["documents"] if d["recipient"] == "P2")
    wb = load_workbook(out / doc["path"])
    meta_ws = wb["_docgen"]
    assert meta_ws.sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in meta_ws.iter_rows() if r[0].value}
    assert meta["case_reference"] == "RMV-2026-0417"
    assert meta["recipient"] == "P2"
    assert meta["template_version"] == "2026.1"
    assert len(meta["layout_checksum"]) == 64
    applicant_sheets = [ws for ws in wb.worksheets if ws.title.startswith("A")]
    assert [ws.title for ws in applicant_sheets] == ["A03", "A07", "A12", "A18", "A25", "A31"]
    assert all(ws.protection.sheet for ws in applicant_sheets)


def test_role_star_has_a_radar_chart_over_every_spoke(region) -> None:
    out, _ = region
    wb = load_workbook(out / "rollestjerne.xlsx")
    charts = [c for ws in wb.worksheets for c in ws._charts]
    assert len(charts) == 1
    assert charts[0].tagname == "radarChart"
    assert len(charts[0].series) == 2
    text = xlsx_text(out / "rollestjerne.xlsx")
    assert "Individuelle samtaler" in text
    assert "Organisationsudvikling" in text


def test_readiness_carries_the_case_answers(region) -> None:
    out, _ = region
    text = xlsx_text(out / "parathed.xlsx")
    assert "Gennemgå funktionsbeskrivelsen med Peer-Netværket inden jobstart." in text
    assert "Gode erfaringer fra naboteamet" in text
