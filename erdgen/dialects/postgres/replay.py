"""Replay a migration's statements into PostgreSQL.

``replay`` sends one statement per round trip, through the extended query protocol, which
accepts exactly one statement ("cannot insert multiple commands into a prepared
statement", src/backend/tcop/postgres.c): a replay that passes proves that the split gave
the server its statements one by one. A migration runs as its tool runs it: in one
transaction, outside one (``CREATE INDEX CONCURRENTLY`` must), or as one simple-query
message (golang-migrate). The first statement the server rejects ends the replay and is
reported with the server's version and message. ``replay_migration`` does the same with
one round trip for a migration that runs in one transaction (the cross-check's replay).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from msgspec import Struct

from erdgen.dialects.postgres.split import Statement
from erdgen.errors import Location
from erdgen.model import Migration, Session, Transaction

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


class Rejection(Struct, frozen=True):
    """A statement the server refused."""

    location: Location
    statement: str
    message: str  # the server's primary message, e.g. 'relation "t" already exists'
    sqlstate: str  # e.g. "42P07"
    server_version: str  # e.g. "15.18"

    def format(self) -> str:
        return f"{self.location}: PostgreSQL {self.server_version} rejects this: {self.message}"


class ServerRejectedError(Exception):
    def __init__(self, message: str, sqlstate: str, position: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.position = position  # 1-based character in the statement; 0 when not given


def execute(connection: Connection, sql: str) -> None:
    """Run one statement; ``ServerRejectedError`` with the server's message if it fails."""
    from psycopg import pq

    result = connection.pgconn.exec_params(sql.encode(), [])
    if result.status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
        return
    field = result.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b""
    message = field.decode(errors="replace") or result.error_message.decode(errors="replace")
    sqlstate = (result.error_field(pq.DiagnosticField.SQLSTATE) or b"").decode()
    position = (result.error_field(pq.DiagnosticField.STATEMENT_POSITION) or b"0").decode()
    raise ServerRejectedError(message.strip(), sqlstate, int(position or 0))


def start_session(connection: Connection, migration: Migration) -> None:
    """Before ``migration``: the search path its tool gives it (``Migration.session``):
    the server's default for a session of its own, else what earlier migrations SET."""
    if migration.session is Session.OWN:
        execute(connection, "RESET search_path")


def in_transaction(transaction: Transaction, count: int) -> bool:
    """Whether a migration of ``count`` statements starts inside a transaction block as
    its tool runs it (``replay``'s rules): ``FILE``, ``SHARED``, ``IMPLICIT`` with more
    than one statement."""
    implicit = transaction is Transaction.IMPLICIT and count > 1
    return implicit or transaction in (Transaction.FILE, Transaction.SHARED)


def replay(
    connection: Connection,
    statements: Iterable[Statement],
    transaction: Transaction = Transaction.FILE,
) -> Rejection | None:
    """Apply one migration as its tool does; the first rejected statement, or None.

    ``FILE`` and ``SHARED``: between one BEGIN and one COMMIT. ``NONE``: each statement
    commits on its own. ``IMPLICIT`` (golang-migrate: the file as one simple-query
    message): several statements run as one implicit transaction, which a ``COMMIT`` in
    the file ends and the next statement opens again; a single statement runs in
    autocommit (``exec_simple_query`` in src/backend/tcop/postgres.c), so a file holding
    only ``CREATE INDEX CONCURRENTLY`` runs and one that adds more to it is refused.
    ``connection`` must be in autocommit mode; the migration's own ``BEGIN``/``COMMIT``
    statements run as written (PostgreSQL only warns about a nested ``BEGIN``).
    """
    listed = list(statements)
    implicit = transaction is Transaction.IMPLICIT and len(listed) > 1
    if transaction in (Transaction.FILE, Transaction.SHARED):
        execute(connection, "BEGIN")
    for statement in listed:
        if implicit and not _in_transaction(connection):
            execute(connection, "BEGIN")
        try:
            execute(connection, statement.text)
        except ServerRejectedError as error:
            if _in_transaction(connection):
                execute(connection, "ROLLBACK")
            return _rejection(connection, statement, error)
    if _in_transaction(connection):
        execute(connection, "COMMIT")
    return None


