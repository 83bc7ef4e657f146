"""The command line: a thin caller of the library, and the only place that prints or exits.

``app`` holds the group and the build, validate and purge commands, ``scores`` collect,
``tools`` init, schema and templates, ``settings`` config show, ``options`` what they
share; ``groups`` lists the commands in the order of use and ``console`` prints (quiet,
verbose, colour).
"""

from docgen.cli.app import main

__all__ = ["main"]
