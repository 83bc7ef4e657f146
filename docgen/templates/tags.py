"""Tag-level checks of the template linter: each tag alone, then the blocks they form.

Each tag is checked on its own (syntax, typographic quotes, tags docgen does not offer),
a broken tag is replaced by a stand-in that keeps its place in the block structure, the
block tags are paired (``for``/``endfor`` …), and the names are checked by
:func:`docgen.templates.names.analyse`. :func:`check_tags` does all of it, parsing each tag
alone only when the tags do not parse together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import Environment, TemplateSyntaxError, nodes

from docgen.templates.findings import OPENERS, Finding, Knowledge, Tag, shorten, syntax_message
from docgen.templates.names import analyse, stream

MIDDLES = {"elif": ("if",), "else": ("if", "for")}
FORBIDDEN = ("include", "import", "from", "extends")
_STRUCTURE = re.compile(r"^\{%[-+]?\s*(?:(?:tr|tc|p|r)\s+)?([A-Za-z_]\w*)")
_DUMMIES = {
    "for": "{% for _ in () %}", "if": "{% if true %}", "elif": "{% elif true %}",
    "else": "{% else %}", "macro": "{% macro _m() %}", "call": "{% call range() %}",
    "filter": "{% filter upper %}", "with": "{% with %}", "autoescape": "{% autoescape true %}",
    "block": "{% block _b %}",
}


def stand_in(tag: Tag) -> Tag | None:
    """A syntactically valid tag keeping a broken tag's place in the block structure."""
    found = _STRUCTURE.match(tag.source)
    word = found.group(1) if found else None
    if word is None:
        return None
    loop = re.search(r"\bfor\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\b", tag.source)
    if word.startswith("end") and word[3:] in OPENERS:
        source = f"{{% {word} %}}"
    elif word == "for" and loop:
        source = f"{{% for {loop.group(1)} in () %}}"
    elif word in _DUMMIES:
        source = _DUMMIES[word]
    else:
        return None
    return Tag(source, tag.where, tag.snippet, None, tag.order)


def without_broken(tags: list[Tag], broken: list[Finding]) -> list[Tag]:
    """``tags`` with each broken one replaced by its stand-in (or dropped)."""
    bad = {id(f.tag) for f in broken}
    out = []
    for tag in tags:
        if id(tag) not in bad:
            out.append(tag)
        elif (dummy := stand_in(tag)) is not None:
            out.append(dummy)
    return out


def check_tag(tag: Tag, env: Environment, *, word: bool) -> str | None:
    """The syntax problem of one tag on its own, if any."""
    source = tag.source
    if source.startswith("{#"):
        return None
    word_ = tag.keyword
    if source.startswith("{%"):
        if word_ is None:
            return "an empty {% %} tag"
        if word_ in FORBIDDEN:
            return (f"{{% {word_} %}} is not available: a docgen template is one file "
                    "(copy the text in, or use a {% macro %})")
        if word_.startswith("end") or word_ == "raw":
            if not re.fullmatch(r"\{%[-+]?\s*\w+\s*[-+]?%\}", source):
                return f"unexpected text in {{% {word_} %}}"
            return None
        opens = tag.opens
        if opens is not None:
            source = f"{source}{{% {OPENERS[opens]} %}}"
        elif word_ in MIDDLES:
            source = f"{{% if true %}}{source}{{% endif %}}"
    try:
        env.parse(source)
    except TemplateSyntaxError as exc:
        return syntax_message(exc, word=word)
    return None


def match_blocks(tags: list[Tag]) -> tuple[list[tuple[int, int]], list[Finding]]:
    """Pair block openers with their closers; report what does not pair."""
    pairs: list[tuple[int, int]] = []
    found: list[Finding] = []
    stack: list[int] = []
    in_raw = False
    for i, tag in enumerate(tags):
        word = tag.keyword
        if in_raw or word is None:
            in_raw = in_raw and word != "endraw"
            continue
        opens = tag.opens
        if opens is not None:
            stack.append(i)
            in_raw = opens == "raw"
        elif word in MIDDLES:
            if not stack or tags[stack[-1]].opens not in MIDDLES[word]:
                found.append(Finding(tag, f"{{% {word} %}} outside an {{% if %}} block"))
        elif word.startswith("end") and word[3:] in OPENERS:
            _close_block(tags, i, stack, pairs, found)
    for i in stack:
        opens = tags[i].opens or ""
        found.append(Finding(tags[i], f"this {{% {opens} %}} is never closed with "
                                      f"{{% {OPENERS[opens]} %}}"))
    return pairs, found


def _close_block(tags: list[Tag], i: int, stack: list[int], pairs: list[tuple[int, int]],
                 found: list[Finding]) -> None:
    word = tags[i].keyword or ""
    block = word[3:]
    if not stack:
        found.append(Finding(tags[i], f"{{% {word} %}} without a matching {{% {block} %}}"))
        return
    top = tags[stack[-1]]
    if top.opens != block:
        found.append(Finding(tags[i], f"{{% {word} %}} closes the {{% {top.opens} %}} at "
                                      f"{top.where} (\"{shorten(top.snippet, 40)}\")"))
        if not any(tags[j].opens == block for j in stack):
            return
        while tags[stack[-1]].opens != block:
            stack.pop()
    pairs.append((stack.pop(), i))


@dataclass
class Checked:
    """What :func:`check_tags` found."""

    findings: list[Finding]
    tags: list[Tag]
    """The tags after broken ones were replaced by stand-ins."""
    pairs: list[tuple[int, int]]
    """Block openers and closers (indexes into ``tags``)."""
    balanced: bool


def check_tags(tags: list[Tag], know: Knowledge, *, word: bool) -> Checked:
    """Syntax, block structure and names of a run of tags (one part, or one cell).

    When the tags parse together (the usual case) each tag is not parsed again alone.
    """
    tree: nodes.Template | None
    try:
        tree = know.env.parse(stream(tags)) if tags else None
    except TemplateSyntaxError:
        tree = None
        syntax = [Finding(t, m) for t in tags if (m := check_tag(t, know.env, word=word))]
    else:
        syntax = [Finding(t, m) for t in tags
                  if t.keyword in FORBIDDEN and (m := check_tag(t, know.env, word=word))]
    good = without_broken(tags, syntax)
    pairs, unmatched = match_blocks(good)
    findings = [*syntax, *unmatched]
    if not unmatched:
        findings.extend(analyse(good, know, word=word, tree=tree if not syntax else None))
    return Checked(findings, good, pairs, not unmatched)
