"""The PostgreSQL rules of ``erdgen check``, judged by what PostgreSQL itself does: whether
it rewrote the table (``pg_class.relfilenode`` before and after), whether adding a column
failed on a table with one row, which lock a plain ``CREATE INDEX`` holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from folders import migrations
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from erdgen import dialects
from erdgen.core.history import build_history, load_history
from erdgen.errors import Location
from erdgen.model import History
from erdgen.rules.lint import lint
from erdgen.rules.pg_rewrite import BINARY_COERCIBLE, BUILTIN, Verdict, rewrite_verdict
from erdgen.rules.postgres_rules import (
    column_type_change_rewrites_table,
    index_without_concurrently,
    not_null_column_without_default,
)
from erdgen.rules.registry import Finding, id_of
from erdgen.rules.schema_rules import foreign_key_without_index, table_without_primary_key

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

REWRITE = id_of(column_type_change_rewrites_table)
NOT_NULL = id_of(not_null_column_without_default)
CONCURRENTLY = id_of(index_without_concurrently)
FK_INDEX = id_of(foreign_key_without_index)
NO_PK = id_of(table_without_primary_key)
PG_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def findings(*files: str, rule: str) -> list[Finding]:
    history = build_history(migrations(*files), dialects.get("postgres"))
    return [finding for finding in lint(history) if finding.rule == rule]


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


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


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


# --- foreign-key-without-index and table-without-primary-key -----------------------------

PARENT = "CREATE SCHEMA app; CREATE TABLE app.p (a integer, b integer, PRIMARY KEY (a, b));"


@pytest.mark.parametrize(
    ("index", "reported"),
    [
        ("", True),
        ("CREATE INDEX ON app.c (y, x);", False),  # leading columns, another order
        ("CREATE INDEX ON app.c (y, x, z);", False),
        ("CREATE INDEX ON app.c (x);", True),  # covers one column of two
        ("CREATE INDEX ON app.c (z, x, y);", True),  # not leading
        ("CREATE INDEX ON app.c (x, y) WHERE z > 0;", True),  # partial
        ("CREATE INDEX ON app.c USING brin (x, y);", True),
        ("CREATE INDEX ON app.c (x) INCLUDE (y);", True),  # INCLUDE is no key column
        ("ALTER TABLE app.c ADD UNIQUE (x, y);", False),
        ("ALTER TABLE app.c ADD UNIQUE (y);", False),  # finds the one row that can match
        ("ALTER TABLE app.c ADD PRIMARY KEY (x, y, z);", False),
    ],
)
def test_a_composite_foreign_key_needs_an_index_led_by_its_columns(
    index: str, reported: bool
) -> None:
    child = (
        "CREATE TABLE app.c (x integer NOT NULL, y integer NOT NULL, z integer NOT NULL,"
        " FOREIGN KEY (x, y) REFERENCES app.p (a, b));"
    )
    found = findings(PARENT, child, index, rule=FK_INDEX)
    assert bool(found) == reported, found
    if found:
        assert found[0].message.startswith("foreign key app.c(x, y) -> app.p has no index")


def test_postgresql_indexes_the_referenced_side_only(pg: Connection) -> None:
    """The fact behind the rule: the foreign key gets no index of its own."""
    pg.execute(PARENT)
    pg.execute("CREATE TABLE app.c (x integer, y integer, FOREIGN KEY (x, y) REFERENCES app.p)")
    rows = pg.execute("SELECT count(*) FROM pg_index WHERE indrelid = 'app.c'::regclass")
    assert rows.fetchone() == (0,)
    assert findings(PARENT, "CREATE TABLE app.c (x int, y int, FOREIGN KEY (x, y) "
                            "REFERENCES app.p);", rule=FK_INDEX)  # fmt: skip


def test_a_partition_is_keyed_and_indexed_by_its_parent() -> None:
    parent = (
        "CREATE TABLE u (id integer PRIMARY KEY);"
        "CREATE TABLE ev (id integer, d date, u integer REFERENCES u, PRIMARY KEY (id, d))"
        " PARTITION BY RANGE (d); CREATE INDEX ON ev (u);"
    )
    part = "CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
    assert not findings(parent + part, rule=FK_INDEX)
    assert not findings(parent + part, rule=NO_PK)
    found = findings("CREATE TABLE log (at timestamptz);", rule=NO_PK)
    assert [f.message for f in found] == [
        "table log has no primary key (rows can only be told apart by ctid, which changes "
        "on UPDATE)"
    ]


def test_sqlite_type_name_rules_do_not_judge_postgresql_types() -> None:
    history = build_history(
        migrations("CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb, at timestamptz);"),
        dialects.get("postgres"),
    )
    assert [f.rule for f in lint(history)] == ["missing-description"] * 4


# --- places, output and ignores ----------------------------------------------------------


def test_a_schema_problem_sits_at_the_statement_that_made_it() -> None:
    """A foreign key added by a later ALTER TABLE, a primary key dropped: the statement,
    not the first one that names the table."""
    tables = (
        "CREATE TABLE u (id integer PRIMARY KEY);\nCREATE TABLE o (id integer, u integer);"
        "CREATE TABLE k (id integer PRIMARY KEY);"
    )
    later = (
        "CREATE INDEX o_id ON o (id);\n"
        "ALTER TABLE o\n  ADD CONSTRAINT o_u FOREIGN KEY (u) REFERENCES u;\n"
        "ALTER TABLE k DROP CONSTRAINT k_pkey;"
    )
    found = {f.rule: f.location for f in findings(tables, later, rule=FK_INDEX)}
    assert found == {FK_INDEX: Location("migrations/0001_m1.sql", 2, 1)}
    dropped = [f.location for f in findings(tables, later, rule=NO_PK) if "table k " in f.message]
    assert dropped == [Location("migrations/0001_m1.sql", 4, 1)]


def test_check_prints_file_line_column_and_an_ignore_silences(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from erdgen.cli import main

    folder = write(
        tmp_path / "migrations",
        {
            "V1__a.sql": "CREATE TABLE t (id integer PRIMARY KEY, a integer);\n",
            "V2__b.sql": "SELECT 1;  CREATE INDEX t_a ON t (a);\n"
            "-- erdgen: ignore[index-without-concurrently] t holds ten rows\n"
            "ALTER TABLE t ADD COLUMN b text NOT NULL;\n",
        },
    )
    result = CliRunner().invoke(main, ["check", "--dialect", "postgres", str(folder)])
    lines = [
        line for line in result.stdout.splitlines() if CONCURRENTLY in line or NOT_NULL in line
    ]
    assert [line.split(": ", 2)[:2] for line in lines] == [
        [f"{folder}/V2__b.sql:1:12", CONCURRENTLY],
        [f"{folder}/V2__b.sql:3:1", NOT_NULL],
    ], result.output


def test_a_numbered_postgresql_folder_is_no_d1_folder() -> None:
    """Transaction control is fine in PostgreSQL; D1's rule is for SQLite folders."""
    history = build_history(
        migrations("BEGIN;\nCREATE TABLE t (id integer PRIMARY KEY);\nCOMMIT;"),
        dialects.get("postgres"),
    )
    assert "d1-transaction-statement" not in {f.rule for f in lint(history)}


