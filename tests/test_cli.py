"""The command line: exit codes, what it prints, and that a failed run writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from docgen import __version__
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import SAMPLES, tree_state

REGION = SAMPLES / "region-vest.yaml"


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_commands_with_an_example(cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("build", "validate"):
        assert command in result.output
    assert "  docgen init case.yaml\n" in result.output
    assert "  docgen init --example example.yaml\n" in result.output
    sub = cli("build", "--help")
    assert sub.exit_code == 0
    assert "docgen build case.yaml -o out/case" in sub.output


def test_wrong_usage_exits_2(cli) -> None:
    assert cli("build").exit_code == 2
    assert cli("frobnicate").exit_code == 2
    assert cli("build", "no-such-case.yaml").exit_code == 2


def test_build_prints_a_line_per_document_and_writes_manifest(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("build", REGION, "-o", out)
    assert result.exit_code == 0, result.output
    assert "posting            stillingsopslag.docx" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docgen"] == __version__
    assert manifest["case"] == REGION.as_posix()
    paths = {d["path"] for d in manifest["documents"]}
    assert "stillingsopslag.docx" in paths
    for doc in manifest["documents"]:
        assert (out / doc["path"]).is_file()
    assert "warning:" in result.stderr
    assert "external-panel-member" in result.stderr


def test_invalid_case_exits_1_and_writes_nothing(cli, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("hours_per_week: 20", "hours_per_week: tyve"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    before = tree_state(out)
    result = cli("build", case, "-o", out)
    assert result.exit_code == 1
    assert "position.hours_per_week: must be a number" in result.stderr
    assert "1 problem found; nothing was written." in result.stderr
    assert "Traceback" not in result.output
    assert tree_state(out) == before


def test_validate_writes_nothing(cli, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    before = tree_state(tmp_path)
    result = cli("validate", case)
    assert result.exit_code == 0
    assert "valid" in result.stdout
    assert tree_state(tmp_path) == before


def test_strict_turns_advice_into_errors(cli, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("hours_per_week: 20", "hours_per_week: 40"))
    assert cli("validate", case).exit_code == 0
    result = cli("validate", case, "--strict")
    assert result.exit_code == 1
    assert "advice [hours-range]" in result.stderr


def test_module_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    assert __version__ in done.stdout


def _retemplate(src: Path, dest: Path, old: str, new: str) -> None:
    import zipfile

    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    assert old in body
    parts["word/document.xml"] = body.replace(old, new, 1).encode("utf-8")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_consultants_two_template_mistakes_come_back_together(cli, tmp_path: Path) -> None:
    from docx import Document

    shipped = Path(__file__).resolve().parent.parent / "templates" / "docx"
    own = tmp_path / "org" / "docx" / "stillingsopslag.docx"
    _retemplate(shipped / "stillingsopslag.docx", own, "{{ position.title }}",
                "{{ positon.title }}")
    doc = Document(str(own))
    table = doc.add_table(rows=3, cols=1)
    for row, text in zip(table.rows, ["{% for c in criteria %}", "{{ c.label }}",
                                      "{% endfor %}"], strict=True):
        row.cells[0].paragraphs[0].add_run(text)
    doc.save(str(own))
    out = tmp_path / "out"
    result = cli("build", REGION, "-o", out, "--templates", tmp_path / "org")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("docx/stillingsopslag.docx: word/document.xml")
               and "unknown variable 'positon'; did you mean 'position'?" in line
               for line in lines)
    assert any("table" in line and "{%tr for" in line for line in lines)
    assert "2 template problems found; nothing was written." in result.stderr
    assert not out.exists()


def test_the_readme_example_case_is_valid(tmp_path: Path) -> None:
    from docgen.pack.pipeline import validate

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    checked = validate(write_case(tmp_path, example))
    assert checked.case.position.tasks == ["Samtaler med borgere om håb, ønsker og drømme"]


def test_the_same_advice_for_many_applicants_is_cut_short(cli, tmp_path: Path) -> None:
    rows = "".join(f"  - id: A{i:02d}\n    name: Navn Nummer{i}\n    outcome: rejected\n"
                   for i in range(2, 10))
    case = write_case(tmp_path, MINIMAL.replace("sector: region", "sector: private") + rows)
    short = cli("validate", case)
    assert short.exit_code == 0, short.output
    assert short.stderr.count("[letter-unreachable]: the letter to") == 5
    assert "… and 3 more advice [letter-unreachable] like the above" in short.stderr
    assert short.stderr.count("[rejected-before-hire]") == 1
    full = cli("-v", "validate", case)
    assert full.stderr.count("[letter-unreachable]: the letter to") == 8
    assert "more advice" not in full.stderr
    out = tmp_path / "out"
    built = cli("build", case, "-o", out)
    assert built.exit_code == 0, built.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(a["code"] == "letter-unreachable" for a in manifest["advisories"]) == 8
