"""P3: templates cannot run code or run forever; template files cannot exhaust memory.

The hostile corpus of issue finding 3 and 8: each bomb must stop within its limit with
a message that names the template, exit 1, no traceback, and nothing written.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_kit import SENTINEL_CASE, config, docx_template, xlsx_template

from docgen.cli import main
from docgen.limits import LimitError, Limits, check_zip, forking

POSTING = {"kind": "posting", "template": "docx/p.docx", "output": "p.docx", "for": "case"}
SHEET = {"kind": "scoresheet", "template": "xlsx/s.xlsx", "output": "s/{id}_{slug}.xlsx",
         "for": "panel"}


def _build(tmp_path: Path, doc: dict[str, str], *more: dict[str, str], **limits: Any) -> Any:
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    extra = {"limits": limits} if limits else {}
    cfg = config(tmp_path / "c.yaml", [doc, *more], **extra)
    return CliRunner().invoke(main, ["build", str(case), "-o", str(tmp_path / "out"),
                                     "--config", str(cfg), "--templates", str(tmp_path / "tpl")])


def _refused(result: Any, template: str, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert template in result.output
    for word in words:
        assert word in result.output


WORD_BOMBS = {
    "huge range": ("{{ range(99999999)|length }}", "limits.max_range"),
    "huge string": ("{{ 'x' * 10**9 }}", "limits.max_string"),
    "huge list": ("{{ ([1] * 10**8)|length }}", "limits.max_items"),
    "huge power": ("{{ 10 ** (10 ** 8) }}", "power too large"),
    "filter asking for gigabytes": ("{{ 'x'|center(10**9) }}", "limits.max_string"),
    "doubling namespace": (
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}", "limits.max_string"),
    "doubling recursion (memory)": (
        "{% macro r(s, n) %}{% if n %}{{ r(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
        "{{ r('x', 36) }}", "more memory"),
    "printing too much": (
        "{% for i in range(10000) %}{{ 'x' * 999999 }}{% endfor %}", "limits.max_output"),
    "overflow": ("{{ 10**400|float }}", "too large"),
    "recursion": ("{% macro r(n) %}{{ r(n) }}{% endmacro %}{{ r(1) }}", "recursed"),
    "sandbox escape": ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "sandbox"),
    "str.format escape": ("{{ '{0.__class__}'.format(1) }}", "sandbox"),
}


@pytest.mark.parametrize("bomb", WORD_BOMBS, ids=list(WORD_BOMBS))
def test_word_template_bombs_stop_with_the_template_named(tmp_path: Path, bomb: str) -> None:
    text, words = WORD_BOMBS[bomb]
    if "memory" in bomb and not forking():
        pytest.skip("only the worker's memory limit stops this one (Linux)")
    docx_template(tmp_path / "tpl/docx/p.docx", text)
    started = time.monotonic()
    result = _build(tmp_path, POSTING)
    _refused(result, "p.docx", words)
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()


def test_a_loop_bomb_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    docx_template(tmp_path / "tpl/docx/p.docx",
                  "{% for i in range(10000) %}{% for j in range(10000) %}"
                  "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    result = _build(tmp_path, POSTING, render_seconds=2)
    elapsed = time.monotonic() - started
    _refused(result, "p.docx", "longer than 2 s", "limits.render_seconds", "nothing was written")
    assert elapsed < 15
    assert not (tmp_path / "out").exists()


def test_the_time_limit_names_only_the_template_still_rendering(tmp_path: Path) -> None:
    # workbooks render beside Word documents; the shipped scoresheet is done in time
    docx_template(tmp_path / "tpl/docx/p.docx",
                  "{% for i in range(10000) %}{% for j in range(10000) %}"
                  "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}")
    sheet = {**SHEET, "template": "xlsx/scoreark.xlsx"}
    result = _build(tmp_path, POSTING, sheet, render_seconds=3)
    _refused(result, "p.docx: rendering took longer than 3 s")
    assert "scoreark" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_sheet_loop_bomb_stops(tmp_path: Path) -> None:
    xlsx_template(tmp_path / "tpl/xlsx/s.xlsx",
                  {"A1": "{%sheet for a in range(5000) %}", "B1": "{{ a }}", "C3": "x"})
    result = _build(tmp_path, SHEET)
    _refused(result, "s.xlsx", "limits.xlsx_sheets")


def test_a_row_loop_bomb_stops(tmp_path: Path) -> None:
    xlsx_template(tmp_path / "tpl/xlsx/s.xlsx", {
        "A1": "{%tr for i in range(10000)|list + range(10000)|list %}", "B2": "{{ i }}",
        "A3": "{%tr endfor %}"})
    result = _build(tmp_path, SHEET)
    _refused(result, "s.xlsx", "limits.xlsx_rows")


def test_an_xlsx_template_with_a_far_cell_is_refused_before_it_is_opened(
    tmp_path: Path,
) -> None:
    xlsx_template(tmp_path / "tpl/xlsx/s.xlsx", {"A1": "x", "XFD1048576": "far"})
    result = _build(tmp_path, SHEET)
    _refused(result, "s.xlsx", "row 1,048,576", "limits.xlsx_rows")
    check = CliRunner().invoke(main, ["templates", "check", str(tmp_path / "tpl"),
                                      "--config", str(tmp_path / "c.yaml")])
    assert check.exit_code == 1
    assert "limits.xlsx_rows" in check.output


def test_a_forged_dimension_is_refused(tmp_path: Path) -> None:
    path = xlsx_template(tmp_path / "s.xlsx", {"A1": "x"})
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda xml: xml.replace(b'<dimension ref="A1:A1"/>',
                                     b'<dimension ref="A1:XFD1048576"/>'))
    (tmp_path / "tpl/xlsx").mkdir(parents=True)
    path.replace(tmp_path / "tpl/xlsx/s.xlsx")
    _refused(_build(tmp_path, SHEET), "s.xlsx", "limits.xlsx_rows")


def _rewrite(path: Path, part: str, change: Any) -> None:
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info.filename, change(data) if info.filename == part else data)


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A valid .docx with a part that inflates to ``megabytes`` MB (a few hundred KB packed)."""
    docx_template(path, "Hej")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, \
            z.open("word/media/filler.bin", "w", force_zip64=True) as fh:
        block = b"\0" * (1 << 20)
        for _ in range(megabytes):
            fh.write(block)


