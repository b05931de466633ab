"""erdgen's cache entries as SQLite itself reads them (``.erdgen-cache/entries.sqlite``)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from erdgen.site.cache import ENTRIES_FILE


def stored(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """Key -> bytes of the saved entries whose key starts with ``prefix``."""
    path = folder / ENTRIES_FILE
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT key, data FROM entries WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
        )
        return {key: bytes(data) for key, data in rows}


def used(folder: Path) -> dict[str, float]:
    """Key -> the time (seconds since the epoch) a build last used the entry."""
    with closing(sqlite3.connect(folder / ENTRIES_FILE)) as connection:
        return dict(connection.execute("SELECT key, used FROM entries"))


def overwrite(folder: Path, key: str, data: bytes, used_at: float | None = None) -> None:
    """Put ``data`` under ``key`` as if a build had saved it (at ``used_at``)."""
    with closing(sqlite3.connect(folder / ENTRIES_FILE)) as connection, connection:
        if used_at is None:
            connection.execute("UPDATE entries SET data = ? WHERE key = ?", (data, key))
        else:
            connection.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (key, used_at, data)
            )


def age_all(folder: Path, used_at: float) -> None:
    """Mark every entry as last used at ``used_at``."""
    with closing(sqlite3.connect(folder / ENTRIES_FILE)) as connection, connection:
        connection.execute("UPDATE entries SET used = ?", (used_at,))
