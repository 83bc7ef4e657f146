"""Lint results remembered by template content, so an unchanged template is checked once.

A build lints every template it uses; most builds use the same unchanged templates, so
the problems found (usually none) are kept in the user's cache folder under a key made
of the template's bytes, the check's inputs (its path, the document kinds using it,
every name a template may use) and docgen's version: any change to one of them is a new
key. An entry holds template paths, places and template text, never case data (the
linter never sees a case). The folder is safe to delete at any time; an entry that
cannot be read is recomputed, and a cache that cannot be written is simply not used.

The folder: ``DOCGEN_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/docgen``
or ``~/.cache/docgen`` (Linux and others), ``~/Library/Caches/docgen`` (macOS),
``%LOCALAPPDATA%\\docgen\\Cache`` (Windows).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docgen._version import __version__
from docgen.errors import Issue

_FORMAT = 1  # bump when what an entry holds changes


def cache_dir() -> Path | None:
    """The folder lint results are kept in, or None when caching is off."""
    configured = os.environ.get("DOCGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "docgen" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "docgen"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "docgen"


def lint_key(data: bytes, rel: str, kinds: Sequence[str], doc_kinds: Sequence[str],
             vocabulary: str) -> str:
    """The key of one template's check: everything its result depends on."""
    digest = hashlib.sha256()
    for part in (f"docgen {__version__} lint {_FORMAT}", rel, "\0".join(kinds),
                 "\0".join(doc_kinds), vocabulary):
        digest.update(part.encode("utf-8") + b"\xff")
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def cached(key: str, compute: Callable[[], list[Issue]]) -> list[Issue]:
    """The problems remembered under ``key``, else ``compute()``'s, remembered."""
    folder = cache_dir()
    if folder is None:
        return compute()
    entry = folder / "lint" / key[:2] / f"{key}.json"
    try:
        rows = json.loads(entry.read_text(encoding="utf-8"))
        return [Issue(str(r[0]), r[1], r[2], str(r[3]), str(r[4])) for r in rows]
    except (OSError, ValueError, TypeError, IndexError, KeyError):
        pass  # not there yet, or unreadable: check the template again
    issues = compute()
    rows = [[i.file, i.line, i.col, i.field, i.message] for i in issues]
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".lint-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(rows, f, ensure_ascii=False)
            Path(tmp).replace(entry)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return issues
