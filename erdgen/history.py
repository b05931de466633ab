"""Fold the migrations over the schema: a snapshot after every migration, per-object history.

Every statement is first executed in a scratch SQLite database: SQLite is the judge
of what is valid, so a statement it refuses is reported with its location exactly as
SQLite words it, and the interpreter only ever reads SQL that SQLite accepted.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Literal

from erdgen.discover import discover
from erdgen.errors import ConfigError, Diagnostic, Location, MigrationError, Severity
from erdgen.interpret import State, interpret
from erdgen.model import (
    Action,
    Change,
    History,
    HistoryEntry,
    Migration,
    Schema,
    Step,
    same_name,
)
from erdgen.oracle import execute_statement, rejected
from erdgen.parse import Statement, parse_migration

ObjectKind = Literal["table", "column", "index", "view", "trigger"]


def load_history(migrations_dir: Path, project_dir: Path | None = None) -> History:
    """The whole pipeline: discover, parse, judge with SQLite, interpret, fold."""
    return build_history(discover(migrations_dir, project_dir))


def history_until(history: History, migration_id: str) -> History:
    """``history.until``, for a migration id given by the user (``--at``): an unknown id
    is an error that lists the known ones."""
    try:
        return history.until(migration_id)
    except KeyError:
        known = ", ".join(m.id for m in history.migrations)
        raise ConfigError(f"no migration {migration_id!r} (known: {known})") from None


def build_history(migrations: Sequence[Migration]) -> History:
    judge = _Judge()
    state = State()
    state.confirm = lambda table: judge.probe(state.work.schema, table)
    steps: list[Step] = []
    with _cycle_collection_paused():
        try:
            for migration in migrations:
                state.changes = []
                for statement in parse_migration(migration):
                    judge.see(statement)
                    _interpret_or_judge(statement, state, judge)
                changes = collapse_rebuilds(state.changes, state.work.schema)
                steps.append(Step(migration, changes, state.work.schema))
        finally:
            judge.close()
    return History(tuple(steps), tuple(state.diagnostics))


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """The fold allocates millions of small objects without cycles (every snapshot's
    tables, every change), which set off full collections of the growing heap that find
    nothing: a fifth of the load at 2,000 migrations. Reference counting frees them; the
    few cycles (sqlglot's trees) are collected once the fold is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _interpret_or_judge(statement: Statement, state: State, judge: _Judge) -> None:
    """Interpret a statement; when erdgen cannot, let SQLite judge who is wrong.

    Replaying costs as much as SQLite needs for the whole folder, so it happens only
    on failure: if SQLite rejects the statement (or an earlier one), that is the
    user's error, worded by SQLite; if SQLite accepts it, erdgen warns that it could
    not read it and the cross-check will show where the model differs.
    """
    known = len(state.diagnostics)
    try:
        interpret(statement, state)
    except MigrationError as error:
        judge.catch_up()  # raises the SQLite error of the first statement it rejects
        state.diagnostics.append(
            Diagnostic(
                error.location or statement.location,
                "not-understood",
                f"erdgen could not read this statement ({error.message}), although SQLite "
                "accepts it; the model may differ from SQLite here",
                Severity.WARNING,
                statement.text,
            )
        )
        return
    if len(state.diagnostics) > known:
        judge.catch_up()  # not understood: is it SQL at all?


class _Judge:
    """A scratch SQLite database that replays the statements seen so far, on demand.

    Replaying costs what SQLite needs for the whole folder (seconds for thousands of
    migrations, mostly ALTER TABLE), so it runs only when erdgen doubts a statement, and
    catches up from where it stopped: at most one replay per load.
    """

    def __init__(self) -> None:
        self.connection = sqlite3.connect(":memory:", isolation_level=None)
        # Text and location only: whole statements (their tokens) would stay alive until
        # the end of the load, half a million objects for the cycle collector to walk.
        self.seen: list[tuple[str, Location]] = []
        self.replayed = 0

    def see(self, statement: Statement) -> None:
        self.seen.append((statement.text, statement.location))

    def probe(self, schema: Schema, table: str) -> None:
        """Ask SQLite about the last statement, which alters ``table``, on a scratch copy
        of the model's schema.

        Building that copy costs a few milliseconds per hundred tables, where a replay of
        the folder costs what SQLite needs for every ALTER TABLE so far (STACK.md).
        Where the copy cannot be built, replay after all.
        """
        text, location = self.seen[-1]
        scratch = sqlite3.connect(":memory:", isolation_level=None)
        try:
            try:
                for sql in _definitions(schema, table):
                    scratch.execute(sql)
            except sqlite3.Error:
                self.catch_up()
                return
            try:
                scratch.execute(text)
            except sqlite3.Error as error:
                if "no such function" in str(error):
                    self.catch_up()
                    return
                raise rejected(text, location, str(error)) from None
        finally:
            scratch.close()

    def catch_up(self) -> None:
        while self.replayed < len(self.seen):
            text, location = self.seen[self.replayed]
            execute_statement(self.connection, text, location)
            self.replayed += 1

    def close(self) -> None:
        self.connection.close()


def _definitions(schema: Schema, altered: str) -> Iterable[str]:
    """The SQL that recreates a schema for an ALTER TABLE of ``altered``: tables, indexes,
    views and triggers. Other tables' indexes name only their own table's columns, so
    they cannot change SQLite's verdict, and they are most of the time SQLite needs to
    build the copy: they are left out unless a view or trigger may name one (INDEXED BY)."""
    yield from (table.sql for table in schema.tables)
    texts = [view.sql for view in schema.views] + [trigger.sql for trigger in schema.triggers]
    names_indexes = any("indexed" in text.lower() for text in texts)
    key = altered.lower()
    for table in schema.tables:
        if names_indexes or table.name.lower() == key:
            yield from (index.sql for index in table.indexes if index.sql)
    yield from texts


# --- rebuilds ------------------------------------------------------------------------------


def collapse_rebuilds(changes: Sequence[Change], schema_after: Schema) -> tuple[Change, ...]:
    """Turn SQLite's table-rebuild pattern into one REBUILD_TABLE change of the table.

    Form A: create ``x_new``, copy, drop ``x``, rename ``x_new`` to ``x``.
    Form B: rename ``x`` to ``x_old``, create ``x``, copy, drop ``x_old``.
    """
    result = list(changes)
    while (found := _find_rebuild(result)) is not None:
        result = _collapse(result, *found, schema_after)
    return tuple(result)


def _find_rebuild(changes: list[Change]) -> tuple[str, str, list[int]] | None:
    for i, change in enumerate(changes):
        if change.action != Action.RENAME_TABLE or change.old_name is None:
            continue
        old, new = change.old_name, change.object
        form_a = (
            _index_of(changes, Action.CREATE_TABLE, old, before=i),
            _index_of(changes, Action.DROP_TABLE, new, before=i),
        )
        if None not in form_a:
            return new, old, [form_a[0], form_a[1], i]  # type: ignore[list-item]
        form_b = (
            _index_of(changes, Action.CREATE_TABLE, old, after=i),
            _index_of(changes, Action.DROP_TABLE, new, after=i),
        )
        if None not in form_b:
            return old, new, [i, form_b[0], form_b[1]]  # type: ignore[list-item]
    return None


def _index_of(
    changes: list[Change], action: Action, name: str, *, before: int | None = None, after: int = -1
) -> int | None:
    end = len(changes) if before is None else before
    for index in range(after + 1, end):
        if changes[index].action == action and same_name(changes[index].object, name):
            return index
    return None


def _collapse(
    changes: list[Change], table: str, scratch: str, members: list[int], schema_after: Schema
) -> list[Change]:
    """Replace the pattern's changes by one rebuild; the scratch table's changes move to it."""
    first = min(members)
    befores = (changes[i].before for i in members)
    before = next(t for t in befores if t is not None and same_name(t.name, table))
    final = schema_after.table(table) or next(
        (
            c.after
            for c in reversed(changes)
            if c.after is not None and same_name(c.after.name, table)
        ),
        None,
    )
    rebuild = Change(
        Action.REBUILD_TABLE,
        table,
        changes[first].location,
        table=table,
        before=before,
        after=final,
        statement=changes[first].statement,
    )
    result: list[Change] = []
    for index, change in enumerate(changes):
        if index == first:
            result.append(rebuild)
        elif index in members:
            continue
        elif first < index < max(members) and same_name(change.table or "", scratch):
            result.append(
                replace(change, table=table, object=_moved(change.object, scratch, table))
            )
        else:
            result.append(change)
    return result


def _moved(obj: str, scratch: str, table: str) -> str:
    if same_name(obj, scratch):
        return table
    prefix = f"{scratch}."
    return table + obj[len(scratch) :] if obj.lower().startswith(prefix.lower()) else obj


# --- per-object history ----------------------------------------------------------------------

_TABLE_ACTIONS = frozenset(
    {Action.CREATE_TABLE, Action.DROP_TABLE, Action.RENAME_TABLE, Action.REBUILD_TABLE}
)
_COLUMN_ACTIONS = frozenset({Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN})


def object_history(history: History, kind: ObjectKind, name: str) -> tuple[HistoryEntry, ...]:
    """Which migrations created, changed and dropped an object, oldest first.

    Renames are followed backwards, so a table's history includes what happened to it
    under its earlier names. For columns, ``name`` is ``table.column``.
    """
    entries = list(_walk_back(history, kind, name))
    entries.reverse()
    return tuple(entries)


def _walk_back(history: History, kind: ObjectKind, name: str) -> Iterable[HistoryEntry]:
    names = {name.lower()}  # every name the object had, learnt while walking back
    for step in reversed(history.steps):
        for change in reversed(step.changes):
            if _concerns(change, kind, names):
                yield HistoryEntry(step.migration, change)
            names |= _earlier_names(change, kind, names)


def _earlier_names(change: Change, kind: ObjectKind, names: set[str]) -> set[str]:
    """Names the object had before ``change`` renamed it (or its table)."""
    if change.old_name is None:
        return set()
    new, old = change.object.lower(), change.old_name.lower()
    if kind == "column" and change.action == Action.RENAME_TABLE:
        return {f"{old}.{n.partition('.')[2]}" for n in names if n.partition(".")[0] == new}
    return {old} if new in names else set()


def _concerns(change: Change, kind: ObjectKind, names: set[str]) -> bool:
    obj = change.object.lower()
    table = (change.table or "").lower()
    if kind == "table":
        if change.action in _TABLE_ACTIONS:
            return obj in names
        return table in names  # its columns, indexes, triggers and data
    if kind == "column":
        if change.action in _COLUMN_ACTIONS:
            return obj in names
        if change.action == Action.RENAME_TABLE:
            return any(n.partition(".")[0] == obj for n in names)
        if change.action not in _TABLE_ACTIONS:
            return False
        return any(
            n.partition(".")[0] == table and _has_column(change, n.partition(".")[2]) for n in names
        )
    if kind == "index":
        return change.action in (Action.CREATE_INDEX, Action.DROP_INDEX) and obj in names
    if kind == "view":
        return change.action in (Action.CREATE_VIEW, Action.DROP_VIEW) and obj in names
    return change.action in (Action.CREATE_TRIGGER, Action.DROP_TRIGGER) and obj in names


def _has_column(change: Change, column: str) -> bool:
    tables = [t for t in (change.before, change.after) if t is not None]
    return any(t.column(column) is not None for t in tables)


__all__ = [
    "Location",
    "ObjectKind",
    "build_history",
    "collapse_rebuilds",
    "load_history",
    "object_history",
]
