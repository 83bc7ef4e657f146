"""The command line: a thin caller of the library, and the only place that prints or exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docgen._version import __version__
from docgen.errors import Advisory, DocgenError, Issue

_CASE = click.argument("case", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_CONFIG = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An organisation's settings, laid over the defaults.",
)
_TEMPLATES = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An organisation's template folder; missing templates fall back to the shipped ones.",
)
_STRICT = click.option("--strict", is_flag=True, help="Treat advice from the guide as errors.")


def _fail(error: DocgenError) -> None:
    for line in error.lines():
        click.secho(line, fg="red", err=True)
    sys.exit(1)


def _advise(advisories: list[tuple[Advisory, Issue]]) -> None:
    for _, issue in advisories:
        click.secho(f"warning: {issue}", fg="yellow", err=True)


class _ProgressBar:
    """A progress bar that appears on the first update (stderr, so output stays clean)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0
        self.active = False

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.active = True
        self.bar.update(done - self.done)
        self.done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.active = False


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """Make the whole hiring pack for a peer-support-worker post from one YAML case file.

    \b
    Example:
      docgen build samples/region-vest.yaml -o out/region-vest
    """


@main.command()
@_CASE
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@_CONFIG
@_TEMPLATES
@_STRICT
@click.option(
    "--pdf/--no-pdf",
    default=None,
    help="Also make a PDF of every document with LibreOffice (default: the "
    "configuration's pdf.enabled).",
)
@click.option(
    "--pdf-timeout",
    type=click.FloatRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Seconds one document may take to convert before LibreOffice is stopped.",
)
def build(
    case: Path,
    out: Path,
    config: Path | None,
    templates: Path | None,
    strict: bool,
    pdf: bool | None,
    pdf_timeout: float | None,
) -> None:
    """Build every document of CASE into the output folder (all or nothing).

    \b
    Example:
      docgen build case.yaml -o out/case --pdf
    """
    from docgen.pack.pipeline import PdfOptions  # noqa: PLC0415 - keeps `docgen --help` fast
    from docgen.pack.pipeline import build as run  # noqa: PLC0415

    bar = _ProgressBar("converting to PDF")

    def show(record: dict[str, Any]) -> None:
        if bar.active:
            return
        click.echo(f"  {record['kind']:<18} {record['path']}")

    try:
        result = run(
            case,
            out,
            config=config,
            templates=templates,
            strict=strict,
            on_document=show,
            pdf=PdfOptions(enabled=pdf, timeout=pdf_timeout, progress=bar.update),
        )
    except DocgenError as e:
        bar.close()
        _fail(e)
        return
    bar.close()
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for skip in result.skipped:
        click.echo(f"  skipped {skip['kind']}: {skip['reason']}")
    _advise(result.advisories)
    click.echo(f"{len(result.documents)} documents written to {out} (see manifest.json)")


@main.command()
@_CASE
@_CONFIG
@_TEMPLATES
@_STRICT
def validate(case: Path, config: Path | None, templates: Path | None, strict: bool) -> None:
    """Check CASE as a build would, without writing anything.

    \b
    Example:
      docgen validate case.yaml
    """
    from docgen.pack.pipeline import validate as run  # noqa: PLC0415

    try:
        checked = run(case, config=config, templates=templates, strict=strict)
    except DocgenError as e:
        _fail(e)
        return
    _advise(checked.advisories)
    n = len(checked.advisories)
    click.echo(f"{case}: valid ({n} piece{'s' if n != 1 else ''} of advice)")


# Tools for consultants and HR officers: starter case, JSON Schema, template list and lint.
from docgen.cli.scores import collect  # noqa: E402
from docgen.cli.tools import init, schema, templates  # noqa: E402

main.add_command(collect)
main.add_command(init)
main.add_command(schema)
main.add_command(templates)
