"""Jinja name checks shared by the Word and Excel template linters.

See :mod:`docgen.templates.lint` for the linter as a whole. A template is handed over as
a list of :class:`~docgen.templates.findings.Tag` (one Jinja tag each, in reading order,
with where it sits); :mod:`docgen.templates.tags` checks each tag and the blocks.
:func:`analyse` then parses all tags together, one tag per line, so that every node of
Jinja's syntax tree points back at its tag, and walks the tree with the names in scope:
the context of the document kind (:func:`docgen.templates.variables.name_tree`), loop
variables, ``set`` names, macros. Unknown names, fields, filters and tests are reported
with the closest known spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from jinja2 import TemplateSyntaxError, nodes

from docgen.templates.findings import (
    JINJA_LOOP,
    Finding,
    Knowledge,
    Tag,
    syntax_message,
)
from docgen.templates.variables import ANY, Node

_MAPPING_METHODS = frozenset({"items", "keys", "values", "get"})
_LIST_METHODS = frozenset({"index", "count"})
_PASS_FILTERS = frozenset({
    "select", "reject", "selectattr", "rejectattr", "sort", "unique", "list", "reverse",
    "default", "d",
})
_ITEM_FILTERS = frozenset({"first", "last", "random", "min", "max"})
_ATTR_FILTERS = frozenset({"selectattr", "rejectattr", "groupby"})
_ATTR_KWARG_FILTERS = frozenset({"map", "sort", "sum", "join", "unique", "min", "max", "groupby"})


def loop_node(attrs: Iterable[str] = JINJA_LOOP) -> Node:
    """The ``loop`` variable: known attributes, nothing else."""
    return Node("mapping", {a: ANY for a in attrs}, path="loop")


def stream(tags: list[Tag]) -> str:
    return "\n".join(t.source.replace("\n", " ").replace("\r", " ") for t in tags)


def analyse(tags: list[Tag], know: Knowledge, *, word: bool,
            tree: nodes.Template | None = None) -> list[Finding]:
    """Parse the tags together and check every name, field, filter and test they use."""
    if not tags:
        return []
    if tree is None:
        try:
            tree = know.env.parse(stream(tags))
        except TemplateSyntaxError as exc:
            line = min(max((exc.lineno or 1) - 1, 0), len(tags) - 1)
            return [Finding(tags[line], syntax_message(exc, word=word))]
    found: list[Finding] = []

    def report(node: nodes.Node, message: str) -> None:
        line = min(max(getattr(node, "lineno", 1) - 1, 0), len(tags) - 1)
        found.append(Finding(tags[line], message))

    _Walker(know, report).stmts(tree.body, dict(know.extra))
    return found


def _text(node: nodes.Node) -> str:
    """Source-like text of a name chain: ``position.title``, ``c``, ``a['x']``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_text(node.node)}[{node.arg.value!r}]"
    return "…"


