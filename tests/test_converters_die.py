"""Issue 10, point 6: LibreOffice never outlives docgen, however docgen ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from docgen.pdf.office import Office
from tests.helpers import SAMPLES
from tests.test_pdf import FAKES, marked_processes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a /proc scan")


def _start_build(tmp_path: Path, marker: str) -> tuple[subprocess.Popen[bytes], Path]:
    out = tmp_path / "out"
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "DOCGEN_SOFFICE": str(FAKES / "hang"), "DOCGEN_FAKE_MARKER": marker,
           "TMPDIR": str(tmp_path / "tmp")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(SAMPLES / "kommune-fjordby.yaml"),
         "-o", str(out), "--pdf", "--pdf-timeout", "12"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    # docgen itself, the watchdog, the fake converter and its sleeping child, started for
    # the documents once the build writes (the profile's preparation hangs too: docgen
    # gives up on it after the time limit and starts the converters without it)
    while not (_running("sleep 3600", marker) and list((out / ".docgen").glob("stage-*"))):
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the fake converter never started"
        time.sleep(0.1)
    return proc, out


def _running(command: str, marker: str) -> bool:
    for pid in marked_processes(marker, grace=0):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if command.encode() in cmdline:
            return True
    return False


def _described(pids: list[int]) -> list[str]:
    out = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        out.append(f"{pid}: {cmdline.decode(errors='replace')[:80]}")
    return out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_converters_die_with_docgen_on_sigterm_and_sigint(tmp_path: Path, signum: int) -> None:
    marker = uuid.uuid4().hex
    proc, out = _start_build(tmp_path, marker)
    proc.send_signal(signum)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert _described(marked_processes(marker, grace=5)) == []
    # the handler ended docgen by an exception, so its staging folder went too, and the
    # prepared LibreOffice profile in the temporary folder
    assert not out.exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_converters_of_a_killed_docgen_do_not_survive_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = uuid.uuid4().hex
    proc, out = _start_build(tmp_path, marker)
    proc.kill()  # no handler runs: the parent-death signal and the watchdog must do it
    proc.wait(timeout=30)
    assert _described(marked_processes(marker, grace=5)) == []
    # the next build removes the killed one's staging folder
    stages = list((out / ".docgen").glob("stage-*"))
    assert stages, "a killed build leaves its staging folder until the next command"
    from docgen.pack.pipeline import build

    build(SAMPLES / "kommune-fjordby.yaml", out)
    assert not (out / ".docgen").exists()
    # and the next build that makes PDFs removes its prepared profile (no case data in it)
    left = list((tmp_path / "tmp").glob("docgen-office-*"))
    assert left, "a killed build leaves its prepared profile until the next PDF build"
    other = tmp_path / "tmp" / "docgen-office-not-ours"  # no owner file: never touched
    other.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    with Office(FAKES / "blank"):
        assert [p for p in left if p.exists()] == []
        assert other.is_dir()
