"""Find LibreOffice: the environment, the settings, PATH, then the usual install folders."""

from __future__ import annotations

import functools
import os
import re
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


# Where an installation keeps its main configuration, from the folder of the program:
# <install>/program/soffice on Linux and Windows, LibreOffice.app/Contents/MacOS/soffice.
_MAIN_XCD = ("../share/registry/main.xcd", "../Resources/registry/main.xcd")
_SETUP_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')


@functools.lru_cache(maxsize=8)
def setup_version(soffice: Path) -> str | None:
    """Return the installation's ``major.minor`` version (``7.4``), or None if not found.

    A new profile records it as the version last started. Without it LibreOffice takes
    every start of a private profile for the first after an upgrade and runs its graphics
    self-test first: dozens of 4096-pixel bitmaps, about 0.5 s of a 0.9 s conversion.
    """
    try:
        program = Path(os.path.realpath(soffice)).parent
    except (OSError, ValueError):
        return None
    for relative in _MAIN_XCD:
        try:
            found = _SETUP_VERSION.search((program / relative).read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode("ascii")
    return None


def soffice_args(soffice: Path, profile: Path) -> list[str]:
    """The command line every LibreOffice process of docgen starts with."""
    return [str(soffice), f"-env:UserInstallation={profile.absolute().as_uri()}",
            "--headless", "--invisible", "--nodefault", "--nologo", "--norestore",
            "--nolockcheck"]
