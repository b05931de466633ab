"""DDL the text cannot show (a DO block's EXECUTE, a function that runs DDL): with a
server the model takes those objects from PostgreSQL's catalog and says so; without one
it goes on from the text with a warning."""

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
from erdgen.errors import Severity

FILES = {
    "0001_tenants.sql": "CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE tenants (slug text);"
    " INSERT INTO tenants VALUES ('a'), ('b'); CREATE TABLE a.events (id int);"
    " CREATE TABLE b.events (id int);",
    # registry's way: one ALTER per tenant schema, built in a loop
    "0002_loop.sql": "DO $$ DECLARE s text; BEGIN FOR s IN SELECT slug FROM tenants LOOP"
    " EXECUTE format('ALTER TABLE %I.events ADD COLUMN kind text NOT NULL DEFAULT ''x''', s);"
    " END LOOP; END $$;",
    "0003_plain.sql": "CREATE TABLE c (id int PRIMARY KEY); CREATE TABLE d AS SELECT id FROM c;",
    # a type the text does not give: an expression's
    "0005_table_as.sql": "CREATE TABLE e AS SELECT id, id * 2.5 AS half, now() AS at FROM c;",
    "0004_call.sql": "CREATE FUNCTION widen(t text) RETURNS void LANGUAGE plpgsql AS $$"
    " BEGIN EXECUTE format('ALTER TABLE %s ADD COLUMN n bigint', t); END $$;"
    " SELECT widen('a.events');",
}


