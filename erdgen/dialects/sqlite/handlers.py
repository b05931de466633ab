"""Statements -> changes to the schema, one handler per kind of statement.

The interpreter is handed only statements SQLite has accepted (history.py executes
each one in a scratch database first), so handlers read valid SQL and need not
re-check what SQLite already judged: missing tables, illegal ALTERs, syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlglot import TokenType, exp

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.ddl import (
    Cursor,
    TableDraft,
    finish_table,
    read_column,
    read_indexed_column,
    read_table_body,
    split_commas,
)
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.rename import (
    mentions,
    rename_column,
    rename_table,
    with_column_sql,
    without_column_sql,
)
from erdgen.dialects.sqlite.split import comment_above
from erdgen.dialects.sqlite.tokens import Statement
from erdgen.errors import Diagnostic, Location, Severity
from erdgen.model import (
    Action,
    Change,
    Column,
    ForeignKey,
    Hidden,
    Index,
    Table,
    Trigger,
    View,
)


@dataclass(slots=True)
class State:
    """What the fold carries from statement to statement."""

    work: Workspace = field(default_factory=Workspace)
    origins: dict[str, Location] = field(default_factory=dict)  # "table:x" -> where created
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Asks SQLite to judge the current statement, which alters the table named; raises
    # MigrationError if SQLite refuses it.
    confirm: Callable[[str], None] = lambda table: None

    def record(self, statement: Statement, action: Action, obj: str, **details: object) -> None:
        change = Change(action, obj, statement.location, statement=statement.text, **details)  # type: ignore[arg-type]
        self.changes.append(change)

    def change_table(
        self, statement: Statement, action: Action, obj: str, before: Table, after: Table
    ) -> None:
        """Put the changed table in place and record the change with both shapes."""
        self.work.put_table(after)
        self.record(statement, action, obj, table=before.name, before=before, after=after)

    def warn(
        self, statement: Statement, code: str, message: str, severity: Severity = Severity.WARNING
    ) -> None:
        self.diagnostics.append(
            Diagnostic(statement.location, code, message, severity, statement.text)
        )


Handler = Callable[[Statement, State], None]

# Statements that leave the schema as it is, handled on purpose.
_NO_SCHEMA_EFFECT = frozenset(
    {"PRAGMA", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ANALYZE",
     "VACUUM", "REINDEX", "SELECT", "EXPLAIN", "VALUES"}
)  # fmt: skip
_DATA_VERBS = frozenset({"INSERT", "REPLACE", "UPDATE", "DELETE", "WITH"})


def interpret(statement: Statement, state: State) -> None:
    """Apply one statement to the state: new schema, changes, diagnostics."""
    keywords = statement.keywords
    first = keywords[0] if keywords else ""
    if first in _NO_SCHEMA_EFFECT:
        return
    if first in _DATA_VERBS:
        _data(statement, state)
        return
    handler = _handler(keywords)
    if handler is None:
        state.warn(statement, "not-understood", "statement not understood; the model ignores it")
        return
    handler(statement, state)


def _handler(keywords: tuple[str, ...]) -> Handler | None:
    words = [w for w in keywords[:4] if w not in ("TEMP", "TEMPORARY", "UNIQUE")]
    head = " ".join(words[:2])
    return _HANDLERS.get(head) or _HANDLERS.get(" ".join(words[:3]))


# --- CREATE / DROP TABLE -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Create:
    """``CREATE kind [IF NOT EXISTS] name``, read up to the name."""

    cursor: Cursor
    name: str
    if_not_exists: bool


def _read_create(statement: Statement, state: State, kind: str) -> _Create | None:
    """The header of a CREATE TABLE / VIEW / TRIGGER; None (with a warning) for a
    temporary one, which is not part of the schema."""
    cursor = Cursor(statement)
    cursor.expect("CREATE")
    temporary = cursor.accept("TEMP") or cursor.accept("TEMPORARY")
    cursor.expect(kind)
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    name = cursor.name()
    if temporary:
        message = f"temporary {kind.lower()} {name} is not part of the schema"
        state.warn(statement, "temporary", message)
        return None
    return _Create(cursor, name, if_not_exists)


def _create_table(statement: Statement, state: State) -> None:
    create = _read_create(statement, state, "TABLE")
    if create is None:
        return
    cursor, name, if_not_exists = create.cursor, create.name, create.if_not_exists
    if cursor.peek() != "(":
        state.warn(
            statement,
            "create-table-as",
            f"CREATE TABLE {name} AS SELECT: its columns are not modelled",
        )
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
        _warn_if_differs(statement, state, "table", name, _shape(existing) != _shape(table))
        return
    state.work.put_table(table)
    state.origins[f"table:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_TABLE, name, table=name, after=table)


_IF_NOT_EXISTS = re.compile(r"\bIF\s+NOT\s+EXISTS\b", re.IGNORECASE)


def _same_sql(a: str, b: str) -> bool:
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
        else:
            cursor.take()  # the commas between options
    return without_rowid, strict


def _warn_if_differs(
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


@dataclass(frozen=True, slots=True)
class _Drop:
    """``DROP kind [IF EXISTS] name``: what to drop, and how to complain when it's not there."""

    cursor: Cursor
    kind: str  # TABLE, INDEX, VIEW, TRIGGER
    name: str
    if_exists: bool

    def missing(self) -> None:
        """A missing object is an error unless IF EXISTS was given."""
        if not self.if_exists:
            raise self.cursor.error(f"no such {self.kind.lower()}: {self.name}")


