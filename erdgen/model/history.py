"""Migrations and what they did: each migration as the tool names it, its changes, the
schema after it, and the whole history."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct
from msgspec.structs import replace

from erdgen.errors import Diagnostic, Location
from erdgen.model.names import DEFAULT_RULE, IdentifierRule
from erdgen.model.schema import Schema, Table


class Transaction(StrEnum):
    """How the tool wraps a migration when it applies it (LAYOUTS.md §1.1, "tx opt-out")."""

    FILE = "file"  # one transaction per migration (wrangler's batch, goose, sqlx, ...)
    NONE = "none"  # autocommit: goose NO TRANSACTION, sqlx -- no-transaction, diesel ...
    SHARED = "shared"  # one transaction around all pending migrations (drizzle)
    # golang-migrate, Prisma: the whole file in one call, no BEGIN of the tool's own.
    # PostgreSQL gets it as one simple-query message and runs several statements as one
    # implicit transaction, a single one in autocommit (golang-migrate's
    # database/postgres/postgres.go; Prisma's raw_cmd). SQLite replays it as one script in
    # a transaction, as golang-migrate's sqlite3 driver wraps it
    IMPLICIT = "implicit"


class Session(StrEnum):
    """Whether a migration starts where the previous one left the session (its
    ``SET search_path``), set per tool in ``layouts/registry.py``."""

    # one connection for all pending migrations: a plain SET, even one inside the
    # migration's committed transaction, carries over to the next migration (diesel,
    # golang-migrate, goose, sqlx, dbmate, Prisma, drizzle, Atlas, refinery, yoyo)
    SHARED = "shared"
    # the session starts anew: sqitch runs each change in its own psql; Flyway restores
    # the connection's original state and schema before each migration (DbMigrate.java)
    OWN = "own"


class Kind(StrEnum):
    """Versioned migrations run once in order; repeatables after all of them (Flyway R__)."""

    VERSIONED = "versioned"
    REPEATABLE = "repeatable"


class Migration(Struct, frozen=True):
    """One migration as its tool sees it, in the order the tool applies it.

    ``id`` is the tool's bookkeeping key (what its table records: the file name for
    wrangler D1, the version string for diesel, ``13.1`` for Flyway, the tag for drizzle);
    ``sort_key`` orders; ``paths`` are the files, the one holding the up SQL first.
    ``sql`` is that file's up text with every other line blanked, so that line numbers
    stay the file's own.
    """

    id: str
    sort_key: tuple[int | str, ...]
    name: str  # the description part, e.g. "add_email_verification"
    paths: tuple[str, ...]  # relative to the project (POSIX separators); up file first
    sha256: str  # of the raw bytes of the up file
    sql: str  # the up text, non-up lines masked as blank lines
    description: str = ""  # the file's header comment
    label: str = ""  # the short version shown in pages ("0007"); the id when empty
    tool_checksum: str = ""  # the checksum the tool records, computed its way ("" if none)
    kind: Kind = Kind.VERSIONED
    transaction: Transaction = Transaction.FILE
    time: str = ""  # when the tool says it was made (drizzle's journal "when"), if it does
    session: Session = Session.SHARED
    # the tool's own description of the change, where it keeps one apart from the file
    # (sqitch: the note after the change in sqitch.plan); "" for none
    note: str = ""

    @property
    def purpose(self) -> str:
        """What the migration is described as: the tool's note, else its header comment."""
        return self.note or self.description

    @property
    def path(self) -> str:
        """The file holding the up SQL (what ``file:line`` locations name)."""
        return self.paths[0]

    @property
    def shown(self) -> str:
        """The short key pages and messages show."""
        return self.label or self.id

    @property
    def name_beyond_key(self) -> str:
        """The name where it says more than ``shown``; "" where the key holds it already
        (a sqitch change's name is its id; wrangler's key for a number used twice is the
        whole file name, "0018_add_columns"), so that no title reads "x · x"."""
        key = self.shown
        if key == self.name or key.endswith(("_" + self.name, "-" + self.name)):
            return ""
        return self.name

    @property
    def transactional(self) -> bool:
        return self.transaction is not Transaction.NONE

    def answers_to(self, key: str) -> bool:
        """Whether ``--at KEY`` (or a sidecar key) names this migration: its id, its label,
        or the same number as a numeric label ("7" for "0007")."""
        if key in (self.id, self.label):
            return True
        return key.isdigit() and self.label.isdigit() and int(key) == int(self.label)