@pytest.fixture
def on_the_session_server(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's and the replay's throwaway databases on the session's server."""
    if isinstance(pg_server, Cluster):
        monkeypatch.setenv("ERDGEN_PG_URL", pg_server.conninfo("postgres"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


def test_dynamic_ddl_is_read_from_the_catalog_and_verify_agrees(
    project: Path, pg_server: Server
) -> None:
    history = load_history(project, project.parent, dialect="postgres")
    assert [step.from_engine for step in history.steps] == [
        (),
        ("table a.events", "table b.events"),
        (),
        ("table a.events",),
        ("table e",),
    ]
    table = history.schema.table("a.events")
    assert table is not None
    assert [(c.name, c.type, c.default) for c in table.columns] == [
        ("id", "integer", None),
        ("kind", "text", "'x'::text"),
        ("n", "bigint", None),
    ]
    # what the text could not show was read from the catalog: notes, not warnings
    judged = [d for d in history.diagnostics if d.code in ("pg-do", "pg-call", "pg-table-as")]
    assert len(judged) == 3 and {d.severity for d in judged} == {Severity.INFO}
    notes = [d for d in history.diagnostics if d.code == "pg-catalog"]
    assert [str(d.location) for d in notes] == [
        "migrations/0002_loop.sql:1:1",
        f"migrations/0004_call.sql:1:{FILES['0004_call.sql'].index('SELECT widen') + 1}",
        "migrations/0005_table_as.sql:1:1",
    ]
    result = CliRunner().invoke(main, ["verify", "--dialect", "postgres", "migrations"])
    assert result.exit_code == 0, result.output
    assert "0002 loop: read from PostgreSQL's catalog: table a.events, table b.events" in (
        result.output
    )
    assert result.output.splitlines()[-1] == (
        "5 migrations (3 of them in part read from PostgreSQL's catalog, where the text "
        "cannot show what their DDL did), 6 tables: the model agrees with PostgreSQL"
    )
    table = history.schema.table("e")
    assert table is not None
    assert [(c.name, c.type) for c in table.columns] == [
        ("id", "integer"),
        ("half", "numeric"),
        ("at", "timestamp with time zone"),
    ]


def test_without_a_server_the_model_goes_on_from_the_text(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERDGEN_PG_BINDIR", str(project))
    monkeypatch.delenv("ERDGEN_PG_URL", raising=False)
    history = load_history(project, project.parent, dialect="postgres")
    assert all(step.from_engine == () for step in history.steps)
    codes = [d.code for d in history.diagnostics]
    assert codes.count("pg-no-judge") == 1
    assert codes.count("pg-do") == 1 and codes.count("pg-call") == 1
    assert codes.count("pg-table-as") == 1
    unread = [d for d in history.diagnostics if d.code in ("pg-do", "pg-call", "pg-table-as")]
    assert {d.severity for d in unread} == {Severity.WARNING}
    table = history.schema.table("a.events")
    assert table is not None and [c.name for c in table.columns] == ["id"]


def test_a_statement_the_server_rejects_ends_the_catalog_reading_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Server
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    files = {
        "0001_a.sql": "CREATE TABLE t (id int);"
        " DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD a int'; END $$;",
        "0002_newer.sql": "SELECT * FROM no_such_table;",  # as a newer server might accept
        "0003_b.sql": "DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD b int'; END $$;",
    }
    for name, text in files.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    history = load_history(folder, tmp_path, dialect="postgres")
    assert [step.from_engine for step in history.steps] == [("table t",), (), ()]
    [warning] = [d for d in history.diagnostics if d.code == "pg-no-judge"]
    assert str(warning.location) == "migrations/0002_newer.sql:1:15"
    assert 'relation "no_such_table" does not exist' in warning.message
    table = history.schema.table("t")
    assert table is not None and [c.name for c in table.columns] == ["id", "a"]


@settings(
    max_examples=int(os.environ.get("ERDGEN_PG_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(files=migrations_strategy(), data=st.data())
def test_generated_migrations_run_through_execute_agree(
    tmp_path_factory: pytest.TempPathFactory,
    on_the_session_server: None,
    files: list[str],
    data: st.DataObject,
) -> None:
    """Some statements run by EXECUTE in a DO block: the model takes what they did from
    the catalog, and the text reads the migrations after them on top of that."""
    hidden = []
    for text in files:
        statements = [s for s in text.split(";\n") if s.strip()]
        wrapped = [
            "DO $$ BEGIN EXECUTE " + _literal(s.rstrip(";")) + "; END $$"
            if data.draw(st.integers(0, 3)) == 0
            else s.rstrip(";")
            for s in statements
        ]
        hidden.append(";\n".join(wrapped) + ";" if wrapped else "")
    folder = tmp_path_factory.mktemp("dyn") / "migrations"
    folder.mkdir()
    for number, text in enumerate(hidden, start=1):
        (folder / f"{number:04d}_m.sql").write_text(text + "\n", encoding="utf-8")
    history = load_history(folder, folder.parent, "postgres")
    report = verify(history)
    assert report.agrees, "\n".join([*hidden, *report.lines()])


def _literal(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


@pytest.mark.parametrize(
    ("undo", "stays"),
    [
        ("ROLLBACK;", ["a", "d"]),  # the file's own transaction (flat layout) with it
        ("ABORT;", ["a", "d"]),
        ("ROLLBACK TO SAVEPOINT s;", ["a", "b", "d"]),
    ],
)
def test_what_a_rollback_undid_is_read_from_the_catalog(
    tmp_path: Path, on_the_session_server: None, undo: str, stays: list[str]
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id int);\n", encoding="utf-8")
    (folder / "0002_b.sql").write_text(
        "CREATE TABLE b (id int);\nSAVEPOINT s;\nCREATE TABLE c (id int);\n"
        f"{undo}\nCREATE TABLE d (id int);\n",
        encoding="utf-8",
    )
    history = load_history(folder, tmp_path, dialect="postgres")
    assert [t.name for t in history.schema.tables] == stays
    [warning] = [d for d in history.diagnostics if d.code == "pg-rollback"]
    assert (warning.location.line, warning.location.column) == (4, 1)
    assert history.steps[-1].from_engine
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())


def test_a_rollback_is_a_warning_at_its_statement(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text(
        "BEGIN;\nCREATE TABLE a (id int);\nROLLBACK;\n", encoding="utf-8"
    )
    history = load_history(folder, tmp_path, dialect="postgres")
    codes = [(d.code, d.location.line) for d in history.diagnostics]
    assert ("pg-rollback", 3) in codes


def test_a_psql_variable_is_settled_by_the_catalog_an_include_is_not(
    tmp_path: Path, pg_server: Server, on_the_session_server: None
) -> None:
    """sqitch runs each change with psql: its `\\set ON_ERROR_STOP on` leaves the statements
    as erdgen reads them, so once PostgreSQL's catalog after the change agrees it is a note
    (`mkdocs build --strict` passes); an `\\i` sends a file erdgen never read: a warning."""
    folder = tmp_path / "migrations"
    (folder / "deploy").mkdir(parents=True)
    changes = "".join(
        f"{c} 2024-01-0{i}T00:00:00Z me <me@x> # {c}\n" for i, c in ((1, "a"), (2, "b"))
    )
    (folder / "sqitch.plan").write_text(f"%project=p\n\n{changes}")
    (folder / "deploy" / "a.sql").write_text(
        "\\set ON_ERROR_STOP on\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n"
    )
    (folder / "deploy" / "b.sql").write_text("\\i other.sql\nCREATE TABLE u (b int);\n")
    history = load_history(folder, tmp_path, dialect="postgres", layout="sqitch")
    psql = [(str(d.location), d.severity, d.message) for d in history.diagnostics
            if d.code == "pg-psql"]  # fmt: skip
    assert psql == [
        ("migrations/deploy/a.sql:1:1", Severity.INFO,
         "psql meta-command \\set: psql runs it, erdgen does not; checked against PostgreSQL's "
         "catalog"),
        ("migrations/deploy/b.sql:1:1", Severity.WARNING,
         "psql meta-command \\i: psql runs it, erdgen does not"),
    ]  # fmt: skip
    assert [t.name for t in history.schema.tables] == ["t", "u"]


def test_a_view_on_a_table_made_by_execute_goes_with_its_drop_cascade(
    tmp_path: Path, on_the_session_server: None
) -> None:
    """The view is read from the text before the catalog shows its table: once the catalog
    is taken in, what the view reads is read again, so DROP TABLE ... CASCADE takes it."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    files = [
        "DO $$ BEGIN EXECUTE 'CREATE TABLE person (a date, b int)'; END $$;\n"
        "CREATE VIEW v1 AS SELECT a FROM person;\n",
        "DROP TABLE person CASCADE;\nCREATE TABLE person (c bytea);\n",
    ]
    for number, text in enumerate(files, start=1):
        (folder / f"{number:04d}_m.sql").write_text(text, encoding="utf-8")
    history = load_history(folder, tmp_path, "postgres")
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
    assert [v.name for v in history.steps[0].schema.views] == ["v1"]
    assert history.steps[1].schema.views == ()
