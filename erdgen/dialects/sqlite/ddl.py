"""Read DDL from a statement's tokens, following SQLite's grammar.

``CREATE TABLE`` bodies, column definitions (also those of ``ALTER TABLE ADD``),
``CREATE INDEX`` key lists and ``CREATE TRIGGER`` headers become model objects here.
Text that SQLite keeps verbatim (declared types, defaults, CHECK expressions) is cut
from the source, so the model says exactly what ``PRAGMA table_xinfo`` says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from msgspec import Struct, field
from msgspec.structs import replace

from erdgen.dialects.sqlite.cursor import Cursor, split_commas
from erdgen.dialects.sqlite.names import fold
from erdgen.dialects.sqlite.split import comment_above, trailing_comment
from erdgen.model import Check, Column, ForeignKey, Hidden, Index, IndexColumn, Table

# Words that end a column's type and start a column constraint.
_CONSTRAINT_STARTS = frozenset(
    {
        "CONSTRAINT", "PRIMARY KEY", "PRIMARY", "NOT", "NOT NULL", "NULL", "UNIQUE", "CHECK",
        "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS",
    }
)  # fmt: skip
_TABLE_CONSTRAINT_STARTS = frozenset(
    {"CONSTRAINT", "PRIMARY KEY", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN KEY", "FOREIGN"}
)


class TableDraft(Struct):
    """A table while its definition is being read; frozen into a Table at the end."""

    name: str
    columns: list[Column] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    keys: list[tuple[str, tuple[IndexColumn, ...]]] = field(default_factory=list)  # origin, cols
    primary_key: tuple[IndexColumn, ...] = ()
    primary_key_name: str | None = None
    primary_key_is_column_desc: bool = False


def read_table_body(cursor: Cursor, name: str, first: int, last: int) -> TableDraft:
    """Column definitions and table constraints of ``CREATE TABLE name (...)``."""
    draft = TableDraft(name)
    for start, end in split_commas(cursor, first, last):
        element = Cursor(cursor.statement, start, end)
        if element.peek() in _TABLE_CONSTRAINT_STARTS and not _is_column_named_like_keyword(
            element
        ):
            _read_table_constraints(element, draft)
        else:
            draft.columns.append(read_column(element, draft))
    return draft


def _read_table_constraints(element: Cursor, draft: TableDraft) -> None:
    """One or more table constraints: SQLite's grammar lets whitespace alone separate them
    (``conslist ::= conslist tconscomma tcons``, ``tconscomma ::= COMMA | .`` in parse.y)."""
    read_table_constraint(element, draft)
    while not element.at_end():
        if element.peek() not in _TABLE_CONSTRAINT_STARTS:
            raise element.error(f"unexpected {element.word().source!r} after a table constraint")
        read_table_constraint(element, draft)


def _is_column_named_like_keyword(element: Cursor) -> bool:
    """``primary``, ``unique`` or ``check`` can't name columns, but ``constraint`` etc. may not
    either; a quoted name is always a column."""
    return element.word().source[0] in "\"`['"


class _ColumnConstraints(TypedDict, total=False):
    """What a column's constraints say, gathered before the column is built once."""

    primary_key: int
    autoincrement: bool
    not_null: bool
    unique: bool
    default: str
    collation: str
    generated: str
    hidden: Hidden


def read_column(cursor: Cursor, draft: TableDraft) -> Column:
    description = _column_description(cursor)
    name = cursor.take().name
    type_start = cursor.position
    while not cursor.at_end() and cursor.peek() not in _CONSTRAINT_STARTS:
        if cursor.peek() == "(":
            cursor.position = cursor.closing_paren() + 1
        else:
            cursor.position += 1
    declared_type = _declared_type(cursor, type_start, cursor.position)
    constraints = _ColumnConstraints()
    constraint_name: str | None = None
    while not cursor.at_end():
        if cursor.accept("CONSTRAINT"):
            constraint_name = cursor.take().name
            continue
        _column_constraint(cursor, draft, name, constraints, constraint_name)
        constraint_name = None
    return Column(name=name, type=declared_type, description=description, **constraints)


