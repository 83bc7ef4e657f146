"""The render stage: one job in, the document's bytes out, by template type.

A template used for many recipients (letters) is compiled once; Excel templates go
through the xlsx engine with the same filters; a print file joins documents already
rendered in this build.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docx.shared import Mm

from docgen.case.model import Case
from docgen.errors import RenderError
from docgen.jinja import make_env
from docgen.pack.plan import Job
from docgen.settings import Settings
from docgen.word.compiled import CompiledTemplate
from docgen.word.package import normalise_package
from docgen.word.printfile import combine_docx
from docgen.word.render import LOGO_HEIGHT_MM, render_docx

_LOGO_TAG = re.compile(r"\{\{-?\s*logo\s*-?\}\}")


def embed_logo(path: Path, logo: Path) -> None:
    """Put the logo into the headers of a template copy, where ``{{ logo }}`` stands.

    Letters are rendered by the fast path, which keeps a template's own images but adds
    none; so the logo becomes part of the template once, before it is compiled.
    """
    from docx import Document  # noqa: PLC0415

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
        self.created = created
        self.compiled: dict[Path, CompiledTemplate] = {}
        self.done: list[tuple[Job, Path]] = []
        self.warnings: list[str] = []
        self.stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.xlsx_env = make_env(autoescape=False)
        self._scratch = scratch  # inside the staging folder, so it goes with it

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
            return self._many(job.template).render({**job.context, "logo": None})
        data = render_docx(job.template, job.context, make_env(autoescape=True), logo=self.logo)
        return normalise_package(data, self.stamp)

    def _many(self, template: Path) -> CompiledTemplate:
        """A template compiled once; its package is normalised once, so every copy is too."""
        tpl = self.compiled.get(template)
        if tpl is None:
            clean = self._scratch / f"template-{len(self.compiled)}.docx"
            clean.write_bytes(template.read_bytes())
            if self.logo is not None:
                embed_logo(clean, self.logo)
            clean.write_bytes(normalise_package(clean.read_bytes(), self.stamp))
            tpl = CompiledTemplate(clean, make_env(autoescape=True), name=template.name)
            self.compiled[template] = tpl
        return tpl

    def _xlsx(self, job: Job, template: Path) -> bytes:
        from docgen.excel.fill import fill_workbook  # noqa: PLC0415 - only builds with workbooks

        metadata = {
            "docgen_kind": job.spec.kind,
            "case_reference": self.case.reference,
            "recipient": job.recipient or "",
            "template": template.name,
            "template_version": self.template_version,
        }
        result = fill_workbook(
            template,
            job.context,
            make_env(autoescape=False),
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
        parts = sorted(
            (j.recipient or "", path) for j, path in self.done if j.spec.kind == job.spec.combine
        )
        return normalise_package(combine_docx([path for _, path in parts]), self.stamp)
