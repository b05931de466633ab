"""Compare the model read from the text with PostgreSQL's catalog: the judge's verdict.

Objects are matched by name; for each the fields PostgreSQL's catalog holds exactly are
compared: columns (``format_type``, NOT NULL, default, identity, generated), constraint
names and kinds with their columns, foreign keys (target, columns, actions, MATCH,
deferrable, validated), indexes (unique, method, plain key columns, INCLUDE), enums
with their labels in order, sequences and their owners, views and their column names,
functions by signature, triggers, extensions, schemas and descriptions. View text and
CHECK and index expressions are not compared: PostgreSQL prints them from its own parse
tree and the print changes between versions (STACK.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from erdgen.model import Index, Schema, Table

T = TypeVar("T")


def differences(model: Schema, catalog: Schema) -> list[str]:
    """Each difference as one line, "table person: column name: type: 'text' != 'integer'"
    (the model's value first); an empty list when the two agree."""
    found: list[str] = []
    found += _named("table", model.tables, catalog.tables, lambda t: t.name, _table)
    found += _named("view", model.views, catalog.views, lambda v: v.name, _view)
    found += _named(
        "enum", model.enums, catalog.enums, lambda e: e.name, _values("values", "description")
    )
    found += _named(
        "sequence",
        model.sequences,
        catalog.sequences,
        lambda s: s.name,
        _values("owned_by", "identity"),
    )
    found += _named(
        "function",
        model.functions,
        catalog.functions,
        lambda f: f.signature,
        _values("returns", "language", "kind"),
    )
    found += _named(
        "trigger",
        model.triggers,
        catalog.triggers,
        lambda t: f"{t.table}.{t.name}",
        _values("timing", "event", "level", "function", "description"),
    )
    found += _sets("schema", model.namespaces, catalog.namespaces)
    found += _sets("extension", model.extensions, catalog.extensions)
    return found


def _named(
    kind: str,
    mine: Iterable[T],
    theirs: Iterable[T],
    key: Callable[[T], str],
    fields: Callable[[T, T], Iterator[str]],
) -> Iterator[str]:
    by_name = {key(item): item for item in theirs}
    seen = set()
    for item in mine:
        name = key(item)
        seen.add(name)
        other = by_name.get(name)
        if other is None:
            yield f"{kind} {name}: in the model, not in PostgreSQL"
        else:
            yield from (f"{kind} {name}: {line}" for line in fields(item, other))
    for name in by_name.keys() - seen:
        yield f"{kind} {name}: in PostgreSQL, not in the model"


def _values(*names: str) -> Callable[[object, object], Iterator[str]]:
    def compare(mine: object, theirs: object) -> Iterator[str]:
        for name in names:
            a, b = getattr(mine, name), getattr(theirs, name)
            if a != b:
                yield f"{name}: {a!r} != {b!r}"

    return compare


def _sets(kind: str, mine: Iterable[str], theirs: Iterable[str]) -> Iterator[str]:
    a, b = set(mine), set(theirs)
    yield from (f"{kind} {n}: in the model, not in PostgreSQL" for n in sorted(a - b))
    yield from (f"{kind} {n}: in PostgreSQL, not in the model" for n in sorted(b - a))


_COLUMN = _values("type", "not_null", "default", "identity", "hidden", "primary_key", "description")
_FOREIGN_KEY = _values(
    "columns",
    "ref_table",
    "ref_columns",
    "on_delete",
    "on_update",
    "match",
    "deferrable",
    "validated",
)
_CONSTRAINT = _values("kind", "columns", "validated")


def _table(mine: Table, theirs: Table) -> Iterator[str]:
    if mine.description != theirs.description:
        yield f"description: {mine.description!r} != {theirs.description!r}"
    yield from _named("column", mine.columns, theirs.columns, lambda c: c.name, _COLUMN)
    if [c.name for c in mine.columns] != [c.name for c in theirs.columns]:
        yield "column order differs"
    yield from _named(
        "constraint", mine.constraints, theirs.constraints, lambda c: c.name, _CONSTRAINT
    )
    yield from _named(
        "foreign key", mine.foreign_keys, theirs.foreign_keys, lambda k: k.name or "", _FOREIGN_KEY
    )
    yield from _named("index", mine.indexes, theirs.indexes, lambda i: i.name, _index)
    for name in ("inherits", "partition_key"):
        if getattr(mine, name) != getattr(theirs, name):
            yield f"{name}: {getattr(mine, name)!r} != {getattr(theirs, name)!r}"


def _index(mine: Index, theirs: Index) -> Iterator[str]:
    yield from _values("unique", "origin", "method", "include")(mine, theirs)
    mine_keys, their_keys = [c.name for c in mine.columns], [c.name for c in theirs.columns]
    if mine_keys != their_keys:
        yield f"columns: {mine_keys!r} != {their_keys!r}"
    if (mine.where is None) != (theirs.where is None):
        yield f"partial: {mine.where!r} != {theirs.where!r}"


def _view(mine: object, theirs: object) -> Iterator[str]:
    yield from _values("materialized", "description")(mine, theirs)
    names = [c.name for c in getattr(mine, "columns")]  # noqa: B009
    if names and names != [c.name for c in getattr(theirs, "columns")]:  # noqa: B009
        yield f"columns: {names!r} != {[c.name for c in getattr(theirs, 'columns')]!r}"  # noqa: B009
