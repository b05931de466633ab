"""Statement handlers for tables: CREATE TABLE, DROP TABLE, ALTER TABLE."""

from __future__ import annotations

import re
import sqlite3

from msgspec import Struct
from msgspec.structs import replace

from erdgen.dialects.sqlite.change_notes import added_column, earlier_table, without_change_notes
from erdgen.dialects.sqlite.cursor import Cursor
from erdgen.dialects.sqlite.ddl import (
    TableDraft,
    finish_table,
    read_column,
    read_table_body,
)
from erdgen.dialects.sqlite.judge import created_by
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.quotefix import quotefix, string_key
from erdgen.dialects.sqlite.rename import mentions, rename_table
from erdgen.dialects.sqlite.rename_column import rename_column
from erdgen.dialects.sqlite.splice import with_column_sql, without_column_sql
from erdgen.dialects.sqlite.split import comment_above
from erdgen.dialects.sqlite.state import State
from erdgen.dialects.sqlite.tokens import Statement, Word
from erdgen.model import (
    Action,
    Column,
    ForeignKey,
    Hidden,
    Table,
)

# --- CREATE / DROP TABLE -------------------------------------------------------------


class _Create(Struct, frozen=True):
    """``CREATE kind [IF NOT EXISTS] name``, read up to the name."""

    cursor: Cursor
    name: str
    if_not_exists: bool
    kind: str  # TABLE, VIEW, TRIGGER
    name_position: int  # index of the name's word

    def stored_sql(self) -> str:
        """The statement as SQLite stores it in ``sqlite_schema``: ``CREATE kind`` and the
        text from the name on (no TEMP, IF NOT EXISTS or schema; build.c, sqlite3EndTable
        and sqlite3CreateView; trigger.c, sqlite3FinishTrigger)."""
        statement = self.cursor.statement
        start = statement.words[self.name_position].start
        return f"CREATE {self.kind} " + statement.text[start:].rstrip(";").rstrip()


def read_create(statement: Statement, state: State, kind: str) -> _Create | None:
    """The header of a CREATE TABLE / VIEW / TRIGGER; None (with a warning) for a
    temporary one, which is not part of the schema."""
    cursor = Cursor(statement)
    cursor.expect("CREATE")
    temporary = cursor.accept("TEMP") or cursor.accept("TEMPORARY")
    cursor.expect(kind)
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    schema, name = cursor.qualified_name()
    if temporary or is_temporary_schema(schema):
        warn_temporary(statement, state, kind, name)
        return None
    return _Create(cursor, name, if_not_exists, kind, cursor.position - 1)


def _create_table_as(create: _Create, statement: Statement, state: State) -> None:
    """``CREATE TABLE name AS SELECT ...``: SQLite names and types the columns from the
    select's result (declared type from each expression's affinity: INT, REAL, TEXT, NUM
    or none; build.c, sqlite3ColumnsFromExprList), so SQLite is asked on a copy of the
    model's schema."""
    existing = state.work.table(create.name) or state.work.view(create.name)
    if existing is not None:
        if not create.if_not_exists:
            raise create.cursor.error(f"table {existing.name} already exists")
        return
    try:
        made = created_by(state.work.schema, statement.text, create.name)
    except sqlite3.Error as error:
        raise create.cursor.error(str(error)) from None
    description = comment_above(statement.scanned, statement.raw.start)
    table = replace(made, name=create.name, description=description, names=state.work.names)
    state.work.put_table(table)
    state.origins[f"table:{fold(create.name)}"] = statement.location
    state.record(statement, Action.CREATE_TABLE, create.name, table=create.name, after=table)


def is_temporary_schema(schema: str | None) -> bool:
    """``temp.name`` (or ``temporary.name``) is an object of the temporary schema."""
    return schema is not None and fold(schema) in ("temp", "temporary")


def warn_temporary(statement: Statement, state: State, kind: str, name: str) -> None:
    message = f"temporary {kind.lower()} {name} is not part of the schema"
    state.warn(statement, "temporary", message)


