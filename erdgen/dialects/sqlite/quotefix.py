"""SQLite's "quote fix" on RENAME COLUMN: before it rewrites anything, SQLite turns every
double-quoted string in the schema's CREATE INDEX texts (a "name" that names no column,
read as a string under its DQS rule) into a single-quoted string, and refuses the rename
while an index key is such a string alone (alter.c, renameFixQuotes and
renameQuotefixFunc; quirks.html, "Double-quoted String Literals Are Accepted").

erdgen applies it to indexes, whose names resolve against one table; views and
triggers are left as written (they would need SQLite's name resolution).
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.lexer import tokens, unquote
from erdgen.model import Index, IndexColumn, Table


def string_key(table: Table) -> tuple[Index, str] | None:
    """An index of ``table`` with a key that is a double-quoted string alone, if any:
    SQLite refuses any RENAME COLUMN while one exists."""
    for index in table.indexes:
        for key in index.columns:
            text = key.expression or ""
            if key.name is None and len(text) > 1 and text[0] == text[-1] == '"':
                return index, text
    return None


def has_string(index: Index, table: Table) -> bool:
    """Whether the index's keys or condition hold a double-quoted string (no column)."""
    return bool(index.sql) and '"' in str(index.sql) and _fixed(index, table) is not index


def quotefix(work: Workspace) -> None:
    """Every index's double-quoted strings written as single-quoted ones."""
    for key, table in list(work.tables.items()):
        if any(index.sql and '"' in index.sql for index in table.indexes):
            indexes = tuple(_fixed(index, table) for index in table.indexes)
            if any(a is not b for a, b in zip(indexes, table.indexes, strict=True)):
                work.put_table(replace(work.tables[key], indexes=indexes))


def _fixed(index: Index, table: Table) -> Index:
    if not index.sql or '"' not in index.sql:
        return index
    head_end = index.sql.find("(")
    sql = index.sql[:head_end] + _fixed_text(index.sql[head_end:], table)
    if sql == index.sql:
        return index
    keys = tuple(_fixed_key(key, table) for key in index.columns)
    where = _fixed_text(index.where, table) if index.where else index.where
    return replace(index, sql=sql, columns=keys, where=where)


def _fixed_key(key: IndexColumn, table: Table) -> IndexColumn:
    if key.expression is None:
        return key
    return replace(key, expression=_fixed_text(key.expression, table))


def _fixed_text(text: str, table: Table) -> str:
    parts = []
    for token in tokens(text):
        piece = token.text
        if token.kind == "quoted" and piece[0] == '"' and table.column(unquote(piece)) is None:
            piece = "'" + unquote(piece).replace("'", "''") + "'"
        parts.append(piece)
    return "".join(parts)
