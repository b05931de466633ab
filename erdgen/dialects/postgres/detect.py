"""Does a migrations folder hold PostgreSQL? Evidence from the SQL itself.

Used when no tool file names the dialect (Prisma's ``migration_lock.toml``, drizzle's
config do). The markers are syntax SQLite does not accept at all, so a SQLite folder
never shows them, and neither does MySQL: dollar-quoted bodies, ``::`` casts,
``CREATE EXTENSION``, enum types, ``ALTER COLUMN ... TYPE / SET NOT NULL``,
``SET search_path``, and types only PostgreSQL has (``timestamptz``, ``jsonb``,
``bigserial``, ``bytea``).
"""

from __future__ import annotations

import re
from pathlib import Path

_MARKERS = re.compile(
    r"\$[A-Za-z_]*\$"
    r"|::"
    r"|\bCREATE\s+EXTENSION\b"
    r"|\bAS\s+ENUM\s*\("
    r"|\bALTER\s+COLUMN\s+\S+\s+(?:TYPE|SET\s+DATA\s+TYPE|SET\s+NOT\s+NULL|DROP\s+NOT\s+NULL)\b"
    r"|\bSET\s+search_path\b"
    r"|\b(?:timestamptz|jsonb|bigserial|bytea)\b",
    re.IGNORECASE,
)
_READ_BYTES = 65536  # per file: the markers show early; a large data file is not read whole
_MAX_FILES = 200


def postgres_evidence(migrations_dir: Path) -> bool:
    """True when a ``.sql`` file of the folder (or its subfolders) uses PostgreSQL syntax."""
    if not migrations_dir.is_dir():
        return False
    for count, path in enumerate(sorted(migrations_dir.rglob("*.sql"))):
        if count >= _MAX_FILES:
            break
        with path.open(encoding="utf-8", errors="replace") as handle:
            if _MARKERS.search(_without_comments(handle.read(_READ_BYTES))):
                return True
    return False


# Comments, string literals and quoted names are data: a SQLite column named "::" or a
# comment that mentions jsonb is no evidence. Dollar quotes are kept: they are the marker.
_NOT_SYNTAX = re.compile(
    r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]\n]*\]",
    re.DOTALL,
)


def _without_comments(text: str) -> str:
    return _NOT_SYNTAX.sub(" ", text)
