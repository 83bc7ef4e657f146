"""Join PDFs into one (the letters' combined PDF), deterministically and atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docgen.errors import ConversionError
from docgen.pdf.stable import source_date_epoch


def combine_pdfs(paths: Sequence[Path], target: Path, *, title: str | None = None,
                 timestamp: datetime | None = None) -> Path:
    """Write the PDFs at ``paths`` one after another into ``target`` (atomically).

    The output is deterministic: fixed metadata (``/Producer`` docgen, the optional
    ``/Title``, and ``/CreationDate`` from ``timestamp`` or ``SOURCE_DATE_EPOCH`` when
    given) and an ``/ID`` derived from the inputs' bytes.
    """
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    from docgen._version import __version__

    if not paths:
        raise ValueError("combine_pdfs needs at least one PDF")
    writer = PdfWriter()
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
            writer.append(path, import_outline=False)
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise ConversionError(f"cannot combine the PDFs: {type(exc).__name__}") from None
    meta = {"/Producer": f"docgen {__version__}"}
    if title:
        meta["/Title"] = title
    when = timestamp or source_date_epoch()
    if when is not None:
        meta["/CreationDate"] = "D:" + when.astimezone(UTC).strftime("%Y%m%d%H%M%S") + "Z"
    writer.metadata = meta
    file_id = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([file_id, file_id])  # else none, or a random one (pypdf versions)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    try:
        with tmp.open("wb") as f:
            writer.write(f)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
