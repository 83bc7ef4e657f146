"""Safe, unique output file names built from ids and applicants' names.

Names come from the case file and may contain anything: ``../../x``, ``CON``, NUL,
U+202E, emoji, 300 characters or nothing at all. Every name this module returns is

* a relative POSIX path whose components are ``[A-Za-z0-9_-]`` plus one dot before the
  extension, so it can never leave the output folder (no ``..``, no ``/``, no drive);
* valid on Windows too (no reserved device names such as ``CON`` or ``LPT9``, no
  ``<>:"/\\|?*``, no trailing dot or space, short);
* NFC (it is plain ASCII);
* unique case-insensitively across a build: "Søren", "Soren" and "SØREN" under the
  same id get ``A07_soeren.docx``, ``A07_soren.docx`` and ``A07_soeren-2.docx``.
  Uniqueness is decided on the path without its extension, so a PDF made from a
  document by swapping the extension is unique as well.

Example::

    >>> document_filename("A07", "Søren Østergaard", "docx")
    'A07_soeren-oestergaard.docx'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Final

from docgen.output.paths import UnsafePathError

__all__ = [
    "FALLBACK_SLUG",
    "PathAssigner",
    "UnsafePathError",
    "assign_paths",
    "document_filename",
    "safe_identifier",
    "slug",
]

FALLBACK_SLUG: Final = "ukendt"
"""The slug of a name with no usable letters (empty, only symbols, another script)."""

MAX_SLUG: Final = 60
MAX_IDENTIFIER: Final = 20
MAX_FOLDER_COMPONENT: Final = 40
MAX_RELATIVE_PATH: Final = 180
"""Leaves room for the output folder itself within Windows' classic 260 characters."""

_TRANSLITERATION: Final = str.maketrans(
    {
        "æ": "ae",
        "ø": "oe",
        "å": "aa",
        "Æ": "Ae",
        "Ø": "Oe",
        "Å": "Aa",
        "ß": "ss",
        "ẞ": "Ss",
        "œ": "oe",
        "Œ": "Oe",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
    }
)
"""Danish first (æ→ae, ø→oe, å→aa), then letters NFKD does not take apart."""

_WINDOWS_RESERVED: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]}
)
_NOT_ALNUM: Final = re.compile(r"[^A-Za-z0-9]+")
_EXTENSION: Final = re.compile(r"[a-z0-9]{1,10}")


def _ascii_words(text: str) -> str:
    """NFC, Danish transliteration, accents stripped; non-ASCII letters dropped."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    # NFKD may produce æøå again (e.g. from compatibility forms); transliterate twice.
    decomposed = decomposed.translate(_TRANSLITERATION)
    return "".join(ch for ch in decomposed if ch.isascii())


def _not_reserved(component: str) -> str:
    """Append ``_`` to a Windows device name (``con`` → ``con_``)."""
    return component + "_" if component.upper() in _WINDOWS_RESERVED else component


def _cap(text: str, limit: int) -> str:
    return text[:limit].strip("-")


def slug(name: str, max_len: int = MAX_SLUG) -> str:
    """Return a lower-case ASCII slug of ``name``: ``"Søren Østergaard"`` → ``soeren-oestergaard``.

    NFC first, then Danish transliteration (æ→ae, ø→oe, å→aa; Æ→Ae …), other accents
    stripped (é→e, ü→u), runs of anything else become one ``-``. Never empty (falls back
    to ``ukendt``), never longer than ``max_len``,
    """
    if max_len < len(FALLBACK_SLUG):
        msg = f"max_len must be at least {len(FALLBACK_SLUG)}"
        raise ValueError(msg)
    text = _NOT_ALNUM.sub("-", _ascii_words(name)).strip("-").lower()
    return _not_reserved(_cap(text, max_len) or FALLBACK_SLUG)


def safe_identifier(identifier: str) -> str:
    """Return ``identifier`` made safe for a file name, keeping its case (``A07``).

    Ids are validated by pattern when the case is loaded; this is the second line of
    defence: anything outside ``[A-Za-z0-9-]`` becomes ``-``, the length is capped,
    and an empty id becomes ``x``.
    """
    text = _NOT_ALNUM.sub("-", _ascii_words(identifier)).strip("-")
    return _cap(text, MAX_IDENTIFIER) or "x"


def _extension(ext: str) -> str:
    clean = ext.lstrip(".").lower()
    if not _EXTENSION.fullmatch(clean):
        msg = f"not a file extension: {ext!r}"
        raise ValueError(msg)
    return clean


def document_filename(identifier: str, name: str, ext: str) -> str:
    """Return ``{id}_{slug}.{ext}``, e.g. ``A07_soeren-oestergaard.docx``."""
    return f"{safe_identifier(identifier)}_{slug(name)}.{_extension(ext)}"


def _folder(folder: str) -> str:
    """Return a folder given by docgen or its configuration as safe relative components."""
    parts = [p for p in re.split(r"[\\/]+", folder) if p.strip(" .")]
    return "/".join(slug(p, MAX_FOLDER_COMPONENT) for p in parts)


class PathAssigner:
    """Hands out safe relative paths, unique case-insensitively across one build.

    Paths are decided in call order, so the same calls give the same paths.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def assign(self, folder: str, identifier: str, name: str, ext: str) -> str:
        """Return ``folder/{id}_{slug}.{ext}``, with ``-2``, ``-3`` … added on collision."""
        directory = _folder(folder)
        stem = f"{safe_identifier(identifier)}_{slug(name)}"
        suffix = _extension(ext)
        candidate = stem
        n = 1
        while self._key(directory, candidate) in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._used.add(self._key(directory, candidate))
        path = f"{directory}/{candidate}.{suffix}" if directory else f"{candidate}.{suffix}"
        if len(path) > MAX_RELATIVE_PATH:
            msg = f"output path too long ({len(path)} characters; folder nested too deep)"
            raise UnsafePathError(msg)
        return path

    def reserve(self, path: str) -> None:
        """Mark a fixed path (``stillingsopslag.docx``) as used, so no name takes it."""
        stem = PurePosixPath(path)
        self._used.add(self._key(str(stem.parent).strip("."), stem.stem))

    @staticmethod
    def _key(directory: str, stem: str) -> str:
        return f"{directory}/{stem}".casefold()


def assign_paths(items: Iterable[tuple[str, str, str]], ext: str) -> list[str]:
    """Return one safe, unique relative path per ``(folder, identifier, name)``, in order."""
    assigner = PathAssigner()
    return [assigner.assign(folder, ident, name, ext) for folder, ident, name in items]