def _close(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


class _Walker:
    def __init__(self, know: Knowledge, report: Callable[[nodes.Node, str], None]) -> None:
        self.know = know
        self.report = report

    # statements ------------------------------------------------------------------

    def stmts(self, body: Iterable[nodes.Node], scope: dict[str, Node]) -> None:
        for node in body:
            self.stmt(node, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Node]) -> None:  # noqa: C901
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, nodes.For):
            self._for(node, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.stmts(node.body, scope)
            for branch in node.elif_:
                self.stmt(branch, scope)
            self.stmts(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self._bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.stmts(node.body, scope)
            if node.filter is not None:
                self.expr(node.filter, scope)
            self._bind(node.target, ANY, scope)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            self._macro(node, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, given in zip(node.targets, node.values, strict=False):
                self._bind(target, self.expr(given, scope), inner)
            self.stmts(node.body, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.expr(node.filter, scope)
            self.stmts(node.body, scope)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for sub in node.iter_child_nodes():
                self.stmt(sub, scope)

    def _for(self, node: nodes.For, scope: dict[str, Node]) -> None:
        items = self.expr(node.iter, scope)
        inner = dict(scope)
        item = items.item if items.shape == "list" and items.item is not None else ANY
        self._bind(node.target, item, inner)
        inner["loop"] = loop_node()
        if node.test is not None:
            self.expr(node.test, inner)
        self.stmts(node.body, inner)
        self.stmts(node.else_, dict(scope))

    def _macro(self, node: nodes.Macro | nodes.CallBlock, scope: dict[str, Node]) -> None:
        inner = dict(scope)
        if isinstance(node, nodes.Macro):
            scope[node.name] = ANY
            inner[node.name] = ANY
        else:
            self.expr(node.call, scope)
        for arg in node.args:
            inner[arg.name] = ANY
        for default in node.defaults:
            self.expr(default, scope)
        for name in ("caller", "varargs", "kwargs"):
            inner[name] = ANY
        self.stmts(node.body, inner)

    def _bind(self, target: nodes.Node, value: Node, scope: dict[str, Node]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, ANY, scope)
        elif isinstance(target, nodes.NSRef) and target.name not in scope:
            self.report(target, f"unknown namespace '{target.name}'")

    # expressions -----------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: dict[str, Node]) -> Node:  # noqa: C901
        if isinstance(node, nodes.Name):
            return self._name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self._attr(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return self._attr(node, base, arg.value)
            self.expr(arg, scope)
            if base.shape == "list" and not isinstance(arg, nodes.Slice):
                return base.item or ANY
            return base if base.shape == "list" else ANY
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope)
        if isinstance(node, nodes.Test):
            self._args(node, scope)
            self.expr(node.node, scope)
            if node.name not in self.know.env.tests:
                self.report(node, f"unknown test '{node.name}'"
                                  + _close(node.name, self.know.env.tests))
            return ANY
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope)
            first = self.expr(node.expr1, scope)
            if node.expr2 is not None:
                self.expr(node.expr2, scope)
            return first
        for child in node.iter_child_nodes():
            self.expr(child, scope)
        return ANY

    def _name(self, node: nodes.Name, scope: dict[str, Node]) -> Node:
        name = node.name
        if name in scope:
            return scope[name]
        roots = self.know.roots.children
        if name in roots:
            return roots[name]
        if name in self.know.env.globals:
            return ANY
        elsewhere = [text for text, tree in self.know.others.values() if name in tree.children]
        if name == "loop":
            self.report(node, "'loop' exists only inside a loop ({% for %} or a repeated row)")
        elif elsewhere:
            self.report(node, f"'{name}' is not available in {self.know.label}; it exists "
                              f"only in {' and '.join(elsewhere)}")
        else:
            known = [*roots, *scope]
            self.report(node, f"unknown variable '{name}'" + _close(name, known))
        return ANY

    def _attr(self, node: nodes.Getattr | nodes.Getitem, base: Node, attr: str) -> Node:
        if attr.startswith("_"):
            self.report(node, f"'{attr}': names starting with '_' are blocked by the sandbox")
            return ANY
        if base.shape == "mapping":
            if attr in base.children:
                return base.children[attr]
            if attr not in _MAPPING_METHODS:
                fields = sorted(base.children)
                hint = _close(attr, fields)
                if not hint and len(fields) <= 12:
                    hint = f"; its fields: {', '.join(fields)}"
                self.report(node, f"unknown field '{attr}' in '{_text(node.node)}'{hint}")
            return ANY
        if base.shape == "list" and attr not in _LIST_METHODS and not attr.isdigit():
            name = _text(node.node)
            self.report(node, f"'{name}' is a list, so '{name}.{attr}' does not exist; loop "
                              f"over it ({{% for x in {name} %}}) or pick one item "
                              f"({name}[0].{attr})")
        return ANY

    def _filter(self, node: nodes.Filter, scope: dict[str, Node]) -> Node:
        base = self.expr(node.node, scope) if node.node is not None else ANY
        self._args(node, scope)
        name = node.name
        filters = self.know.env.filters
        if name not in filters:
            self.report(node, f"unknown filter '{name}'" + _close(name, filters))
            return ANY
        item = base.item if base.shape == "list" and base.item is not None else ANY
        self._filter_args(node, item)
        if name in _PASS_FILTERS:
            return base
        if name in _ITEM_FILTERS:
            return item
        if name == "map" or name == "batch" or name == "slice":
            return Node("list", item=ANY)
        return ANY

    def _filter_args(self, node: nodes.Filter, item: Node) -> None:
        """Check attribute names and filter/test names given to map/select/… as text."""
        first = node.args[0] if node.args else None
        first_text = first.value if isinstance(first, nodes.Const) else None
        attribute = next((k.value for k in node.kwargs if k.key == "attribute"), None)
        if node.name in _ATTR_FILTERS and isinstance(first_text, str):
            self._attr_path(node, item, first_text)
        if node.name in _ATTR_KWARG_FILTERS and isinstance(attribute, nodes.Const) \
                and isinstance(attribute.value, str):
            self._attr_path(node, item, attribute.value)
        if node.name == "map" and isinstance(first_text, str) and attribute is None \
                and first_text not in self.know.env.filters:
            self.report(node, f"unknown filter '{first_text}' in map()"
                              + _close(first_text, self.know.env.filters))
        tests = self.know.env.tests
        test = (first_text if node.name in ("select", "reject")
                else (node.args[1].value if node.name in ("selectattr", "rejectattr")
                      and len(node.args) > 1 and isinstance(node.args[1], nodes.Const)
                      else None))
        if isinstance(test, str) and test not in tests:
            self.report(node, f"unknown test '{test}' in {node.name}()" + _close(test, tests))

    def _attr_path(self, node: nodes.Node, item: Node, dotted: str) -> None:
        current = item
        for part in dotted.split("."):
            if current.shape != "mapping":
                return
            if part not in current.children:
                self.report(node, f"unknown field '{part}' in the items given to "
                                  f"{getattr(node, 'name', 'the filter')}()"
                                  + _close(part, current.children))
                return
            current = current.children[part]

    def _args(self, node: nodes.Filter | nodes.Test, scope: dict[str, Node]) -> None:
        for arg in node.args:
            self.expr(arg, scope)
        for kwarg in node.kwargs:
            self.expr(kwarg.value, scope)
        for dyn in (node.dyn_args, node.dyn_kwargs):
            if dyn is not None:
                self.expr(dyn, scope)


def resolve_expression(expression: str, know: Knowledge, tag: Tag) -> tuple[Node, list[Finding]]:
    """What a loop's list expression refers to (``criteria`` → its node), checking its names."""
    found: list[Finding] = []
    try:
        tree = know.env.parse("{{ " + expression + " }}")
    except TemplateSyntaxError as exc:
        return ANY, [Finding(tag, syntax_message(exc, word=False))]
    output = tree.body[0] if tree.body else None
    if not isinstance(output, nodes.Output) or not output.nodes:
        return ANY, found
    walker = _Walker(know, lambda _node, message: found.append(Finding(tag, message)))
    return walker.expr(output.nodes[0], dict(know.extra)), found


def item_of(node: Node) -> Node:
    """The node of one item when looping over ``node``."""
    return node.item if node.shape == "list" and node.item is not None else ANY
