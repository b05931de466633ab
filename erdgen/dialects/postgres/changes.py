"""What a migration changed, from the schema before and after it (PostgreSQL).

The PostgreSQL reader applies statements to a workspace; the changes of a migration
are the difference of its schema before and after: tables, columns, indexes, views
and triggers that appeared or went away. Each change is located at the first
statement of the migration that names the object (else at the file's start).
Renames show as a drop and a create.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from erdgen.dialects.base import SourceStatement
from erdgen.errors import Location
from erdgen.model import Action, Change, Schema


def changes_between(
    before: Schema, after: Schema, statements: Sequence[SourceStatement], path: str
) -> list[Change]:
    """The changes in the order of the statements that made them."""
    finder = _Finder(statements, path)
    found = [*_tables(before, after, finder), *_others(before, after, finder)]
    return sorted(found, key=lambda change: (change.location.line, change.location.column))


class _Finder:
    def __init__(self, statements: Sequence[SourceStatement], path: str) -> None:
        self.statements = statements
        self.path = path

    def __call__(self, name: str, *words: str) -> tuple[Location, str]:
        """The first statement naming ``name``, else the first naming all ``words`` (an
        index PostgreSQL named: "INDEX" and its table)."""
        for terms in ([name], list(words)):
            patterns = [_word(term) for term in terms if term]
            for statement in self.statements if patterns else ():
                if all(p.search(statement.text) for p in patterns):
                    return statement.location, statement.text
        return Location(self.path), ""


def _word(name: str) -> re.Pattern[str]:
    bare = re.escape(name.split(".")[-1])
    return re.compile(rf"(?<![\w$]){bare}(?![\w$])", re.IGNORECASE)


def _tables(before: Schema, after: Schema, find: _Finder) -> Iterator[Change]:
    old = {t.name: t for t in before.tables}
    new = {t.name: t for t in after.tables}
    for name, table in new.items():
        if name not in old:
            where, sql = find(name)
            yield Change(Action.CREATE_TABLE, name, where, name, after=table, statement=sql)
            continue
        previous = old[name]
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


def _others(before: Schema, after: Schema, find: _Finder) -> Iterator[Change]:
    kinds = (
        (Action.CREATE_INDEX, Action.DROP_INDEX, _indexes),
        (Action.CREATE_VIEW, Action.DROP_VIEW, lambda s: {v.name: None for v in s.views}),
        (
            Action.CREATE_TRIGGER,
            Action.DROP_TRIGGER,
            lambda s: {t.name: t.table for t in s.triggers},
        ),
    )
    for create, drop, objects in kinds:
        old, new = objects(before), objects(after)
        for name, table in new.items():
            if name not in old:
                where, sql = find(name, create.split("_")[-1], table or "")
                yield Change(create, name, where, table, statement=sql)
        for name, table in old.items():
            if name not in new:
                where, sql = find(name)
                yield Change(drop, name, where, table, statement=sql)


def _indexes(schema: Schema) -> dict[str, str | None]:
    return {i.name: t.name for t in schema.tables for i in t.indexes if i.origin == "c"}
