"""Row maps and formula references for the Excel engine (see ``docgen.excel.fill``).

A sheet's repeating regions turn its template rows into output rows: rows outside a
region move up or down, marker rows disappear and a region's body rows are copied once
per item. :class:`RowMap` answers where a template row went, and :func:`rewrite_formula`
moves every cell reference of a formula accordingly, using openpyxl's formula tokenizer
(never plain string search), so text in quotes and names are left alone.

The rules for one reference:

- a row outside every region moves with its row;
- a range is widened from the first output row of its first row to the last output row
  of its last row, so ``SUM(D7:D7)`` over a one-row body covers every copy;
- a single cell in a body, seen from outside the region, becomes the range over all
  copies (``AVERAGE(D7)`` → ``AVERAGE(D7:D21)``);
- from inside a body copy, a reference to the same body keeps pointing at its own copy,
  unless both its row parts are absolute (``$D$7``), which means "the whole column of
  the table" and is widened;
- a reference whose rows all disappeared becomes ``#REF!``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer

REF_ERROR = "#REF!"


@dataclass(frozen=True)
class Block:
    """Template rows ``first..last`` replaced by ``count`` copies of the body rows.

    A region has its two marker rows as ``first``/``last`` and the rows between as its
    body; a removed directive row is a block with no body.
    """

    first: int
    last: int
    body_first: int
    body_last: int
    count: int

    @property
    def height(self) -> int:
        """Number of rows in one copy of the body."""
        return max(0, self.body_last - self.body_first + 1)

    def in_body(self, row: int) -> bool:
        """Tell whether a template row is one of the body rows."""
        return self.body_first <= row <= self.body_last


@dataclass(frozen=True)
class Home:
    """Where a formula sits: copy ``index`` of ``block`` (for body-relative references)."""

    block: Block
    index: int


class RowMap:
    """Where each template row of one sheet ends up after the regions are expanded."""

    def __init__(self, blocks: Iterable[Block] = ()) -> None:
        self.blocks = sorted(blocks, key=lambda b: b.first)
        self._new_first: list[int] = []
        delta = 0
        for block in self.blocks:
            self._new_first.append(block.first + delta)
            delta += block.count * block.height - (block.last - block.first + 1)
        self.total_delta = delta

    @property
    def is_identity(self) -> bool:
        """True when no row moves."""
        return not self.blocks

    def block_of(self, row: int) -> tuple[Block, int] | None:
        """Return the block holding ``row`` and the block's first output row."""
        for block, new_first in zip(self.blocks, self._new_first, strict=True):
            if block.first <= row <= block.last:
                return block, new_first
        return None

    def new_first(self, block: Block) -> int:
        """First output row of a block."""
        return self._new_first[self.blocks.index(block)]

    def _plain(self, row: int) -> int:
        delta = 0
        for block, new_first in zip(self.blocks, self._new_first, strict=True):
            if block.last < row:
                delta = new_first + block.count * block.height - block.last - 1
        return row + delta

    def rows(self, row: int) -> list[int]:
        """Every output row of a template row (none for marker rows)."""
        found = self.block_of(row)
        if found is None:
            return [self._plain(row)]
        block, new_first = found
        if not block.in_body(row):
            return []
        offset = row - block.body_first
        return [new_first + k * block.height + offset for k in range(block.count)]

    def start(self, row: int) -> int:
        """First output row at or after where a template row was (a range's start)."""
        found = self.block_of(row)
        if found is None:
            return self._plain(row)
        block, new_first = found
        if row > block.body_last:
            return new_first + block.count * block.height
        if row < block.body_first or block.count == 0:
            return new_first
        return new_first + row - block.body_first

    def end(self, row: int) -> int:
        """Last output row at or before where a template row was (a range's end)."""
        found = self.block_of(row)
        if found is None:
            return self._plain(row)
        block, new_first = found
        if row > block.body_last:
            return new_first + block.count * block.height - 1
        if row < block.body_first or block.count == 0:
            return new_first - 1
        return new_first + (block.count - 1) * block.height + row - block.body_first

    def span(self, first: int, last: int, home: Home | None = None) -> tuple[int, int] | None:
        """Map the template rows ``first..last`` seen from ``home``; None if all are gone."""
        if home is not None and home.block.in_body(first) and home.block.in_body(last):
            base = self.new_first(home.block) + home.index * home.block.height
            return base + first - home.block.body_first, base + last - home.block.body_first
        start, end = self.start(first), self.end(last)
        return (start, end) if start <= end else None

    def copies(self, first: int, last: int) -> list[tuple[int, int]]:
        """Output row spans of template rows ``first..last``, one per body copy.

        Rows inside one body give one span per copy (adjacent spans are not joined);
        anything else gives the widened span.
        """
        found = self.block_of(first)
        if found is not None and found[0].in_body(first) and found[0].in_body(last):
            block, new_first = found
            return [
                (new_first + k * block.height + first - block.body_first,
                 new_first + k * block.height + last - block.body_first)
                for k in range(block.count)
            ]
        spanned = self.span(first, last)
        return [spanned] if spanned else []