def create_table(statement: Statement, state: State) -> None:
    create = read_create(statement, state, "TABLE")
    if create is None:
        return
    cursor, name, if_not_exists = create.cursor, create.name, create.if_not_exists
    if cursor.peek() != "(":
        _create_table_as(create, statement, state)
        return
    first, last = cursor.parenthesised()
    draft = read_table_body(cursor, name, first, last)
    without_rowid, strict = _table_options(cursor)
    table = finish_table(
        draft,
        without_rowid=without_rowid,
        strict=strict,
        sql=statement.text.rstrip(";").rstrip(),
        description=comment_above(statement.scanned, statement.raw.start),
    )
    existing = state.work.table(name)
    if existing is not None:
        if not if_not_exists:
            raise Cursor(statement).error(f"table {existing.name} already exists")
        warn_if_differs(statement, state, "table", name, _shape(existing) != _shape(table))
        return
    table = without_change_notes(table, earlier_table(state.changes, name, state.work.names))
    state.work.put_table(table)
    state.origins[f"table:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_TABLE, name, table=name, after=table)


_IF_NOT_EXISTS = re.compile(r"\bIF\s+NOT\s+EXISTS\b", re.IGNORECASE)


def same_sql(a: str, b: str) -> bool:
    """Two CREATE statements alike but for IF NOT EXISTS and whitespace."""
    return " ".join(_IF_NOT_EXISTS.sub("", a).split()) == " ".join(
        _IF_NOT_EXISTS.sub("", b).split()
    )


def _shape(table: Table) -> Table:
    """What a CREATE TABLE defines: no text, no descriptions, no CREATE INDEX indexes."""
    return replace(
        table,
        sql="",
        description="",
        indexes=tuple(i for i in table.indexes if i.origin != "c"),
        columns=tuple(replace(c, description="") for c in table.columns),
    )


def _table_options(cursor: Cursor) -> tuple[bool, bool]:
    without_rowid = strict = False
    while not cursor.at_end():
        if cursor.accept("WITHOUT"):
            cursor.take()  # ROWID
            without_rowid = True
        elif cursor.accept("STRICT"):
            strict = True
        elif cursor.peek() == ",":
            cursor.take()  # between options
        else:
            raise cursor.error(f"unexpected {cursor.word().source!r} after the table's body")
    return without_rowid, strict


def warn_if_differs(
    statement: Statement, state: State, kind: str, name: str, differs: bool
) -> None:
    if not differs:
        return
    origin = state.origins.get(f"{kind}:{fold(name)}")
    where = f" at {origin}" if origin else ""
    state.warn(
        statement,
        "if-not-exists-differs",
        f"{kind} {name} already exists{where} with a different definition; "
        "IF NOT EXISTS keeps the old one, so this definition has no effect",
    )


class _Drop(Struct, frozen=True):
    """``DROP kind [IF EXISTS] name``: what to drop, and how to complain when it's not there."""

    cursor: Cursor
    kind: str  # TABLE, INDEX, VIEW, TRIGGER
    name: str
    if_exists: bool

    def missing(self) -> None:
        """A missing object is an error unless IF EXISTS was given."""
        if not self.if_exists:
            raise self.cursor.error(f"no such {self.kind.lower()}: {self.name}")


def read_drop(statement: Statement) -> _Drop:
    cursor = Cursor(statement)
    cursor.expect("DROP")
    kind = cursor.take().upper
    if_exists = cursor.accept("IF", "EXISTS")
    return _Drop(cursor, kind, cursor.name(), if_exists)


def drop_table(statement: Statement, state: State) -> None:
    drop = read_drop(statement)
    key = fold(drop.name)
    triggers = [t for t in state.work.triggers.values() if fold(t.table) == key]
    table = state.work.remove_table(drop.name)
    if table is None:
        drop.missing()
        return
    for trigger in triggers:  # DROP TABLE takes the table's triggers with it
        state.dropped[f"trigger:{fold(trigger.name)}"] = trigger.sql
        state.record(statement, Action.DROP_TRIGGER, trigger.name, table=table.name)
    state.record(statement, Action.DROP_TABLE, table.name, table=table.name, before=table)


# --- ALTER TABLE -----------------------------------------------------------------------


def alter_table(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("ALTER", "TABLE")
    name = cursor.name()
    table = state.work.table(name)
    if table is None:
        raise cursor.error(f"no such table: {name}")
    if cursor.accept("RENAME", "TO"):
        _rename_table(statement, state, table, cursor.take().name)
    elif cursor.accept("RENAME"):
        cursor.accept("COLUMN")
        old = cursor.take().name
        cursor.expect("TO")
        _rename_column(statement, state, table, old, cursor.take())
    elif cursor.accept("ADD"):
        cursor.accept("COLUMN")
        _add_column(statement, state, table, cursor)
    elif cursor.accept("DROP"):
        cursor.accept("COLUMN")
        _drop_column(statement, state, table, cursor.take().name)
    else:
        state.warn(statement, "not-understood", "ALTER TABLE form not understood")


def _rename_table(statement: Statement, state: State, table: Table, new: str) -> None:
    if state.work.table(new) is not None or state.work.index(new) is not None:
        raise Cursor(statement).error(
            f"there is already another table or index with this name: {new}"
        )
    rename_table(
        state.work,
        table.name,
        new,
        legacy=state.legacy_alter_table,
        foreign_keys=state.foreign_keys,
    )
    after = state.work.table(new)
    earlier = earlier_table(state.changes, new, state.work.names)  # a rebuild's last step
    if after is not None and earlier is not None:
        after = without_change_notes(after, earlier)
        state.work.put_table(after)
    state.origins[f"table:{fold(new)}"] = state.origins.pop(
        f"table:{fold(table.name)}", statement.location
    )
    state.record(
        statement,
        Action.RENAME_TABLE,
        new,
        table=new,
        old_name=table.name,
        before=table,
        after=after,
    )


def _rename_column(statement: Statement, state: State, table: Table, old: str, word: Word) -> None:
    new = word.name
    column = table.column(old)
    if column is None:
        raise Cursor(statement).error(f'no such column: "{old}"')
    if table.column(new) not in (None, column):
        raise Cursor(statement).error(f"duplicate column name: {new}")
    _refuse_with_string_keys(statement, state, "rename")
    old_name = column.name
    rename_column(state.work, table.name, old_name, new, quoted=word.source[0] in "\"'`[")
    after = state.work.table(table.name)
    state.record(
        statement,
        Action.RENAME_COLUMN,
        f"{table.name}.{new}",
        table=table.name,
        old_name=f"{table.name}.{old_name}",
        before=table,
        after=after,
    )


def _add_column(statement: Statement, state: State, table: Table, cursor: Cursor) -> None:
    definition_start = cursor.position
    draft = TableDraft(table.name)
    column = read_column(Cursor(statement, cursor.position, len(statement.words)), draft)
    column = added_column(column, statement)
    definition = cursor.text(definition_start, len(statement.words))
    if table.column(column.name) is not None:
        raise cursor.error(f"duplicate column name: {column.name}")
    sql, references = with_column_sql(table.sql, definition)
    if not table.sql:
        references = len(table.foreign_keys)
    if _add_may_be_refused(column, draft):
        state.confirm(table.name)
    after = replace(
        table,
        columns=(*table.columns, column),
        foreign_keys=_with_column_keys(table.foreign_keys, draft.foreign_keys, references),
        checks=(*table.checks, *draft.checks),
        sql=sql,
    )
    state.change_table(statement, Action.ADD_COLUMN, f"{table.name}.{column.name}", table, after)


def _add_may_be_refused(column: Column, draft: TableDraft) -> bool:
    """SQLite refuses to add a key column, a NOT NULL one without default, and some
    defaults; ask it in those cases."""
    not_null_without_default = column.not_null and column.default in (None, "NULL")
    expression_default = column.default is not None and column.default[:1] not in "'-+0123456789"
    return bool(
        draft.keys
        or not_null_without_default
        or column.hidden == Hidden.STORED
        or (expression_default and (column.default or "").upper() not in ("TRUE", "FALSE"))
    )


def _with_column_keys(
    keys: tuple[ForeignKey, ...], added: list[ForeignKey], position: int
) -> tuple[ForeignKey, ...]:
    """The added column's key goes after the other column-level keys, as SQLite lists them."""
    return (*keys[:position], *added, *keys[position:])


def _drop_may_be_refused(state: State, table: Table, name: str) -> bool:
    """SQLite refuses to drop a key, indexed, checked or referenced column: ask it then."""
    column = table.column(name)
    if column is None or column.primary_key or column.unique or len(table.columns) == 1:
        return True
    lowered = fold(name)
    # A CHECK of the dropped column itself goes with it; any other that names it blocks.
    texts = [c.expression for c in table.checks if not (c.column and same_name(c.column, name))]
    texts += [c.generated or "" for c in table.columns]
    texts += [i.sql or "" for i in table.indexes]
    # Most views and triggers do not contain the table's name at all: skip them cheaply.
    key = fold(table.name)
    others = [v.sql for v in state.work.views.values() if key in fold(v.sql)]
    others += [t.sql for t in state.work.triggers.values() if key in fold(t.sql)]
    texts += [sql for sql in others if mentions(sql, table.name)]
    in_keys = any(lowered in (fold(c) for c in k.columns) for k in table.foreign_keys)
    in_indexes = any(lowered == fold(c.name or "") for i in table.indexes for c in i.columns)
    return in_keys or in_indexes or any(mentions(text, name) for text in texts)


def _refuse_with_string_keys(statement: Statement, state: State, what: str) -> None:
    """RENAME COLUMN and DROP COLUMN re-read every index with SQLite's DQS rule off: a key
    that is a double-quoted string alone makes SQLite refuse them; the other strings are
    written single-quoted (quotefix.py)."""
    if not state.string_in_index:
        return
    for other in state.work.tables.values():
        refused = string_key(other)
        if refused is not None:
            index, text = refused
            message = f"error in index {index.name} after {what}: no such column: {text[1:-1]}"
            raise Cursor(statement).error(message)
    quotefix(state.work)


def _drop_column(statement: Statement, state: State, table: Table, name: str) -> None:
    column = table.column(name)
    if column is None:
        raise Cursor(statement).error(f"no such column: {name}")
    _refuse_with_string_keys(statement, state, "drop column")
    table = state.work.table(table.name) or table
    column = table.column(name) or column
    if _drop_may_be_refused(state, table, column.name):
        state.confirm(table.name)
    after = replace(
        table,
        columns=tuple(c for c in table.columns if c is not column),
        checks=tuple(c for c in table.checks if not (c.column and same_name(c.column, name))),
        foreign_keys=tuple(
            k for k in table.foreign_keys if [fold(c) for c in k.columns] != [fold(name)]
        ),
        sql=without_column_sql(table.sql, column.name),
    )
    state.change_table(statement, Action.DROP_COLUMN, f"{table.name}.{column.name}", table, after)
