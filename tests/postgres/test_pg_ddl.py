"""The model read from the text equals PostgreSQL's catalog after every migration."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from corpus_order import ORDERS, migrations
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pg_strategies import migrations as migrations_strategy

from erdgen.core.compare import Difference
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.compare import disagreements
from erdgen.dialects.postgres.names import make_object_name
from erdgen.dialects.postgres.reader import read_migrations
from erdgen.dialects.postgres.replay import execute, replay
from erdgen.dialects.postgres.split import split
from erdgen.model import Transaction

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


def judged(
    pg: Connection, files: list[tuple[str, str]], transactions: dict[str, Transaction] | None = None
) -> list[str]:
    """Replay ``files`` one by one, each in one transaction unless ``transactions`` says
    how its tool runs it; the differences after the first migration that has any."""
    folder = read_migrations(files)
    for (path, text), migration in zip(files, folder.migrations, strict=True):
        transaction = (transactions or {}).get(path, Transaction.FILE)
        rejection = replay(pg, split(text, path).statements, transaction)
        assert rejection is None, rejection.format()
        execute(pg, "RESET search_path")
        catalog = read_schema(pg)
        found = [
            str(Difference(*d, engine="PostgreSQL"))
            for d in disagreements(migration.schema, catalog)
        ]
        if found:
            return [f"after {path}:", *found]
    return []


def fresh_database(pg: Connection) -> None:
    """Drop every schema a test made, and public with all in it; make public anew."""
    query = "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_|^information_schema$'"
    rows = pg.execute(query).fetchall()
    for (name,) in rows:
        execute(pg, f'DROP SCHEMA "{name}" CASCADE')
    execute(pg, "CREATE SCHEMA public")


def test_a_long_name_is_clipped_as_postgresql_clips_it() -> None:
    assert make_object_name("t" * 70, "c" * 70, "fkey") == "t" * 29 + "_" + "c" * 28 + "_fkey"
    assert make_object_name("ä" * 40, None, "pkey") == "ä" * 29 + "_pkey"


def test_every_alter_table_form_agrees_with_postgresql(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE TABLE person (id serial PRIMARY KEY, name text NOT NULL,"
                  " email varchar(100) UNIQUE, age int CHECK (age > 0));"
                  "CREATE TABLE pet (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                  " owner int REFERENCES person ON DELETE CASCADE, kind text DEFAULT 'cat');"
                  "COMMENT ON TABLE pet IS 'Pets'; COMMENT ON COLUMN pet.kind IS 'What it is';"),
        ("2.sql", "ALTER TABLE person RENAME name TO full_name;"
                  "ALTER TABLE person RENAME COLUMN email TO mail;"
                  "ALTER TABLE person ALTER COLUMN age TYPE bigint USING age::bigint,"
                  " ALTER COLUMN age SET NOT NULL, ALTER age SET DEFAULT 1;"
                  "ALTER TABLE pet ADD COLUMN born timestamptz DEFAULT now(),"
                  " ADD CONSTRAINT pet_kind_check CHECK (kind <> '') NOT VALID;"
                  "ALTER TABLE pet RENAME CONSTRAINT pet_owner_fkey TO pet_belongs_to;"
                  "ALTER TABLE pet VALIDATE CONSTRAINT pet_kind_check;"
                  "ALTER TABLE person DROP CONSTRAINT person_age_check;"
                  "ALTER TABLE pet ALTER kind DROP DEFAULT, ALTER born DROP DEFAULT;"),
        ("3.sql", "CREATE INDEX ON pet (lower(kind));"
                  "CREATE UNIQUE INDEX pet_born ON pet (born DESC)"
                  " INCLUDE (kind) WHERE born IS NOT NULL;"
                  "ALTER TABLE person RENAME TO people; ALTER TABLE pet DROP COLUMN owner;"
                  "CREATE TYPE mood AS ENUM ('sad', 'ok');"
                  "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad';"
                  "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';"
                  "ALTER TABLE pet ADD m mood DEFAULT 'sad';"
                  "DROP TABLE people CASCADE;"),
    ]  # fmt: skip
    assert judged(pg, files) == []


_names = st.text(st.sampled_from("abcxyzäé_"), min_size=1, max_size=40).filter(
    lambda n: not n[0].isdigit()
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=_names, columns=st.lists(_names, min_size=2, max_size=4, unique=True))
def test_unnamed_constraints_get_postgresqls_names(
    pg: Connection, table: str, columns: list[str]
) -> None:
    quoted = [f'"{c}"' for c in columns]
    sql = (
        f'CREATE TABLE "{table}" ({quoted[0]} int PRIMARY KEY,'
        + ", ".join(f"{c} int UNIQUE CHECK ({c} > 0)" for c in quoted[1:])
        + f', UNIQUE ({", ".join(quoted)}), FOREIGN KEY ({quoted[1]}) REFERENCES "{table}");'
        f'CREATE INDEX ON "{table}" ({", ".join(quoted)});'
    )
    try:
        assert judged(pg, [("gen.sql", sql)]) == []
    finally:
        execute(pg, "DROP SCHEMA public CASCADE")
        execute(pg, "CREATE SCHEMA public")


# Corpus folders: the first migration after which the model still differs from
# PostgreSQL 15 (None: equal after every one). A ratchet: a change that makes a folder
# differ earlier fails.
FIRST_DIFFERENCE = {
    "crates-io-postgres": None,
    "dittofeed-postgres": None,
    "ente-postgres": None,
    "kestra-postgres": None,
    "registry-postgres": "summer-camp-module",  # DDL run by EXECUTE format(...) in a DO block
    "svix-postgres": None,
    "umami-postgres": None,
}


@pytest.mark.slow
@pytest.mark.parametrize("folder", sorted(ORDERS))
def test_corpus_folders_agree_with_postgresql_after_every_migration(
    pg: Connection, folder: str
) -> None:
    files = [(m.label, m.path.read_text(encoding="utf-8")) for m in migrations(folder)]
    labels = [label for label, _ in files]
    found = judged(pg, files, {m.label: m.transaction for m in migrations(folder)})
    expected = FIRST_DIFFERENCE[folder]
    if expected is None:
        assert found == []
        return
    assert found, f"{folder} now agrees everywhere: set FIRST_DIFFERENCE to None"
    first = next(i for i, label in enumerate(labels) if f"after {label}:" == found[0])
    known = next(i for i, label in enumerate(labels) if expected in label)
    assert first >= known, "\n".join(found)


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("90 day", "90 days"),
        ("1 day", "1 day"),
        ("1 hour", "01:00:00"),
        ("2 weeks 3 hours", "14 days 03:00:00"),
        ("1 year 2 months", "1 year 2 mons"),
    ],
)
def test_interval_defaults_print_as_postgresql_prints_them(
    pg: Connection, written: str, printed: str
) -> None:
    files = [("1.sql", f"CREATE TABLE t (a timestamptz DEFAULT now() + interval '{written}');")]
    assert judged(pg, files) == []
    table = read_schema(pg).table("t")
    assert table is not None and table.columns[0].default == f"(now() + '{printed}'::interval)"


@pytest.mark.parametrize(
    "default",
    [
        "'x'",
        "-1",
        "1.5",
        "-1.5",
        "0",
        "3000000000",
        "true",
        "'t'",
        "NULL",
        "now()",
        "CURRENT_TIMESTAMP",
        "'{}'",
        "ARRAY[]::text[]",
        "'1970-01-01'",
        "'epoch'",
        "gen_random_uuid()::text",
        "(now() AT TIME ZONE 'utc')",
        "timezone('utc', now())",
        "7 * 24::bigint * 60",
        "'a' || 'b'",
    ],
)
def test_defaults_print_as_pg_get_expr_prints_them(pg: Connection, default: str) -> None:
    types = ["text", "integer", "numeric", "bigint", "boolean", "timestamp", "jsonb", "text[]"]
    valid = []
    for n, type_name in enumerate(types):
        rejection = replay(
            pg, split(f"CREATE TABLE probe (c {type_name} DEFAULT {default})").statements
        )
        if rejection is None:
            valid.append(f"c{n} {type_name} DEFAULT {default}")
            execute(pg, "DROP TABLE probe")
    assert judged(pg, [("1.sql", f"CREATE TABLE t ({', '.join(valid)});")]) == []


@settings(
    max_examples=int(os.environ.get("ERDGEN_PG_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(files=migrations_strategy())
@example(  # dropping a key with CASCADE takes the foreign keys that use it
    files=[
        "CREATE TABLE p (id serial PRIMARY KEY); ALTER TABLE p ADD ref integer REFERENCES p;",
        "ALTER TABLE p DROP CONSTRAINT IF EXISTS p_pkey CASCADE;",
    ]
)
def test_generated_migrations_agree_with_postgresql_after_each(
    pg: Connection, files: list[str]
) -> None:
    named = [(f"{n:04d}.sql", text) for n, text in enumerate(files, start=1)]
    try:
        assert judged(pg, named) == []
    finally:
        fresh_database(pg)


def test_create_table_like_copies_as_postgresql_copies(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE TABLE base (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'x'"
                  " CHECK (name <> ''), code varchar(10) UNIQUE, n bigint GENERATED ALWAYS AS"
                  " IDENTITY); CREATE INDEX ON base (lower(name)); COMMENT ON COLUMN base.name"
                  " IS 'Name';"),
        ("2.sql", "CREATE TABLE plain (LIKE base); CREATE TABLE everything (LIKE base INCLUDING ALL"
                  " EXCLUDING IDENTITY, extra int);"
                  "CREATE TABLE partly (LIKE base INCLUDING DEFAULTS INCLUDING INDEXES);"),
    ]  # fmt: skip
    assert judged(pg, files) == []


def test_view_columns_are_named_as_postgresql_names_them(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE TABLE a (id int, name text); CREATE TABLE b (id int, a_id int, n int);"
                  "CREATE VIEW v1 AS SELECT * FROM a;"
                  "CREATE VIEW v2 AS SELECT a.*, b.n AS total, lower(a.name), count(*) OVER (),"
                  " CASE WHEN b.n > 0 THEN 1 END, b.a_id::bigint FROM a JOIN b ON b.a_id = a.id;"
                  "CREATE VIEW v3 (x, y) AS SELECT id, name FROM a;"
                  "CREATE VIEW v4 AS SELECT id FROM a UNION SELECT id FROM b;"
                  "CREATE MATERIALIZED VIEW m AS SELECT v1.*, 1 AS one FROM v1;"),
    ]  # fmt: skip
    assert judged(pg, files) == []
    from erdgen.dialects.postgres.reader import read_migrations as read

    views = read(files).migrations[-1].schema.views
    assert [len(v.columns) for v in views] == [2, 7, 2, 1, 3]


def test_comments_on_constraints_and_triggers_are_their_descriptions(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE SCHEMA s; CREATE TABLE s.t (id int PRIMARY KEY, n int CHECK (n > 0));"
                  "CREATE TABLE u (t_id int CONSTRAINT u_t REFERENCES s.t);"
                  "COMMENT ON CONSTRAINT t_pkey ON s.t IS 'The key';"
                  "COMMENT ON CONSTRAINT u_t ON u IS 'Points at ''t''';"
                  "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql"
                  " AS $$BEGIN RETURN NEW; END$$;"
                  "CREATE TRIGGER tr BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION f();"
                  "COMMENT ON TRIGGER tr ON s.t IS 'Fires';"),
        ("2.sql", "ALTER TABLE u RENAME CONSTRAINT u_t TO u_points; COMMENT ON CONSTRAINT"
                  " t_n_check ON s.t IS 'Positive'; COMMENT ON CONSTRAINT t_pkey ON s.t IS NULL;"),
    ]  # fmt: skip
    assert judged(pg, files) == []
    schema = read_migrations(files).migrations[-1].schema
    table = schema.table("u")
    assert table is not None
    assert [(c.name, c.description) for c in table.constraints] == [("u_points", "Points at 't'")]
    assert schema.triggers[0].description == "Fires"


def test_domains_and_composite_types_agree_with_postgresql(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE SCHEMA s; CREATE DOMAIN email AS varchar(200) NOT NULL"
                  " CHECK (VALUE LIKE '%@%'); CREATE DOMAIN s.score int DEFAULT 0"
                  " CONSTRAINT score_range CHECK (VALUE >= 0) CHECK (VALUE < 100);"
                  "CREATE DOMAIN note text COLLATE \"C\" DEFAULT 'n/a';"
                  "CREATE TYPE pair AS (a int, b text[]); CREATE TYPE s.money2 AS"
                  " (amount numeric(12, 2), currency char(3), at timestamptz);"
                  "CREATE TABLE t (e email, sc s.score, p pair, m s.money2[], n note);"
                  "COMMENT ON DOMAIN email IS 'An address'; COMMENT ON TYPE pair IS 'Two';"),
        ("2.sql", "ALTER DOMAIN email DROP NOT NULL; ALTER DOMAIN s.score SET DEFAULT 5;"
                  "ALTER DOMAIN s.score ADD CHECK (VALUE <> 7); ALTER DOMAIN note DROP DEFAULT;"
                  "ALTER DOMAIN s.score RENAME CONSTRAINT score_range TO in_range;"
                  "ALTER DOMAIN note SET NOT NULL; ALTER DOMAIN email DROP CONSTRAINT email_check;"
                  "CREATE SEQUENCE counter; ALTER SEQUENCE counter OWNED BY t.sc;"
                  "ALTER TYPE s.money2 ADD ATTRIBUTE note text CASCADE, DROP ATTRIBUTE at"
                  " CASCADE; ALTER TYPE s.money2 RENAME ATTRIBUTE note TO memo CASCADE;"
                  "CREATE TYPE loose AS (a int, b int); ALTER TYPE loose ALTER ATTRIBUTE a"
                  " SET DATA TYPE bigint, DROP ATTRIBUTE IF EXISTS zz;"),
        ("3.sql", "DROP DOMAIN note CASCADE; DROP TYPE pair CASCADE;"
                  "ALTER SEQUENCE counter OWNED BY NONE; ALTER DOMAIN email RENAME TO mail;"
                  "CREATE SCHEMA q; CREATE TABLE q.r (id serial, n bigserial);"
                  "ALTER SEQUENCE q.r_id_seq RENAME TO \"Ids\";"
                  "ALTER SEQUENCE counter RENAME TO c2;"
                  "CREATE TYPE mood AS ENUM ('a'); ALTER TABLE t ADD md mood[];"
                  "ALTER TYPE mood RENAME TO feeling; ALTER TYPE s.money2 RENAME TO cash;"),
    ]  # fmt: skip
    assert judged(pg, files) == []
    schema = read_migrations(files).migrations[1].schema
    assert [(d.name, d.base_type, d.not_null, d.default, d.checks) for d in schema.domains] == [
        ("email", "character varying(200)", False, None, ()),
        ("s.score", "integer", False, "5", ("in_range", "score_check", "score_check1")),
        ("note", "text", True, None, ()),
    ]
    assert [c.attributes for c in schema.composites][1] == (
        ("amount", "numeric(12,2)"), ("currency", "character(3)"), ("memo", "text"),
    )  # fmt: skip


def test_create_table_as_takes_the_query_columns_as_postgresql_does(pg: Connection) -> None:
    files = [
        ("1.sql", "CREATE SCHEMA s; CREATE TABLE a (id serial PRIMARY KEY, n varchar(20) NOT NULL"
                  " DEFAULT 'x', x numeric(5, 2) CHECK (x > 0));"
                  "CREATE TABLE s.b (a_id int, t text[]);"
                  "CREATE TABLE copy AS SELECT * FROM a WITH NO DATA;"
                  "CREATE TABLE IF NOT EXISTS s.joined (k, label) AS SELECT a.id, n, b.t AS tags"
                  " FROM a JOIN s.b AS b ON b.a_id = a.id;"
                  "CREATE UNLOGGED TABLE parts AS SELECT b.* FROM s.b b WHERE false;"
                  "CREATE TABLE lit AS SELECT 1 AS one, 3000000000 AS big, 1.5 AS half,"
                  " 'x' AS s, true AS yes, n::text AS nt, x::numeric(8, 3), NULL::timestamptz"
                  " AS at, now() AS t0, CAST(id AS varchar(9)) AS v, ARRAY[x]::int[] AS xs"
                  " FROM a;"),
    ]  # fmt: skip
    assert judged(pg, files) == []
    folder = read_migrations(files)
    assert folder.diagnostics == ()
