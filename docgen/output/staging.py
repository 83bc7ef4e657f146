"""Write into an output folder all or nothing, without ever losing the user's work.

``Staging`` renders into a hidden staging folder inside the output folder
(``DIR/.docgen/stage-*``, so that moving files in is a rename on one disk) and ``commit``
moves them in through a journal (``journal.py``) after checking every destination
(``changes.py``). Commands on one folder take turns under a lock (``lock.py``); each first
finishes or rolls back what a killed command left (``recover``). Files are 0600 and
folders 0700: they carry personal data.

Two ways to write, under the same rules:

- a build: ``with Staging(out, reference=...) as stage: stage.write(...);
  stage.commit(manifest)`` replaces the previous build's ``documents`` and removes those
  it no longer makes;
- one file made by another command (a summary workbook): ``write_file(out, rel, data,
  record, reference=...)`` adds or replaces it and its entry in the manifest's ``added``,
  which rebuilds keep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from docgen.errors import OutputError
from docgen.output.changes import Conflict, Plan, Report, plan_changes
from docgen.output.journal import JOURNAL, Journal, fsync_dir, fsync_file
from docgen.output.lock import HIDDEN, FolderLock, try_lock, unlock
from docgen.output.manifest import ADDED, BACKUPS, MANIFEST, OWNED, read_previous, sha256_of
from docgen.output.oserrors import describe
from docgen.output.paths import check_inside

__all__ = ["MANIFEST", "Report", "Staging", "recover", "write_file"]

_SHOWN = 20


class Staging:
    """A staging folder inside ``out``; ``commit`` moves its files in.

    ``reference`` is the case the folder belongs to: a folder whose manifest names another
    case is refused unless ``force``. With ``force``, files in the way (changed since
    docgen wrote them, or not made by docgen) are moved to a dated backup folder inside
    ``out`` first. With ``dry_run`` the files are staged in a temporary folder elsewhere
    and ``commit`` only reports what it would do.
    """

    def __init__(self, out: Path, *, reference: str | None = None, force: bool = False,
                 dry_run: bool = False) -> None:
        self.out = out.absolute()
        self.reference = reference
        self.force = force
        self.dry_run = dry_run
        self.root = Path()
        self.written: list[str] = []
        self.warnings: list[str] = []
        self._created: list[Path] = []
        self._owner: int | None = None
        self._done = False

    @property
    def new(self) -> Path:
        """Where the staged outputs are (``rel`` paths below it)."""
        return self.root / "new"

    @property
    def scratch(self) -> Path:
        """A private folder for working copies (removed with the staging folder)."""
        return self.root / "scratch"

    def __enter__(self) -> Staging:
        try:
            self._open()
        except OSError as e:
            self._close()
            raise describe(e, self.out) from None
        except BaseException:
            self._close()
            raise
        return self

    def _open(self) -> None:
        if self.dry_run:
            self.root = Path(tempfile.mkdtemp(prefix="docgen-dry-run-"))
        else:
            self._make_out()
            with FolderLock(self.out):
                recover(self.out, locked=True)
                hidden = self.out / HIDDEN
                hidden.mkdir(mode=0o700, exist_ok=True)
                self.root = Path(tempfile.mkdtemp(prefix="stage-", dir=hidden))
                self._owner = os.open(self.root / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
                try_lock(self._owner)  # a fresh file: nobody else can hold it
        self.new.mkdir(mode=0o700)
        self.scratch.mkdir(mode=0o700)

    def _make_out(self) -> None:
        if self.out.is_dir():
            mode = self.out.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                self.warnings.append(
                    f"the output folder {self.out} can be read by other users "
                    f"(mode {stat.filemode(mode)}); run `chmod 700 {self.out}` to keep its "
                    "personal data private")
            return
        if os.path.lexists(self.out):
            msg = f"{self.out} exists and is not a folder"
            raise OutputError(msg, hint="choose another output folder with -o")
        missing = [p for p in [self.out, *self.out.parents] if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir(mode=0o700)
            self._created.append(folder)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._close()
        if isinstance(exc, OSError):
            raise describe(exc, self.out) from None

    def _close(self) -> None:
        # A journal left by a commit that could not be undone stays for ``recover``.
        if self.root != Path() and not (self.root / JOURNAL).exists():
            shutil.rmtree(self.root, ignore_errors=True)
        if self._owner is not None:
            unlock(self._owner)
            self._owner = None
        with contextlib.suppress(OSError):
            (self.out / HIDDEN).rmdir()
        if not self._done:  # a failed first build leaves no empty folder behind
            for folder in self._created:
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def path(self, rel: str) -> Path:
        """Staged location of output path ``rel`` (its folder is created)."""
        target = check_inside(self.new, rel)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: bytes) -> Path:
        """Stage one file (owner-only permissions)."""
        target = self.path(rel)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        self.written.append(rel)
        return target

    def commit(self, manifest: dict[str, Any]) -> Report:
        """Move the staged files in, replacing the previous build's; the manifest last.

        The previous manifest's ``added`` entries are kept (unless this build writes
        the same path) and its backup folders stay listed.
        """
        return self._commit(manifest, own=OWNED)

    def _commit(self, manifest: dict[str, Any] | None, *, own: str | None = None,
                entry: dict[str, Any] | None = None) -> Report:
        try:
            if self.dry_run:
                return self._apply(manifest, own, entry)
            with FolderLock(self.out):
                recover(self.out, locked=True)
                return self._apply(manifest, own, entry)
        except OSError as e:
            raise describe(e, self.out) from None

    def _apply(self, manifest: dict[str, Any] | None, own: str | None,
               entry: dict[str, Any] | None) -> Report:
        previous = read_previous(self.out)
        if manifest is None:  # one file added by another command: the rest stays listed
            if not previous.exists or not previous.ours:
                msg = f"{self.out} holds no docgen build (no manifest.json); nothing was written"
                raise OutputError(msg, hint="build the case into this folder first")
            manifest = _with_entry(previous.data, entry or {})
        foreign = (previous.reference is not None and self.reference is not None
                   and previous.reference != self.reference)
        if foreign and not self.force:
            msg = (f"the output folder {self.out} holds the documents of case "
                   f"{previous.reference}, not of case {self.reference}; nothing was written")
            raise OutputError(msg, hint="build each case into its own folder (the default is "
                                        "out/<reference>), or use --force to move the other "
                                        "case's files into a backup folder first")
        staged = {rel: sha256_of(self.new / rel) for rel in self.written}
        removals = [] if own is None else previous.paths(own)
        backup = _backup_name(self.out) if self.force else None
        aside = (self.root / "old").relative_to(self.out).as_posix() if not self.dry_run else ""
        plan = plan_changes(self.out, staged, removals, previous, aside=aside,
                            backup=backup)
        if foreign:  # keep the other case's files, whatever their state
            _all_to_backup(plan, aside, backup)
        _refuse(plan, self.out, force=self.force)
        plan.report.backup = backup if plan.report.backed_up else None
        plan.report.dry_run = self.dry_run
        plan.report.warnings = self.warnings
        if self.dry_run:
            return plan.report
        _finish_manifest(manifest, previous.data, staged, plan.report.backup, own)
        self._stage_manifest(manifest)
        self._seal()
        journal = Journal(self.out, self.root, plan.ops, plan.prune)
        journal.save()
        try:
            journal.forward()
        except BaseException:
            try:
                journal.back()
            except BaseException:
                msg = (f"the commit into {self.out} was interrupted and could not be undone; "
                       "the next docgen command on this folder will finish undoing it")
                raise OutputError(msg) from None
            raise
        self._done = True
        _tighten(self.out, [*plan.report.unchanged, *plan.report.new, *plan.report.changed])
        return plan.report

    def _stage_manifest(self, manifest: dict[str, Any]) -> None:
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        if MANIFEST in self.written:
            self.written.remove(MANIFEST)
        self.write(MANIFEST, body.encode("utf-8"))

    def _seal(self) -> None:
        """Owner-only permissions on every staged file and folder, flushed to disk."""
        for folder, dirs, files in os.walk(self.new):
            base = Path(folder)
            base.chmod(0o700)
            for name in dirs:
                (base / name).chmod(0o700)
            for name in files:
                (base / name).chmod(0o600)
                fsync_file(base / name)
            fsync_dir(base)


def _backup_name(out: Path) -> str:
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    name = f"docgen-backup-{stamp}"
    n = 1
    while os.path.lexists(out / name):
        n += 1
        name = f"docgen-backup-{stamp}-{n}"
    return name


def _all_to_backup(plan: Plan, aside: str, backup: str | None) -> None:
    if backup is None:
        return
    for op in plan.ops:
        if op["op"] == "aside" and op["to"].startswith(aside + "/"):
            op["to"] = f"{backup}/{op['rel']}"
            plan.report.backed_up.append(op["rel"])
    plan.conflicts.clear()


def _refuse(plan: Plan, out: Path, *, force: bool) -> None:
    if plan.problems:
        lines = [f"cannot write the output folder {out}:"]
        lines += [f"  {p}" for p in plan.problems[:_SHOWN]]
        if len(plan.problems) > _SHOWN:
            lines.append(f"  … and {len(plan.problems) - _SHOWN} more")
        lines.append("Nothing was written.")
        raise OutputError("\n".join(lines))
    if plan.conflicts and not force:
        raise OutputError(_conflicts(plan.conflicts, out), hint=(
            "move or rename these files (copy your changes elsewhere first), or run again "
            "with --force: it moves them into a dated backup folder inside the output "
            "folder before writing"))


def _conflicts(conflicts: list[Conflict], out: Path) -> str:
    n = len(conflicts)
    lines = [f"{n} file{'s' if n != 1 else ''} in {out} would be overwritten or removed, "
             "but docgen did not write them as they are now:"]
    lines += [f"  {c.rel}: {c.reason}" for c in conflicts[:_SHOWN]]
    if n > _SHOWN:
        lines.append(f"  … and {n - _SHOWN} more")
    lines.append("Nothing was written.")
    return "\n".join(lines)


def _finish_manifest(manifest: dict[str, Any], old: dict[str, Any], staged: dict[str, str],
                     backup: str | None, own: str | None) -> None:
    if own is not None:
        kept = [r for r in old.get(ADDED, []) if isinstance(r, dict)
                and r.get("path") not in staged]
        if kept:
            manifest[ADDED] = kept
    backups = [b for b in old.get(BACKUPS, []) if isinstance(b, str)]
    if backup is not None:
        backups.append(backup)
    if backups:
        manifest[BACKUPS] = backups


def _tighten(out: Path, paths: list[str]) -> None:
    """Owner-only permissions on docgen's files and their folders (an older docgen, or
    another tool, may have left them readable by others); the output folder itself only
    gets a warning, since the user chose it."""
    folders: set[Path] = set()
    for rel in paths:
        with contextlib.suppress(OSError):
            path = out / rel
            if not path.is_symlink() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
            folders.update(p for p in path.parents if p != out and out in p.parents)
    for folder in folders:
        with contextlib.suppress(OSError):
            if not folder.is_symlink() and folder.stat().st_mode & 0o077:
                folder.chmod(0o700)


def recover(out: Path, *, locked: bool = False) -> int:
    """Finish (or undo) what a killed command left in ``out``; remove its staging folder.

    Returns how many leftovers were dealt with. Staging folders of commands still running
    (their lock is held) are left alone.
    """
    hidden = out / HIDDEN
    if not hidden.is_dir():
        return 0
    if not locked:
        with FolderLock(out):
            return recover(out, locked=True)
    count = 0
    for stage in sorted(hidden.glob("stage-*")):
        fd = _owner_lock(stage)
        if fd is None:
            continue
        try:
            journal = Journal.load(out, stage)
            if journal is None:
                shutil.rmtree(stage, ignore_errors=True)
            elif journal.state == "back":
                journal.back()
            else:
                try:
                    journal.forward()
                except OSError:
                    journal.back()
            count += 1
        finally:
            unlock(fd)
    return count


def _owner_lock(stage: Path) -> int | None:
    """The lock of a staging folder whose owner is gone, else None."""
    try:
        fd = os.open(stage / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    if try_lock(fd):
        return fd
    os.close(fd)
    return None


def write_file(out: Path, rel: str, data: bytes, record: dict[str, Any], *, reference: str,
               force: bool = False, dry_run: bool = False) -> Report:
    """Add or replace one docgen-made file in ``out`` and its entry in the manifest.

    For commands other than the build (e.g. a summary workbook). ``record`` is stored
    under the manifest's ``added`` with ``path`` and ``sha256`` filled in; the folder must
    hold a manifest of case ``reference``. Same rules as a build: a file at ``rel`` that
    changed since docgen wrote it, or that docgen did not write, is refused (or backed up
    with ``force``); all or nothing; nothing else in the folder is touched.
    """
    with Staging(out, reference=reference, force=force, dry_run=dry_run) as stage:
        stage.write(rel, data)
        entry = {**record, "path": rel, "sha256": sha256_of(stage.new / rel)}
        return stage._commit(None, entry=entry)


def _with_entry(old: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The previous manifest with ``entry`` added to (or replacing its path in) ``added``."""
    manifest = dict(old)
    rel = entry.get("path")
    for section in (OWNED, ADDED):
        items = manifest.get(section, [])
        manifest[section] = [r for r in items if not isinstance(r, dict)
                             or r.get("path") != rel]
    manifest[ADDED].append(entry)
    return manifest
