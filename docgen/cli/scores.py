"""``docgen collect``: the panel's scoresheets back in, the summary and a ranking out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docgen.cli.console import console, show_changes
from docgen.cli.options import CASE, CONFIG, TEMPLATES, out_option
from docgen.errors import DocgenError


def _number(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"


def ranking_lines(result: Any, *, names: bool) -> list[str]:
    """The ranking as a compact table (ids only unless ``names``), then the flags counted."""
    head = f"{'rank':<8}{'applicant':<11}{'mean total':>11}{'per crit.':>11}"
    head += f"{'disagree':>10}{'unrated':>9}"
    if names:
        head += "  name"
    lines = [head]
    for a in result.panel.ranking:
        rank = "–" if a.rank is None else (f"={a.rank}" if a.tied else str(a.rank))
        line = f"{rank:<8}{a.id:<11}{_number(a.total):>11}{_number(a.average):>11}"
        line += f"{a.disagreements:>10}{a.unrated:>9}"
        if names:
            line += f"  {result.names.get(a.id, '')}"
        lines.append(line)
    disagree = sum(a.disagreements for a in result.panel.applicants)
    unrated = sum(a.unrated for a in result.panel.applicants)
    threshold = result.panel.threshold
    lines.append(f"flags: {disagree} criteria with a spread of {threshold} or more, "
                 f"{unrated} criteria not rated by every member ('=' marks a shared rank)")
    return lines


@click.command(short_help="Check the panel's returned scoresheets and summarise them.")
@CASE
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path), metavar="FILES_OR_FOLDERS...")
@out_option("The case's output folder, where the summary is written (default: "
            "out/<the case's reference>, where the build put the scoresheets).")
@click.option("--partial", is_flag=True,
              help="Summarise the usable scoresheets even if some are missing or invalid.")
@click.option("--names", is_flag=True, help="Show applicants' names in the terminal table.")
@click.option("--force", is_flag=True,
              help="Replace a summary that was changed since docgen wrote it (or a file "
                   "docgen did not write in its place): it is first moved into a dated "
                   "backup folder.")
@click.option("--dry-run", is_flag=True,
              help="Check the scoresheets and show the ranking; write nothing.")
@CONFIG
@TEMPLATES
def collect(case: Path, files: tuple[Path, ...], out: Path | None, partial: bool,
            names: bool, force: bool, dry_run: bool, config: Path | None,
            templates: Path | None) -> None:
    """Check the panel's returned scoresheets and write the panel's summary.

    FILES_OR_FOLDERS are the returned workbooks, under any name and in any order, or
    folders holding them. Each is matched to its panel member by its hidden metadata.
    Every problem is listed as file!sheet!cell and nothing is written, unless --partial.
    The summary joins the case's output folder like a build's files.

    \b
    Example:
      docgen collect case.yaml returned/
      docgen collect case.yaml returned/ -o out/case --partial
    """
    from docgen.scoring import collect as run  # noqa: PLC0415 - keeps `docgen --help` fast

    out_ = console()
    try:
        result = run(case, list(files), out, partial=partial, config=config,
                     templates=templates, force=force, dry_run=dry_run)
    except DocgenError as e:
        out_.fail(e)
    for warning in result.changes.warnings:
        out_.warn(warning)
    for issue in result.problems:
        out_.warn(str(issue))
    if result.missing:
        out_.warn(f"missing from the summary: {', '.join(result.missing)}")
    for line in ranking_lines(result, names=names):
        out_.info(line)
    show_changes(result.changes, result.out)
    if not dry_run:
        out_.info(f"summary written to {result.path}")
