"""Change lines of keys, constraints and indexes: an index made or dropped (a unique one
said so), CHECKs and foreign keys that came and went, and PostgreSQL's ALTER TABLE on a
table's named constraints, where one dropped and added again under the same name with
another definition reads as replaced, old definition to new."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from msgspec import Struct, field
from msgspec.structs import replace

from erdgen.core.table_diff import ForeignKeyShape, TableDiff, diff_tables, key_shape
from erdgen.model import Change, Index, IndexColumn, Schema, Table
from erdgen.namespaces import split_name
from erdgen.render.markdown import code
from erdgen.render.postgres_definition import constraint_definition


class ChangeLine(Struct, frozen=True):
    """One change in words: ``change.<kind>`` from the catalog, filled with ``params``."""

    kind: str
    params: Mapping[str, str] = field(default_factory=dict)  # Markdown, already escaped
    details: tuple[ChangeLine, ...] = ()
    destructive: bool = False
    bucket: str = ""  # the summary counter it adds to ("" for none)
    subject: str = ""  # counted once per bucket (a column changed twice counts once)

    def all(self) -> tuple[ChangeLine, ...]:
        return (self, *(line for detail in self.details for line in detail.all()))


def index_key_label(key: IndexColumn) -> str:
    """A key as the index definition writes it: with its collation, operator class and
    order (``name gin_trgm_ops``, ``title COLLATE NOCASE``, ``created_at DESC``)."""
    text = key.label
    if key.collation:
        text += f" COLLATE {key.collation}"
    if key.opclass:
        text += f" {key.opclass}"
    return text + (" DESC" if key.descending else "")


def _index_params(index: Index) -> dict[str, str]:
    label = code(index.name)
    if index.origin != "c":
        label = code("PRIMARY KEY" if index.origin == "pk" else "UNIQUE")
    return {"index": label, "columns": ", ".join(code(index_key_label(c)) for c in index.columns)}


def _index_kind(index: Index, done: str) -> str:
    """``index_created`` or ``unique_index_created`` (a CREATE UNIQUE INDEX)."""
    return f"unique_index_{done}" if index.unique and index.origin == "c" else f"index_{done}"


def index_or_key_created(index: Index, table: Table) -> ChangeLine:
    """A created index, or the primary key or UNIQUE constraint an index stands for (a
    SQLite table's: named where the model knows its name, the primary key's)."""
    return index_created(index) if index.origin == "c" else _sqlite_key(index, table, "created")


def index_or_key_dropped(index: Index, table: Table) -> ChangeLine:
    return index_dropped(index) if index.origin == "c" else _sqlite_key(index, table, "dropped")


def _sqlite_key(index: Index, table: Table, done: str) -> ChangeLine:
    name = table.primary_key_name if index.origin == "pk" else None
    if name is not None:
        return _key_line(replace(index, name=name), done, None)
    kind = "primary_key" if index.origin == "pk" else "unique"
    columns = ", ".join(code(c) for c in index.column_names)
    return ChangeLine(
        f"{kind}_{done}_unnamed", {"columns": columns}, bucket="constraints_changed",
        subject=index.name,
    )  # fmt: skip


def index_created(index: Index) -> ChangeLine:
    params = _index_params(index)
    kind = _index_kind(index, "created")
    return ChangeLine(kind, params, bucket="indexes_created", subject=index.name)


def index_dropped(index: Index) -> ChangeLine:
    params = _index_params(index)
    kind = _index_kind(index, "dropped")
    return ChangeLine(kind, params, bucket="indexes_dropped", subject=index.name)


def index_replaced(before: Index, after: Index) -> ChangeLine:
    """An index dropped and made again under its name: replaced, definition before and
    after, or made again as it was (``index_recreated``)."""
    was, now = index_definition(before), index_definition(after)
    if was == now:
        kind = _index_kind(after, "recreated")
        return ChangeLine(
            kind, _index_params(after), bucket="indexes_recreated", subject=after.name
        )
    params = {"index": code(after.name), "before": code(was), "after": code(now)}
    return ChangeLine("index_replaced", params, bucket="indexes_replaced", subject=after.name)


def index_definition(index: Index) -> str:
    """What an index is, in the words of CREATE INDEX after its name and table:
    ``UNIQUE USING gin (name gin_trgm_ops) WHERE (...)``."""
    text = "UNIQUE " if index.unique else ""
    if index.method not in ("", "btree"):
        text += f"USING {index.method} "
    text += f"({', '.join(index_key_label(c) for c in index.columns)})"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    return text + (f" WHERE {index.where}" if index.where is not None else "")


def constraint_lines(
    diff: TableDiff, exists: Callable[[str], object] | None = None
) -> list[ChangeLine]:
    """The CHECKs and foreign keys that came and went, and those that stayed but changed: a
    named CHECK's condition (before → after), a foreign key's actions, MATCH or DEFERRABLE
    (what it does now, and did before), or the table it references. ``exists`` (a
    schema's ``table``) says whether a referenced table is there after the change: a key
    that now references one that is not is said to."""

    def check_label(name: str | None, expression: str) -> str:
        return f"{code(name)}: {code(expression)}" if name else code(expression)

    def fk_label(columns: Sequence[str], target: str, refs: Sequence[str]) -> str:
        return f"{code(', '.join(columns))} → {code(target + '(' + ', '.join(refs) + ')')}"

    lines: list[ChangeLine] = []
    for named, before, after in diff.checks_changed:
        params = {"check": code(named), "before": code(before), "after": code(after)}
        lines.append(
            ChangeLine("check_changed", params, bucket="constraints_changed", subject=named)
        )
    for kind, checks in (
        ("check_dropped", diff.checks_dropped),
        ("check_added", diff.checks_added),
    ):
        for name, expression in checks:
            label = check_label(name, expression)
            lines.append(
                ChangeLine(kind, {"check": label}, bucket="constraints_changed", subject=label)
            )
    for old_key, new_key in diff.keys_changed:
        label = fk_label(*new_key[:3])
        pairs = zip(_fk_clauses(old_key), _fk_clauses(new_key), strict=True)
        differs = [(old, new) for old, new in pairs if old != new]
        params = {
            "key": label,
            "now": ", ".join(code(new) for _, new in differs),
            "was": ", ".join(code(old) for old, _ in differs),
        }
        lines.append(ChangeLine("fk_changed", params, bucket="constraints_changed", subject=label))
    for old_key, new_key in diff.keys_retargeted:
        label = fk_label(*new_key[:3])
        params = {
            "columns": code(", ".join(new_key[0])),
            "now": code(f"{new_key[1]}({', '.join(new_key[2])})"),
            "was": code(f"{old_key[1]}({', '.join(old_key[2])})"),
        }
        gone = exists is not None and not exists(new_key[1])
        kind = "fk_retargeted_missing" if gone else "fk_retargeted"
        lines.append(ChangeLine(kind, params, bucket="constraints_changed", subject=label))
    for kind, keys in (("fk_dropped", diff.keys_dropped), ("fk_added", diff.keys_added)):
        for columns, target, refs, *_ in keys:
            label = fk_label(columns, target, refs)
            lines.append(
                ChangeLine(kind, {"key": label}, bucket="constraints_changed", subject=label)
            )
    return lines


def _fk_clauses(key: ForeignKeyShape) -> tuple[str, str, str, str]:
    """What a foreign key does, clause by clause as SQL writes it (the defaults too:
    ``ON DELETE NO ACTION``, ``NOT DEFERRABLE``)."""
    _, _, _, on_delete, on_update, match, deferrable = key
    return (
        f"ON DELETE {on_delete}", f"ON UPDATE {on_update}", f"MATCH {match}",
        deferrable or "NOT DEFERRABLE",
    )  # fmt: skip


def table_altered(change: Change, schema: Schema) -> ChangeLine:
    """PostgreSQL's ALTER TABLE on keys and constraints: the constraints replaced (one
    name, another definition: ``change.replaced``), then the primary keys, UNIQUE
    constraints, CHECKs and foreign keys that came and went, and those validated. A
    constraint on both sides under one name and not replaced is the same one: what a
    rename of its column or table did to its text is the rename's own line."""
    lines: list[ChangeLine] = []
    if change.before is not None and change.after is not None:
        before, after = change.before, change.after
        lines += _replaced(before, after, schema, change.replaced)
        kept = {c.name for c in before.constraints} & {c.name for c in after.constraints}
        diff = _without(diff_tables(before, after), before, after, kept, schema)
        lines += [_key_line(i, "dropped", schema) for i in diff.indexes_dropped if i.origin != "c"]
        lines += [_key_line(i, "created", schema) for i in diff.indexes_added if i.origin != "c"]
        lines += constraint_lines(diff)
        was = {c.name: c for c in before.constraints}
        lines += [
            ChangeLine(
                "constraint_validated", {"constraint": code(c.name)},
                bucket="constraints_changed", subject=c.name,
            )
            for c in after.constraints
            if c.validated and c.name in was and not was[c.name].validated
        ]  # fmt: skip
    # counted once, by its details where it has them
    bucket = "" if lines else "constraints_changed"
    return ChangeLine("table_altered", {}, tuple(lines), bucket=bucket, subject=change.object)


