"""The summary workbook: the panel's figures filled into the summary template.

The template (``templates/xlsx/scoreark_oversigt.xlsx`` by default, configured as
``collect.template``) is an ordinary docgen Excel template (see ``docgen.excel.fill``), so
a consultant restyles it like the others; the names it may use are made by
``docgen.templates.summary`` and listed by ``docgen templates list``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from pathlib import Path
from typing import Any

from docgen.case.figures import Panel
from docgen.case.model import Case
from docgen.errors import RenderError
from docgen.excel.fill import fill_workbook
from docgen.jinja import make_env
from docgen.limits import Limits, WorkerTimeout, run_in_worker
from docgen.templates.summary import SLOTS, summary_context

__all__ = ["render_summary"]


def render_summary(template: Path, case: Case, base: dict[str, Any], panel: Panel,
                   missing: list[str], created: dt.datetime,
                   limits: Limits | None = None) -> bytes:
    """The summary workbook's bytes, rendered in the bounded worker like a build's.

    The template may be a consultant's, so it gets the same time and memory limits
    (``limits``, default :class:`~docgen.limits.Limits`) as every template of a build.
    """
    limits = limits or Limits()
    if sum(m.returned for m in panel.members) > SLOTS:
        msg = f"the summary template has room for {SLOTS} panel members"
        raise RenderError(msg)
    context = summary_context(case, base, panel, missing)

    def produce() -> Generator[bytes, Any, None]:
        try:
            result = fill_workbook(template, context, make_env(autoescape=False, limits=limits),
                                   created=created,
                                   metadata={"docgen_kind": "scoresheet-summary",
                                             "case_reference": case.reference})
        except MemoryError:
            msg = (f"{template.name}: rendering needed more memory than "
                   f"{limits.render_memory_mb} MB (limits.render_memory_mb); nothing was written")
            raise RenderError(msg) from None
        yield result.data

    try:
        made: list[bytes] = list(run_in_worker(produce, seconds=limits.render_seconds,
                                  memory_mb=limits.render_memory_mb))
    except WorkerTimeout:
        msg = (f"{template.name}: rendering took longer than {limits.render_seconds:g} s "
               "(limits.render_seconds) and was stopped; nothing was written")
        raise RenderError(msg, hint="a template loops too much") from None
    return made[0]
