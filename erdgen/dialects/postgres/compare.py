"""Compare the model read from the text with PostgreSQL's catalog: the judge's verdict.

Objects are matched by name; for each the fields PostgreSQL's catalog holds exactly are
compared: columns (``format_type``, NOT NULL, default, identity, generated), constraint
names and kinds with their columns, foreign keys (target, columns, actions, MATCH,
deferrable, validated), indexes (unique, method, plain key columns, operator classes
other than the default, INCLUDE), enums with their labels in order, domains, composite
types, sequences and their owners, views and their column names, functions by signature,
triggers, extensions, schemas and descriptions. View text and CHECK and index
expressions are not compared: PostgreSQL prints them from its own parse tree and the
print changes between versions (STACK.md). Constraints and foreign keys are matched by
name, as a set: ``pg_constraint`` has no order of its own, so the order in which a
table's keys were declared is not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from erdgen.dialects.base import Disagreement, Value
from erdgen.model import CompositeType, Domain, Index, Schema, Table, View

T = TypeVar("T")
Fields = Callable[[T, T], Iterator[tuple[str, Value, Value]]]


def disagreements(model: Schema, catalog: Schema) -> list[Disagreement]:
    """Every way the model and PostgreSQL's catalog disagree (empty when they agree)."""
    found: list[Disagreement] = []
    found += _named("table", model.tables, catalog.tables, lambda t: t.name, _table)
    found += _named("view", model.views, catalog.views, lambda v: v.name, _view)
    found += _named(
        "enum", model.enums, catalog.enums, lambda e: e.name, _values("values", "description")
    )
    for kind in ("domains", "composites"):
        mine, theirs = getattr(model, kind, ()), getattr(catalog, kind, ())
        found += _named(kind[:-1], mine, theirs, lambda d: d.name, _described)
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
    kind: str, mine: Iterable[T], theirs: Iterable[T], key: Callable[[T], str], fields: Fields[T]
) -> Iterator[Disagreement]:
    by_name = {key(item): item for item in theirs}
    seen = set()
    for item in mine:
        name = key(item)
        seen.add(name)
        other = by_name.get(name)
        if other is None:
            yield Disagreement(kind, name, "exists", True, False)
        else:
            yield from (Disagreement(kind, name, *field) for field in fields(item, other))
    for name in sorted(by_name.keys() - seen):
        yield Disagreement(kind, name, "exists", False, True)


def _nested(
    prefix: str, mine: Iterable[T], theirs: Iterable[T], key: Callable[[T], str], fields: Fields[T]
) -> Iterator[tuple[str, Value, Value]]:
    """Objects inside a table (columns, constraints, indexes) as fields of the table."""
    for found in _named(prefix, mine, theirs, key, fields):
        yield f"{prefix} {found.name}: {found.field}", found.model, found.engine


def _values(*names: str) -> Fields[object]:
    def compare(mine: object, theirs: object) -> Iterator[tuple[str, Value, Value]]:
        for name in names:
            a, b = getattr(mine, name), getattr(theirs, name)
            if a != b:
                yield name, _value(a), _value(b)

    return compare


def _value(value: object) -> Value:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, tuple):
        return tuple(str(item) for item in value)
    return str(value)


def _described(
    mine: Domain | CompositeType, theirs: Domain | CompositeType
) -> Iterator[tuple[str, Value, Value]]:
    """A domain or composite type: every field as the catalog reads it."""
    for name in mine.__struct_fields__:
        a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            yield name, _value(a), _value(b)


def _sets(kind: str, mine: Iterable[str], theirs: Iterable[str]) -> Iterator[Disagreement]:
    a, b = set(mine), set(theirs)
    yield from (Disagreement(kind, n, "exists", True, False) for n in sorted(a - b))
    yield from (Disagreement(kind, n, "exists", False, True) for n in sorted(b - a))


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
_CONSTRAINT = _values("kind", "columns", "validated", "description")


def _table(mine: Table, theirs: Table) -> Iterator[tuple[str, Value, Value]]:
    if mine.description != theirs.description:
        yield "description", mine.description, theirs.description
    yield from _nested("column", mine.columns, theirs.columns, lambda c: c.name, _COLUMN)
    names = tuple(c.name for c in mine.columns), tuple(c.name for c in theirs.columns)
    if names[0] != names[1] and set(names[0]) == set(names[1]):
        yield "column order", *names
    yield from _nested(
        "constraint", mine.constraints, theirs.constraints, lambda c: c.name, _CONSTRAINT
    )
    yield from _nested(
        "foreign key", mine.foreign_keys, theirs.foreign_keys, lambda k: k.name or "", _FOREIGN_KEY
    )
    yield from _nested("index", mine.indexes, theirs.indexes, lambda i: i.name, _index)
    for name in ("inherits", "partition_key"):
        a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            yield name, _value(a), _value(b)


def _index(mine: Index, theirs: Index) -> Iterator[tuple[str, Value, Value]]:
    yield from _values("unique", "origin", "method", "include")(mine, theirs)
    mine_keys = tuple(c.name or "(expression)" for c in mine.columns)
    their_keys = tuple(c.name or "(expression)" for c in theirs.columns)
    if mine_keys != their_keys:
        yield "columns", mine_keys, their_keys
    # the catalog names an operator class other than the key type's default; the text
    # may also name the default one (drizzle writes "uuid_ops"), which the catalog does not
    mine_classes = tuple(_bare(c.opclass) for c in mine.columns)
    their_classes = tuple(_bare(c.opclass) for c in theirs.columns)
    if any(t is not None and m != t for m, t in zip(mine_classes, their_classes, strict=False)):
        yield (
            "operator classes",
            tuple(c or "(default)" for c in mine_classes),
            tuple(c or "(default)" for c in their_classes),
        )
    if (mine.where is None) != (theirs.where is None):
        yield "partial", mine.where is not None, theirs.where is not None


def _bare(opclass: str | None) -> str | None:
    """An operator class without its schema, in the case the catalog keeps it."""
    return None if opclass is None else opclass.rsplit(".", 1)[-1].strip('"')


def _view(mine: View, theirs: View) -> Iterator[tuple[str, Value, Value]]:
    yield from _values("materialized", "description")(mine, theirs)
    names = tuple(c.name for c in mine.columns)
    their_names = tuple(c.name for c in theirs.columns)
    if names and names != their_names:
        yield "columns", names, their_names
