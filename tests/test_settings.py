"""Organisation settings laid over the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import ConfigError, ConversionError
from docgen.pack.pipeline import build
from docgen.settings import load_settings
from tests.helpers import SAMPLES, xlsx_text

FJORDBY = SAMPLES / "kommune-fjordby.yaml"


def test_organisation_criteria_replace_the_defaults_and_the_rest_falls_back(
    tmp_path: Path,
) -> None:
    config = tmp_path / "org.yaml"
    config.write_text(
        "criteria:\n"
        "  - id: tillid\n"
        "    label: Skaber tillid hos borgerne\n"
        "    questions: [Hvordan skaber du tillid?]\n"
        "retention:\n"
        "  default_months: 12\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert [c.id for c in settings.criteria] == ["tillid"]
    assert settings.retention.default_months == 12
    assert settings.retention.max_months == 36  # not in the file: the default stays
    assert settings.scale.labels[0] == "Meget svagt"
    build(FJORDBY, tmp_path / "out", config=config)
    sheet = xlsx_text(tmp_path / "out" / "scoreark" / "P1_kristian-ravn-soegaard.xlsx")
    assert "Skaber tillid hos borgerne" in sheet
    assert "Forståelse af recovery" not in sheet


def test_config_mistakes_are_located_in_the_organisations_file(tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("scale:\n  min: 1\n  max: 4\ncriterai: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    found = [str(i).replace(str(config), "org.yaml") for i in info.value.issues]
    assert found == [
        "org.yaml:2:3: scale: needs one label per step: 4 labels",
        "org.yaml:4:1: criterai: unknown field 'criterai'; did you mean 'criteria'?",
    ]


def test_pdf_can_be_the_configured_default(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("pdf:\n  enabled: true\n", encoding="utf-8")
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "missing"))
    with pytest.raises(ConversionError):
        build(FJORDBY, tmp_path / "out", config=config)
    assert not (tmp_path / "out").exists()
