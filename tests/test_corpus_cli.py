"""The hostile corpus through the real command (``python -m docgen``, separate stdout and
stderr): never a traceback, never a value from the case, exit 1, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile_kit import SENTINEL_CASE, config, docx_template, leaked, xlsx_template

CASES = {
    "a value where a number belongs": ("hours_per_week: 20", "hours_per_week: SENTINEL"),
    "a data key": ("    went_well:", "    SENTINEL-has-ptsd: x\n    went_well:"),
    "a bidi override in a name": ("SENTINEL-name Åse", "SENTINEL-name \u202eÅse"),
}

TEMPLATES = {
    "docx value as key": ("docx/a.docx", "applicant", "{{ {}[applicant.reason ~ '!'] }}"),
    "xlsx value through a filter": ("xlsx/s.xlsx", "panel", "{{ sheet_applicants[0].label|dato }}"),
    "docx loop bomb": ("docx/a.docx", "applicant",
                       "{% for i in range(9999) %}{% for j in range(9999) %}"
                       "{% for k in range(9999) %}{% endfor %}{% endfor %}{% endfor %}"),
}


def _docgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def _clean(result: subprocess.CompletedProcess[str], out: Path) -> None:
    assert result.returncode == 1, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert not leaked(stream), stream
    assert result.stderr.strip()
    assert not out.exists()


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_hostile_cases_through_the_command(tmp_path: Path, name: str) -> None:
    old, new = CASES[name]
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE.replace(old, new, 1), encoding="utf-8")
    _clean(_docgen("build", str(case), "-o", str(tmp_path / "out")), tmp_path / "out")


@pytest.mark.parametrize("name", TEMPLATES, ids=list(TEMPLATES))
def test_hostile_templates_through_the_command(tmp_path: Path, name: str) -> None:
    template, for_, text = TEMPLATES[name]
    if template.endswith(".xlsx"):
        xlsx_template(tmp_path / "tpl" / template, {"A1": "Ark", "B2": text})
        kind = "scoresheet"
    else:
        docx_template(tmp_path / "tpl" / template, text)
        kind = "rejection-letter"
    doc = {"kind": kind, "template": template, "for": for_,
           "output": "x/{id}_{slug}" + template[-5:]}
    if for_ == "applicant":
        doc["select"] = "rejected"
    cfg = config(tmp_path / "c.yaml", [doc], limits={"render_seconds": 3})
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    result = _docgen("build", str(case), "-o", str(tmp_path / "out"), "--config", str(cfg),
                     "--templates", str(tmp_path / "tpl"))
    _clean(result, tmp_path / "out")
    assert Path(template).name in result.stderr
