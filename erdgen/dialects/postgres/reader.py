"""Read PostgreSQL migrations from their text into a schema after each migration.

Each statement is split as psql splits it (``split.py``), tokenized as the server does
(``tokens.py``) and read by the grammar modules (``create``, ``objects``, ``alter``,
``drop``). Nothing is skipped silently: data statements become data changes
(``data.py``, also those a ``DO`` body runs plainly), session statements are ignored on
purpose; DDL inside ``DO`` blocks, a psql meta-command, a statement form erdgen does
not read and DDL that does not follow the grammar are warnings with their location.
The search path follows ``SET search_path``; a migration starts with the path the last
plain ``SET`` left when its tool runs it on the previous migration's connection, else
with ``public`` (``Migration.session``). ``SET LOCAL`` lasts until the migration's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise

from msgspec import Struct

from erdgen.dialects.postgres import alter, objects, routines, user_types
from erdgen.dialects.postgres.create import create_table
from erdgen.dialects.postgres.create_as import create_table_as
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError
from erdgen.dialects.postgres.data import DATA_VERBS, data_changes, inner_data
from erdgen.dialects.postgres.drop import comment_on, drop
from erdgen.dialects.postgres.replay import in_transaction
from erdgen.dialects.postgres.split import Statement, split
from erdgen.dialects.postgres.state import PgState
from erdgen.dialects.postgres.tokens import Token, TokenizeError, tokenize
from erdgen.dialects.postgres.types import TypeSyntaxError
from erdgen.errors import Diagnostic, Location, Severity
from erdgen.model import Schema, Session, Transaction

# First words of statements that change no schema object erdgen keeps (data, session,
# transactions, privileges, maintenance).
IGNORED = frozenset(
    {"select", "insert", "update", "delete", "merge", "copy", "values", "with", "grant",
     "revoke", "begin", "commit", "end", "start", "rollback", "savepoint", "release", "abort",
     "analyze", "analyse", "vacuum", "refresh", "lock", "notify", "listen", "reset", "truncate",
     "cluster", "reindex", "discard", "checkpoint", "prepare", "deallocate", "show", "explain",
     "security", "load"}
)  # fmt: skip


_TRANSACTION_CONTROL = frozenset({"begin", "start", "commit", "end", "rollback", "abort"})


class ReadMigration(Struct, frozen=True):
    """One migration file as ``read_migrations`` read it: its path and the schema after it."""

    path: str
    schema: Schema  # after this migration


class ReadFolder(Struct, frozen=True):
    """``read_migrations``' result: a ``ReadMigration`` per file in the order applied, and the
    warnings of all files in reading order."""

    migrations: tuple[ReadMigration, ...]
    diagnostics: tuple[Diagnostic, ...]


def read_migrations(
    files: Iterable[tuple[str, str]], session: Session = Session.SHARED
) -> ReadFolder:
    """``files``: (path, text) in the order they are applied, each in a transaction, on one
    connection or each in a session of its own (``session``)."""
    state = PgState()
    diagnostics: list[Diagnostic] = []
    read: list[ReadMigration] = []
    for path, text in files:
        found = split(text, path)
        start_migration(state, session, Transaction.FILE, len(found.statements))
        for command in found.meta_commands:
            diagnostics.append(
                _warning(
                    command.location,
                    "pg-psql",
                    f"psql meta-command {command.name}: psql runs it, erdgen does not",
                    command.text,
                )
            )
        for statement in found.statements:
            diagnostic = apply(state, statement)
            if diagnostic is not None:
                diagnostics.append(diagnostic)
        read.append(ReadMigration(path, state.freeze()))
    return ReadFolder(tuple(read), tuple(diagnostics))


def start_migration(state: PgState, session: Session, transaction: Transaction, count: int) -> None:
    """The search path a migration of ``count`` statements starts with: PostgreSQL's
    default (``public``) in a session of its own, else the one the last plain ``SET``
    left; a ``SET LOCAL`` ended with the previous migration's transaction (PostgreSQL's
    GUC stack, guc.c: a SET in a transaction persists after COMMIT, SET LOCAL does not,
    and outside a transaction block SET LOCAL does nothing)."""
    if session is Session.OWN:
        state.session_search_path = ["public"]
    state.search_path = list(state.session_search_path)
    state.in_transaction = in_transaction(transaction, count)
    state.reopens = transaction is Transaction.IMPLICIT and count > 1
    state.renamed = []
    state.data = []


def _transaction_control(
    state: PgState, statement: Statement, tokens: list[Token]
) -> Diagnostic | None:
    """BEGIN opens a transaction block; COMMIT or ROLLBACK ends it, and the SET LOCALs in it
    (not ROLLBACK TO a savepoint). A ROLLBACK inside a transaction block undoes what ran
    since it began (or since the savepoint): the reader has applied those statements, so
    it says so, and PostgreSQL as the judge shows what stays (``pg-rollback``)."""
    undone = state.in_transaction and tokens[0].is_("rollback", "abort")
    if tokens[0].is_("begin", "start"):
        state.in_transaction = True
    elif tokens[0].is_("commit", "end", "abort") or (
        tokens[0].is_("rollback") and not any(t.is_("to") for t in tokens)
    ):
        state.search_path = list(state.session_search_path)
        state.in_transaction = state.reopens
    if not undone:
        return None
    message = (
        f"{tokens[0].value.upper()} undoes what this transaction ran; erdgen has read those "
        "statements as if they stayed; PostgreSQL as the judge shows what stays"
    )
    return _warning(statement.location, "pg-rollback", message, statement.text)


def apply(state: PgState, statement: Statement) -> Diagnostic | None:
    """Apply one statement to ``state``; a diagnostic when it was not fully read."""
    try:
        tokens = tokenize(statement.text)
    except TokenizeError as error:
        return _warning(statement.at(error.offset), "pg-syntax", str(error), statement.text)
    if tokens and state.ddl_functions and tokens[0].is_("select", "call"):
        return _ddl_call(state, statement, tokens)
    if not tokens or tokens[0].value in IGNORED:
        if tokens and tokens[0].value in _TRANSACTION_CONTROL:
            return _transaction_control(state, statement, tokens)
        if tokens and tokens[0].value in DATA_VERBS:
            state.data += data_changes(state, statement, tokens)
        return None
    if tokens[0].is_("create") and _AS.search(statement.text) and _is_table_as(tokens):
        return _table_as(state, statement, tokens)
    cursor = Cursor(tokens, 1)
    try:
        understood = _dispatch(state, tokens[0].value, cursor, statement.text)
    except (DdlSyntaxError, TypeSyntaxError) as error:
        offset = error.token.start if error.token is not None else 0
        return _warning(
            statement.at(offset),
            "pg-syntax",
            f"{error}; the model may differ from PostgreSQL here",
            statement.text,
        )
    if understood:
        return None
    first = " ".join(t.text.upper() for t in tokens[:3] if t.kind == "word")
    if tokens[0].is_("do"):
        return _do_block(state, statement, tokens)
    return _warning(
        statement.location, "pg-not-read", f"{first} is not read into the model", statement.text
    )


# no AS in the text, no AS token: most CREATE statements need no closer look
_AS = re.compile(r"\bas\b", re.IGNORECASE)


def _is_table_as(tokens: list[Token]) -> bool:
    cursor = Cursor(tokens, 1)
    for word in ("global", "local", "unlogged", "temporary", "temp"):
        cursor.accept(word)
    if not cursor.accept("table"):
        return False
    cursor.accept("if", "not", "exists")
    try:
        cursor.qualified()
        if cursor.next_is("("):
            cursor.group()
    except DdlSyntaxError:
        return False
    return cursor.accept("as")


def _table_as(state: PgState, statement: Statement, tokens: list[Token]) -> Diagnostic | None:
    """``CREATE TABLE ... AS``: a warning where the text does not give every column's type
    (then PostgreSQL as the judge gives the table)."""
    cursor = Cursor(tokens, 1)
    while not cursor.accept("table"):
        cursor.next()
    try:
        unread = create_table_as(state, cursor, statement.text)
    except DdlSyntaxError as error:
        offset = error.token.start if error.token is not None else 0
        return _warning(statement.at(offset), "pg-syntax", str(error), statement.text)
    if unread == []:
        return None
    what = (
        "the query's columns are not read"
        if unread is None
        else f"the types of {', '.join(unread)} are not read"
    )
    message = f"CREATE TABLE ... AS: {what}; PostgreSQL as the judge shows the table"
    return _warning(statement.location, "pg-table-as", message, statement.text)


def _ddl_call(state: PgState, statement: Statement, tokens: list[Token]) -> Diagnostic | None:
    """A ``SELECT f()`` or ``CALL f()`` of a function whose body runs DDL: not read."""
    for token, after in pairwise(tokens):
        called = after.text == "(" and token.kind in ("word", "quoted")
        if called and token.value in state.ddl_functions:
            message = (
                f"calls {token.value}(), whose body runs DDL: not read from the text; "
                "PostgreSQL as the judge shows what it did"
            )
            return _warning(statement.location, "pg-call", message, statement.text)
    return None


_DDL = ("create", "alter", "drop", "comment")
_BEFORE_DDL = ("then", "else", "begin", "loop")


def _do_block(state: PgState, statement: Statement, tokens: list[Token]) -> Diagnostic:
    """Read the plain DDL statements of a ``DO`` body as if each ran once, and say so.

    Tools write ``DO $$ BEGIN ALTER TABLE ...; EXCEPTION WHEN duplicate_object THEN
    null; END $$`` or ``IF NOT EXISTS (...) THEN CREATE ...; END IF`` to make DDL
    idempotent; a statement that fails here (it exists already) is skipped, as the
    block's own guard skips it. ``EXECUTE`` of a built string is not read."""
    body = next((t for t in tokens[1:] if t.kind == "string"), None)
    read = 0
    if body is not None:
        offset = body.start + body.text.index(body.value) if body.value else body.start
        for piece in split(body.value, statement.location.path).statements:
            read += _inner_ddl(state, statement, piece, offset)
            state.data += inner_data(state, statement, piece, offset)
    dynamic = body is not None and "execute" in body.value.lower()
    message = f"DDL inside a DO block: {read} statement(s) read as if each ran once"
    if dynamic:
        message += "; DDL run by EXECUTE is not read"
    message += "; PostgreSQL as the judge shows what the block did"
    return _warning(statement.location, "pg-do", message, statement.text)


