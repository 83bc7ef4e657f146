"""The command line: a thin caller of the library, and the only place that prints or exits.

``app`` holds the group and the build commands, ``tools`` the set-up and template commands.
"""

from docgen.cli.app import main

__all__ = ["main"]
