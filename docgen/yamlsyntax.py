"""YAML syntax errors in plain language, at the line where the mistake is.

libyaml reports where it gave up, in parser terms ("mapping values are not allowed in
this context"), often a line after the mistake. An HR officer needs to hear what went
wrong and how to fix it: a tab used for indentation, a key without its colon, a colon
inside a text, a quote or bracket never closed. This module turns the parser's marks
into such a message, pointing at the line that has the mistake, and names the field
by reading the indentation above it. Messages never quote the text of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from docgen.errors import Issue

_KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>(?:-\s+)*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*:(\s|$)")
_BARE_WORD = re.compile(r"^\s*(?:-\s+)*(?P<key>[A-Za-z_][A-Za-z0-9_-]*)(\s|$)")
_ITEM_ID = re.compile(r"^\s*-\s+id\s*:\s*['\"]?(?P<id>[AP][0-9]{1,3})['\"]?\s*(#.*)?$")
_Make = Callable[..., Issue]
"""The ``issue(pos, message, field=None)`` helper inside :func:`explain`."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Column where a line's content starts, after any ``- `` item markers."""
    m = _KEY.match(line) or _BARE_WORD.match(line)
    if m is not None:
        return m.start("key")
    return _indent(line)


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def field_at(lines: list[str], number: int) -> str:
    """The field a line belongs to (``applicants[1] (A02).name``), read from indentation.

    A best effort for files that do not parse: it follows the keys of the lines above
    that are indented less, and counts ``- `` items for list positions.
    """
    if not 1 <= number <= len(lines):
        return ""
    line = lines[number - 1]
    own = _KEY.match(line) or _BARE_WORD.match(line)
    parts: list[str] = [own.group("key")] if own is not None else []
    level = _content_indent(line)
    item_index: int | None = None
    item_id: str | None = None
    if line.lstrip(" ").startswith("-"):
        level = _indent(line)
        item_index, item_id = _item_of(lines, number, level), _own_id(lines, number)
    for n in range(number - 1, 0, -1):
        prev = lines[n - 1]
        if _is_blank(prev):
            continue
        if _content_indent(prev) >= level and not (
            prev.lstrip(" ").startswith("-") and _indent(prev) < level
        ):
            continue
        if prev.lstrip(" ").startswith("-") and item_index is None and _indent(prev) < level:
            item_index, item_id = _item_of(lines, n, _indent(prev)), _own_id(lines, n)
            level = _indent(prev)
            continue
        m = _KEY.match(prev)
        if m is None:
            continue
        if item_index is not None:
            parts.insert(0, f"[{item_index}]" + (f" ({item_id})" if item_id else ""))
            item_index, item_id = None, None
        parts.insert(0, m.group("key"))
        level = _indent(prev)
        if level == 0:
            break
    out = ""
    for part in parts:
        out += part if part.startswith("[") or not out else f".{part}"
    return out


def _item_of(lines: list[str], number: int, indent: int) -> int:
    """The position of the ``- `` item on line ``number`` among its siblings."""
    index = 0
    for n in range(number - 1, 0, -1):
        prev = lines[n - 1]
        if _is_blank(prev):
            continue
        if _indent(prev) < indent:
            break
        if _indent(prev) == indent and prev.lstrip(" ").startswith("-"):
            index += 1
    return index


def _own_id(lines: list[str], number: int) -> str | None:
    """The ``id: A07``/``P2`` of the item starting on line ``number``, if it has one."""
    indent = _indent(lines[number - 1])
    m = _ITEM_ID.match(lines[number - 1])
    if m:
        return m.group("id")
    for n in range(number + 1, len(lines) + 1):
        line = lines[n - 1]
        if _is_blank(line):
            continue
        if _indent(line) <= indent:
            break
        m = re.match(r"^\s*id\s*:\s*['\"]?(?P<id>[AP][0-9]{1,3})['\"]?\s*(#.*)?$", line)
        if m:
            return m.group("id")
    return None


def _first_tab(lines: list[str], upto: int) -> tuple[int, int] | None:
    for n, line in enumerate(lines[:upto], start=1):
        lead = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:lead]:
            return n, line.index("\t") + 1
    return None


