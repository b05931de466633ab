"""SQLite as the judge: replay migrations in ``sqlite3`` and compare its schema with the model.

Everything here asks SQLite itself (``sqlite_schema`` and the schema PRAGMAs) and
deliberately shares no code with the parser, so that a mistake in the parser cannot
hide behind the same mistake in its check.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from erdgen.dialects.sqlite.split import scan
from erdgen.errors import Diagnostic, Location, MigrationError, Severity
from erdgen.model import (
    Column,
    ForeignKey,
    Hidden,
    History,
    Index,
    IndexColumn,
    IndexOrigin,
    Migration,
    Schema,
    Table,
    Transaction,
    Trigger,
    View,
)

# --- SQL text: a tiny lexer, enough to split statements and normalise SQL text ----------

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<quoted>'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?)
    | (?P<word>[^\s'"`\[\]();,/-]+)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_TIGHT = frozenset("(),;")  # no space is needed around these when comparing SQL text


def _tokens(sql: str) -> Iterator[re.Match[str]]:
    return _TOKEN.finditer(sql)


_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def normalise_sql(sql: str) -> str:
    """SQL text with comments dropped, whitespace collapsed and a final ``;`` removed.

    Two statements that differ only in layout normalise to the same text. Strings are kept
    exactly; a quoted identifier that needs no quotes loses them, because SQLite quotes
    the names it rewrites (``ALTER TABLE ... RENAME`` turns ``FROM t`` into ``FROM "u"``).
    """
    parts: list[str] = []
    pending_space = False
    for token in _tokens(sql):
        kind = token.lastgroup
        if kind in ("space", "comment"):
            pending_space = True
            continue
        text = _unquoted(token.group()) if kind == "quoted" else token.group()
        if pending_space and parts and text not in _TIGHT and parts[-1] not in _TIGHT:
            parts.append(" ")
        parts.append(text)
        pending_space = False
    return "".join(parts).rstrip(";").rstrip()


def _unquoted(token: str) -> str:
    if token[0] in '"`[' and _PLAIN_IDENTIFIER.fullmatch(token[1:-1]):
        return token[1:-1]
    return token


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a migration file and where it starts."""

    sql: str
    location: Location


def split_statements(migration: Migration) -> Iterator[Statement]:
    """The statements of a file, split the way SQLite splits a script (see lexer.py)."""
    for raw in scan(migration.sql).statements:
        yield Statement(raw.text, Location(migration.path, raw.line, raw.column))


# --- reading SQLite's own view of a schema -----------------------------------------------

_HIDDEN = {0: Hidden.NORMAL, 2: Hidden.VIRTUAL, 3: Hidden.STORED}
_VIRTUAL_TABLE_HIDDEN = 1  # hidden columns of virtual tables (fts5's rank): not user columns


def read_schema(conn: sqlite3.Connection) -> Schema:
    """SQLite's own view of the ``main`` database as a Schema, in ``sqlite_schema`` order.

    Internal ``sqlite_*`` tables and virtual-table shadow tables are left out. SQLite does
    not report everything the model knows (descriptions, CHECKs, column collations,
    constraint names), so those fields keep their defaults; an index column's
    ``collation`` is the effective collation SQLite reports (``BINARY`` when none).
    """
    kinds = {
        name: (kind, bool(wr), bool(strict))
        for name, kind, wr, strict in conn.execute(
            "SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'"
        )
    }
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid")
    tables: list[Table] = []
    views: list[View] = []
    triggers: list[Trigger] = []
    for kind, name, table_name, sql in rows.fetchall():
        if name.lower().startswith("sqlite_"):
            continue
        if kind == "table" and kinds.get(name, ("table",))[0] in ("table", "virtual"):
            _, without_rowid, strict = kinds.get(name, ("table", False, False))
            tables.append(_read_table(conn, name, sql or "", without_rowid, strict))
        elif kind == "view":
            views.append(View(name=name, sql=sql or ""))
        elif kind == "trigger":
            triggers.append(Trigger(name=name, table=table_name, sql=sql or ""))
    return Schema(tables=tuple(tables), views=tuple(views), triggers=tuple(triggers))


