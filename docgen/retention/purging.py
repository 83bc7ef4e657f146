"""Delete a case's outputs once ``dates.recruitment_closed`` + the retention months have passed.

Only what the folder's manifest lists is deleted (documents, PDFs, files other commands
added such as returned scoresheets and summaries, and docgen's backup folders), never
through a link and never a file docgen did not list. A small record without personal data
(reference, dates, counts) replaces the manifest, so the folder shows what happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from docgen._version import __version__
from docgen.case.effective import retention_ends, retention_months
from docgen.case.model import Case
from docgen.errors import CaseError, OutputError, RetentionError
from docgen.loading import load_model
from docgen.output.journal import fsync_dir
from docgen.output.lock import FolderLock
from docgen.output.manifest import ADDED, MANIFEST, OWNED, read_previous
from docgen.output.oserrors import describe
from docgen.output.paths import walk_to
from docgen.output.staging import recover
from docgen.settings import Settings, load_settings

__all__ = ["RECORD", "PurgeResult", "purge", "today"]

RECORD = "purged.json"


@dataclass
class PurgeResult:
    """What a purge deleted (or, in a dry run, would delete)."""

    out: Path
    reference: str
    ended: dt.date
    deleted: list[str] = field(default_factory=list)  # files, relative to ``out``
    backups: list[str] = field(default_factory=list)  # backup folders removed whole
    left: list[str] = field(default_factory=list)  # files docgen did not list, untouched
    consented: int = 0  # applicants who consented to be kept for future posts
    consent_months: int = 0
    dry_run: bool = False


def today() -> dt.date:
    """The clock purge and build go by (a function, so tests can fix it)."""
    return dt.date.today()


def purge(
    case_path: Path,
    out: Path | None = None,
    *,
    config: Path | None = None,
    templates: Path | None = None,
    dry_run: bool = False,
    on: dt.date | None = None,
) -> PurgeResult:
    """Delete every output of the case in ``out`` (default ``out/<reference>``).

    Refuses before the retention period has ended (saying the date) and when the case
    does not say when recruitment closed (saying how to set it). ``on`` fixes the date.
    """
    settings = load_settings(config, templates)
    case, _, issues = load_model(case_path, Case, display_name=str(case_path))
    if case is None:
        n = len(issues)
        raise CaseError(f"{n} problem{'s' if n != 1 else ''} found; nothing was deleted.",
                        issues)
    ended = _ended(case, settings, on or today())
    out = (Path("out") / case.reference if out is None else out).absolute()
    if not out.is_dir():
        msg = f"there is no output folder {out}; nothing was deleted"
        raise OutputError(msg, hint="name the case's folder with -o")
    consent = retention_months(case, settings)
    result = PurgeResult(
        out, case.reference, ended, dry_run=dry_run,
        consented=sum(1 for a in case.applicants if a.consent_keep),
        consent_months=case.retention.consent_months or consent,
    )
    try:
        if dry_run:
            _run(result, dry_run=True, on=on or today())
        else:
            with FolderLock(out):
                recover(out, locked=True)
                _run(result, dry_run=False, on=on or today())
    except OSError as e:
        raise describe(e, out) from None
    return result


def _ended(case: Case, settings: Settings, now: dt.date) -> dt.date:
    ends = retention_ends(case, settings)
    if ends is None:
        msg = (f"case {case.reference} does not say when recruitment closed, so its "
               "retention period is not known; nothing was deleted")
        raise RetentionError(msg, hint="set dates.recruitment_closed (YYYY-MM-DD) in the case "
                                       "file to the day the hiring was settled")
    if now < ends:
        msg = (f"the retention period of case {case.reference} ends on {ends.isoformat()}; "
               f"its outputs may be purged from that day, not before; nothing was deleted")
        raise RetentionError(msg, hint="applications must be kept until then (retention.months "
                                       "counts from dates.recruitment_closed)")
    return ends


def _run(result: PurgeResult, *, dry_run: bool, on: dt.date) -> None:
    out = result.out
    previous = read_previous(out)
    if not previous.exists or not previous.ours:
        msg = f"{out} holds no docgen manifest, so docgen cannot tell what is its own; " \
              "nothing was deleted"
        raise OutputError(msg)
    if previous.reference is not None and previous.reference != result.reference:
        msg = (f"the output folder {out} holds the documents of case {previous.reference}, "
               f"not of case {result.reference}; nothing was deleted")
        raise OutputError(msg)
    record = walk_to(out, RECORD)
    if record.exists() and not _is_record(record):
        msg = f"{record} exists and is not a record docgen wrote; nothing was deleted"
        raise OutputError(msg, hint="move or rename it, then purge again")
    listed = [*previous.paths(OWNED), *previous.paths(ADDED)]
    files = [rel for rel in dict.fromkeys(listed) if _is_file(out, rel)]
    backups = [rel for rel in previous.backups if _is_dir(out, rel)]
    result.deleted, result.backups = files, backups
    result.left = _left(out, set(files), backups)
    if dry_run:
        return
    _write_record(out, result, on, previous.data)
    for rel in files:
        (out / rel).unlink()
    for rel in backups:
        shutil.rmtree(out / rel)
    for rel in sorted({r.rsplit("/", 1)[0] for r in files if "/" in r}, key=lambda r: -len(r)):
        with contextlib.suppress(OSError):
            walk_to(out, rel).rmdir()
    (out / MANIFEST).unlink()
    fsync_dir(out)


def _is_record(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "purged_on" in data and "docgen" in data


def _is_file(out: Path, rel: str) -> bool:
    path = walk_to(out, rel)  # a link anywhere on the way stops the purge before it starts
    return path.is_file()


def _is_dir(out: Path, rel: str) -> bool:
    path = walk_to(out, rel)
    return path.is_dir()


def _left(out: Path, files: set[str], backups: list[str]) -> list[str]:
    left = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_dir() or rel in files or rel in {MANIFEST, RECORD}:
            continue
        if rel.startswith(".docgen/") or any(rel.startswith(b + "/") for b in backups):
            continue
        left.append(rel)
    return left


def _write_record(out: Path, result: PurgeResult, on: dt.date, old: dict[str, object]) -> None:
    pdfs = sum(1 for rel in result.deleted if rel.endswith(".pdf"))
    record = {
        "docgen": __version__,
        "reference": result.reference,
        "purged_on": on.isoformat(),
        "retention_ended": result.ended.isoformat(),
        "built_with": old.get("docgen"),
        "deleted": {"files": len(result.deleted), "of_which_pdf": pdfs,
                    "backup_folders": len(result.backups)},
    }
    tmp = out / ".docgen" / (RECORD + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(walk_to(out, RECORD))
