"""What a commit would do to the output folder, decided before anything moves.

Every file a command would write or remove is compared with the previous manifest: a file
still as docgen wrote it may be replaced or removed; one that changed since, or that
docgen never wrote, is a conflict (refused, or with ``force`` moved into a backup folder
first). Kinds, links and permissions are checked here too, so that a commit that would
fail half way is refused before its first step.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from docgen.output.manifest import MANIFEST, Previous, sha256_of
from docgen.output.paths import LinkError, walk_to

__all__ = ["Conflict", "Plan", "Report", "plan_changes"]

_MARGIN = 1 << 20  # bytes kept free for the journal and folder entries


@dataclass
class Report:
    """What a commit did (or, in a dry run, would do), by path relative to the folder."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    backed_up: list[str] = field(default_factory=list)
    backup: str | None = None  # the folder inside the output folder holding backed_up
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        """One line: ``12 new, 3 changed, 34 unchanged, 2 removed``."""
        return (f"{len(self.new)} new, {len(self.changed)} changed, "
                f"{len(self.unchanged)} unchanged, {len(self.removed)} removed")


@dataclass(frozen=True)
class Conflict:
    """A file the commit would replace or remove although docgen did not write it so."""

    rel: str
    reason: str


@dataclass
class Plan:
    """The journal's steps, the report, and what stands in the way."""

    report: Report = field(default_factory=Report)
    ops: list[dict[str, str]] = field(default_factory=list)
    prune: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _mkdirs: set[str] = field(default_factory=set)


def plan_changes(
    out: Path,
    staged: dict[str, str],
    removals: list[str],
    previous: Previous,
    *,
    aside: str,
    backup: str | None,
) -> Plan:
    """Plan moving ``staged`` (path -> SHA-256) in and ``removals`` out of ``out``.

    Replaced and removed files go to ``aside`` (inside the staging folder); conflicts go
    to ``backup`` when given (``--force``), else they are only listed.
    """
    plan = Plan()
    asides: list[dict[str, str]] = []
    places: list[dict[str, str]] = []
    for rel in sorted(staged):
        if rel == MANIFEST:
            continue
        state = _look(out, rel, plan, staged[rel], previous)
        if state == "new":
            plan.report.new.append(rel)
        elif state == "unchanged":
            plan.report.unchanged.append(rel)
        elif state in {"changed", "conflict"}:
            plan.report.changed.append(rel)
            asides.append(_aside(rel, state, aside, backup, plan))
        else:
            continue
        if state != "unchanged":
            places.append({"op": "place", "rel": rel})
    for rel in sorted(set(removals) - set(staged)):
        state = _look(out, rel, plan, None, previous)
        if state in {"changed", "conflict"}:
            plan.report.removed.append(rel)
            asides.append(_aside(rel, state, aside, backup, plan))
            plan.prune.extend(_ancestors(rel))
    if previous.exists and not previous.ours:
        plan.conflicts.append(Conflict(MANIFEST, "is not a manifest docgen wrote"))
    manifest_aside = _manifest_aside(out, previous, aside, backup, plan)
    mkdirs = [{"op": "mkdir", "rel": d} for d in sorted(plan._mkdirs, key=lambda d: d.count("/"))]
    plan.ops = [*mkdirs, *asides, *places, *manifest_aside, {"op": "place", "rel": MANIFEST}]
    plan.prune = sorted(set(plan.prune))
    _check_space(out, plan)
    return plan


def _look(out: Path, rel: str, plan: Plan, new_sha: str | None, previous: Previous) -> str:
    """Classify one path: new, unchanged, changed (docgen's, replaceable), conflict, bad."""
    try:
        dest = walk_to(out, rel)
    except LinkError as e:
        plan.problems.append(e.message)
        return "bad"
    if not _parents_ok(out, rel, plan, create=new_sha is not None):
        return "bad"
    if not os.path.lexists(dest):
        return "new" if new_sha is not None else "absent"
    if dest.is_dir():
        if new_sha is not None:
            plan.problems.append(f"{rel}: a folder stands where docgen's file belongs")
        return "bad"
    digest = sha256_of(dest)
    if new_sha is not None and digest == new_sha:
        return "unchanged"
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        plan.problems.append(f"{rel}: permission denied: docgen may not change the folder "
                             "it is in")
        return "bad"
    if _locked(dest):
        plan.problems.append(f"{rel}: the file is open in another program; close it")
        return "bad"
    recorded = previous.sha.get(rel)
    if recorded == digest:
        return "changed"
    why = ("was changed after docgen wrote it" if recorded is not None
           else "was not made by docgen")
    plan.conflicts.append(Conflict(rel, why))
    return "conflict"


def _parents_ok(out: Path, rel: str, plan: Plan, *, create: bool) -> bool:
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        sub = "/".join(parts[:i])
        folder = out / sub
        if folder.is_dir():
            if create and not os.access(folder, os.W_OK | os.X_OK):
                plan.problems.append(f"{sub}: permission denied: docgen may not write in "
                                     "this folder")
                return False
        elif os.path.lexists(folder):
            plan.problems.append(f"{sub}: a file stands where a folder belongs")
            return False
        elif create:
            plan._mkdirs.add(sub)
        else:
            return True
    return True


def _aside(rel: str, state: str, aside: str, backup: str | None, plan: Plan) -> dict[str, str]:
    if state == "conflict" and backup is not None:
        plan.report.backed_up.append(rel)
        return {"op": "aside", "rel": rel, "to": f"{backup}/{rel}"}
    return {"op": "aside", "rel": rel, "to": f"{aside}/{rel}"}


def _manifest_aside(out: Path, previous: Previous, aside: str, backup: str | None,
                    plan: Plan) -> list[dict[str, str]]:
    if not os.path.lexists(out / MANIFEST):
        return []
    try:
        walk_to(out, MANIFEST)
    except LinkError as e:
        plan.problems.append(e.message)
        return []
    if not previous.ours and backup is not None:
        plan.report.backed_up.append(MANIFEST)
        return [{"op": "aside", "rel": MANIFEST, "to": f"{backup}/{MANIFEST}"}]
    return [{"op": "aside", "rel": MANIFEST, "to": f"{aside}/{MANIFEST}"}]


def _ancestors(rel: str) -> list[str]:
    parts = rel.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _locked(path: Path) -> bool:
    """Whether another program holds the file open so it cannot be moved (Windows tells)."""
    if os.name != "nt":  # pragma: no cover - POSIX never refuses to rename an open file
        return False
    try:  # pragma: no cover - Windows
        with path.open("r+b"):
            return False
    except PermissionError:  # pragma: no cover - Windows
        return True
    except OSError:  # pragma: no cover - Windows
        return False


def _check_space(out: Path, plan: Plan) -> None:
    try:
        free = shutil.disk_usage(out).free
    except OSError:
        return
    if free < _MARGIN + 512 * len(plan.ops):
        plan.problems.append(f"the disk holding {out} is full; free some space")
