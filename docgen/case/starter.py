"""``docgen init``: a commented starter case file and the JSON Schema beside it.

The starter is shipped data (``configs/starter-case.yaml``, comments in Danish); this
module only adds the editor line pointing to the schema and writes both files. The
starter is also the sample case that ``docgen templates list`` builds its contexts from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.case.schema import SCHEMA_FILENAME, TITLE, schema_text
from docgen.errors import DocgenError
from docgen.settings import data_root

STARTER_NAME = "starter-case.yaml"
MODELINE = "# yaml-language-server: $schema="


def starter_path() -> Path:
    """The shipped starter case file."""
    return data_root() / "configs" / STARTER_NAME


def starter_text(schema_ref: str = SCHEMA_FILENAME) -> str:
    """The starter case text with its first line pointing editors to ``schema_ref``."""
    body = starter_path().read_text(encoding="utf-8")
    return f"{MODELINE}{schema_ref}\n{body}"


@dataclass(frozen=True)
class Written:
    """What :func:`write_starter` wrote."""

    case: Path
    schema: Path
    schema_replaced: bool


def _is_ours(path: Path) -> bool:
    """Whether ``path`` is a schema docgen wrote (safe to refresh)."""
    try:
        head = path.read_text(encoding="utf-8")[:400]
    except (OSError, UnicodeDecodeError):
        return False
    return f'"title": "{TITLE}"' in head


def write_starter(path: Path, *, force: bool = False) -> Written:
    """Write the starter case to ``path`` and ``case.schema.json`` beside it.

    Raises:
        DocgenError: ``path`` exists (without ``force``), or a file named like the schema
            exists that docgen did not write, or the folder cannot be written.
    """
    if path.is_dir():
        raise DocgenError(f"{path} is a folder; give a file name, e.g. {path / 'case.yaml'}")
    if path.exists() and not force:
        raise DocgenError(
            f"{path} already exists; nothing was written.",
            hint="choose another name, or add --force to overwrite it",
        )
    schema = path.parent / SCHEMA_FILENAME
    existed = schema.exists()
    if existed and not force and not _is_ours(schema):
        raise DocgenError(
            f"{schema} exists and was not written by docgen; nothing was written.",
            hint="move it away, or add --force to overwrite it",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        schema.write_text(schema_text(), encoding="utf-8")
        path.write_text(starter_text(SCHEMA_FILENAME), encoding="utf-8")
    except OSError as e:
        raise DocgenError(f"cannot write {path} ({e.strerror})") from None
    return Written(path, schema, existed)
