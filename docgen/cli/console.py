"""How the command line talks: quiet or verbose, colour or not, errors apart from hints.

Conventions users expect from command-line tools: ``-q`` leaves only warnings and
errors, ``-v`` adds details, ``NO_COLOR`` (any non-empty value, see no-color.org)
turns colour off, and a hint is printed plainly, never in the red of an error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from docgen.errors import DocgenError


@dataclass
class Console:
    """The verbosity chosen on the main command: -1 quiet, 0 normal, 1 verbose."""

    level: int = 0

    def info(self, message: str) -> None:
        """Ordinary output (stdout); left out with ``-q``."""
        if self.level >= 0:
            click.echo(message)

    def detail(self, message: str) -> None:
        """Extra output (stdout); only with ``-v``."""
        if self.level > 0:
            click.echo(message)

    def warn(self, message: str) -> None:
        """A warning or advice (stderr, yellow); always shown."""
        click.secho(f"warning: {message}", fg="yellow", err=True)

    def note(self, message: str) -> None:
        """Something the user should know about the result (stderr, plain); always shown."""
        click.echo(f"note: {message}", err=True)

    def fail(self, error: DocgenError) -> NoReturn:
        """Print an error (red) and its hint (plain) on stderr, and exit 1."""
        for line in error.lines():
            if error.hint and line == f"hint: {error.hint}":
                click.echo(line, err=True)
            else:
                click.secho(line, fg="red", err=True)
        sys.exit(1)


def console() -> Console:
    """The console of the running command (a default one outside the main group)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Console) if ctx is not None else None
    return found if found is not None else Console()


def no_color() -> bool:
    """Whether the user asked for no colour (``NO_COLOR`` set and not empty)."""
    return bool(os.environ.get("NO_COLOR"))


def show_changes(report: Any, out: Path) -> None:
    """What a commit did (or would do), one line, then the removed and backed-up files."""
    out_ = console()
    if report.dry_run:
        out_.info(f"dry run, nothing written; {out} would get: {report.summary()}")
        for label, paths in (("write", report.new), ("replace", report.changed),
                             ("remove", report.removed), ("keep", report.unchanged)):
            for rel in paths:
                out_.info(f"  would {label:<8} {rel}")
        if report.backed_up:
            out_.info("  would first move into a backup folder (--force):")
            for rel in report.backed_up:
                out_.info(f"    {rel}")
        return
    out_.info(report.summary())
    for rel in report.removed:
        out_.info(f"  removed {rel}")
    if report.backup:
        out_.warn(f"{len(report.backed_up)} file(s) in the way were moved to "
                  f"{out / report.backup}:")
        for rel in report.backed_up:
            out_.warn(f"  {rel}")