def _read_table(
    conn: sqlite3.Connection, name: str, sql: str, without_rowid: bool, strict: bool
) -> Table:
    return Table(
        name=name,
        columns=_read_columns(conn, name),
        foreign_keys=_read_foreign_keys(conn, name),
        indexes=_read_indexes(conn, name),
        without_rowid=without_rowid,
        strict=strict,
        sql=sql,
    )


def _read_columns(conn: sqlite3.Connection, table: str) -> tuple[Column, ...]:
    rows = conn.execute(
        'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) '
        "ORDER BY cid",
        (table,),
    )
    return tuple(
        Column(
            name=name,
            type=type_,
            not_null=bool(not_null),
            default=default,
            primary_key=pk,
            hidden=_HIDDEN[hidden],
        )
        for name, type_, not_null, default, pk, hidden in rows
        if hidden != _VIRTUAL_TABLE_HIDDEN
    )


def _read_foreign_keys(conn: sqlite3.Connection, table: str) -> tuple[ForeignKey, ...]:
    rows = conn.execute(
        'SELECT id, "table", "from", "to", on_update, on_delete, match '
        "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        (table,),
    ).fetchall()
    grouped: dict[int, list[tuple[str, str, str | None, str, str, str]]] = {}
    for key_id, ref_table, column, ref_column, on_update, on_delete, match in rows:
        grouped.setdefault(key_id, []).append(
            (ref_table, column, ref_column, on_update, on_delete, match)
        )
    # SQLite numbers foreign keys in reverse declaration order.
    return tuple(_foreign_key(grouped[key_id]) for key_id in sorted(grouped, reverse=True))


def _foreign_key(parts: list[tuple[str, str, str | None, str, str, str]]) -> ForeignKey:
    ref_table, _, _, on_update, on_delete, match = parts[0]
    ref_columns = tuple(part[2] for part in parts if part[2] is not None)
    return ForeignKey(
        columns=tuple(part[1] for part in parts),
        ref_table=ref_table,
        ref_columns=ref_columns,
        on_delete=on_delete,
        on_update=on_update,
        match=match,
    )


def _read_indexes(conn: sqlite3.Connection, table: str) -> tuple[Index, ...]:
    listed = conn.execute(
        'SELECT name, "unique", origin FROM pragma_index_list(?)', (table,)
    ).fetchall()
    statements = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?", (table,)
        ).fetchall()
    )
    indexes = [
        _read_index(conn, table, name, bool(unique), origin, statements.get(name))
        for name, unique, origin in listed
    ]
    return tuple(sorted(indexes, key=_creation_order(conn)))


def _creation_order(conn: sqlite3.Connection) -> _IndexOrder:
    rowids = dict(conn.execute("SELECT name, rowid FROM sqlite_schema WHERE type = 'index'"))
    return _IndexOrder(rowids)


@dataclass(frozen=True, slots=True)
class _IndexOrder:
    """Constraint indexes (created with the table) by their number, then by rowid."""

    rowids: dict[str, int]

    def __call__(self, index: Index) -> tuple[int, int]:
        if index.origin != "c":
            number = index.name.rsplit("_", 1)[-1]
            return (0, int(number) if number.isdigit() else 0)
        return (1, self.rowids.get(index.name, 0))


def _read_index(
    conn: sqlite3.Connection,
    table: str,
    name: str,
    unique: bool,
    origin: IndexOrigin,
    sql: str | None,
) -> Index:
    keys = conn.execute(
        'SELECT cid, name, "desc", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
        (name,),
    ).fetchall()
    parts = index_parts(sql) if sql else None
    expressions = parts.keys if parts else ()
    columns = tuple(
        IndexColumn(
            name=column if cid != -2 else None,
            expression=_key_expression(expressions, position) if cid == -2 else None,
            descending=bool(desc),
            collation=collation,
        )
        for position, (cid, column, desc, collation) in enumerate(keys)
    )
    where = parts.where if parts else None
    return Index(name, table, columns, unique=unique, origin=origin, where=where, sql=sql)


def _key_expression(expressions: tuple[str, ...], position: int) -> str:
    return expressions[position] if position < len(expressions) else ""


