"""Arguments and options several commands share, written once so they read alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CASE = click.argument("case", type=click.Path(exists=True, dir_okay=False, path_type=Path))
CONFIG = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An organisation's settings, laid over the defaults.",
)
TEMPLATES = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An organisation's template folder; missing templates fall back to the shipped ones.",
)
STRICT = click.option("--strict", is_flag=True, help="Treat advice from the guide as errors.")


def out_option(help_text: str) -> Callable[[F], F]:
    """``-o/--out``: the case's output folder, by default out/<the case's reference>."""
    return click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help=help_text)
