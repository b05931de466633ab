"""The rules for PostgreSQL migrations that lock or rewrite a table that already holds rows.

Each judges one statement (``erdgen.rules.pg_statements``) against the table as it was
just before it, and only on a table that existed before the migration: a table created in
the same migration is empty and nobody else uses it yet. The locks are PostgreSQL's
("Explicit Locking", 13.3; "CREATE INDEX", Building Indexes Concurrently; "ALTER TABLE",
Notes). Warnings all: a small table, or a maintenance window, makes each harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from erdgen.dialects.postgres.cursor import Cursor
from erdgen.dialects.postgres.split import split
from erdgen.dialects.postgres.tokens import Token
from erdgen.errors import Severity
from erdgen.model import Column, History, Index, Migration
from erdgen.rules.migration_rules import sqlite_not_null_without_default
from erdgen.rules.pg_rewrite import Verdict, rewrite_verdict
from erdgen.rules.pg_statements import TableStatement, Walk, walk
from erdgen.rules.registry import Report, Subject, project_rule

W = Severity.WARNING
POSTGRES = ("postgres",)


def _statements(subject: Subject) -> list[TableStatement]:
    """The walk, once per run: three rules read it, and placing schema problems made it
    already when there were any (``erdgen.rules.lint``)."""
    if "pg-walk" not in subject.memo:
        subject.memo["pg-walk"] = walk(subject.history)
    found: Walk = subject.memo["pg-walk"]
    return found.statements


@project_rule(
    "index-without-concurrently", W,
    "CREATE INDEX without CONCURRENTLY on a table that existed before the migration",
    dialects=POSTGRES,
)  # fmt: skip
def index_without_concurrently(subject: Subject) -> Iterator[Report]:
    """A plain ``CREATE INDEX`` holds a SHARE lock on the table until the index is built:
    every INSERT, UPDATE and DELETE waits ("CREATE INDEX", Building Indexes Concurrently).
    A partitioned parent cannot be indexed concurrently, so it is left out. The other half
    of the advice: ``CREATE INDEX CONCURRENTLY`` where the tool runs a transaction fails
    ("cannot run inside a transaction block")."""
    layout = subject.history.layout
    for found in _statements(subject):
        if found.verb != "create index":
            continue
        for index in _new_indexes(found):
            table, migration = found.before.name, found.migration
            if index.concurrently:
                inside = _inside_a_transaction(layout, found)
                if inside:
                    fix = "move it after COMMIT" if found.in_block else _how(layout, migration)
                    yield Report(
                        found.location,
                        f"CREATE INDEX CONCURRENTLY {index.name} fails here: {inside}, and "
                        f"PostgreSQL refuses CONCURRENTLY inside a transaction block; {fix}",
                    )
                continue
            if found.existed and not found.partitioned:
                yield Report(found.location, _lock_message(index, table, layout, found))


def _lock_message(index: Index, table: str, layout: str, found: TableStatement) -> str:
    if found.in_block:
        how = " after the file's own BEGIN ... COMMIT (it cannot run inside one)"
    elif found.migration.transactional:
        how = " and " + _how(layout, found.migration)
    else:
        how = ", which this migration may use: it runs outside a transaction"
    return (
        f"CREATE INDEX {index.name} on {table} without CONCURRENTLY: PostgreSQL blocks every "
        f"INSERT, UPDATE and DELETE on {table} until the index is built; write CREATE INDEX "
        f"CONCURRENTLY{how}"
    )


def _new_indexes(found: TableStatement) -> list[Index]:
    if found.after is None:
        return []
    had = {index.name for index in found.before.indexes}
    return [i for i in found.after.indexes if i.origin == "c" and i.name not in had]


# The tools that run each migration in a transaction unless it opts out (LAYOUTS.md, "tx
# opt-out"); drizzle runs all pending ones in one.
_WRAPPING = frozenset(
    {"diesel", "goose", "sqlx", "dbmate", "flyway", "atlas", "liquibase", "yoyo", "refinery",
     "drizzle", "drizzle-v1"}
)  # fmt: skip
# The tools that send a file to PostgreSQL as one command: several statements in one
# simple query run as one implicit transaction ("Multiple Statements in a Simple Query").
_ONE_COMMAND = frozenset({"golang-migrate", "prisma"})


def _inside_a_transaction(layout: str, found: TableStatement) -> str:
    """Why the statement runs inside a transaction, in words; empty when it does not."""
    migration = found.migration
    if found.in_block:
        return "it stands inside the file's own BEGIN ... COMMIT"
    if migration.transactional and layout in _WRAPPING:
        return f"{layout} runs this migration in a transaction"
    if layout in _ONE_COMMAND and len(split(migration.sql, migration.path).statements) > 1:
        return f"{layout} sends the file's statements as one command, one transaction"
    return ""


def _how(layout: str, migration: Migration) -> str:
    """How the folder's tool runs a migration outside a transaction, which CONCURRENTLY
    needs ("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"); the ways are
    the tools' own (../shared/LAYOUTS.md, "tx opt-out")."""
    file = Path(migration.path).name
    ways = {
        "diesel": f"set `run_in_transaction = false` in {Path(migration.path).parent.name}"
        "/metadata.toml so that diesel runs the migration outside a transaction",
        "goose": "add `-- +goose NO TRANSACTION` to the file so that goose runs it outside a "
        "transaction",
        "sqlx": "start the file with `-- no-transaction` so that sqlx runs it outside a "
        "transaction",
        "dbmate": "write `-- migrate:up transaction:false` so that dbmate runs it outside a "
        "transaction",
        "flyway": f"set `executeInTransaction=false` in {file}.conf so that Flyway runs it "
        "outside a transaction",
        "atlas": "start the file with `-- atlas:txmode none` so that Atlas runs it outside a "
        "transaction",
        "liquibase": "give the changeset `runInTransaction:false`",
        "yoyo": "start the file with `-- transactional: false`",
        "golang-migrate": "put it alone in a migration of its own: golang-migrate sends a file "
        "as one command, which PostgreSQL runs as one transaction",
        "prisma": "put it alone in a migration of its own: Prisma sends a migration as one "
        "script, which PostgreSQL runs as one transaction",
        "sqitch": "keep it out of the script's own BEGIN/COMMIT (sqitch does not wrap it)",
        "drizzle": "build the index outside drizzle's migrator, which runs all pending "
        "migrations in one transaction and has no way out of it",
    }
    return ways.get(
        layout, "run it in a migration outside a transaction (CONCURRENTLY cannot run in one)"
    )


