"""Helpers for tests: documents reduced to comparable text."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}instrText"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}instrText":
            parts.append("{" + (el.text or "").strip() + "}")
        else:
            parts.append(" " if el.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _part_text(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    lines = []
    for p in root.iter(f"{W}p"):
        text = _paragraph_text(p).strip()
        if text:
            lines.append(text)
    return lines


def docx_text(source: Path | bytes) -> str:
    """The text of a .docx: headers, body and footers, one paragraph per line."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        sections = [
            ("header", sorted(n for n in names if n.startswith("word/header"))),
            ("body", ["word/document.xml"]),
            ("footer", sorted(n for n in names if n.startswith("word/footer"))),
        ]
        for label, parts in sections:
            for part in parts:
                lines = _part_text(z.read(part))
                if lines:
                    out.append(f"[{label}]")
                    out.extend(lines)
    return "\n".join(out) + "\n"


def require_soffice() -> Path:
    """LibreOffice as docgen finds it; skip without it, but fail under ``CI=true``."""
    from docgen.errors import ConversionError
    from docgen.pdf.soffice import find_soffice

    try:
        return find_soffice()
    except ConversionError:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required when CI=true but was not found")
        pytest.skip("LibreOffice (soffice) not found; install it or set DOCGEN_SOFFICE")


def tree_state(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove a folder did not change)."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def xlsx_text(path: Path) -> str:
    """Every non-empty cell of a workbook as ``Sheet!A1: value`` lines (formulas as written)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[{ws.title}] {ws.sheet_state}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    lines.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    return "\n".join(lines) + "\n"
