"""Render one Word document from a docxtpl template in the sandboxed environment."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from docgen.errors import RenderError
from docgen.jinja import NoneValueError

LOGO_HEIGHT_MM = 16


def check_parts(data: bytes, name: str) -> None:
    """Parse every XML part strictly: a document Word would call corrupt is an error here."""
    parser = etree.XMLParser(recover=False, resolve_entities=False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for entry in z.namelist():
            if entry.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(z.read(entry), parser)
                except etree.XMLSyntaxError as e:
                    msg = f"{name}: rendering produced broken XML in {entry} ({e.msg})"
                    raise RenderError(msg) from None


def jinja_message(exc: Exception) -> str:
    """A Jinja error's message without values from the context."""
    if isinstance(exc, NoneValueError):
        return str(exc)
    if isinstance(exc, jinja2.UndefinedError | jinja2.TemplateSyntaxError):
        return exc.message or type(exc).__name__
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return "the template tried something the sandbox forbids"
    return type(exc).__name__


def render_docx(
    template: Path, context: dict[str, Any], env: jinja2.Environment, *, logo: Path | None
) -> bytes:
    """Render ``template`` with ``context``; ``logo`` becomes the ``logo`` variable."""
    tpl = DocxTemplate(template)
    ctx = dict(context)
    ctx["logo"] = InlineImage(tpl, str(logo), height=Mm(LOGO_HEIGHT_MM)) if logo else None
    try:
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except (jinja2.TemplateError, NoneValueError) as e:
        raise RenderError(f"{template.name}: {jinja_message(e)}") from None
    buf = io.BytesIO()
    tpl.save(buf)
    data = buf.getvalue()
    check_parts(data, template.name)
    return data
