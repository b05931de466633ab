"""PostgreSQL through the dialect seam: history from the text, PostgreSQL as the judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from erdgen import dialects
from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.postgres.server import Server
from erdgen.errors import MigrationError
from erdgen.model import Action


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for name, text in files.items():
        (migrations / name).write_text(text, encoding="utf-8")
    return migrations


def test_postgres_is_a_registered_dialect_that_compares_names_exactly() -> None:
    dialect = dialects.get("postgres")
    assert "postgres" in dialects.names()
    assert (dialect.name, dialect.identifiers.same("Users", "users")) == ("postgres", False)


def test_a_history_read_from_the_text_agrees_with_postgresql(
    tmp_path: Path, pg_server: Server
) -> None:
    migrations = folder(
        tmp_path,
        {
            "0001_init.sql": "CREATE TABLE person (id serial PRIMARY KEY, name text NOT NULL);\n"
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN NEW.name := trim(NEW.name); RETURN NEW; END; $$;\n",
            "0002_pets.sql": "CREATE TABLE pet (\n"
            "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner int REFERENCES person);\n"
            "ALTER TABLE person ADD COLUMN email varchar(200) UNIQUE;\n"
            "CREATE INDEX ON pet (owner);\n"
            "CREATE TRIGGER person_touch BEFORE INSERT ON person\n"
            "  FOR EACH ROW EXECUTE FUNCTION touch();\n",
        },
    )
    history = load_history(migrations, tmp_path, dialect="postgres")
    actions = [(c.action, c.object) for c in history.steps[1].changes]
    assert actions == [
        (Action.CREATE_TABLE, "pet"),
        (Action.ADD_COLUMN, "person.email"),
        (Action.CREATE_INDEX, "pet_owner_idx"),
        (Action.CREATE_TRIGGER, "person_touch"),
    ]
    assert str(history.steps[1].changes[1].location) == "migrations/0002_pets.sql:3:1"
    report = verify(history, dialects.get("postgres"))
    assert report.agrees, "\n".join(report.lines())


def test_a_do_block_is_a_warning_at_its_location(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path,
        {
            "0001_init.sql": "CREATE TABLE t (id int);\n"
            "DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD c int'; END $$;\n",
        },
    )
    history = load_history(migrations, tmp_path, dialect="postgres")
    warning, *judged = history.diagnostics
    assert (str(warning.location), warning.code) == ("migrations/0001_init.sql:2:1", "pg-do")
    assert "DDL run by EXECUTE is not read" in warning.message
    # and then the catalog shows it (test_pg_dynamic), or no server is at hand
    assert [(str(d.location), d.code) for d in judged] in (
        [("migrations/0001_init.sql:2:1", "pg-catalog")],
        [("migrations/0001_init.sql", "pg-no-judge")],
    )


def test_a_statement_postgresql_rejects_stops_the_judge_with_its_words(
    tmp_path: Path, pg_server: Server
) -> None:
    migrations = folder(
        tmp_path, {"0001_init.sql": "CREATE TABLE t (id int);\nSELECT * FROM nope;\n"}
    )
    history = load_history(migrations, tmp_path, dialect="postgres")
    with pytest.raises(MigrationError) as raised:
        verify(history, dialects.get("postgres"))
    assert str(raised.value.location) == "migrations/0001_init.sql:2:15"  # where PostgreSQL points
    assert raised.value.message.startswith(f"PostgreSQL {pg_server.version} rejects this statement")
    assert 'relation "nope" does not exist' in raised.value.message