# Type names SQLite knows for STRICT tables; it stores them in this spelling.
_STANDARD_TYPES = frozenset({"ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"})


def _declared_type(cursor: Cursor, first: int, last: int) -> str:
    """The type as SQLite stores it: as written, but standard names upper-cased, unquoted."""
    if last - first == 1 and cursor.words[first].source[0] in '"`[':
        text = cursor.words[first].name
    else:
        text = cursor.text(first, last)
    return text.upper() if text.upper() in _STANDARD_TYPES else text


def _column_description(cursor: Cursor) -> str:
    statement = cursor.statement
    words = cursor.words
    start = statement.raw.start + words[cursor.position].start
    end = statement.raw.start + words[cursor.end - 1].end
    if cursor.end < len(words) and words[cursor.end].source == ",":
        end = statement.raw.start + words[cursor.end].end
    return trailing_comment(statement.scanned, start, end) or comment_above(
        statement.scanned, start
    )


def _column_constraint(
    cursor: Cursor,
    draft: TableDraft,
    column: str,
    constraints: _ColumnConstraints,
    constraint_name: str | None,
) -> None:
    keyword = cursor.peek()
    if cursor.accept("PRIMARY", "KEY"):
        descending = cursor.accept("DESC")
        cursor.accept("ASC")
        _skip_conflict_clause(cursor)
        autoincrement = cursor.accept("AUTOINCREMENT")
        key = (IndexColumn(column, descending=descending),)
        draft.primary_key = key
        draft.primary_key_name = constraint_name
        draft.primary_key_is_column_desc = descending
        draft.keys.append(("pk", key))
        constraints["primary_key"], constraints["autoincrement"] = 1, autoincrement
    elif cursor.accept("NOT", "NULL"):
        _skip_conflict_clause(cursor)
        constraints["not_null"] = True
    elif cursor.accept("NULL"):
        _skip_conflict_clause(cursor)
    elif cursor.accept("UNIQUE"):
        _skip_conflict_clause(cursor)
        draft.keys.append(("u", (IndexColumn(column),)))
        constraints["unique"] = True
    elif cursor.accept("CHECK"):
        first, last = cursor.parenthesised()
        draft.checks.append(Check(cursor.text(first, last), constraint_name, column))
    elif cursor.accept("DEFAULT"):
        constraints["default"] = _default(cursor)
    elif cursor.accept("COLLATE"):
        constraints["collation"] = cursor.take().name
    elif keyword == "REFERENCES":
        draft.foreign_keys.append(read_references(cursor, (column,), constraint_name))
    elif cursor.accept("GENERATED", "ALWAYS") or keyword == "AS":
        cursor.expect("AS")
        first, last = cursor.parenthesised()
        hidden = Hidden.STORED if cursor.accept("STORED") else Hidden.VIRTUAL
        cursor.accept("VIRTUAL")
        constraints["generated"], constraints["hidden"] = cursor.text(first, last), hidden
    else:
        raise cursor.error(f"unexpected {cursor.word().source!r} in the definition of {column}")


def _skip_conflict_clause(cursor: Cursor) -> None:
    if cursor.accept("ON", "CONFLICT"):
        cursor.take()


def _default(cursor: Cursor) -> str:
    """The default as ``PRAGMA table_xinfo`` reports it: parentheses and their padding off."""
    if cursor.peek() == "(":
        first, last = cursor.parenthesised()
        return cursor.text(first, last)
    first = cursor.position
    if cursor.peek() in ("+", "-"):
        cursor.position += 1
    cursor.take()
    return cursor.text(first, cursor.position)