def test_an_ignore_after_a_dollar_quoted_body_silences() -> None:
    """Comments are found as PostgreSQL splits the file: an apostrophe inside a ``$$`` body
    opens no string, so the ignore after it still counts."""
    create = "CREATE TABLE t (a integer);"
    later = (
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'it''s' || $q$'$q$ $$;\n"
        "-- erdgen: ignore[index-without-concurrently] t holds ten rows\n"
        "CREATE INDEX t_a ON t (a);\n"
    )
    assert findings(create, later.replace("-- erdgen", "-- note"), rule=CONCURRENTLY)
    assert not findings(create, later, rule=CONCURRENTLY)
    assert "invalid-ignore" not in {f.rule for f in lint(history_of_pg(create, later))}


def history_of_pg(*files: str) -> History:
    return build_history(migrations(*files), dialects.get("postgres"))


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


# --- generated folders against the catalog ----------------------------------------------

UNKEYED = """
SELECT c.oid::regclass::text FROM pg_class c
WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
"""
# foreign keys with no usable index: none whose leading key columns are the key's columns,
# none unique on some of them (non-partial, no expression keys, not BRIN)
UNINDEXED = """
SELECT k.conrelid::regclass::text, k.conname FROM pg_constraint k
WHERE k.contype = 'f' AND NOT EXISTS (
  SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam
  WHERE i.indrelid = k.conrelid AND i.indpred IS NULL AND a.amname <> 'brin'
    AND NOT 0 = ANY (i.indkey::int2[])
    AND (((i.indkey::int2[])[0:cardinality(k.conkey) - 1] @> k.conkey
          AND (i.indkey::int2[])[0:cardinality(k.conkey) - 1] <@ k.conkey)
         OR (i.indisunique AND (i.indkey::int2[])[0:i.indnkeyatts - 1] <@ k.conkey)))
"""