def join_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join touching or overlapping row spans."""
    out: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


_SHEET = r"(?:(?P<sheet>'(?:[^']|'')+'|[^'!:]+)!)?"
_CELL = r"(?P<c{n}>\$?[A-Za-z]{{1,3}})(?P<r{n}>\$?\d+)"
_CELL_RE = re.compile(rf"^{_SHEET}{_CELL.format(n=1)}(?::{_CELL.format(n=2)})?$")
_ROWS_RE = re.compile(rf"^{_SHEET}(?P<r1>\$?\d+):(?P<r2>\$?\d+)$")

Resolver = Callable[[str | None], "tuple[RowMap, bool] | None"]
"""Given a sheet title from a reference (None: the formula's own sheet), return that
sheet's row map and whether it is the formula's own sheet, or None when rows do not move."""


def _row(text: str) -> tuple[bool, int]:
    return text.startswith("$"), int(text.lstrip("$"))


def _fmt(absolute: bool, row: int) -> str:
    return f"{'$' if absolute else ''}{row}"


def rewrite_reference(ref: str, resolve: Resolver, home: Home | None = None) -> str:
    """Return one range operand (``D7``, ``'Ark 1'!$D$7:$D$9``, ``7:9``) after expansion."""
    match = _CELL_RE.match(ref) or _ROWS_RE.match(ref)
    if match is None:
        return ref
    groups = match.groupdict()
    sheet = groups["sheet"]
    title = sheet[1:-1].replace("''", "'") if sheet and sheet.startswith("'") else sheet
    found = resolve(title)
    if found is None:
        return ref
    rowmap, own_sheet = found
    abs1, row1 = _row(groups["r1"])
    abs2, row2 = _row(groups["r2"]) if groups.get("r2") else (abs1, row1)
    local_home = home if own_sheet and not (abs1 and abs2) else None
    spanned = rowmap.span(row1, row2, local_home)
    if spanned is None:
        return REF_ERROR
    prefix = f"{sheet}!" if sheet else ""
    first, last = spanned
    if "c1" not in groups:
        return f"{prefix}{_fmt(abs1, first)}:{_fmt(abs2, last)}"
    col1 = groups["c1"]
    col2 = groups.get("c2") or col1
    if groups.get("r2") is None and first == last:
        return f"{prefix}{col1}{_fmt(abs1, first)}"
    return f"{prefix}{col1}{_fmt(abs1, first)}:{col2}{_fmt(abs2, last)}"


def rewrite_formula(formula: str, resolve: Resolver, home: Home | None = None) -> str:
    """Return ``formula`` (starting with ``=``) with every cell reference moved."""
    tokenizer = Tokenizer(formula)
    if not tokenizer.items or tokenizer.items[0].type == Token.LITERAL:
        return formula
    out = ["="]
    for token in tokenizer.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            out.append(rewrite_reference(token.value, resolve, home))
        else:
            out.append(token.value)
    return "".join(out)


def rewrite_expression(text: str, resolve: Resolver, home: Home | None = None) -> str:
    """Like :func:`rewrite_formula` for text stored without ``=`` (validations, names)."""
    return rewrite_formula("=" + text, resolve, home)[1:]
