"""Check a PDF LibreOffice wrote: its exit code cannot be trusted.

A PDF is good when it is complete, starts as a PDF, has pages and its text contains the
expected texts; the answers never quote those texts (they are names from the case).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def is_complete(path: Path) -> bool:
    """Return whether the file ends with a PDF trailer (LibreOffice has finished it)."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in f.read()
    except OSError:
        return False


def verify_pdf(path: Path, expected: Sequence[str] = ()) -> str | None:
    """Return what is wrong with the PDF at ``path``, or ``None`` when it is good.

    Good means: it starts with ``%PDF-``, has at least one page and its text contains each
    expected text (compared after NFKC normalisation, case-folding and dropping all
    whitespace, so line breaks and justification do not matter). The answer never quotes
    the expected texts.
    """
    import pypdfium2  # noqa: PLC0415 - PDFium reads text ~20x faster than pure Python

    try:
        with path.open("rb") as f:
            if f.read(5) != b"%PDF-":
                return "the output is not a PDF"
    except OSError:
        return "LibreOffice wrote no PDF"
    try:
        doc = pypdfium2.PdfDocument(path)
        try:
            pages = len(doc)
            text = "".join(_page_text(doc[i]) for i in range(pages)) if expected else ""
        finally:
            doc.close()
    except Exception:  # a broken file raises PdfiumError or worse
        return "the PDF cannot be read"
    if pages < 1:
        return "the PDF has no pages"
    missing = [e for e in expected if not _contains(text, e)]
    if missing:
        return f"{len(missing)} of {len(expected)} expected texts are missing from the PDF"
    return None


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        return str(textpage.get_text_range())
    finally:
        textpage.close()
        page.close()


_SPACE = re.compile(r"\s+")
_HYPHENS = re.compile("[-\u00ad\u2010\u2011\u0002]")  # PDFium: U+0002 at a line break


def _key(text: str, *, hyphens: bool = True) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPACE.sub("", text.replace("\u200b", ""))
    return text if hyphens else _HYPHENS.sub("", text)


def _contains(text: str, wanted: str) -> bool:
    if _key(wanted) in _key(text):
        return True
    return _key(wanted, hyphens=False) in _key(text, hyphens=False)  # a word split at a hyphen
