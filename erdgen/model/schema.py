"""The schema at one point in time: tables, columns, keys, indexes, views, triggers, and
PostgreSQL's types, sequences and functions. Frozen; "changing" a schema returns a new one."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from msgspec import Struct
from msgspec.structs import replace

from erdgen.model.names import DEFAULT_RULE, IdentifierRule


class Hidden(StrEnum):
    """SQLite's ``hidden`` column of ``PRAGMA table_xinfo``."""

    NORMAL = "normal"  # 0
    VIRTUAL = "virtual"  # 2: GENERATED ALWAYS AS (...) [VIRTUAL]
    STORED = "stored"  # 3: GENERATED ALWAYS AS (...) STORED


class Column(Struct, frozen=True):
    """A column of a table or view, with what SQLite's ``PRAGMA table_xinfo`` reports of it;
    for PostgreSQL the same fields come from ``pg_attribute``."""

    name: str
    type: str = ""  # declared type exactly as SQLite stores it ("" when none)
    not_null: bool = False
    default: str | None = None  # default expression as SQLite reports it (dflt_value)
    primary_key: int = 0  # 1-based position in the primary key, 0 when not part of it
    hidden: Hidden = Hidden.NORMAL
    generated: str | None = None  # expression of a generated column
    collation: str | None = None  # COLLATE name as written
    unique: bool = False  # a column-level UNIQUE constraint (also shows as an autoindex)
    autoincrement: bool = False
    description: str = ""  # from the SQL comment beside the column
    # PostgreSQL: GENERATED ALWAYS / BY DEFAULT AS IDENTITY (pg_attribute.attidentity)
    identity: Literal["ALWAYS", "BY DEFAULT"] | None = None


class ForeignKey(Struct, frozen=True):
    """A foreign key: ``columns`` pair with ``ref_columns`` in order; actions and ``match`` as
    SQLite's ``PRAGMA foreign_key_list`` spells them."""

    columns: tuple[str, ...]
    ref_table: str  # as written in REFERENCES
    ref_columns: tuple[str, ...]  # as written; empty when REFERENCES names no columns
    on_delete: str = "NO ACTION"  # as PRAGMA foreign_key_list spells it
    on_update: str = "NO ACTION"
    match: str = "NONE"
    name: str | None = None  # CONSTRAINT name, if any
    deferrable: str | None = None  # e.g. "DEFERRABLE INITIALLY DEFERRED", as written
    validated: bool = True  # PostgreSQL: False while added NOT VALID and not yet validated


class IndexColumn(Struct, frozen=True):
    """A key column of an index: a table column or an expression."""

    name: str | None  # column name; None for an expression
    expression: str | None = None  # SQL text of an expression key
    descending: bool = False
    collation: str | None = None  # explicit COLLATE in the index, as written
    # PostgreSQL: the operator class named after the key, as written ("gin_trgm_ops")
    opclass: str | None = None

    @property
    def label(self) -> str:
        return self.name if self.name is not None else (self.expression or "")


IndexOrigin = Literal["c", "u", "pk"]  # CREATE INDEX, UNIQUE constraint, PRIMARY KEY


class Index(Struct, frozen=True):
    """An index of a table, including those of UNIQUE and PRIMARY KEY constraints; ``origin``
    as SQLite's ``PRAGMA index_list`` reports it."""

    name: str  # constraint indexes are named like SQLite does: sqlite_autoindex_<table>_<n>
    table: str
    columns: tuple[IndexColumn, ...]
    unique: bool = False
    origin: IndexOrigin = "c"
    where: str | None = None  # condition of a partial index
    sql: str | None = None  # the CREATE INDEX statement (None for constraint indexes)
    method: str = ""  # PostgreSQL: the access method (pg_am.amname), e.g. "btree", "gin"
    include: tuple[str, ...] = ()  # PostgreSQL: INCLUDE columns, in order
    concurrently: bool = False  # PostgreSQL: CREATE INDEX CONCURRENTLY (no transaction)

    @property
    def partial(self) -> bool:
        return self.where is not None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.label for column in self.columns)


class Check(Struct, frozen=True):
    """A CHECK constraint: the condition inside ``CHECK (...)`` as written (from PostgreSQL's
    catalog: as ``pg_get_constraintdef`` prints it), and its name if it has one."""

    expression: str
    name: str | None = None
    column: str | None = None  # set for a column-level CHECK


