"""What a dialect provides: the seam between erdgen's core and one SQL engine.

A dialect reads a migration's text the way its engine does (statement splitting,
names, types), folds each statement into the model, and offers its engine as the
judge: the engine replays the migrations and its own schema is read back as a model
``Schema``, which ``erdgen.core.compare`` holds against the model.

Everything here is typing only (standard library): importing it loads no parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from erdgen.errors import Diagnostic, Location
from erdgen.model import Change, IdentifierRule, Migration, Schema, SkippedStatement


class SourceStatement(Protocol):
    """One statement of a migration file, where it starts, as the engine splits a script."""

    @property
    def text(self) -> str: ...

    @property
    def location(self) -> Location: ...


class Reader(Protocol):
    """One load: the dialect's workspace, fed one migration after the other.

    ``read`` applies every statement of a migration to the workspace and returns the
    changes it made. A statement the dialect cannot read is put to the engine (the judge):
    if the engine refuses it, ``read`` raises ``MigrationError`` at its location in the
    engine's words; if the engine accepts it, a ``not-understood`` warning is added to
    ``diagnostics``. The reader must be closed (it may hold an engine connection).

    A reader made with ``keep_going`` has the engine judge every statement as it comes:
    one the engine refuses is appended to ``skipped`` and left out of the model, as a
    statement-by-statement replay into the engine leaves it out of the database.
    """

    diagnostics: list[Diagnostic]
    skipped: list[SkippedStatement]
    # after each ``read``: the objects whose state the engine's catalog gave, not the
    # text ("table registry.events"), where the text could not show what DDL did
    from_engine: tuple[str, ...]

    def read(self, migration: Migration) -> list[Change]: ...

    @property
    def schema(self) -> Schema:
        """The model's schema after the migrations read so far (a frozen snapshot)."""
        ...

    def close(self) -> None: ...


Value = str | int | bool | None | tuple[str, ...]


class Disagreement(NamedTuple):
    """One way in which the model and the engine disagree about one object."""

    kind: str  # "table", "view", "trigger", "enum", "sequence", "function", ...
    name: str  # the object's name as the engine shows it
    field: str  # e.g. "column email: not_null"; "exists" when only one side has it
    model: Value
    engine: Value


class TypeRules(Protocol):
    """How the dialect reads a declared column type, where it has rules for that."""

    def affinity(self, declared: str) -> str:
        """The type class a declared type falls into (SQLite: INTEGER, TEXT, BLOB, REAL,
        NUMERIC, from "Determination Of Column Affinity" in datatype3.html)."""
        ...


class Dialect(Protocol):
    """An SQL dialect with its engine as the judge. Registered in ``erdgen.dialects``."""

    name: str  # "sqlite", "libsql", "postgres"
    engine_name: str  # how messages name the judge: "SQLite", "libSQL", "PostgreSQL"
    identifiers: IdentifierRule  # when two names are the same name
    types: TypeRules | None  # None where the dialect has no rules for declared types

    def statements(self, migration: Migration) -> Sequence[SourceStatement]:
        """The statements of a migration with their locations, split as the engine does.

        Raises ``MigrationError`` where the text cannot be split (an unclosed string)."""
        ...

    def reader(self, keep_going: bool = False) -> Reader:
        """A new, empty workspace that reads migrations into the model."""
        ...

    def replay(
        self, migrations: Sequence[Migration], skipped: list[SkippedStatement] | None = None
    ) -> Iterator[tuple[Migration, Schema]]:
        """Apply the migrations in order in the engine; the engine's schema after each.

        Raises ``MigrationError`` at the first statement the engine refuses; with a
        ``skipped`` list every statement runs on its own, and the refused ones are
        appended to it instead (``--keep-going``)."""
        ...

    def replay_final(
        self,
        migrations: Sequence[Migration],
        snapshots: Path | None,
        skipped: list[SkippedStatement] | None = None,
    ) -> Schema:
        """The engine's schema after all migrations; ``snapshots`` may hold kept states;
        ``skipped`` as in ``replay``."""
        ...

    def read_database(self, path: Path) -> Schema:
        """The schema of an existing database (read only), as the engine reports it."""
        ...

    def definition(self, sql: str) -> str:
        """A view's or trigger's SQL as the engine stores it, normalised for comparison:
        two texts that differ only in layout, comments or optional words compare equal."""
        ...

    def normalise_sql(self, sql: str) -> str:
        """An expression's text (index key, WHERE) normalised for comparison."""
        ...

    def compare(self, model: Schema, actual: Schema) -> Sequence[Disagreement] | None:
        """The dialect's own comparison of the model with its engine's schema, or None
        where erdgen's generic one (``erdgen.core.compare``) holds."""
        ...
