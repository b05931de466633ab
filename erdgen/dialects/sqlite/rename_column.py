"""``ALTER TABLE t RENAME old TO new`` for a column: the column and every reference to it,
written as SQLite writes them (alter.c, renameColumnFunc and renameEditSql)."""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.column_references import rewrite_column_reference
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.rename import Quoting, rewrite_identifier, with_sql
from erdgen.model import (
    Check,
    Column,
    IndexColumn,
    Table,
    Trigger,
)


def rename_column(
    work: Workspace, table_name: str, old: str, new: str, *, quoted: bool = False
) -> None:
    """``ALTER TABLE table RENAME old TO new``: the column and every reference to it;
    ``quoted``: the new name was quoted in the statement, so SQLite quotes it everywhere."""
    quoting: Quoting = "always" if quoted else "as-before"
    lowered = fold(table_name)
    work.put_table(_with_renamed_column(work.tables[lowered], old, new, quoting))
    for key in work.referring(lowered):
        work.put_table(_with_renamed_ref_column(work.tables[key], table_name, old, new))
    column = fold(old)
    for view in [v for v in work.views.values() if column in fold(v.sql)]:
        sql = rewrite_column_reference(view.sql, table_name, old, new, None, quoting)
        work.put_view(with_sql(view, sql))
    for trigger in [t for t in work.triggers.values() if column in fold(t.sql)]:
        sql = rewrite_column_reference(trigger.sql, table_name, old, new, trigger.table, quoting)
        trigger = with_sql(trigger, sql)
        if same_name(trigger.table, table_name):
            trigger = _with_renamed_event(trigger, old, new)
        work.put_trigger(trigger)


def _with_renamed_event(trigger: Trigger, old: str, new: str) -> Trigger:
    """``UPDATE OF old`` names a column of the trigger's table: it follows the rename."""
    head, of, names = trigger.event.partition(" OF ")
    if not of:
        return trigger
    renamed = [new if same_name(name, old) else name for name in names.split(", ")]
    event = f"{head}{of}{', '.join(renamed)}"
    return trigger if event == trigger.event else replace(trigger, event=event)


def _with_renamed_column(table: Table, old: str, new: str, quoting: Quoting) -> Table:
    def rename(name: str) -> str:
        return new if same_name(name, old) else name

    def text(sql: str | None) -> str | None:
        return rewrite_identifier(sql, old, new, quoting) if sql is not None else None

    columns = tuple(_renamed_column(c, old, new, quoting) for c in table.columns)
    keys = tuple(
        replace(k, columns=tuple(rename(c) for c in k.columns)) for k in table.foreign_keys
    )
    checks = tuple(
        Check(str(text(c.expression)), c.name, c.column and rename(c.column)) for c in table.checks
    )
    indexes = tuple(
        replace(
            index,
            columns=tuple(_renamed_index_column(c, old, new, quoting) for c in index.columns),
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
        sql=rewrite_identifier(table.sql, old, new, quoting),
    )


def _renamed_column(column: Column, old: str, new: str, quoting: Quoting) -> Column:
    generated = column.generated and rewrite_identifier(column.generated, old, new, quoting)
    name = new if same_name(column.name, old) else column.name
    return replace(column, name=name, generated=generated)


def _renamed_index_column(column: IndexColumn, old: str, new: str, quoting: Quoting) -> IndexColumn:
    if column.name is not None and same_name(column.name, old):
        return replace(column, name=new)
    if column.expression is not None:
        expression = rewrite_identifier(column.expression, old, new, quoting)
        return replace(column, expression=expression)
    return column


def _with_renamed_ref_column(table: Table, referenced: str, old: str, new: str) -> Table:
    """The table with its foreign keys to ``referenced.old`` naming ``new`` instead."""
    keys = tuple(
        replace(key, ref_columns=tuple(new if same_name(c, old) else c for c in key.ref_columns))
        if same_name(key.ref_table, referenced)
        else key
        for key in table.foreign_keys
    )
    return replace(table, foreign_keys=keys)
