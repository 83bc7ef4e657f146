"""Command groups that list their commands in the order of use, not alphabetically."""

from __future__ import annotations

import click

COMMAND_ORDER = ("init", "validate", "build", "collect", "purge", "templates", "config", "schema")
"""The commands in the order a hiring uses them; others (if any) follow alphabetically."""


class OrderedGroup(click.Group):
    """A group that lists its commands in ``order``, not alphabetically.

    Names in ``order`` that are not (yet) attached are skipped, so a command added
    later (``collect``, ``purge``) slots into its place.
    """

    order: tuple[str, ...] = COMMAND_ORDER

    def list_commands(self, ctx: click.Context) -> list[str]:
        known = super().list_commands(ctx)
        ordered = [name for name in self.order if name in known]
        return ordered + sorted(name for name in known if name not in ordered)


class TemplatesGroup(OrderedGroup):
    """``docgen templates``: start from a copy, check it, look up the names."""

    order = ("export", "check", "list")
