"""An installed docgen, as a new user gets it: a wheel in a fresh virtual environment.

The environment lives outside the repository and the commands run from a folder of
their own, so nothing can come from the checkout: the templates, settings, starter and
example must all travel in the wheel.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return next(out.glob("docgen_peer_hiring-*.whl"))


def test_wheel_carries_templates_configs_and_the_example(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(site)
    assert "docgen/_data/configs/defaults.yaml" in names
    assert "docgen/_data/configs/starter-case.yaml" in names
    assert "docgen/_data/samples/region-vest.yaml" in names
    assert "docgen/_data/templates/docx/stillingsopslag.docx" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "Name: docgen-peer-hiring" in z_read(wheel, metadata)

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


def z_read(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as z:
        return z.read(name).decode("utf-8")


def _help_examples(help_text: str) -> list[list[str]]:
    """The example command lines of ``docgen --help``, in order."""
    return [shlex.split(line.strip()) for line in help_text.splitlines()
            if line.strip().startswith("docgen ")]


def test_a_new_user_goes_from_install_to_a_built_pack(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True, text=True, check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    docgen = bindir / "docgen"
    work = tmp_path / "hr-office"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(docgen), *args], cwd=work, env=env, capture_output=True,
                              text=True, check=False)

    where = subprocess.run([str(python), "-c", "import docgen; print(docgen.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(env_dir)

    shown = run("--help")
    assert shown.returncode == 0, shown.stderr
    commands = re.findall(r"^  ([a-z]+)  +\S", shown.stdout.split("Commands:")[1], re.MULTILINE)
    assert commands[:3] == ["init", "validate", "build"]
    examples = _help_examples(shown.stdout)
    assert [e[:2] for e in examples] == [["docgen", "init"], ["docgen", "validate"],
                                         ["docgen", "build"], ["docgen", "init"],
                                         ["docgen", "build"]]
    for example in examples:  # exactly as --help shows them
        done = run(*example[1:])
        assert done.returncode == 0, (example, done.stderr)
        assert "Traceback" not in done.stderr

    assert (work / "case.yaml").is_file()
    assert (work / "case.schema.json").is_file()
    assert (work / "out" / "case" / "stillingsopslag.docx").is_file()
    assert (work / "out" / "case" / "manifest.json").is_file()
    assert (work / "out" / "example" / "afslag" / "alle_afslag.docx").is_file()
    # The starter built, but says what is left to fill in.
    assert "advice [starter-example]" in run("validate", "case.yaml").stderr

    exported = run("templates", "export", "skabeloner")
    assert exported.returncode == 0, exported.stderr
    assert (work / "skabeloner" / "docx" / "stillingsopslag.docx").is_file()
    assert "criteria:" in run("config", "show").stdout
    assert list(work.glob("**/.docgen*")) == []
