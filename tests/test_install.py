"""An installed docgen (a wheel, run from outside the repository) finds its templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import REPO, SAMPLES


def test_wheel_carries_templates_and_configs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(wheels.glob("docgen-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(site)
    assert "docgen/_data/configs/defaults.yaml" in names
    assert "docgen/_data/templates/docx/stillingsopslag.docx" in names

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    case = shutil.copy(SAMPLES / "kommune-fjordby.yaml", elsewhere / "case.yaml")
    shutil.copy(SAMPLES / "fjordby-logo.png", elsewhere / "fjordby-logo.png")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c",
         "import docgen, sys; from docgen.cli.app import main; print(docgen.__file__, "
         "file=sys.stderr); main()", "build", str(case), "-o", "out"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert str(site) in run.stderr.splitlines()[0]
    assert (elsewhere / "out" / "stillingsopslag.docx").is_file()
