"""Each tool's way of running a migration, replayed as PostgreSQL runs it.

golang-migrate's postgres driver sends a whole file in one Exec: one simple-query
message, which the server runs as one implicit transaction (a single statement in
autocommit). The replay sends statement by statement (to know which one fails), so it
is held against the server running the same file as one message.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.core.history import load_history
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.replay import execute, replay
from erdgen.dialects.postgres.split import split
from erdgen.model import Schema, Transaction

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection, Server

# statements whose fate depends on the transaction around them
_PIECES = [
    "CREATE TABLE t{n} (a int)",
    "CREATE INDEX CONCURRENTLY i{n} ON t0 (a)",
    "CREATE INDEX i{n} ON t0 (a)",
    "BEGIN",
    "COMMIT",
    "VACUUM t0",
    "ALTER TABLE t0 ADD COLUMN c{n} text",
]


def _left_open(pieces: list[str]) -> bool:
    """Whether the file's own BEGIN is still open at its end."""
    open_ = False
    for piece in pieces:
        open_ = piece == "BEGIN" or (open_ and piece != "COMMIT")
    return open_


def _fresh(pg: Connection) -> None:
    execute(pg, "DROP SCHEMA public CASCADE")
    execute(pg, "CREATE SCHEMA public")
    execute(pg, "CREATE TABLE t0 (a int)")


def _as_one_message(pg: Connection, sql: str) -> tuple[bool, Schema]:
    """What the server does with the file as golang-migrate sends it."""
    from psycopg import pq

    results = pg.pgconn.exec_(sql.encode())
    refused = results.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
    if pg.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        execute(pg, "ROLLBACK")  # a BEGIN without COMMIT: lib/pq leaves it open, then closes
    return refused, read_schema(pg)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5))
def test_a_golang_migrate_file_is_replayed_as_one_simple_query_runs(
    pg: Connection, pieces: list[str]
) -> None:
    sql = "".join(piece.format(n=n + 1) + ";\n" for n, piece in enumerate(pieces))
    if _left_open(pieces):
        sql += "COMMIT;\n"  # a file that leaves a transaction open is the tool's error
    _fresh(pg)
    refused, expected = _as_one_message(pg, sql)
    _fresh(pg)
    rejection = replay(pg, split(sql, "1_x.up.sql").statements, Transaction.IMPLICIT)
    assert (rejection is not None) == refused, (sql, rejection)
    assert read_schema(pg) == expected, sql


def test_golang_migrate_folder_with_a_concurrent_index_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Server
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "1_init.up.sql").write_text(
        "CREATE TABLE person (id int PRIMARY KEY);\nCREATE TABLE pet (owner int);\n"
    )
    (folder / "1_init.down.sql").write_text("DROP TABLE pet; DROP TABLE person;\n")
    (folder / "2_owner_index.up.sql").write_text(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS pet_owner ON pet (owner);\n"
    )
    (folder / "3_both.up.sql").write_text(
        "CREATE TABLE toy (id int);\nCREATE INDEX CONCURRENTLY toy_id ON toy (id);\n"
    )
    monkeypatch.chdir(tmp_path)
    history = load_history(folder, tmp_path, dialect="postgres")
    warned = [(str(d.location), d.code) for d in history.diagnostics]
    assert warned == [("migrations/3_both.up.sql:2:1", "pg-in-transaction")]
    result = CliRunner().invoke(main, ["verify", "--dialect", "postgres", "migrations"])
    # the third file is refused as golang-migrate would see it refused
    assert result.exit_code == 2, result.output
    assert "3_both.up.sql:2:1: error: PostgreSQL" in result.output
    assert "cannot run inside a transaction block" in result.output
    (folder / "3_both.up.sql").unlink()
    result = CliRunner().invoke(main, ["verify", "--dialect", "postgres", "migrations"])
    assert result.exit_code == 0, result.output
    assert "2 migrations, 2 tables: the model agrees with PostgreSQL" in result.output
    export = CliRunner().invoke(main, ["export", "--dialect", "postgres", "migrations"])
    assert '"transaction": "implicit"' in export.stdout


def test_a_prisma_migration_of_one_concurrent_index_runs_as_prisma_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Server
) -> None:
    folder = tmp_path / "prisma" / "migrations"
    for name, sql in [
        ("20240101000000_init", 'CREATE TABLE "User" (id serial PRIMARY KEY, email text);'),
        ("20240102000000_index", 'CREATE INDEX CONCURRENTLY "User_email" ON "User" (email);'),
    ]:
        (folder / name).mkdir(parents=True)
        (folder / name / "migration.sql").write_text(sql + "\n")
    (folder / "migration_lock.toml").write_text('provider = "postgresql"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify", "prisma/migrations"])
    assert result.exit_code == 0, result.output
    assert "2 migrations, 1 table: the model agrees with PostgreSQL" in result.output
