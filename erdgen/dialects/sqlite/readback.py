"""SQLite's own view of a schema, read back as a model ``Schema``.

Everything here asks SQLite itself (``sqlite_schema`` and the schema PRAGMAs) and
deliberately shares no code with the reader of migrations, so that a mistake in the
reader cannot hide behind the same mistake in its check.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from msgspec import Struct
from msgspec.structs import replace

from erdgen.dialects.sqlite.names import fold
from erdgen.dialects.sqlite.sqltext import index_parts
from erdgen.model import (
    Column,
    ForeignKey,
    Hidden,
    Index,
    IndexColumn,
    IndexOrigin,
    Schema,
    Table,
    Trigger,
    View,
)

_HIDDEN = {0: Hidden.NORMAL, 2: Hidden.VIRTUAL, 3: Hidden.STORED}
_VIRTUAL_TABLE_HIDDEN = 1  # hidden columns of virtual tables (fts5's rank): not user columns


def read_schema(conn: sqlite3.Connection) -> Schema:
    """SQLite's own view of the ``main`` database as a Schema, in ``sqlite_schema`` order.

    Internal ``sqlite_*`` tables and virtual-table shadow tables are left out. SQLite does
    not report everything the model knows (descriptions, CHECKs, column collations,
    constraint names), so those fields keep their defaults; an index column's
    ``collation`` is the effective collation SQLite reports (``BINARY`` when none).
    """
    kinds = {
        name: (kind, bool(wr), bool(strict))
        for name, kind, wr, strict in conn.execute(
            "SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'"
        )
    }
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid")
    tables: list[Table] = []
    views: list[View] = []
    triggers: list[Trigger] = []
    shadows = [name for name, (kind, _, _) in kinds.items() if kind == "shadow"]
    for kind, name, table_name, sql in rows.fetchall():
        if fold(name).startswith("sqlite_"):
            continue
        if kind == "table" and kinds.get(name, ("table",))[0] in ("table", "virtual"):
            listed, without_rowid, strict = kinds.get(name, ("table", False, False))
            table = _read_table(conn, name, sql or "", without_rowid, strict)
            if listed == "virtual":
                table = _as_virtual(table, sql or "", shadows)
            tables.append(table)
        elif kind == "view":
            views.append(View(name=name, sql=sql or ""))
        elif kind == "trigger":
            triggers.append(Trigger(name=name, table=table_name, sql=sql or ""))
    return Schema(tables=tuple(tables), views=tuple(views), triggers=tuple(triggers))


_USING = re.compile(r"\bUSING\s+(\w+)\s*(?:\((.*)\))?\s*$", re.IGNORECASE | re.DOTALL)


def _as_virtual(table: Table, sql: str, shadows: list[str]) -> Table:
    """A virtual table: its module, its arguments (split at top-level commas), and the
    shadow tables named ``<table>_<suffix>`` (the convention of xShadowName)."""
    match = _USING.search(sql)
    module = match[1] if match else ""
    arguments = tuple(_split_arguments(match[2])) if match and match[2] else ()
    prefix = fold(table.name) + "_"
    owned = tuple(name for name in shadows if fold(name).startswith(prefix))
    return replace(table, module=module, module_arguments=arguments, shadow_tables=owned)


def _split_arguments(text: str) -> Iterator[str]:
    depth, start, quote = 0, 0, ""
    for position, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            yield text[start:position].strip()
            start = position + 1
    if text[start:].strip():
        yield text[start:].strip()


def virtual_table_shape(sql: str) -> Table:
    """What SQLite makes of one CREATE VIRTUAL TABLE statement on its own: columns (as
    ``PRAGMA table_xinfo`` reports them) and shadow tables. Raises ``sqlite3.Error``
    where SQLite refuses it (``no such module``)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(sql)
        return read_schema(conn).tables[0]
    finally:
        conn.close()


