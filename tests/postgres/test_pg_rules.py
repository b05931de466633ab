"""The PostgreSQL statement rules of ``erdgen check``, judged by what PostgreSQL itself
does: whether it rewrote the table (``pg_class.relfilenode`` before and after), whether
adding a column failed on a table with one row, which lock a plain ``CREATE INDEX`` holds
and where CONCURRENTLY fails."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from folders import migrations
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pg_findings import CONCURRENTLY, NOT_NULL, PG_SETTINGS, REWRITE, findings, write

from erdgen import dialects
from erdgen.core.history import build_history, load_history
from erdgen.errors import Location
from erdgen.rules.lint import lint
from erdgen.rules.pg_rewrite import BINARY_COERCIBLE, BUILTIN, Verdict, rewrite_verdict

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


def relfilenode(pg: Connection, table: str) -> int:
    row = pg.execute("SELECT relfilenode FROM pg_class WHERE oid = %s::regclass", (table,))
    return int(row.fetchone()[0])  # type: ignore[index]


# --- column-type-change-rewrites-table ---------------------------------------------------

TYPES = (
    "integer", "bigint", "smallint", "text", "varchar(10)", "varchar(20)", "varchar",
    "char(5)", "char(10)", "numeric(10,2)", "numeric(12,2)", "numeric(10,3)", "numeric(8,2)",
    "numeric", "timestamp(3)", "timestamp(6)", "timestamp", "timestamptz(2)", "timestamptz",
    "time(2)", "time", "date", "boolean", "jsonb", "json", "uuid", "bit varying(5)",
    "bit varying(8)", "cidr", "inet", "xml", "text[]", "varchar(10)[]", "varchar[]",
    "integer[]", "bytea", "double precision", "real", "mood",
)  # fmt: skip


@PG_SETTINGS
@given(old=st.sampled_from(TYPES), new=st.sampled_from(TYPES), data=st.data())
def test_a_type_change_is_reported_exactly_when_postgresql_rewrites_the_table(
    pg: Connection, old: str, new: str, data: st.DataObject
) -> None:
    pg.execute("DROP TABLE IF EXISTS t; DROP TYPE IF EXISTS mood")
    create = f"CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (id integer, c {old});"
    pg.execute(create)
    pg.execute("INSERT INTO t VALUES (1, NULL)")
    before = relfilenode(pg, "t")
    using = data.draw(st.sampled_from(["", " USING c", f" USING c::{new}", " USING NULL"]))
    alter = f"ALTER TABLE t ALTER COLUMN c TYPE {new}{using};"
    try:
        pg.execute(alter)
    except psycopg.errors.DatatypeMismatch:
        if using:
            return  # no cast at all (uuid to integer): nothing to judge
        alter = f"ALTER TABLE t ALTER COLUMN c TYPE {new} USING c::{new};"
        try:
            pg.execute(alter)
        except psycopg.Error:
            return
    except psycopg.Error:
        return
    rewritten = relfilenode(pg, "t") != before
    event(f"rewritten={rewritten}")
    if findings(create, alter, rule=REWRITE):
        assert rewritten, f"{old} -> {alter} reported, but PostgreSQL kept the table"
    elif rewritten:
        read = build_history(migrations(create, alter), dialects.get("postgres"))
        types = [step.schema.tables[0].columns[1].type for step in read.steps]
        verdict = rewrite_verdict(*types, enums=frozenset({"mood"}))
        assert verdict is Verdict.DEPENDS, f"{old} -> {alter}: rewritten, not reported"


def test_the_binary_coercible_casts_are_postgresqls(pg: Connection) -> None:
    """The table of casts that need no rewrite is the server's own ``pg_cast`` (method b)."""
    rows = pg.execute(
        "SELECT format_type(castsource, NULL), format_type(casttarget, NULL) FROM pg_cast "
        "WHERE castmethod = 'b'"
    ).fetchall()
    builtin = {(a, b) for a, b in rows if a in BUILTIN and b in BUILTIN and a != b}
    assert builtin == BINARY_COERCIBLE


def test_a_type_change_on_a_table_of_the_same_migration_is_fine() -> None:
    create = "CREATE TABLE t (id integer, c integer);"
    assert findings(create, "ALTER TABLE t ALTER COLUMN c TYPE bigint;", rule=REWRITE)
    assert not findings(create + "ALTER TABLE t ALTER COLUMN c TYPE bigint;", rule=REWRITE)
    emptied = "TRUNCATE t; ALTER TABLE t ALTER COLUMN c TYPE bigint;"
    assert not findings(create, emptied, rule=REWRITE)


