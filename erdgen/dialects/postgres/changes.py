"""What a migration changed, from the schema before and after it (PostgreSQL).

The PostgreSQL reader applies statements to a workspace; the changes of a migration
are the difference of its schema before and after: tables, columns, indexes, views
and triggers that appeared or went away, columns whose definition changed, and tables
whose constraints, partitioning or parents changed. Each change is located at the
statement that made it (``locate.py``); the data statements the reader recorded
(``data.py``) go between them in the order of the text. Renames the reader noted show as
renames (``renames.py``).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from erdgen.dialects.base import SourceStatement
from erdgen.dialects.postgres.locate import Finder, Shapes
from erdgen.dialects.postgres.renames import NO_RENAMES, Renames
from erdgen.dialects.postgres.replaced import (
    AS_IS,
    Before,
    index_shape,
    replaced_constraints,
    trigger_shape,
)
from erdgen.errors import Location
from erdgen.model import Action, Change, Column, Schema, Table, Trigger, View


def changes_between(
    before: Schema,
    after: Schema,
    statements: Sequence[SourceStatement],
    path: str,
    renamed: Renames = NO_RENAMES,
    touched: Sequence[Shapes | None] | None = None,
    data: Sequence[Change] = (),
    made: Mapping[str, int] | None = None,
) -> list[Change]:
    """The changes in the order of the statements that made them; ``renamed`` (the
    migration's renames, ``renames.resolve``) turns a drop and a create into a rename;
    ``touched``: per statement, the tables it changed (``locate.Touches``); ``data``: the
    migration's data changes; ``made``: the statement that made each new table."""
    finder = Finder(statements, path, touched, made)
    gone, came = _changed(before.tables, after.tables)
    found = [
        *data,
        *_tables(gone, came, finder, renamed),
        *_others(before, after, gone, came, finder, renamed),
    ]
    return sorted(found, key=lambda change: (change.location.line, change.location.column))


def _changed(before: Sequence[Table], after: Sequence[Table]) -> tuple[list[Table], list[Table]]:
    """The tables that differ by position (as objects) before and after, in their order.

    The reader hands out the same ``Table`` object while a table is unchanged, and keeps
    the tables in creation order (a rename keeps the place), so a migration's new,
    changed and dropped tables are all among these; a table a drop shifted to another
    place is on both sides and compares equal there. Done with C-level ``map`` and
    ``compress``: a Python loop over 500 tables after each of 2,000 migrations was a
    third of the diff's time."""
    differs = list(map(operator.is_not, before, after))
    shared = len(differs)
    gone = [*itertools.compress(before, differs), *before[shared:]]
    return gone, [*itertools.compress(after, differs), *after[shared:]]


def _tables(
    gone: list[Table], came: list[Table], find: Finder, renamed: Renames
) -> Iterator[Change]:
    old = {t.name: t for t in gone}
    new = {t.name: t for t in came}
    kept: set[str] = set()  # old names that live on under a new one
    # a name renamed away or dropped, and taken again, is a new table
    moved = set(renamed.tables.values()) | renamed.dropped_tables
    for name, table in new.items():
        was = renamed.tables.get(name)
        if was in old:
            where, sql = find(was, on=(name,))  # the first to change it as `name`
            yield Change(Action.RENAME_TABLE, name, where, name, old_name=was,
                         before=old[was], after=table, statement=sql)  # fmt: skip
            kept.add(was)
            yield from _table_changed(old[was], table, find, renamed)
        elif name not in old or name in moved:
            where, sql = find.made_at(name) or find(name, on=(name,))
            yield Change(Action.CREATE_TABLE, name, where, name, after=table, statement=sql)
        elif old[name] is not table:  # else shifted by a dropped table, not changed
            yield from _table_changed(old[name], table, find, renamed)
    for name, table in old.items():
        if (name not in new or name in renamed.dropped_tables) and name not in kept:
            on = (name, *renamed.later_table_keys(name))  # renamed, then dropped
            first = name in renamed.dropped_tables  # made again later: lost at its first drop
            where, sql = find.dropped_at(on, _exists, first=first) or find(name, on=on, last=True)
            yield Change(Action.DROP_TABLE, name, where, name, before=table, statement=sql)


def _table_changed(
    previous: Table, table: Table, find: Finder, renames: Renames
) -> Iterator[Change]:
    """Columns added, renamed, altered and dropped; keys and constraints changed.

    The renamed columns (new name -> old name) decide what a name after the migration was
    before it, also where one column took another's old name (a -> x, then id -> a)."""
    name = table.name
    on = (name, previous.name)  # the statements that changed the table, under either name
    had = {c.name: c for c in previous.columns}
    has = {c.name for c in table.columns}
    renamed = {
        new: old for new, old in renames.columns_of(name).items() if old in had and new in has
    }
    moved = set(renamed.values())  # old names that went to another column
    lost = renames.dropped_of(name)  # dropped, even where a new column took the name again
    added = {n for n in has if n not in renamed and (n not in had or n in moved or n in lost)}
    for column in table.columns:
        was = renamed.get(column.name, column.name)
        if was != column.name:
            renaming = find.dropped_at(on, _has_column({was}))  # when `was` went (for good)
            where, sql = renaming or _beside(find, name, was, on)
            yield Change(Action.RENAME_COLUMN, f"{name}.{column.name}", where, name,
                         old_name=f"{name}.{was}", before=previous, after=table,
                         statement=sql)  # fmt: skip
        action = Action.ADD_COLUMN if column.name in added else None
        if action is None and not _same_definition(had[was], column):
            action = Action.ALTER_COLUMN
        if action is not None:
            altered = action is Action.ALTER_COLUMN
            if altered:
                where, sql = _beside(find, name, column.name, on)
            else:  # where the table last came to hold it (not a RENAME of the old one away)
                lacks = _lacks_column(column.name)
                where, sql = find.dropped_at(on, lacks, absent=True) or find(column.name, on=on)
            yield Change(action, f"{name}.{column.name}", where, name,
                         before=previous, after=table, statement=sql)  # fmt: skip
    kept = moved | {n for n in has if n not in renamed and n in had and n not in moved | lost}
    gone = [c.name for c in previous.columns if c.name not in kept]
    for column_name in gone:
        # the last to name it (or a name it was renamed to): after the drop none does
        later = renames.later_names(name, column_name)
        holds = _has_column({column_name, *later})
        # dropped, perhaps taken again and dropped again: lost at its first drop, which may
        # be under a name the table had in between
        first = column_name in lost
        named = (*on, *renames.later_table_keys(previous.name)) if first else on
        where, sql = find.dropped_at(named, holds, first=first) or find(
            column_name, on=on, last=True, also=later
        )
        yield Change(Action.DROP_COLUMN, f"{name}.{column_name}", where, name,
                     before=previous, after=table, statement=sql)  # fmt: skip
    replaced = replaced_constraints(previous, table, Before(renames, name))
    changed = _changed_constraints(
        previous, table, added | set(renamed), set(gone) | moved, replaced
    )
    if changed or _options(previous) != _options(table):
        where, sql = find((changed or [name])[0], name, on=on)
        made_anew = tuple(c.name for c in table.constraints if c.name in replaced)
        yield Change(Action.ALTER_TABLE, name, where, name, before=previous, after=table,
                     statement=sql, replaced=made_anew)  # fmt: skip


def _under_new_names(triggers: Named, renamed_tables: dict[str, str]) -> Named:
    """Triggers before the migration keyed by their table's name after it."""
    new_name = {old: new for new, old in renamed_tables.items()}
    return {
        (name, new_name.get(scope or "", scope)): new_name.get(table or "", table)
        for (name, scope), table in triggers.items()
    }


def _exists(table: Table) -> bool:
    """A table that is there (``Finder.dropped_at``: the statement after which it is not)."""
    return True


def _has_column(names: set[str]) -> Callable[[Table], bool]:
    return lambda table: any(column.name in names for column in table.columns)


def _lacks_column(name: str) -> Callable[[Table], bool]:
    return lambda table: all(column.name != name for column in table.columns)


def _beside(find: Finder, table: str, column: str, on: tuple[str, str]) -> tuple[Location, str]:
    """The first statement naming the column beside its table (ALTER TABLE t ... c)."""
    where, sql = find("", table, column, on=on)
    return (where, sql) if sql else find(column, on=on)


def _same_definition(before: Column, after: Column) -> bool:
    """Whether ALTER COLUMN left the column as it was: its name, description (COMMENT ON)
    and place in a key (the table's constraints say that) do not count. The reader hands
    out the same Column while nothing changed it, so most columns compare at once."""
    return before is after or (
        before.type, before.not_null, before.default, before.generated, before.identity,
        before.collation, before.hidden, before.autoincrement,
    ) == (
        after.type, after.not_null, after.default, after.generated, after.identity,
        after.collation, after.hidden, after.autoincrement,
    )  # fmt: skip


def _options(table: Table) -> tuple[object, ...]:
    return (table.partition_key, table.partition_bound, table.inherits)


def _changed_constraints(
    before: Table, after: Table, added: set[str], dropped: set[str], replaced: set[str]
) -> list[str]:
    """The constraints ALTER TABLE added, dropped, renamed, validated or ``replaced`` (one
    name, another definition), by name (new ones first). Others on a column added or
    dropped (or renamed) with them are part of that column's change: ``ADD COLUMN email
    text UNIQUE``, a key PostgreSQL drops with its column; a primary key that now takes
    the new column is not."""
    if not replaced and before.constraints == after.constraints:  # unchanged: quick
        return []
    old = {c.name: c for c in before.constraints}
    new = {c.name: c for c in after.constraints}
    came = [
        name
        for name, constraint in new.items()
        if name in replaced
        or (old.get(name) != constraint and not added.intersection(constraint.columns))
    ]
    went = [
        name
        for name, constraint in old.items()
        if name not in new and not dropped.intersection(constraint.columns)
    ]
    return came + went


def _others(
    before: Schema,
    after: Schema,
    gone: list[Table],
    came: list[Table],
    find: Finder,
    renamed: Renames,
) -> Iterator[Change]:
    """Indexes, views and triggers made and dropped; one on both sides whose definition
    the migration changed (dropped and made again, ``CREATE OR REPLACE``) is both."""
    triggers = _differing(before.triggers, after.triggers, _trigger)
    if renamed.tables:  # a renamed table's triggers went with it
        triggers = (_under_new_names(triggers[0], renamed.tables), triggers[1])
    kinds = (
        (Action.CREATE_INDEX, Action.DROP_INDEX, (_indexes(gone), _indexes(came))),
        (Action.CREATE_VIEW, Action.DROP_VIEW, _differing(before.views, after.views, _view)),
        (Action.CREATE_TRIGGER, Action.DROP_TRIGGER, triggers),
    )
    for create, drop, (old, new) in kinds:
        for (name, scope), table in new.items():
            if (name, scope) not in old:
                on = _keys(create, name, table, renamed)
                where, sql = find(name, create.split("_")[-1], table or "", on=on)
                yield Change(create, name, where, table, statement=sql)
        for (name, scope), table in old.items():
            if (name, scope) not in new:  # last: dropped with its table, by the DROP TABLE
                on = _keys(create, name, table, renamed)
                where, sql = _dropped(find, create, name, on)
                if not sql and table:  # a trigger no statement names: its table's DROP
                    on = _keys(Action.CREATE_INDEX, "", table, renamed)
                    where, sql = find("", on=on, last=True)
                yield Change(drop, name, where, table, statement=sql)
        both = [(key, old[key], table) for key, table in new.items() if key in old]
        for (name, _), was, table in _replaced(create, both, before, after, gone, came, renamed):
            index = create is Action.CREATE_INDEX  # else among the DDL statements naming it
            where, sql = find(name, on=_keys(create, name, table, renamed) if index else ())
            yield Change(drop, name, where, was, statement=sql)
            yield Change(create, name, where, table, statement=sql)


def _dropped(find: Finder, kind: Action, name: str, on: tuple[str, ...]) -> tuple[Location, str]:
    """An index: the statement after which its table no longer has it (also a ``DROP
    TABLE`` of a table made again); others: the last DDL statement naming them."""
    found = None
    if kind is Action.CREATE_INDEX:
        found = find.dropped_at(on, lambda t: any(i.name == name for i in t.indexes))
    return found or find(name, on=on, last=True)


def _keys(kind: Action, name: str, table: str | None, renamed: Renames) -> tuple[str, ...]:
    """The keys ``locate.Touches`` notes a statement that made or dropped the object
    under: an index's table (by its names before and after the migration's renames), a
    view's own name; none for a trigger (the DDL statements naming it are searched)."""
    if kind is Action.CREATE_VIEW:
        return (name,)
    if kind is not Action.CREATE_INDEX or not table:
        return ()
    return (table, renamed.tables.get(table, table), *renamed.later_keys(table))


def _replaced(
    kind: Action,
    both: list[tuple[tuple[str, str | None], str | None, str | None]],
    before: Schema,
    after: Schema,
    gone: list[Table],
    came: list[Table],
    renamed: Renames,
) -> Iterator[tuple[tuple[str, str | None], str | None, str | None]]:
    """Of the objects named on both sides ((key, table before, table after)), those made
    anew with another definition. Rare: the maps are built only when there are such."""
    if not both:
        return
    if kind is Action.CREATE_INDEX:
        was = {i.name: i for t in gone for i in t.indexes}
        now = {i.name: i for t in came for i in t.indexes}
        for key, old_table, table in both:
            back = Before(renamed, table or "")
            if index_shape(was[key[0]], AS_IS) != index_shape(now[key[0]], back):
                yield key, old_table, table
    elif kind is Action.CREATE_VIEW:
        views = {v.name: v for v in before.views}, {v.name: v for v in after.views}
        for key, old_table, table in both:
            pair = views[0][key[0]], views[1][key[0]]
            if len({(" ".join(v.sql.split()), v.materialized) for v in pair}) > 1:
                yield key, old_table, table
    else:  # triggers: keyed by their table's name after the migration
        old_triggers = {(t.name, t.table): t for t in before.triggers}
        new_triggers = {(t.name, t.table): t for t in after.triggers}
        for key, old_table, table in both:
            on = table or ""
            previous = old_triggers[(key[0], renamed.tables.get(on, on))]
            if trigger_shape(previous) != trigger_shape(new_triggers[(key[0], on)]):
                yield key, old_table, table


# (name, the table that scopes it) -> its table: a trigger's name is its table's (diesel's
# set_updated_at on every table), an index's or view's its namespace's
Named = dict[tuple[str, str | None], str | None]
_Object = TypeVar("_Object", View, Trigger)


def _view(view: View) -> tuple[tuple[str, str | None], str | None]:
    return (view.name, None), None


def _trigger(trigger: Trigger) -> tuple[tuple[str, str | None], str | None]:
    return (trigger.name, trigger.table), trigger.table


def _differing(
    before: tuple[_Object, ...],
    after: tuple[_Object, ...],
    named: Callable[[_Object], tuple[tuple[str, str | None], str | None]],
) -> tuple[Named, Named]:
    """The names of the objects only before and only after (as objects), in their order.

    The reader hands out the same ``View`` and ``Trigger`` objects while they are
    unchanged, in creation order, and its names are keys (one object per name), so a name
    that appeared or went away is between the longest common start and end (as objects)
    and only on one side; one on both sides (a trigger given a description) is no change.
    Maps of every name before and after, rebuilt after most migrations of diesel's folders
    (``set_updated_at`` on every table), were the dearest part of the diff."""
    start = _same_start(before, after)
    if start == len(before) == len(after):
        return {}, {}
    rest = slice(None, start - 1 if start else None, -1)  # after the start, from the end
    end = _same_start(before[rest], after[rest])
    before, after = before[start : len(before) - end], after[start : len(after) - end]
    ids_before, ids_after = set(map(id, before)), set(map(id, after))
    only_before = itertools.compress(
        before, map(operator.not_, map(ids_after.__contains__, map(id, before)))
    )
    only_after = itertools.compress(
        after, map(operator.not_, map(ids_before.__contains__, map(id, after)))
    )
    return dict(map(named, only_before)), dict(map(named, only_after))


def _same_start(first: Sequence[object], second: Sequence[object]) -> int:
    """How many objects both start with (C-level ``map``, ``compress``)."""
    shorter = min(len(first), len(second))
    return next(itertools.compress(itertools.count(), map(operator.is_not, first, second)), shorter)


def _indexes(tables: Sequence[Table]) -> Named:
    """The created indexes (not those of constraints) of ``tables``, with their table."""
    return {(i.name, None): t.name for t in tables for i in t.indexes if i.origin == "c"}
