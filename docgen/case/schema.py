"""The case file's JSON Schema, generated from :class:`docgen.case.model.Case` (``docgen schema``).

The schema is made by pydantic's ``model_json_schema`` from the same model the loader
validates with, so a field added to the model is in the schema at once. Its purpose is
editor help (completion, hover text, red underlines, e.g. through the
``# yaml-language-server: $schema=…`` line ``docgen init`` writes); the loader and
``docgen validate`` remain the judge.

**YAML scalars are text until the schema gives them a type.** docgen's loader
(:mod:`docgen.yamlio`) keeps every scalar as the string that was written, and the
model converts it. An editor instead types unquoted scalars by YAML 1.2 rules (``25``
is a number, ``true`` a boolean, ``yes`` and ``2026-09-21`` are strings). The schema
accepts both views of the same file, and nothing the loader would reject for its form:

- *numbers* (``int``/``float`` fields) are ``anyOf: [number, numeric string]``. The
  numeric string branch has a pattern (``25``, ``-3``, ``45.0`` for whole numbers;
  ``18.5``, ``.5``, ``1e3`` for numbers) that only admits strings pydantic parses; it
  cannot carry the field's bounds, so ``"99"`` hours passes the string branch and is
  caught by ``docgen validate`` ("honest" here means: looser only on range, never on
  form; a test checks the patterns against pydantic).
- *yes/no fields* (the ``YesNo`` type: a before-validator on ``bool``) are
  ``anyOf: [boolean, string]`` where the string is one of the words the validator
  takes, in any letter case: yes/no, ja/nej, true/false, y/n, on/off.
- *dates* (``Date``) are strings with ``"format": "date"`` and the loader's
  ``YYYY-MM-DD`` pattern; *date-times* (``DateTime``) are strings with the forms the
  loader takes (``2026-10-12 09:00``, ``09.00``, ``kl. 9``; no ``format``: ``date-time``
  would demand RFC 3339's ``T`` and seconds, which the loader does not).
- *choices* (sector, outcome …) are enums with a Danish description of each choice
  (``enumDescriptions``, which the YAML language server shows while completing).
- *text fields* accept a number as well: an editor reads an unquoted ``8240`` or
  ``12.00`` as a number, while the loader keeps the digits as written (``0700`` stays
  ``0700``). Their patterns and lengths apply to the text form.
- mappings keyed by ids (``role_star.desired`` …) get ``additionalProperties: false``
  beside their key pattern, as the model rejects other keys.

Everything else is pydantic's output: ``additionalProperties: false`` from
``extra="forbid"``, titles, descriptions, enums, patterns, defaults, examples, plus the
``$schema`` draft key and a top-level title.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from docgen.case import model as case_module
from docgen.case import values

DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft-07: the newest draft the YAML language server (VS Code's YAML extension) supports."""
TITLE = "docgen case file"
SCHEMA_FILENAME = "case.schema.json"

INT_PATTERN = r"^[+-]?[0-9]+(\.0+)?$"
"""Whole numbers as text: what pydantic's ``int`` accepts, minus oddities like ``4_5``."""
FLOAT_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
"""Numbers as text: what pydantic's ``float`` accepts, minus ``inf``/``nan``/``4_5``."""
PHONE_PATTERN = r"^\+?[0-9][0-9 ./-]*[0-9]( .*)?$"
"""A phone number, a note may follow; the loader checks the digits."""
"""Four digits, with the 'DK-' offices sometimes write in front."""
YES_NO_WORDS = ("yes", "no", "ja", "nej", "true", "false", "y", "n", "on", "off")


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


YES_NO_PATTERN = r"^\s*(" + "|".join(_any_case(w) for w in YES_NO_WORDS) + r")\s*$"
"""The words :func:`docgen.case.model._yes_no` takes, in any letter case.

JSON Schema has no flags, so the pattern spells out each letter case.
"""


