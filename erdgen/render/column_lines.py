"""Change lines of columns: a column added (its definition; one of a composite primary key
said to be part of it), dropped or copied elsewhere first, and what changed of one."""

from __future__ import annotations

from collections.abc import Sequence

from erdgen.core.lineage import copied_into
from erdgen.model import Change, Column, ColumnCopy, IdentifierRule, Table
from erdgen.render.key_lines import ChangeLine
from erdgen.render.markdown import code
from erdgen.render.row_loss_lines import copied_line


def column_definition(column: Column, key: Sequence[str] = ()) -> str:
    """The column as SQLite would describe it: type, NOT NULL, DEFAULT; PRIMARY KEY only
    for the one column of a one-column key (``key``: the table's primary key, when known):
    a column of a composite key is no primary key of its own."""
    parts = [column.type] if column.type else []
    if column.primary_key and len(key) <= 1:
        parts.append("PRIMARY KEY")
    if column.not_null:
        parts.append("NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.generated is not None:
        parts.append(f"AS ({column.generated})")
    return " ".join(parts)


def column_added(column: Column, names: IdentifierRule, table: Table | None) -> ChangeLine:
    key = table.primary_key if table is not None and column.primary_key else ()
    definition = column_definition(column, key)
    params = {"column": code(column.name), "definition": code(definition) if definition else ""}
    kind = "column_added"
    if len(key) > 1:  # said with the key's columns in order, not as a key of its own
        kind, params["key"] = "column_added_in_key", ", ".join(code(c) for c in key)
    return ChangeLine(kind, params, bucket="columns_added", subject=names.key(column.name))


def _column_dropped(name: str, names: IdentifierRule) -> ChangeLine:
    return ChangeLine(
        "column_dropped",
        {"column": code(name)},
        destructive=True,
        bucket="columns_dropped",
        subject=names.key(name),
    )


def column_gone(
    name: str, table: str, copies: Sequence[ColumnCopy], names: IdentifierRule
) -> ChangeLine:
    moved = copied_into(copies, table, name, names)
    if not moved:
        return _column_dropped(name, names)
    into = ", ".join(
        dict.fromkeys(
            code(c.into if names.same(c.target, table) else f"{c.target}.{c.into}") for c in moved
        )
    )
    return copied_line(name, into, moved, names)


def _or_dash(text: str | None) -> str:
    return code(text) if text else "—"


def column_changes(before: Column, after: Column) -> list[ChangeLine]:
    name = code(after.name)
    lines: list[tuple[str, dict[str, str]]] = []
    if before.not_null != after.not_null:
        lines.append(("column_not_null" if after.not_null else "column_nullable", {}))
    if before.type != after.type:
        lines.append(
            ("column_type", {"before": _or_dash(before.type), "after": _or_dash(after.type)})
        )
    if before.default != after.default:
        default = {"before": _or_dash(before.default), "after": _or_dash(after.default)}
        lines.append(("column_default", default))
    if before.primary_key != after.primary_key:
        lines.append(("column_key", {}))
    if before.generated != after.generated:
        lines.append(("column_generated", {}))
    if before.identity != after.identity:  # PostgreSQL: ADD / DROP / SET GENERATED
        identity = {"before": _or_dash(before.identity), "after": _or_dash(after.identity)}
        lines.append(("column_identity", identity))
    return [
        ChangeLine(kind, {"column": name, **params}, bucket="columns_changed", subject=after.name)
        for kind, params in lines
    ]


def column_altered(change: Change, column: str) -> ChangeLine:
    """PostgreSQL's ALTER COLUMN: what changed of the column (its one line when only one
    thing changed, else each below a line naming the column)."""
    before = change.before.column(column) if change.before else None
    after = change.after.column(column) if change.after else None
    lines = column_changes(before, after) if before and after else []
    if len(lines) == 1:
        return lines[0]
    params = {"column": code(column)}
    return ChangeLine(
        "column_changed", params, tuple(lines), bucket="columns_changed", subject=column
    )
