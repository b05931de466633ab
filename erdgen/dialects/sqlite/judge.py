"""SQLite as the judge of statements erdgen doubts: a scratch database, asked on demand."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from erdgen.dialects.sqlite.engine import SQLITE_ENGINE, Engine, rejected
from erdgen.dialects.sqlite.names import fold
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.dialects.sqlite.tokens import Statement
from erdgen.errors import Location
from erdgen.model import Schema, Table


class Judge:
    """A scratch database of the engine that replays the statements seen so far, on demand.

    Replaying costs what SQLite needs for the whole folder (seconds for thousands of
    migrations, mostly ALTER TABLE), so it runs only when erdgen doubts a statement, and
    catches up from where it stopped: at most one replay per load. ``attempt`` instead
    runs every statement as it comes (``--keep-going``).
    """

    def __init__(self, engine: Engine = SQLITE_ENGINE) -> None:
        self.engine = engine
        self.connection = engine.connect()
        # Text and location only: whole statements (their tokens) would stay alive until
        # the end of the load, half a million objects for the cycle collector to walk.
        self.seen: list[tuple[str, Location]] = []
        self.replayed = 0

    def see(self, statement: Statement) -> None:
        self.seen.append((statement.text, statement.location))

    def attempt(self) -> str | None:
        """Run the statements seen so far now; the engine's refusal of the last one (which
        then has no effect, as in a statement-by-statement replay), or None."""
        for pending, _where in self.seen[self.replayed : -1]:  # the tool's own BEGIN
            self.engine.refusal(self.connection, pending)
        text, _location = self.seen[-1]
        self.replayed = len(self.seen)
        return self.engine.refusal(self.connection, text)

    def probe(self, schema: Schema, table: str) -> None:
        """Ask the engine about the last statement, which alters ``table``, on a scratch
        copy of the model's schema.

        Building that copy costs a few milliseconds per hundred tables, where a replay of
        the folder costs what SQLite needs for every ALTER TABLE so far (../shared/STACK.md).
        Where the copy cannot be built, replay after all.
        """
        text, location = self.seen[-1]
        scratch = self.engine.connect()
        try:
            for sql in _definitions(schema, table):
                if self.engine.refusal(scratch, sql) is not None:
                    self.catch_up()
                    return
            reason = self.engine.refusal(scratch, text)
            if reason is not None:
                if "no such function" in reason:
                    self.catch_up()
                    return
                raise rejected(text, location, reason, self.engine.name)
        finally:
            scratch.close()

    def catch_up(self, last: bool = True) -> None:
        """Replay what was seen (``last``: up to and including the last statement)."""
        end = len(self.seen) - (0 if last else 1)
        while self.replayed < end:
            text, location = self.seen[self.replayed]
            reason = self.engine.refusal(self.connection, text)
            if reason is not None:
                raise rejected(text, location, reason, self.engine.name)
            self.replayed += 1

    def close(self) -> None:
        self.connection.close()


def _definitions(schema: Schema, altered: str) -> Iterable[str]:
    """The SQL that recreates a schema for an ALTER TABLE of ``altered``: tables, indexes,
    views and triggers. Other tables' indexes name only their own table's columns, so
    they cannot change SQLite's verdict, and they are most of the time SQLite needs to
    build the copy: they are left out unless a view or trigger may name one (INDEXED BY)."""
    yield from (table.sql for table in schema.tables)
    texts = [view.sql for view in schema.views] + [trigger.sql for trigger in schema.triggers]
    names_indexes = any("indexed" in fold(text) for text in texts)
    key = fold(altered)
    for table in schema.tables:
        if names_indexes or fold(table.name) == key:
            yield from (index.sql for index in table.indexes if index.sql)
    yield from texts


def created_by(schema: Schema, sql: str, name: str) -> Table:
    """The table a ``CREATE TABLE name AS SELECT`` makes, asked of SQLite on an empty copy
    of the schema's tables and views (what SQLite names and types does not depend on rows).
    Raises ``sqlite3.Error`` where SQLite refuses the statement on the copy."""
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for table in schema.tables:
            scratch.execute(table.sql)
        for view in schema.views:
            scratch.execute(view.sql)
        _execute_with_stand_ins(scratch, sql)
        made = read_schema(scratch).table(name)
    finally:
        scratch.close()
    if made is None:
        raise sqlite3.OperationalError(f"no table {name} after the statement")
    return made


def _execute_with_stand_ins(conn: sqlite3.Connection, sql: str) -> None:
    """Execute; a function the application registers itself gets a stand-in."""
    while True:
        try:
            conn.execute(sql)
            return
        except sqlite3.OperationalError as error:
            missing = re.match(r"no such function: (\w+)$", str(error))
            if missing is None:
                raise
            conn.create_function(missing[1], -1, lambda *arguments: None)
