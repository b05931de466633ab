"""foreign-key-without-index and table-without-primary-key on PostgreSQL folders, judged
against the catalog; where PostgreSQL findings sit, how check prints them, ignores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from pg_findings import (
    CONCURRENTLY,
    FK_INDEX,
    NO_PK,
    NOT_NULL,
    PG_SETTINGS,
    findings,
    history_of_pg,
    write,
)

from erdgen.errors import Location
from erdgen.rules.lint import lint

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


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
    history = history_of_pg("CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb, at timestamptz);")
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
    history = history_of_pg("BEGIN;\nCREATE TABLE t (id integer PRIMARY KEY);\nCOMMIT;")
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
    history = history_of_pg(*files)
    found = lint(history)
    assert {f.message.split()[1] for f in found if f.rule == NO_PK} == unkeyed
    assert {f.message.split()[2].split("(")[0] for f in found if f.rule == FK_INDEX} == unindexed
