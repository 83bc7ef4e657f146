"""Word template checks (see :mod:`docgen.templates.lint`).

docxtpl renders the main document part, the headers and footers it relates, and the
footnotes. For each of those parts this module reads every paragraph's text (the
``w:t`` runs joined, as the consultant sees it), finds the Jinja tags in it, and turns
them into :class:`~docgen.templates.names.Tag` objects in reading order, applying docxtpl's
own preprocessing (``{%p``/``{%tr``/``{%tc``/``{%r`` prefixes, ``colspan``/``cellbg``/
``vm``/``hm``, typographic “ ” ‘ ’ made straight, ``&`` left as ``&amp;``). On top of
the shared Jinja checks it finds what is specific to Word:

- a tag that starts in one paragraph and ends in another;
- a tag split across runs by something docxtpl's clean-up cannot remove safely (a
  field, a tracked change, a hyperlink, a content control, an image, a comment);
- tracked changes in a rendered part (docxtpl renders deleted text too);
- a ``{% for %}`` or ``{% if %}`` whose end is in another table cell (docxtpl needs
  ``{%tr … %}`` rows), row/column tags outside a table, ``{%tr``/``{%p`` tags sharing
  their row/paragraph with text that would be lost;
- ``%`` or ``}`` inside a ``{%p``/``{%tr`` tag (docxtpl's regex then misses it);
- and, after all that, whatever still breaks when docxtpl's real ``patch_xml`` is run
  on the part and the result compiled: the final word on what docxtpl accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment, TemplateSyntaxError
from lxml import etree

from docgen.templates.findings import Finding, Knowledge, Tag, shorten
from docgen.templates.findings import syntax_message as _syntax
from docgen.templates.tags import check_tags

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPEN_RE = re.compile(r"\{\{|\{%|\{#")
_CLOSE_RE = re.compile(r"\}\}|%\}|#\}")
_PREFIX_RE = re.compile(r"^(\{\{|\{%|\{#)(tr|tc|p|r) (.*)$", re.S)
_SPECIAL_RE = re.compile(r"^\{%-?\s*(colspan|cellbg|vm|hm)\b(.*?)-?%\}$", re.S)
_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_HARMLESS = {f"{W}{n}" for n in (
    "r", "t", "tab", "br", "proofErr", "bookmarkStart", "bookmarkEnd", "rPr",
    "lastRenderedPageBreak", "softHyphen", "noBreakHyphen", "permStart", "permEnd",
)}
_BREAKERS = {
    "ins": "a tracked change", "del": "a tracked change", "moveFrom": "a tracked change",
    "moveTo": "a tracked change", "fldChar": "a field", "instrText": "a field",
    "fldSimple": "a field", "hyperlink": "a hyperlink", "sdt": "a content control",
    "sdtContent": "a content control", "drawing": "an image", "pict": "an image",
    "object": "an embedded object", "footnoteReference": "a footnote",
    "endnoteReference": "an endnote", "commentRangeStart": "a comment",
    "commentRangeEnd": "a comment", "commentReference": "a comment",
    "smartTag": "a smart tag",
}
_TRACKED = tuple(f"{W}{n}" for n in ("ins", "del", "moveFrom", "moveTo"))


@dataclass(frozen=True)
class TagInfo:
    """Where a Word tag sits, for the structural checks."""

    prefix: str | None
    para: str
    """A key unique to the paragraph."""
    para_text: str
    cell: str | None
    row: str | None
    table: str | None


@dataclass
class Para:
    """One paragraph: its text, the ``w:t`` elements it came from, and where it is."""

    element: etree._Element
    text: str
    runs: list[tuple[etree._Element, int, int]]
    place: str
    cell: str | None
    row: str | None
    table: str | None


def _index(parent: etree._Element, child: etree._Element, tag: str) -> int:
    return [c for c in parent if c.tag == tag].index(child) + 1


def _place(p: etree._Element, root: etree._Element) -> tuple[str, str | None, str | None,
                                                              str | None]:
    """(description, cell key, row key, table key) of a paragraph."""
    path = p.getroottree().getpath
    chain: list[str] = []
    cell = row = table = None
    node = p
    top = p
    while node is not None and node is not root:
        parent = node.getparent()
        if node.tag == f"{W}tc" and parent is not None and parent.getparent() is not None:
            tbl = parent.getparent()
            container = tbl.getparent()
            numbers = (_index(container, tbl, f"{W}tbl") if container is not None else 1,
                       _index(tbl, parent, f"{W}tr"), _index(parent, node, f"{W}tc"))
            chain.append("table {}, row {}, cell {}".format(*numbers))
            if cell is None:
                cell, row, table = path(node), path(parent), path(tbl)
        elif node.tag == f"{W}txbxContent":
            chain.append("text box")
        if parent is root:
            top = node
        node = parent
    if top.tag == f"{W}p" and not any(c.startswith("table") for c in chain):
        chain.append(f"paragraph {_index(root, top, f'{W}p')}")
    return " › ".join(reversed(chain)) or "paragraph", cell, row, table


def paragraphs(root: etree._Element) -> list[Para]:
    """Every paragraph under ``root`` (body, header or footer) with its text."""
    owned: dict[etree._Element, list[etree._Element]] = {}
    order: list[etree._Element] = []
    for t in root.iter(f"{W}t"):
        p = next((a for a in t.iterancestors(f"{W}p")), None)
        if p is None:
            continue
        if p not in owned:
            owned[p] = []
            order.append(p)
        owned[p].append(t)
    out = []
    for p in order:
        runs, text = [], ""
        for t in owned[p]:
            piece = t.text or ""
            runs.append((t, len(text), len(text) + len(piece)))
            text += piece
        place, cell, row, table = _place(p, root)
        out.append(Para(p, text, runs, place, cell, row, table))
    return out


def _normalise(raw: str) -> tuple[str, str | None, str | None]:
    """docxtpl's view of one tag: (Jinja source, prefix, problem)."""
    problem = None
    prefix = None
    source = raw
    found = _PREFIX_RE.match(raw)
    if found and not (found.group(1) == "{#" and found.group(2) == "r"):
        prefix = found.group(2)
        rest = found.group(3)
        closing = "#}" if found.group(1) == "{#" else None
        allowed = r"[^}#]*#\}" if closing else r"[^}%]*(?:%\}|\}\})"
        if not re.fullmatch(allowed, rest, re.S):
            problem = (f"docxtpl cannot read a {found.group(1)}{prefix} … tag holding '%' or '}}' "
                       "(e.g. the % operator or a {…} mapping); compute the value first with "
                       "{% set … %} in a tag of its own")
        source = f"{found.group(1)} {rest}"
    special = _SPECIAL_RE.match(source)
    if special:
        word, rest = special.group(1), special.group(2).strip()
        source = "{{ loop.first }}" if word in ("vm", "hm") else f"{{{{ {rest or 'none'} }}}}"
    if not source.startswith("{#"):
        source = source.translate(_SMART).replace("&", "&amp;")
    return source, prefix, problem