def _read_drop(statement: Statement) -> _Drop:
    cursor = Cursor(statement)
    cursor.expect("DROP")
    kind = cursor.take().upper
    if_exists = cursor.accept("IF", "EXISTS")
    return _Drop(cursor, kind, cursor.name(), if_exists)


def _drop_table(statement: Statement, state: State) -> None:
    drop = _read_drop(statement)
    table = state.work.remove_table(drop.name)
    if table is None:
        drop.missing()
        return
    state.record(statement, Action.DROP_TABLE, table.name, table=table.name, before=table)


# --- ALTER TABLE -----------------------------------------------------------------------


def _alter_table(statement: Statement, state: State) -> None:
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
        _rename_column(statement, state, table, old, cursor.take().name)
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
    rename_table(state.work, table.name, new)
    after = state.work.table(new)
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


def _rename_column(statement: Statement, state: State, table: Table, old: str, new: str) -> None:
    column = table.column(old)
    if column is None:
        raise Cursor(statement).error(f'no such column: "{old}"')
    if table.column(new) not in (None, column):
        raise Cursor(statement).error(f"duplicate column name: {new}")
    old_name = column.name
    rename_column(state.work, table.name, old_name, new)
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


def _drop_column(statement: Statement, state: State, table: Table, name: str) -> None:
    column = table.column(name)
    if column is None:
        raise Cursor(statement).error(f"no such column: {name}")
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


# --- indexes, views, triggers ---------------------------------------------------------


