"""Find LibreOffice: the environment, the settings, PATH, then the usual install folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docgen.errors import ConversionError

INSTALL_HELP = (
    "LibreOffice is needed for --pdf but was not found. Install it:\n"
    "  Debian/Ubuntu: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
    "fonts-crosextra-carlito fonts-dejavu\n"
    "  macOS/Windows: download it from https://www.libreoffice.org/\n"
    "or set DOCGEN_SOFFICE to the path of the soffice program. "
    "Building without --pdf needs nothing of this."
)
_USUAL_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice(configured: str | None = None) -> Path:
    """Find LibreOffice: ``DOCGEN_SOFFICE``, then ``configured``, then PATH, then usual places."""
    for origin, value in (("DOCGEN_SOFFICE", os.environ.get("DOCGEN_SOFFICE")),
                          ("the configured soffice", configured)):
        if value:
            found = shutil.which(value)
            if found is None:
                raise ConversionError(
                    f"{origin} is set to {value}, which is not an executable program.",
                    hint=INSTALL_HELP,
                )
            return Path(found)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _USUAL_PLACES:
        if Path(place).is_file():
            return Path(place)
    raise ConversionError(INSTALL_HELP)