def test_the_finding_is_at_the_statement_with_its_column() -> None:
    found = findings(
        "CREATE TABLE app_t (id integer);",
        "SELECT 1;\n  ALTER TABLE app_t ALTER id TYPE text;",
        rule=REWRITE,
    )
    assert [f.location for f in found] == [Location("migrations/0001_m1.sql", 2, 3)]
    assert "from integer to text" in found[0].message


# --- not-null-column-without-default -----------------------------------------------------

COLUMN_TYPES = ("integer", "bigint", "text", "boolean", "serial", "bigserial", "uuid")
EXTRAS = (
    "", " NOT NULL", " DEFAULT 7", " DEFAULT NULL", " NOT NULL DEFAULT NULL",
    " NOT NULL DEFAULT 0", " PRIMARY KEY", " GENERATED ALWAYS AS IDENTITY",
    " GENERATED BY DEFAULT AS IDENTITY NOT NULL", " NOT NULL GENERATED ALWAYS AS (id * 2) STORED",
    " UNIQUE NOT NULL", " CHECK (true) NOT NULL",
)  # fmt: skip


@PG_SETTINGS
@given(kind=st.sampled_from(COLUMN_TYPES), extra=st.sampled_from(EXTRAS))
def test_a_new_column_is_reported_exactly_when_adding_it_fails_on_a_row(
    pg: Connection, kind: str, extra: str
) -> None:
    pg.execute("DROP TABLE IF EXISTS t")
    create = "CREATE TABLE t (id integer);"
    pg.execute(create)
    pg.execute("INSERT INTO t VALUES (1)")
    alter = f"ALTER TABLE t ADD COLUMN c {kind}{extra};"
    try:
        pg.execute(alter)
        failed = False
    except psycopg.errors.NotNullViolation:
        failed = True
    except psycopg.Error:
        return  # PostgreSQL refuses the column itself (identity on text, ...)
    reported = findings(create, alter, rule=NOT_NULL)
    assert bool(reported) == failed, f"{alter}: PostgreSQL {'failed' if failed else 'added it'}"


def test_a_new_not_null_column_is_fine_where_the_table_is_new_or_emptied() -> None:
    create = "CREATE TABLE t (id integer);"
    add = "ALTER TABLE t ADD COLUMN c text NOT NULL;"
    assert not findings(create + add, rule=NOT_NULL)
    assert not findings(create, "DELETE FROM t;\n" + add, rule=NOT_NULL)
    assert findings(create, "DELETE FROM t WHERE id > 3;\n" + add, rule=NOT_NULL)
    renamed = "ALTER TABLE t RENAME id TO key;"  # a renamed column is no new column
    assert not findings("CREATE TABLE t (id integer NOT NULL);", renamed, rule=NOT_NULL)


# --- index-without-concurrently ----------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    earlier=st.booleans(),
    concurrently=st.booleans(),
    unique=st.booleans(),
    schema=st.sampled_from(["", "app."]),
)
def test_an_index_is_reported_on_tables_that_existed_before_without_concurrently(
    earlier: bool, concurrently: bool, unique: bool, schema: str
) -> None:
    create = f"CREATE SCHEMA IF NOT EXISTS app; CREATE TABLE {schema}t (a integer, b text);"
    index = (
        f"CREATE {'UNIQUE ' if unique else ''}INDEX {'CONCURRENTLY ' if concurrently else ''}"
        f"t_a ON {schema}t (a);"
    )
    files = (create, index) if earlier else ("SELECT 1;", create + "\n" + index)
    found = findings(*files, rule=CONCURRENTLY)
    assert bool(found) == (earlier and not concurrently)
    if found:
        assert found[0].message.startswith(f"CREATE INDEX {schema}t_a on {schema}t without")


