"""Is a folder written for libSQL? The evidence drizzle-kit leaves (standard library only).

drizzle-kit's "turso" dialect writes libSQL's additions (``ALTER TABLE ... ALTER COLUMN``).
Its config (``drizzle.config.ts`` and siblings, read as text and never executed) says
``dialect: "turso"`` (older releases: ``driver: "turso"``). A journal or snapshot (in
``meta/``, or ``snapshot.json`` per folder in drizzle-kit's v1 layout) that says
``"dialect": "turso"`` decides too; drizzle-kit 0.31 writes ``"sqlite"`` there even for
turso (measured), so the config is the usual evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

_CONFIG_NAMES = ("drizzle.config.ts", "drizzle.config.js", "drizzle.config.mjs",
                 "drizzle.config.cjs", "drizzle.config.mts", "drizzle.config.json")  # fmt: skip
_TURSO_IN_CONFIG = re.compile(r"""["']?\b(?:dialect|driver)["']?\s*:\s*["']turso["']""")
_META_FILES = ("_journal.json", "*_snapshot.json")


def turso_evidence(migrations_dir: Path, project_dir: Path | None = None) -> str | None:
    """The file (and what it says) that makes the folder libSQL's, or None."""
    for path in _config_files(migrations_dir, project_dir):
        if _TURSO_IN_CONFIG.search(_text(path)):
            return f'{path.as_posix()} sets the dialect "turso"'
    meta = migrations_dir / "meta"
    journals = [p for n in _META_FILES for p in sorted(meta.glob(n))] if meta.is_dir() else []
    # drizzle-kit's folder format (v1): <timestamp>_<name>/snapshot.json beside migration.sql
    folders = sorted(migrations_dir.glob("*/snapshot.json")) if migrations_dir.is_dir() else []
    for path in (*journals, *folders):
        if _json_dialect(path) == "turso":
            return f'{path.as_posix()} has "dialect": "turso"'
    return None


def _config_files(migrations_dir: Path, project_dir: Path | None) -> Iterator[Path]:
    """drizzle.config.* in the folder and its parents up to the project (without a
    project: the folder's parent)."""
    folder = migrations_dir.resolve()
    stop = project_dir.resolve() if project_dir is not None else folder.parent
    while True:
        yield from (folder / n for n in _CONFIG_NAMES if (folder / n).is_file())
        if folder == stop or folder == folder.parent or not folder.is_relative_to(stop):
            return
        folder = folder.parent


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _json_dialect(path: Path) -> object:
    try:
        data = json.loads(_text(path) or "null")
    except ValueError:
        return None
    return data.get("dialect") if isinstance(data, dict) else None
