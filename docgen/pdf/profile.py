"""A LibreOffice profile prepared once per build and copied for each process.

LibreOffice does its first-start work in a new profile and then starts itself again (exit
code 81, handled by the ``soffice`` launcher), which costs each new profile about 0.1 s.
A profile that has been through one start (``--terminate_after_init``: no document is
opened, so it holds no case data) skips that, so a build prepares one, while its
documents are still being rendered, and every LibreOffice process gets a copy.

The settings it starts from make headless conversion fast and Danish: the installation's
version as the one last started (else LibreOffice runs its graphics self-test on every
start of a new profile), the locale for numbers and dates in spreadsheets, and named
destinations for bookmarks (a print file's PDF is cut into its letters by them).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docgen.pdf import reaper
from docgen.pdf.soffice import setup_version, soffice_args

__all__ = ["Profile", "profile_settings"]

_SETTINGS = "registrymodifications.xcu"
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">{product}
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export">
<prop oor:name="ExportBookmarksToPDFDestination" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
_PRODUCT = """
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">
<value>{version}</value></prop></item>"""
_PREPARE_SECONDS = 20.0  # a preparation takes 0.1 s; past this, new profiles are used


def profile_settings(soffice: Path, locale: str) -> str:
    """The settings a new private profile starts with (``registrymodifications.xcu``)."""
    version = setup_version(soffice)
    product = _PRODUCT.format(version=version) if version else ""
    return _REGISTRY.format(locale=locale, product=product)


class Profile:
    """A profile being prepared in the background; :meth:`install` copies it.

    If the preparation fails or takes too long, each process gets a new profile with the
    same settings instead: slower, never wrong.
    """

    def __init__(self, soffice: Path, *, workdir: Path | None = None, locale: str = "da-DK"):
        self.settings = profile_settings(soffice, locale)
        self.home = Path(tempfile.mkdtemp(prefix="docgen-profile-", dir=workdir))  # 0700
        user = self.home / "user"
        user.mkdir()
        (user / _SETTINGS).write_text(self.settings, encoding="utf-8")
        self._ready: bool | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        args = [*soffice_args(soffice, self.home), "--terminate_after_init"]
        try:
            self._proc = reaper.spawn(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        except OSError:  # the conversion itself reports a LibreOffice that cannot start
            self._ready = False

    def install(self, target: Path, *, timeout: float = 4 * _PREPARE_SECONDS) -> None:
        """Make ``target`` a profile folder: the prepared one, or new with the settings.

        ``timeout`` is what one document may take to convert; the preparation is waited
        for a quarter of it, at most ``_PREPARE_SECONDS``.
        """
        if self._ready is None:
            # a quarter of what one document may take: a LibreOffice that needs longer to
            # start is not one that converts well; new profiles then do the same, slower
            self._ready = self._finish(min(timeout / 4, _PREPARE_SECONDS))
        if self._ready:
            shutil.copytree(self.home / "user", target / "user", symlinks=True)
        else:
            (target / "user").mkdir(parents=True)
            (target / "user" / _SETTINGS).write_text(self.settings, encoding="utf-8")

    def _finish(self, timeout: float) -> bool:
        proc = self._proc
        if proc is None:
            return False
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        self._kill()
        return code == 0 and (self.home / "user" / _SETTINGS).is_file()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            reaper.stop_group(proc)  # after a normal exit too: leftovers of the launcher

    def close(self) -> None:
        """Stop the preparation if it still runs and remove the prepared profile."""
        self._kill()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Profile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
