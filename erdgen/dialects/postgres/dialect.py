"""PostgreSQL as a dialect (``erdgen.dialects.base.Dialect``), with PostgreSQL as the judge.

The model is read from the text (``reader.py``); the judge replays the migrations into a
throwaway PostgreSQL (``server.py``: a cluster of its own, or the server named by
``ERDGEN_PG_URL``; ``ERDGEN_PG_BINDIR`` names the server programs) and reads its
catalog back (``catalog.py``). Without a server ``ServerUnavailableError`` says how to
get one. PostgreSQL folds unquoted names as it reads them, so names compare exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec.structs import replace

from erdgen.dialects.postgres import reader as text_reader
from erdgen.dialects.postgres.adopt import adopt
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.changes import changes_between
from erdgen.dialects.postgres.compare import disagreements
from erdgen.dialects.postgres.judge import CatalogJudge
from erdgen.dialects.postgres.locate import Touches
from erdgen.dialects.postgres.renames import resolve
from erdgen.dialects.postgres.replay import (
    attempt,
    begin,
    finish,
    replay_migration,
    start_session,
)
from erdgen.dialects.postgres.server import connect, process_server
from erdgen.dialects.postgres.split import Statement, split
from erdgen.dialects.postgres.state import PgState
from erdgen.errors import (
    Diagnostic,
    ErdgenError,
    Location,
    MigrationError,
    Severity,
)
from erdgen.model import (
    EXACT,
    Change,
    IdentifierRule,
    Migration,
    Schema,
    SkippedStatement,
    Transaction,
)

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect, Disagreement, TypeRules
    from erdgen.dialects.postgres.server import Connection


def statements(migration: Migration) -> list[Statement]:
    found = split(migration.sql, migration.path)
    if found.unterminated is not None:
        what = found.unterminated
        raise MigrationError(f"unterminated {what.what}", what.location)
    return list(found.statements)


# what the text cannot show: DDL a DO block runs (EXECUTE, guards), a function call's DDL,
# the types of a CREATE TABLE ... AS query's expressions, what a ROLLBACK undid
DYNAMIC = frozenset({"pg-do", "pg-call", "pg-table-as", "pg-rollback"})
# psql meta-commands that leave the statements psql sends as erdgen reads them: variables
# (substituted by ``split`` as psql does) and output. Once PostgreSQL's catalog after the
# migration agrees, their warning is settled; ``\i``, ``\gexec``, ``\if``... never are.
SETTLED_BY_CATALOG = frozenset({"\\set", "\\unset", "\\echo", "\\qecho", "\\warn", "\\timing"})


class PostgresReader:
    """Reads migrations into a PostgreSQL workspace; diagnostics say what was not read.

    After a migration with DDL the text cannot show (``DYNAMIC``) the objects on which
    the text and PostgreSQL's catalog disagree are taken from the catalog (``judge.py``)
    and named in ``from_engine``."""

    def __init__(self, keep_going: bool = False) -> None:
        self.state = PgState()
        self.diagnostics: list[Diagnostic] = []
        self.skipped: list[SkippedStatement] = []  # --keep-going: what PostgreSQL refused
        self.from_engine: tuple[str, ...] = ()
        self._schema = self.state.freeze()
        self._judge = CatalogJudge(keep_going)
        self._touches = Touches(self.state)  # which statement changed which table

    @property
    def schema(self) -> Schema:
        return self._schema

    def read(self, migration: Migration) -> list[Change]:
        found = split(migration.sql, migration.path)
        if found.unterminated is not None:
            what = found.unterminated
            raise MigrationError(f"unterminated {what.what}", what.location)
        first = len(self.diagnostics)  # this migration's diagnostics start here
        for command in found.meta_commands:
            message = f"psql meta-command {command.name}: psql runs it, erdgen does not"
            self.diagnostics.append(
                Diagnostic(command.location, "pg-psql", message, Severity.WARNING, command.text)
            )
        # a psql variable the catalog settles (SETTLED_BY_CATALOG): PostgreSQL is asked too
        meta = next((c.location for c in found.meta_commands if c.name in SETTLED_BY_CATALOG), None)
        dynamic: Location | None = None  # the first statement whose DDL is dynamic
        self.diagnostics += _outside_only(migration, found.statements)
        text_reader.start_migration(
            self.state, migration.session, migration.transaction, len(found.statements)
        )
        judge = self._judge if self._judge.keep_going else None
        if judge is not None:
            judge.begin(migration, len(found.statements))
        touches = self._touches
        touches.begin(fresh=bool(self.from_engine))  # the catalog replaced tables
        for statement in found.statements:
            rejection = judge.attempt(statement) if judge is not None else None
            if rejection is not None:
                skip = SkippedStatement(rejection.location, rejection.statement, rejection.message)
                self.skipped.append(skip)
                touches.skip()
                continue
            diagnostic = text_reader.apply(self.state, statement)
            if _changes_no_schema(statement.text):
                touches.skip()
            else:
                touches.after_statement()
            if diagnostic is not None:
                self.diagnostics.append(diagnostic)
                if dynamic is None and diagnostic.code in DYNAMIC:
                    dynamic = diagnostic.location
        if self._ask_the_judge(migration, dynamic or meta):
            self._judged(first)
        before, self._schema = self._schema, self.state.freeze()
        renamed = resolve(self.state.renamed)
        return changes_between(
            before,
            self._schema,
            found.statements,
            migration.path,
            renamed,
            touches.per_statement,
            self.state.data,
            touches.made(),
        )

    def _ask_the_judge(self, migration: Migration, dynamic: Location | None) -> bool:
        """Whether PostgreSQL's catalog after the migration was read and taken in."""
        self.from_engine = ()
        verdict = self._judge.catalog_after(migration, dynamic is not None)
        if isinstance(verdict, Diagnostic):
            self.diagnostics.append(verdict)
        elif verdict is not None:
            self.from_engine = adopt(self.state, verdict)
        if self.from_engine:
            message = (
                "the text cannot show what this migration's DDL did: read from PostgreSQL's "
                f"catalog: {', '.join(self.from_engine)}"
            )
            where = dynamic or Location(migration.path)
            self.diagnostics.append(Diagnostic(where, "pg-catalog", message, Severity.INFO))
        return isinstance(verdict, Schema)

    def _judged(self, first: int) -> None:
        """The migration's warnings about what its text cannot show become notes once
        PostgreSQL's catalog has shown it: the model is the engine's there, so a
        ``mkdocs build --strict`` of drizzle's ``DO $$ ... EXCEPTION WHEN
        duplicate_object`` folders (and of sqitch's ``\\set ON_ERROR_STOP on``) passes
        where a server is at hand."""
        for position in range(first, len(self.diagnostics)):
            found = self.diagnostics[position]
            settled = found.code in DYNAMIC or _settled_meta_command(found)
            if settled and found.severity is Severity.WARNING:
                message = f"{found.message}; checked against PostgreSQL's catalog"
                self.diagnostics[position] = replace(found, severity=Severity.INFO, message=message)

    def close(self) -> None:
        self._judge.close()


