"""Rejection letters, phone guides and the print file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docgen.pack.pipeline import build
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import SAMPLES, docx_text

REGION = SAMPLES / "region-vest.yaml"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("region") / "out"
    build(REGION, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest


def _names() -> dict[str, str]:
    from docgen.case.model import Case
    from docgen.loading import load_model

    case, _, _ = load_model(REGION, Case)
    assert case is not None
    return {a.id: a.name for a in case.applicants}


def test_one_letter_per_rejected_applicant_with_the_right_variant(region) -> None:
    _, manifest = region
    letters = [d for d in manifest["documents"] if d["kind"] == "rejection-letter"]
    from docgen.case.model import Case
    from docgen.loading import load_model

    case, _, _ = load_model(REGION, Case)
    assert case is not None
    rejected = {a.id: a for a in case.applicants if a.outcome == "rejected"}
    assert sorted(d["recipient"] for d in letters) == sorted(rejected)
    for d in letters:
        expected = "interviewed" if rejected[d["recipient"]].interviewed else "not-interviewed"
        assert d["variant"] == expected
    guides = [d["recipient"] for d in manifest["documents"] if d["kind"] == "phone-guide"]
    assert sorted(guides) == sorted(a for a, x in rejected.items() if x.interviewed)
    withdrawn = [a.id for a in case.applicants if a.outcome == "withdrawn"]
    assert withdrawn
    assert not any(d["recipient"] in withdrawn for d in manifest["documents"])


def test_every_letter_names_its_own_applicant_and_no_other(region) -> None:
    out, manifest = region
    names = _names()
    personal = [
        d for d in manifest["documents"] if d["kind"] in ("rejection-letter", "phone-guide")
    ]
    assert len(personal) > 30
    for doc in personal:
        text = docx_text(out / doc["path"])
        assert names[doc["recipient"]] in text
        others = [n for a, n in names.items() if a != doc["recipient"]]
        leaked = [n for n in others if n in text]
        assert leaked == [], f"{doc['path']} mentions another applicant"


def test_letter_follows_danish_conventions(region) -> None:
    out, manifest = region
    doc = next(
        d
        for d in manifest["documents"]
        if d["kind"] == "rejection-letter" and d["variant"] == "interviewed"
    )
    text = docx_text(out / doc["path"])
    # Non-breaking spaces keep the date on one line.
    assert "Holstebro, 22.\u00a0oktober\u00a02026" in text
    assert "Kære Jens\n" in text
    assert "Med venlig hilsen" in text
    assert "Hanne Kirkegaard\nAfdelingssygeplejerske" in text
    assert "erfaring med at bruge egen recovery-historie i samtaler med andre" in text
    assert "Den ansatte har gennemført en peer-uddannelse" in text
    assert "6 måneder" in text
    assert "betragte" not in text.lower()
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text


def test_interviewed_letter_is_fuller(region) -> None:
    out, manifest = region
    by_variant = {}
    for d in manifest["documents"]:
        if d["kind"] == "rejection-letter":
            by_variant.setdefault(d["variant"], d)
    interviewed = docx_text(out / by_variant["interviewed"]["path"])
    plain = docx_text(out / by_variant["not-interviewed"]["path"])
    assert "tak, fordi du kom til samtale" in interviewed.lower()
    assert "ikke blev udvalgt til samtale" in plain
    assert len(interviewed) > len(plain)


def test_phone_guide_uses_the_panels_notes(region) -> None:
    out, manifest = region
    doc = next(
        d for d in manifest["documents"] if d["kind"] == "phone-guide" and d["recipient"] == "A07"
    )
    text = docx_text(out / doc["path"])
    assert "Fra udvalgets noter: Du fortalte levende" in text
    assert "Mandag den 5.\u00a0oktober\u00a02026 kl. 10.00" in text
    assert "Notér opkaldet" in text


def test_print_file_holds_every_letter_in_order(region) -> None:
    out, manifest = region
    letters = sorted(
        d["recipient"] for d in manifest["documents"] if d["kind"] == "rejection-letter"
    )
    prints = [d for d in manifest["documents"] if d["kind"] == "letters-print"]
    assert len(prints) == 1
    text = docx_text(out / prints[0]["path"])
    names = _names()
    positions = [text.index(f"{names[a]}\n") for a in letters]
    assert positions == sorted(positions)
    with zipfile.ZipFile(out / prints[0]["path"]) as z:
        body = z.read("word/document.xml").decode("utf-8")
    # One section per letter, each numbered from page 1.
    assert body.count("<w:sectPr") == len(letters)
    assert body.count('w:pgNumType w:start="1"') == len(letters)


def test_letters_wait_until_somebody_is_hired(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("    name: Åse Ærø", "    name: Åse Ærø\n    outcome: rejected")
        + "decision:\n  shortlist_reasons: [erfaring]\n"
    )
    result = build(write_case(tmp_path, text), tmp_path / "out")
    kinds = {d["kind"] for d in result.documents}
    assert "rejection-letter" not in kinds
    reasons = {(s["kind"], s.get("variant")): s["reason"] for s in result.skipped}
    assert "nobody is hired yet" in reasons[("rejection-letter", "not-interviewed")]
    assert ("letters-print", None) in reasons


HOSTILE = [
    "Ærø & <Søn> \"Q\" 'x'",
    "Zoë 😀 Ånd",
    "Rene\u0301 Søren",
    "=cmd|' /C calc'!A0",
    "a</w:t></w:r><w:r><w:t>X",
    "{{ applicant.name }}",
]


def test_hostile_names_render_exactly_and_validly(tmp_path: Path) -> None:
    people = "".join(
        f"  - id: A{i + 10}\n    name: '{n.replace(chr(39), chr(39) * 2)}'\n    outcome: rejected\n"
        for i, n in enumerate(HOSTILE)
    )
    text = (
        MINIMAL.replace("    name: Åse Ærø", "    name: Åse Ærø\n    outcome: hired")
        + people
        + "decision:\n  shortlist_reasons: [erfaring]\n  hired_profile: Erfaren.\n"
    )
    result = build(write_case(tmp_path, text), tmp_path / "out")
    letters = {d["recipient"]: d for d in result.documents if d["kind"] == "rejection-letter"}
    assert len(letters) == len(HOSTILE)
    for i, name in enumerate(HOSTILE):
        path = tmp_path / "out" / letters[f"A{i + 10}"]["path"]
        assert path.resolve().parent == (tmp_path / "out" / "afslag").resolve()
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                if part.endswith(".xml"):
                    etree.fromstring(z.read(part), etree.XMLParser(recover=False))
        assert f"{name}\n" in docx_text(path)


def test_letters_carry_the_logo_when_the_case_has_one(tmp_path: Path) -> None:
    import shutil

    logo = SAMPLES / "fjordby-logo.png"
    shutil.copy(logo, tmp_path / "logo.png")
    text = REGION.read_text(encoding="utf-8").replace(
        "  sector: region\n", "  sector: region\n  logo: logo.png\n", 1
    )
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    result = build(case, tmp_path / "out")
    letters = [d for d in result.documents if d["kind"] in ("rejection-letter", "phone-guide")]
    assert letters
    for doc in letters[:3] + letters[-3:]:
        with zipfile.ZipFile(tmp_path / "out" / doc["path"]) as z:
            media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
            header = z.read("word/header1.xml").decode("utf-8")
        assert logo.read_bytes() in media
        assert "<w:drawing>" in header
        assert "logo" not in docx_text(tmp_path / "out" / doc["path"])
