"""The libSQL engine as the judge: the PyPI package ``libsql`` (libSQL's engine embedded,
with the ``sqlite3`` module's API), replaying migrations statement by statement.

Measured with libsql 0.1.11 (SQLite 3.45.1 inside): it raises ``ValueError`` (and
``libsql.Error``) where sqlite3 raises ``sqlite3.Error``; ``executescript`` stops at the
first failing statement *without raising*, and ``execute`` of several statements runs
the first one only; it has no ``create_function`` and no ``serialize``. So every
statement runs on its own through ``execute`` (split as SQLite splits a script), and
functions an application registers cannot get stand-ins here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from erdgen.dialects.sqlite.engine import Engine, rejected, split_statements
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.errors import ConfigError
from erdgen.model import Migration, Schema, SkippedStatement

ENGINE_NAME = "libSQL"
_NOT_AN_ERROR = "not an error"  # libsql's answer to a statement that is only a comment


def _module() -> Any:
    try:
        return importlib.import_module("libsql")
    except ImportError:
        raise ConfigError(
            "the libSQL dialect needs the libSQL engine: pip install 'erdgen[libsql]' "
            "(the PyPI package libsql)"
        ) from None


def read_database(path: Path) -> Schema:
    """The schema of an existing database file, as libSQL reports it."""
    if not path.is_file():
        raise ConfigError(f"database not found: {path}")
    conn = _module().connect(str(path))
    try:
        return read(conn)
    finally:
        conn.close()


def connect() -> Any:
    """A fresh in-memory libSQL database in autocommit."""
    return _module().connect(":memory:", isolation_level=None)


def refusal(conn: Any, sql: str) -> str | None:
    """Run one statement; libSQL's error message when it refuses it, else None."""
    errors = (ValueError, _module().Error)
    try:
        conn.execute(sql)
    except errors as error:
        message = str(error)
        return None if message == _NOT_AN_ERROR else message
    return None


class _Rows(list[Any]):
    """A result as sqlite3 hands it out: iterable, with ``fetchall``/``fetchone``."""

    def fetchall(self) -> list[Any]:
        return list(self)

    def fetchone(self) -> Any:
        return self[0] if self else None


class _Reading:
    """A libsql connection as ``readback.read_schema`` reads one: libsql's cursors cannot
    be iterated, so each result is fetched whole (schema PRAGMAs are small)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> _Rows:
        return _Rows(self.conn.execute(sql, tuple(parameters)).fetchall())


def read(conn: Any) -> Schema:
    """libSQL's schema of an open connection (``readback.read_schema``'s PRAGMAs)."""
    return read_schema(_Reading(conn))  # type: ignore[arg-type]


# a new libsql connection answers PRAGMA foreign_keys with 1 (measured, libsql 0.1.11):
# a RENAME TABLE then rewrites other tables' REFERENCES even under legacy_alter_table
LIBSQL_ENGINE = Engine(ENGINE_NAME, connect, refusal, foreign_keys=True)


def replay(
    migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
) -> Iterator[tuple[Migration, Schema]]:
    """Apply the migrations in libSQL, statement by statement; its schema after each.

    Raises MigrationError at the first statement libSQL refuses, or (``skipped`` given,
    ``--keep-going``) appends it there and goes on."""
    conn = connect()
    try:
        for migration in migrations:
            apply_migration(conn, migration, skipped)
            yield migration, read(conn)
    finally:
        conn.close()


def replay_final(
    migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
) -> Schema:
    """libSQL's schema after all the migrations (``replay``, read once at the end)."""
    conn = connect()
    try:
        for migration in migrations:
            apply_migration(conn, migration, skipped)
        return read(conn)
    finally:
        conn.close()


def apply_migration(
    conn: Any, migration: Migration, skipped: list[SkippedStatement] | None = None
) -> None:
    for statement in split_statements(migration):
        reason = refusal(conn, statement.sql)
        if reason is None:
            continue
        if skipped is None:
            raise rejected(statement.sql, statement.location, reason, ENGINE_NAME)
        skipped.append(SkippedStatement(statement.location, statement.sql, reason))