_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _changes_no_schema(text: str) -> bool:
    """A data or session statement (``reader.IGNORED``): the reader changed no table."""
    first = _FIRST_WORD.match(text)
    return first is not None and first[0].lower() in text_reader.IGNORED


def _settled_meta_command(diagnostic: Diagnostic) -> bool:
    words = diagnostic.statement.split(maxsplit=1)
    return diagnostic.code == "pg-psql" and bool(words) and words[0] in SETTLED_BY_CATALOG


# statements PostgreSQL runs only outside a transaction block (PreventInTransactionBlock)
_OUTSIDE_ONLY = re.compile(
    r"\s*(?:(?:create\s+(?:unique\s+)?|drop\s+)index\s+concurrently|reindex\b.*\bconcurrently"
    r"|vacuum\b|(?:create|drop)\s+(?:database|tablespace)\b|alter\s+system\b)",
    re.IGNORECASE | re.DOTALL,
)


def _outside_only(migration: Migration, found: Sequence[Statement]) -> Iterator[Diagnostic]:
    """A warning for each statement PostgreSQL refuses inside a transaction block when the
    tool runs the migration in one (golang-migrate's message: with other statements)."""
    implicit = migration.transaction is Transaction.IMPLICIT and len(found) > 1
    if not implicit and migration.transaction not in (Transaction.FILE, Transaction.SHARED):
        return
    for statement in found:
        match = _OUTSIDE_ONLY.match(statement.text)
        if match is not None:
            what = " ".join(match.group(0).split()[:4]).upper()
            message = (
                f"{what} cannot run inside a transaction block, and this migration's tool "
                f"runs it in one (transaction: {migration.transaction.value}): PostgreSQL "
                "refuses it"
            )
            yield Diagnostic(
                statement.location, "pg-in-transaction", message, Severity.WARNING, statement.text
            )


# "::type" as PostgreSQL adds it to stored expressions ('english'::regconfig, 'x'::text)
_CAST = re.compile(
    r"::\s*(?:\"[^\"]+\"|[a-z_][\w.]*)"
    r"(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))?(?:\[\])*",
    re.IGNORECASE,
)