@project_rule(
    "not-null-column-without-default", W,
    "ADD COLUMN ... NOT NULL without a DEFAULT on a table that existed before the migration",
)  # fmt: skip
def not_null_column_without_default(subject: Subject) -> Iterator[Report]:
    """PostgreSQL fills a new column with its default, NULL without one; NOT NULL then
    fails on the first row ("column ... contains null values"), so the migration works on
    an empty development database and fails in production. SQLite and libSQL refuse the
    statement itself on a table with a row (``migration_rules``)."""
    if subject.history.dialect != "postgres":
        yield from sqlite_not_null_without_default(subject)
        return
    for found in _statements(subject):
        if found.verb != "alter table" or not found.existed or found.after is None:
            continue
        for name in _added_columns(found):
            column = found.after.column(name)
            if found.before.column(name) is None and column and _needs_a_value(column):
                table = found.before.name
                yield Report(
                    found.location,
                    f"ADD COLUMN {column.name} {column.type} NOT NULL without a DEFAULT fails "
                    f"as soon as {table} has a row (the new column is NULL in every existing "
                    "row): add a DEFAULT, or add the column without NOT NULL, fill it, then "
                    "SET NOT NULL",
                )


def _added_columns(found: TableStatement) -> Iterator[str]:
    """The columns of ``ADD [COLUMN] [IF NOT EXISTS] c ...`` actions (not ADD CONSTRAINT)."""
    for action in found.actions():
        cursor = Cursor(action)
        if not cursor.accept("add"):
            continue
        head = cursor.peek()
        if head is None or head.is_(*_CONSTRAINT_WORDS):
            continue
        cursor.accept("column")
        cursor.accept("if", "not", "exists")
        name = cursor.peek()
        if name is not None and name.kind in ("word", "quoted"):
            yield name.value