@dataclass
class PartTags:
    """The tags of one part and the problems found while reading them."""

    tags: list[Tag]
    findings: list[Finding]
    paras: list[Para]


def read_part(root: etree._Element, part: str) -> PartTags:
    """Collect the tags of a rendered part in reading order, with paragraph-level problems."""
    paras = paragraphs(root)
    order = {t: i for i, t in enumerate(root.iter(f"{W}t"))}
    placed: list[tuple[int, Tag]] = []
    findings: list[Finding] = []
    for para in paras:
        where = f"{part}, {para.place}"
        key = para.element.getroottree().getpath(para.element)
        blank = para.text
        for match in _TAG_RE.finditer(para.text):
            raw = match.group(0)
            source, prefix, problem = _normalise(raw)
            info = TagInfo(prefix, key, para.text, para.cell, para.row, para.table)
            first = next(t for t, a, b in para.runs if b > match.start())
            tag = Tag(source, where, raw, info, order[first])
            placed.append((order[first], tag))
            blank = blank[: match.start()] + " " * len(raw) + blank[match.end():]
            if problem:
                findings.append(Finding(tag, problem))
            if "&" in raw and not raw.startswith("{#"):
                findings.append(Finding(tag, "'&' inside a tag reaches Jinja as '&amp;' "
                                             "(docxtpl does not unescape it); write 'og' instead"))
            findings.extend(Finding(tag, m) for m in _split_problems(para, match))
        stray = _OPEN_RE.search(blank) or _CLOSE_RE.search(blank)
        if stray:
            first = next(t for t, a, b in para.runs if b > stray.start())
            here = Tag("", where, para.text,
                       TagInfo(None, key, para.text, para.cell, para.row, para.table), order[first])
            what = ("starts here but does not end in the same paragraph; keep a whole tag in "
                    "one paragraph" if _OPEN_RE.match(stray.group(0))
                    else "ends here without a matching start in the same paragraph")
            findings.append(Finding(here, f"a tag '{stray.group(0)}…' {what}"))
    placed.sort(key=lambda pair: pair[0])
    tags = [tag for _, tag in placed]
    findings.extend(_structure(tags, paras))
    return PartTags(tags, findings, paras)