def _read_table(
    conn: sqlite3.Connection, name: str, sql: str, without_rowid: bool, strict: bool
) -> Table:
    return Table(
        name=name,
        columns=_read_columns(conn, name),
        foreign_keys=_read_foreign_keys(conn, name),
        indexes=_read_indexes(conn, name),
        without_rowid=without_rowid,
        strict=strict,
        sql=sql,
    )


def _read_columns(conn: sqlite3.Connection, table: str) -> tuple[Column, ...]:
    rows = conn.execute(
        'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) '
        "ORDER BY cid",
        (table,),
    )
    return tuple(
        Column(
            name=name,
            type=type_,
            not_null=bool(not_null),
            default=default,
            primary_key=pk,
            hidden=_HIDDEN[hidden],
        )
        for name, type_, not_null, default, pk, hidden in rows
        if hidden != _VIRTUAL_TABLE_HIDDEN
    )


def _read_foreign_keys(conn: sqlite3.Connection, table: str) -> tuple[ForeignKey, ...]:
    rows = conn.execute(
        'SELECT id, "table", "from", "to", on_update, on_delete, match '
        "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        (table,),
    ).fetchall()
    grouped: dict[int, list[tuple[str, str, str | None, str, str, str]]] = {}
    for key_id, ref_table, column, ref_column, on_update, on_delete, match in rows:
        grouped.setdefault(key_id, []).append(
            (ref_table, column, ref_column, on_update, on_delete, match)
        )
    # SQLite numbers foreign keys in reverse declaration order.
    return tuple(_foreign_key(grouped[key_id]) for key_id in sorted(grouped, reverse=True))


def _foreign_key(parts: list[tuple[str, str, str | None, str, str, str]]) -> ForeignKey:
    ref_table, _, _, on_update, on_delete, match = parts[0]
    ref_columns = tuple(part[2] for part in parts if part[2] is not None)
    return ForeignKey(
        columns=tuple(part[1] for part in parts),
        ref_table=ref_table,
        ref_columns=ref_columns,
        on_delete=on_delete,
        on_update=on_update,
        match=match,
    )


def _read_indexes(conn: sqlite3.Connection, table: str) -> tuple[Index, ...]:
    listed = conn.execute(
        'SELECT name, "unique", origin FROM pragma_index_list(?)', (table,)
    ).fetchall()
    statements = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?", (table,)
        ).fetchall()
    )
    indexes = [
        _read_index(conn, table, name, bool(unique), origin, statements.get(name))
        for name, unique, origin in listed
    ]
    return tuple(sorted(indexes, key=_creation_order(conn)))


def _creation_order(conn: sqlite3.Connection) -> _IndexOrder:
    rowids = dict(conn.execute("SELECT name, rowid FROM sqlite_schema WHERE type = 'index'"))
    return _IndexOrder(rowids)


class _IndexOrder(Struct, frozen=True):
    """Constraint indexes (created with the table) by their number, then by rowid."""

    rowids: dict[str, int]

    def __call__(self, index: Index) -> tuple[int, int]:
        if index.origin != "c":
            number = index.name.rsplit("_", 1)[-1]
            return (0, int(number) if number.isdigit() else 0)
        return (1, self.rowids.get(index.name, 0))


def _read_index(
    conn: sqlite3.Connection,
    table: str,
    name: str,
    unique: bool,
    origin: IndexOrigin,
    sql: str | None,
) -> Index:
    keys = conn.execute(
        'SELECT cid, name, "desc", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
        (name,),
    ).fetchall()
    parts = index_parts(sql) if sql else None
    expressions = parts.keys if parts else ()
    columns = tuple(
        IndexColumn(
            name=column if cid != -2 else None,
            expression=_key_expression(expressions, position) if cid == -2 else None,
            descending=bool(desc),
            collation=collation,
        )
        for position, (cid, column, desc, collation) in enumerate(keys)
    )
    where = parts.where if parts else None
    return Index(name, table, columns, unique=unique, origin=origin, where=where, sql=sql)


def _key_expression(expressions: tuple[str, ...], position: int) -> str:
    return expressions[position] if position < len(expressions) else ""