class _CaseSchema(GenerateJsonSchema):
    """pydantic's generator, taught what docgen's loader accepts (see the module docstring)."""

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        base = super().int_schema(schema)
        return {"anyOf": [base, {"type": "string", "pattern": INT_PATTERN}]}

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        base = super().float_schema(schema)
        return {"anyOf": [base, {"type": "string", "pattern": FLOAT_PATTERN}]}

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        base = super().str_schema(schema)
        base["type"] = ["string", "number"]
        return base

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        function = schema["function"]["function"]
        if isinstance(function, values.Choice):
            base = super().function_before_schema(schema)
            if function.accept_words and "enum" in base:
                base["enum"] = [*base["enum"], *function.words]
            # The YAML language server shows these beside each choice while completing.
            descriptions = [function.danish[function.words.get(v, v)]
                            for v in base.get("enum", [])]
            if descriptions:
                base["enumDescriptions"] = descriptions
                base["markdownEnumDescriptions"] = descriptions
            return base
        if function is values._yes_no:
            return {
                "anyOf": [
                    {"type": "boolean"},
                    {"type": "string", "pattern": YES_NO_PATTERN},
                ],
                "description": "yes or no (also ja/nej, true/false)",
            }
        if function is values._iso_date:
            return {"type": "string", "format": "date", "pattern": values._ISO_DATE.pattern}
        if function is values._iso_datetime:
            return {"type": "string", "pattern": values.DATETIME_PATTERN,
                    "examples": ["2026-10-12 09:00"]}
        if function is values._phone:
            return {"type": "string", "pattern": PHONE_PATTERN,
                    "examples": ["+45 97 12 34 56", "97 12 34 56 (hverdage 9-12)"]}
        if function is values._postal_code:
            return {"type": ["string", "number"], "pattern": values.POSTAL_CODE_PATTERN,
                    "examples": ["7500", "DK-7500"]}
        name = getattr(function, "__qualname__", "")
        if name == "Address._one_line":
            # An address may be one line: 'Vejnavn 1, 7500 By'.
            return {"anyOf": [super().function_before_schema(schema),
                              {"type": "string",
                               "pattern": values.ONE_LINE_ADDRESS.pattern}]}
        return super().function_before_schema(schema)

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        out = super().dict_schema(schema)
        if "patternProperties" in out:
            out["additionalProperties"] = False
            names = out.get("propertyNames")
            if isinstance(names, dict):
                names.pop("type", None)
                if not names:
                    out.pop("propertyNames")
        return out


def _tidy(node: Any) -> Any:
    """Flatten ``anyOf`` nested in ``anyOf`` (``Optional[int]`` → one list of choices)."""
    if isinstance(node, list):
        return [_tidy(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _tidy(v) for k, v in node.items()}
    choices = out.get("anyOf")
    if isinstance(choices, list):
        flat: list[Any] = []
        for choice in choices:
            if isinstance(choice, dict) and set(choice) == {"anyOf"}:
                flat.extend(choice["anyOf"])
            else:
                flat.append(choice)
        out["anyOf"] = flat
    return out


def case_schema(model: type[BaseModel] = case_module.Case) -> dict[str, Any]:
    """Return the JSON Schema of the case file (``model`` is replaceable for tests)."""
    generated = model.model_json_schema(
        schema_generator=_CaseSchema, ref_template="#/definitions/{model}"
    )
    body = _tidy(generated)
    if "$defs" in body:  # draft-07 keeps shared parts under "definitions"
        body["definitions"] = body.pop("$defs")
    address = body.get("definitions", {}).get("Address", {})
    if "anyOf" in address and "additionalProperties" in address:
        # The object rules belong to the object branch, not to the one-line string.
        address["anyOf"][0]["additionalProperties"] = address.pop("additionalProperties")
    # Working times may also be one free-text phrase (see Position._free_text_times).
    position = body.get("definitions", {}).get("Position", {})
    times = position.get("properties", {}).get("working_times")
    if isinstance(times, dict) and "items" in times:
        described = {k: times.pop(k) for k in ("title", "description") if k in times}
        array = dict(times)
        times.clear()
        times.update({**described, "anyOf": [array, {"type": "string", "minLength": 1}]})
    body["title"] = TITLE
    body["description"] = (
        f"{model.__doc__ or ''}".strip()
        + " Written in YAML; check a file with `docgen validate CASE`."
    ).strip()
    first = ("title", "description", "type", "properties", "required", "additionalProperties")
    ordered = {key: body[key] for key in first if key in body}
    ordered.update((key, value) for key, value in body.items() if key not in ordered)
    return {"$schema": DRAFT, **ordered}


def schema_text(model: type[BaseModel] = case_module.Case) -> str:
    """The schema as stable, readable JSON text (ends with a newline)."""
    return json.dumps(case_schema(model), indent=2, ensure_ascii=False) + "\n"
