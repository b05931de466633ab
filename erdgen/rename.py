"""Renames as SQLite performs them: every reference follows the renamed table or column.

Since SQLite 3.26 ``ALTER TABLE ... RENAME`` rewrites foreign keys of other tables,
indexes, views and triggers. The model does the same, rewriting SQL text token by
token (names in string literals are left alone, as SQLite leaves them).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, TypeVar

from sqlglot import TokenType
from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import TokenError

from erdgen.model import (
    Check,
    Column,
    ForeignKey,
    Index,
    IndexColumn,
    Schema,
    Table,
    Trigger,
    View,
    same_name,
)

_DIALECT = SQLite()
_LITERALS = frozenset({TokenType.STRING, TokenType.NUMBER, TokenType.HEX_STRING})
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def rewrite_identifier(sql: str, old: str, new: str) -> str:
    """Replace every identifier token ``old`` (any case, any quoting) with ``new``."""
    if old.lower() not in sql.lower():
        return sql
    try:
        tokens = _DIALECT.tokenize(sql)
    except TokenError:
        return sql
    pieces: list[str] = []
    cursor = 0
    for token in tokens:
        if token.token_type in _LITERALS:
            continue
        source = sql[token.start : token.end + 1]
        if _unquoted(source).lower() != old.lower():
            continue
        pieces.append(sql[cursor : token.start])
        pieces.append(_quoted_like(source, new))
        cursor = token.end + 1
    pieces.append(sql[cursor:])
    return "".join(pieces)


def mentions(sql: str, name: str) -> bool:
    """Whether ``name`` occurs in ``sql`` as an identifier (not inside a string literal)."""
    return rewrite_identifier(sql, name, "\x00") != sql


def _unquoted(source: str) -> str:
    if len(source) >= 2 and source[0] in '"`' and source[-1] == source[0]:
        return source[1:-1].replace(source[0] * 2, source[0])
    if len(source) >= 2 and source[0] == "[" and source[-1] == "]":
        return source[1:-1]
    return source


def _quoted_like(original: str, name: str) -> str:
    if original[0] in '"`[' or not _PLAIN_NAME.match(name):
        return '"' + name.replace('"', '""') + '"'
    return name


# --- tables ------------------------------------------------------------------------------


def rename_table_in_schema(schema: Schema, old: str, new: str) -> Schema:
    tables = tuple(
        _renamed_table(table, old, new) if same_name(table.name, old) else table
        for table in schema.tables
    )
    tables = tuple(_changed(t, foreign_keys=_retarget(t.foreign_keys, old, new)) for t in tables)
    views = tuple(_changed(v, sql=rewrite_identifier(v.sql, old, new)) for v in schema.views)
    triggers = tuple(
        _changed(
            t,
            table=new if same_name(t.table, old) else t.table,
            sql=rewrite_identifier(t.sql, old, new),
        )
        for t in schema.triggers
    )
    return replace(schema, tables=tables, views=views, triggers=triggers)


T = TypeVar("T", Table, View, Trigger)


def _changed(item: T, **values: Any) -> T:
    """``replace`` that keeps the same object when nothing changes (renames touch few)."""
    if all(getattr(item, key) == value for key, value in values.items()):
        return item
    return replace(item, **values)


def _renamed_table(table: Table, old: str, new: str) -> Table:
    return replace(
        table,
        name=new,
        sql=rewrite_identifier(table.sql, old, new),
        indexes=tuple(_index_of_renamed_table(index, table.name, new) for index in table.indexes),
    )


def _index_of_renamed_table(index: Index, old: str, new: str) -> Index:
    prefix = f"sqlite_autoindex_{old}_"
    name = index.name
    if index.origin != "c" and name.startswith(prefix):
        name = f"sqlite_autoindex_{new}_{name[len(prefix) :]}"
    sql = rewrite_identifier(index.sql, old, new) if index.sql else None
    return replace(index, name=name, table=new, sql=sql)


def _retarget(keys: tuple[ForeignKey, ...], old: str, new: str) -> tuple[ForeignKey, ...]:
    if not any(same_name(key.ref_table, old) for key in keys):
        return keys
    return tuple(
        replace(key, ref_table=new) if same_name(key.ref_table, old) else key for key in keys
    )


# --- columns -----------------------------------------------------------------------------


def rename_column_in_schema(schema: Schema, table_name: str, old: str, new: str) -> Schema:
    tables = tuple(
        _with_renamed_column(t, old, new) if same_name(t.name, table_name) else t
        for t in schema.tables
    )
    tables = tuple(
        _changed(t, foreign_keys=_with_renamed_ref_column(t.foreign_keys, table_name, old, new))
        for t in tables
    )
    views = tuple(_changed(v, sql=rewrite_identifier(v.sql, old, new)) for v in schema.views)
    triggers = tuple(_changed(t, sql=rewrite_identifier(t.sql, old, new)) for t in schema.triggers)
    return replace(schema, tables=tables, views=views, triggers=triggers)


def _with_renamed_column(table: Table, old: str, new: str) -> Table:
    def rename(name: str) -> str:
        return new if same_name(name, old) else name

    def text(sql: str | None) -> str | None:
        return rewrite_identifier(sql, old, new) if sql is not None else None

    columns = tuple(_renamed_column(c, old, new) for c in table.columns)
    keys = tuple(
        replace(k, columns=tuple(rename(c) for c in k.columns)) for k in table.foreign_keys
    )
    checks = tuple(
        Check(rewrite_identifier(c.expression, old, new), c.name, c.column and rename(c.column))
        for c in table.checks
    )
    indexes = tuple(
        replace(
            index,
            columns=tuple(_renamed_index_column(c, old, new) for c in index.columns),
            where=text(index.where),
            sql=text(index.sql),
        )
        for index in table.indexes
    )
    return replace(
        table,
        columns=columns,
        foreign_keys=keys,
        checks=checks,
        indexes=indexes,
        sql=rewrite_identifier(table.sql, old, new),
    )


def _renamed_column(column: Column, old: str, new: str) -> Column:
    generated = rewrite_identifier(column.generated, old, new) if column.generated else None
    name = new if same_name(column.name, old) else column.name
    return replace(column, name=name, generated=generated)


def _renamed_index_column(column: IndexColumn, old: str, new: str) -> IndexColumn:
    if column.name is not None and same_name(column.name, old):
        return replace(column, name=new)
    if column.expression is not None:
        return replace(column, expression=rewrite_identifier(column.expression, old, new))
    return column


def _with_renamed_ref_column(
    keys: tuple[ForeignKey, ...], table: str, old: str, new: str
) -> tuple[ForeignKey, ...]:
    if not any(same_name(key.ref_table, table) for key in keys):
        return keys
    return tuple(
        replace(key, ref_columns=tuple(new if same_name(c, old) else c for c in key.ref_columns))
        if same_name(key.ref_table, table)
        else key
        for key in keys
    )


def without_column_sql(sql: str, column: str) -> str:
    """The CREATE TABLE text without one column's definition, as DROP COLUMN leaves it."""
    try:
        tokens = _DIALECT.tokenize(sql)
    except TokenError:
        return sql
    # (first word, start offset, end offset) of each element of the table body
    elements: list[tuple[str, int, int]] = []
    depth, first_word, start = 0, "", -1
    for token in tokens:
        text = sql[token.start : token.end + 1]
        if depth == 1 and text in (",", ")"):
            elements.append((first_word, start, token.start))
            first_word = ""
            if text == ")":
                break
            start = token.end + 1
            continue
        if depth == 1 and not first_word:
            first_word = _unquoted(text)
        depth += {"(": 1, ")": -1}.get(text, 0)
        if depth == 1 and start < 0:
            start = token.end + 1
    for position, (word, first, last) in enumerate(elements):
        if word.lower() != column.lower():
            continue
        if position > 0:  # drop from the comma before it
            return sql[: elements[position - 1][2]] + sql[last:]
        if len(elements) > 1:
            return sql[:first] + sql[elements[1][1] :].lstrip()
    return sql