def _inner_ddl(state: PgState, statement: Statement, piece: Statement, offset: int) -> int:
    try:
        tokens = tokenize(piece.text)
    except TokenizeError:
        return 0
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else None
        if token.is_(*_DDL) and (before is None or before.is_(*_BEFORE_DDL)):
            start = piece.start + token.start
            inner = Statement(piece.text[token.start :], start, statement.at(offset + start))
            return int(apply(state, inner) is None)
    return 0


def _dispatch(state: PgState, verb: str, cursor: Cursor, sql: str) -> bool:
    if verb == "create":
        return _create(state, cursor, sql)
    if verb == "alter":
        return _alter(state, cursor)
    if verb == "drop":
        return drop(state, cursor)
    if verb == "comment":
        cursor.expect("on")
        return comment_on(state, cursor)
    if verb == "set":
        return _set(state, cursor)
    return False


def _create(state: PgState, cursor: Cursor, sql: str) -> bool:
    cursor.accept("or", "replace")
    for word in ("global", "local", "unlogged", "temporary", "temp", "constraint"):
        cursor.accept(word)
    handlers: dict[str, Callable[[], object]] = {
        "table": lambda: create_table(state, cursor),
        "index": lambda: objects.create_index(state, cursor, False, sql),
        "sequence": lambda: objects.create_sequence(state, cursor),
        "schema": lambda: objects.create_schema(state, cursor),
        "extension": lambda: objects.create_extension(state, cursor),
        "function": lambda: objects.create_function(state, cursor, procedure=False),
        "procedure": lambda: objects.create_function(state, cursor, procedure=True),
        "trigger": lambda: objects.create_trigger(state, cursor, sql),
        "view": lambda: objects.create_view(state, cursor, False, sql),
        "domain": lambda: user_types.create_domain(state, cursor),
    }
    if cursor.accept("unique", "index"):
        objects.create_index(state, cursor, True, sql)
        return True
    if cursor.accept("materialized", "view"):
        objects.create_view(state, cursor, True, sql)
        return True
    if cursor.accept("recursive", "view"):
        objects.create_view(state, cursor, False, sql)
        return True
    if cursor.accept("type"):
        return objects.create_type(state, cursor)
    word = cursor.next().value
    if word == "table" and _is_create_table_as(cursor):
        return False
    handler = handlers.get(word)
    if handler is None:
        return False
    handler()
    return True


