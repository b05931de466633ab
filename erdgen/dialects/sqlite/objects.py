"""Statement handlers for indexes, views, triggers and virtual tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from msgspec.structs import replace

from erdgen.dialects.sqlite.cursor import Cursor, split_commas
from erdgen.dialects.sqlite.ddl import read_indexed_column
from erdgen.dialects.sqlite.names import fold
from erdgen.dialects.sqlite.quotefix import has_string
from erdgen.dialects.sqlite.readback import virtual_table_shape
from erdgen.dialects.sqlite.split import comment_above
from erdgen.dialects.sqlite.sqltext import same_definition
from erdgen.dialects.sqlite.state import State
from erdgen.dialects.sqlite.tables import (
    is_temporary_schema,
    read_create,
    read_drop,
    same_sql,
    warn_if_differs,
    warn_temporary,
)
from erdgen.dialects.sqlite.tokens import Statement, Word
from erdgen.model import (
    Action,
    Index,
    IndexColumn,
    Table,
    Trigger,
    View,
)

# --- indexes, views, triggers ---------------------------------------------------------


def create_index(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("CREATE")
    unique = cursor.accept("UNIQUE")
    cursor.expect("INDEX")
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    schema, name = cursor.qualified_name()
    if is_temporary_schema(schema):
        warn_temporary(statement, state, "INDEX", name)
        return
    cursor.expect("ON")
    table_name = cursor.name()
    table = state.work.table(table_name)
    if table is None:
        raise cursor.error(f"no such table: {table_name}")
    first, last = cursor.parenthesised()
    keys = split_commas(cursor, first, last)
    columns = tuple(
        _string_if_no_column(read_indexed_column(cursor, s, e), cursor.words[s], table)
        for s, e in keys
    )
    where = cursor.text(cursor.position, len(statement.words)) if cursor.accept("WHERE") else None
    index = Index(
        name, table.name, columns, unique, "c", where, statement.text.rstrip(";").rstrip()
    )
    missing = [c.name for c in columns if c.name is not None and table.column(c.name) is None]
    if missing:
        raise cursor.error(f"no such column: {missing[0]}")
    existing = state.work.index(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"index {existing.name} already exists")
        differs = replace(existing, sql=None) != replace(index, sql=None)
        warn_if_differs(statement, state, "index", name, differs)
        return
    state.string_in_index = state.string_in_index or has_string(index, table)
    state.work.put_table(replace(table, indexes=(*table.indexes, index)))
    state.origins[f"index:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_INDEX, name, table=table.name)


def drop_index(statement: Statement, state: State) -> None:
    drop = read_drop(statement)
    index = state.work.index(drop.name)
    if index is None:
        drop.missing()
        return
    table = state.work.table(index.table)
    if table is not None:
        after = replace(table, indexes=tuple(i for i in table.indexes if i is not index))
        state.change_table(statement, Action.DROP_INDEX, index.name, table, after)


def create_view(statement: Statement, state: State) -> None:
    create = read_create(statement, state, "VIEW")
    if create is None:
        return
    cursor, name, if_not_exists = create.cursor, create.name, create.if_not_exists
    sql = create.stored_sql()
    existing = state.work.view(name) or state.work.table(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"{existing.name} already exists")
        differs = not isinstance(existing, View) or not same_sql(existing.sql, sql)
        warn_if_differs(statement, state, "view", name, differs)
        return
    view = View(name, sql, comment_above(statement.scanned, statement.raw.start))
    state.work.put_view(view)
    state.origins[f"view:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_VIEW, name, same_as_dropped=_as_dropped(state, view))


def create_trigger(statement: Statement, state: State) -> None:
    create = read_create(statement, state, "TRIGGER")
    if create is None:
        return
    cursor, name, if_not_exists = create.cursor, create.name, create.if_not_exists
    timing = ""
    for candidate in (("BEFORE",), ("AFTER",), ("INSTEAD", "OF")):
        if cursor.accept(*candidate):
            timing = " ".join(candidate)
    event_start = cursor.position
    while not cursor.at_end() and cursor.peek() != "ON":
        cursor.position += 1
    event_words = statement.words[event_start : cursor.position]
    if not is_trigger_event(event_words):  # SQLite judges, and places its own error
        raise cursor.error("a trigger event (DELETE, INSERT, UPDATE [OF ...]) was expected")
    event = trigger_event(event_words)
    cursor.expect("ON")
    table_name = cursor.name()
    table = state.work.table(table_name) or state.work.view(table_name)
    if table is None:
        raise cursor.error(f"no such table: {table_name}")
    sql = create.stored_sql()
    existing = state.work.trigger(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"trigger {existing.name} already exists")
        warn_if_differs(statement, state, "trigger", name, not same_sql(existing.sql, sql))
        return
    trigger = Trigger(
        name,
        table.name,
        sql,
        timing or "BEFORE",
        event,
        comment_above(statement.scanned, statement.raw.start),
    )
    state.work.put_trigger(trigger)
    state.origins[f"trigger:{fold(name)}"] = statement.location
    same = _as_dropped(state, trigger)
    state.record(statement, Action.CREATE_TRIGGER, name, table=trigger.table, same_as_dropped=same)


def _as_dropped(state: State, made: View | Trigger) -> bool:
    """Whether the migration dropped an object of this kind and name before, and this
    one is defined as that was (``sqltext.same_definition``)."""
    kind = "view" if isinstance(made, View) else "trigger"
    was = state.dropped.pop(f"{kind}:{fold(made.name)}", None)
    return was is not None and same_definition(was, made.sql)


def drop_view_or_trigger(statement: Statement, state: State) -> None:
    drop = read_drop(statement)
    if drop.kind == "VIEW":
        view = state.work.remove_view(drop.name)
        if view is not None:
            state.dropped[f"view:{fold(view.name)}"] = view.sql
            state.record(statement, Action.DROP_VIEW, view.name)
            return
    else:
        trigger = state.work.remove_trigger(drop.name)
        if trigger is not None:
            state.dropped[f"trigger:{fold(trigger.name)}"] = trigger.sql
            state.record(statement, Action.DROP_TRIGGER, trigger.name, table=trigger.table)
            return
    drop.missing()


def create_virtual_table(statement: Statement, state: State) -> None:
    """``CREATE VIRTUAL TABLE name USING module(arguments)``: its columns and shadow
    tables are what the module makes of the arguments, so SQLite is asked for them
    (on the statement alone: a module checks its content table only when queried)."""
    cursor = Cursor(statement)
    cursor.expect("CREATE", "VIRTUAL", "TABLE")
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    schema, name = cursor.qualified_name()
    if is_temporary_schema(schema):
        warn_temporary(statement, state, "VIRTUAL TABLE", name)
        return
    existing = state.work.table(name) or state.work.view(name) or state.work.index(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"table {existing.name} already exists")
        return
    cursor.expect("USING")
    module = cursor.take().name
    arguments: tuple[str, ...] = ()
    if cursor.peek() == "(":
        first, last = cursor.parenthesised()
        arguments = tuple(cursor.text(s, e) for s, e in split_commas(cursor, first, last))
    try:
        shape = virtual_table_shape(statement.text)
    except sqlite3.Error as error:
        raise cursor.error(str(error)) from None
    table = replace(
        shape,
        name=name,
        sql=statement.text.rstrip(";").rstrip(),
        description=comment_above(statement.scanned, statement.raw.start),
        module=module,
        module_arguments=arguments,
        names=state.work.names,
    )
    state.work.put_table(table)
    state.origins[f"table:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_TABLE, name, table=name, after=table)


def is_trigger_event(words: Sequence[Word]) -> bool:
    """``DELETE``, ``INSERT`` or ``UPDATE [OF name [, name]...]``: SQLite's trigger-event
    grammar (lang_createtrigger.html); anything else is for SQLite to refuse."""
    if len(words) == 1:
        return words[0].upper in ("DELETE", "INSERT", "UPDATE")
    if len(words) < 3 or [w.upper for w in words[:2]] != ["UPDATE", "OF"]:
        return False
    names = words[2:]
    return len(names) % 2 == 1 and all(
        (w.source == ",") == (i % 2 == 1) for i, w in enumerate(names)
    )


def trigger_event(words: Sequence[Word]) -> str:
    """``INSERT``, ``DELETE``, ``UPDATE`` or ``UPDATE OF a, b``: keywords in upper case, the
    columns' names as SQLite reads them (unquoted, their case kept)."""
    parts: list[str] = []
    names = False
    for word in words:
        if word.source == "," and parts:
            parts[-1] += ","
        else:
            parts.append(word.name if names else word.upper)
            names = names or word.upper == "OF"
    return " ".join(parts)


def _string_if_no_column(key: IndexColumn, first: Word, table: Table) -> IndexColumn:
    """SQLite's double-quoted-string rule (quirks.html, "Double-quoted String Literals Are
    Accepted"): a key written ``"x"`` that names no column is the string 'x', a constant
    expression key. Brackets and backquotes always name a column."""
    if key.name is None or table.column(key.name) is not None or first.source[0] != '"':
        return key
    return replace(key, name=None, expression=first.source)
