"""SQLite replays the migrations: in ``sqlite3``, file by file, as the application would.

Its schema after each migration is read back by ``readback.py``; ``erdgen.core.compare``
holds the model against it. A refused statement is reported in SQLite's words.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from msgspec import Struct

from erdgen.dialects.sqlite.lexer import significant
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.dialects.sqlite.split import scan
from erdgen.errors import Location, MigrationError
from erdgen.model import Migration, Schema, SkippedStatement, Transaction


class Statement(Struct, frozen=True):
    """One statement of a migration file and where it starts."""

    sql: str
    location: Location


def split_statements(migration: Migration) -> Iterator[Statement]:
    """The statements of a file, split the way SQLite splits a script (split.py)."""
    for raw in scan(migration.sql).statements:
        yield Statement(raw.text, Location(migration.path, raw.line, raw.column))


# --- replaying migrations ----------------------------------------------------------------

_NO_SUCH_FUNCTION = re.compile(r"^no such function: (\w+)$")


def replay(
    migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
) -> Iterator[tuple[Migration, Schema]]:
    """Apply the migrations in order to one in-memory database; SQLite's schema after each.

    SQL that SQLite rejects raises MigrationError at the failing statement. A function
    the application registers on its own connection (``no such function``) gets a
    stand-in that returns its first argument, so that such folders replay.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration, _ in applied_in_order(conn, migrations, skipped):
            yield migration, read_schema(conn)
    finally:
        conn.close()


def applied_in_order(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    skipped: list[SkippedStatement] | None = None,
) -> Iterator[tuple[Migration, bool]]:
    """Apply each migration the way its tool does; yields it and ``apply_migration``'s flag.

    Migrations that share one transaction (drizzle runs every pending file in one) run
    statement by statement between one BEGIN and one COMMIT: a file may commit that
    transaction and open a new one itself (homarr's files switch foreign keys so).
    Without a transaction (goose NO TRANSACTION, sqlx -- no-transaction) each statement
    commits on its own. With ``skipped`` (``--keep-going``) a statement SQLite refuses is
    appended there and the replay goes on.
    """
    for position, migration in enumerate(migrations):
        # golang-migrate's sqlite3 driver wraps the file in a transaction (IMPLICIT)
        if migration.transaction in (Transaction.FILE, Transaction.IMPLICIT):
            yield migration, apply_migration(conn, migration, skipped)
            continue
        shared = migration.transaction is Transaction.SHARED
        if shared and not conn.in_transaction and _opens_group(migrations, position):
            conn.execute("BEGIN")
        statements = list(split_statements(migration))
        for statement in statements:
            _execute(conn, statement, skipped)
        if shared and conn.in_transaction and _closes_group(migrations, position):
            conn.execute("COMMIT")
        yield migration, not any(_CONNECTION_STATE.match(s.sql) for s in statements)


def _opens_group(migrations: Sequence[Migration], position: int) -> bool:
    return position == 0 or migrations[position - 1].transaction is not Transaction.SHARED


def _closes_group(migrations: Sequence[Migration], position: int) -> bool:
    last = position + 1 == len(migrations)
    return last or migrations[position + 1].transaction is not Transaction.SHARED


def replay_final(
    migrations: Sequence[Migration],
    snapshots: Path | None = None,
    skipped: list[SkippedStatement] | None = None,
) -> Schema:
    """SQLite's schema after all the migrations (like ``replay``, read once at the end).

    With a ``snapshots`` folder the database after the last replay is kept there, and a
    later replay starts from the longest kept prefix of the same files (one new migration
    then costs one file, not the whole folder). A snapshot is only taken when no
    migration changed the connection's own state (a PRAGMA other than
    ``defer_foreign_keys``, ATTACH), which a snapshot would not carry. With ``skipped``
    (``--keep-going``) nothing is kept or restored: the skips are found by replaying.
    """
    keys = _prefix_keys(migrations)
    conn, start = _restored(snapshots if skipped is None else None, keys)
    try:
        portable = skipped is None
        for _, kept in applied_in_order(conn, migrations[start:], skipped):
            portable = kept and portable
        if snapshots is not None and portable and start < len(migrations):
            _keep(conn, snapshots, keys[-1])
        return read_schema(conn)
    finally:
        conn.close()


