"""P7: the PDF check never refuses a correct PDF (issue finding 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cases import MINIMAL

from docgen.pack.pipeline import PdfOptions, build
from docgen.pdf.verify import _contains, letters
from tests.helpers import require_soffice

HARD_NAMES = [
    "Lise 😀 Lund",
    "Zoe\u0308 Ha\u0301kansson",      # combining marks, as macOS writes them (NFD)
    "Ǆenan ﬁnnsson",                 # a digraph and a ligature
    "Anne-Marie Ø. Sø­rensen",         # a hyphen and a soft hyphen
    "Ali 👨‍👩‍👧 Ølgaard",                 # a family emoji (joined with zero-width joiners)
]


@pytest.mark.parametrize("name", HARD_NAMES)
def test_letters_ignore_what_text_layers_change(name: str) -> None:
    # What a PDF text layer may give back: marks after or before, emoji gone, NFKC forms.
    assert _contains("Kære " + letters(name).upper() + "\n", name)
    assert _contains("Kære " + "".join(ch for ch in name if ord(ch) < 0x1F000), name)


def test_letters_still_tell_names_apart() -> None:
    assert not _contains("Kære Lise Lunde", "Lise Lind")
    assert not _contains("Kære Zoe", "Zoë Håkansson")


@pytest.mark.libreoffice
def test_a_pdf_of_names_with_emoji_and_marks_is_accepted(tmp_path: Path) -> None:
    require_soffice()
    people = "".join(
        f"  - {{id: A0{i}, name: '{name}', interviewed: yes, outcome: rejected}}\n"
        for i, name in enumerate(HARD_NAMES, start=1)
    )
    text = MINIMAL.replace("applicants:\n  - id: A01\n    name: Åse Ærø\n",
                           "applicants:\n" + people + "  - {id: A09, name: Bo Ansat, "
                           "interviewed: yes, outcome: hired}\n"
                           "decision:\n  reasons: [erfaring]\n"
                           "  hired_profile: Den ansatte har erfaring.\n")
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build(case, out, pdf=PdfOptions(enabled=True))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    letters_made = [d for d in manifest["documents"]
                    if d["kind"] == "rejection-letter" and d["path"].endswith(".pdf")]
    assert len(letters_made) == len(HARD_NAMES)
