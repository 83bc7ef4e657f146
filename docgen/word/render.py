"""Render one Word document from a docxtpl template in the sandboxed environment."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from docgen.errors import DocgenError, RenderError
from docgen.word.errors import render_failure

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


class _Tracked(DocxTemplate):  # type: ignore[misc]
    """docxtpl, remembering which part it renders and that part's prepared text."""

    source = ""

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> Any:
        # The same line split docxtpl makes first, so Jinja's line numbers point into it.
        self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        return super().render_xml_part(src_xml, part, context, jinja_env)


def _part_name(tpl: DocxTemplate) -> str:
    part = getattr(tpl, "current_rendering_part", None)
    name = getattr(part, "partname", None)
    return str(name).lstrip("/") if name else "word/document.xml"


def render_docx(
    template: Path, context: dict[str, Any], env: jinja2.Environment, *, logo: Path | None
) -> bytes:
    """Render ``template`` with ``context``; ``logo`` becomes the ``logo`` variable.

    Any failure while rendering becomes a :class:`TemplateRenderError` naming the
    template, the part and the line, with a message made from the template's own words.
    """
    tpl = _Tracked(template)
    ctx = dict(context)
    ctx["logo"] = InlineImage(tpl, str(logo), height=Mm(LOGO_HEIGHT_MM)) if logo else None
    try:
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except DocgenError:
        raise
    except Exception as exc:  # noqa: BLE001 - every kind becomes a located, value-free error
        raise render_failure(exc, template.name, _part_name(tpl), tpl.source) from exc
    buf = io.BytesIO()
    tpl.save(buf)
    data = buf.getvalue()
    check_parts(data, template.name)
    return data
