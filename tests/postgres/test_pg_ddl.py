"""The model read from the text equals PostgreSQL's catalog after every migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from corpus_order import ORDERS, migrations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.compare import differences
from erdgen.dialects.postgres.names import make_object_name
from erdgen.dialects.postgres.reader import read_migrations
from erdgen.dialects.postgres.replay import execute, replay
from erdgen.dialects.postgres.split import split

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


def judged(
    pg: Connection, files: list[tuple[str, str]], outside: frozenset[str] = frozenset()
) -> list[str]:
    """Replay ``files`` one by one (those named in ``outside`` outside a transaction);
    the differences after the first migration that has any."""
    folder = read_migrations(files)
    for (path, text), migration in zip(files, folder.migrations, strict=True):
        rejection = replay(pg, split(text, path).statements, path not in outside)
        assert rejection is None, rejection.format()
        execute(pg, "RESET search_path")
        found = differences(migration.schema, read_schema(pg))
        if found:
            return [f"after {path}:", *found]
    return []


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
    "crates-io-postgres": "20170318181441_downloads_need_no_id",
    "dittofeed-postgres": None,
    "ente-postgres": "59_delete_data",
    "kestra-postgres": None,
    "registry-postgres": "summer-camp-module",  # DDL run by EXECUTE format(...) in a DO block
    "svix-postgres": "20220428190104_message_expiration",
    "umami-postgres": None,
}


@pytest.mark.slow
@pytest.mark.parametrize("folder", sorted(ORDERS))
def test_corpus_folders_agree_with_postgresql_after_every_migration(
    pg: Connection, folder: str
) -> None:
    files = [(m.label, m.path.read_text(encoding="utf-8")) for m in migrations(folder)]
    labels = [label for label, _ in files]
    outside = frozenset(m.label for m in migrations(folder) if not m.in_transaction)
    found = judged(pg, files, outside)
    expected = FIRST_DIFFERENCE[folder]
    if expected is None:
        assert found == []
        return
    assert found, f"{folder} now agrees everywhere: set FIRST_DIFFERENCE to None"
    first = next(i for i, label in enumerate(labels) if f"after {label}:" == found[0])
    known = next(i for i, label in enumerate(labels) if expected in label)
    assert first >= known, "\n".join(found)
