"""libSQL folders, judged by the libSQL engine itself (the PyPI package ``libsql``, no mocks).

A drizzle-kit "turso" folder is detected and read with libSQL's ALTER COLUMN; a property
compares random ``ALTER TABLE t ALTER COLUMN c TO c <definition>`` forms with what
libSQL answers through its PRAGMAs (or its refusal, word for word).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from folders import migrations
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from erdgen import dialects
from erdgen.cli import main
from erdgen.core.compare import compare, verify
from erdgen.core.history import build_history, load_history
from erdgen.dialects.libsql.engine import read
from erdgen.errors import MigrationError

libsql: Any = pytest.importorskip("libsql", reason="the libsql extra: pip install -e '.[libsql]'")

FIXTURE = Path(__file__).parent / "fixtures" / "drizzle-turso"


def libsql_run(*statements: str) -> tuple[Any, str | None]:
    """A libSQL database after ``statements``; libSQL's refusal of the last one, if any."""
    conn = libsql.connect(":memory:", isolation_level=None)
    for statement in statements[:-1]:
        conn.execute(statement)
    try:
        conn.execute(statements[-1])
    except (ValueError, libsql.Error) as error:
        return conn, str(error)
    return conn, None


def test_the_drizzle_turso_folder_is_detected_and_agrees_with_libsql(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(FIXTURE, project)
    folder = project / "drizzle"
    assert dialects.detect(folder, project) == "libsql"
    history = load_history(folder, project)
    assert history.dialect == "libsql"
    assert [d.code for d in history.diagnostics] == []
    report = verify(history)
    assert report.agrees, list(report.lines())
    assert report.summary() == "3 migrations, 3 tables: the model agrees with libSQL"
    users = history.schema.table("users")
    assert users is not None
    age = users.column("age")
    assert age is not None and (age.type, age.not_null, age.default) == ("INTEGER", True, "18")
    assert [(k.columns, k.ref_table, k.on_delete) for k in users.foreign_keys] == [
        (("team_id",), "teams", "CASCADE")
    ]


def test_the_config_says_turso_and_a_turso_journal_would_too(tmp_path: Path) -> None:
    """drizzle-kit 0.31 writes "dialect": "sqlite" into the journal even for turso: without
    its config the folder reads as SQLite's; a journal that says "turso" decides alone."""
    folder = tmp_path / "drizzle"
    shutil.copytree(FIXTURE / "drizzle", folder)
    assert dialects.detect(folder, tmp_path) == "sqlite"
    journal = folder / "meta" / "_journal.json"
    journal.write_text(journal.read_text().replace('"dialect": "sqlite"', '"dialect": "turso"'))
    assert dialects.detect(folder, tmp_path) == "libsql"
    assert load_history(folder, tmp_path).dialect == "libsql"


def test_plain_sqlite_rejects_alter_column_in_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURE / "drizzle", tmp_path / "drizzle")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--dialect", "sqlite", "drizzle"])
    assert result.exit_code == 2
    assert result.stderr == (
        'drizzle/0001_lush.sql:3:21: error: SQLite rejects this statement: near "ALTER": '
        "syntax error\n"
        '    ALTER TABLE `users` ALTER COLUMN "age" TO "age" integer NOT NULL DEFAULT 18;\n'
    )
    result = CliRunner().invoke(main, ["export", "--dialect", "libsql", "drizzle"])
    assert result.exit_code == 0, result.stderr


def test_keep_going_with_libsql_skips_what_libsql_refuses() -> None:
    folder = migrations(
        "CREATE TABLE t (a INTEGER UNIQUE, b TEXT);\n"
        "ALTER TABLE t ALTER COLUMN a TO a TEXT;\n"
        'ALTER TABLE t ALTER COLUMN "b" TO "b" INTEGER NOT NULL;\n'
    )
    history = build_history(folder, dialects.get("libsql"), keep_going=True)
    _conn, reason = libsql_run(
        "CREATE TABLE t (a INTEGER UNIQUE, b TEXT)", "ALTER TABLE t ALTER COLUMN a TO a TEXT"
    )
    assert [(str(s.location), s.reason) for s in history.skipped] == [
        ("migrations/0000_m0.sql:2:1", reason)
    ]
    assert verify(history).agrees


