"""Golden tests: each sample builds, and its documents read as the reviewed golden text.

Refresh after an intended change with ``pytest tests/test_samples.py --update-golden``
and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.pack.pipeline import build
from tests.helpers import REPO, SAMPLES, docx_text, xlsx_text

GOLDEN = REPO / "tests" / "golden"


def _normalised(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    docs = [{k: v for k, v in d.items() if k != "sha256"} for d in manifest["documents"]]
    summary = {"documents": docs, "skipped": manifest["skipped"],
               "advisories": [a["code"] for a in manifest["advisories"]]}
    texts = {"manifest.json": json.dumps(summary, ensure_ascii=False, indent=1) + "\n"}
    for doc in manifest["documents"]:
        if doc["path"].endswith(".docx"):
            texts[doc["path"] + ".txt"] = docx_text(out / doc["path"])
        elif doc["path"].endswith(".xlsx"):
            texts[doc["path"] + ".txt"] = xlsx_text(out / doc["path"])
    return texts


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_sample_matches_golden(sample: Path, tmp_path: Path, update_golden: bool) -> None:
    build(sample, tmp_path / "out")
    texts = _normalised(tmp_path / "out")
    folder = GOLDEN / sample.stem
    if update_golden:
        if folder.exists():
            for old in folder.rglob("*.txt"):
                old.unlink()
        for rel, text in texts.items():
            target = folder / (rel if rel.endswith(".txt") else rel + ".txt")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
                for p in folder.rglob("*.txt")}
    actual = {(k if k.endswith(".txt") else k + ".txt"): v for k, v in texts.items()}
    assert sorted(actual) == sorted(expected)
    for rel, text in actual.items():
        assert text == expected[rel], f"{sample.stem}/{rel} differs from the golden text"


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_samples_never_expire(sample: Path) -> None:
    # A case with dates.recruitment_closed is refused once its retention has passed; the
    # README's sample build and these tests must work in any year, so no sample sets one.
    import datetime as dt

    from docgen.case.load import check_retention
    from docgen.case.model import Case
    from docgen.loading import load_model
    from docgen.settings import load_settings

    case, _, issues = load_model(sample, Case, display_name=sample.name)
    assert case is not None, issues
    check_retention(case, load_settings(), dt.date(2100, 1, 1))