class Table(Struct, frozen=True):
    """A table, its columns in declaration order; a PostgreSQL table outside ``public`` is named
    ``schema.name``."""

    name: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()  # in creation order, constraint indexes included
    checks: tuple[Check, ...] = ()
    primary_key_name: str | None = None  # CONSTRAINT name of a table-level PRIMARY KEY
    without_rowid: bool = False
    strict: bool = False
    sql: str = ""  # the CREATE TABLE statement as written in the migration that created it
    description: str = ""
    # A virtual table (CREATE VIRTUAL TABLE name USING module(arguments)): its module
    # ("fts5", "rtree", ...), None for an ordinary table; the arguments as written; the
    # shadow tables the module keeps its data in (PRAGMA table_list type "shadow"),
    # which belong to it and are not tables of the schema themselves.
    module: str | None = None
    module_arguments: tuple[str, ...] = ()
    shadow_tables: tuple[str, ...] = ()
    # PostgreSQL: every constraint with its name and kind (pg_constraint), in creation order;
    # foreign_keys, checks and the primary key above are views of the same constraints
    constraints: tuple[Constraint, ...] = ()
    inherits: tuple[str, ...] = ()  # PostgreSQL: INHERITS parents / the partitioned parent
    partition_key: str | None = None  # PostgreSQL: "RANGE (day)" for a partitioned table
    partition_bound: str | None = None  # PostgreSQL: "FOR VALUES FROM (...) TO (...)"
    # the rule of the dialect that made it
    names: IdentifierRule = DEFAULT_RULE

    def column(self, name: str) -> Column | None:
        same = self.names.same
        return next((c for c in self.columns if same(c.name, name)), None)

    def index(self, name: str) -> Index | None:
        same = self.names.same
        return next((i for i in self.indexes if same(i.name, name)), None)

    @property
    def primary_key(self) -> tuple[str, ...]:
        keyed = sorted((c for c in self.columns if c.primary_key), key=lambda c: c.primary_key)
        return tuple(c.name for c in keyed)

    @property
    def rowid_alias(self) -> str | None:
        """The INTEGER PRIMARY KEY column that aliases the rowid, if any."""
        if self.without_rowid or len(self.primary_key) != 1:
            return None
        column = self.column(self.primary_key[0])
        if column is None or column.type.upper() != "INTEGER":
            return None
        has_pk_index = any(index.origin == "pk" for index in self.indexes)
        return None if has_pk_index else column.name


ConstraintKind = Literal["p", "u", "c", "f", "x", "n"]  # pg_constraint.contype


class Constraint(Struct, frozen=True):
    """A named table constraint, as PostgreSQL keeps it in ``pg_constraint``."""

    name: str  # given, or PostgreSQL's own choice ("t_pkey", "t_col_fkey", ...)
    kind: ConstraintKind  # p primary key, u unique, c check, f foreign key, x exclusion
    columns: tuple[str, ...] = ()  # conkey, in key order
    definition: str = ""  # pg_get_constraintdef, e.g. "FOREIGN KEY (a) REFERENCES t(id)"
    validated: bool = True  # False after ADD ... NOT VALID until VALIDATE CONSTRAINT
    description: str = ""  # COMMENT ON CONSTRAINT

    @property
    def kind_name(self) -> str:
        return CONSTRAINT_KIND_NAMES[self.kind]


CONSTRAINT_KIND_NAMES: dict[str, str] = {
    "p": "primary key",
    "u": "unique",
    "c": "check",
    "f": "foreign key",
    "x": "exclusion",
    "n": "not null",
}


class View(Struct, frozen=True):
    """A view and its ``CREATE VIEW`` statement; PostgreSQL adds its columns and whether it is
    materialized."""

    name: str
    sql: str  # the CREATE VIEW statement
    description: str = ""
    columns: tuple[Column, ...] = ()  # PostgreSQL: the view's columns with their types
    materialized: bool = False  # PostgreSQL: CREATE MATERIALIZED VIEW


class Trigger(Struct, frozen=True):
    """A trigger on ``table`` (a table or view) with its ``CREATE TRIGGER`` statement; PostgreSQL
    adds the function it runs and its level."""

    name: str
    table: str
    sql: str  # the whole CREATE TRIGGER statement, body included
    timing: str = ""  # BEFORE, AFTER, INSTEAD OF
    event: str = ""  # INSERT, UPDATE [OF ...], DELETE
    description: str = ""
    function: str = ""  # PostgreSQL: the trigger function, e.g. "set_updated_at"
    level: str = ""  # PostgreSQL: "ROW" or "STATEMENT"