def read_references(
    cursor: Cursor, columns: tuple[str, ...], constraint_name: str | None
) -> ForeignKey:
    cursor.expect("REFERENCES")
    ref_table = cursor.name()
    ref_columns: tuple[str, ...] = ()
    if cursor.peek() == "(":
        first, last = cursor.parenthesised()
        ref_columns = tuple(cursor.words[s].name for s, _ in split_commas(cursor, first, last))
    key = ForeignKey(columns, ref_table, ref_columns, name=constraint_name)
    while not cursor.at_end():
        if cursor.accept("ON"):
            event = cursor.take().upper
            action = _referential_action(cursor)
            key = (
                replace(key, on_delete=action)
                if event == "DELETE"
                else replace(key, on_update=action)
            )
        elif cursor.accept("MATCH"):
            cursor.take()  # SQLite parses MATCH but ignores it: PRAGMA reports NONE
        elif cursor.peek() == "DEFERRABLE" or (cursor.peek(), cursor.peek(1)) == (
            "NOT",
            "DEFERRABLE",
        ):
            first = cursor.position
            cursor.accept("NOT")
            cursor.expect("DEFERRABLE")
            if cursor.accept("INITIALLY"):
                cursor.take()
            key = replace(key, deferrable=" ".join(cursor.text(first, cursor.position).split()))
        else:
            break
    return key


def _referential_action(cursor: Cursor) -> str:
    for action in (("SET", "NULL"), ("SET", "DEFAULT"), ("NO", "ACTION")):
        if cursor.accept(*action):
            return " ".join(action)
    return cursor.take().upper  # CASCADE, RESTRICT


def read_table_constraint(cursor: Cursor, draft: TableDraft) -> None:
    """One table constraint, or several: SQLite's grammar lets the comma between two table
    constraints out (``conslist ::= conslist tconscomma tcons``, ``tconscomma`` may be
    empty), and drizzle-kit writes such tables."""
    _read_one_table_constraint(cursor, draft)
    while not cursor.at_end() and cursor.peek() in _TABLE_CONSTRAINT_STARTS:
        _read_one_table_constraint(cursor, draft)


def _read_one_table_constraint(cursor: Cursor, draft: TableDraft) -> None:
    name = cursor.take().name if cursor.accept("CONSTRAINT") else None
    if cursor.accept("PRIMARY", "KEY"):
        key = _indexed_columns(cursor)
        _skip_conflict_clause(cursor)
        draft.primary_key, draft.primary_key_name = key, name
        draft.keys.append(("pk", key))
        _mark_primary_key(draft, key)
    elif cursor.accept("UNIQUE"):
        draft.keys.append(("u", _indexed_columns(cursor)))
        _skip_conflict_clause(cursor)
    elif cursor.accept("CHECK"):
        first, last = cursor.parenthesised()
        draft.checks.append(Check(cursor.text(first, last), name))
    elif cursor.accept("FOREIGN", "KEY"):
        first, last = cursor.parenthesised()
        columns = tuple(cursor.words[s].name for s, _ in split_commas(cursor, first, last))
        draft.foreign_keys.append(read_references(cursor, columns, name))
    else:
        raise cursor.error(f"unexpected {cursor.word().source!r} in a table constraint")


def _mark_primary_key(draft: TableDraft, key: tuple[IndexColumn, ...]) -> None:
    positions = {fold(column.name): n for n, column in enumerate(key, start=1) if column.name}
    draft.columns = [
        replace(column, primary_key=positions.get(fold(column.name), column.primary_key))
        for column in draft.columns
    ]


def _indexed_columns(cursor: Cursor) -> tuple[IndexColumn, ...]:
    first, last = cursor.parenthesised()
    return tuple(read_indexed_column(cursor, s, e) for s, e in split_commas(cursor, first, last))