def _previous_content(lines: list[str], number: int) -> int | None:
    for n in range(number - 1, 0, -1):
        if not _is_blank(lines[n - 1]):
            return n
    return None


def _mark(mark: yaml.Mark | None) -> tuple[int, int] | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def explain(error: yaml.MarkedYAMLError, text: str, name: str) -> Issue:
    """One plain-language issue for a YAML syntax error, at the line with the mistake."""
    lines = text.split("\n")
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    at = _mark(error.problem_mark) or _mark(error.context_mark)
    opened = _mark(error.context_mark)

    def issue(pos: tuple[int, int] | None, message: str, field: str | None = None) -> Issue:
        if pos is None:
            return Issue(name, None, None, "", message)
        where = field_at(lines, pos[0]) if field is None else field
        return Issue(name, pos[0], pos[1], where, message)

    tab = _first_tab(lines, at[0] if at else len(lines))
    if tab is not None and ("tab" in problem or "cannot start any token" in problem):
        return issue(tab, "a tab is used for indentation; use spaces, not tabs")
    if "quoted scalar" in context and opened is not None:
        return issue(
            opened,
            "a quote opens here but is never closed; end the text with the same quote "
            "mark on the same line",
        )
    if "flow sequence" in context and opened is not None:
        return issue(opened, "a list opened with '[' here is never closed; end it with ']'")
    if "flow mapping" in context and opened is not None:
        return issue(opened, "a '{' opened here is never closed; end it with '}'")
    if "simple key" in context and "':'" in problem and opened is not None:
        return issue(
            (opened[0], _content_indent(lines[opened[0] - 1]) + 1),
            "this line has no colon after its key; write 'key: value'",
        )
    if "mapping values are not allowed" in problem and at is not None:
        return _colon(lines, at, issue)
    if ("expected key" in problem or "expected <block end>" in problem) and at is not None:
        return _indentation(lines, at, issue)
    if tab is not None:
        return issue(tab, "a tab is used for indentation; use spaces, not tabs")
    detail = problem or context or "invalid YAML"
    return issue(at, f"YAML syntax: {detail}; check the indentation and the quotes on this line")


def _colon(lines: list[str], at: tuple[int, int], issue: _Make) -> Issue:
    """A ': ' the parser did not expect: a colon in a value, or the line above lacks one."""
    line = lines[at[0] - 1]
    own = _KEY.match(line)
    if own is not None and line.index(":", own.start("key")) == at[1] - 1:
        # The key on this line is fine: the line above ran on into it. Either that line
        # lacks its colon, or this one is indented further than its neighbours.
        above = _previous_content(lines, at[0])
        if above is not None and _KEY.match(lines[above - 1]) is None:
            return issue(
                (above, _content_indent(lines[above - 1]) + 1),
                "this line has no colon after its key; write 'key: value'",
            )
        if above is not None:
            # Named as if it were lined up with the line above, as it was meant to be.
            lined_up = list(lines)
            lined_up[at[0] - 1] = " " * _indent(lines[above - 1]) + line.lstrip(" ")
            return issue(
                (at[0], _indent(line) + 1),
                "this line is indented further than the line above; keys of the same "
                "part start in the same column",
                field_at(lined_up, at[0]),
            )
    return issue(
        at,
        "a colon followed by a space inside a text; put the whole text in quotes, "
        'e.g. key: "text: more text"',
    )


def _indentation(lines: list[str], at: tuple[int, int], issue: _Make) -> Issue:
    """The parser expected the next key of a mapping and found something else."""
    line = lines[at[0] - 1] if at[0] <= len(lines) else ""
    where = (at[0], _indent(line) + 1)
    if line.lstrip(" ").startswith("- "):
        above = _previous_content(lines, at[0])
        parent = field_at(lines, above).rpartition(".")[0] if above is not None else ""
        return issue(
            where,
            "a list item ('- ') among 'key: value' lines; indent it under the key the "
            "list belongs to",
            parent,
        )
    return issue(
        where,
        "this line's indentation does not match the lines above; keys of the same part "
        "start in the same column (use spaces)",
    )
