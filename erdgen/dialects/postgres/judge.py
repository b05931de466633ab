"""PostgreSQL, kept in step with the reader, shows what DDL the text cannot show.

A ``DO`` block that builds its DDL with ``EXECUTE format(...)`` or a call of a function
whose body runs DDL does what only the server knows (registry's deploy scripts loop
over ``registry.tenants`` and alter each tenant's schema). After such a migration the
reader asks the judge for PostgreSQL's catalog and takes from it the objects on which
the text and the catalog disagree (``adopt.py``); the history names them.

The judge starts at the first migration that needs it (a cluster of its own, or the
server named by ``ERDGEN_PG_URL``) and replays every migration read so far, then each
one as it is read. Without a server, or once the server rejects a statement (it may be
older than the project), the model goes on from the text and a warning says so once.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.replay import (
    Rejection,
    attempt,
    begin,
    finish,
    replay_migration,
    start_session,
)
from erdgen.dialects.postgres.server import ServerUnavailableError, connect, process_server
from erdgen.dialects.postgres.split import Statement, split
from erdgen.errors import ConfigError, Diagnostic, Location, Severity
from erdgen.model import Migration, Schema

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

GIVE_UP = "the model goes on from the text here and after"


class CatalogJudge:
    """A throwaway database that has run the migrations read so far (once started).

    With ``keep_going`` it runs from the first migration on, each statement as the reader
    comes to it (``begin``, ``attempt``), so that the reader leaves out what PostgreSQL
    refuses; then it needs a server, and says so (``ConfigError``) without one."""

    def __init__(self, keep_going: bool = False) -> None:
        self._read: list[Migration] = []
        self._resources = ExitStack()
        self._connection: Connection | None = None
        self._failed = False
        self.keep_going = keep_going

    def begin(self, migration: Migration, count: int) -> None:
        """``--keep-going``: open ``migration``'s transaction as its tool does."""
        if self._connection is None:
            try:
                self._connection = self._start()
            except ServerUnavailableError as error:
                raise ConfigError(
                    "--keep-going for PostgreSQL needs a server to judge each statement: "
                    f"{error.message}"
                ) from None
        start_session(self._connection, migration)
        begin(self._connection, migration.transaction, count)

    def attempt(self, statement: Statement) -> Rejection | None:
        """``--keep-going``: run one statement; PostgreSQL's refusal, undone, or None."""
        assert self._connection is not None, "begin() first"
        return attempt(self._connection, statement)

    def catalog_after(self, migration: Migration, needed: bool) -> Schema | Diagnostic | None:
        """PostgreSQL's schema after ``migration`` when ``needed``; None when not needed;
        a warning when the judge cannot tell (no server, or a statement rejected)."""
        if self.keep_going and self._connection is not None:
            finish(self._connection)
            return read_schema(self._connection) if needed else None
        self._read.append(migration)
        if self._failed:
            return None
        if self._connection is None:
            if not needed:
                return None
            try:
                self._connection = self._start()
            except ServerUnavailableError as error:
                reason = f"no PostgreSQL to ask ({error.message})"
                return self._give_up(Location(migration.path), reason)
            pending = self._read
        else:
            pending = [migration]
        for each in pending:
            start_session(self._connection, each)
            found = split(each.sql, each.path).statements
            rejection = replay_migration(self._connection, found, each.transaction)
            if rejection is not None:
                reason = f"PostgreSQL {rejection.server_version} rejects it: {rejection.message}"
                return self._give_up(rejection.location, reason)
        self._read = []
        return read_schema(self._connection) if needed else None

    def _start(self) -> Connection:
        conninfo = self._resources.enter_context(process_server().database())
        return self._resources.enter_context(connect(conninfo))

    def _give_up(self, where: Location, reason: str) -> Diagnostic:
        self._failed = True
        self.close()
        message = (
            "what DDL the text cannot show (a DO block's EXECUTE, a function's DDL) did is "
            f"not read from PostgreSQL's catalog: {reason}; {GIVE_UP}"
        )
        return Diagnostic(where, "pg-no-judge", message, Severity.WARNING)

    def close(self) -> None:
        self._connection = None
        self._resources.close()
