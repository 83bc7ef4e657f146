"""``docgen collect``: the panel's scoresheets back in, the summary and a ranking out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

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


@click.command()
@click.argument("case", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path), metavar="FILES_OR_FOLDERS...")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True,
              help="The case's output folder, where the summary is written.")
@click.option("--partial", is_flag=True,
              help="Summarise the usable scoresheets even if some are missing or invalid.")
@click.option("--names", is_flag=True, help="Show applicants' names in the terminal table.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An organisation's settings, laid over the defaults.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An organisation's template folder.")
def collect(case: Path, files: tuple[Path, ...], out: Path, partial: bool, names: bool,
            config: Path | None, templates: Path | None) -> None:
    """Check the panel's returned scoresheets and write the panel's summary.

    FILES_OR_FOLDERS are the returned workbooks, under any name and in any order, or
    folders holding them. Each is matched to its panel member by its hidden metadata.
    Every problem is listed as file!sheet!cell and nothing is written, unless --partial.

    \b
    Example:
      docgen collect case.yaml returned/ -o out/case
    """
    from docgen.scoring import collect as run  # noqa: PLC0415 - keeps `docgen --help` fast

    try:
        result = run(case, list(files), out, partial=partial, config=config,
                     templates=templates)
    except DocgenError as e:
        for line in e.lines():
            click.secho(line, fg="red", err=True)
        sys.exit(1)
    for issue in result.problems:
        click.secho(f"warning: {issue}", fg="yellow", err=True)
    if result.missing:
        click.secho(f"missing from the summary: {', '.join(result.missing)}", fg="yellow",
                    err=True)
    for line in ranking_lines(result, names=names):
        click.echo(line)
    click.echo(f"summary written to {result.path}")
