"""Does a migrations folder hold PostgreSQL? Evidence from the SQL itself.

Used when no tool file names the dialect (Prisma's ``migration_lock.toml``, drizzle's
config do). The markers are syntax SQLite does not accept at all, so a SQLite folder
never shows them, and neither does MySQL: dollar-quoted bodies, ``::`` casts,
``CREATE EXTENSION``, enum types, ``ALTER COLUMN ... TYPE / SET NOT NULL``,
``SET search_path``, types only PostgreSQL has (``timestamptz``, ``jsonb``,
``bigserial``, ``bytea``), and psql meta-commands (``\\set``, ``\\i``).
"""

from __future__ import annotations

import re
from pathlib import Path

from erdgen.dialects.evidence import sql_files

_MARKERS = re.compile(
    r"\$[A-Za-z_]*\$"
    r"|::"
    r"|\bCREATE\s+EXTENSION\b"
    r"|\bAS\s+ENUM\s*\("
    r"|\bALTER\s+COLUMN\s+\S+\s+(?:TYPE|SET\s+DATA\s+TYPE|SET\s+NOT\s+NULL|DROP\s+NOT\s+NULL)\b"
    r"|\bSET\s+search_path\b"
    r"|\b(?:timestamptz|jsonb|bigserial|bytea)\b"
    # a psql meta-command opening a line (sqitch's `\set ON_ERROR_STOP on`): SQLite's shell
    # has dot-commands, and a MySQL folder is refused before this is asked
    r"|^[ \t]*\\(?:set|unset|i|ir|include|echo|connect)\b",
    re.IGNORECASE | re.MULTILINE,
)


def postgres_evidence(migrations_dir: Path) -> bool:
    """True when a ``.sql`` file of the folder (or its subfolders) uses PostgreSQL syntax."""
    return any(_MARKERS.search(text) for _, text in sql_files(migrations_dir))
