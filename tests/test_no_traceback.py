"""Issue finding 8: no traceback reaches a user; an internal error is one line asking for a
report, with no value, and the traceback only with ``--debug``."""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_kit import SENTINEL_CASE, leaked

from docgen.cli import main


def _build(tmp_path: Path, *extra: str) -> Any:
    case = tmp_path / "case.yaml"
    case.write_text(SENTINEL_CASE, encoding="utf-8")
    return CliRunner().invoke(main, [*extra, "build", str(case), "-o", str(tmp_path / "out")])


def _break_rendering(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    from docgen.pack.render import Renderer

    def broken(_self: Renderer, _job: Any) -> bytes:
        raise exc

    monkeypatch.setattr(Renderer, "render", broken)


def test_an_internal_error_is_one_line_asking_for_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_rendering(monkeypatch, KeyError("SENTINEL-name Åse"))
    result = _build(tmp_path)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not leaked(result.output)
    lines = [line for line in result.output.splitlines() if "internal error" in line]
    assert len(lines) == 1
    assert "please report" in lines[0]
    assert "--debug" in lines[0]
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _break_rendering(monkeypatch, KeyError("boom"))
    result = _build(tmp_path, "--debug")
    assert result.exit_code == 1
    assert "Traceback" in result.output
    assert "KeyError" in result.output


def test_an_unexpected_error_outside_the_worker_is_reported_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docgen.pack.pipeline as pipeline

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ValueError("SENTINEL-notes")

    monkeypatch.setattr(pipeline, "check_budget", broken)
    result = _build(tmp_path)
    assert result.exit_code == 1
    assert "internal error (ValueError)" in result.output
    assert not leaked(result.output)


def test_a_full_disk_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.output.staging import Staging

    def full(self: Staging, rel: str, _data: bytes) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.root / rel))

    monkeypatch.setattr(Staging, "write", full)
    result = _build(tmp_path)
    assert result.exit_code == 1
    assert "the disk is full" in result.output
    assert "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert not leaked(result.output)  # the file name carries a slug of a name
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("exc", [RecursionError(), MemoryError()], ids=["recursion", "memory"])
def test_recursion_and_memory_errors_outside_templates_are_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    import docgen.pack.pipeline as pipeline

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise exc

    monkeypatch.setattr(pipeline, "check_budget", broken)
    result = _build(tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip()


def test_a_case_too_big_to_build_stops_before_rendering(tmp_path: Path) -> None:
    """Issue finding 9: 22 panel members × 203 applicants stop with a message."""
    panel = "".join(f"  - {{id: P{i}, name: Panel {i}, title: leder}}\n" for i in range(1, 23))
    people = "".join(f"  - {{id: A{i:03d}, name: Ane {i}, interviewed: yes, outcome: rejected}}\n"
                     for i in range(1, 204))
    text = SENTINEL_CASE.split("panel:\n")[0] + "panel:\n" + panel + "applicants:\n" + people
    text += "  - {id: A999, name: Bo, interviewed: yes, outcome: hired}\n"
    text += "decision: {reasons: [x], hired_profile: y}\n"
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(case), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "4,488 applicant sheets" in result.output
    assert "limits.max_sheets" in result.output
    assert not (tmp_path / "out").exists()


def test_running_out_of_memory_while_rendering_names_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_rendering(monkeypatch, MemoryError())
    result = _build(tmp_path)
    assert result.exit_code == 1
    # the first document of either render worker (Word or workbooks) names its template
    assert re.search(r"(stillingsopslag\.docx|scoreark\.xlsx): rendering needed more memory "
                     r"than 512 MB", result.output), result.output
    assert "limits.render_memory_mb" in result.output
    assert "internal error" not in result.output