# --- the property: ALTER COLUMN TO against libSQL's PRAGMAs ------------------------------

TYPES = ["", "INTEGER", "text", "varchar(20)", "REAL", "NUMERIC", "blob", "BOOLEAN"]
CONSTRAINTS = [
    "NOT NULL",
    "DEFAULT 5",
    "DEFAULT 'x'",
    "DEFAULT (1 + 1)",
    "DEFAULT NULL",
    "COLLATE NOCASE",
    "CHECK ({c} IS NOT NULL)",
    "REFERENCES p(id) ON DELETE CASCADE",
    "REFERENCES p",
    "CONSTRAINT named NOT NULL",
    "UNIQUE",
    "PRIMARY KEY",
    "GENERATED ALWAYS AS (1) VIRTUAL",
]


@st.composite
def column_definition(draw: st.DrawFn, name: str, allow: list[str]) -> str:
    pieces = [name, draw(st.sampled_from(TYPES))]
    pieces += draw(st.lists(st.sampled_from(allow), max_size=3, unique=True))
    return " ".join(p for p in pieces if p).replace("{c}", name)


PLAIN = CONSTRAINTS[:10]


@st.composite
def alter_statement(draw: st.DrawFn) -> str:
    """One ALTER COLUMN of t in any form: names as written before or not, any definition."""
    target = draw(st.sampled_from(["c0", "c1", "c2", "c0", "c1", "c2", "id", "nope"]))
    old = draw(st.sampled_from([target, target.upper(), f'"{target}"']))
    others = [target, target.upper(), f'"{target}"', f"`{target}`", "other"]
    new = old if draw(st.integers(0, 9)) < 7 else draw(st.sampled_from(others))
    allowed = CONSTRAINTS if draw(st.booleans()) else PLAIN
    definition = draw(column_definition(new, allowed))
    return f"ALTER TABLE t ALTER COLUMN {old} TO {definition}"