def _replaced(
    before: Table, after: Table, schema: Schema, names: tuple[str, ...]
) -> list[ChangeLine]:
    """A line per replaced constraint: its definition before and after."""
    old = {c.name: c for c in before.constraints}
    lines = []
    for constraint in (c for c in after.constraints if c.name in names and c.name in old):
        was = constraint_definition(before, schema, old[constraint.name])
        now = constraint_definition(after, schema, constraint)
        params = {"constraint": code(constraint.name), "before": code(was), "after": code(now)}
        lines.append(
            ChangeLine(
                "constraint_replaced", params, bucket="constraints_changed", subject=constraint.name
            )
        )
    return lines


def _without(
    diff: TableDiff, before: Table, after: Table, named: set[str], schema: Schema
) -> TableDiff:
    """The diff less the keys, CHECKs and foreign keys of the constraints ``named`` (on
    both sides of the migration under these names)."""
    if not named:
        return diff

    def kept_index(index: Index) -> bool:
        return index.origin == "c" or split_name(schema, index.name)[1] not in named

    keys_of = {k for table in (before, after) for k in table.foreign_keys if k.name in named}
    shapes = {key_shape(k) for k in keys_of}
    return TableDiff(
        added=diff.added,
        changed=diff.changed,
        dropped=diff.dropped,
        indexes_added=tuple(filter(kept_index, diff.indexes_added)),
        indexes_dropped=tuple(filter(kept_index, diff.indexes_dropped)),
        checks_added=tuple(c for c in diff.checks_added if c[0] not in named),
        checks_dropped=tuple(c for c in diff.checks_dropped if c[0] not in named),
        keys_added=tuple(k for k in diff.keys_added if k not in shapes),
        keys_dropped=tuple(k for k in diff.keys_dropped if k not in shapes),
        options_changed=diff.options_changed,
        checks_changed=tuple(c for c in diff.checks_changed if c[0] not in named),
        keys_changed=tuple(k for k in diff.keys_changed if not shapes.intersection(k)),
        keys_retargeted=tuple(k for k in diff.keys_retargeted if not shapes.intersection(k)),
    )


def _key_line(index: Index, done: str, schema: Schema | None) -> ChangeLine:
    """A primary key or UNIQUE constraint under its name (PostgreSQL names the index of
    a constraint after it, in the table's schema), not as an index."""
    kind = "primary_key" if index.origin == "pk" else "unique"
    columns = ", ".join(code(c) for c in index.column_names)
    name = split_name(schema, index.name)[1] if schema is not None else index.name
    params = {"constraint": code(name), "columns": columns}
    return ChangeLine(f"{kind}_{done}", params, bucket="constraints_changed", subject=index.name)


__all__ = [
    "ChangeLine",
    "constraint_lines",
    "index_created",
    "index_dropped",
    "index_key_label",
    "table_altered",
]