def _is_create_table_as(cursor: Cursor) -> bool:
    return any(t.is_("as") for t in cursor.tokens[cursor.at : cursor.at + 6]) and not any(
        t.text == "(" for t in cursor.tokens[cursor.at : cursor.at + 4]
    )


def _alter(state: PgState, cursor: Cursor) -> bool:
    if cursor.accept("table"):
        alter.alter_table(state, cursor)
        return True
    if cursor.accept("type"):
        return alter.alter_type(state, cursor)
    if cursor.accept("domain"):
        return user_types.alter_domain(state, cursor)
    if cursor.accept("sequence"):
        return user_types.alter_sequence_owner(state, cursor)
    for kind in ("function", "procedure"):
        if cursor.accept(kind):
            return routines.alter_routine(state, cursor, kind)
    if cursor.accept("index"):
        cursor.accept("if", "exists")
        namespace, name = cursor.qualified()
        if cursor.accept("rename", "to"):
            alter.rename_index(state, namespace, name, cursor.identifier())
        return True
    return _alter_relation(state, cursor)


def _alter_relation(state: PgState, cursor: Cursor) -> bool:
    """ALTER SEQUENCE / VIEW / FUNCTION ...: only what does not change the model is known."""
    kind = cursor.next().value
    return kind in (
        "sequence",
        "function",
        "procedure",
        "default",
        "role",
        "database",
        "schema",
    ) and not any(t.is_("rename") for t in cursor.tokens)


def _set(state: PgState, cursor: Cursor) -> bool:
    local = cursor.accept("local")
    local or cursor.accept("session")
    if not cursor.accept("search_path"):
        return True
    cursor.accept("to") or cursor.accept_text("=")
    rest = cursor.rest()
    names = [t.value for t in rest if t.kind in ("word", "quoted", "string")]
    default = any(t.is_("default") for t in rest)
    path = ["public"] if default else [n for n in names if n != "$user"] or ["public"]
    if not local:
        state.session_search_path = path
    elif not state.in_transaction:
        return True  # PostgreSQL: "SET LOCAL can only be used in transaction blocks"
    state.search_path = path
    return True


def _warning(location: Location, code: str, message: str, statement: str) -> Diagnostic:
    return Diagnostic(location, code, message, Severity.WARNING, statement)