@dataclass(frozen=True, slots=True)
class IndexParts:
    """The key expressions and the WHERE condition of a CREATE INDEX statement."""

    keys: tuple[str, ...]  # each key as written, without COLLATE / ASC / DESC
    where: str | None


_SEPARATOR = r"""(?:\s+|(?<=[)\]"`']))"""  # space, or none after a closing bracket/quote
_COLLATION_NAME = r"""(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|'(?:[^']|'')*'|\w+)"""
_KEY_SUFFIX = re.compile(
    rf"(?:{_SEPARATOR}COLLATE\s+{_COLLATION_NAME})?(?:{_SEPARATOR}(?:ASC|DESC))?\s*$",
    re.IGNORECASE,
)


def index_parts(sql: str) -> IndexParts:
    """Split ``CREATE INDEX name ON table (key, ...) [WHERE cond]`` into keys and condition."""
    depth, key_start = 0, -1
    keys: list[str] = []
    for token in _tokens(sql):
        text = token.group()
        if text == "(":
            depth += 1
            key_start = token.end() if depth == 1 else key_start
        elif text == ")":
            depth -= 1
            if depth == 0:
                keys.append(_index_key(sql[key_start : token.start()]))
                return IndexParts(tuple(keys), _where(sql[token.end() :]))
        elif text == "," and depth == 1:
            keys.append(_index_key(sql[key_start : token.start()]))
            key_start = token.end()
    return IndexParts((), None)


def _index_key(text: str) -> str:
    return _KEY_SUFFIX.sub("", normalise_sql(text))


def _where(text: str) -> str | None:
    rest = normalise_sql(text)
    if rest[:5].upper() != "WHERE":
        return None
    return rest[5:].strip() or None


# --- comparing the model with SQLite -------------------------------------------------------

