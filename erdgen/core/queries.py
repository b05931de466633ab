"""Questions a renderer asks of a History: the history cut at a migration (``--at``), and
what happened to one object. Standard library only: renderers import this, never the
interpreter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from erdgen.errors import ConfigError
from erdgen.model import Action, Change, History, HistoryEntry

ObjectKind = Literal["table", "column", "index", "view", "trigger"]


def history_until(history: History, migration_id: str) -> History:
    """``history.until``, for a migration id given by the user (``--at``): an unknown id
    is an error that lists the known ones."""
    try:
        return history.until(migration_id)
    except KeyError:
        known = ", ".join(m.shown for m in history.migrations)
        raise ConfigError(f"no migration {migration_id!r} (known: {known})") from None


_TABLE_ACTIONS = frozenset(
    {
        Action.CREATE_TABLE,
        Action.DROP_TABLE,
        Action.RENAME_TABLE,
        Action.REBUILD_TABLE,
        Action.ALTER_TABLE,
    }
)
_COLUMN_ACTIONS = frozenset(
    {Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN, Action.ALTER_COLUMN}
)


def object_history(history: History, kind: ObjectKind, name: str) -> tuple[HistoryEntry, ...]:
    """Which migrations created, changed and dropped an object, oldest first.

    Renames are followed backwards, so a table's history includes what happened to it
    under its earlier names. For columns, ``name`` is ``table.column``.
    """
    entries = list(_walk_back(history, kind, name))
    entries.reverse()
    return tuple(entries)


def _walk_back(history: History, kind: ObjectKind, name: str) -> Iterable[HistoryEntry]:
    key = history.names.key
    names = {key(name)}  # every name the object had, learnt while walking back
    for step in reversed(history.steps):
        for change in reversed(step.changes):
            if _concerns(change, kind, names, key):
                yield HistoryEntry(step.migration, change)
            names |= _earlier_names(change, kind, names, key)


def _earlier_names(
    change: Change, kind: ObjectKind, names: set[str], key: Callable[[str], str]
) -> set[str]:
    """Names the object had before ``change`` renamed it (or its table)."""
    if change.old_name is None:
        return set()
    new, old = key(change.object), key(change.old_name)
    if kind == "column" and change.action == Action.RENAME_TABLE:
        return {f"{old}.{n.partition('.')[2]}" for n in names if n.partition(".")[0] == new}
    return {old} if new in names else set()


def _concerns(change: Change, kind: ObjectKind, names: set[str], key: Callable[[str], str]) -> bool:
    obj = key(change.object)
    table = key(change.table or "")
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
