"""SQLite as a dialect (``erdgen.dialects.base.Dialect``): what erdgen needs of it, in one place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite import engine, readback, sqltext
from erdgen.dialects.sqlite.engine import SQLITE_ENGINE, Engine
from erdgen.dialects.sqlite.handlers import interpret
from erdgen.dialects.sqlite.judge import Judge
from erdgen.dialects.sqlite.names import NAMES
from erdgen.dialects.sqlite.state import State
from erdgen.dialects.sqlite.tokens import Statement, parse_migration
from erdgen.errors import Diagnostic, Location, MigrationError, Severity
from erdgen.model import (
    Change,
    IdentifierRule,
    Migration,
    Schema,
    SkippedStatement,
    Transaction,
)

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect, TypeRules


Interpret = Callable[[Statement, State], None]


class SQLiteReader:
    """Reads migrations into the workspace; SQLite judges the statements erdgen doubts.

    With ``keep_going`` SQLite judges every statement first, and one it refuses is
    skipped (``skipped``) instead of ending the load. ``engine`` and ``interpret`` let a
    dialect of SQLite's family (libSQL) put its own engine and statements in."""

    def __init__(
        self,
        keep_going: bool = False,
        engine: Engine = SQLITE_ENGINE,
        interpret: Interpret = interpret,
    ) -> None:
        self.judge = Judge(engine)
        self.keep_going = keep_going
        self.interpret = interpret
        self.state = State(work=Workspace(names=NAMES), foreign_keys=engine.foreign_keys)
        if not keep_going:  # else every statement is judged before it is read
            self.state.confirm = lambda table: self.judge.probe(self.state.work.schema, table)
        self.diagnostics: list[Diagnostic] = self.state.diagnostics
        self.skipped: list[SkippedStatement] = []
        self.from_engine: tuple[str, ...] = ()  # every statement is read from the text
        self.previous: Migration | None = None

    @property
    def schema(self) -> Schema:
        return self.state.work.schema

    def read(self, migration: Migration) -> list[Change]:
        self.state.changes = []
        self.state.dropped = {}
        if _opens_shared_transaction(self.previous, migration):
            self.judge.seen.append(("BEGIN", Location(migration.path)))  # as the tool does
            if not self.state.savepoints:  # the text's COMMIT / BEGIN end and reopen it
                self.state.open_savepoint(None)
        self.previous = migration
        for statement in parse_migration(migration):
            self.judge.see(statement)
            if self.keep_going:
                reason = self.judge.attempt()
                if reason is not None:
                    skip = SkippedStatement(statement.location, statement.text, reason)
                    self.skipped.append(skip)
                    continue
            self._interpret_or_judge(statement)
        return self.state.changes

    def close(self) -> None:
        self.judge.close()

    def _interpret_or_judge(self, statement: Statement) -> None:
        """Interpret a statement; when erdgen cannot, let SQLite judge who is wrong.

        Replaying costs as much as SQLite needs for the whole folder, so it happens only
        on failure: if SQLite rejects the statement (or an earlier one), that is the
        user's error, worded by SQLite; if SQLite accepts it, erdgen warns that it could
        not read it and the cross-check will show where the model differs.
        """
        state = self.state
        known = len(state.diagnostics)
        try:
            self.interpret(statement, state)
        except MigrationError as error:
            self.judge.catch_up()  # raises SQLite's error of the first statement it rejects
            state.diagnostics.append(
                Diagnostic(
                    error.location or statement.location,
                    "not-understood",
                    f"erdgen could not read this statement ({error.message}), although "
                    "SQLite accepts it; the model may differ from SQLite here",
                    Severity.WARNING,
                    statement.text,
                )
            )
            return
        if len(state.diagnostics) > known:
            self.judge.catch_up()  # not understood: is it SQL at all?


def _opens_shared_transaction(previous: Migration | None, migration: Migration) -> bool:
    """drizzle runs all pending files in one transaction, which a file may commit and
    reopen itself: SQLite's replay of them must start inside it too."""
    shared = migration.transaction is Transaction.SHARED
    return shared and (previous is None or previous.transaction is not Transaction.SHARED)


class SQLiteDialect:
    name = "sqlite"
    engine_name = "SQLite"
    identifiers: IdentifierRule = NAMES
    types: TypeRules | None = None  # SQLite's affinity rules: not needed by the model yet

    def compare(self, model: Schema, actual: Schema) -> None:
        return None  # erdgen.core.compare is SQLite's comparison

    def statements(self, migration: Migration) -> Sequence[Statement]:
        return parse_migration(migration)

    def reader(self, keep_going: bool = False) -> SQLiteReader:
        return SQLiteReader(keep_going)

    def replay(
        self, migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
    ) -> Iterator[tuple[Migration, Schema]]:
        return engine.replay(migrations, skipped)

    def replay_final(
        self,
        migrations: Sequence[Migration],
        snapshots: Path | None,
        skipped: list[SkippedStatement] | None = None,
    ) -> Schema:
        return engine.replay_final(migrations, snapshots, skipped)

    def read_database(self, path: Path) -> Schema:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            return readback.read_schema(connection)

    def definition(self, sql: str) -> str:
        return sqltext.definition(sql)

    def normalise_sql(self, sql: str) -> str:
        return sqltext.normalise_sql(sql)


SQLITE: Dialect = SQLiteDialect()  # typed: mypy checks that it keeps the protocol