def test_a_plain_create_index_blocks_writes_and_concurrently_needs_no_transaction(
    pg: Connection, pg_conninfo: str
) -> None:
    """What the rule says, from the server: a plain CREATE INDEX holds a SHARE lock that
    makes an INSERT wait; CREATE INDEX CONCURRENTLY cannot run inside a transaction."""
    pg.execute("CREATE TABLE t (a integer)")
    with psycopg.connect(pg_conninfo) as building, psycopg.connect(pg_conninfo) as writer:
        building.execute("CREATE INDEX t_a ON t (a)")  # in an open transaction
        modes = building.execute(
            "SELECT mode FROM pg_locks WHERE relation = 't'::regclass AND granted"
        ).fetchall()
        assert ("ShareLock",) in modes
        writer.execute("SET lock_timeout = '50ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            writer.execute("INSERT INTO t VALUES (1)")
        building.rollback()
    with psycopg.connect(pg_conninfo) as inside, pytest.raises(psycopg.errors.ActiveSqlTransaction):
        inside.execute("CREATE INDEX CONCURRENTLY t_a ON t (a)")
    # several statements sent as one command (golang-migrate, Prisma) are one transaction
    with pytest.raises(psycopg.errors.ActiveSqlTransaction):
        pg.execute("SELECT 1; CREATE INDEX CONCURRENTLY t_a ON t (a)")
    pg.execute("CREATE INDEX CONCURRENTLY t_a ON t (a)")  # alone, in autocommit: fine


def test_an_index_if_not_exists_that_exists_or_on_a_partitioned_table_is_fine() -> None:
    create = "CREATE TABLE t (a integer); CREATE INDEX t_a ON t (a);"
    assert not findings(create, "CREATE INDEX IF NOT EXISTS t_a ON t (a);", rule=CONCURRENTLY)
    parted = "CREATE TABLE p (a integer, d date) PARTITION BY RANGE (d);"
    assert not findings(parted, "CREATE INDEX p_a ON p (a);", rule=CONCURRENTLY)


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"001_a.sql": "-- +goose Up\nCREATE TABLE t (a integer);\n",
             "002_b.sql": "-- +goose Up\nCREATE INDEX t_a ON t (a);\n"},
            "add `-- +goose NO TRANSACTION` to the file",
        ),
        (
            {"001_a.sql": "-- +goose Up\nCREATE TABLE t (a integer);\n",
             "002_b.sql": "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX t_a ON t (a);\n"},
            "which this migration may use: it runs outside a transaction",
        ),
        (
            {"2024-01-01-000000_a/up.sql": "CREATE TABLE t (a integer);\n",
             "2024-01-01-000000_a/down.sql": "DROP TABLE t;\n",
             "2024-01-02-000000_b/up.sql": "CREATE INDEX t_a ON t (a);\n",
             "2024-01-02-000000_b/down.sql": "DROP INDEX t_a;\n"},
            "`run_in_transaction = false` in 2024-01-02-000000_b/metadata.toml",
        ),
        (
            {"V1__a.sql": "CREATE TABLE t (a integer);\n",
             "V2__b.sql": "CREATE INDEX t_a ON t (a);\n"},
            "`executeInTransaction=false` in V2__b.sql.conf",
        ),
    ],
    ids=["goose", "goose-no-transaction", "diesel", "flyway"],
)  # fmt: skip
def test_the_fix_names_the_tools_way_out_of_a_transaction(
    tmp_path: Path, files: dict[str, str], words: str
) -> None:
    history = load_history(write(tmp_path, files), dialect="postgres")
    found = [f for f in lint(history) if f.rule == CONCURRENTLY]
    assert len(found) == 1 and words in found[0].message, (history.layout, found)


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"2024-01-01-000000_a/up.sql": "CREATE TABLE t (a integer);\n",
             "2024-01-01-000000_a/down.sql": "DROP TABLE t;\n",
             "2024-01-02-000000_b/up.sql": "CREATE INDEX CONCURRENTLY t_a ON t (a);\n",
             "2024-01-02-000000_b/down.sql": "DROP INDEX t_a;\n"},
            "diesel runs this migration in a transaction",
        ),
        (
            {"2024-01-01-000000_a/up.sql": "CREATE TABLE t (a integer);\n",
             "2024-01-01-000000_a/down.sql": "DROP TABLE t;\n",
             "2024-01-02-000000_b/up.sql": "CREATE INDEX CONCURRENTLY t_a ON t (a);\n",
             "2024-01-02-000000_b/down.sql": "DROP INDEX t_a;\n",
             "2024-01-02-000000_b/metadata.toml": "run_in_transaction = false\n"},
            "",
        ),
        (
            {"001_a.sql": "-- +goose Up\nCREATE TABLE t (a integer);\n",
             "002_b.sql": "-- +goose NO TRANSACTION\n-- +goose Up\n"
                          "BEGIN;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCOMMIT;\n"},
            "it stands inside the file's own BEGIN ... COMMIT",
        ),
    ],
    ids=["diesel", "diesel-outside", "own-begin"],
)  # fmt: skip
def test_create_index_concurrently_inside_a_transaction_is_reported(
    tmp_path: Path, files: dict[str, str], words: str
) -> None:
    history = load_history(write(tmp_path, files), dialect="postgres")
    found = [f.message for f in lint(history) if f.rule == CONCURRENTLY]
    assert len(found) == (1 if words else 0) and all(words in m for m in found), found
