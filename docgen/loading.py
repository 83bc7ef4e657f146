"""Load a YAML file into a pydantic model, reporting every problem with its location."""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from docgen.errors import Issue
from docgen.yamlio import Loaded, SourceMap, format_path, load_yaml

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number, e.g. 25 or 18.5",
    "float_type": "must be a number, e.g. 25 or 18.5",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_type": "must be text",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping (lines of 'key: value')",
    "model_type": "must be a mapping (lines of 'key: value')",
    "model_attributes_type": "must be a mapping (lines of 'key: value')",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "datetime_parsing": "must be a date and time written YYYY-MM-DD HH:MM",
    "datetime_from_date_parsing": "must be a date and time written YYYY-MM-DD HH:MM",
    "string_too_short": "must not be empty",
    "too_short": "must have at least {min_length} item(s)",
}


def _unwrap(annotation: Any) -> list[Any]:
    """Return the concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _unwrap(a)]
    return [annotation]


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Follow ``loc`` through the model's fields; return the model found there, if any."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            candidates = _unwrap(current.model_fields[part].annotation)
        else:
            origin = typing.get_origin(current)
            if origin is list and isinstance(part, int):
                candidates = _unwrap(typing.get_args(current)[0])
            elif origin is dict:
                candidates = _unwrap(typing.get_args(current)[1])
            else:
                return None
        current = next((c for c in candidates if c is not type(None)), None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _message(model: type[BaseModel], err: Any) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = list(parent.model_fields) if parent else []
        msg = f"unknown field '{loc[-1]}'"
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close:
            return f"{msg}; did you mean '{close[0]}'?"
        if known:
            return f"{msg}; expected one of: {', '.join(known)}"
        return msg
    if kind == "literal_error":
        return f"must be one of: {err['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        parent = _model_at(model, loc[:-1])
        field = parent.model_fields.get(str(loc[-1])) if parent else None
        if field is not None and field.examples:
            return f"has the wrong form; write it like '{field.examples[0]}'"
        return "has the wrong form; see the field's description in `docgen schema`"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    template = _MESSAGES.get(kind)
    if template:
        return template.format(**err.get("ctx", {}))
    # pydantic's own messages describe limits, never the input, so they are safe to show.
    return str(err["msg"])


# Which ids name the items of which list: the case's own pseudonyms, never a name.
_IDS = {"panel": re.compile(r"^P[0-9]{1,3}$"), "applicants": re.compile(r"^A[0-9]{2,3}$")}


def label_path(path: tuple[str | int, ...], data: Any) -> str:
    """Format ``path`` with each list item's id beside its index: ``panel[3] (P4).name``.

    Ids (``A07``, ``P4``) are the case's pseudonyms, made to appear in file names and
    the manifest; anything else an item holds is never shown.
    """
    out = ""
    node = data
    parent: str | int | None = None
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = node.get("id") if isinstance(node, dict) else None
            pattern = _IDS.get(parent) if isinstance(parent, str) else None
            if pattern and isinstance(ident, str) and pattern.match(ident.strip()):
                out += f" ({ident.strip()})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
        parent = part
    return out


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def _with_ids(issue: Issue, data: Any) -> Issue:
    """The reader's issue with list items named by id too (it knew only positions)."""
    parts: list[str | int] = [
        int(index) if index else key for index, key in _PART.findall(issue.field)
    ]
    labelled = label_path(tuple(parts), data)
    if labelled == issue.field or format_path(tuple(parts)) != issue.field:
        return issue
    return dataclasses.replace(issue, field=labelled)


def issues_from_validation(
    model: type[BaseModel],
    errors: list[Any],
    source: SourceMap,
    filename: str,
    data: Any = None,
) -> list[Issue]:
    """Turn pydantic's errors (``exc.errors()``) into located issues, never echoing a value.

    With ``data`` (the loaded file), list items are named by their id as well.
    """
    out = []
    for err in errors:
        loc = tuple(err["loc"])
        prefer_key = err["type"] == "extra_forbidden"
        line, col = source.locate(loc, prefer_key=prefer_key)
        out.append(Issue(filename, line, col, label_path(loc, data), _message(model, err)))
    return out


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Order issues as they appear in their files."""
    return sorted(issues, key=lambda i: (i.file, i.line or 0, i.col or 0, i.field))


def load_model(
    path: Path, model: type[M], *, display_name: str | None = None
) -> tuple[M | None, Loaded | None, list[Issue]]:
    """Load and validate ``path``; return the model, the raw load and every issue."""
    name = display_name or str(path)
    loaded, issues = load_yaml(path, display_name=name)
    if loaded is None:
        return None, None, sort_issues(issues)
    if not isinstance(loaded.data, dict):
        issues.append(Issue(name, 1, 1, "", "the file must be a mapping of 'key: value' lines"))
        return None, loaded, sort_issues(issues)
    issues = [_with_ids(i, loaded.data) for i in issues]
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as e:
        errors = e.errors(include_input=False, include_url=False)
        issues.extend(issues_from_validation(model, errors, loaded.source, name, loaded.data))
        return None, loaded, sort_issues(issues)
    if issues:
        return None, loaded, sort_issues(issues)
    return result, loaded, []
