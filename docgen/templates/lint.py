"""The template linter (``docgen templates check``): every problem, each with its place.

:func:`lint_templates` checks the templates a build would use: for every template
named in ``configs/documents.yaml``, the first one found along the template folders
(an organisation's folder first, then the shipped one: :func:`docgen.settings.find_template`
semantics), plus any other Word/Excel file in those folders. Each template is checked
against the context of its document kind (the ``for:`` of the documents using it:
``case``, ``panel`` or ``applicant``), so a letter that uses ``sheet_applicants`` is
flagged. Nothing is rendered and nothing is written.

Package checks, for both formats: macros (``vbaProject.bin``, ``.docm``/``.xlsm``),
embedded OLE objects and ActiveX controls, external relationships other than hyperlinks
(``attachedTemplate``, linked images, mail-merge sources, external workbooks), Jinja in
a link address, Jinja in the document properties (``docProps/*.xml``), which docgen never
fills in and which must not carry case data. The text checks are in
:mod:`docgen.templates.docx_checks` and :mod:`docgen.templates.xlsx_checks`, on top of
the shared tag checks (:mod:`docgen.templates.tags`) and name checks
(:mod:`docgen.templates.names`).

Every problem is an :class:`~docgen.errors.Issue`: ``file`` is the template path
relative to its folder (``docx/stillingsopslag.docx``), ``line`` is None, ``field`` is
the part and place (``word/document.xml, table 2, row 3, cell 1`` or ``Kriterier!B7``),
and ``message`` says what is wrong, then quotes the tag or text it is about.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from lxml import etree

from docgen.errors import Issue
from docgen.jinja import make_env
from docgen.limits import Limits
from docgen.settings import Settings
from docgen.templates.bounds import package_problems
from docgen.templates.findings import Finding, Knowledge, shorten
from docgen.templates.variables import Node, Variable, name_tree, template_variables
from docgen.templates.vocabulary import KINDS, RENDER_EXTRAS

WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
MACRO_SUFFIXES = (".docm", ".dotm", ".xlsm", ".xltm")
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_JINJA = re.compile(r"\{\{|\{%|\{#")
_JINJA_BYTES = re.compile(rb"\{\{|\{%|\{#")
_OLE = re.compile(r"(^|/)(embeddings/.*\.bin$|oleObject\d*\.bin$|activeX/)", re.I)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_KIND_SHORT = {
    "case": "documents made once per case (for: case)",
    "panel": "documents made per panel member (for: panel)",
    "applicant": "documents made per applicant (for: applicant)",
    "hired": "documents made per hired applicant (select: hired)",
    "summary": "the panel's summary (docgen collect)",
}


@dataclass(frozen=True)
class InUse:
    """A template a build would use."""

    relative: str
    """Its path under a template folder, e.g. ``docx/stillingsopslag.docx``."""
    path: Path | None
    """The file found first along the folders (None: missing)."""
    kinds: tuple[str, ...]
    """The document kinds using it (``posting`` …); empty for a file no document uses."""
    contexts: tuple[str, ...]
    """Their contexts (``case``, ``panel``, ``applicant``); ``("any",)`` when unused."""


def templates_in_use(settings: Settings, template_dir: Path | None = None) -> list[InUse]:
    """The templates named in the configuration, and every other Word/Excel file in the folders."""
    dirs = _unique_dirs([template_dir, *settings.template_dirs] if template_dir
                        else list(settings.template_dirs))
    uses: dict[str, list[str]] = {}
    contexts: dict[str, set[str]] = {}
    for spec in settings.documents:
        if spec.template:
            uses.setdefault(spec.template, []).append(spec.kind)
            # The person hired gets their own context (the job start); rejected ones do not.
            kind = "hired" if spec.select == "hired" else spec.for_
            contexts.setdefault(spec.template, set()).add(kind)
    uses.setdefault(settings.collect.template, []).append("scoresheet-summary")
    contexts.setdefault(settings.collect.template, set()).add("summary")
    for folder in dirs:  # templates sit in the folder or one level down (docx/, xlsx/)
        for path in sorted([*folder.glob("*"), *folder.glob("*/*")]):
            if path.suffix.lower() in WORD_SUFFIXES + EXCEL_SUFFIXES and path.is_file() \
                    and not path.name.startswith("~$"):
                uses.setdefault(path.relative_to(folder).as_posix(), [])
    out = []
    for rel in sorted(uses):
        first = next((d / rel for d in dirs if (d / rel).is_file()), None)
        found = tuple(sorted(contexts.get(rel, set()), key=KINDS.index)) or ("any",)
        out.append(InUse(rel, first, tuple(dict.fromkeys(uses[rel])), found))
    return out


def lint_templates(
    settings: Settings, template_dir: Path | None = None, *, only_used: bool = False
) -> list[Issue]:
    """Check every template a build with ``settings`` would use; return every problem.

    ``template_dir`` is an organisation's folder laid over ``settings.template_dirs``.
    ``only_used`` skips files no document is configured to use (a build's check; the
    ``templates check`` command looks at every file in the folders).
    """
    from docgen.templates.lintcache import cached, lint_key  # noqa: PLC0415

    variables = template_variables(settings)
    # the limits decide which package is refused, so they are part of what a result depends on
    vocabulary = repr(variables) + repr(settings.limits)
    issues: list[Issue] = []
    for used in templates_in_use(settings, template_dir):
        if only_used and not used.kinds:
            continue
        if used.path is None:
            issues.append(Issue(used.relative, None, None, "configs/documents.yaml",
                                "template not found in any template folder"))
            continue
        path, rel, kinds, doc_kinds = used.path, used.relative, used.contexts, used.kinds
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is None:  # lint_file says what is wrong with it
            issues.extend(lint_file(path, rel, list(kinds), list(doc_kinds), variables,
                                    limits=settings.limits))
            continue
        key = lint_key(data, rel, kinds, doc_kinds, vocabulary)
        issues.extend(cached(key, partial(lint_file, path, rel, list(kinds), list(doc_kinds),
                                          variables, limits=settings.limits)))
    return issues


def _unique_dirs(dirs: list[Path | None]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d is not None and d.is_dir() and all(d.resolve() != o.resolve() for o in out):
            out.append(d)
    return out


def knowledge(variables: list[Variable], kind: str, doc_kinds: list[str], *,
              word: bool = True) -> Knowledge:
    """What a template of ``kind`` (case/panel/applicant, or ``any``) may use.

    ``word=False`` is for Excel: no autoescaping, and none of the Word renderer's extras.
    """
    env = make_env(autoescape=word)
    if not word:
        variables = [v for v in variables if v.path not in RENDER_EXTRAS]
    if kind == "any":
        roots = Node("mapping", path="")
        for k in KINDS:
            roots.children.update(name_tree(variables, k).children)
        label = "this template"
        return Knowledge(kind, label, roots, {}, env)
    what = " and ".join(doc_kinds) if doc_kinds else "this"
    label = f"a {what} template ({_KIND_SHORT[kind].split(' (')[0]})"
    others = {k: (_KIND_SHORT[k], name_tree(variables, k)) for k in KINDS if k != kind}
    return Knowledge(kind, label, name_tree(variables, kind), others, env)


def lint_file(path: Path, rel: str, kinds: list[str], doc_kinds: list[str],
              variables: list[Variable] | None = None, *,
              limits: Limits | None = None) -> list[Issue]:
    """Check one template file for the given context kinds; return its problems.

    The file's size and structure are checked first (:mod:`docgen.templates.bounds`):
    nothing else reads a file that fails them.
    """
    variables = variables if variables is not None else template_variables()
    issues: list[Issue] = []
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        issues.append(Issue(rel, None, None, "file",
                            f"a macro-enabled file ({suffix}); save the template as "
                            f"{'.docx' if suffix.startswith('.d') else '.xlsx'} without macros"))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        kind = "Word" if suffix in WORD_SUFFIXES else "Excel"
        return [*issues, Issue(rel, None, None, "file",
                               f"cannot be opened as a {kind} file (is it saved in the "
                               f"{'.docx' if kind == 'Word' else '.xlsx'} format?)")]
    with archive:
        problems = package_problems(path, limits or Limits(), excel=suffix in EXCEL_SUFFIXES)
        if problems:
            return [*issues, *(Issue(rel, None, None, "file", p) for p in problems)]
        issues.extend(_as_issues(rel, list(_package(archive))))
        findings: list[Finding] = []
        for kind in kinds:
            know = knowledge(variables, kind, doc_kinds)
            if suffix in WORD_SUFFIXES:
                findings.extend(_word(archive, know))
        if suffix in EXCEL_SUFFIXES:
            from docgen.templates.xlsx_checks import check_workbook  # noqa: PLC0415

            for kind in kinds:
                know = knowledge(variables, kind, doc_kinds, word=False)
                findings.extend(check_workbook(path, know))
    issues.extend(_as_issues(rel, findings))
    return list(dict.fromkeys(issues))


def _as_issues(rel: str, findings: list[Finding]) -> list[Issue]:
    out = []
    for f in findings:
        snippet = shorten(f.tag.snippet) if f.tag.snippet.strip() else ""
        message = f"{f.message} — in \"{snippet}\"" if snippet else f.message
        out.append(Issue(rel, None, None, f.tag.where, message))
    return out


def _finding(where: str, message: str, snippet: str = "") -> Finding:
    from docgen.templates.findings import Tag  # noqa: PLC0415

    return Finding(Tag("", where, snippet), message)


def _package(archive: zipfile.ZipFile) -> Iterator[Finding]:
    """Macros, OLE objects, external relationships and Jinja in document properties."""
    for name in archive.namelist():
        lower = name.lower()
        if lower.endswith("vbaproject.bin"):
            yield _finding(name, "the file carries macros; templates must not (save it as "
                                 ".docx/.xlsx without macros)")
        elif _OLE.search(name):
            yield _finding(name, "an embedded OLE object or ActiveX control; templates must "
                                 "not carry active content (delete it, or paste it as a picture)")
        elif lower.endswith(".rels"):
            yield from _relationships(archive, name)
        elif lower.startswith("docprops/") and lower.endswith(".xml"):
            for el in _xml(archive, name).iter():
                if isinstance(el.tag, str) and el.text and _JINJA.search(el.text):
                    prop = etree.QName(el).localname
                    parent = el.getparent()
                    if parent is not None and prop in ("lpwstr", "lpstr"):
                        prop = str(parent.get("name", prop))
                    yield _finding(name, f"the document property '{prop}' holds Jinja, which "
                                         "docgen never fills in (and properties must not carry "
                                         "case data); clear it (File → Info → Properties)",
                                   el.text)
        elif name.startswith("xl/externalLinks/"):
            yield _finding(name, "a link to another workbook; opening a made document would "
                                 "fetch it (Data → Edit Links → Break Link)")


def _relationships(archive: zipfile.ZipFile, name: str) -> Iterator[Finding]:
    for rel in _xml(archive, name).iter(_PKG):
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if _JINJA.search(target):
            yield _finding(name, f"Jinja in a {kind} address is never filled in", target)
        if rel.get("TargetMode") == "External" and kind != "hyperlink":
            yield _finding(name, f"an external {kind} reference: every made document would "
                                 "fetch it from elsewhere when opened; remove it (e.g. "
                                 "Developer → Document Template, or re-insert linked pictures "
                                 "as embedded)", target)


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name), _PARSER)
    except etree.XMLSyntaxError:
        return etree.Element("broken")


def _word(archive: zipfile.ZipFile, know: Knowledge) -> Iterator[Finding]:
    from docgen.templates.docx_checks import W, check_part  # noqa: PLC0415

    main = _main_part(archive)
    if main is None:
        yield _finding("file", "no main document part; is this a Word file?")
        return
    rendered = [main, *_related(archive, main, ("header", "footer", "footnotes"))]
    for part in rendered:
        root = _xml(archive, part)
        if root.tag == "broken":
            yield _finding(part, "the part's XML is broken; open and re-save the file in Word")
            continue
        body = root.find(f"{W}body") if part == main else root
        source = body if body is not None else root
        xml = etree.tostring(source, encoding="unicode")
        yield from check_part(source, xml, part, know)
    for name in archive.namelist():
        if name.startswith("word/") and name.endswith(".xml") and name not in rendered:
            if not _JINJA_BYTES.search(archive.read(name)):
                continue
            text = "".join(_xml(archive, name).itertext())
            found = _JINJA.search(text)
            if found:
                yield _finding(name, "Jinja here is never filled in: docgen fills the body, "
                                     "headers, footers and footnotes only",
                               text[max(0, found.start() - 20): found.start() + 50])


def _main_part(archive: zipfile.ZipFile) -> str | None:
    try:
        root = etree.fromstring(archive.read("_rels/.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return None
    for rel in root.iter(_PKG):
        if rel.get("Type", "").endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return None


def _related(archive: zipfile.ZipFile, part: str, kinds: tuple[str, ...]) -> list[str]:
    folder, _, base = part.rpartition("/")
    rels = f"{folder}/_rels/{base}.rels"
    if rels not in archive.namelist():
        return []
    out = []
    for rel in _xml(archive, rels).iter(_PKG):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind in kinds and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            if path in archive.namelist():
                out.append(path)
    return out


__all__ = ["InUse", "knowledge", "lint_file", "lint_templates", "templates_in_use"]
