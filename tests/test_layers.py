"""The wings' layers hold, and the import-linter contracts really catch a breach.

The contracts live in pyproject.toml; CI runs ``lint-imports`` on the package as it is.
These tests run it on a copy with one forbidden import added, so a contract that was
weakened until it checks nothing fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "docgen", root / "docgen",
                    ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _add_import(root: Path, module: str, line: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("docgen.case.model", "import docgen.pack.pipeline", "Wings are layered"),
        ("docgen.settings", "import docgen.case.model", "Wings are layered"),
        ("docgen.word.render", "import docgen.excel.fill", "Wings are layered"),
        ("docgen.pdf.convert", "import docgen.word.package", "Wings are layered"),
        ("docgen.pack.render", "import click", "Only the command line imports click"),
        ("docgen.retention.purging", "import click", "Only the command line imports click"),
        ("docgen.retention.purging", "import docgen.pack.pipeline", "Wings are layered"),
        ("docgen.output.staging", "import docgen.retention.purging", "Wings are layered"),
        ("docgen.excel.refs", "import docgen.excel.fill", "No import circles"),
    ],
)
def test_a_breach_is_caught(tmp_path: Path, module: str, line: str, contract: str) -> None:
    root = _copy(tmp_path)
    _add_import(root, module, line)
    result = _lint(root)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


GROUND_FLOOR = {"__init__", "__main__", "_version", "errors", "jinja", "loading", "settings",
                "yamlio", "yamlsyntax", "redaction", "limits"}
WINGS = {"case", "cli", "excel", "output", "pack", "pdf", "retention", "scoring", "templates",
         "word"}


def test_the_package_is_wings_and_a_ground_floor() -> None:
    package = REPO / "docgen"
    modules = {p.stem for p in package.glob("*.py")}
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert modules == GROUND_FLOOR
    assert folders == WINGS


def test_the_api_is_importable_from_docgen_without_loading_it_early() -> None:
    code = (
        "import sys, docgen.errors\n"
        "assert not any(m.startswith('docgen.pack') for m in sys.modules), 'loaded early'\n"
        "from docgen import build, validate, BuildResult, PdfOptions, __version__\n"
        "import docgen.pack.pipeline as p\n"
        "assert build is p.build and validate is p.validate\n"
        "import docgen\n"
        "assert docgen.build is p.build, 'a wing shadows the API function'\n"
        "assert not any(m.startswith('docgen.retention') for m in sys.modules), 'early'\n"
        "from docgen import purge, PurgeResult\n"
        "import docgen.retention.purging as r\n"
        "assert purge is r.purge and docgen.purge is r.purge\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr
