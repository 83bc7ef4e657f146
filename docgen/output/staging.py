"""Write a build atomically: stage everything beside the output folder, then move it in.

A failed build leaves the output folder exactly as it was. Two builds into the same
folder take turns (a lock beside the folder). Files are readable by their owner only:
they carry personal data.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from types import TracebackType

from docgen.errors import OutputError
from docgen.output.paths import check_inside

MANIFEST = "manifest.json"


class _Lock:
    """An exclusive lock on a file beside the output folder."""

    def __init__(self, path: Path, timeout: float = 60.0) -> None:
        self.path = path
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> _Lock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                _lock_fd(self.fd)
                return self
            except OSError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    msg = f"another docgen build is writing {self.path.parent}; try again later"
                    raise OutputError(msg) from None
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                _unlock_fd(self.fd)
            os.close(self.fd)


def _lock_fd(fd: int) -> None:
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_fd(fd: int) -> None:
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Staging:
    """A temporary folder beside the output folder; ``commit`` moves its files in."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.root = Path()
        self.written: list[str] = []

    def __enter__(self) -> Staging:
        parent = self.out.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.docgen-", dir=parent))
        except OSError as e:
            msg = f"cannot create a working folder beside {self.out} ({e.strerror})"
            raise OutputError(msg) from None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def path(self, rel: str) -> Path:
        """Staged location of output path ``rel`` (its folder is created)."""
        target = check_inside(self.root, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: bytes) -> Path:
        """Stage one file (owner-only permissions)."""
        target = self.path(rel)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        self.written.append(rel)
        return target

    def commit(self, manifest: dict[str, object]) -> None:
        """Move every staged file into the output folder, the manifest last."""
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        self.write(MANIFEST, body.encode("utf-8"))
        lock = self.out.parent / f".{self.out.name}.docgen-lock"
        with _Lock(lock):
            if not self.out.exists():
                self.root.replace(self.out)
                self.root.mkdir()  # so that __exit__ has something to remove
                return
            if not self.out.is_dir():
                msg = f"{self.out} exists and is not a folder"
                raise OutputError(msg)
            old = _previous_paths(self.out)
            # Files the new manifest lists stay, including those another command added.
            documents = manifest.get("documents")
            listed = {str(d["path"]) for d in documents} if isinstance(documents, list) else set()
            new = set(self.written) | listed
            for rel in self.written:
                if rel == MANIFEST:
                    continue
                dest = self.out / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                (self.root / rel).replace(dest)
            for rel in sorted(old - new):
                stale = self.out / rel
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
                _prune_empty(stale.parent, self.out)
            (self.root / MANIFEST).replace(self.out / MANIFEST)


def _previous_paths(out: Path) -> set[str]:
    """Files the previous build wrote (only those are ever removed)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {str(d["path"]) for d in data.get("documents", []) if _safe_rel(str(d["path"]))}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _safe_rel(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