_SNAPSHOT_SUFFIX = ".sqlite"
_SNAPSHOTS_KEPT = 3  # the last few: a migration added and removed again finds its state


def _prefix_keys(migrations: Sequence[Migration]) -> list[str]:
    """One key per prefix: the files so far (name and text), SQLite's version."""
    digest = hashlib.sha256(f"erdgen snapshot 1\0{sqlite3.sqlite_version}".encode())
    keys = []
    for migration in migrations:
        digest.update(f"\0{migration.path}\0{len(migration.sql)}\0{migration.sql}".encode())
        keys.append(digest.copy().hexdigest())
    return keys


def _restored(folder: Path | None, keys: list[str]) -> tuple[sqlite3.Connection, int]:
    """A database with the kept state of the longest prefix, and how many migrations that
    covers; an empty one (0) when nothing usable is kept."""
    position = {key: index for index, key in enumerate(keys)}
    kept = [position[p.stem] for p in _snapshots(folder) if p.stem in position]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    if folder is None or not kept:
        return conn, 0
    path = folder / f"{keys[max(kept)]}{_SNAPSHOT_SUFFIX}"
    try:
        conn.deserialize(path.read_bytes())
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except (OSError, sqlite3.Error):  # damaged: replay everything
        conn.close()
        path.unlink(missing_ok=True)
        return sqlite3.connect(":memory:", isolation_level=None), 0
    return conn, max(kept) + 1


