"""Every name a template may use (``docgen templates list``, ``docs/templates.md``, the linter).

The names are not written down by hand: they are *observed*. The starter case
(``configs/starter-case.yaml``) goes through the real context functions of
:mod:`docgen.templates.context` (``base_context``, ``member_context`` for every panel member,
``applicant_context`` for every applicant), and every key found in the resulting data
is a variable, with the contexts it occurs in:

- ``case``: documents made once per case (posting, role star, readiness),
- ``panel``: documents made per panel member (scoresheets),
- ``applicant``: documents made per applicant (letters, phone guide).

A key's description and type come from the case model (:mod:`docgen.case.model`, or the
settings models for criteria, spokes, questions and bands) when the key mirrors a
model field, else from :data:`DERIVED`, the table of names :mod:`docgen.templates.context`
computes. A key found in neither is *undocumented*; a test fails on it, so a new
context key cannot be forgotten, and a :data:`DERIVED` entry that the context no
longer produces fails the same test. Values that are empty in the starter (an
optional group, an empty list) are completed from the models and :data:`DERIVED`.

Paths are written ``position.title``; ``applicants[].name`` means the ``name`` of each
item of the list ``applicants`` (``{% for a in applicants %}{{ a.name }}{% endfor %}``).

The same list feeds :func:`name_tree` (what the linter resolves names against),
:func:`~docgen.templates.reference.markdown` (``docs/templates.md``) and
:func:`~docgen.templates.reference.text` (``docgen templates list``).

The context kinds and the description tables (:data:`DERIVED` and the like) live in
:mod:`docgen.templates.vocabulary`, the page and listing in
:mod:`docgen.templates.reference`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from docgen import settings as sm
from docgen.case import base as cb
from docgen.case import model as cm
from docgen.case import sections as cs
from docgen.templates.vocabulary import (
    DERIVED,
    KINDS,
    RENDER_EXTRAS,
    Shape,
)


@dataclass(frozen=True)
class Variable:
    """One name a template may use."""

    path: str
    """``position.title``; ``applicants[].name`` for a field of each list item."""
    type: str
    description: str
    contexts: tuple[str, ...]
    """The kinds of document whose context has it (a subset of :data:`KINDS`)."""
    shape: Shape
    """``mapping`` (has fields), ``list`` (loop over it) or ``value``."""

    @property
    def documented(self) -> bool:
        """Whether the name has a description."""
        return bool(self.description)


_MODELS: dict[str, type[BaseModel]] = {
    "case": cm.Case,
    "dates": cm.Dates,
    "organisation": cm.Organisation,
    "position": cm.Position,
    "panel[]": cm.PanelMember,
    "member": cm.PanelMember,
    "interview": cm.Interview,
    "applicant": cm.Applicant,
    "decision": cs.Decision,
    "retention": cs.Retention,
    "job_start": cs.JobStart,
    "job_start.manager": cb.Person,
    "criteria[]": sm.Criterion,
    "role_star.spokes[]": sm.Spoke,
    "readiness.questions[]": sm.Question,
    "readiness.motivation[]": sm.Question,
    "readiness.bands[]": sm.Band,
}
"""Context paths whose data is a model dump: their fields are described by the model."""

Path_ = tuple[str, ...]
ITEM = "[]"


def format_path(path: Path_) -> str:
    """``("applicants", "[]", "name")`` → ``applicants[].name``."""
    out = ""
    for part in path:
        out += part if part == ITEM or not out else f".{part}"
    return out


def parse_path(text: str) -> Path_:
    """The inverse of :func:`format_path`."""
    out: list[str] = []
    for part in text.split("."):
        name, items = part.removesuffix(ITEM * part.count(ITEM)), part.count(ITEM)
        out.append(name)
        out.extend([ITEM] * items)
    return tuple(out)


# --- annotations ---------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip Annotated and Optional; return (type, optional)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _type_name(annotation: Any, *, plural: bool = False) -> str:
    ann, optional = _unwrap(annotation)
    origin = typing.get_origin(ann)
    if origin is Literal:
        name = "one of " + ", ".join(repr(a) for a in typing.get_args(ann))
    elif origin is list:
        inner = _type_name(typing.get_args(ann)[0], plural=True)
        name = "list, each " + inner if inner.startswith("one of") else "list of " + inner
    elif origin is dict:
        name = "mapping"
    elif _is_model(ann):
        name = "groups" if plural else "group"
    else:
        names = {bool: "yes/no", dt.datetime: "date and time", dt.date: "date",
                 int: "whole number", float: "number", str: "text"}
        name = names.get(ann, getattr(ann, "__name__", str(ann)))
        if plural and name in ("date", "whole number", "number"):
            name += "s"
        elif plural and name == "date and time":
            name = "dates and times"
    return f"{name} or empty" if optional and not plural else name


def _shape_of_annotation(annotation: Any) -> Shape:
    ann, _ = _unwrap(annotation)
    if typing.get_origin(ann) is list:
        return "list"
    if _is_model(ann) or typing.get_origin(ann) is dict:
        return "mapping"
    return "value"


def _follow(model: type[BaseModel], rest: Path_) -> Any:
    """The annotation at ``rest`` inside ``model`` (``None`` if it is not a field path)."""
    current: Any = model
    for part in rest:
        ann, _ = _unwrap(current)
        if part == ITEM:
            if typing.get_origin(ann) is not list:
                return None
            current = typing.get_args(ann)[0]
        elif _is_model(ann) and part in ann.model_fields:
            current = ann.model_fields[part].annotation
        else:
            return None
    return current


def _model_field(path: Path_) -> tuple[Any, str] | None:
    """(annotation, description) for a context path that mirrors a model field."""
    for cut in range(len(path) - 1, 0, -1):
        model = _MODELS.get(format_path(path[:cut]))
        if model is None:
            continue
        parent = _follow(model, path[cut:-1]) if path[cut:-1] else model
        parent, _ = _unwrap(parent)
        if path[-1] == ITEM or not _is_model(parent):
            return None
        info = parent.model_fields.get(path[-1])
        if info is None:
            return None
        return info.annotation, info.description or ""
    if len(path) == 1 and path[0] in cm.Case.model_fields:
        info = cm.Case.model_fields[path[0]]
        return info.annotation, info.description or ""
    return None


# --- observing the contexts ----------------------------------------------------------


def _shape_of_value(value: Any) -> Shape | None:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    if value is None:
        return None
    return "value"


@dataclass
class _Seen:
    kinds: list[str] = field(default_factory=list)
    shape: Shape | None = None


def _walk(value: Any, path: Path_, kind: str, seen: dict[Path_, _Seen]) -> None:
    entry = seen.setdefault(path, _Seen())
    if kind not in entry.kinds:
        entry.kinds.append(kind)
    entry.shape = entry.shape or _shape_of_value(value)
    if isinstance(value, dict):
        for key, child in value.items():
            _walk(child, (*path, str(key)), kind, seen)
    elif isinstance(value, list | tuple):
        item = (*path, ITEM)
        if not value:
            empty = seen.setdefault(item, _Seen())
            if kind not in empty.kinds:
                empty.kinds.append(kind)
        for child in value:
            _walk(child, item, kind, seen)


def _complete(seen: dict[Path_, _Seen]) -> None:
    """Add model fields and DERIVED names under values that were empty in the sample."""
    changed = True
    while changed:
        changed = False
        for path, entry in list(seen.items()):
            if entry.shape is not None and not (entry.shape == "list" and (*path, ITEM) in seen
                                                 and seen[(*path, ITEM)].shape is None):
                continue
            for child in _model_children(path, entry):
                if child not in seen and _describe(child) is not None and not _excluded(child):
                    seen[child] = _Seen(kinds=list(entry.kinds))
                    changed = True
        for name in DERIVED:
            path = parse_path(name)
            parent = seen.get(path[:-1])
            if path not in seen and parent is not None:
                seen[path] = _Seen(kinds=list(parent.kinds))
                changed = True


def _model_children(path: Path_, entry: _Seen) -> list[Path_]:
    """Paths under an empty value, from the model that describes it (sets its shape)."""
    model = _MODELS.get(format_path(path))
    found = None if model is not None or not path or path[-1] == ITEM else _model_field(path)
    ann = _unwrap(found[0])[0] if found else model
    if ann is None:
        return []
    if _is_model(ann):
        entry.shape = "mapping"
        return [(*path, name) for name in ann.model_fields]
    if typing.get_origin(ann) is list:
        entry.shape = "list"
        return [(*path, ITEM)]
    entry.shape = entry.shape or "value"
    return []


def _excluded(path: Path_) -> bool:
    """Model fields the context leaves out (e.g. interview.criteria moved to criteria)."""
    text = format_path(path)
    return text in ("interview.criteria", "interview.scale")


def _describe(path: Path_) -> tuple[str, str] | None:
    """(type, description) of a path; None when it is not documented anywhere."""
    text = format_path(path)
    if text in DERIVED:
        return DERIVED[text]
    if path and path[-1] == ITEM:
        return ("item", "")
    found = _model_field(path)
    if found is None or not found[1]:
        return None
    return _type_name(found[0]), found[1]


def sample_contexts(settings: sm.Settings | None = None) -> dict[str, list[dict[str, Any]]]:
    """The real contexts of the starter case: one per kind, per panel member, per applicant."""
    from docgen.case.starter import starter_path  # noqa: PLC0415
    from docgen.errors import CaseError  # noqa: PLC0415
    from docgen.loading import load_model  # noqa: PLC0415
    from docgen.templates.context import (  # noqa: PLC0415
        applicant_context,
        base_context,
        case_context,
        member_context,
    )
    from docgen.templates.summary import sample_summary  # noqa: PLC0415

    settings = settings or sm.load_settings()
    case, _, issues = load_model(starter_path(), cm.Case, display_name="configs/starter-case.yaml")
    if case is None:
        raise CaseError("The shipped starter case does not validate.", issues)
    base = base_context(case, settings, today=dt.date(2026, 1, 1))
    return {
        "summary": [sample_summary(case, settings, base)],
        "case": [case_context(base)],
        "panel": [member_context(base, case, m) for m in case.panel],
        "applicant": [
            applicant_context(base, a.model_copy(update={"outcome": "rejected"}), v,
                              greeting=settings.letters.greeting)
            for a in case.applicants for v in ("interviewed", "not-interviewed")
        ],
        "hired": [  # a hired applicant's documents see the job start too
            applicant_context(base, a.model_copy(update={"outcome": "hired"}), None,
                              greeting=settings.letters.greeting)
            for a in case.applicants[:1]
        ],
    }


def collect_variables(contexts: dict[str, list[dict[str, Any]]]) -> list[Variable]:
    """Every name found in ``contexts`` (kind → contexts), documented where possible."""
    seen: dict[Path_, _Seen] = {}
    for kind in KINDS:
        for ctx in contexts.get(kind, []):
            for key, value in ctx.items():
                _walk(value, (key,), kind, seen)
    _complete(seen)
    order = {path: i for i, path in enumerate(seen)}

    def tree_order(path: Path_) -> tuple[int, ...]:
        return tuple(order.get(path[:n], 0) for n in range(1, len(path) + 1))

    out = []
    for path in sorted(seen, key=tree_order):
        entry = seen[path]
        if path[-1] == ITEM:
            continue
        described = _describe(path)
        type_, description = described or ("?", "")
        kinds = tuple(k for k in KINDS if k in entry.kinds)
        out.append(Variable(format_path(path), type_, description, kinds, entry.shape or "value"))
    for name, (type_, description, shape) in RENDER_EXTRAS.items():
        out.append(Variable(name, type_, description, KINDS, shape))
    return out


@lru_cache(maxsize=1)
def _default_variables() -> tuple[Variable, ...]:
    return tuple(collect_variables(sample_contexts()))


def template_variables(settings: sm.Settings | None = None) -> list[Variable]:
    """Every variable a template may use, observed on the starter case.

    Without ``settings`` the shipped defaults are used (and the result is cached).
    """
    if settings is None:
        return list(_default_variables())
    return collect_variables(sample_contexts(settings))


def undocumented(variables: list[Variable]) -> list[str]:
    """Paths of variables without a description (should be empty)."""
    return [v.path for v in variables if not v.documented]


# --- the name tree the linter uses ---------------------------------------------------


@dataclass
class Node:
    """What a name or attribute chain refers to, as far as the linter knows."""

    shape: Shape | Literal["any"] = "any"
    children: dict[str, Node] = field(default_factory=dict)
    item: Node | None = None
    path: str = ""


ANY = Node()


def name_tree(variables: list[Variable], kind: str) -> Node:
    """The names of one context kind as a tree (root is a mapping of top-level names)."""
    root = Node("mapping", path="")
    for var in variables:
        if kind not in var.contexts:
            continue
        node = root
        parts = parse_path(var.path)
        for i, part in enumerate(parts):
            if part == ITEM:
                node.shape = "list"
                if node.item is None:
                    node.item = Node("value", path=format_path(parts[: i + 1]))
                node = node.item
                continue
            if node.shape == "value":
                node.shape = "mapping"
            node = node.children.setdefault(part, Node("value", path=format_path(parts[: i + 1])))
        node.shape = var.shape if node.shape == "value" else node.shape
        if var.shape == "list" and node.item is None:
            node.item = Node("value", path=var.path + ITEM)
    return root

