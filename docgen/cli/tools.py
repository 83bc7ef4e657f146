"""Commands for setting up cases and maintaining templates: ``init``, ``schema``, ``templates``.

They are plain click commands; ``docgen/cli/app.py`` attaches them to the main group. Like
the rest of the CLI they print problems in red on stderr and exit 1, and exit 2 on wrong
usage (click's own). Heavy modules are imported inside the commands so that
``docgen --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from docgen.cli.console import console
from docgen.cli.groups import TemplatesGroup
from docgen.cli.options import CONFIG
from docgen.errors import DocgenError


def _fail(error: DocgenError) -> NoReturn:
    console().fail(error)


def _write(output: Path, text: str) -> None:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        _fail(DocgenError(f"cannot write {output} ({e.strerror})"))


@click.command(short_help="Start a case: a commented starter file to fill in.")
@click.argument("path", required=False, default=Path("case.yaml"),
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True,
              help="Write a complete example case instead, ready to build.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it already exists.")
def init(path: Path, example: bool, force: bool) -> None:
    """Write a starter case file at PATH (default case.yaml), commented in Danish.

    Every field is explained and holds a fictional example to replace; until you
    do, validate and build point at each example left (file, line, field).
    With --example, PATH gets a complete fictional case that builds as it is.
    Beside it goes case.schema.json, which the file's first line points editors
    to (completion and checks while typing, also offline).

    \b
    Examples:
      docgen init sager/peer-2026.yaml
      docgen validate sager/peer-2026.yaml
      docgen init --example example.yaml
    """
    from docgen.case.starter import write_starter  # noqa: PLC0415

    out = console()
    try:
        written = write_starter(path, force=force, example=example)
    except DocgenError as e:
        _fail(e)
    what = "a complete example case" if example else "a starter case: replace the examples"
    out.info(f"wrote {written.case} ({what})")
    out.info(f"wrote {written.schema} (the JSON Schema editors use for completion)")
    if example:
        out.info(f"next: docgen build {written.case} -o out/{written.case.stem}")
    else:
        out.info(f"next: fill it in, then docgen validate {written.case}")


@click.command(short_help="Print the JSON Schema of the case file (for editors).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of printing it.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the case file (for editor completion and checks).

    The schema is generated from the same model the loader validates with. Point an
    editor at it with a first line '# yaml-language-server: $schema=case.schema.json'
    in the case file (docgen init writes both).

    \b
    Example:
      docgen schema -o case.schema.json
    """
    from docgen.case.schema import schema_text  # noqa: PLC0415

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    _write(output, text)
    console().info(f"wrote {output}")


@click.group(cls=TemplatesGroup, context_settings={"help_option_names": ["-h", "--help"]},
             short_help="Export, check and list the Word and Excel templates.")
def templates() -> None:
    """Export the shipped templates, check them for mistakes, list the names they may use.

    \b
    Examples:
      docgen templates export min-organisation/skabeloner
      docgen templates check min-organisation/skabeloner
      docgen templates list
    """


@templates.command("list", short_help="List every variable and filter templates may use.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="Plain text for the terminal, or the Markdown page.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Same as --format markdown.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of printing.")
@CONFIG
def list_(fmt: str, as_markdown: bool, output: Path | None, config: Path | None) -> None:
    """List every variable and filter a template may use, with type and description.

    The names come from the real template contexts of a sample case, and say which
    documents have them (made once per case, per panel member, per applicant).

    \b
    Examples:
      docgen templates list
      docgen templates list --format markdown -o docs/templates.md
    """
    from docgen.settings import load_settings  # noqa: PLC0415
    from docgen.templates.reference import markdown, text  # noqa: PLC0415
    from docgen.templates.variables import template_variables  # noqa: PLC0415

    try:
        settings = load_settings(config) if config else None
        variables = template_variables(settings)
    except DocgenError as e:
        _fail(e)
    page = markdown(variables) if as_markdown or fmt == "markdown" else text(variables)
    if output is None:
        click.echo(page, nl=False)
        return
    _write(output, page)
    console().info(f"wrote {output}")


@templates.command("export", short_help="Copy the shipped templates into a folder to edit.")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def export(folder: Path) -> None:
    """Copy the shipped Word and Excel templates into DIR, to restyle in Word or Excel.

    DIR may be new or hold other files; a template already there is never
    overwritten (then nothing is copied). Build with the edited copies using
    --templates DIR; any template you delete falls back to the shipped one.

    \b
    Example:
      docgen templates export skabeloner
      docgen templates check skabeloner
      docgen build case.yaml --templates skabeloner
    """
    from docgen.templates.export import export_templates  # noqa: PLC0415

    out = console()
    try:
        written = export_templates(folder)
    except DocgenError as e:
        _fail(e)
    for path in written:
        out.detail(f"  {path}")
    out.info(f"copied {len(written)} templates into {folder}")
    out.info(f"next: edit them, then docgen templates check {folder}")


@templates.command("check", short_help="Check templates; report every problem and its place.")
@click.argument("folder", metavar="[DIR]", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@CONFIG
def check(folder: Path | None, config: Path | None) -> None:
    """Check the Word and Excel templates and report every problem with its place.

    Without DIR the shipped templates are checked; with DIR, an organisation's
    template folder laid over them (a template missing there falls back to the
    shipped one). Finds Jinja syntax errors (also Word's typographic quotes),
    unknown variables, fields and filters, loops in Word tables without {%tr %}
    rows, tags Word split in ways docxtpl cannot repair, Jinja in document
    properties, macros, embedded objects and external links.

    \b
    Example:
      docgen templates check min-organisation/skabeloner
    """
    from docgen.settings import load_settings  # noqa: PLC0415
    from docgen.templates.lint import lint_templates, templates_in_use  # noqa: PLC0415

    try:
        settings = load_settings(config)
        used = templates_in_use(settings, folder)
        issues = lint_templates(settings, folder)
    except DocgenError as e:
        _fail(e)
    for item in used:
        depth = len(Path(item.relative).parts)
        origin = "missing" if item.path is None else str(Path(*item.path.parts[:-depth]))
        console().info(
            f"  {item.relative:<34} {', '.join(item.kinds) or 'not used':<28} {origin}"
        )
    if issues:
        for issue in issues:
            click.secho(str(issue), fg="red", err=True)
        n = len(issues)
        files = len({i.file for i in issues})
        click.secho(f"{n} problem{'s' if n != 1 else ''} in {files} template"
                    f"{'s' if files != 1 else ''}.", fg="red", err=True)
        click.echo("hint: fix them in Word or Excel and check again", err=True)
        sys.exit(1)
    console().info(f"{len(used)} templates checked: no problems found")
