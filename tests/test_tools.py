"""docgen init, docgen schema, docgen templates list: the starter case, the JSON Schema and
the template variable reference, each checked against the real loader and contexts."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, TypeAdapter

from docgen.case import values as case_values
from docgen.case.model import Case, Position
from docgen.case.schema import (
    FLOAT_PATTERN,
    INT_PATTERN,
    SCHEMA_FILENAME,
    YES_NO_PATTERN,
    YES_NO_WORDS,
    case_schema,
    schema_text,
)
from docgen.case.starter import starter_path, starter_text
from docgen.cli.tools import init, schema, templates
from docgen.jinja import FILTERS
from docgen.loading import load_model
from docgen.pack.pipeline import validate
from docgen.settings import load_settings
from docgen.templates import variables as var_module
from docgen.templates.reference import filter_docs, markdown
from docgen.templates.variables import (
    collect_variables,
    sample_contexts,
    template_variables,
    undocumented,
)
from docgen.templates.vocabulary import CASE_ALIASES, CASE_FIELDS_ELSEWHERE, DERIVED
from docgen.yamlio import load_yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.yaml"))
DOCS = REPO / "docs" / "templates.md"


def _run(command: Any, *args: str | Path) -> Any:
    return CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        case_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def _field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of the model, recursively: ``organisation.address.street``, ``panel[].id``."""
    out = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        out.append(path)
        ann = info.annotation
        while True:
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            origin = typing.get_origin(ann)
            if origin is list:
                path, ann = path + "[]", args[0]
            elif origin in (typing.Union, __import__("types").UnionType) and len(args) == 1:
                ann = args[0]
            elif origin is typing.Annotated:
                ann = typing.get_args(ann)[0]
            else:
                break
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(_field_paths(ann, path + "."))
    return out


# --- docgen init ---------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "sager" / "peer.yaml"
    result = _run(init, target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILENAME}"
    schema_file = target.parent / SCHEMA_FILENAME
    assert json.loads(schema_file.read_text(encoding="utf-8")) == case_schema()
    checked = validate(target)  # the real loader and every cross-check
    # Only advice: the starter's examples that must be replaced before a real build.
    assert {advisory.code for advisory, _ in checked.advisories} == {"starter-example"}
    fields = {advisory.field for advisory, _ in checked.advisories}
    assert {"organisation.name", "organisation.contact.email", "applicants[0].name"} <= fields
    loaded, issues = load_yaml(target)
    assert issues == []
    assert loaded is not None
    assert list(_validator().iter_errors(loaded.data)) == []


def test_init_defaults_to_case_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(init)
    assert result.exit_code == 0
    assert (tmp_path / "case.yaml").is_file()
    assert (tmp_path / SCHEMA_FILENAME).is_file()


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = _run(init, target)
    assert result.exit_code == 1
    assert "already exists; nothing was written" in result.stderr
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / SCHEMA_FILENAME).exists()
    forced = _run(init, target, "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") == starter_text()


def test_init_keeps_a_foreign_schema_file(tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILENAME).write_text("{}", encoding="utf-8")
    result = _run(init, tmp_path / "case.yaml")
    assert result.exit_code == 1
    assert "was not written by docgen" in result.stderr
    assert not (tmp_path / "case.yaml").exists()


def test_init_refreshes_its_own_schema(tmp_path: Path) -> None:
    assert _run(init, tmp_path / "a.yaml").exit_code == 0
    assert _run(init, tmp_path / "b.yaml").exit_code == 0


def test_init_rejects_a_folder(tmp_path: Path) -> None:
    result = _run(init, tmp_path)
    assert result.exit_code == 2  # click: PATH must be a file name


def test_starter_mentions_every_field() -> None:
    text = starter_path().read_text(encoding="utf-8")
    keys = set(re.findall(r"^[ #-]*([a-z_]+):", text, flags=re.M))
    missing = [p for p in _field_paths(Case) if p.split(".")[-1].rstrip("[]") not in keys]
    assert missing == []


def test_starter_explains_fields_in_danish() -> None:
    text = starter_path().read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 60
    assert "Datoer skrives ÅÅÅÅ-MM-DD" in text


# --- docgen schema -------------------------------------------------------------------


def test_schema_is_a_valid_draft_07_schema() -> None:
    body = case_schema()
    jsonschema.Draft7Validator.check_schema(body)
    assert body["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(body)
    # Keywords of later drafts that a draft-07 reader (the YAML language server) ignores.
    for later in ("$defs", "prefixItems", "unevaluated", "dependentRequired", "$dynamicRef"):
        assert later not in text, later
    assert body["title"] == "docgen case file"
    assert body["additionalProperties"] is False
    for name, definition in body["definitions"].items():
        # An address may also be one line of text: the object branch forbids other keys.
        objects = definition.get("anyOf", [definition])[0]
        assert objects.get("additionalProperties") is False, name
        assert definition.get("description"), name


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_validate_against_the_schema(sample: Path) -> None:
    loaded, issues = load_yaml(sample)  # every scalar a string, as the loader sees it
    assert issues == []
    assert loaded is not None
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in _validator().iter_errors(loaded.data)]
    assert errors == []


