"""Byte-stable PDFs: the same inputs give the same bytes, whatever the clock says."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path


def source_date_epoch() -> datetime | None:
    """Return ``SOURCE_DATE_EPOCH`` as a time, or ``None`` when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*(\(D:\d{4,14}[^)]{0,12}\))")
_VARYING = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{8,64})>\s*<([0-9A-Fa-f]{8,64})>"
                      rb"|/DocChecksum\s*/([0-9A-F]{32})")


def pin_pdf(path: Path, when: datetime | None) -> None:
    """Make LibreOffice's PDF reproducible by overwriting in place, keeping every offset.

    LibreOffice 7.4 ignores SOURCE_DATE_EPOCH; the only varying bytes are the creation
    date, the /ID and its /DocChecksum. Dates become ``when`` (padded with spaces, which
    PDF allows between tokens), the others a hash of the rest. Anything unexpected (an ID
    found twice, a longer date) is left as it is.
    """
    data = bytearray(path.read_bytes())
    if when is not None:
        stamp = b"(D:" + when.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode() + b"Z)"
        for m in _DATE.finditer(data):
            if len(stamp) <= len(m[1]):
                data[m.start(1):m.end(1)] = stamp.ljust(len(m[1]))
    spans = [m.span(g) for m in _VARYING.finditer(data) for g in (1, 2, 3) if m[g]]
    if len(spans) > 3:
        spans = []
    for a, b in spans:
        data[a:b] = b"0" * (b - a)
    digest = hashlib.sha256(data).hexdigest().upper().encode() * 2
    for a, b in spans:
        data[a:b] = digest[: b - a]
    path.write_bytes(data)
