"""The summary workbook: the panel's figures filled into the summary template.

The template (``templates/xlsx/scoreark_oversigt.xlsx`` by default, configured as
``collect.template``) is an ordinary docgen Excel template (see ``docgen.excel.fill``), so
a consultant restyles it like the others; the names it may use are made by
``docgen.templates.summary`` and listed by ``docgen templates list``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docgen.case.figures import Panel
from docgen.case.model import Case
from docgen.errors import RenderError
from docgen.excel.fill import fill_workbook
from docgen.jinja import make_env
from docgen.templates.summary import SLOTS, summary_context

__all__ = ["render_summary"]


def render_summary(template: Path, case: Case, base: dict[str, Any], panel: Panel,
                   missing: list[str], created: dt.datetime) -> bytes:
    """The summary workbook's bytes."""
    if sum(m.returned for m in panel.members) > SLOTS:
        msg = f"the summary template has room for {SLOTS} panel members"
        raise RenderError(msg)
    context = summary_context(case, base, panel, missing)
    result = fill_workbook(template, context, make_env(autoescape=False), created=created,
                           metadata={"docgen_kind": "scoresheet-summary",
                                     "case_reference": case.reference})
    return result.data
