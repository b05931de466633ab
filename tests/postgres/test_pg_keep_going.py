"""``--keep-going`` for PostgreSQL: each statement under a savepoint inside its migration's
transaction; one PostgreSQL refuses is rolled back alone, recorded as skipped with the
server's message, and left out of the model, as the replay leaves it out of the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pg_strategies import migrations as migrations_strategy

from erdgen.cli import main
from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.postgres.server import Cluster, Server

# statements PostgreSQL refuses wherever they stand
_REFUSED = [
    "ALTER TABLE nope ADD COLUMN c int",
    "CREATE INDEX CONCURRENTLY ON nope (x)",
    "CREATE TABLE broken (id int REFERENCES nowhere)",
    "SELECT 1/0",
    "DROP TYPE nothing",
]


@pytest.fixture
def on_the_session_server(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's and the replay's throwaway databases on the session's server."""
    if isinstance(pg_server, Cluster):
        monkeypatch.setenv("ERDGEN_PG_URL", pg_server.conninfo("postgres"))


def _write(folder: Path, files: list[str]) -> None:
    folder.mkdir(parents=True)
    for number, text in enumerate(files, start=1):
        (folder / f"{number:04d}_m.sql").write_text(text + "\n", encoding="utf-8")


def test_refused_statements_are_skipped_and_verify_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_the_session_server: None
) -> None:
    _write(
        tmp_path / "migrations",
        [
            "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE a (x int);\n"
            "ALTER TABLE nope ADD c int;\nCREATE TABLE b (id int REFERENCES a);",
            "ALTER TABLE b ADD COLUMN n int NOT NULL DEFAULT 1;\n"
            "CREATE INDEX CONCURRENTLY bi ON b (n);\nCREATE TABLE c (x int);",
        ],
    )
    monkeypatch.chdir(tmp_path)
    args = ["verify", "--dialect", "postgres", "--keep-going", "migrations"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1] == "2 migrations, 3 tables: the model agrees with PostgreSQL"
    )
    skipped = [line for line in result.stderr.splitlines() if "skipped (--keep-going)" in line]
    assert skipped == [
        'migrations/0001_m.sql:2:1: warning: skipped (--keep-going): relation "a" already exists'
        " [skipped]",
        'migrations/0001_m.sql:3:1: warning: skipped (--keep-going): relation "nope" does not'
        " exist [skipped]",
        "migrations/0002_m.sql:2:1: warning: skipped (--keep-going): CREATE INDEX CONCURRENTLY"
        " cannot run inside a transaction block [skipped]",
    ]
    history = load_history(tmp_path / "migrations", tmp_path, "postgres", keep_going=True)
    table = history.schema.table("b")
    assert table is not None and table.indexes == ()


@settings(
    max_examples=int(os.environ.get("ERDGEN_PG_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(files=migrations_strategy(), data=st.data())
def test_generated_migrations_with_refused_statements_agree(
    tmp_path_factory: pytest.TempPathFactory,
    on_the_session_server: None,
    files: list[str],
    data: st.DataObject,
) -> None:
    spoiled = []
    for text in files:
        statements = text.split(";\n")
        at = data.draw(st.integers(0, len(statements)))
        statements.insert(at, data.draw(st.sampled_from(_REFUSED)))
        spoiled.append(";\n".join(s.rstrip(";") for s in statements if s.strip()) + ";")
    folder = tmp_path_factory.mktemp("kg") / "migrations"
    _write(folder, spoiled)
    history = load_history(folder, folder.parent, "postgres", keep_going=True)
    assert sum(len(step.skipped) for step in history.steps) >= len(files)
    report = verify(history)
    assert report.agrees, "\n".join([*spoiled, *report.lines()])