def _split_problems(para: Para, match: re.Match[str]) -> Iterator[str]:
    """What lies between the pieces of a tag split across runs that docxtpl would break."""
    pieces = [t for t, a, b in para.runs if a < match.end() and b > match.start()]
    if len(pieces) < 2:  # noqa: PLR2004
        return
    parents = {id(t.getparent().getparent()) for t in pieces if t.getparent() is not None}
    inside: list[str] = []
    started = False
    for el in para.element.iter():
        if el is pieces[0]:
            started = True
            continue
        if el is pieces[-1]:
            break
        if not started or el in pieces or not isinstance(el.tag, str):
            continue
        if any(a.tag == f"{W}rPr" for a in el.iterancestors()) or el.tag in _HARMLESS:
            continue
        inside.append(_BREAKERS.get(etree.QName(el).localname, f"<w:{etree.QName(el).localname}>"))
    if len(parents) > 1 and not inside:
        inside.append("a change of formatting container (hyperlink, tracked change …)")
    if inside:
        what = ", ".join(dict.fromkeys(inside))
        yield (f"the tag is split by {what}, which docxtpl cannot repair; delete the whole tag "
               "and type it again in one go" + (" (accept or reject tracked changes first)"
                                               if "tracked" in what else ""))


def _structure(tags: list[Tag], paras: list[Para]) -> Iterator[Finding]:
    """Row/paragraph tags in the wrong place or sharing their element with other text."""
    row_text: dict[str, str] = {}
    for para in paras:
        if para.row:
            row_text[para.row] = row_text.get(para.row, "") + " " + para.text
    seen: set[tuple[str, str]] = set()
    for tag in tags:
        info: TagInfo = tag.info
        if info.prefix in ("tr", "tc") and info.cell is None:
            yield Finding(tag, f"the {{%{info.prefix} … %}} tag must be inside a table "
                               f"{'row' if info.prefix == 'tr' else 'cell'}")
            continue
        if info.prefix not in ("p", "tr"):
            continue
        key = info.row if info.prefix == "tr" and info.row else info.para
        host = "row" if info.prefix == "tr" else "paragraph"
        if (info.prefix, key) in seen:
            yield Finding(tag, f"only one {{%{info.prefix} … %}} tag per {host}: docxtpl keeps "
                               "the first and drops this one; give it a " + host + " of its own")
            continue
        seen.add((info.prefix, key))
        text = row_text.get(key, "") if info.prefix == "tr" else info.para_text
        rest = " ".join(_TAG_RE.sub(" ", text).split())
        if rest:
            yield Finding(tag, f"the {host} holding {{%{info.prefix} … %}} is removed when the "
                               f"document is made, so its other text is lost: "
                               f"\"{shorten(rest, 40)}\"; give the tag a {host} of its own")


