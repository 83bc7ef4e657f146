"""The render stage: one job in, the document's bytes out, by template type.

A template used for many recipients (letters) is compiled once; Excel templates go
through the xlsx engine with the same filters; a print file joins documents already
rendered in this build.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.case.model import Case
from docgen.errors import RenderError
from docgen.jinja import BoundedEnvironment, make_env
from docgen.pack.plan import Job
from docgen.settings import Settings
from docgen.word.package import normalise_package, zip_bytes
from docgen.word.printfile import Signature, combine_docx, read_part, signature

if TYPE_CHECKING:
    from docgen.word.compiled import CompiledTemplate

# python-docx, docxtpl and openpyxl load only when a document of theirs is made (a case
# without letters needs no fast path, `docgen validate` none of them).

_LOGO_TAG = re.compile(r"\{\{-?\s*logo\s*-?\}\}")


def embed_logo(path: Path, logo: Path) -> None:
    """Put the logo into the headers of a template copy, where ``{{ logo }}`` stands.

    Letters are rendered by the fast path, which keeps a template's own images but adds
    none; so the logo becomes part of the template once, before it is compiled.
    """
    from docx import Document  # noqa: PLC0415
    from docx.shared import Mm  # noqa: PLC0415

    from docgen.word.render import LOGO_HEIGHT_MM  # noqa: PLC0415

    doc = Document(str(path))
    for section in doc.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            paragraphs = list(header.paragraphs)
            for table in header.tables:
                paragraphs.extend(p for row in table.rows for c in row.cells for p in c.paragraphs)
            for paragraph in paragraphs:
                for run in paragraph.runs:
                    if _LOGO_TAG.search(run.text):
                        run.text = ""
                        run.add_picture(str(logo), height=Mm(LOGO_HEIGHT_MM))
    doc.save(str(path))


class Renderer:
    """Renders the jobs of one build, remembering what it made for the print files."""

    def __init__(self, case: Case, case_dir: Path, settings: Settings, created: dt.datetime,
                 scratch: Path):
        self.case = case
        self.logo = case_dir / case.organisation.logo if case.organisation.logo else None
        self.template_version = settings.template_version
        self.limits = settings.limits
        self.created = created
        self.compiled: dict[Path, CompiledTemplate] = {}
        self.done: list[tuple[Job, Path]] = []
        self.marked: set[str] = set()  # print files whose PDF can be cut into the letters'
        self._printed = {spec.combine for spec in settings.documents if spec.combine}
        # each printed letter's document.xml, compressed (a few KB), until its print file
        self._bodies: dict[str, tuple[bytes, Signature]] = {}
        self.warnings: list[str] = []
        self.stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        # one environment per workbook template, so each cell's Jinja is compiled once and
        # the printed-characters count (limits.max_output) is per template, as for letters
        self._xlsx_envs: dict[Path, BoundedEnvironment] = {}
        self._scratch = scratch  # inside the staging folder, so it goes with it
        self.workbooks: dict[Path, Any] = {}  # template → docgen.excel.fill.LoadedTemplate

    def render(self, job: Job) -> bytes:
        """Render one job."""
        if job.spec.combine:
            return self._combine(job)
        if job.template is None:
            msg = f"documents.{job.spec.kind}: needs a template or 'combine'"
            raise RenderError(msg)
        if job.template.suffix.lower() == ".xlsx":
            return self._xlsx(job, job.template)
        if job.spec.for_ == "applicant":
            entries = self._many(job.template).render_entries({**job.context, "logo": None})
            if job.spec.kind in self._printed:  # the print file takes the body from here
                body = next(e for e in entries if e.name == b"word/document.xml")
                self._bodies[job.path] = (body.compressed, signature(entries))
            return zip_bytes(entries)
        from docgen.word.render import render_docx  # noqa: PLC0415

        env = make_env(autoescape=True, limits=self.limits)
        data = render_docx(job.template, job.context, env, logo=self.logo)
        return normalise_package(data, self.stamp)

    def _many(self, template: Path) -> CompiledTemplate:
        """A template compiled once; its package is normalised once, so every copy is too."""
        tpl = self.compiled.get(template)
        if tpl is None:
            from docgen.word.compiled import CompiledTemplate  # noqa: PLC0415

            clean = self._scratch / f"template-{len(self.compiled)}.docx"
            clean.write_bytes(template.read_bytes())
            if self.logo is not None:
                embed_logo(clean, self.logo)
            clean.write_bytes(normalise_package(clean.read_bytes(), self.stamp))
            env = make_env(autoescape=True, limits=self.limits)
            tpl = CompiledTemplate(clean, env, name=template.name)
            self.compiled[template] = tpl
        return tpl

    def _xlsx(self, job: Job, template: Path) -> bytes:
        from docgen.excel.fill import fill_workbook, load_template  # noqa: PLC0415 - only xlsx

        loaded = self.workbooks.get(template)
        if loaded is None:  # parsed once per build, a copy per panel member
            loaded = self.workbooks[template] = load_template(template)
        env = self._xlsx_envs.get(template)
        if env is None:
            env = self._xlsx_envs[template] = make_env(autoescape=False, limits=self.limits)
        metadata = {
            "docgen_kind": job.spec.kind,
            "case_reference": self.case.reference,
            "recipient": job.recipient or "",
            "template": template.name,
            "template_version": self.template_version,
        }
        result = fill_workbook(
            loaded,
            job.context,
            env,
            charts=job.spec.charts,
            metadata=metadata,
            created=self.created,
        )
        for warning in result.warnings:
            note = f"{template.name}: {warning}"
            if note not in self.warnings:
                self.warnings.append(note)
        return result.data

    def _combine(self, job: Job) -> bytes:
        parts = print_order(self.done, job.spec.combine)
        held = {path: self._bodies.pop(j.path) for j, path in parts if j.path in self._bodies}

        def read(path: Path) -> tuple[bytes, Signature]:
            if path in held:  # no need to read back what was just written
                compressed, same = held[path]
                return zlib.decompress(compressed, -15), same
            return read_part(path)

        printed = combine_docx([path for _, path in parts], read)
        if printed.marked:  # written deterministically already, every letter marked
            self.marked.add(job.path)
            return printed.data
        return normalise_package(printed.data, self.stamp)


def print_order(done: list[tuple[Job, Path]], kind: str | None) -> list[tuple[Job, Path]]:
    """The documents of ``kind`` in the order a print file joins them: by recipient id.

    Ids compare by their number (A99 before A100 and A1000), not as text.
    """
    return sorted(((j, p) for j, p in done if j.spec.kind == kind),
                  key=lambda item: _id_order(item[0].recipient or ""))


def _id_order(recipient: str) -> tuple[str, int, str]:
    found = re.fullmatch(r"([A-Za-z]*)(\d+)", recipient)
    if found is None:
        return (recipient, -1, recipient)
    return (found[1], int(found[2]), recipient)
