"""Migrations folders further down a project: a monorepo keeps them in a package
(``packages/db/prisma/migrations``, ``apps/api/migrations``), not at the top.

A folder qualifies when its path ends with one of the usual folder names the caller
gives (``prisma/migrations``, ``drizzle``, ...) and it holds migrations
(``registry.holds_migrations``), or when a tool config in a folder on the way names it.
The walk skips what no project keeps its migrations in (dependencies, build output,
hidden folders) and stops after ``MAX_FOLDERS`` folders, so that a huge repository costs
a bounded time; the order is deterministic (shallowest first, then by path).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from erdgen.layouts.configs import configs_in
from erdgen.layouts.registry import holds_migrations

# Folders that hold dependencies, build output or tools' state, never a project's own
# migrations (a dependency's migrations are its own, not the project's schema).
SKIPPED = frozenset(
    {"node_modules", "vendor", "target", "dist", "build", "site", "venv", "__pycache__"}
    | {"bower_components", "coverage", "out", "tmp"}
)
MAX_DEPTH = 6  # folders below the project root
MAX_FOLDERS = 20_000  # looked at in all


def nested_migration_folders(project_dir: Path, usual: Sequence[str]) -> list[tuple[str, str]]:
    """(folder relative to ``project_dir`` in POSIX style, why) for every migrations folder
    below the top: shallowest first, then by path; each folder once."""
    found: dict[str, str] = {}
    for relative in _folders(project_dir):
        folder = project_dir / relative
        for config in configs_in(folder):
            named = _relative_to(config.folder, project_dir)
            if named is not None and config.folder.is_dir() and holds_migrations(config.folder):
                found.setdefault(named, f"{relative}/{config.config.name}: {config.says}")
        usual_name = any(relative == u or relative.endswith(f"/{u}") for u in usual)
        if usual_name and holds_migrations(folder):
            found.setdefault(relative, f"{relative}/ holds migrations")
    ordered = sorted(found, key=lambda path: (path.count("/"), path))
    return [(path, found[path]) for path in ordered]


def _folders(project_dir: Path) -> Iterator[str]:
    """Folders below ``project_dir`` (relative, POSIX), breadth by depth as os.walk gives
    them top-down, without the skipped ones."""
    for seen, (folder, subfolders, _files) in enumerate(os.walk(project_dir), start=1):
        relative = Path(folder).relative_to(project_dir)
        depth = len(relative.parts)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and name not in SKIPPED and depth < MAX_DEPTH
        )
        if depth:
            yield relative.as_posix()
        if seen >= MAX_FOLDERS:
            return


def _relative_to(path: Path, project_dir: Path) -> str | None:
    try:
        return path.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:  # a config naming a folder outside the project
        return None
