"""``docgen config show``: the settings as YAML, so consultants need not dig for the files."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.console import console
from docgen.errors import DocgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             short_help="Show the settings (criteria, scales, labels) as YAML.")
def config() -> None:
    """Show the settings docgen builds with, as YAML to copy into your own file.

    \b
    Examples:
      docgen config show
      docgen config show --defaults > min-organisation.yaml
      docgen config show --config min-organisation.yaml
    """


@config.command("show", short_help="Print the effective settings as YAML.")
@click.option("--defaults", is_flag=True,
              help="Print the shipped default files as they are, with their comments.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="An organisation's settings, laid over the defaults.")
def show(defaults: bool, config_file: Path | None) -> None:
    """Print the settings a build uses: the defaults, with --config laid over them.

    The output is itself a valid --config file; keep only what you change. With
    --defaults, the shipped files are printed as they are, with their comments.

    \b
    Example:
      docgen config show --defaults
    """
    from docgen.settings import config_text  # noqa: PLC0415

    if defaults and config_file is not None:
        raise click.UsageError("--defaults prints the shipped files; leave out --config")
    try:
        text = config_text(config_file, defaults=defaults)
    except DocgenError as e:
        console().fail(e)
    click.echo(text, nl=False)