_YAML12 = [
    (re.compile(r"^[-+]?[0-9]+$"), int),
    (re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"), float),
]


def _as_editor_sees_it(value: Any) -> Any:
    """Type scalars by YAML 1.2 core rules, as yaml-language-server does."""
    if isinstance(value, dict):
        return {k: _as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(v) for v in value]
    if isinstance(value, str):
        if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        for pattern, kind in _YAML12:
            if pattern.match(value):
                return kind(value)
    return value


@pytest.mark.parametrize("sample", [*SAMPLES, starter_path()], ids=lambda p: p.name)
def test_schema_accepts_the_editors_typed_view(sample: Path) -> None:
    loaded, _ = load_yaml(sample)
    assert loaded is not None
    typed = _as_editor_sees_it(loaded.data)
    assert [e.message for e in _validator().iter_errors(typed)] == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("position", "hours"), "25"),  # unknown key
        (("panel", 0, "lived_experience"), "maybe"),
        (("dates", "deadline"), "21-09-2026"),
        (("position", "hours_per_week"), "25,5"),
        (("interview", "duration_minutes"), "45 min"),
        (("role_star", "desired", "Not A Slug"), "3"),
        (("organisation", "sector"), "stat"),
        (("interview", "slots", 0, "start"), "2026-10-05"),
        (("organisation", "address", "postal_code"), "82400"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(path: tuple[Any, ...], value: str,
                                               tmp_path: Path) -> None:
    loaded, _ = load_yaml(REPO / "samples" / "region-vest.yaml")
    assert loaded is not None
    data = loaded.data
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert list(_validator().iter_errors(data)), path
    model, _, issues = load_model(_dump_yaml(data, tmp_path), Case)
    assert model is None
    assert issues


def test_the_round_trip_above_is_faithful(tmp_path: Path) -> None:
    loaded, _ = load_yaml(REPO / "samples" / "region-vest.yaml")
    assert loaded is not None
    model, _, issues = load_model(_dump_yaml(loaded.data, tmp_path), Case)
    assert model is not None, issues


def _dump_yaml(data: Any, folder: Path) -> Path:
    import yaml  # noqa: PLC0415

    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, default_style='"'), encoding="utf-8")
    return path


@settings(max_examples=200, deadline=None)
@given(st.from_regex(INT_PATTERN, fullmatch=True))
def test_int_pattern_only_admits_what_pydantic_parses(text: str) -> None:
    TypeAdapter(int).validate_python(text)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(FLOAT_PATTERN, fullmatch=True))
def test_float_pattern_only_admits_what_pydantic_parses(text: str) -> None:
    TypeAdapter(float).validate_python(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(YES_NO_WORDS), st.randoms())
def test_yes_no_pattern_matches_the_validator(word: str, rnd: Any) -> None:
    mixed = "".join(c.upper() if rnd.random() < 0.5 else c for c in word)
    assert re.match(YES_NO_PATTERN, mixed)
    assert isinstance(case_values._yes_no(mixed), bool)


def test_schema_shapes_of_dates_yes_no_and_numbers() -> None:
    defs = case_schema()["definitions"]
    start = defs["Position"]["properties"]["start"]["anyOf"][0]
    assert start == {"type": "string", "format": "date",
                     "pattern": case_values._ISO_DATE.pattern}
    slot = defs["Slot"]["properties"]["start"]
    assert slot["type"] == "string"
    assert "format" not in slot
    yes_no = defs["PanelMember"]["properties"]["external"]
    assert {c["type"] for c in yes_no["anyOf"]} == {"boolean", "string"}
    hours = defs["Position"]["properties"]["hours_per_week"]
    assert hours["anyOf"][0] == {"type": "number", "minimum": 1, "maximum": 48}
    assert hours["anyOf"][1]["pattern"] == FLOAT_PATTERN
    assert defs["RoleStar"]["properties"]["desired"]["additionalProperties"] is False


def test_every_model_field_is_in_the_schema() -> None:
    body = case_schema()
    missing = []
    for path in _field_paths(Case):
        node: dict[str, Any] = body
        for part in path.split("."):
            node = _resolve(body, node)["properties"].get(part.removesuffix("[]"), {})
            if part.endswith("[]"):
                node = _resolve(body, node)["items"]
        if not node:
            missing.append(path)
    assert missing == []


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for choice in node.get("anyOf", [node]):
        if "$ref" in choice:
            # A definition may itself offer choices (an address object or one line).
            found = typing.cast(dict[str, Any], root["definitions"][choice["$ref"].split("/")[-1]])
            return _resolve(root, found)
        if "properties" in choice or "items" in choice:
            return typing.cast(dict[str, Any], choice)
    return node


def test_a_field_added_to_the_model_appears_in_the_schema() -> None:
    class Extended(Case):
        cost_centre: str | None = Field(None, description="Omkostningssted.")

    props = case_schema(Extended)["properties"]
    assert props["cost_centre"]["description"] == "Omkostningssted."


