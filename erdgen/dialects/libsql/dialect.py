"""libSQL as a dialect: SQLite's reading plus libSQL's ALTER COLUMN, libSQL as the judge."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from erdgen.dialects.libsql import engine
from erdgen.dialects.libsql.alter_column import interpret
from erdgen.dialects.sqlite.dialect import SQLiteDialect, SQLiteReader
from erdgen.model import Migration, Schema, SkippedStatement

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect


class LibSQLDialect(SQLiteDialect):
    """SQLite's statements, splitting, names and schema reading; libSQL's additions and
    engine. A database file is read with libSQL too (it may hold libSQL-only schema)."""

    name = "libsql"
    engine_name = engine.ENGINE_NAME

    def reader(self, keep_going: bool = False) -> SQLiteReader:
        return SQLiteReader(keep_going, engine=engine.LIBSQL_ENGINE, interpret=interpret)

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
        return engine.replay_final(migrations, skipped)  # libsql cannot serialize snapshots

    def read_database(self, path: Path) -> Schema:
        return engine.read_database(path)


LIBSQL: Dialect = LibSQLDialect()