class Action(StrEnum):
    """What a change did; the values are the export's ``action`` strings."""

    CREATE_TABLE = "create_table"
    DROP_TABLE = "drop_table"
    RENAME_TABLE = "rename_table"
    REBUILD_TABLE = "rebuild_table"
    ADD_COLUMN = "add_column"
    DROP_COLUMN = "drop_column"
    RENAME_COLUMN = "rename_column"
    # libSQL: ALTER TABLE t ALTER COLUMN c TO c <definition>; PostgreSQL: ALTER COLUMN
    # TYPE, SET / DROP NOT NULL, SET / DROP DEFAULT, identity
    ALTER_COLUMN = "alter_column"
    # PostgreSQL: ALTER TABLE changed the table's keys and constraints (added, dropped,
    # renamed, validated), its partitions or parents, not its columns
    ALTER_TABLE = "alter_table"
    CREATE_INDEX = "create_index"
    DROP_INDEX = "drop_index"
    CREATE_VIEW = "create_view"
    DROP_VIEW = "drop_view"
    CREATE_TRIGGER = "create_trigger"
    DROP_TRIGGER = "drop_trigger"
    DATA = "data"


DESTRUCTIVE_ACTIONS = frozenset({Action.DROP_TABLE, Action.DROP_COLUMN})


class RowLoss(Struct, frozen=True):
    """One way a copy may keep fewer rows than its source holds (``erdgen.core.row_loss``):
    ``kind`` names it (a key of the pages' ``rows_`` catalog), ``sql`` is the clause as
    written ("" where there is none)."""

    kind: str  # where, join, distinct, group_by, aggregate, having, limit, compound,
    # or_ignore, or_replace, on_conflict, unread
    sql: str = ""


class ColumnCopy(Struct, frozen=True):
    """Values of ``source.column`` written into ``target.into`` by an ``INSERT ... SELECT``
    of the same migration (read by ``erdgen.core.lineage``); a rebuild's helper table is
    named as the table it becomes. ``rows_lost``: how that statement may leave rows behind
    (a ``WHERE``, a join...): then only some of the values were copied."""

    source: str
    column: str
    target: str
    into: str
    as_is: bool  # the plain column, not an expression of it
    rows_lost: tuple[RowLoss, ...] = ()


class Change(Struct, frozen=True):
    """One thing a migration did, in the past tense.

    ``object`` names what changed: a table, ``table.column``, or an index / view /
    trigger name. ``table`` is the table it belongs to (for columns, indexes,
    triggers and data changes). ``before`` / ``after`` carry the table's shape around
    the change where a renderer needs it (rebuilds, drops, column changes).
    ``copied_to``: for a change that removes columns, the copies that carried their values
    elsewhere first (``erdgen.core.lineage``, set once when the history is built).
    ``rows_lost``: set there too, on the change that loses rows a copy left behind (a
    rebuild whose own copy is filtered, a drop after a filtered copy): how they were lost;
    on a ``DELETE`` or ``TRUNCATE`` data change, the rows it deleted.
    ``replaced``: for a table's ALTER TABLE, the constraints made anew under their names.
    ``same_as_dropped``: for a view or trigger the migration dropped and then made again
    under its name, whether it made it as it was (the dialect judges the definitions:
    SQLite's normalised SQL); PostgreSQL reports no such pair, only ones that changed.
    """

    action: Action
    object: str
    location: Location
    table: str | None = None
    old_name: str | None = None  # renames: the previous name (of the table or the column)
    before: Table | None = None
    after: Table | None = None
    statement: str = ""  # the SQL of the statement (for data changes: the statement itself)
    verb: str = ""  # data changes: INSERT, UPDATE, DELETE, REPLACE (PostgreSQL: TRUNCATE...)
    copied_to: tuple[ColumnCopy, ...] = ()
    # ALTER TABLE (PostgreSQL): the constraints dropped and added again under their names
    # with another definition, in the table's order; the dialect reads them with the
    # migration's renames undone, which the shapes alone do not show
    replaced: tuple[str, ...] = ()
    rows_lost: tuple[RowLoss, ...] = ()
    # data changes: the statement with its table and column names as the model names them
    # (PostgreSQL: the search path resolved, unquoted names folded), which core.lineage
    # reads instead of ``statement``; "" when that is the statement as written
    lineage_sql: str = ""
    same_as_dropped: bool = False

    @property
    def removed_columns(self) -> tuple[str, ...]:
        """The columns whose table no longer holds them: every column of a dropped table
        (when its shape is known), the dropped column, the columns a rebuild left out."""
        if self.action is Action.DROP_COLUMN:
            table = self.table or ""
            return (self.object[len(table) + 1 :] if table else self.object,)
        if self.action is Action.DROP_TABLE:
            return tuple(c.name for c in self.before.columns) if self.before else ()
        if self.action is not Action.REBUILD_TABLE or self.before is None or self.after is None:
            return ()
        key = self.after.names.key
        kept = {key(column.name) for column in self.after.columns}
        return tuple(c.name for c in self.before.columns if key(c.name) not in kept)

    @property
    def lost_columns(self) -> tuple[str, ...]:
        """The removed columns whose values no copy carried elsewhere."""
        shape = self.before or self.after
        key = shape.names.key if shape else DEFAULT_RULE.key
        copied = {key(copy.column) for copy in self.copied_to}
        return tuple(name for name in self.removed_columns if key(name) not in copied)

    @property
    def destructive(self) -> bool:
        """Data is lost: a drop or a rebuild that leaves columns behind, unless the same
        migration copied those columns' values elsewhere (``copied_to``), or rows that its
        copy left behind or a ``DELETE`` / ``TRUNCATE`` deleted (``rows_lost``)."""
        if self.action is Action.DROP_TABLE and not (self.before and self.before.columns):
            return True  # no known columns: nothing says the rows were kept
        return bool(self.lost_columns or self.rows_lost)


