"""The cross-check's replay sends a migration in one transaction as one message
(``replay_migration``); what it leaves in the database and what it reports when the
server refuses a statement are ``replay``'s, statement by statement."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.replay import execute, replay, replay_migration
from erdgen.dialects.postgres.server import Cluster
from erdgen.dialects.postgres.split import split
from erdgen.model import Transaction

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection, Server

# a migration of three statements whose second one PostgreSQL refuses; the reader
# cannot see that (it reads no INSERT), only the replay can
_REFUSED_IN_THE_MIDDLE = (
    "CREATE TABLE b (id int PRIMARY KEY);\n"
    "-- the value is no integer\n"
    "  INSERT INTO b (id)\n"
    "  VALUES ('x');\n"
    "CREATE TABLE c (id int);\n"
)
_SERVER_SAYS = 'invalid input syntax for type integer: "x"'

_PIECES = [
    "CREATE TABLE t{n} (a int)",
    "CREATE TABLE t0 (a int)",  # refused: t0 exists
    "INSERT INTO t0 VALUES ({n})",
    "INSERT INTO t0 VALUES ('x{n}')",  # refused: no integer
    "ALTER TABLE t0 ADD COLUMN c{n} text",
    "SET search_path TO nowhere, public",
    "CREATE INDEX CONCURRENTLY i{n} ON t0 (a)",
    "BEGIN",
    "COMMIT",
    "SELECT 1",
]


def _fresh(pg: Connection) -> None:
    execute(pg, "RESET search_path")
    execute(pg, "DROP SCHEMA public CASCADE")
    execute(pg, "CREATE SCHEMA public")
    execute(pg, "CREATE TABLE t0 (a int)")


def _rows(pg: Connection) -> list[tuple[object, ...]]:
    return pg.execute("SELECT * FROM t0 ORDER BY a", prepare=False).fetchall()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
    st.sampled_from(list(Transaction)),
    st.booleans(),
)
# a COMMIT of the file's own: what ran before it stays when a later statement fails
@example(["CREATE TABLE t{n} (a int)", "COMMIT", "INSERT INTO t0 VALUES ('x{n}')"],
         Transaction.FILE, False)  # fmt: skip
def test_one_message_leaves_and_reports_what_statement_by_statement_does(
    pg: Connection, pieces: list[str], transaction: Transaction, unterminated: bool
) -> None:
    sql = "".join(piece.format(n=n + 1) + ";\n" for n, piece in enumerate(pieces))
    if unterminated:  # psql sends the rest of a file as a last statement
        sql = sql.removesuffix(";\n") + " -- and no semicolon"
    statements = split(sql, "1_x.sql").statements
    _fresh(pg)
    expected = replay(pg, statements, transaction)
    expected_schema, expected_rows = read_schema(pg), _rows(pg)
    _fresh(pg)
    assert replay_migration(pg, statements, transaction) == expected, sql
    assert read_schema(pg) == expected_schema, sql
    assert _rows(pg) == expected_rows, sql


def test_a_refused_statement_in_the_middle_is_named_and_nothing_stays(pg: Connection) -> None:
    execute(pg, "CREATE TABLE a (id int)")
    statements = split(_REFUSED_IN_THE_MIDDLE, "2_m.sql").statements
    rejection = replay_migration(pg, statements, Transaction.FILE)
    assert rejection is not None
    assert (str(rejection.location), rejection.message) == ("2_m.sql:4:11", _SERVER_SAYS)
    assert rejection.statement == "INSERT INTO b (id)\n  VALUES ('x');"
    assert [table.name for table in read_schema(pg).tables] == ["a"]


@pytest.fixture
def on_the_session_server(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The replay's throwaway databases on the session's server."""
    if isinstance(pg_server, Cluster):
        monkeypatch.setenv("ERDGEN_PG_URL", pg_server.conninfo("postgres"))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id int);\n")
    (folder / "0002_b.sql").write_text(_REFUSED_IN_THE_MIDDLE)
    return folder


@pytest.mark.parametrize("command", ["export", "verify"])
def test_the_cli_names_the_refused_statement_at_its_place(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    on_the_session_server: None,
    pg_server: Server,
    command: str,
) -> None:
    _folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command, "--dialect", "postgres", "migrations"])
    assert result.exit_code == 2, result.output
    assert (
        f"migrations/0002_b.sql:4:11: error: PostgreSQL {pg_server.version} rejects this "
        f"statement: {_SERVER_SAYS}"
    ) in result.stderr


def test_keep_going_skips_only_the_refused_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_the_session_server: None
) -> None:
    _folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = ["verify", "--dialect", "postgres", "--keep-going", "migrations"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "2 migrations, 3 tables: the model agrees with PostgreSQL"
    )
    skipped = [line for line in result.stderr.splitlines() if "skipped (--keep-going)" in line]
    assert skipped == [
        f"migrations/0002_b.sql:4:11: warning: skipped (--keep-going): {_SERVER_SAYS} [skipped]"
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("CREATE TABLE a (id int);\n\nCREATE TABLE b (\n  id int,\n  x intt\n);\n", (5, 5)),
        ("CREATE TABLE a (id int);  SELECT nope FROM a;\n", (1, 34)),
        ("CREATE TABLE a (id int);\nCREATE TABLE a (id int);\n", (2, 1)),  # no position
    ],
)
def test_a_refusal_is_located_where_postgresql_points(
    pg: Connection, text: str, where: tuple[int, int]
) -> None:
    found = split(text, "m.sql").statements
    rejection = replay(pg, found, Transaction.FILE)
    assert rejection is not None
    assert (rejection.location.line, rejection.location.column) == where
