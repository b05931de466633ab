"""What a migration changed, from the schema before and after it (PostgreSQL).

The PostgreSQL reader applies statements to a workspace; the changes of a migration
are the difference of its schema before and after: tables, columns, indexes, views
and triggers that appeared or went away. Each change is located at the first
statement of the migration that names the object (else at the file's start).
Renames show as a drop and a create.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from erdgen.dialects.base import SourceStatement
from erdgen.errors import Location
from erdgen.model import Action, Change, Schema, Table, Trigger, View


def changes_between(
    before: Schema, after: Schema, statements: Sequence[SourceStatement], path: str
) -> list[Change]:
    """The changes in the order of the statements that made them."""
    finder = _Finder(statements, path)
    gone, came = _changed(before.tables, after.tables)
    found = [*_tables(gone, came, finder), *_others(before, after, gone, came, finder)]
    return sorted(found, key=lambda change: (change.location.line, change.location.column))


class _Finder:
    def __init__(self, statements: Sequence[SourceStatement], path: str) -> None:
        self.statements = statements
        self.path = path
        self._words: list[frozenset[str]] | None = None

    def __call__(self, name: str, *words: str) -> tuple[Location, str]:
        """The first statement naming ``name``, else the first naming all ``words`` (an
        index PostgreSQL named: "INDEX" and its table)."""
        for terms in ([name], list(words)):
            bare = [term.split(".")[-1] for term in terms if term]
            if bare and all(map(_PLAIN.fullmatch, bare)):  # most names: one subset test each
                wanted = {word.lower() for word in bare}
                for statement, named in zip(self.statements, self._word_sets(), strict=True):
                    if wanted <= named:
                        return statement.location, statement.text
                continue
            for position, statement in enumerate(self.statements if bare else ()):
                if all(self._names(position, word, statement.text) for word in bare):
                    return statement.location, statement.text
        return Location(self.path), ""

    def _word_sets(self) -> list[frozenset[str]]:
        if self._words is None:
            self._words = [frozenset(_WORD.findall(s.text.lower())) for s in self.statements]
        return self._words

    def _names(self, position: int, word: str, text: str) -> bool:
        """Whether ``word`` stands in ``text`` on its own (not inside a longer name), in
        any case: a set lookup for plain ASCII names, which a compiled pattern per name
        (hundreds per migration, each compiled once) made the dearest part of the diff."""
        if not _PLAIN.fullmatch(word):
            return (
                re.search(rf"(?<![\w$]){re.escape(word)}(?![\w$])", text, re.IGNORECASE) is not None
            )
        return word.lower() in self._word_sets()[position]


_PLAIN = re.compile(r"[A-Za-z0-9_$]+")
_WORD = re.compile(r"[\w$]+")


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


def _tables(gone: list[Table], came: list[Table], find: _Finder) -> Iterator[Change]:
    old = {t.name: t for t in gone}
    new = {t.name: t for t in came}
    for name, table in new.items():
        if name not in old:
            where, sql = find(name)
            yield Change(Action.CREATE_TABLE, name, where, name, after=table, statement=sql)
            continue
        previous = old[name]
        if previous is table:  # shifted by a dropped table, not changed
            continue
        had = {c.name for c in previous.columns}
        has = {c.name for c in table.columns}
        for column in table.columns:
            if column.name not in had:
                where, sql = find(column.name)
                yield Change(Action.ADD_COLUMN, f"{name}.{column.name}", where, name,
                             before=previous, after=table, statement=sql)  # fmt: skip
        for column in previous.columns:
            if column.name not in has:
                where, sql = find(column.name)
                yield Change(Action.DROP_COLUMN, f"{name}.{column.name}", where, name,
                             before=previous, after=table, statement=sql)  # fmt: skip
    for name, table in old.items():
        if name not in new:
            where, sql = find(name)
            yield Change(Action.DROP_TABLE, name, where, name, before=table, statement=sql)


def _others(
    before: Schema, after: Schema, gone: list[Table], came: list[Table], find: _Finder
) -> Iterator[Change]:
    kinds = (
        (Action.CREATE_INDEX, Action.DROP_INDEX, (_indexes(gone), _indexes(came))),
        (Action.CREATE_VIEW, Action.DROP_VIEW, _differing(before.views, after.views, _view)),
        (
            Action.CREATE_TRIGGER,
            Action.DROP_TRIGGER,
            _differing(before.triggers, after.triggers, _trigger),
        ),
    )
    for create, drop, (old, new) in kinds:
        for (name, scope), table in new.items():
            if (name, scope) not in old:
                where, sql = find(name, create.split("_")[-1], table or "")
                yield Change(create, name, where, table, statement=sql)
        for (name, scope), table in old.items():
            if (name, scope) not in new:
                where, sql = find(name)
                yield Change(drop, name, where, table, statement=sql)


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
