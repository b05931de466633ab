"""What differs between two shapes of one table: the one diff that both the change lines of
the pages and the marks of the migration diagrams are read from."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from msgspec import Struct
from msgspec.structs import replace

from erdgen.model import Column, ForeignKey, IdentifierRule, Index, Table

ForeignKeyShape = tuple[tuple[str, ...], str, tuple[str, ...], str, str]


class TableDiff(Struct, frozen=True):
    """Columns and indexes in the order of the shape they are read from."""

    added: tuple[Column, ...]
    changed: tuple[tuple[Column, Column], ...]  # (before, after); a renamed column too
    dropped: tuple[Column, ...]
    indexes_added: tuple[Index, ...]  # a changed index is dropped and added again
    indexes_dropped: tuple[Index, ...]
    checks_added: tuple[tuple[str | None, str], ...]  # (name, expression on one line)
    checks_dropped: tuple[tuple[str | None, str], ...]
    keys_added: tuple[ForeignKeyShape, ...]  # (columns, table, columns, on delete, on update)
    keys_dropped: tuple[ForeignKeyShape, ...]
    options_changed: bool  # WITHOUT ROWID or STRICT

    @property
    def empty(self) -> bool:
        return not any(
            (self.added, self.changed, self.dropped, self.indexes_added, self.indexes_dropped,
             self.checks_added, self.checks_dropped, self.keys_added, self.keys_dropped,
             self.options_changed)
        )  # fmt: skip


def diff_tables(before: Table, after: Table, renamed: Mapping[str, str] | None = None) -> TableDiff:
    """The diff of two shapes; ``renamed`` maps a column's new lower-case name to its old
    name (from ALTER TABLE ... RENAME COLUMN), so that it reads as changed, not as dropped
    and added."""
    renamed = renamed or {}
    key = after.names.key
    added: list[Column] = []
    changed: list[tuple[Column, Column]] = []
    kept: set[str] = set()
    for column in after.columns:
        was_called = renamed.get(key(column.name), column.name)
        previous = before.column(was_called)
        if previous is None:
            added.append(column)
            continue
        kept.add(key(previous.name))
        if _comparable(previous, key) != _comparable(column, key) or previous.name != column.name:
            changed.append((previous, column))
    dropped = tuple(c for c in before.columns if key(c.name) not in kept)
    old_indexes = {index_key(i, after.names): i for i in before.indexes}
    new_indexes = {index_key(i, after.names): i for i in after.indexes}
    old_checks = {(c.name, " ".join(c.expression.split())) for c in before.checks}
    new_checks = {(c.name, " ".join(c.expression.split())) for c in after.checks}
    old_keys = {_key_shape(k) for k in before.foreign_keys}
    new_keys = {_key_shape(k) for k in after.foreign_keys}
    return TableDiff(
        added=tuple(added),
        changed=tuple(changed),
        dropped=dropped,
        indexes_added=_missing_or_changed(new_indexes, old_indexes),
        indexes_dropped=_missing_or_changed(old_indexes, new_indexes),
        checks_added=tuple(sorted(new_checks - old_checks, key=str)),
        checks_dropped=tuple(sorted(old_checks - new_checks, key=str)),
        keys_added=tuple(sorted(new_keys - old_keys, key=str)),
        keys_dropped=tuple(sorted(old_keys - new_keys, key=str)),
        options_changed=(before.without_rowid, before.strict)
        != (after.without_rowid, after.strict),
    )


def index_key(index: Index, names: IdentifierRule) -> tuple[str, ...]:
    """Constraint indexes are known by what they cover; their names follow the table's."""
    if index.origin == "c":
        return ("c", names.key(index.name))
    return (index.origin, *(names.key(c) for c in index.column_names))


def _missing_or_changed(
    these: Mapping[tuple[str, ...], Index], others: Mapping[tuple[str, ...], Index]
) -> tuple[Index, ...]:
    return tuple(
        index
        for key, index in these.items()
        if key not in others or _index_shape(others[key]) != _index_shape(index)
    )


def _index_shape(index: Index) -> tuple[object, ...]:
    return (index.columns, index.unique, index.where)


def _options(table: Table) -> tuple[bool, bool]:
    return (table.without_rowid, table.strict)


def _comparable(column: Column, key: Callable[[str], str]) -> Column:
    return replace(column, name=key(column.name), description="")


def _key_shape(key: ForeignKey) -> ForeignKeyShape:
    return (key.columns, key.ref_table, key.ref_columns, key.on_delete, key.on_update)