def table_loops(tags: list[Tag], pairs: list[tuple[int, int]]) -> Iterator[Finding]:
    """Blocks whose start and end sit in different table cells without ``{%tr``."""
    for i, j in pairs:
        opener, closer = tags[i], tags[j]
        kind = opener.opens
        a, b = opener.info, closer.info
        if kind not in ("for", "if") or not isinstance(a, TagInfo) or not isinstance(b, TagInfo):
            continue
        if (a.prefix in ("tr", "tc") and a.cell is None) or (
                b.prefix in ("tr", "tc") and b.cell is None):
            continue
        if "tr" in (a.prefix, b.prefix):
            if a.prefix != b.prefix:
                yield Finding(opener, f"a {{%tr {kind} … %}} row must be closed by a "
                                      f"{{%tr end{kind} %}} row (found a plain tag at "
                                      f"{closer.where})")
            elif a.table != b.table:
                yield Finding(opener, f"this {{%tr {kind} %}} ends in another table "
                                      f"({closer.where})")
            continue
        if "tc" in (a.prefix, b.prefix):
            if a.prefix != b.prefix or a.row != b.row:
                yield Finding(opener, f"a {{%tc {kind} … %}} must end with {{%tc end{kind} %}} "
                                      "in the same row")
            continue
        if a.cell == b.cell:
            continue
        if kind == "for":
            yield Finding(opener, "a {% for %} loop in a table must repeat whole rows: put "
                                  "{%tr for … %} and {%tr endfor %} each alone in a row of "
                                  f"its own (this loop ends at {closer.where}); a plain loop "
                                  "across cells breaks the table")
        else:
            yield Finding(opener, "an {% if %} that ends in another table cell breaks the table "
                                  f"(it ends at {closer.where}); use {{%tr if … %}} and "
                                  "{%tr endif %} rows, or keep the if inside one cell")


def tracked_changes(root: etree._Element, part: str) -> Finding | None:
    """One finding for a part with tracked changes (docxtpl renders deleted text too)."""
    changes = [el for el in root.iter(*_TRACKED)]
    if not changes:
        return None
    p = next(changes[0].iterancestors(f"{W}p"), None)
    place = _place(p, root)[0] if p is not None else "body"
    text = "".join(changes[0].itertext())
    where = f"{part}, {place}"
    return Finding(Tag("", where, text),
                   f"the part has {len(changes)} tracked change(s); docxtpl renders deleted "
                   "text too: accept or reject all changes (Review → Accept All) and turn "
                   "Track Changes off")


def docxtpl_check(xml: str, paras: list[Para], part: str, env: Environment) -> Finding | None:
    """Run docxtpl's own ``patch_xml`` on the part and compile it, as a render would."""
    from docxtpl import DocxTemplate  # noqa: PLC0415

    patched = DocxTemplate.patch_xml(DocxTemplate.__new__(DocxTemplate), xml)
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
    try:
        env.parse(lines)
    except TemplateSyntaxError as exc:
        line = lines.splitlines()[(exc.lineno or 1) - 1] if lines else ""
        text = re.sub(r"<[^>]+>", "", line)
        tags = [m.group(0) for m in _TAG_RE.finditer(text)]
        where = part
        for para in paras:
            if any(t in para.text.translate(_SMART) for t in tags) or (text and text in para.text):
                where = f"{part}, {para.place}"
                break
        snippet = tags[-1] if tags else text
        return Finding(Tag("", where, snippet),
                       f"docxtpl cannot prepare this part: {_syntax(exc, word=True)}")
    stripped = _TAG_RE.sub("", patched)
    try:
        etree.fromstring(stripped.encode("utf-8"), etree.XMLParser(recover=False,
                                                                    resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return Finding(Tag("", part, ""),
                       f"docxtpl's clean-up of split tags breaks this part's XML ({exc.msg}); "
                       "retype the tags that Word split across formatting changes")
    return None


def check_part(root: etree._Element, xml: str, part: str, know: Knowledge) -> list[Finding]:
    """Every check on one rendered part (``xml`` is the text docxtpl would patch)."""
    read = read_part(root, part)
    findings = list(read.findings)
    tracked = tracked_changes(root, part)
    if tracked:
        findings.append(tracked)
    checked = check_tags(read.tags, know, word=True)
    findings.extend(checked.findings)
    findings.extend(table_loops(checked.tags, checked.pairs))
    if not findings:
        real = docxtpl_check(xml, read.paras, part, know.env)
        if real:
            findings.append(real)
    return sorted(findings, key=lambda f: f.tag.order)
