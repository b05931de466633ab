"""Take PostgreSQL's catalog state into the reader's state for the objects it disagrees on.

Used after a migration whose DDL the text cannot show (``judge.py``). Only the objects
on which the text and the catalog disagree are taken, whole: a table with its columns,
constraints and indexes, a view, a trigger, an enum, a sequence, a function; one the
catalog no longer has is dropped. The rest keeps what the text says (the SQL as written,
the tables a view reads).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TypeVar

from erdgen.dialects.postgres.compare import disagreements
from erdgen.dialects.postgres.objects import view_state
from erdgen.dialects.postgres.state import PgState, TableConstraint, TableState, ViewState
from erdgen.dialects.postgres.tokens import Token, tokenize
from erdgen.model import Schema, Table, View

T = TypeVar("T")
S = TypeVar("S")


def adopt(state: PgState, catalog: Schema) -> tuple[str, ...]:
    """Replace in ``state`` each object the catalog disagrees on; their names
    ("table registry.events", "trigger t.touch"), in the order of the comparison."""
    text = state.freeze()
    taken: list[str] = []
    for found in disagreements(text, catalog):
        label = f"{found.kind} {found.name}"
        if label not in taken:
            taken.append(label)
    names = {label.split(" ", 1)[0]: set[str]() for label in taken}
    for label in taken:
        kind, name = label.split(" ", 1)
        names[kind].add(name)
    _take(state.tables, names.get("table", set()), catalog.tables, lambda t: t.name, _table_state)
    _take(
        state.views, names.get("view", set()), catalog.views, lambda v: v.name,
        lambda view: _view_state(state, view),
    )  # fmt: skip
    if taken:  # a view the text made may read a relation only the catalog showed
        for view_key, kept in state.views.items():
            if view_key not in names.get("view", set()):
                body = _query_tokens(kept.view.sql)
                state.views[view_key] = view_state(state, kept.view, body, kept.view.sql)
    _take(state.enums, names.get("enum", set()), catalog.enums, lambda e: e.name, _same)
    _take(state.domains, names.get("domain", set()), catalog.domains, lambda d: d.name, _same)
    _take(
        state.composites, names.get("composite", set()), catalog.composites, lambda c: c.name,
        _same,
    )  # fmt: skip
    _take(state.sequences, names.get("sequence", set()), catalog.sequences, lambda s: s.name, _same)
    _take(
        state.functions, names.get("function", set()), catalog.functions, lambda f: f.signature,
        _same,
    )  # fmt: skip
    triggers = names.get("trigger", set())
    for key in [k for k in state.triggers if f"{k[0]}.{k[1]}" in triggers]:
        del state.triggers[key]
    for trigger in catalog.triggers:
        if f"{trigger.table}.{trigger.name}" in triggers:
            state.triggers[(trigger.table, trigger.name)] = trigger
    if "schema" in names:
        state.namespaces[:] = list(catalog.namespaces)
    if "extension" in names:
        state.extensions[:] = list(catalog.extensions)
    return tuple(taken)


def _view_state(state: PgState, view: View) -> ViewState:
    """What the catalog's view reads, from PostgreSQL's print of its query (``catalog``
    writes it as ``CREATE VIEW name AS\n<query>``)."""
    query_at = view.sql.index("\n") + 1
    body = [t for t in tokenize(view.sql) if t.start >= query_at]
    return view_state(state, view, body, view.sql)


def _query_tokens(sql: str) -> list[Token]:
    """The tokens of a ``CREATE VIEW ... AS <query>`` statement's query: after its first
    ``AS`` outside parentheses (a column list or ``WITH (options)`` holds none)."""
    tokens = tokenize(sql)
    depth = 0
    for position, token in enumerate(tokens):
        depth += (token.text == "(") - (token.text == ")")
        if depth == 0 and token.kind == "word" and token.value == "as":
            return tokens[position + 1 :]
    return []


def _same(item: T) -> T:
    return item


def _take(
    mine: MutableMapping[str, S],
    names: set[str],
    theirs: tuple[T, ...],
    key: Callable[[T], str],
    make: Callable[[T], S],
) -> None:
    """An object kept in both keeps its place (creation order); a new one comes last."""
    for name in names - {key(item) for item in theirs}:
        mine.pop(name, None)
    for item in theirs:
        if key(item) in names:
            mine[key(item)] = make(item)


def _table_state(table: Table) -> TableState:
    namespace, _, name = table.name.rpartition(".")
    keys = {key.name: key for key in table.foreign_keys}
    checks = {check.name: check.expression for check in table.checks}
    return TableState(
        namespace=namespace or "public",
        name=name,
        columns=list(table.columns),
        constraints=[
            TableConstraint(
                c.name,
                c.kind,
                list(c.columns),
                foreign_key=keys.get(c.name),
                check=checks.get(c.name, ""),
                validated=c.validated,
                description=c.description,
            )
            for c in table.constraints
        ],
        indexes=list(table.indexes),
        description=table.description,
        inherits=table.inherits,
        partition_key=table.partition_key,
        partition_bound=table.partition_bound,
    )
