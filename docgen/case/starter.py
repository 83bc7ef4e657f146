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
EXAMPLE_NAME = "region-vest.yaml"
MODELINE = "# yaml-language-server: $schema="
# Said right under the modeline, so that whoever copies the file knows how to keep it.
MODELINE_HELP = (
    "# (Linjen ovenfor giver editoren hjælp til felterne fra {schema} i samme mappe.\n"
    "# Flytter du filen, eller opdaterer du docgen, så lav den igen: docgen schema -o {schema})\n"
)


def starter_path() -> Path:
    """The shipped starter case file."""
    return data_root() / "configs" / STARTER_NAME


def example_path() -> Path:
    """The shipped complete example case (the regional sample)."""
    return data_root() / "samples" / EXAMPLE_NAME


def starter_text(
    schema_ref: str = SCHEMA_FILENAME, case_name: str = "case.yaml", *, example: bool = False
) -> str:
    """The starter (or the complete example) with its first lines pointing editors to
    ``schema_ref``; the starter's instructions name ``case_name``, the file written."""
    if example:
        body = example_path().read_text(encoding="utf-8")
    else:
        stem = Path(case_name).stem or "case"
        body = (
            starter_path()
            .read_text(encoding="utf-8")
            .replace("<sagsfil>", case_name)
            .replace("<ud>", f"out/{stem}")
        )
    return f"{MODELINE}{schema_ref}\n{MODELINE_HELP.format(schema=schema_ref)}{body}"


def schema_note(case_path: Path) -> str | None:
    """A note when the schema the case's first line points to is missing or outdated.

    Editors lose completion silently when a case is copied without its schema, or the
    schema is from an older docgen; the build says so instead. Never writes anything.
    """
    try:
        with case_path.open(encoding="utf-8-sig") as f:
            first = f.readline().strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith(MODELINE):
        return None
    ref = first[len(MODELINE):].strip()
    if not ref or "://" in ref or Path(ref).is_absolute():
        return None
    schema = case_path.parent / ref
    refresh = f"`docgen schema -o {schema}`"
    if not schema.is_file():
        return (f"the case's first line points editors to {ref}, which is not beside it; "
                f"write it with {refresh} for completion while editing")
    if _is_ours(schema) and schema.read_text(encoding="utf-8") != schema_text():
        return (f"{ref} beside the case is from another docgen version; refresh it with "
                f"{refresh}")
    return None


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


def write_starter(path: Path, *, force: bool = False, example: bool = False) -> Written:
    """Write the starter case (or, with ``example``, a complete example case) to ``path``
    and ``case.schema.json`` beside it.

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
        path.write_text(starter_text(SCHEMA_FILENAME, path.name, example=example),
                        encoding="utf-8")
    except OSError as e:
        raise DocgenError(f"cannot write {path} ({e.strerror})") from None
    return Written(path, schema, existed)