Value = str | int | bool | None | tuple[str, ...]
ObjectKind = Literal["table", "view", "trigger"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One way in which the model and SQLite disagree about one object."""

    kind: ObjectKind
    name: str
    field: str  # e.g. "column email: not_null", "index idx_a: where", "exists"
    model: Value
    sqlite: Value

    def __str__(self) -> str:
        if self.field.endswith("exists"):
            where = "only in SQLite, not in the model" if self.sqlite else "only in the model"
            return f"{self.kind} {self.name}: {self.field[: -len('exists')]}{where}"
        return (
            f"{self.kind} {self.name}: {self.field}: "
            f"model {_show(self.model)}, sqlite {_show(self.sqlite)}"
        )


def _show(value: Value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(value) + ")"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def compare(model: Schema, actual: Schema) -> tuple[Difference, ...]:
    """Every difference between the model and SQLite's schema (empty when they agree).

    Descriptions, CHECKs and the ``sql`` text of tables are not compared (SQLite reports
    no CHECKs and rewrites table SQL); views and triggers are compared by their SQL,
    normalised for layout and comments.
    """
    return (
        *_compare_tables(model, actual),
        *_compare_views(model, actual),
        *_compare_triggers(model, actual),
    )


def _compare_tables(model: Schema, actual: Schema) -> Iterator[Difference]:
    for table in model.tables:
        if actual.table(table.name) is None:
            yield Difference("table", table.name, "exists", True, False)
    for real in actual.tables:
        mine = model.table(real.name)
        if mine is None:
            yield Difference("table", real.name, "exists", False, True)
        else:
            yield from _compare_table(mine, real)


def _compare_table(model: Table, actual: Table) -> Iterator[Difference]:
    def differ(field: str, mine: Value, theirs: Value) -> Iterator[Difference]:
        if mine != theirs:
            yield Difference("table", actual.name, field, mine, theirs)

    yield from differ("name", model.name, actual.name)
    yield from differ("without_rowid", model.without_rowid, actual.without_rowid)
    yield from differ("strict", model.strict, actual.strict)
    for field, mine, theirs in _column_fields(model, actual):
        yield from differ(field, mine, theirs)
    for field, mine, theirs in _foreign_key_fields(model, actual):
        yield from differ(field, mine, theirs)
    for field, mine, theirs in _index_fields(model, actual):
        yield from differ(field, mine, theirs)


Compared = Iterator[tuple[str, Value, Value]]


def _column_fields(model: Table, actual: Table) -> Compared:
    yield "columns", _names(model.columns), _names(actual.columns)
    for real in actual.columns:
        mine = model.column(real.name)
        if mine is None:
            continue
        prefix = f"column {real.name}: "
        yield prefix + "name", mine.name, real.name
        yield prefix + "type", mine.type, real.type
        yield prefix + "not_null", mine.not_null, real.not_null
        yield prefix + "default", mine.default, real.default
        yield prefix + "primary_key", mine.primary_key, real.primary_key
        yield prefix + "hidden", str(mine.hidden), str(real.hidden)


def _names(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


def _foreign_key_fields(model: Table, actual: Table) -> Compared:
    labels = _key_labels(model.foreign_keys), _key_labels(actual.foreign_keys)
    yield "foreign keys", *labels
    if labels[0] != labels[1]:
        return  # pairing the keys up would only repeat the difference
    for mine, real in zip(model.foreign_keys, actual.foreign_keys, strict=True):
        prefix = f"foreign key ({', '.join(real.columns)}) -> {real.ref_table}: "
        yield prefix + "ref_columns", _lower(mine.ref_columns), _lower(real.ref_columns)
        yield prefix + "on_delete", mine.on_delete, real.on_delete
        yield prefix + "on_update", mine.on_update, real.on_update
        yield prefix + "match", mine.match, real.match


def _key_labels(keys: Sequence[ForeignKey]) -> tuple[str, ...]:
    return tuple(f"({', '.join(key.columns)}) -> {key.ref_table}".lower() for key in keys)


def _lower(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name.lower() for name in names)


def _index_fields(model: Table, actual: Table) -> Compared:
    for index in model.indexes:
        if actual.index(index.name) is None:
            yield f"index {index.name}: exists", True, False
    for real in actual.indexes:
        mine = model.index(real.name)
        if mine is None:
            yield f"index {real.name}: exists", False, True
            continue
        prefix = f"index {real.name}: "
        yield prefix + "columns", _index_labels(mine), _index_labels(real)
        yield prefix + "descending", _descending(mine), _descending(real)
        yield prefix + "unique", mine.unique, real.unique
        yield prefix + "origin", mine.origin, real.origin
        yield prefix + "where", _optional_sql(mine.where), _optional_sql(real.where)
        for position, (key, real_key) in enumerate(zip(mine.columns, real.columns, strict=False)):
            collation = _model_collation(model, key)
            if collation is not None and real_key.collation is not None:
                yield (
                    f"{prefix}key {position + 1} ({real_key.label}): collation",
                    collation.upper(),
                    real_key.collation.upper(),
                )


def _index_labels(index: Index) -> tuple[str, ...]:
    return tuple(
        key.name.lower() if key.name is not None else normalise_sql(key.expression or "")
        for key in index.columns
    )


def _descending(index: Index) -> tuple[str, ...]:
    return tuple("DESC" if key.descending else "ASC" for key in index.columns)


def _optional_sql(sql: str | None) -> str | None:
    return normalise_sql(sql) if sql is not None else None


def _model_collation(table: Table, key: IndexColumn) -> str | None:
    """The collation the model implies for an index key, or None when it cannot say.

    Explicit COLLATE in the index, else the column's collation, else BINARY; for an
    expression without COLLATE the collation depends on the expression, so no claim.
    """
    if key.collation is not None:
        return key.collation
    if key.name is None:
        return None
    column = table.column(key.name)
    if column is None:
        return None
    return column.collation or "BINARY"


_CREATE_PREFIX = re.compile(
    r"^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(VIEW|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?",
    re.IGNORECASE,
)


def definition(sql: str) -> str:
    """A view's or trigger's SQL as SQLite keeps it, normalised for comparison.

    SQLite stores ``CREATE VIEW`` / ``CREATE TRIGGER`` followed by the text from the
    name on (``IF NOT EXISTS`` and the keywords' spelling are not kept).
    """
    match = _CREATE_PREFIX.match(sql)
    if match is None:
        return normalise_sql(sql)
    return f"CREATE {match.group(1).upper()} " + normalise_sql(sql[match.end() :])


def _compare_views(model: Schema, actual: Schema) -> Iterator[Difference]:
    return _compare_named("view", model.views, actual.views, model.view, _view_fields)


def _compare_triggers(model: Schema, actual: Schema) -> Iterator[Difference]:
    return _compare_named(
        "trigger", model.triggers, actual.triggers, model.trigger, _trigger_fields
    )


def _view_fields(mine: View, real: View) -> _Fields:
    return (("name", mine.name, real.name), ("sql", definition(mine.sql), definition(real.sql)))


def _trigger_fields(mine: Trigger, real: Trigger) -> _Fields:
    return (
        ("name", mine.name, real.name),
        ("table", mine.table.lower(), real.table.lower()),
        ("sql", definition(mine.sql), definition(real.sql)),
    )


_Named = TypeVar("_Named", View, Trigger)
_Fields = tuple[tuple[str, Value, Value], ...]  # (field, the model's value, SQLite's)


def _compare_named(
    kind: Literal["view", "trigger"],
    model: Sequence[_Named],
    actual: Sequence[_Named],
    lookup: Callable[[str], _Named | None],
    fields: Callable[[_Named, _Named], _Fields],
) -> Iterator[Difference]:
    """Views and triggers: which exist on one side only, and which fields differ."""
    for name in _only_in(model, actual):
        yield Difference(kind, name, "exists", True, False)
    for real in actual:
        mine = lookup(real.name)
        if mine is None:
            yield Difference(kind, real.name, "exists", False, True)
            continue
        for field, mine_value, real_value in fields(mine, real):
            if mine_value != real_value:
                yield Difference(kind, real.name, field, mine_value, real_value)


def _only_in(model: Sequence[View | Trigger], actual: Sequence[View | Trigger]) -> Iterator[str]:
    names = {item.name.lower() for item in actual}
    return (item.name for item in model if item.name.lower() not in names)


# --- replaying migrations ----------------------------------------------------------------

_NO_SUCH_FUNCTION = re.compile(r"^no such function: (\w+)$")


def replay(migrations: Sequence[Migration]) -> Iterator[tuple[Migration, Schema]]:
    """Apply the migrations in order to one in-memory database; SQLite's schema after each.

    SQL that SQLite rejects raises MigrationError at the failing statement. A function
    the application registers on its own connection (``no such function``) gets a
    stand-in that returns its first argument, so that such folders replay.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration, _ in applied_in_order(conn, migrations):
            yield migration, read_schema(conn)
    finally:
        conn.close()


def applied_in_order(
    conn: sqlite3.Connection, migrations: Sequence[Migration]
) -> Iterator[tuple[Migration, bool]]:
    """Apply each migration the way its tool does; yields it and ``apply_migration``'s flag.

    Migrations that share one transaction (drizzle runs every pending file in one) run
    statement by statement between one BEGIN and one COMMIT: a file may commit that
    transaction and open a new one itself (homarr's files switch foreign keys so).
    Without a transaction (goose NO TRANSACTION, sqlx -- no-transaction) each statement
    commits on its own.
    """
    for position, migration in enumerate(migrations):
        if migration.transaction is Transaction.FILE:
            yield migration, apply_migration(conn, migration)
            continue
        shared = migration.transaction is Transaction.SHARED
        if shared and not conn.in_transaction and _opens_group(migrations, position):
            conn.execute("BEGIN")
        statements = list(split_statements(migration))
        for statement in statements:
            _execute(conn, statement)
        if shared and conn.in_transaction and _closes_group(migrations, position):
            conn.execute("COMMIT")
        yield migration, not any(_CONNECTION_STATE.match(s.sql) for s in statements)


def _opens_group(migrations: Sequence[Migration], position: int) -> bool:
    return position == 0 or migrations[position - 1].transaction is not Transaction.SHARED


def _closes_group(migrations: Sequence[Migration], position: int) -> bool:
    last = position + 1 == len(migrations)
    return last or migrations[position + 1].transaction is not Transaction.SHARED


def replay_final(migrations: Sequence[Migration], snapshots: Path | None = None) -> Schema:
    """SQLite's schema after all the migrations (like ``replay``, read once at the end).

    With a ``snapshots`` folder the database after the last replay is kept there, and a
    later replay starts from the longest kept prefix of the same files (one new migration
    then costs one file, not the whole folder). A snapshot is only taken when no
    migration changed the connection's own state (a PRAGMA other than
    ``defer_foreign_keys``, ATTACH), which a snapshot would not carry.
    """
    keys = _prefix_keys(migrations)
    conn, start = _restored(snapshots, keys)
    try:
        portable = True
        for _, kept in applied_in_order(conn, migrations[start:]):
            portable = kept and portable
        if snapshots is not None and portable and start < len(migrations):
            _keep(conn, snapshots, keys[-1])
        return read_schema(conn)
    finally:
        conn.close()


_SNAPSHOT_SUFFIX = ".sqlite"
_SNAPSHOTS_KEPT = 3  # the last few: a migration added and removed again finds its state


def _prefix_keys(migrations: Sequence[Migration]) -> list[str]:
    """One key per prefix: the files so far (name and text), SQLite's version."""
    digest = hashlib.sha256(f"erdgen snapshot 1\0{sqlite3.sqlite_version}".encode())
    keys = []
    for migration in migrations:
        digest.update(f"\0{migration.path}\0{len(migration.sql)}\0{migration.sql}".encode())
        keys.append(digest.copy().hexdigest())
    return keys


def _restored(folder: Path | None, keys: list[str]) -> tuple[sqlite3.Connection, int]:
    """A database with the kept state of the longest prefix, and how many migrations that
    covers; an empty one (0) when nothing usable is kept."""
    position = {key: index for index, key in enumerate(keys)}
    kept = [position[p.stem] for p in _snapshots(folder) if p.stem in position]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    if folder is None or not kept:
        return conn, 0
    path = folder / f"{keys[max(kept)]}{_SNAPSHOT_SUFFIX}"
    try:
        conn.deserialize(path.read_bytes())
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except (OSError, sqlite3.Error):  # damaged: replay everything
        conn.close()
        path.unlink(missing_ok=True)
        return sqlite3.connect(":memory:", isolation_level=None), 0
    return conn, max(kept) + 1


def _keep(conn: sqlite3.Connection, folder: Path, key: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key}{_SNAPSHOT_SUFFIX}"
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(conn.serialize())
    temporary.replace(target)
    older = sorted(_snapshots(folder), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for path in older[_SNAPSHOTS_KEPT:]:
        path.unlink(missing_ok=True)


def _snapshots(folder: Path | None) -> list[Path]:
    return list(folder.glob(f"*{_SNAPSHOT_SUFFIX}")) if folder and folder.is_dir() else []


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> bool:
    """Run one migration file: as one script in one transaction when it can be.

    True when the file left no state in the connection itself (see ``replay_final``).

    A script in a transaction takes half the time of statements in autocommit (every
    statement otherwise commits). On any error the transaction is rolled back and the
    file runs statement by statement, which names the failing statement and registers
    missing functions. Files that steer transactions or foreign keys themselves always
    run statement by statement, as they would in the application.
    """
    statements = list(split_statements(migration))
    portable = not any(_CONNECTION_STATE.match(statement.sql) for statement in statements)
    if not any(_controls_transactions(statement.sql) for statement in statements):
        try:
            conn.executescript(f"BEGIN;\n{migration.sql}\n;COMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:  # run it again below, statement by statement
                conn.execute("ROLLBACK")
        else:
            if conn.in_transaction:  # an unclosed /* comment swallowed the COMMIT
                conn.execute("COMMIT")
            return portable
    for statement in statements:
        _execute(conn, statement)
    return portable


_CONNECTION_STATE = re.compile(
    r"(?:PRAGMA\s+(?!(?:\w+\s*\.\s*)?defer_foreign_keys\b)|ATTACH\b|DETACH\b)", re.IGNORECASE
)


_TRANSACTION_CONTROL = re.compile(
    r"(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM"
    r"|PRAGMA\s+(?:\w+\s*\.\s*)?foreign_keys)\b",
    re.IGNORECASE,
)


def _controls_transactions(sql: str) -> bool:
    """Statements that behave differently (or fail) inside the transaction around a script."""
    return _TRANSACTION_CONTROL.match(sql) is not None


def _execute(conn: sqlite3.Connection, statement: Statement) -> None:
    execute_statement(conn, statement.sql, statement.location)


_NEAR = re.compile(r'near "(.*)": syntax error')


def execute_statement(conn: sqlite3.Connection, sql: str, location: Location) -> None:
    """Execute one statement; where SQLite refuses it, raise MigrationError in its words.

    A function the application registers on its own connection (``no such function``)
    gets a stand-in that returns its first argument, and the statement runs again.
    """
    while True:
        try:
            conn.execute(sql)
            return
        except sqlite3.Warning:  # more than one statement: only a script runs them
            conn.executescript(sql)
            return
        except sqlite3.Error as error:
            missing = _NO_SUCH_FUNCTION.match(str(error))
            if missing is None:
                raise rejected(sql, location, str(error)) from None
            conn.create_function(missing.group(1), -1, _stand_in)


def rejected(sql: str, location: Location, message: str) -> MigrationError:
    """SQLite's refusal as an error, placed at the token SQLite names when it names one."""
    near = _NEAR.search(message)
    offset = sql.find(near[1]) if near and near[1] else -1
    if offset > 0:
        line = location.line + sql.count("\n", 0, offset)
        column = offset - (sql.rfind("\n", 0, offset) + 1) + 1
        if line == location.line:
            column += location.column - 1
        location = Location(location.path, line, column)
    return MigrationError(f"SQLite rejects this statement: {message}", location, sql)


SqliteValue = str | bytes | int | float | None


def _stand_in(*arguments: SqliteValue) -> SqliteValue:
    return arguments[0] if arguments else None


# --- verify: the model against SQLite after every migration -------------------------------


@dataclass(frozen=True, slots=True)
class MigrationCheck:
    """The differences found after one migration (empty when model and SQLite agree)."""

    migration: Migration
    differences: tuple[Difference, ...]

    def lines(self) -> Iterator[str]:
        for difference in self.differences:
            yield f"{self.migration.shown} {self.migration.name}: {difference}"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    checks: tuple[MigrationCheck, ...]
    schema: Schema  # SQLite's schema after the last migration

    @property
    def agrees(self) -> bool:
        return not any(check.differences for check in self.checks)

    def lines(self) -> Iterator[str]:
        """Each difference as ``0009 update_ai_jobs: table ai_jobs: ...``."""
        for check in self.checks:
            yield from check.lines()

    def summary(self) -> str:
        migrations, tables = len(self.checks), len(self.schema.tables)
        found = sum(len(check.differences) for check in self.checks)
        if not found:
            return f"{migrations} migrations, {tables} tables: the model agrees with SQLite"
        noun = "difference" if found == 1 else "differences"
        return f"{migrations} migrations, {tables} tables: {found} {noun} with SQLite"

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The differences as warnings at their migration, for ``build`` and ``export``."""
        return tuple(
            Diagnostic(
                location=Location(check.migration.path),
                code="model-differs-from-sqlite",
                message=f"the model differs from SQLite: {difference}",
                severity=Severity.WARNING,
            )
            for check in self.checks
            for difference in check.differences
        )


def verify(history: History) -> VerifyReport:
    """Replay the history's migrations in SQLite and compare the model after each one."""
    checks: list[MigrationCheck] = []
    final = Schema()
    for step, (migration, actual) in zip(history.steps, replay(history.migrations), strict=True):
        checks.append(MigrationCheck(migration, compare(step.schema, actual)))
        final = actual
    return VerifyReport(tuple(checks), final)


def verify_final(history: History, snapshots: Path | None = None) -> VerifyReport:
    """Compare only the final model with SQLite's schema after one replay of every migration.

    Much cheaper than ``verify`` on long histories (one schema read instead of one per
    migration); ``build`` and ``export`` use it, ``erdgen verify`` checks every step.
    The differences are reported at the last migration.
    """
    return final_report(history, replay_final(history.migrations, snapshots))


def final_report(history: History, actual: Schema) -> VerifyReport:
    """``verify_final``'s report, for a replay of ``history.migrations`` made elsewhere."""
    if not history.migrations:
        return VerifyReport((), actual)
    last = history.migrations[-1]
    return VerifyReport((MigrationCheck(last, compare(history.schema, actual)),), actual)
