"""The first hour of a new user: help, conventions, starting a case, finding the templates."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen.case.schema import SCHEMA_FILENAME, schema_text
from docgen.case.starter import MODELINE
from docgen.cli.app import main
from docgen.cli.groups import COMMAND_ORDER, OrderedGroup
from docgen.pack.pipeline import build, validate
from docgen.settings import load_settings
from docgen.templates import export as export_module
from docgen.templates.export import shipped_templates
from tests.cases import MINIMAL
from tests.conftest import write_case
from tests.helpers import docx_text, tree_state

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str | Path, env: dict[str, str] | None = None, color: bool = False):
    runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], env=env, color=color,
                         catch_exceptions=False)


# --- help ------------------------------------------------------------------------------


def test_help_lists_commands_in_the_order_of_use() -> None:
    out = run("--help").output
    listed = re.findall(r"^  ([a-z]+)  +\S", out.split("Commands:")[1], flags=re.MULTILINE)
    assert listed == ["init", "validate", "build", "collect", "purge", "templates", "config",
                      "schema"]


def test_commands_still_to_come_slot_into_their_place() -> None:
    group = OrderedGroup()
    for name in ("schema", "purge", "build", "zeta", "init", "collect"):
        group.add_command(click.Command(name))
    assert group.list_commands(click.Context(group)) == [
        "init", "build", "collect", "purge", "schema", "zeta"
    ]
    assert COMMAND_ORDER.index("collect") == COMMAND_ORDER.index("build") + 1


def test_template_commands_in_the_order_a_consultant_uses_them() -> None:
    out = run("templates", "--help").output
    listed = re.findall(r"^  ([a-z]+)  +\S", out.split("Commands:")[1], flags=re.MULTILINE)
    assert listed == ["export", "check", "list"]


def test_one_line_summaries_are_not_cut_off() -> None:
    out = run("--help").output
    assert "..." not in out.split("Commands:")[1]
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        assert command.short_help, name
        assert f"  {name}" in out
        assert command.short_help in " ".join(out.split()), name


# --- conventions -----------------------------------------------------------------------


def test_errors_are_red_and_hints_are_not(tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = run("init", case, color=True)  # exists: an error with a hint
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("\x1b[31m")
    assert lines[-1] == "hint: choose another name, or add --force to overwrite it"


def test_no_color_turns_colour_off(tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("hours_per_week: 20", "hours_per_week: 40"))
    coloured = run("validate", case, color=True)
    assert ANSI.search(coloured.stderr)
    plain = run("validate", case, color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 0
    assert "advice [hours-range]" in plain.stderr
    assert not ANSI.search(plain.output)


def test_quiet_leaves_only_warnings(tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("hours_per_week: 20", "hours_per_week: 40"))
    result = run("-q", "build", case, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "advice [hours-range]" in result.stderr
    assert (tmp_path / "out" / "stillingsopslag.docx").is_file()


@pytest.mark.libreoffice
def test_quiet_shows_no_progress_bar_either(tmp_path: Path) -> None:
    from tests.helpers import require_soffice

    require_soffice()
    case = write_case(tmp_path, MINIMAL)
    normal = run("build", case, "-o", tmp_path / "normal", "--pdf")
    assert normal.exit_code == 0, normal.output
    assert "converting to PDF" in normal.stderr
    quiet = run("-q", "build", case, "-o", tmp_path / "quiet", "--pdf")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == ""
    assert "converting to PDF" not in quiet.stderr
    assert (tmp_path / "quiet" / "stillingsopslag.pdf").is_file()


def test_verbose_says_what_is_read_and_what_would_be_written(tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    normal = run("validate", case)
    verbose = run("-v", "validate", case)
    assert "would write" not in normal.stdout
    assert f"case: {case}" in verbose.stdout
    assert "  would write stillingsopslag.docx" in verbose.stdout
    assert "  would write scoreark/P1_pia-panel.xlsx" in verbose.stdout


def test_shell_completion_works_as_documented() -> None:
    result = CliRunner().invoke(main, [], prog_name="docgen",
                                env={"_DOCGEN_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_DOCGEN_COMPLETE=bash_complete" in result.output
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "_DOCGEN_COMPLETE=bash_source docgen" in readme


# --- starting a case -------------------------------------------------------------------


def test_the_starter_names_the_file_made_and_the_real_output_folder(tmp_path: Path) -> None:
    target = tmp_path / "peer-2026.yaml"
    assert run("init", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "docgen validate peer-2026.yaml" in text
    assert "docgen build peer-2026.yaml -o out/peer-2026" in text
    assert "en mappe med sagens nummer under mappen out" in text
    assert "<sagsfil>" not in text
    assert "case.yaml" not in text
    assert "configs/defaults.yaml" not in text
    assert "docgen config show" in text


def test_leftover_starter_examples_are_advice_at_their_lines(tmp_path: Path) -> None:
    target = tmp_path / "peer.yaml"
    run("init", target)
    lines = target.read_text(encoding="utf-8").splitlines()
    checked = validate(target)
    found = {a.field: issue for a, issue in checked.advisories if a.code == "starter-example"}
    org = found["organisation.name"]
    assert org.line is not None
    assert lines[org.line - 1].strip().startswith("name: ")
    # Replace the organisation and its contact: their advice goes, the rest stays.
    text = "\n".join(lines).replace("Solbjerg Kommune", "Vesterby Kommune").replace(
        "karin.holm@solbjerg.eksempel.dk", "post@vesterby.dk")
    target.write_text(text, encoding="utf-8")
    fields = {a.field for a, _ in validate(target).advisories}
    assert "organisation.name" not in fields
    assert "organisation.contact.email" not in fields
    assert "organisation.contact.name" in fields


def test_strict_refuses_to_build_from_the_starter_as_it_is(tmp_path: Path) -> None:
    target = tmp_path / "peer.yaml"
    run("init", target)
    result = run("build", target, "--strict", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "organisation.name: advice [starter-example]" in result.stderr
    assert not (tmp_path / "out").exists()


def test_init_example_writes_a_complete_case_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "example.yaml"
    result = run("init", "--example", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith(f"{MODELINE}{SCHEMA_FILENAME}\n")
    assert validate(target).advisories  # the sample's own advice, none about the starter
    assert all(a.code != "starter-example" for a, _ in validate(target).advisories)
    built = run("build", target, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out" / "afslag" / "alle_afslag.docx").is_file()


@pytest.mark.parametrize("written", ["12", "12:00", "kl. 12", "12.00"])
def test_the_deadline_time_prints_once_in_one_danish_form(tmp_path: Path, written: str) -> None:
    text = MINIMAL.replace("  deadline: 2026-10-01", f"  deadline: 2026-10-01\n"
                           f"  deadline_time: {written}")
    result = build(write_case(tmp_path, text), tmp_path / "out")
    assert result.documents
    # Dates are printed with non-breaking spaces (they never break across lines).
    posting = docx_text(tmp_path / "out" / "stillingsopslag.docx").replace("\xa0", " ")
    assert "1. oktober 2026 kl. 12.00" in posting
    assert "kl. kl." not in posting


LETTERS = MINIMAL + "    outcome: rejected\n    interviewed: yes\n  - id: A02\n    name: Bo\n" \
    "    outcome: hired\ndecision:\n  reasons: [erfaring]\n  hired_profile: Erfaring.\n"


def test_a_letter_date_from_the_clock_is_said(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    case = write_case(tmp_path, LETTERS)
    result = run("build", case, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    today = dt.date.today().isoformat()
    assert f"note: the letters are dated today ({today}): the case gives neither " \
        "dates.letters nor dates.recruitment_closed; set dates.letters (or " \
        "dates.recruitment_closed) in the case to choose the date" in result.stderr
    dated = write_case(tmp_path, LETTERS.replace(
        "  deadline: 2026-10-01", "  deadline: 2026-10-01\n  letters: 2026-10-20"), "dated.yaml")
    again = run("build", dated, "-o", tmp_path / "out2")
    assert "letters are dated" not in again.stderr


def test_a_letter_date_from_source_date_epoch_is_said(tmp_path: Path) -> None:
    result = run("validate", write_case(tmp_path, LETTERS))
    assert "note: the letters are dated 2026-11-23 from SOURCE_DATE_EPOCH" in result.stderr


def test_no_letters_no_note_about_their_date(tmp_path: Path) -> None:
    assert "letters are dated" not in run("validate", write_case(tmp_path, MINIMAL)).stderr


# --- editor support --------------------------------------------------------------------


def test_the_modeline_explains_how_to_refresh_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "peer.yaml"
    run("init", target)
    head = target.read_text(encoding="utf-8").splitlines()[:3]
    assert head[0] == f"{MODELINE}{SCHEMA_FILENAME}"
    assert f"docgen schema -o {SCHEMA_FILENAME}" in " ".join(head)


def test_a_case_copied_without_its_schema_is_told_how_to_fix_it(tmp_path: Path) -> None:
    target = tmp_path / "peer.yaml"
    run("init", target)
    copy = tmp_path / "elsewhere" / "peer.yaml"
    copy.parent.mkdir()
    copy.write_bytes(target.read_bytes())
    result = run("validate", copy)
    assert (f"note: the case's first line points editors to {SCHEMA_FILENAME}, which is not "
            f"beside it; write it with `docgen schema -o {copy.parent / SCHEMA_FILENAME}`"
            ) in result.stderr
    assert "points editors" not in run("validate", target).stderr


def test_an_outdated_schema_beside_the_case_is_said(tmp_path: Path) -> None:
    target = tmp_path / "peer.yaml"
    run("init", target)
    schema = tmp_path / SCHEMA_FILENAME
    old = json.loads(schema_text())
    old["description"] = "an older docgen"
    schema.write_text(json.dumps(old, indent=2), encoding="utf-8")
    assert "is from another docgen version; refresh it" in run("validate", target).stderr


# --- templates export and config show ----------------------------------------------------


def test_templates_export_copies_every_shipped_template(tmp_path: Path) -> None:
    dest = tmp_path / "skabeloner"
    result = run("templates", "export", dest)
    assert result.exit_code == 0, result.output
    files = shipped_templates()
    assert {p.relative_to(dest) for p in dest.rglob("*") if p.is_file()} == set(files)
    assert (dest / "docx" / "stillingsopslag.docx").is_file()
    assert (dest / "xlsx" / "scoreark.xlsx").is_file()
    assert run("templates", "check", dest).exit_code == 0
    assert run("build", write_case(tmp_path, MINIMAL), "--templates", dest,
               "-o", tmp_path / "out").exit_code == 0


def test_templates_export_never_overwrites(tmp_path: Path) -> None:
    dest = tmp_path / "skabeloner"
    (dest / "docx").mkdir(parents=True)
    (dest / "docx" / "stillingsopslag.docx").write_bytes(b"my own")
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree_state(dest)
    result = run("templates", "export", dest)
    assert result.exit_code == 1
    assert "already holds 1 of the templates (e.g. docx/stillingsopslag.docx); nothing was " \
        "copied." in result.stderr
    assert tree_state(dest) == before


def test_export_falls_back_to_a_rename_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: object) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(export_module.os, "link", no_links)
    dest = tmp_path / "skabeloner"
    assert run("templates", "export", dest).exit_code == 0
    assert len([p for p in dest.rglob("*") if p.is_file()]) == len(shipped_templates())


@pytest.mark.parametrize("fail_at", [1, 4, 7])
def test_a_failed_export_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    dest = tmp_path / "skabeloner"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree_state(dest)
    real = export_module._place
    calls = {"n": 0}

    def flaky(staged: Path, target: Path) -> None:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise PermissionError(13, "Permission denied")
        real(staged, target)

    monkeypatch.setattr(export_module, "_place", flaky)
    result = run("templates", "export", dest)
    assert result.exit_code == 1
    assert "nothing was copied" in result.stderr
    assert tree_state(dest) == before
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]


def test_a_failed_export_into_a_new_folder_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.shutil, "copyfile", broken)
    result = run("templates", "export", tmp_path / "new" / "skabeloner")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert not (tmp_path / "new").exists()


def test_config_show_prints_settings_that_work_as_a_config_file(tmp_path: Path) -> None:
    result = run("config", "show")
    assert result.exit_code == 0
    assert "criteria:" in result.stdout
    own = tmp_path / "org.yaml"
    own.write_text(result.stdout, encoding="utf-8")
    assert load_settings(own) == load_settings()


def test_config_show_lays_an_organisations_file_over_the_defaults(tmp_path: Path) -> None:
    own = tmp_path / "org.yaml"
    own.write_text("retention:\n  default_months: 12\n", encoding="utf-8")
    result = run("config", "show", "--config", own)
    assert "  default_months: 12\n" in result.stdout
    assert "  max_months: 36\n" in result.stdout


def test_config_show_defaults_prints_the_shipped_files_with_comments() -> None:
    result = run("config", "show", "--defaults")
    assert result.exit_code == 0
    assert "# ---- configs/defaults.yaml (shipped with docgen)" in result.stdout
    assert "# ---- configs/documents.yaml (shipped with docgen)" in result.stdout
    assert "is laid over this one" in result.stdout


def test_config_show_reports_a_broken_config_with_its_place(tmp_path: Path) -> None:
    own = tmp_path / "org.yaml"
    own.write_text("retention:\n  default_months: mange\n", encoding="utf-8")
    result = run("config", "show", "--config", own)
    assert result.exit_code == 1
    assert f"{own}:2:19: retention.default_months: must be a whole number" in result.stderr


def _enums(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        found = [node] if "enum" in node else []
        return found + [e for v in node.values() for e in _enums(v)]
    if isinstance(node, list):
        return [e for v in node for e in _enums(v)]
    return []


def test_every_choice_in_the_schema_has_a_danish_description() -> None:
    body = json.loads(schema_text())
    enums = _enums(body)
    assert {tuple(e["enum"]) for e in enums} >= {
        ("region", "kommune", "private", "ngo"),
        ("pending", "hired", "rejected", "withdrawn"),
    }
    # Working times also take the Danish words as written ('dag', 'aften').
    assert any(tuple(e["enum"][:4]) == ("day", "evening", "weekend", "dag") for e in enums)
    for enum in enums:
        descriptions = enum.get("enumDescriptions")
        assert isinstance(descriptions, list), enum["enum"]
        assert len(descriptions) == len(enum["enum"])  # type: ignore[arg-type]
        assert enum.get("markdownEnumDescriptions") == descriptions
    sector = body["definitions"]["Organisation"]["properties"]["sector"]
    assert sector["enumDescriptions"][1].startswith("Kommune (offentlig arbejdsgiver")
