"""Read YAML without surprises, keeping where every key and value came from.

PyYAML's loaders type scalars by guessing (``0700`` becomes 448, ``no`` becomes
False, ``+4512345678`` an int) and silently keep the last of two duplicate keys.
So this module walks PyYAML's *node graph* instead: every scalar stays the string
that was written (the schema decides each field's type later), duplicate keys,
anchors, aliases, explicit tags and control characters are problems, and each
problem carries a line and column but never the offending value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docgen.errors import Issue
from docgen.yamlsyntax import explain

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
_NULLS = {"", "~", "null", "Null", "NULL"}
# XML 1.0 cannot carry these, and they have no business in a case file.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# libyaml's loader gives the same events, nodes and marks, several times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a loaded document starts."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, prefer_key: bool = False) -> tuple[int | None, int | None]:
        """Return (line, col) of ``path``, or of its nearest ancestor that exists."""
        probe = tuple(path)
        while True:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for t in table:
                if probe in t:
                    return t[probe]
            if not probe:
                return None, None
            probe = probe[:-1]


@dataclass
class Loaded:
    """A YAML document as plain Python data (dicts, lists, strings, None) plus its source map."""

    data: Any
    source: SourceMap
    text: str


def _mark(node: Node | Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Walker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.issues: list[Issue] = []
        self.source = SourceMap()
        self.count = 0

    def issue(self, pos: tuple[int, int], path: Path_, message: str) -> None:
        self.issues.append(Issue(self.filename, pos[0], pos[1], _format_path(path), message))

    def walk(self, node: Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.issue(_mark(node), path, f"the file has more than {MAX_NODES} values")
            return None
        self.source.values[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        self.issue(_mark(node), path, "unsupported YAML construct")  # pragma: no cover
        return None

    def scalar(self, node: ScalarNode, path: Path_) -> str | None:
        value: str = node.value
        bad = _FORBIDDEN.search(value)
        if bad:
            self.issue(
                _mark(node), path, f"control character U+{ord(bad.group()):04X} is not allowed"
            )
        if not node.style and value in _NULLS:  # plain style: None (PyYAML) or "" (libyaml)
            return None
        return value

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.value == "":
                self.issue(_mark(key_node), path, "keys must be plain words")
                continue
            key = key_node.value
            if _FORBIDDEN.search(key):
                self.issue(_mark(key_node), path, "control character in a key")
                continue
            if key in first:
                line, col = first[key]
                self.issue(
                    _mark(key_node), (*path, key), f'duplicate key "{key}" (first at {line}:{col})'
                )
                continue
            first[key] = _mark(key_node)
            self.source.keys[(*path, key)] = _mark(key_node)
            out[key] = self.walk(value_node, (*path, key))
        return out


def _check_events(text: str, walker: _Walker) -> bool:
    """Report anchors, aliases and explicit tags; return whether composing is safe.

    Aliases are checked before composing because expanding them can explode.
    """
    safe = True
    for event in yaml.parse(text, Loader=_LOADER):
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, AliasEvent):
            walker.issue(pos, (), "aliases (*name) are not allowed; write the value out")
            safe = False
        elif isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                walker.issue(pos, (), "anchors (&name) are not allowed; write the value out")
            explicit = (
                not any(event.implicit) if isinstance(event, ScalarEvent) else not event.implicit
            )
            if event.tag is not None and explicit and event.tag != "!":
                walker.issue(pos, (), "tags (!!type) are not allowed; the schema decides types")
    return safe


def load_yaml(path: Path, *, display_name: str | None = None) -> tuple[Loaded | None, list[Issue]]:
    """Load one YAML file; return the data (None if unreadable) and every problem found."""
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, [Issue(name, None, None, "", f"cannot read the file ({e.strerror})")]
    if len(raw) > MAX_BYTES:
        msg = f"the file is larger than {MAX_BYTES // 1_000_000} MB; a case file is far smaller"
        return None, [Issue(name, None, None, "", msg)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Issue(name, line, None, "", "the file is not UTF-8; save it as UTF-8")]
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> tuple[Loaded | None, list[Issue]]:
    """Parse YAML text (see :func:`load_yaml`)."""
    walker = _Walker(name)
    for bad in _RAW_FORBIDDEN.finditer(text):
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        walker.issue((line, col), (), f"control character U+{ord(bad.group()):04X} is not allowed")
    # Blank them out so that the other problems in the file are found in the same run.
    text = _RAW_FORBIDDEN.sub(" ", text)
    try:
        if not _check_events(text, walker):
            return None, walker.issues
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as e:
        # Said in plain words at the line with the mistake (see docgen.yamlsyntax).
        return None, [*walker.issues, explain(e, text, name)]
    except yaml.reader.ReaderError as e:
        offset = e.position
        where = (
            text.count("\n", 0, offset) + 1,
            offset - (text.rfind("\n", 0, offset) + 1) + 1,
        )
        msg = f"control character U+{e.character:04X} is not allowed"
        return None, [Issue(name, where[0], where[1], "", msg)]
    except yaml.YAMLError:
        return None, [Issue(name, None, None, "", "YAML syntax error")]
    if node is None:
        return Loaded({}, walker.source, text), []
    # Data comes back even with issues, so that schema problems join the same report.
    data = walker.walk(node, ())
    return Loaded(data, walker.source, text), walker.issues


def format_path(path: Path_) -> str:
    """Format a location tuple as ``applicants[3].name``."""
    return _format_path(path)
