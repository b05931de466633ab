"""Transactions, savepoints and connection settings: statements that change no object
themselves but decide what the statements around them do.

``ROLLBACK`` and ``ROLLBACK TO`` undo what was done since ``BEGIN`` / ``SAVEPOINT``
(SQLite's lang_transaction.html and lang_savepoint.html); ``PRAGMA legacy_alter_table``
and ``PRAGMA foreign_keys`` decide what ``ALTER TABLE ... RENAME TO`` rewrites
(lang_altertable.html, "Compatibility Note"). ``PRAGMA foreign_keys`` is a no-op inside
a transaction (pragma.html#pragma_foreign_keys).
"""

from __future__ import annotations

from erdgen.dialects.sqlite.cursor import Cursor
from erdgen.dialects.sqlite.names import fold
from erdgen.dialects.sqlite.state import State
from erdgen.dialects.sqlite.tokens import Statement

_TRUE = frozenset({"ON", "1", "TRUE", "YES"})
_FALSE = frozenset({"OFF", "0", "FALSE", "NO"})


def begin(statement: Statement, state: State) -> None:
    if state.savepoints:
        raise Cursor(statement).error("cannot start a transaction within a transaction")
    state.open_savepoint(None)


def commit(statement: Statement, state: State) -> None:
    if not state.savepoints:
        raise Cursor(statement).error("cannot commit - no transaction is active")
    state.savepoints.clear()


def rollback(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("ROLLBACK")
    cursor.accept("TRANSACTION")
    if cursor.accept("TO"):
        cursor.accept("SAVEPOINT")
        state.roll_back_to(_savepoint(cursor, state))
        return
    if not state.savepoints:
        raise cursor.error("cannot rollback - no transaction is active")
    state.roll_back_to(0)
    state.savepoints.clear()


def savepoint(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("SAVEPOINT")
    state.open_savepoint(cursor.take().name)


def release(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("RELEASE")
    cursor.accept("SAVEPOINT")
    del state.savepoints[_savepoint(cursor, state) :]


def _savepoint(cursor: Cursor, state: State) -> int:
    """The position of the innermost open savepoint named next in the statement."""
    name = cursor.take().name
    for position in range(len(state.savepoints) - 1, -1, -1):
        opened = state.savepoints[position].name
        if opened is not None and fold(opened) == fold(name):
            return position
    raise cursor.error(f"no such savepoint: {name}")


def pragma(statement: Statement, state: State) -> None:
    """Remember the settings that change what later statements do; others change nothing."""
    words = [w for w in statement.words if w.source not in ("(", ")", "=", ";")]
    if len(words) >= 4 and words[2].source == ".":
        words = [words[0], *words[3:]]  # PRAGMA main.name = value
    if len(words) < 3:
        return
    setting, value = fold(words[1].name), words[2].name.upper()
    on = True if value in _TRUE else False if value in _FALSE else None
    if on is None:
        return
    if setting == "legacy_alter_table":
        state.legacy_alter_table = on
    elif setting == "foreign_keys" and not state.savepoints:
        state.foreign_keys = on
