"""libSQL's ``ALTER TABLE t ALTER COLUMN c TO c <definition>``, read into the model.

What libSQL does with it, measured against the engine (libsql 0.1.11) and asserted by
``tests/test_libsql.py`` against its PRAGMAs: the column's whole definition in the
table's ``CREATE TABLE`` text is replaced by the new one (type, NOT NULL, DEFAULT,
COLLATE, CHECK and REFERENCES: what the new text does not say is gone); table
constraints, indexes and rows stay; the name after TO must be the same name (the
spelling may change); libSQL refuses to alter a column that is UNIQUE, PRIMARY KEY or
generated, and a new definition that is UNIQUE or generated. Where erdgen doubts, libSQL
judges (``state.confirm``); every other statement is SQLite's.
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.dialects.sqlite.cursor import Cursor, split_commas
from erdgen.dialects.sqlite.ddl import finish_table, read_table_body
from erdgen.dialects.sqlite.handlers import interpret as interpret_sqlite
from erdgen.dialects.sqlite.names import NAMES
from erdgen.dialects.sqlite.state import State
from erdgen.dialects.sqlite.tokens import Statement, parse_migration
from erdgen.model import Action, Table

_TABLE_CONSTRAINT_WORDS = frozenset({"CONSTRAINT", "PRIMARY KEY", "PRIMARY", "UNIQUE", "CHECK",
                                     "FOREIGN KEY", "FOREIGN"})  # fmt: skip


def interpret(statement: Statement, state: State) -> None:
    """SQLite's statements plus libSQL's ALTER COLUMN."""
    if is_alter_column(statement):
        alter_column(statement, state)
    else:
        interpret_sqlite(statement, state)


def is_alter_column(statement: Statement) -> bool:
    keywords = statement.keywords
    if keywords[:2] != ("ALTER", "TABLE"):
        return False
    cursor = Cursor(statement, 2)
    cursor.name()  # the table, maybe schema-qualified
    return cursor.accept("ALTER", "COLUMN")


def alter_column(statement: Statement, state: State) -> None:
    cursor = Cursor(statement)
    cursor.expect("ALTER", "TABLE")
    name = cursor.name()
    table = state.work.table(name)
    if table is None:
        raise cursor.error(f"no such table: {name}")
    cursor.expect("ALTER", "COLUMN")
    old = cursor.take()
    cursor.expect("TO")
    start = cursor.position
    new = cursor.word().source if not cursor.at_end() else ""
    definition = cursor.text(start, len(statement.words))
    # libSQL compares the two names as written, quotes included, ignoring ASCII case:
    # "a" TO "A" and a TO A alter, a TO "a" is refused (measured, libsql 0.1.11).
    if not NAMES.same(old.source, new):
        raise cursor.error(
            f'UPDATE cannot also rename column: "{old.source}" to "{new}". '
            "Use ALTER TABLE RENAME instead"
        )
    column = table.column(old.name)
    if column is None:
        raise cursor.error(f'no such column: "{old.source}"')
    state.confirm(table.name)  # libSQL's own refusals (UNIQUE, generated, STRICT types ...)
    after = _with_definition(statement, table, column.name, definition)
    obj = f"{table.name}.{after.columns[table.columns.index(column)].name}"
    state.change_table(statement, Action.ALTER_COLUMN, obj, table, after)


def _with_definition(statement: Statement, table: Table, column: str, definition: str) -> Table:
    """The table as libSQL leaves it: its CREATE TABLE text with the column's definition
    replaced, read again; indexes made by CREATE INDEX and descriptions carried over."""
    sql = replaced_definition(statement, table.sql, column, definition)
    created = _create_statement(statement, sql)
    cursor = Cursor(created)
    cursor.expect("CREATE", "TABLE")
    cursor.accept("IF", "NOT", "EXISTS")
    cursor.name()
    first, last = cursor.parenthesised()
    draft = read_table_body(cursor, table.name, first, last)
    after = finish_table(
        draft,
        without_rowid=table.without_rowid,
        strict=table.strict,
        sql=sql,
        description=table.description,
    )
    # A comment on ALTER COLUMN narrates the step; the column keeps the description of its
    # definition (change_notes), as every other column keeps its own.
    described = {NAMES.key(c.name): c.description for c in table.columns}
    columns = tuple(
        replace(c, description=described.get(NAMES.key(c.name), "")) for c in after.columns
    )
    created_indexes = tuple(index for index in table.indexes if index.origin == "c")
    return replace(
        after, columns=columns, indexes=(*after.indexes, *created_indexes), names=table.names
    )


def replaced_definition(statement: Statement, sql: str, column: str, definition: str) -> str:
    """``sql`` (a CREATE TABLE text) with ``column``'s definition replaced by ``definition``,
    as libSQL rewrites it (the text around it, comments included, stays)."""
    created = _create_statement(statement, sql)
    cursor = Cursor(created)
    first, last = _body(cursor)
    for start, end in split_commas(cursor, first, last):
        word = cursor.words[start]
        quoted = word.source[0] in '"`['
        if not quoted and word.upper in _TABLE_CONSTRAINT_WORDS:
            continue
        if NAMES.same(word.name, column):
            text = created.text
            return text[: word.start] + definition + text[cursor.words[end - 1].end :]
    return sql


def _body(cursor: Cursor) -> tuple[int, int]:
    cursor.expect("CREATE", "TABLE")
    cursor.accept("IF", "NOT", "EXISTS")
    cursor.name()
    return cursor.parenthesised()


def _create_statement(statement: Statement, sql: str) -> Statement:
    """A table's CREATE TABLE text as a statement of its own (tokens, positions)."""
    return parse_migration(replace(statement.migration, sql=sql))[0]
