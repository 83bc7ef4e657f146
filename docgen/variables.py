"""Every name a template may use (``docgen templates list``, ``docs/templates.md``, the linter).

The names are not written down by hand: they are *observed*. The starter case
(``configs/starter-case.yaml``) goes through the real context functions of
:mod:`docgen.context` (``base_context``, ``member_context`` for every panel member,
``applicant_context`` for every applicant), and every key found in the resulting data
is a variable, with the contexts it occurs in:

- ``case``: documents made once per case (posting, role star, readiness),
- ``panel``: documents made per panel member (scoresheets),
- ``applicant``: documents made per applicant (letters, phone guide).

A key's description and type come from the case model (:mod:`docgen.case`, or the
settings models for criteria, spokes, questions and bands) when the key mirrors a
model field, else from :data:`DERIVED`, the table of names :mod:`docgen.context`
computes. A key found in neither is *undocumented*; a test fails on it, so a new
context key cannot be forgotten, and a :data:`DERIVED` entry that the context no
longer produces fails the same test. Values that are empty in the starter (an
optional group, an empty list) are completed from the models and :data:`DERIVED`.

Paths are written ``position.title``; ``applicants[].name`` means the ``name`` of each
item of the list ``applicants`` (``{% for a in applicants %}{{ a.name }}{% endfor %}``).

The same list feeds :func:`name_tree` (what the linter resolves names against),
:func:`markdown` (``docs/templates.md``) and :func:`text` (``docgen templates list``).
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from docgen import case as cm
from docgen import settings as sm

KINDS = ("case", "panel", "applicant")
"""Context kinds, named like ``for:`` in ``configs/documents.yaml``."""

KIND_TEXT = {
    "case": "documents made once per case (`for: case`: posting, role star, readiness)",
    "panel": "documents made per panel member (`for: panel`: scoresheets)",
    "applicant": "documents made per applicant (`for: applicant`: letters, phone guide)",
}

Shape = Literal["mapping", "list", "value"]


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


def _scale(prefix: str, what: str) -> dict[str, tuple[str, str]]:
    return {
        prefix: ("group", f"The {what}: bounds and one labelled step per value."),
        f"{prefix}.min": ("whole number", "Lowest value."),
        f"{prefix}.max": ("whole number", "Highest value."),
        f"{prefix}.steps": ("list of groups", "One entry per whole value from min to max."),
        f"{prefix}.steps[].value": ("whole number", "The value."),
        f"{prefix}.steps[].label": ("text", "Its label (the value itself when unlabelled)."),
    }


_SLOT = {
    "applicant": ("text", "The applicant's id, e.g. 'A07'."),
    "start": ("date and time", "Start of the interview."),
    "end": ("date and time", "End of the interview (start plus interview.duration_minutes)."),
}

DERIVED: dict[str, tuple[str, str]] = {
    "case": ("group", "The case itself."),
    "case.retention_months": (
        "whole number",
        "Months applications are kept: retention.months of the case, else the configured "
        "retention.default_months.",
    ),
    "letter_date": (
        "date",
        "The date printed on letters: dates.letters, else dates.recruitment_closed, else "
        "SOURCE_DATE_EPOCH, else today. Print it with |dato.",
    ),
    "organisation.sector_text": ("text", "The sector in Danish (configuration labels.sector)."),
    "organisation.public": ("yes/no", "Whether the employer is public (region or kommune)."),
    "position.hours_per_week": (
        "number",
        "Hours per week; a whole number when there are no decimals (25, not 25.0). "
        "Print it with |tal.",
    ),
    "position.employment_form_text": (
        "text", "The form of employment in Danish (labels.employment_form), e.g. 'Fleksjob'."
    ),
    "position.working_times_text": (
        "list of text",
        "The working times in Danish (labels.working_times), e.g. dagtimer, aftener; "
        "join them with |opremsning.",
    ),
    "position.peer_education_text": (
        "text", "A sentence stating the peer-education stance (labels.peer_education)."
    ),
    "interview.slots": ("list of groups", "The interview schedule, sorted by start time."),
    **{f"interview.slots[].{k}": v for k, v in _SLOT.items()},
    "applicants": (
        "list of groups", "The applicants who have not withdrawn, in the case file's order."
    ),
    "applicants[].first_name": ("text", "The first word of the applicant's name."),
    "applicant_count": ("whole number", "Number of applicants, withdrawn ones included."),
    "interviewed_count": ("whole number", "Number of applicants (not withdrawn) interviewed."),
    "hired": ("list of groups", "The hired applicants (the same fields as applicants)."),
    "hired[].first_name": ("text", "The first word of the hired person's name."),
    "retention": ("group", "How long applications are kept."),
    "retention.months": (
        "whole number",
        "Months applications of applicants not hired are kept (the case's value, else the "
        "configured default).",
    ),
    "criteria": (
        "list of groups",
        "The interview criteria: the case's interview.criteria (completed from the "
        "configuration), else the configured criteria.",
    ),
    "criteria[].id": ("text", "The criterion's id, e.g. 'recovery'."),
    "criteria[].label": ("text", "The criterion as the scoresheet shows it."),
    "criteria[].description": ("text", "What the panel looks for (may be empty)."),
    "criteria[].questions": ("list of text", "One or two questions to ask."),
    **_scale("scale", "interview scoring scale (the case's interview.scale, else configured)"),
    "recommendations": (
        "list of text", "The overall recommendations a panel member can give, e.g. 'Klart ja'."
    ),
    "role_star": ("group", "The role star: its scale and spokes (task areas)."),
    **_scale("role_star.scale", "role-star scale"),
    "role_star.spokes": ("list of groups", "The spokes from the configuration, in order."),
    "role_star.spokes[].id": ("text", "The spoke's id, e.g. 'conversations'."),
    "role_star.spokes[].label": ("text", "The spoke's name."),
    "role_star.spokes[].description": ("text", "What the task area covers."),
    "role_star.spokes[].desired": (
        "whole number or empty", "The organisation's value from the case (role_star.desired)."
    ),
    "role_star.spokes[].current": (
        "whole number or empty", "The peer worker's own value (role_star.current)."
    ),
    "role_star.spokes[].covered_by": (
        "text or empty", "Who else covers the task (role_star.covered_by)."
    ),
    "readiness": ("group", "The readiness check: scale, questions, motivation and bands."),
    **_scale("readiness.scale", "readiness answer scale"),
    "readiness.questions": ("list of groups", "The readiness questions from the configuration."),
    "readiness.questions[].id": ("text", "The question's id, e.g. 'leadership'."),
    "readiness.questions[].theme": ("text", "A short theme, e.g. 'Ledelse'."),
    "readiness.questions[].text": ("text", "The question."),
    "readiness.questions[].answer": (
        "whole number or empty", "The answer from the case (readiness.answers)."
    ),
    "readiness.questions[].action": (
        "text or empty", "The planned action from the case (readiness.actions)."
    ),
    "readiness.motivation": ("list of groups", "The motivation questions."),
    "readiness.motivation[].id": ("text", "The question's id, e.g. 'inspiration'."),
    "readiness.motivation[].theme": ("text", "A short theme (may be empty)."),
    "readiness.motivation[].text": ("text", "The question."),
    "readiness.motivation[].answer": (
        "text or empty", "The answer from the case (readiness.motivation)."
    ),
    "readiness.bands": ("list of groups", "Interpretation bands for the total score."),
    "readiness.bands[].min": ("whole number", "Lowest total in the band."),
    "readiness.bands[].max": ("whole number", "Highest total in the band."),
    "readiness.bands[].label": ("text", "What the band means."),
    "readiness.bands[].colour": ("text", "Fill colour as six hex digits, e.g. 'D9EAD3'."),
    "readiness.max_total": ("whole number", "Highest possible total (scale max × questions)."),
    "member": ("group", "The panel member this document is for."),
    "pseudonymised": (
        "yes/no", "Whether this member's documents show applicant ids only (external member)."
    ),
    "sheet_applicants": (
        "list of groups",
        "The rows of this member's scoresheet: interviewed applicants, else those with an "
        "interview slot, else six blank rows; sorted by interview time.",
    ),
    "sheet_applicants[].id": ("text", "The applicant's id ('' on a blank row)."),
    "sheet_applicants[].label": (
        "text", "The row label: 'A07 · name', or the id only for an external member."
    ),
    "sheet_applicants[].slot": ("group or empty", "The applicant's interview slot, if any."),
    **{f"sheet_applicants[].slot.{k}": v for k, v in _SLOT.items()},
    "applicant": ("group", "The applicant this document is for (never any other applicant)."),
    "applicant.first_name": ("text", "The first word of the applicant's name."),
    "applicant.slot": ("group or empty", "The applicant's interview slot, if any."),
    **{f"applicant.slot.{k}": v for k, v in _SLOT.items()},
    "variant": (
        "text or empty", "The letter variant: 'interviewed', 'not-interviewed' or empty."
    ),
    "hired_count": ("whole number", "Number of hired applicants."),
}
"""Names :mod:`docgen.context` computes, with their type and description."""

RENDER_EXTRAS: dict[str, tuple[str, str, Shape]] = {
    "logo": (
        "image or empty",
        "Word templates only: the organisation's logo, sized for a letterhead; write "
        "{% if logo %}{{ logo }}{% endif %}.",
        "value",
    ),
}
"""Names the Word renderer adds to every context."""

CASE_FIELDS_ELSEWHERE: dict[str, str] = {
    "reference": "case.reference",
    "interview.slots": "interview.slots (with end times), applicant.slot, "
    "sheet_applicants[].slot",
    "interview.criteria": "criteria (completed from the configuration)",
    "interview.scale": "scale (with one step per value)",
    "role_star.desired": "role_star.spokes[].desired",
    "role_star.current": "role_star.spokes[].current",
    "role_star.covered_by": "role_star.spokes[].covered_by",
    "readiness.answers": "readiness.questions[].answer",
    "readiness.actions": "readiness.questions[].action",
    "readiness.motivation": "readiness.motivation[].answer",
    "retention.months": "retention.months and case.retention_months (with the default)",
}
"""Case fields templates see under another name (for the listing and its test)."""

CASE_ALIASES: dict[str, tuple[str, ...]] = {
    "panel[]": ("panel[]", "member"),
    "applicants[]": ("applicants[]", "applicant", "hired[]"),
}
"""Case list items that also appear as a single group in a per-recipient context."""

_MODELS: dict[str, type[BaseModel]] = {
    "case": cm.Case,
    "dates": cm.Dates,
    "organisation": cm.Organisation,
    "position": cm.Position,
    "panel[]": cm.PanelMember,
    "member": cm.PanelMember,
    "interview": cm.Interview,
    "applicants[]": cm.Applicant,
    "hired[]": cm.Applicant,
    "applicant": cm.Applicant,
    "decision": cm.Decision,
    "retention": cm.Retention,
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
        for text in DERIVED:
            path = parse_path(text)
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
    from docgen.context import applicant_context, base_context, member_context  # noqa: PLC0415
    from docgen.errors import CaseError  # noqa: PLC0415
    from docgen.loading import load_model  # noqa: PLC0415
    from docgen.starter import starter_path  # noqa: PLC0415

    settings = settings or sm.load_settings()
    case, _, issues = load_model(starter_path(), cm.Case, display_name="configs/starter-case.yaml")
    if case is None:
        raise CaseError("The shipped starter case does not validate.", issues)
    base = base_context(case, settings, today=dt.date(2026, 1, 1))
    return {
        "case": [base],
        "panel": [member_context(base, case, m) for m in case.panel],
        "applicant": [
            applicant_context(base, a, v)
            for a in case.applicants for v in ("interviewed", "not-interviewed")
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


# --- filters -------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterDoc:
    """One filter docgen adds."""

    name: str
    signature: str
    description: str


def filter_docs() -> list[FilterDoc]:
    """docgen's filters (``docgen.filters.FILTERS``) with their docstrings."""
    from docgen.filters import FILTERS  # noqa: PLC0415

    out = []
    for name, function in FILTERS.items():
        out.append(FilterDoc(name, _filter_signature(name, function),
                             inspect.cleandoc(function.__doc__ or "").strip()))
    return out