class EnumType(Struct, frozen=True):
    """PostgreSQL: CREATE TYPE ... AS ENUM, labels in their sort order (pg_enum)."""

    name: str
    values: tuple[str, ...]
    description: str = ""


class Domain(Struct, frozen=True):
    """PostgreSQL: CREATE DOMAIN, a base type with NOT NULL, a default and CHECKs (pg_type
    ``typtype = 'd'``)."""

    name: str
    base_type: str  # format_type(typbasetype, typtypmod), e.g. "character varying(20)"
    not_null: bool = False
    default: str | None = None  # as PostgreSQL stores it, e.g. "'x'::text"
    checks: tuple[str, ...] = ()  # the CHECK constraints' names, sorted
    description: str = ""


class CompositeType(Struct, frozen=True):
    """PostgreSQL: CREATE TYPE name AS (attribute type, ...) (pg_type ``typtype = 'c'``
    of a standalone ``relkind = 'c'`` relation)."""

    name: str
    attributes: tuple[tuple[str, str], ...]  # (name, format_type) in order
    description: str = ""


class Sequence(Struct, frozen=True):
    """PostgreSQL: a sequence (pg_sequence), also those behind serial and identity columns."""

    name: str
    type: str = "bigint"  # format_type of seqtypid
    start: int = 1
    increment: int = 1
    owned_by: str | None = None  # "table.column" of OWNED BY, serial or identity
    identity: bool = False  # made by an identity column (dropped with it)


class Function(Struct, frozen=True):
    """PostgreSQL: a function or procedure (pg_proc) that a migration created."""

    name: str
    arguments: str  # pg_get_function_identity_arguments, e.g. "integer, text"
    returns: str = ""  # pg_get_function_result, e.g. "trigger", "SETOF text"; "" for procedures
    language: str = ""  # pg_language.lanname, e.g. "plpgsql", "sql"
    kind: Literal["function", "procedure", "aggregate", "window"] = "function"
    description: str = ""

    @property
    def signature(self) -> str:
        return f"{self.name}({self.arguments})"


class Schema(Struct, frozen=True, dict=True):
    """The schema at one point in time. Objects are kept in creation order."""

    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    # PostgreSQL only; empty for SQLite
    enums: tuple[EnumType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    functions: tuple[Function, ...] = ()
    domains: tuple[Domain, ...] = ()
    composites: tuple[CompositeType, ...] = ()
    namespaces: tuple[str, ...] = ()  # schemas made with CREATE SCHEMA ("public" left out)
    extensions: tuple[str, ...] = ()  # CREATE EXTENSION names (plpgsql left out)
    # the rule of the dialect that made it
    names: IdentifierRule = DEFAULT_RULE

    def table(self, name: str) -> Table | None:
        # A lookup by the names' keys, kept beside the fields (``dict=True``) on first use:
        # renderers ask for tables by name millions of times at a few hundred tables.
        key = self.names.key
        by_name: dict[str, Table] | None = self.__dict__.get("_by_name")
        if by_name is None:
            by_name = {key(t.name): t for t in reversed(self.tables)}
            self.__dict__["_by_name"] = by_name
        return by_name.get(key(name))

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if self.names.same(v.name, name)), None)

    def trigger(self, name: str) -> Trigger | None:
        return next((t for t in self.triggers if self.names.same(t.name, name)), None)

    def index(self, name: str) -> Index | None:
        same = self.names.same
        return next((i for t in self.tables for i in t.indexes if same(i.name, name)), None)

    def triggers_on(self, table: str) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if self.names.same(t.table, table))

    def referencing(self, table: str) -> Iterator[tuple[Table, ForeignKey]]:
        """Every (table, foreign key) whose key points at ``table``."""
        for candidate in self.tables:
            for key in candidate.foreign_keys:
                if self.names.same(key.ref_table, table):
                    yield candidate, key

    def with_table(self, table: Table) -> Schema:
        """A schema where ``table`` replaces the table of the same name, or is appended."""
        if self.table(table.name) is None:
            return replace(self, tables=(*self.tables, table))
        same = self.names.same
        tables = tuple(table if same(t.name, table.name) else t for t in self.tables)
        return replace(self, tables=tables)