class PostgresDialect:
    name = "postgres"
    engine_name = "PostgreSQL"  # how messages name the judge
    identifiers: IdentifierRule = EXACT
    types: TypeRules | None = None

    def statements(self, migration: Migration) -> Sequence[Statement]:
        return statements(migration)

    def reader(self, keep_going: bool = False) -> PostgresReader:
        return PostgresReader(keep_going)

    def replay(
        self, migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
    ) -> Iterator[tuple[Migration, Schema]]:
        """Each migration as its tool runs it (``replay.replay``), in a throwaway database;
        the catalog after each.

        Raises ``MigrationError`` with the server's version and message at the first
        statement PostgreSQL rejects, ``ServerUnavailableError`` without a server. With
        ``skipped`` (``--keep-going``) each statement runs under a savepoint; one the
        server refuses is rolled back to it and appended there."""
        for migration, connection in _replayed(migrations, skipped):
            yield migration, read_schema(connection)

    def replay_final(
        self,
        migrations: Sequence[Migration],
        snapshots: Path | None,
        skipped: list[SkippedStatement] | None = None,
    ) -> Schema:
        """The catalog after the last migration, read once (a catalog read costs more
        than replaying a migration: reading it after each one made the cross-check of
        2,000 migrations several times slower than PostgreSQL's own replay)."""
        schema = Schema(names=EXACT)
        for position, (_, connection) in enumerate(_replayed(migrations, skipped), start=1):
            if position == len(migrations):
                schema = read_schema(connection)
        return schema

    def read_database(self, path: Path) -> Schema:
        raise ErdgenError(
            f"{path}: a PostgreSQL database is read through a server, not a file",
            Location(str(path)),
        )

    def definition(self, sql: str) -> str:
        """Only the kind of a view or trigger ("view", "materialized view", "trigger"):
        PostgreSQL stores its own print of the definition, which changes with the server
        version, the search path and the time zone (STACK.md), and names the object
        qualified where the text may not (``SET search_path``); objects are matched by
        their resolved names, so the judge compares views by name and columns instead."""
        match = re.match(
            r"\s*create\s+(?:or\s+replace\s+)?(materialized\s+)?(view|trigger)\b",
            sql,
            re.IGNORECASE,
        )
        if match is None:
            return ""
        return f"materialized {match[2].lower()}" if match[1] else match[2].lower()

    def compare(self, model: Schema, actual: Schema) -> Sequence[Disagreement]:
        """By name and as PostgreSQL's catalog holds each object (``compare.py``)."""
        return disagreements(model, actual)

    def normalise_sql(self, sql: str) -> str:
        """Without layout, parentheses, case and casts (``'x'::text``); ``a IN (x, y)``
        as PostgreSQL stores it, ``a = ANY (ARRAY[x, y])``."""
        text = _CAST.sub("", sql)
        text = re.sub(
            r"([\w\"]+)\s+IN\s*\(([^()]*)\)", r"\1 = ANY (ARRAY[\2])", text, flags=re.IGNORECASE
        )
        return re.sub(r"[\s()]+", "", text).lower()


POSTGRES: Dialect = PostgresDialect()


def _replayed(
    migrations: Sequence[Migration], skipped: list[SkippedStatement] | None
) -> Iterator[tuple[Migration, Connection]]:
    """Replay each migration as its tool runs it (``replay.replay_migration``: one round
    trip for a migration in one transaction; drizzle's one shared transaction per
    migration) into a throwaway database of the process's server, each starting with the
    search path its tool gives it (``start_session``); the connection after each."""
    with process_server().database() as conninfo, connect(conninfo) as connection:
        for migration in migrations:
            start_session(connection, migration)
            if skipped is not None:
                _keep_going(connection, migration, skipped)
                rejection = None
            else:
                rejection = replay_migration(
                    connection, statements(migration), migration.transaction
                )
            if rejection is not None:
                raise MigrationError(
                    f"PostgreSQL {rejection.server_version} rejects this statement: "
                    f"{rejection.message}",
                    rejection.location,
                    rejection.statement,
                )
            yield migration, connection


def _keep_going(
    connection: Connection, migration: Migration, skipped: list[SkippedStatement]
) -> None:
    found = statements(migration)
    begin(connection, migration.transaction, len(found))
    for statement in found:
        rejection = attempt(connection, statement)
        if rejection is not None:
            skipped.append(
                SkippedStatement(rejection.location, rejection.statement, rejection.message)
            )
    finish(connection)