def _filter_signature(name: str, function: Callable[..., Any]) -> str:
    params = list(inspect.signature(function).parameters.values())[1:]
    if not params:
        return f"value|{name}"
    args = ", ".join(
        p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
        for p in params
    )
    return f"value|{name}({args})"


# --- the reference page (docs/templates.md) and the terminal listing ---------------

HEADER = """\
# Template variables and filters

Generated by `docgen templates list --format markdown -o docs/templates.md` from the case
model (`docgen/case.py`) and the real template contexts (`docgen/context.py`); do not edit
by hand. `docgen templates check` uses the same list to find misspelt names.

Templates are Jinja: `{{ position.title }}` prints a value, `{% if … %}` / `{% for … %}`
decide and repeat, `|` applies a filter (`{{ dates.deadline|dato }}`). In Word, docxtpl's
`{%p … %}` (whole paragraph) and `{%tr … %}` (whole table row) forms repeat or drop
paragraphs and rows; in Excel, `{%tr for … %}` in column A repeats rows (see
`docgen/xlsxfill.py`). A name written `applicants[].name` is the `name` of each item of a
list: `{% for a in applicants %}{{ a.name }}{% endfor %}`.

Which names a template sees depends on the document it makes (`for:` in
`configs/documents.yaml`):
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _available(var: Variable) -> str:
    if set(var.contexts) == set(KINDS):
        return "all"
    return ", ".join(var.contexts)


def _groups(variables: list[Variable]) -> dict[str, list[Variable]]:
    groups: dict[str, list[Variable]] = {}
    for var in variables:
        root = var.path.split(".")[0].split("[")[0]
        groups.setdefault(root, []).append(var)
    return groups


def _builtins() -> tuple[list[str], list[str]]:
    from docgen.filters import FILTERS, make_env  # noqa: PLC0415

    env = make_env(autoescape=False)
    filters = sorted(set(env.filters) - set(FILTERS))
    tests = sorted(env.tests)
    return filters, tests


def markdown(variables: list[Variable], filters: list[FilterDoc] | None = None) -> str:
    """The reference page."""
    filters = filters if filters is not None else filter_docs()
    out = [HEADER]
    out.extend(f"- `{kind}`: {KIND_TEXT[kind]}" for kind in KINDS)
    out.append("")
    out.append("The *available in* column names those kinds (`all`: every document).\n")
    out.append("## Variables\n")
    for root, items in _groups(variables).items():
        out.append(f"### `{root}`\n")
        out.append("| Name | Type | Available in | Description |")
        out.append("|---|---|---|---|")
        for var in items:
            out.append(f"| `{var.path}` | {_cell(var.type)} | {_available(var)} | "
                       f"{_cell(var.description) or '**undocumented**'} |")
        out.append("")
    out.append("## Case file fields found under another name\n")
    out.append("| Case file | In templates |")
    out.append("|---|---|")
    out.extend(f"| `{field}` | {_cell(where)} |" for field, where in CASE_FIELDS_ELSEWHERE.items())
    out.append("")
    out.append("## Filters\n")
    out.append("docgen's own filters (Danish formats; Word and Excel templates share them):\n")
    out.append("| Filter | Use | Description |")
    out.append("|---|---|---|")
    out.extend(f"| `{f.name}` | `{_cell(f.signature)}` | {_cell(f.description)} |"
               for f in filters)
    builtin_filters, tests = _builtins()
    out.append("")
    out.append("Jinja's built-in filters are available too: "
               + ", ".join(f"`{name}`" for name in builtin_filters) + ".\n")
    out.append("Tests (`{% if x is … %}`): " + ", ".join(f"`{name}`" for name in tests) + ".\n")
    out.append("Other names: `range`, `dict`, `namespace`, `cycler`, `joiner`, `lipsum`; inside a "
               "loop, `loop` (`loop.index`, `loop.first`, `loop.last`, …).")
    return "\n".join(out) + "\n"


def text(variables: list[Variable], filters: list[FilterDoc] | None = None) -> str:
    """The same reference for a terminal."""
    filters = filters if filters is not None else filter_docs()
    out = ["Variables (available in every document unless marked [case], [panel] or "
           "[applicant]):"]
    out.extend(f"  [{kind}] = {KIND_TEXT[kind]}" for kind in KINDS)
    out.append("")
    for var in variables:
        only = "" if set(var.contexts) == set(KINDS) else f"  [{', '.join(var.contexts)}]"
        out.append(f"{var.path}  ({var.type}){only}")
        out.append(f"    {var.description or 'UNDOCUMENTED'}")
    out.extend(["", "Case file fields found under another name:"])
    out.extend(f"  {field}  →  {where}" for field, where in CASE_FIELDS_ELSEWHERE.items())
    out.extend(["", "Filters:"])
    for f in filters:
        out.append(f"{f.signature}")
        out.append(f"    {f.description}")
    builtin_filters, tests = _builtins()
    out.extend(["", "Jinja's built-in filters: " + ", ".join(builtin_filters),
                "Tests: " + ", ".join(tests)])
    return "\n".join(out) + "\n"