@st.composite
def keyed_folders(draw: st.DrawFn) -> list[str]:
    """Migrations of tables with and without primary keys, composite foreign keys between
    them and indexes of every kind on their columns, keys added and dropped later."""
    files, names = [], []
    for number in range(draw(st.integers(1, 3))):
        statements = []
        for _ in range(draw(st.integers(1, 3))):
            name = f"t{len(names)}"
            pk = draw(st.sampled_from(["", ", PRIMARY KEY (a)", ", PRIMARY KEY (b, a)"]))
            target = draw(st.sampled_from(["", *names]))
            fk = f", FOREIGN KEY (b, a) REFERENCES {target} (x, y)" if target else ""
            statements.append(
                f"CREATE TABLE {name} (a integer NOT NULL, b integer NOT NULL, c integer,"
                f" x integer NOT NULL, y integer NOT NULL{pk}{fk}, UNIQUE (x, y));"
            )
            names.append(name)
        for _ in range(draw(st.integers(0, 3))):
            table = draw(st.sampled_from(names))
            statements.append(
                draw(
                    st.sampled_from([
                        f"CREATE INDEX ON {table} (a, b);", f"CREATE INDEX ON {table} (b);",
                        f"CREATE INDEX ON {table} (b, a, c);",
                        f"CREATE INDEX ON {table} (c, b, a);",
                        f"CREATE INDEX ON {table} (a, b) WHERE c > 0;",
                        f"CREATE INDEX ON {table} USING brin (a, b);",
                        f"CREATE INDEX ON {table} ((a + 1), b);",
                        f"CREATE UNIQUE INDEX ON {table} (b);",
                        f"ALTER TABLE {table} ADD PRIMARY KEY (c);",
                        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_pkey;",
                        f"ALTER TABLE {table} ADD FOREIGN KEY (c) REFERENCES {names[0]} (a);",
                    ])
                )
            )  # fmt: skip
        files.append(f"-- migration {number}\n" + "\n".join(statements))
    return files


@PG_SETTINGS
@given(files=keyed_folders())
def test_keys_and_indexes_are_judged_as_the_catalog_says(pg: Connection, files: list[str]) -> None:
    pg.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    try:
        for text in files:
            pg.execute(text)
    except psycopg.Error:
        event("refused")
        return  # a generated foreign key without a unique target, a second primary key
    unkeyed = {row[0] for row in pg.execute(UNKEYED).fetchall()}
    unindexed = {row[0] for row in pg.execute(UNINDEXED).fetchall()}
    event(f"unkeyed={bool(unkeyed)} unindexed={bool(unindexed)}")
    history = build_history(migrations(*files), dialects.get("postgres"))
    found = lint(history)
    assert {f.message.split()[1] for f in found if f.rule == NO_PK} == unkeyed
    assert {f.message.split()[2].split("(")[0] for f in found if f.rule == FK_INDEX} == unindexed