def read_indexed_column(cursor: Cursor, first: int, last: int) -> IndexColumn:
    """``expr [COLLATE name] [ASC|DESC]``: a column name, or an expression key."""
    if first >= last:
        raise cursor.error("an empty key")
    descending = False
    if last > first and cursor.words[last - 1].upper in ("ASC", "DESC"):
        descending = cursor.words[last - 1].upper == "DESC"
        last -= 1
    collation = None
    if last - first >= 2 and cursor.words[last - 2].upper == "COLLATE":
        collation = cursor.words[last - 1].name
        last -= 2
    if last - first == 1:
        return IndexColumn(cursor.words[first].name, None, descending, collation)
    return IndexColumn(None, cursor.text(first, last), descending, collation)


def finish_table(
    draft: TableDraft, *, without_rowid: bool, strict: bool, sql: str, description: str
) -> Table:
    """Freeze a draft: implicit NOT NULL and the constraint indexes SQLite creates."""
    table = Table(
        name=draft.name,
        columns=tuple(draft.columns),
        foreign_keys=tuple(draft.foreign_keys),
        checks=tuple(draft.checks),
        primary_key_name=draft.primary_key_name,
        without_rowid=without_rowid,
        strict=strict,
        sql=sql,
        description=description,
    )
    alias = draft.primary_key[0].name if _is_rowid_alias(table, draft) else None
    if without_rowid or strict:
        # SQLite marks the PRIMARY KEY columns of such tables NOT NULL (a rowid alias
        # of a STRICT table excepted: it is the rowid, which cannot be NULL anyway).
        table = replace(
            table,
            columns=tuple(
                replace(c, not_null=c.not_null or _implicitly_not_null(c, alias, without_rowid))
                for c in table.columns
            ),
        )
    return replace(table, indexes=constraint_indexes(table, draft))


def _implicitly_not_null(column: Column, alias: str | None, without_rowid: bool) -> bool:
    return column.primary_key > 0 and (without_rowid or column.name != alias)


def _is_rowid_alias(table: Table, draft: TableDraft) -> bool:
    key = draft.primary_key
    if len(key) != 1 or key[0].name is None:
        return False
    column = table.column(key[0].name)
    return (
        column is not None
        and column.type.upper() == "INTEGER"
        and (not draft.primary_key_is_column_desc)
    )


def constraint_indexes(table: Table, draft: TableDraft) -> tuple[Index, ...]:
    """The sqlite_autoindex_* indexes of UNIQUE and PRIMARY KEY constraints, named as SQLite does.

    An INTEGER PRIMARY KEY aliases the rowid and needs no index, except in a WITHOUT
    ROWID table, where SQLite adds that index only at the end of the statement. A key
    with the same columns as an earlier one reuses that index.
    """
    keys = list(draft.keys)
    if _is_rowid_alias(table, draft):
        keys = [k for k in keys if k[0] != "pk"]
        if table.without_rowid:
            keys.append(("pk", draft.primary_key))
    indexes: list[Index] = []
    for origin, columns in keys:
        same = next(
            (i for i, index in enumerate(indexes) if _same_key(table, index.columns, columns)),
            None,
        )
        if same is not None:
            if origin == "pk":
                indexes[same] = replace(indexes[same], origin="pk")
            continue
        name = f"sqlite_autoindex_{table.name}_{len(indexes) + 1}"
        indexes.append(Index(name, table.name, columns, unique=True, origin=origin))  # type: ignore[arg-type]
    return tuple(indexes)


def _same_key(table: Table, a: Sequence[IndexColumn], b: Sequence[IndexColumn]) -> bool:
    """SQLite reuses a constraint index for a key with the same columns and collations."""
    return len(a) == len(b) and all(
        fold(x.name or "") == fold(y.name or "")
        and x.expression == y.expression
        and _collation(table, x) == _collation(table, y)
        for x, y in zip(a, b, strict=True)
    )


def _collation(table: Table, key: IndexColumn) -> str:
    """The collation a key column sorts by: its own, else its column's, else BINARY."""
    column = table.column(key.name) if key.name else None
    declared = key.collation or (column.collation if column else None)
    return (declared or "BINARY").upper()
