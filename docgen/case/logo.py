"""The organisation's logo: a PNG or JPEG beside the case file, checked before a build.

A logo path from a case is input like any other: it must be relative to the case file
and stay inside its folder (a case sent by e-mail cannot make docgen read
``/etc/passwd`` or ``../../payroll.png``), the file must be a regular file within
``limits.logo_bytes``, and it must open as a PNG or JPEG image (python-docx's own image
reader, the one that embeds it later) of at most ``limits.logo_pixels`` pixels.
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from docgen.limits import Limits

_KINDS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_problem(case_dir: Path, logo: str, limits: Limits) -> str | None:
    """Why ``logo`` cannot be used (None when it can)."""
    if PurePosixPath(logo).is_absolute() or PureWindowsPath(logo).anchor:
        return "must be a path relative to the case file, e.g. logo.png"
    folder = case_dir.resolve()
    file = (case_dir / logo).resolve()
    if not file.is_relative_to(folder):
        return "must be inside the case file's folder"
    kind = _KINDS.get(file.suffix.lower())
    if kind is None:
        return "must be a .png or .jpg file"
    try:
        info = file.stat()
    except OSError:
        return "file not found (the path is relative to the case file)"
    if not stat.S_ISREG(info.st_mode):
        return "must be a file"
    if info.st_size > limits.logo_bytes:
        return f"is larger than {limits.logo_bytes:,} bytes (limits.logo_bytes)"
    return _image_problem(file.read_bytes(), kind, limits)


def _image_problem(data: bytes, kind: str, limits: Limits) -> str | None:
    from docx.image.image import Image  # noqa: PLC0415 - python-docx loads slowly

    try:
        image = Image.from_blob(data)
        found = image.content_type
        pixels = image.px_width * image.px_height
    except Exception:  # noqa: BLE001 - python-docx raises several kinds for a non-image
        return "is not a PNG or JPEG image (it cannot be opened as one)"
    if found != kind:
        return f"is a {found} file, though its name says {kind}"
    if pixels <= 0:
        return "is an image without size"
    if pixels > limits.logo_pixels:
        return f"has more than {limits.logo_pixels:,} pixels (limits.logo_pixels)"
    return None