def _create_index(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("CREATE")
    unique = cursor.accept("UNIQUE")
    cursor.expect("INDEX")
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    name = cursor.name()
    cursor.expect("ON")
    table_name = cursor.name()
    table = state.work.table(table_name)
    if table is None:
        raise cursor.error(f"no such table: {table_name}")
    first, last = cursor.parenthesised()
    columns = tuple(read_indexed_column(cursor, s, e) for s, e in split_commas(cursor, first, last))
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
        _warn_if_differs(statement, state, "index", name, differs)
        return
    state.work.put_table(replace(table, indexes=(*table.indexes, index)))
    state.origins[f"index:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_INDEX, name, table=table.name)


def _drop_index(statement: Statement, state: State) -> None:
    drop = _read_drop(statement)
    index = state.work.index(drop.name)
    if index is None:
        drop.missing()
        return
    table = state.work.table(index.table)
    if table is not None:
        after = replace(table, indexes=tuple(i for i in table.indexes if i is not index))
        state.change_table(statement, Action.DROP_INDEX, index.name, table, after)


def _create_view(statement: Statement, state: State) -> None:
    create = _read_create(statement, state, "VIEW")
    if create is None:
        return
    cursor, name, if_not_exists = create.cursor, create.name, create.if_not_exists
    sql = statement.text.rstrip(";").rstrip()
    existing = state.work.view(name) or state.work.table(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"{existing.name} already exists")
        differs = not isinstance(existing, View) or not _same_sql(existing.sql, sql)
        _warn_if_differs(statement, state, "view", name, differs)
        return
    view = View(name, sql, comment_above(statement.scanned, statement.raw.start))
    state.work.put_view(view)
    state.origins[f"view:{fold(name)}"] = statement.location
    state.record(statement, Action.CREATE_VIEW, name)


def _create_trigger(statement: Statement, state: State) -> None:
    create = _read_create(statement, state, "TRIGGER")
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
    event = " ".join(cursor.text(event_start, cursor.position).split()).upper()
    cursor.expect("ON")
    table_name = cursor.name()
    table = state.work.table(table_name) or state.work.view(table_name)
    if table is None:
        raise cursor.error(f"no such table: {table_name}")
    sql = statement.text.rstrip(";").rstrip()
    existing = state.work.trigger(name)
    if existing is not None:
        if not if_not_exists:
            raise cursor.error(f"trigger {existing.name} already exists")
        _warn_if_differs(statement, state, "trigger", name, not _same_sql(existing.sql, sql))
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
    state.record(statement, Action.CREATE_TRIGGER, name, table=trigger.table)


def _drop_view_or_trigger(statement: Statement, state: State) -> None:
    drop = _read_drop(statement)
    if drop.kind == "VIEW":
        view = state.work.remove_view(drop.name)
        if view is not None:
            state.record(statement, Action.DROP_VIEW, view.name)
            return
    else:
        trigger = state.work.remove_trigger(drop.name)
        if trigger is not None:
            state.record(statement, Action.DROP_TRIGGER, trigger.name, table=trigger.table)
            return
    drop.missing()


def _create_virtual_table(statement: Statement, state: State) -> None:
    state.warn(statement, "virtual-table", "virtual tables are not modelled")


# --- data ------------------------------------------------------------------------------


def _data(statement: Statement, state: State) -> None:
    """INSERT / UPDATE / DELETE: recorded as a data change on its target table."""
    target, verb = _data_target(statement)
    table = state.work.table(target) if target else None
    name = table.name if table else (target or "")
    state.record(statement, Action.DATA, name, table=name or None, verb=verb)


def _data_target(statement: Statement) -> tuple[str | None, str]:
    plain = _plain_data_target(statement)
    if plain is not None:
        return plain
    tree = statement.tree()
    verbs = {exp.Insert: "INSERT", exp.Update: "UPDATE", exp.Delete: "DELETE"}
    if tree is not None:
        for kind, verb in verbs.items():
            if isinstance(tree, kind):
                table = tree.find(exp.Table)
                if isinstance(tree, exp.Insert) and "REPLACE" in statement.keywords[:3]:
                    verb = "REPLACE"
                return (table.name if table is not None else None), verb
    return _data_target_from_words(statement)


# The verbs of the plain forms, with the word before the target and the target's position.
_PLAIN_DATA_FORMS = {"INSERT": ("INTO", 2), "DELETE": ("FROM", 2), "UPDATE": ("UPDATE", 1)}


def _plain_data_target(statement: Statement) -> tuple[str, str] | None:
    """The target of ``INSERT INTO t``, ``DELETE FROM t`` or ``UPDATE t SET`` with an
    unquoted, unqualified name, read from the words: for these forms sqlglot's tree (its
    first table) says the same, and parsing costs a tenth of a large folder's load."""
    keywords = statement.keywords
    form = _PLAIN_DATA_FORMS.get(keywords[0])
    if form is None:
        return None
    anchor, position = form
    if len(keywords) <= position or keywords[position - 1] != anchor:
        return None
    after = keywords[position + 1] if len(keywords) > position + 1 else ""
    if after == "." or (keywords[0] == "UPDATE" and after != "SET"):
        return None
    target = statement.words[position]
    return (target.name, keywords[0]) if target.kind is TokenType.VAR else None


def _data_target_from_words(statement: Statement) -> tuple[str | None, str]:
    keywords = statement.keywords
    verb = next((k for k in keywords if k in ("INSERT", "REPLACE", "UPDATE", "DELETE")), "")
    anchor = {"INSERT": "INTO", "REPLACE": "INTO", "DELETE": "FROM", "UPDATE": "UPDATE"}.get(verb)
    if anchor is None or anchor not in keywords:
        return None, verb
    index = keywords.index(anchor) + 1
    while index < len(keywords) and keywords[index] in (
        "OR",
        "ROLLBACK",
        "ABORT",
        "REPLACE",
        "FAIL",
        "IGNORE",
    ):
        index += 1
    return (statement.words[index].name if index < len(statement.words) else None), verb


_HANDLERS: dict[str, Handler] = {
    "CREATE TABLE": _create_table,
    "CREATE VIRTUAL TABLE": _create_virtual_table,
    "CREATE INDEX": _create_index,
    "CREATE VIEW": _create_view,
    "CREATE TRIGGER": _create_trigger,
    "DROP TABLE": _drop_table,
    "DROP INDEX": _drop_index,
    "DROP VIEW": _drop_view_or_trigger,
    "DROP TRIGGER": _drop_view_or_trigger,
    "ALTER TABLE": _alter_table,
}