class SkippedStatement(Struct, frozen=True):
    """A statement the engine refused, skipped by ``--keep-going``: the schema after its
    migration is what the engine builds without it (a statement-by-statement replay)."""

    location: Location
    statement: str  # the SQL as written
    reason: str  # the engine's own words, e.g. "no such table: comments"
    # the places behind it: "path:line:column: this CREATE TABLE IF NOT EXISTS x did nothing..."
    causes: tuple[str, ...] = ()


class Step(Struct, frozen=True):
    """A migration, what it changed, and the schema after it."""

    migration: Migration
    changes: tuple[Change, ...]
    schema: Schema
    skipped: tuple[SkippedStatement, ...] = ()  # only with --keep-going
    copies: tuple[ColumnCopy, ...] = ()  # every column copy of its INSERT ... SELECT statements
    # objects whose state after this migration was read from the engine's catalog, not
    # from the text ("table registry.events"): DDL the text cannot show (PostgreSQL's DO)
    from_engine: tuple[str, ...] = ()

    @property
    def destructive(self) -> bool:
        return any(change.destructive for change in self.changes)


class HistoryEntry(Struct, frozen=True):
    """One line of an object's history: which migration did what to it."""

    migration: Migration
    change: Change


class History(Struct, frozen=True):
    """Every migration in order with the schema after it."""

    steps: tuple[Step, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    names: IdentifierRule = DEFAULT_RULE  # the rule of the dialect that made it
    dialect: str = "sqlite"  # the registered dialect that read it (erdgen.dialects)
    keep_going: bool = False  # statements the engine refused were skipped, not fatal
    layout: str = ""  # the migration tool's layout it was discovered in ("" when not known)

    @property
    def skipped(self) -> tuple[SkippedStatement, ...]:
        """Every statement skipped by ``--keep-going``, in migration order."""
        return tuple(skip for step in self.steps for skip in step.skipped)

    @property
    def schema(self) -> Schema:
        """The schema after the last migration."""
        return self.steps[-1].schema if self.steps else Schema()

    @property
    def migrations(self) -> tuple[Migration, ...]:
        return tuple(step.migration for step in self.steps)

    def step(self, migration_id: str) -> Step | None:
        """The step of a migration, by id, by label ("0007") or by number ("7")."""
        position = self._position(migration_id)
        return None if position is None else self.steps[position]

    def until(self, migration_id: str) -> History:
        """The history cut after ``migration_id`` (for ``--at``); KeyError when unknown."""
        position = self._position(migration_id)
        if position is None:
            raise KeyError(migration_id)
        return replace(self, steps=self.steps[: position + 1])

    def _position(self, key: str) -> int | None:
        exact = [i for i, s in enumerate(self.steps) if key in (s.migration.id, s.migration.label)]
        if exact:
            return exact[0]
        return next((i for i, s in enumerate(self.steps) if s.migration.answers_to(key)), None)
