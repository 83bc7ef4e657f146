"""Deterministic OOXML packages: the same content always gives the same bytes.

:func:`normalise_package` rewrites a whole .docx (fixed timestamps, cleared document
properties, pinned dates). The rest writes a .docx from pre-compressed entries.

:class:`docgen.word.compiled.CompiledTemplate` compresses every entry that does not change
between documents once, at load time (:func:`zip_entry`), and per document only joins
the entries into a zip (:func:`zip_bytes`): entries in the given order, fixed timestamps
(:data:`ZIP_DATE_TIME`), deflate at a fixed level, no extra fields; same inputs, same
bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from lxml import etree

__all__ = [
    "DEFAULT_COMPRESSLEVEL",
    "ZIP_DATE_TIME",
    "ZipEntry",
    "normalise_package",
    "zip_bytes",
    "zip_entry",
]

ZIP_DATE_TIME: Final = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every entry in a rendered document."""

DEFAULT_COMPRESSLEVEL: Final = 6


@dataclass(frozen=True)
class ZipEntry:
    """A zip entry's compressed data and the fields its headers need."""

    name: bytes
    flags: int
    crc: int
    compressed: bytes
    size: int


def _dos_date_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    return dos_date, dos_time


_DOS_DATE, _DOS_TIME = _dos_date_time(ZIP_DATE_TIME)
_ZIP_VERSION: Final = 20
_ZIP_MADE_BY: Final = (3 << 8) | _ZIP_VERSION  # unix, so the attributes mean the same everywhere
_ZIP_EXTERNAL_ATTR: Final = (0o100600 & 0xFFFF) << 16
_ZIP_UTF8_FLAG: Final = 0x800
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_ZIP32_MAX: Final = 0xFFFFFFFF


def zip_entry(name: str, data: bytes, compresslevel: int) -> ZipEntry:
    """Compress one entry's data (raw deflate) for :func:`zip_bytes`."""
    try:
        encoded = name.encode("ascii")
        flags = 0
    except UnicodeEncodeError:
        encoded = name.encode("utf-8")
        flags = _ZIP_UTF8_FLAG
    compressor = zlib.compressobj(compresslevel, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return ZipEntry(encoded, flags, zlib.crc32(data), compressed, len(data))


def zip_bytes(entries: Sequence[ZipEntry]) -> bytes:
    """Write a zip (deflate, fixed times, no extras) from pre-compressed entries."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        header = _LOCAL.pack(
            0x04034B50,
            _ZIP_VERSION,
            e.flags,
            zipfile.ZIP_DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            e.crc,
            len(e.compressed),
            e.size,
            len(e.name),
            0,
        )
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                _ZIP_MADE_BY,
                _ZIP_VERSION,
                e.flags,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                e.crc,
                len(e.compressed),
                e.size,
                len(e.name),
                0,
                0,
                0,
                0,
                _ZIP_EXTERNAL_ATTR,
                offset,
            )
            + e.name
        )
        out += (header, e.name, e.compressed)
        offset += len(header) + len(e.name) + len(e.compressed)
    directory = b"".join(central)
    if offset + len(directory) > _ZIP32_MAX or len(entries) > 0xFFFF:
        msg = "document too large for a zip without zip64"
        raise ValueError(msg)
    out.append(directory)
    out.append(_END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0))
    return b"".join(out)


# --- normalising a whole package ----------------------------------------------------

_CORE = "docProps/core.xml"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _core_props(xml: bytes, stamp: str) -> bytes:
    """Clear document properties (they may carry names) and pin their dates."""
    root = etree.fromstring(xml)
    for child in list(root):
        tag = etree.QName(child).localname
        if tag in ("created", "modified"):
            child.text = stamp
        elif tag in (
            "title",
            "subject",
            "creator",
            "keywords",
            "description",
            "lastModifiedBy",
            "category",
            "lastPrinted",
            "revision",
        ):
            root.remove(child)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def normalise_package(data: bytes, stamp: str) -> bytes:
    """Rewrite an OOXML zip so the same content always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == _CORE:
                body = _core_props(body, stamp)
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body, compresslevel=6)
    return out.getvalue()