def test_a_docx_zip_bomb_is_refused_by_the_bytes_it_inflates(tmp_path: Path) -> None:
    _zip_bomb(tmp_path / "tpl/docx/p.docx", 300)
    assert (tmp_path / "tpl/docx/p.docx").stat().st_size < 2_000_000
    started = time.monotonic()
    result = _build(tmp_path, POSTING)
    _refused(result, "p.docx", "zip bomb")
    assert time.monotonic() - started < 30


def test_check_zip_counts_real_bytes_not_declared_sizes(tmp_path: Path) -> None:
    path = tmp_path / "b.docx"
    _zip_bomb(path, 3)
    with pytest.raises(LimitError, match="limits.zip_bytes"):
        check_zip(path, Limits(zip_bytes=1_000_000, zip_ratio=10_000))
    with pytest.raises(LimitError, match="limits.zip_ratio"):
        check_zip(path, Limits())
    check_zip(path, Limits(zip_ratio=10_000))  # within both limits: fine


def test_a_template_with_a_bad_crc_is_a_message(tmp_path: Path) -> None:
    path = docx_template(tmp_path / "tpl/docx/p.docx", "Hej med dig " * 50)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    # Flip a byte of the stored CRC in the local header (offset 14) and the central one.
    data[info.header_offset + 14] ^= 0xFF
    central = data.rfind(b"PK\x01\x02" , 0, len(data))
    while central != -1:
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_len] == b"word/document.xml":
            data[central + 16] ^= 0xFF
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))
    result = _build(tmp_path, POSTING)
    _refused(result, "p.docx", "damaged")


def test_an_xlsx_template_with_a_doctype_is_a_message(tmp_path: Path) -> None:
    path = xlsx_template(tmp_path / "tpl/xlsx/s.xlsx", {"A1": "x"})
    _rewrite(path, "xl/workbook.xml",
             lambda xml: b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + xml)
    _refused(_build(tmp_path, SHEET), "s.xlsx", "DOCTYPE")


def test_limits_are_configuration(tmp_path: Path) -> None:
    """A lower limit in an organisation's config is the one applied."""
    docx_template(tmp_path / "tpl/docx/p.docx", "{{ range(500)|length }}")
    assert _build(tmp_path, POSTING).exit_code == 0
    docx_template(tmp_path / "tpl/docx/p.docx", "{{ range(500)|length }}")
    result = _build(tmp_path, POSTING, max_range=100)
    _refused(result, "p.docx", "range() of more than 100 numbers")


def test_a_summary_template_loop_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    """`docgen collect` renders a consultant's summary template in the same bounded worker."""
    import yaml
    from scoresheets import REGION, returned_set

    import docgen
    from docgen.errors import RenderError

    built = tmp_path / "region"
    docgen.build(REGION, built)
    files = returned_set(built, tmp_path / "mail")
    xlsx_template(tmp_path / "tpl/xlsx/scoreark_oversigt.xlsx", {
        "A1": "{% for i in range(10000) %}{% for j in range(10000) %}"
              "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}"})
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump({"limits": {"render_seconds": 2}}), encoding="utf-8")
    before = sorted(p.name for p in built.iterdir())
    started = time.monotonic()
    with pytest.raises(RenderError) as caught:
        docgen.collect(REGION, list(files.values()), built, config=cfg,
                       templates=tmp_path / "tpl")
    assert time.monotonic() - started < 15
    assert "scoreark_oversigt.xlsx" in str(caught.value)
    assert "limits.render_seconds" in str(caught.value)
    assert sorted(p.name for p in built.iterdir()) == before
