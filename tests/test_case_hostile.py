"""P1 for hostile case files (issue findings 4, 5 and 6): refused before rendering, located,
never a traceback, never a value, and nothing written."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from cases import MINIMAL
from click.testing import CliRunner
from hostile_kit import leaked

from docgen.cli import main


def _run(tmp_path: Path, text: str | None = None, *, case: Path | None = None,
         command: str = "build") -> Any:
    if case is None:
        case = tmp_path / "case.yaml"
        case.write_text(text or MINIMAL, encoding="utf-8")
    args = [command, str(case)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    return CliRunner().invoke(main, args)


def _refused(result: Any, tmp_path: Path, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    assert not (tmp_path / "out").exists()


def test_deep_nesting_is_refused_before_parsing(tmp_path: Path) -> None:
    text = MINIMAL + "extra: " + "[" * 600 + "]" * 600 + "\n"
    _refused(_run(tmp_path, text), tmp_path, "case.yaml:", "nested more than 20 levels")


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    with case.open("wb") as fh:
        fh.truncate(400_000_000)  # sparse: costs no disk, would cost 400 MB to read
    started = time.monotonic()
    _refused(_run(tmp_path, case=case), tmp_path, "larger than 1 MB")
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused(tmp_path: Path) -> None:
    _refused(_run(tmp_path, case=Path("/dev/zero"), command="validate"), tmp_path,
             "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    _refused(_run(tmp_path, case=fifo), tmp_path, "not a regular file")
    assert time.monotonic() - started < 10


def test_an_unknown_key_that_looks_like_data_is_not_echoed(tmp_path: Path) -> None:
    text = MINIMAL.replace("    name: Åse Ærø\n", "    name: Åse Ærø\n    Has PTSD since 2019: x\n")
    result = _run(tmp_path, text)
    _refused(result, tmp_path, "case.yaml:37:5: applicants[0] (A01).(key): unknown field")
    assert "PTSD" not in result.output


def test_an_unknown_key_that_is_a_typo_gets_a_did_you_mean(tmp_path: Path) -> None:
    text = MINIMAL.replace("  place: Huset", "  plac: Huset")
    _refused(_run(tmp_path, text), tmp_path,
             "position.plac: unknown field 'plac'; did you mean 'place'?")


def test_a_duplicate_key_that_looks_like_data_is_not_echoed(tmp_path: Path) -> None:
    text = MINIMAL.replace("    name: Åse Ærø\n",
                           "    name: Åse Ærø\n    Ove Sick: 1\n    Ove Sick: 2\n")
    result = _run(tmp_path, text)
    _refused(result, tmp_path, "duplicate key (first at 37:5)")
    assert "Ove" not in result.output


@pytest.mark.parametrize("written", ["2_5", "1e-320", "inf", "nan", "0x19", "0.5", "49", "-3"])
def test_hours_are_plain_plausible_numbers(tmp_path: Path, written: str) -> None:
    text = MINIMAL.replace("hours_per_week: 20", f"hours_per_week: {written}")
    result = _run(tmp_path, text)
    _refused(result, tmp_path, "case.yaml:23:19: position.hours_per_week:")


@pytest.mark.parametrize("written", ["1", "18.5", "48"])
def test_plausible_hours_are_accepted(tmp_path: Path, written: str) -> None:
    text = MINIMAL.replace("hours_per_week: 20", f"hours_per_week: {written}")
    assert _run(tmp_path, text, command="validate").exit_code == 0


def test_underscores_in_whole_numbers_are_refused(tmp_path: Path) -> None:
    text = MINIMAL + "interview:\n  duration_minutes: 4_5\n"
    _refused(_run(tmp_path, text), tmp_path, "interview.duration_minutes: must be a number")


# -- one-line fields (finding 6) ---------------------------------------------------------

@pytest.mark.parametrize(("written", "what"), [
    ('"Åse\\tÆrø"', "U+0009"),
    ('"Åse\\nÆrø"', "U+000A"),
    ('"Åse \\u202eørÆ"', "U+202E"),
    ('"Åse \\u2066Ærø"', "U+2066"),
    ('"Åse\\u2028Ærø"', "U+2028"),
])
def test_one_line_fields_refuse_breaks_tabs_and_bidi_controls(
    tmp_path: Path, written: str, what: str
) -> None:
    text = MINIMAL.replace("name: Åse Ærø", f"name: {written}")
    result = _run(tmp_path, text)
    _refused(result, tmp_path, "case.yaml:36:11: applicants[0] (A01).name: must be one line", what)
    assert not leaked(result.output)


def test_multi_line_texts_keep_their_line_breaks(tmp_path: Path) -> None:
    text = MINIMAL.replace("  pay_basis: Efter overenskomst",
                           '  pay_basis: "Efter overenskomst.\\nTillæg efter aftale."')
    assert _run(tmp_path, text, command="validate").exit_code == 0


# -- the logo (finding 5) ----------------------------------------------------------------

def _png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _with_logo(logo: str) -> str:
    return MINIMAL.replace("  sector: region\n", f"  sector: region\n  logo: '{logo}'\n")


def test_a_real_png_logo_builds(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png())
    result = _run(tmp_path, _with_logo("logo.png"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("name", "content", "logo", "message"), [
    ("logo.png", b"not an image at all", "logo.png", "is not a PNG or JPEG image"),
    ("logo.png", b"\xff\xd8\xff\xe0" + b"\0" * 40, "logo.png", "is not a PNG or JPEG image"),
    ("logo.gif", b"GIF89a", "logo.gif", "must be a .png or .jpg file"),
    (None, None, "/etc/hostname.png", "must be a path relative to the case file"),
    (None, None, "C:\\\\logo.png", "must be a path relative to the case file"),
    (None, None, "../outside.png", "must be inside the case file's folder"),
    (None, None, "missing.png", "file not found"),
    ("big.png", b"\x89PNG" + b"\0" * 2_100_000, "big.png", "limits.logo_bytes"),
    ("huge.png", _png(6000, 5000), "huge.png", "limits.logo_pixels"),
])
def test_a_bad_logo_is_a_located_error(
    tmp_path: Path, name: str | None, content: bytes | None, logo: str, message: str
) -> None:
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (tmp_path / "outside.png").write_bytes(_png())
    if name and content is not None:
        (case_dir / name).write_bytes(content)
    case = case_dir / "case.yaml"
    case.write_text(_with_logo(logo), encoding="utf-8")
    result = _run(tmp_path, case=case)
    _refused(result, tmp_path, "organisation.logo:", message)
