"""What a table's keys imply, read from the model alone: which columns can never be NULL,
which column sets are unique, the cardinality of a foreign key, and the key markers of a
column (PK, FK, UQ, NN). Every output that draws or exports a relation (the Graphviz
diagrams, Mermaid, DBML, tbls) takes it from here, so they cannot disagree.

Standard library only: formats and renderers import this without loading a parser.
"""

from __future__ import annotations

from enum import StrEnum

from erdgen.model import Column, ForeignKey, Schema, Table


class Cardinality(StrEnum):
    """How many child rows one parent row has, as the foreign key implies."""

    # The values are CSS class suffixes (erd-n-1, ...); NOTATION has the shown text.
    MANY_TO_ONE = "n-1"  # child side: zero or many; parent side: exactly one
    MANY_TO_ZERO_OR_ONE = "n-01"  # nullable key: parent side zero or one
    ONE_TO_ONE = "1-1"  # unique key: child side zero or one; parent exactly one
    ONE_TO_ZERO_OR_ONE = "1-01"  # unique and nullable


def is_required(table: Table, column: Column) -> bool:
    """Whether the column can never hold NULL.

    NOT NULL (as ``PRAGMA table_info`` reports it, which includes the primary key of a
    STRICT table; PostgreSQL's catalog marks every primary-key column so), a primary-key
    column of a WITHOUT ROWID table, or the rowid alias (a NULL stored there becomes a new
    rowid). Other primary-key columns of SQLite tables take NULL
    (https://sqlite.org/lang_createtable.html#the_primary_key).
    """
    if column.not_null:
        return True
    if column.primary_key and table.without_rowid:
        return True
    return table.rowid_alias is not None and table.names.same(table.rowid_alias, column.name)


def unique_column_sets(table: Table) -> tuple[frozenset[str], ...]:
    """Column sets (names as keys of the table's identifier rule) whose values are unique."""
    sets: list[frozenset[str]] = []
    if table.primary_key:
        sets.append(frozenset(table.names.key(name) for name in table.primary_key))
    sets.extend(frozenset({table.names.key(c.name)}) for c in table.columns if c.unique)
    for index in table.indexes:
        if index.unique and not index.partial and all(c.name for c in index.columns):
            sets.append(frozenset(table.names.key(c.label) for c in index.columns))
    return tuple(sets)


def cardinality(table: Table, key: ForeignKey) -> Cardinality:
    """The cardinality a foreign key implies, from nullability and uniqueness."""
    columns = frozenset(table.names.key(name) for name in key.columns)
    unique = any(unique_set <= columns for unique_set in unique_column_sets(table))
    nullable = not all(
        (column := table.column(name)) is not None and is_required(table, column)
        for name in key.columns
    )
    if unique:
        return Cardinality.ONE_TO_ZERO_OR_ONE if nullable else Cardinality.ONE_TO_ONE
    return Cardinality.MANY_TO_ZERO_OR_ONE if nullable else Cardinality.MANY_TO_ONE


def column_markers(table: Table, column: Column) -> tuple[str, ...]:
    """Text markers of a column: PK, FK, UQ (unique on its own), NN (not null)."""
    return table_markers(table)[table.names.key(column.name)]


def table_markers(table: Table) -> dict[str, tuple[str, ...]]:
    """``column_markers`` of every column (by name key), the table read once."""
    key_size = len(table.primary_key)
    foreign = {table.names.key(name) for key in table.foreign_keys for name in key.columns}
    unique = unique_column_sets(table)
    markers = {}
    for column in table.columns:
        name = table.names.key(column.name)
        found: list[str] = []
        if column.primary_key:
            found.append("PK" if key_size == 1 else f"PK{column.primary_key}")
        if name in foreign:
            found.append("FK")
        if frozenset({name}) in unique and not column.primary_key:
            found.append("UQ")
        if is_required(table, column):
            found.append("NN")
        markers[name] = tuple(found)
    return markers


def referenced_columns(schema: Schema, key: ForeignKey) -> tuple[str, ...]:
    """The parent columns a key points at: as written, else the parent's primary key."""
    if key.ref_columns:
        return key.ref_columns
    parent = schema.table(key.ref_table)
    return parent.primary_key if parent is not None else ()
