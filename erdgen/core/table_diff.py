"""What differs between two shapes of one table: the one diff that both the change lines of
the pages and the marks of the migration diagrams are read from."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from msgspec import Struct
from msgspec.structs import replace

from erdgen.model import Column, ForeignKey, IdentifierRule, Index, Table

T = TypeVar("T")
# (columns, table, columns, on delete, on update, match, deferrable)
ForeignKeyShape = tuple[tuple[str, ...], str, tuple[str, ...], str, str, str, str | None]


class TableDiff(Struct, frozen=True):
    """Columns and indexes in the order of the shape they are read from."""

    added: tuple[Column, ...]
    changed: tuple[tuple[Column, Column], ...]  # (before, after); a renamed column too
    dropped: tuple[Column, ...]
    indexes_added: tuple[Index, ...]  # a changed index is dropped and added again
    indexes_dropped: tuple[Index, ...]
    checks_added: tuple[tuple[str | None, str], ...]  # (name, expression on one line)
    checks_dropped: tuple[tuple[str | None, str], ...]
    keys_added: tuple[ForeignKeyShape, ...]
    keys_dropped: tuple[ForeignKeyShape, ...]
    options_changed: bool  # WITHOUT ROWID or STRICT
    # a named CHECK whose condition changed: (name, before, after), not dropped and added
    checks_changed: tuple[tuple[str, str, str], ...] = ()
    # a foreign key (same name, columns and referenced columns) whose actions, MATCH or
    # DEFERRABLE changed: (before, after), not dropped and added
    keys_changed: tuple[tuple[ForeignKeyShape, ForeignKeyShape], ...] = ()
    # a foreign key on the same columns doing the same that references another table or
    # columns (SQLite makes keys follow a renamed table or column): (before, after)
    keys_retargeted: tuple[tuple[ForeignKeyShape, ForeignKeyShape], ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (self.added, self.changed, self.dropped, self.indexes_added, self.indexes_dropped,
             self.checks_added, self.checks_dropped, self.keys_added, self.keys_dropped,
             self.options_changed, self.checks_changed, self.keys_changed,
             self.keys_retargeted)
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
    old_checks = _checks(before, key)
    new_checks = _checks(after, key)
    checks_gone = {c for folded, c in old_checks.items() if folded not in new_checks}
    checks_came = {c for folded, c in new_checks.items() if folded not in old_checks}
    checks_changed = _changed_checks(checks_gone, checks_came, key)
    paired_checks = {key(name) for name, _, _ in checks_changed}

    def unpaired(check: tuple[str | None, str]) -> bool:
        return check[0] is None or key(check[0]) not in paired_checks

    old_keys = {_keyed(k, key): k for k in before.foreign_keys}
    new_keys = {_keyed(k, key): k for k in after.foreign_keys}
    gone = [k for shape, k in old_keys.items() if shape not in new_keys]
    came = [k for shape, k in new_keys.items() if shape not in old_keys]
    keys_changed = _changed_keys(gone, came, key)
    paired = {id(k) for pair in keys_changed for k in pair}
    keys_retargeted = _retargeted_keys(
        [k for k in gone if id(k) not in paired], [k for k in came if id(k) not in paired], key
    )
    paired |= {id(k) for pair in keys_retargeted for k in pair}
    return TableDiff(
        added=tuple(added),
        changed=tuple(changed),
        dropped=dropped,
        indexes_added=_missing_or_changed(new_indexes, old_indexes),
        indexes_dropped=_missing_or_changed(old_indexes, new_indexes),
        checks_added=tuple(sorted(filter(unpaired, checks_came), key=str)),
        checks_dropped=tuple(sorted(filter(unpaired, checks_gone), key=str)),
        keys_added=tuple(sorted((key_shape(k) for k in came if id(k) not in paired), key=str)),
        keys_dropped=tuple(sorted((key_shape(k) for k in gone if id(k) not in paired), key=str)),
        options_changed=(before.without_rowid, before.strict)
        != (after.without_rowid, after.strict),
        checks_changed=checks_changed,
        keys_changed=_shapes(keys_changed),
        keys_retargeted=_shapes(keys_retargeted),
    )


def _shapes(
    pairs: list[tuple[ForeignKey, ForeignKey]],
) -> tuple[tuple[ForeignKeyShape, ForeignKeyShape], ...]:
    return tuple(sorted(((key_shape(a), key_shape(b)) for a, b in pairs), key=str))


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


def key_shape(key: ForeignKey) -> ForeignKeyShape:
    """A foreign key as the diff knows it: its names as written, what it does."""
    return (
        key.columns, key.ref_table, key.ref_columns, key.on_delete, key.on_update, key.match,
        key.deferrable,
    )  # fmt: skip


def _keyed(key: ForeignKey, fold: Callable[[str], str]) -> tuple[object, ...]:
    """A foreign key with its names as the dialect compares them: one that only spells a
    column or the referenced table another way is the same key."""
    return (
        tuple(map(fold, key.columns)), fold(key.ref_table), tuple(map(fold, key.ref_columns)),
        *key_shape(key)[3:],
    )  # fmt: skip


def _changed_keys(
    gone: list[ForeignKey], came: list[ForeignKey], fold: Callable[[str], str]
) -> list[tuple[ForeignKey, ForeignKey]]:
    """The keys that went and came with the same name (or none), columns, table and
    referenced columns: one key whose actions, MATCH or DEFERRABLE changed."""

    def who(key: ForeignKey) -> tuple[object, ...]:
        named = fold(key.name) if key.name is not None else None
        return (named, *_keyed(key, fold)[:3])

    return _one_each(gone, came, who)


def _retargeted_keys(
    gone: list[ForeignKey], came: list[ForeignKey], fold: Callable[[str], str]
) -> list[tuple[ForeignKey, ForeignKey]]:
    """The keys that went and came on the same columns, doing the same (actions, MATCH,
    DEFERRABLE), but referencing another table or columns: one key that now points
    elsewhere."""
    return _one_each(gone, came, lambda key: (tuple(map(fold, key.columns)), *key_shape(key)[3:]))


def _one_each(
    gone: Iterable[T], came: Iterable[T], who: Callable[[T], Hashable | None]
) -> list[tuple[T, T]]:
    """(gone, came) for what ``who`` says is one thing on both sides (None: nothing),
    where it says so of one item on each side; where several would pair alike, none does
    (each reads as dropped and added)."""
    before: dict[Hashable, list[T]] = {}
    after: dict[Hashable, list[T]] = {}
    for items, into in ((gone, before), (came, after)):
        for item in items:
            at = who(item)
            if at is not None:
                into.setdefault(at, []).append(item)
    return [
        (was[0], after[at][0])
        for at, was in before.items()
        if len(was) == 1 and len(after.get(at, ())) == 1
    ]


def _checks(
    table: Table, fold: Callable[[str], str]
) -> dict[tuple[str | None, str], tuple[str | None, str]]:
    """The table's CHECKs as (name, condition on one line), by the name as the dialect
    compares it: a CHECK whose name is only spelled another way is the same one."""
    return {
        (fold(c.name) if c.name is not None else None, flat): (c.name, flat)
        for c in table.checks
        for flat in [" ".join(c.expression.split())]
    }


def _changed_checks(
    gone: set[tuple[str | None, str]],
    came: set[tuple[str | None, str]],
    fold: Callable[[str], str],
) -> tuple[tuple[str, str, str], ...]:
    """(name, before, after) of the named CHECKs whose condition changed: one name on both
    sides of the diff, once each."""
    pairs = _one_each(gone, came, lambda check: None if check[0] is None else fold(check[0]))
    return tuple(sorted((str(now[0]), was[1], now[1]) for was, now in pairs))
