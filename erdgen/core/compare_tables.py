"""The generic comparison of tables (``core.compare`` for dialects without their own):
columns, foreign keys and indexes as SQLite's PRAGMAs report them.

Descriptions, CHECKs and the ``sql`` text are not compared (SQLite reports no CHECKs and
rewrites a table's SQL); index keys and WHERE clauses compare as the dialect normalises
SQL text (``Dialect.normalise_sql``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from erdgen.dialects.base import Value
from erdgen.model import Column, ForeignKey, Index, IndexColumn, Schema, Table

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect

Found = tuple[str, str, Value, Value]  # (table, field, the model's value, the engine's)


def table_differences(model: Schema, actual: Schema, rules: Dialect) -> Iterator[Found]:
    """Each table on one side only, and each field on which a table's two sides differ."""
    for table in model.tables:
        if actual.table(table.name) is None:
            yield table.name, "exists", True, False
    for real in actual.tables:
        mine = model.table(real.name)
        if mine is None:
            yield real.name, "exists", False, True
        else:
            yield from _compare_table(mine, real, rules)


def _compare_table(model: Table, actual: Table, rules: Dialect) -> Iterator[Found]:
    def differ(field: str, mine: Value, theirs: Value) -> Iterator[Found]:
        if mine != theirs:
            yield actual.name, field, mine, theirs

    yield from differ("name", model.name, actual.name)
    yield from differ("without_rowid", model.without_rowid, actual.without_rowid)
    yield from differ("strict", model.strict, actual.strict)
    key = rules.identifiers.key
    yield from differ("module", key(model.module or ""), key(actual.module or ""))
    shadows = (
        tuple(sorted(map(key, model.shadow_tables))),
        tuple(sorted(map(key, actual.shadow_tables))),
    )
    yield from differ("shadow tables", *shadows)
    for field, mine, theirs in _column_fields(model, actual):
        yield from differ(field, mine, theirs)
    for field, mine, theirs in _foreign_key_fields(model, actual, rules):
        yield from differ(field, mine, theirs)
    for field, mine, theirs in _index_fields(model, actual, rules):
        yield from differ(field, mine, theirs)


Compared = Iterator[tuple[str, Value, Value]]


def _column_fields(model: Table, actual: Table) -> Compared:
    yield "columns", _names(model.columns), _names(actual.columns)
    for real in actual.columns:
        mine = model.column(real.name)
        if mine is None:
            continue
        prefix = f"column {real.name}: "
        yield prefix + "name", mine.name, real.name
        yield prefix + "type", mine.type, real.type
        yield prefix + "not_null", mine.not_null, real.not_null
        yield prefix + "default", mine.default, real.default
        yield prefix + "primary_key", mine.primary_key, real.primary_key
        yield prefix + "hidden", str(mine.hidden), str(real.hidden)


def _names(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


def _foreign_key_fields(model: Table, actual: Table, rules: Dialect) -> Compared:
    key = rules.identifiers.key
    labels = _key_labels(model.foreign_keys, key), _key_labels(actual.foreign_keys, key)
    yield "foreign keys", *labels
    if labels[0] != labels[1]:
        return  # pairing the keys up would only repeat the difference
    for mine, real in zip(model.foreign_keys, actual.foreign_keys, strict=True):
        prefix = f"foreign key ({', '.join(real.columns)}) -> {real.ref_table}: "
        yield prefix + "ref_columns", _keys(mine.ref_columns, key), _keys(real.ref_columns, key)
        yield prefix + "on_delete", mine.on_delete, real.on_delete
        yield prefix + "on_update", mine.on_update, real.on_update
        yield prefix + "match", mine.match, real.match


def _key_labels(keys: Sequence[ForeignKey], key: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(key(f"({', '.join(k.columns)}) -> {k.ref_table}") for k in keys)


def _keys(names: tuple[str, ...], key: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(key(name) for name in names)


def _index_fields(model: Table, actual: Table, rules: Dialect) -> Compared:
    for index in model.indexes:
        if actual.index(index.name) is None:
            yield f"index {index.name}: exists", True, False
    for real in actual.indexes:
        mine = model.index(real.name)
        if mine is None:
            yield f"index {real.name}: exists", False, True
            continue
        prefix = f"index {real.name}: "
        yield prefix + "columns", _index_labels(mine, rules), _index_labels(real, rules)
        yield prefix + "descending", _descending(mine), _descending(real)
        yield prefix + "unique", mine.unique, real.unique
        yield prefix + "origin", mine.origin, real.origin
        yield prefix + "where", _optional_sql(mine.where, rules), _optional_sql(real.where, rules)
        for position, (key, real_key) in enumerate(zip(mine.columns, real.columns, strict=False)):
            collation = _model_collation(model, key)
            if collation is not None and real_key.collation is not None:
                yield (
                    f"{prefix}key {position + 1} ({real_key.label}): collation",
                    collation.upper(),
                    real_key.collation.upper(),
                )


def _index_labels(index: Index, rules: Dialect) -> tuple[str, ...]:
    return tuple(
        rules.identifiers.key(key.name)
        if key.name is not None
        else rules.normalise_sql(key.expression or "")
        for key in index.columns
    )


def _descending(index: Index) -> tuple[str, ...]:
    return tuple("DESC" if key.descending else "ASC" for key in index.columns)


def _optional_sql(sql: str | None, rules: Dialect) -> str | None:
    return rules.normalise_sql(sql) if sql is not None else None


def _model_collation(table: Table, key: IndexColumn) -> str | None:
    """The collation the model implies for an index key, or None when it cannot say.

    Explicit COLLATE in the index, else the column's collation, else BINARY; for an
    expression without COLLATE the collation depends on the expression, so no claim.
    """
    if key.collation is not None:
        return key.collation
    if key.name is None:
        return None
    column = table.column(key.name)
    if column is None:
        return None
    return column.collation or "BINARY"
