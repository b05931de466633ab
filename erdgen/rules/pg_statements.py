"""PostgreSQL migrations statement by statement, for the rules that judge one statement.

A migration's schema before and after it says what changed, not which statement did it
nor what the table looked like just before: a ``CREATE INDEX`` on a table made earlier in
the same migration locks nobody out, one on a table that existed before does. The walk
replays the folder with erdgen's PostgreSQL reader (``erdgen.dialects.postgres.reader``)
one statement at a time and keeps, for each ``CREATE INDEX`` and ``ALTER TABLE``, the
table it names as it was just before and just after the statement.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.reader import apply, start_migration
from erdgen.dialects.postgres.split import Statement, split
from erdgen.dialects.postgres.state import PgState, TableState
from erdgen.dialects.postgres.tokens import Token, TokenizeError, tokenize
from erdgen.errors import Location
from erdgen.model import History, Migration, Schema, Table


class TableStatement(Struct, frozen=True):
    """A ``CREATE INDEX`` or ``ALTER TABLE`` statement and the table it acts on."""

    migration: Migration
    location: Location  # where the statement starts
    tokens: tuple[Token, ...]
    text: str  # the statement as written (token offsets point into it)
    before: Table  # the table just before the statement
    after: Table | None  # just after it (None when the statement dropped it)
    existed: bool  # there before the migration began and not emptied since: it may hold rows
    partitioned: bool  # a partitioned parent (PARTITION BY): it holds no rows itself
    in_block: bool  # inside the file's own BEGIN ... COMMIT

    def written(self, tokens: list[Token]) -> str:
        """The text of consecutive ``tokens`` as written, white space collapsed."""
        if not tokens:
            return ""
        return " ".join(
            self.text[tokens[0].start : tokens[-1].start + len(tokens[-1].text)].split()
        )

    @property
    def verb(self) -> str:
        """``create index`` or ``alter table``."""
        return "alter table" if self.tokens[0].is_("alter") else "create index"

    def actions(self) -> list[list[Token]]:
        """An ``ALTER TABLE``'s comma-separated actions, each a list of tokens."""
        cursor = Cursor(list(self.tokens), 2)
        cursor.accept("if", "exists")
        cursor.accept("only")
        try:
            cursor.qualified()
        except DdlSyntaxError:
            return []
        cursor.accept_text("*")
        return split_on_commas(cursor.rest())


class Snapshot(Struct, frozen=True):
    """The schema as erdgen's reader has it just after one statement, and where it starts."""

    location: Location  # the statement's start
    schema: Schema  # after it


class Walk(Struct, frozen=True):
    """``walk``'s result: the ``TableStatement``s of the whole history, and for each requested
    step position the schema after each of its statements."""

    statements: list[TableStatement]  # every CREATE INDEX and ALTER TABLE, in order
    snapshots: dict[int, list[Snapshot]]  # step position -> the schema after each statement


def walk(history: History, positions: frozenset[int] = frozenset()) -> Walk:
    """Replay a PostgreSQL history once: its ``CREATE INDEX`` and ``ALTER TABLE``
    statements with their tables, and for the migrations at ``positions`` (indexes into
    ``history.steps``) the schema after each of their statements.

    A table counts as holding rows when it existed before the migration and no earlier
    statement of the migration emptied it (``TRUNCATE``, ``DELETE FROM`` without WHERE)."""
    found = Walk([], {position: [] for position in positions})
    emptied: set[int] = set()
    current, in_block = -1, False
    for position, statement, state, existing in _replay(history):
        migration = history.steps[position].migration
        if position != current:
            current, emptied, in_block = position, set(), False
        tokens = _tokens(statement)
        if tokens and tokens[0].is_(*_OPENS, *_CLOSES):
            in_block = tokens[0].is_(*_OPENS)
        emptied |= {id(table) for table in _emptied(state, tokens)}
        target = _target(state, tokens) if tokens else None
        before = target.freeze() if target is not None else None
        apply(state, statement)
        if position in found.snapshots:
            found.snapshots[position].append(Snapshot(statement.location, state.freeze()))
        if target is None or before is None:
            continue
        alive = any(table is target for table in state.tables.values())
        found.statements.append(
            TableStatement(
                migration, statement.location, tuple(tokens), statement.text, before,
                target.freeze() if alive else None,
                existed=id(target) in existing and id(target) not in emptied,
                partitioned=target.partition_key is not None, in_block=in_block,
            )
        )  # fmt: skip
    return found


# Transaction control as PostgreSQL reads it at the top level of a script.
_OPENS = ("begin", "start")
_CLOSES = ("commit", "end", "rollback", "abort")


def _replay(history: History) -> Iterator[tuple[int, Statement, PgState, set[int]]]:
    """Each statement with its step's position, the state before it (the caller applies
    it) and the ids of the tables that existed when its migration began. Each migration
    starts with the search path the reader gives it (``start_migration``)."""
    state = PgState()
    for position, step in enumerate(history.steps):
        migration = step.migration
        found = split(migration.sql, migration.path).statements
        start_migration(state, migration.session, migration.transaction, len(found))
        existing = {id(table) for table in state.tables.values()}
        for statement in found:
            yield position, statement, state, existing


def _tokens(statement: Statement) -> list[Token]:
    try:
        return tokenize(statement.text)
    except TokenizeError:
        return []


def _target(state: PgState, tokens: list[Token]) -> TableState | None:
    """The table a ``CREATE [UNIQUE] INDEX ... ON [ONLY] t`` or ``ALTER TABLE [IF EXISTS]
    [ONLY] t`` names, as the search path finds it; None for any other statement."""
    cursor = Cursor(tokens, 1)
    if tokens[0].is_("create"):
        cursor.accept("unique")
        if not cursor.accept("index"):
            return None
        while not cursor.done and not cursor.tokens[cursor.at].is_("on"):
            cursor.next()
        if not cursor.accept("on"):
            return None
    elif not (tokens[0].is_("alter") and cursor.accept("table")):
        return None
    cursor.accept("if", "exists")
    cursor.accept("only")
    try:
        return state.find_table(*cursor.qualified())
    except DdlSyntaxError:
        return None


def _emptied(state: PgState, tokens: list[Token]) -> list[TableState]:
    """The tables ``TRUNCATE [TABLE] [ONLY] a, b`` or ``DELETE FROM [ONLY] t`` (no WHERE)
    leaves without rows."""
    if not tokens:
        return []
    cursor = Cursor(tokens, 1)
    if tokens[0].is_("truncate"):
        cursor.accept("table")
        names = split_on_commas(cursor.rest())
    elif tokens[0].is_("delete") and cursor.accept("from"):
        if any(t.is_("where", "using") for t in tokens):
            return []
        names = [cursor.rest()]
    else:
        return []
    tables = []
    for name in names:
        part = Cursor(name)
        part.accept("only")
        try:
            table = state.find_table(*part.qualified())
        except DdlSyntaxError:
            continue
        if table is not None:
            tables.append(table)
    return tables