_CONSTRAINT_WORDS = ("constraint", "primary", "unique", "check", "foreign", "exclude")


def _needs_a_value(column: Column) -> bool:
    """NOT NULL (or part of a primary key) with nothing that fills existing rows: no
    default, no identity, not generated (serial columns have their nextval default)."""
    required = column.not_null or column.primary_key > 0
    filled = column.default is not None or column.identity is not None
    return required and not filled and column.generated is None


@project_rule(
    "column-type-change-rewrites-table", W,
    "ALTER COLUMN ... TYPE rewrites a table that existed before the migration",
    dialects=POSTGRES,
)  # fmt: skip
def column_type_change_rewrites_table(subject: Subject) -> Iterator[Report]:
    """``ALTER COLUMN ... TYPE`` rewrites the table and rebuilds its indexes under an
    ACCESS EXCLUSIVE lock unless the change is binary coercible ("ALTER TABLE", Notes);
    ``erdgen.rules.pg_rewrite`` has PostgreSQL's rules."""
    enums = _enum_names(subject.history)
    for found in _statements(subject):
        if found.verb != "alter table" or not found.existed or found.after is None:
            continue
        for name, using in _type_changes(found):
            old, new = found.before.column(name), found.after.column(name)
            if old is None or new is None:
                continue
            if rewrite_verdict(old.type, new.type, enums, using) is not Verdict.REWRITE:
                continue
            table = found.before.name
            change = f"from {old.type} to {new.type}" + (f" USING {using}" if using else "")
            yield Report(
                found.location,
                f"ALTER COLUMN {name} TYPE {new.type} ({change}) rewrites all of {table} and "
                "its indexes while holding an ACCESS EXCLUSIVE lock: nothing reads or writes "
                f"{table} until it is done; add a new column, fill it in batches and switch "
                "over, or run it when the table is small or the application is down",
            )


def _enum_names(history: History) -> frozenset[str]:
    """Enum names as format_type prints them: bare, quoted and schema-qualified forms."""
    names: set[str] = set()
    for step in history.steps:
        for enum in step.schema.enums:
            bare = enum.name.rsplit(".", 1)[-1]
            names |= {enum.name, bare, f'"{bare}"'}
    return frozenset(names)


def _type_changes(found: TableStatement) -> Iterator[tuple[str, str | None]]:
    """``ALTER [COLUMN] c [SET DATA] TYPE t [COLLATE x] [USING e]``: the column and the
    USING expression, None where it is the column itself (``USING c``, ``USING c::t``)."""
    for action in found.actions():
        cursor = Cursor(action)
        if not cursor.accept("alter"):
            continue
        cursor.accept("column")
        if cursor.done:
            continue
        column = cursor.next()
        cursor.accept("set", "data")
        if column.kind not in ("word", "quoted") or not cursor.accept("type"):
            continue
        using = next((i for i, t in enumerate(action) if t.is_("using")), None)
        if using is None:
            yield column.value, None
            continue
        expression = action[using + 1 :]
        plain = _is_the_column(expression, column.value)
        yield column.value, None if plain else found.written(expression)


def _is_the_column(expression: list[Token], column: str) -> bool:
    tokens = list(expression)
    while len(tokens) > 2 and tokens[0].text == "(" and tokens[-1].text == ")":
        tokens = tokens[1:-1]
    if not tokens or tokens[0].kind not in ("word", "quoted") or tokens[0].value != column:
        return False
    return len(tokens) == 1 or tokens[1].text == "::"
