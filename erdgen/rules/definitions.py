"""Where the tables and columns of a history's last schema were defined: the statement a
comment describing them belongs on (for ``missing-description``).

A table's is the CREATE TABLE that gives the table as it is now: a drop and re-creation or
a rebuild (a copy) starts it anew, a rename carries it along. A column's is that CREATE
TABLE if the column came with it, else the ALTER TABLE that added it.
"""

from __future__ import annotations

import re

from msgspec import Struct

from erdgen import dialects
from erdgen.errors import Location
from erdgen.model import Action, Change, Column, History, Migration, Table
from erdgen.rules.registry import Subject

# CREATE [TEMP | UNLOGGED ...] TABLE [IF NOT EXISTS] [schema.]name: the name, unquoted
_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:\w+\s+)*?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:[^\s(.]+\.)?"
    r"[\"`\[]?([^\s(\"`\]]+)",
    re.IGNORECASE,
)
_CREATE = re.compile(r"\s*CREATE\b", re.IGNORECASE)  # any CREATE statement


class _Defined(Struct):
    table: Location
    columns: dict[str, Location]  # by the key of the column's name: the ones added later


class Definitions:
    """The places of one history, found in one pass over its changes."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.defined = _definitions(subject.history)

    def table(self, table: Table) -> Location:
        found = self.defined.get(self.subject.history.names.key(table.name))
        return found.table if found else Location(self.subject.history.steps[-1].migration.path, 1)

    def column(self, table: Table, column: Column) -> Location:
        history = self.subject.history
        found = self.defined.get(history.names.key(table.name))
        if found is None:
            return self.table(table)
        added = found.columns.get(history.names.key(column.name), found.table)
        if history.dialect == "postgres":  # its changes are found per migration
            return _added_in_postgres(self.subject, table, column, found.table) or added
        return added


def _definitions(history: History) -> dict[str, _Defined]:
    """The tables there are after each step, by the key of the name: a creation (CREATE
    TABLE, a rebuild) replaces a table's entry, a rename moves it."""
    key = history.names.key
    defined: dict[str, _Defined] = {}
    for step in history.steps:
        for change in step.changes:
            table = key(change.table or change.object)
            prefix = len(change.table or "") + 1  # "table." of a column's name
            if change.action in (Action.CREATE_TABLE, Action.REBUILD_TABLE):
                defined[key(change.object)] = _Defined(
                    _creation(history, step.migration, change), {}
                )
            elif change.action is Action.DROP_TABLE:
                defined.pop(key(change.object), None)
            elif change.action is Action.RENAME_TABLE and change.old_name is not None:
                moved = defined.pop(key(change.old_name), None)
                if moved is not None:
                    defined[key(change.object)] = moved
            elif change.action is Action.ADD_COLUMN and table in defined:
                defined[table].columns[key(change.object[prefix:])] = change.location
            elif change.action is Action.RENAME_COLUMN and table in defined and change.old_name:
                added = defined[table].columns.pop(key(change.old_name[prefix:]), None)
                if added is not None:
                    defined[table].columns[key(change.object[prefix:])] = added
        if history.dialect == "postgres":  # a migration's changes there come from a diff
            for name, place in _recreated(history, step.migration).items():
                for table in defined:
                    if history.names.same(table.rsplit(".", 1)[-1], name):
                        defined[table] = _Defined(place, {})
    return defined


_GOES = re.compile(
    r"(?:DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?P<dropped>[^;]+?)(?:\s+(?:CASCADE|RESTRICT))?"
    r"|ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?P<renamed>\S+)\s+RENAME\s+TO\s+\S+)"
    r"\s*;?\s*$",
    re.IGNORECASE,
)


def _recreated(history: History, migration: Migration) -> dict[str, Location]:
    """The tables a PostgreSQL migration drops (or renames away) and then creates again,
    by unqualified name, with the CREATE TABLE that does it last."""
    if not re.search(r"DROP\s+TABLE|RENAME\s+TO", migration.sql, re.IGNORECASE):
        return {}
    gone: list[str] = []
    found: dict[str, Location] = {}
    for statement in dialects.get(history.dialect).statements(migration):
        if (goes := _GOES.match(statement.text.strip())) is not None:
            names = goes["dropped"].split(",") if goes["dropped"] else [goes["renamed"]]
            gone.extend(_bare(name) for name in names)
            continue
        created = _CREATE_TABLE.match(statement.text)
        if created is not None and any(history.names.same(created[1], n) for n in gone):
            found[created[1]] = statement.location
    return found


def _bare(name: str) -> str:
    """A table name as written, without its schema and quotes."""
    return name.strip().rsplit(".", 1)[-1].strip('"`[]')


def _creation(history: History, migration: Migration, change: Change) -> Location:
    """The CREATE TABLE statement of a creation. A change may be recorded elsewhere: a
    rebuild that renames the table away first (``ALTER TABLE t RENAME TO t_old``, then
    ``CREATE TABLE t``) at its first statement, a PostgreSQL change at the first statement
    that names the table; then it is the migration's CREATE TABLE of that name."""
    if _CREATE.match(change.statement):
        return change.location
    name = change.object.rsplit(".", 1)[-1]
    for statement in dialects.get(history.dialect).statements(migration):
        found = _CREATE_TABLE.match(statement.text)
        if found and history.names.same(found[1], name):
            return statement.location
    return change.location


def _added_in_postgres(
    subject: Subject, table: Table, column: Column, since: Location
) -> Location | None:
    """The last ALTER TABLE that added the column (or renamed a column to its name) after
    the table's creation at ``since``, from the statement walk the PostgreSQL rules share
    (``subject.memo``; placing the schema rules' problems made it already)."""
    from erdgen.rules.pg_statements import Walk, walk

    history = subject.history
    if "pg-walk" not in subject.memo:
        subject.memo["pg-walk"] = walk(history)
    walked: Walk = subject.memo["pg-walk"]
    order = {path: i for i, step in enumerate(history.steps) for path in step.migration.paths}
    start = (order.get(since.path, 0), since.line)
    for statement in reversed(walked.statements):
        if (order.get(statement.location.path, -1), statement.location.line) < start:
            return None
        after = statement.after
        if after is None or not history.names.same(after.name, table.name):
            continue
        if after.column(column.name) is not None and statement.before.column(column.name) is None:
            return statement.location
    return None