@st.composite
def alter_cases(draw: st.DrawFn) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tables p and t (maybe WITHOUT ROWID), maybe an index; then one to three ALTER
    COLUMN statements, each a migration of its own."""
    columns = [draw(column_definition(f"c{n}", [*PLAIN, "UNIQUE"])) for n in range(3)]
    tail = draw(st.sampled_from(["", ", UNIQUE (c1)", ", FOREIGN KEY (c2) REFERENCES p(id)"]))
    options = draw(st.sampled_from(["", " WITHOUT ROWID"]))
    setup = [
        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT)",
        f"CREATE TABLE t (id INTEGER PRIMARY KEY, {', '.join(columns)}{tail}){options}",
    ]
    if draw(st.booleans()):
        setup.append("CREATE INDEX ix_t_c0 ON t (c0)")
    alters = tuple(draw(alter_statement()) for _ in range(draw(st.integers(1, 3))))
    return tuple(setup), alters


@settings(
    max_examples=int(os.environ.get("LIBSQL_EXAMPLES", "150")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(alter_cases())
def test_alter_column_to_is_what_libsql_answers(
    case: tuple[tuple[str, ...], tuple[str, ...]],
) -> None:
    setup, alters = case
    conn, refusal = libsql_run(*setup, "SELECT 1")
    refused_at = None
    for position, alter in enumerate(alters):
        try:
            conn.execute(alter)
        except (ValueError, libsql.Error) as error:
            refusal, refused_at = str(error), position + 1
            break
    event("libSQL refuses" if refusal else "libSQL accepts every ALTER")
    folder = migrations(";\n".join(setup) + ";\n", *(f"{alter};\n" for alter in alters))
    libsql_dialect = dialects.get("libsql")
    try:
        history = build_history(folder, libsql_dialect)
    except MigrationError as error:
        assert refusal is not None, f"erdgen refused what libSQL accepts: {error.format()}"
        assert error.message == f"libSQL rejects this statement: {refusal}"
        assert error.location is not None
        assert error.location.path == folder[refused_at or 0].path
        return
    assert refusal is None, f"libSQL refused: {refusal}; erdgen accepted it"
    differences = compare(history.schema, read(conn), libsql_dialect)
    assert differences == (), "\n".join(str(d) for d in differences)
    assert [d.code for d in history.diagnostics] == []


def test_alter_column_reads_as_a_redefined_column_on_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "app"
    shutil.copytree(FIXTURE, project)
    monkeypatch.chdir(project)
    args = ["build", "--quiet", "--migrations-dir", "drizzle", "--project-dir", "."]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = (project / "docs" / "schema" / "migrations" / "0001.en.md").read_text()
    assert (
        "**Summary:** +1 column · 2 columns changed · 1 constraint changed · "
        "2 indexes re-created unchanged\n\n"
        "## Changes\n\n"
        "- [`teams`](../tables/teams.md)\n"
        "    - unique index `teams_name_unique` on `name` dropped and created again with the "
        "same definition\n"
        "- [`users`](../tables/users.md)\n"
        "    - index `users_email_idx` on `email` dropped and created again with the same "
        "definition\n"
        "    - column `age` redefined (libSQL's ALTER COLUMN)\n"
        "        - `age`: nullable → NOT NULL\n"
        "        - `age`: default — → `18`\n"
        "    - new column `nickname` `TEXT`\n"
        "    - column `team_id` redefined (libSQL's ALTER COLUMN)\n"
        "        - new foreign key `team_id` → `teams(id)`\n"
    ) in page
    german = (project / "docs" / "schema" / "migrations" / "0001.md").read_text()
    assert "    - Spalte `age` neu definiert (ALTER COLUMN von libSQL)\n" in german


def test_a_turso_snapshot_in_drizzles_folder_layout_says_libsql(tmp_path: Path) -> None:
    folder = tmp_path / "drizzle"
    step = folder / "20250101000000_init"
    step.mkdir(parents=True)
    (step / "migration.sql").write_text("CREATE TABLE t (a INTEGER);\n")
    (step / "snapshot.json").write_text('{"version": "7", "dialect": "turso", "tables": {}}')
    assert dialects.detect(folder, tmp_path) == "libsql"
    (step / "snapshot.json").write_text('{"version": "7", "dialect": "sqlite", "tables": {}}')
    assert dialects.detect(folder, tmp_path) == "sqlite"


@pytest.mark.parametrize("keep_going", [False, True])
def test_a_legacy_rename_rewrites_references_as_libsql_does(keep_going: bool) -> None:
    """libsql's connections start with PRAGMA foreign_keys ON (SQLite's start OFF): a
    RENAME TABLE under legacy_alter_table then still rewrites other tables' REFERENCES."""
    pytest.importorskip("libsql", reason="the libsql extra: pip install -e '.[libsql]'")
    history = build_history(
        migrations(
            'CREATE TABLE "order lines" (x INTEGER PRIMARY KEY);\n'
            'CREATE TABLE "a b" (g BIGINT REFERENCES "order lines");\n',
            "BEGIN TRANSACTION;\nPRAGMA legacy_alter_table = ON;\n"
            'ALTER TABLE "order lines" RENAME TO "order lines_old";\n'
            'CREATE TABLE "order lines" (x INT);\nDROP TABLE "order lines_old";\nCOMMIT;\n',
        ),
        dialects.get("libsql"),
        keep_going=keep_going,
    )
    table = history.schema.table("a b")
    assert table is not None and [k.ref_table for k in table.foreign_keys] == ["order lines_old"]
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