# --- one round trip for a migration in one transaction ----------------------------------------

_CONTROL = ("begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release")
# what the batch must not hold: its own transaction control, COPY (the connection would wait
# for data) and settings that change how the server lexes the rest of the message
_UNBATCHED = (*_CONTROL, "prepare", "copy")
_WORD = re.compile(r"\s*([A-Za-z_]+)")
_LEXING = re.compile(r"standard_conforming_strings|backslash_quote", re.IGNORECASE)


def replay_migration(
    connection: Connection, statements: Iterable[Statement], transaction: Transaction
) -> Rejection | None:
    """``replay``, with one round trip for a ``FILE`` or ``SHARED`` migration.

    Its statements go to the server as one simple-query message between ``BEGIN`` and
    ``COMMIT`` and run in that one transaction, one after the other, as ``replay`` runs
    them (the batch holds no transaction control of its own). If the server refuses the
    message, it is rolled back whole and the migration is replayed statement by statement
    (``replay``), which names the statement and the server's message as it always does.
    """
    listed = list(statements)
    if not _batchable(listed, transaction):
        return replay(connection, listed, transaction)
    script = "".join(f"{statement.text}\n;\n" for statement in listed)  # "\n": a -- comment
    if _succeeds(connection, f"BEGIN;\n{script}COMMIT;"):
        return None
    if _in_transaction(connection):
        execute(connection, "ROLLBACK")
    return replay(connection, listed, transaction)


def _batchable(statements: list[Statement], transaction: Transaction) -> bool:
    if transaction not in (Transaction.FILE, Transaction.SHARED) or not statements:
        return False
    return not any(
        _first_word(statement) in _UNBATCHED or _LEXING.search(statement.text)
        for statement in statements
    )


def _succeeds(connection: Connection, script: str) -> bool:
    from psycopg import pq

    result = connection.pgconn.exec_(script.encode())
    return result.status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)


def _first_word(statement: Statement) -> str:
    first = _WORD.match(statement.text)
    return first[1].lower() if first else ""


# --- --keep-going: each statement under a savepoint -----------------------------------------


def begin(connection: Connection, transaction: Transaction, count: int) -> None:
    """Open the migration's transaction as its tool does (``replay``'s rules)."""
    if in_transaction(transaction, count):
        execute(connection, "BEGIN")


def attempt(connection: Connection, statement: Statement) -> Rejection | None:
    """Run one statement; if the server refuses it, undo only it (``ROLLBACK TO`` the
    savepoint taken before it, inside a transaction) and return the refusal."""
    guarded = _in_transaction(connection)
    if guarded:
        execute(connection, "SAVEPOINT erdgen_statement")
    try:
        execute(connection, statement.text)
    except ServerRejectedError as error:
        if guarded:
            execute(connection, "ROLLBACK TO SAVEPOINT erdgen_statement")
            execute(connection, "RELEASE SAVEPOINT erdgen_statement")
        return _rejection(connection, statement, error)
    first = statement.text.lstrip().split(None, 1)[:1]
    control = bool(first) and first[0].lower().rstrip(";") in _CONTROL
    if guarded and not control and _in_transaction(connection):
        execute(connection, "RELEASE SAVEPOINT erdgen_statement")
    return None


def finish(connection: Connection) -> None:
    if _in_transaction(connection):
        execute(connection, "COMMIT")


def _rejection(
    connection: Connection, statement: Statement, error: ServerRejectedError
) -> Rejection:
    version = (connection.info.parameter_status("server_version") or "").split()
    return Rejection(
        _at_position(statement, error.position), statement.text, error.message,
        error.sqlstate, version[0] if version else "",
    )  # fmt: skip


def _at_position(statement: Statement, position: int) -> Location:
    """Where in the file the server points (its error's ``P`` field, a 1-based character
    of the statement as sent; protocol-error-fields.html), else the statement's start."""
    if position < 1 or position > len(statement.text) + 1:
        return statement.location
    return statement.at(position - 1)


def _in_transaction(connection: Connection) -> bool:
    from psycopg import pq

    return connection.pgconn.transaction_status != pq.TransactionStatus.IDLE