def test_schema_command(tmp_path: Path) -> None:
    printed = _run(schema)
    assert printed.exit_code == 0
    assert json.loads(printed.output) == case_schema()
    out = tmp_path / "x" / "case.schema.json"
    written = _run(schema, "-o", out)
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()


def test_commands_have_examples() -> None:
    for command, args in ((init, []), (schema, []), (templates, []), (templates, ["list"]),
                          (templates, ["check"])):
        result = _run(command, *args, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, (command.name, args)


# --- docgen templates list -----------------------------------------------------------


def _rich_contexts() -> dict[str, list[dict[str, Any]]]:
    """Contexts of every sample case, every panel member and every applicant."""
    from docgen.templates.context import applicant_context, base_context, member_context  # noqa: PLC0415

    settings_ = load_settings()
    from docgen.templates.summary import sample_summary  # noqa: PLC0415

    out: dict[str, list[dict[str, Any]]] = {"case": [], "panel": [], "applicant": [],
                                             "summary": []}
    for sample in SAMPLES:
        case, _, issues = load_model(sample, Case)
        assert case is not None, issues
        base = base_context(case, settings_)
        out["case"].append(base)
        out["panel"].extend(member_context(base, case, m) for m in case.panel)
        out["applicant"].extend(applicant_context(base, a, "interviewed")
                                for a in case.applicants)
        out["summary"].append(sample_summary(case, settings_, base))
    return out


def test_every_context_key_is_documented() -> None:
    assert undocumented(template_variables()) == []
    assert undocumented(collect_variables(_rich_contexts())) == []


def test_every_derived_entry_is_still_produced() -> None:
    paths = {v.path for v in collect_variables(_rich_contexts())}
    stale = [p for p in DERIVED if not p.endswith("]") and p not in paths]
    assert stale == []


def test_a_new_context_key_cannot_be_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.templates import context as context  # noqa: PLC0415

    real = context.base_context

    def with_extra(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {**real(*args, **kwargs), "shiny_new": 1}

    monkeypatch.setattr(context, "base_context", with_extra)
    assert undocumented(collect_variables(sample_contexts())) == ["shiny_new"]


def test_a_field_added_to_the_model_appears_in_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Extended(Position):
        pay_grade: str | None = Field(None, description="Løntrin.")

    monkeypatch.setitem(var_module._MODELS, "position", Extended)
    contexts = sample_contexts()
    for group in contexts.values():
        for ctx in group:
            ctx["position"] = {**ctx["position"], "pay_grade": None}
    found = {v.path: v for v in collect_variables(contexts)}
    assert found["position.pay_grade"].description == "Løntrin."
    assert found["position.pay_grade"].type == "text or empty"


def test_every_case_field_reaches_the_templates() -> None:
    paths = {v.path for v in template_variables()}
    missing = []
    for path in _field_paths(Case):
        if any(path == f or path.startswith(f + ".") or path.startswith(f + "[]")
               for f in CASE_FIELDS_ELSEWHERE):
            continue
        candidates = [path]
        for case_prefix, context_prefixes in CASE_ALIASES.items():
            if path.startswith(case_prefix):
                candidates += [p + path[len(case_prefix):] for p in context_prefixes]
        if not any(c in paths for c in candidates):
            missing.append(path)
    assert missing == []


def test_contexts_of_each_kind() -> None:
    by_path = {v.path: v for v in template_variables()}
    assert by_path["sheet_applicants"].contexts == ("panel",)
    assert by_path["applicant.name"].contexts == ("applicant", "hired")
    assert "applicants" not in by_path  # no context carries the list of applicants
    assert by_path["decision.hired_profile"].contexts == ("applicant", "hired")
    assert by_path["job_start.review"].contexts == ("hired",)  # the person hired only
    assert by_path["position.employment_form_text"].contexts == ("case", "panel", "applicant",
                                                                 "hired", "summary")
    assert by_path["ranking[].total"].contexts == ("summary",)
    assert by_path["criteria[].label"].shape == "value"
    assert by_path["criteria"].shape == "list"


def test_every_filter_is_documented() -> None:
    docs = {f.name: f for f in filter_docs()}
    assert set(docs) == set(FILTERS)
    assert all(f.description for f in docs.values())
    assert docs["opremsning"].signature == "value|opremsning(conjunction='og')"


def test_docs_templates_md_is_up_to_date() -> None:
    expected = markdown(template_variables())
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/templates.md is stale: run docgen templates list --format markdown "
        "-o docs/templates.md"
    )


def test_templates_list_command(tmp_path: Path) -> None:
    listed = _run(templates, "list")
    assert listed.exit_code == 0
    for name in ("position.employment_form_text", "letter_date", "sheet_applicants",
                 "role_star.spokes[].desired", "value|dato", "[panel]"):
        assert name in listed.output
    out = tmp_path / "templates.md"
    assert _run(templates, "list", "--markdown", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")
    printed = _run(templates, "list", "--format", "markdown")
    assert printed.output == DOCS.read_text(encoding="utf-8")