def _keep(conn: sqlite3.Connection, folder: Path, key: str) -> None:
    try:
        content = conn.serialize()
    except sqlite3.OperationalError:  # migrations that created nothing: no page to keep
        return
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key}{_SNAPSHOT_SUFFIX}"
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(content)
    temporary.replace(target)
    older = sorted(_snapshots(folder), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for path in older[_SNAPSHOTS_KEPT:]:
        path.unlink(missing_ok=True)


def _snapshots(folder: Path | None) -> list[Path]:
    return list(folder.glob(f"*{_SNAPSHOT_SUFFIX}")) if folder and folder.is_dir() else []


def apply_migration(
    conn: sqlite3.Connection, migration: Migration, skipped: list[SkippedStatement] | None = None
) -> bool:
    """Run one migration file: as one script in one transaction when it can be.

    True when the file left no state in the connection itself (see ``replay_final``).
    With ``skipped`` (``--keep-going``) each statement runs on its own, and one that
    SQLite refuses is appended there and has no effect (SQLite undoes a failed statement).

    A script in a transaction takes half the time of statements in autocommit (every
    statement otherwise commits). On any error the transaction is rolled back and the
    file runs statement by statement, which names the failing statement and registers
    missing functions. Files that steer transactions or foreign keys themselves always
    run statement by statement, as they would in the application.
    """
    statements = list(split_statements(migration))
    portable = not any(_CONNECTION_STATE.match(statement.sql) for statement in statements)
    if skipped is not None:
        for statement in statements:
            _execute(conn, statement, skipped)
        return portable
    if not any(_controls_transactions(statement.sql) for statement in statements):
        try:
            conn.executescript(f"BEGIN;\n{migration.sql}\n;COMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:  # run it again below, statement by statement
                conn.execute("ROLLBACK")
        else:
            if conn.in_transaction:  # an unclosed /* comment swallowed the COMMIT
                conn.execute("COMMIT")
            return portable
    for statement in statements:
        _execute(conn, statement)
    return portable


_CONNECTION_STATE = re.compile(
    r"(?:PRAGMA\s+(?!(?:\w+\s*\.\s*)?defer_foreign_keys\b)|ATTACH\b|DETACH\b)", re.IGNORECASE
)


_TRANSACTION_CONTROL = re.compile(
    r"(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM"
    r"|PRAGMA\s+(?:\w+\s*\.\s*)?foreign_keys)\b",
    re.IGNORECASE,
)


def _controls_transactions(sql: str) -> bool:
    """Statements that behave differently (or fail) inside the transaction around a script."""
    return _TRANSACTION_CONTROL.match(sql) is not None


def _execute(
    conn: sqlite3.Connection, statement: Statement, skipped: list[SkippedStatement] | None = None
) -> None:
    """Execute; a refusal raises, or with ``skipped`` is appended there."""
    if skipped is None:
        execute_statement(conn, statement.sql, statement.location)
        return
    reason = refusal(conn, statement.sql)
    if reason is not None:
        skipped.append(SkippedStatement(statement.location, statement.sql, reason))


_NEAR = re.compile(r'near "(.*)": syntax error|unrecognized token: "(.*)"')


def execute_statement(conn: sqlite3.Connection, sql: str, location: Location) -> None:
    """Execute one statement; where SQLite refuses it, raise MigrationError in its words.

    A function the application registers on its own connection (``no such function``)
    gets a stand-in that returns its first argument, and the statement runs again.
    """
    reason = refusal(conn, sql)
    if reason is not None:
        raise rejected(sql, location, reason)


def refusal(conn: sqlite3.Connection, sql: str) -> str | None:
    """Execute one statement; SQLite's error message when it refuses it, else None.

    A function the application registers on its own connection (``no such function``)
    gets a stand-in that returns its first argument, and the statement runs again.
    """
    while True:
        try:
            try:
                conn.execute(sql)
            except sqlite3.Warning:  # more than one statement: only a script runs them
                conn.executescript(sql)
            return None
        except sqlite3.Error as error:
            missing = _NO_SUCH_FUNCTION.match(str(error))
            if missing is None:
                return str(error)
            conn.create_function(missing.group(1), -1, _stand_in)


def rejected(sql: str, location: Location, message: str, engine: str = "SQLite") -> MigrationError:
    """The engine's refusal as an error, placed at the token it names when it names one."""
    near = _NEAR.search(message)
    named = near and (near[1] or near[2])
    offset = _offset_of_named_token(sql, named, message) if named else -1
    if offset > 0:
        line = location.line + sql.count("\n", 0, offset)
        column = offset - (sql.rfind("\n", 0, offset) + 1) + 1
        if line == location.line:
            column += location.column - 1
        location = Location(location.path, line, column)
    return MigrationError(f"{engine} rejects this statement: {message}", location, sql)


class Connection(Protocol):
    """What erdgen uses of a DB-API connection of SQLite's family (sqlite3, libsql)."""

    def execute(self, sql: str, /) -> Any: ...

    def close(self) -> None: ...


class Engine(Struct, frozen=True):
    """An engine of SQLite's family as the judge: how to open a scratch database and run
    one statement on it (``refusal``: the engine's error message, or None)."""

    name: str  # as messages name it: "SQLite", "libSQL"
    connect: Callable[[], Connection]
    refusal: Callable[[Any, str], str | None]
    # PRAGMA foreign_keys on a new connection: SQLite's default is OFF (foreignkeys.html,
    # section 2); the libsql package's connections start with it ON
    foreign_keys: bool = False


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


SQLITE_ENGINE = Engine("SQLite", _memory, refusal)


def _offset_of_named_token(sql: str, text: str, message: str) -> int:
    """Where SQLite stopped: the first token ``text`` at which the statement up to and
    including it already fails with ``message`` (before it, SQLite reads "incomplete
    input"). The tokens are walked as SQLite's tokenizer walks them (lexer.py); the
    prefixes are only prepared (EXPLAIN), never run."""
    scratch = sqlite3.connect(":memory:")
    try:
        for token in significant(sql):
            if token.text != text:
                continue
            try:
                scratch.execute("EXPLAIN " + sql[: token.end])
            except sqlite3.Error as error:
                if str(error) == message:
                    return token.start
    finally:
        scratch.close()
    return sql.find(text)


SqliteValue = str | bytes | int | float | None


def _stand_in(*arguments: SqliteValue) -> SqliteValue:
    return arguments[0] if arguments else None
