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


def test_the_journal_alone_says_turso(tmp_path: Path) -> None:
    folder = tmp_path / "drizzle"
    shutil.copytree(FIXTURE / "drizzle", folder)
    assert dialects.detect(folder, tmp_path) == "libsql"
    (folder / "meta" / "_journal.json").write_text('{"version": "7", "dialect": "sqlite"}')
    assert dialects.detect(folder, tmp_path) == "sqlite"


def test_plain_sqlite_rejects_alter_column_in_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURE / "drizzle", tmp_path / "drizzle")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--dialect", "sqlite", "drizzle"])
    assert result.exit_code == 2
    assert result.stderr == (
        'drizzle/0001_lush_hellcat.sql:1:21: error: SQLite rejects this statement: near "ALTER": '
        "syntax error\n"
        '    ALTER TABLE `users` ALTER COLUMN "age" TO "age" integer DEFAULT 18 NOT NULL;\n'
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
def alter_cases(draw: st.DrawFn) -> tuple[str, ...]:
    """Tables p and t, maybe an index, then one ALTER COLUMN of t in any form."""
    columns = [draw(column_definition(f"c{n}", [*PLAIN, "UNIQUE"])) for n in range(3)]
    tail = draw(st.sampled_from(["", ", UNIQUE (c1)", ", FOREIGN KEY (c2) REFERENCES p(id)"]))
    setup = [
        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT)",
        f"CREATE TABLE t (id INTEGER PRIMARY KEY, {', '.join(columns)}{tail})",
    ]
    if draw(st.booleans()):
        setup.append("CREATE INDEX ix_t_c0 ON t (c0)")
    target = draw(st.sampled_from(["c0", "c1", "c2", "id", "nope"]))
    old = draw(st.sampled_from([target, target.upper(), f'"{target}"']))
    new = draw(st.sampled_from([target, target.upper(), f'"{target}"', f"`{target}`", "other"]))
    definition = draw(column_definition(new, CONSTRAINTS))
    return (*setup, f"ALTER TABLE t ALTER COLUMN {old} TO {definition}")


@settings(
    max_examples=int(os.environ.get("LIBSQL_EXAMPLES", "150")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(alter_cases())
def test_alter_column_to_is_what_libsql_answers(statements: tuple[str, ...]) -> None:
    conn, refusal = libsql_run(*statements)
    event("libSQL refuses" if refusal else "libSQL accepts")
    folder = migrations(";\n".join(statements) + ";\n")
    libsql_dialect = dialects.get("libsql")
    try:
        history = build_history(folder, libsql_dialect)
    except MigrationError as error:
        assert refusal is not None, f"erdgen refused what libSQL accepts: {error.format()}"
        assert error.message == f"libSQL rejects this statement: {refusal}"
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
        "**Summary:** +1 column · 2 columns changed · 1 constraint changed\n\n"
        "## Changes\n\n"
        "- [`users`](../tables/users.md)\n"
        "    - column `age` redefined (libSQL's ALTER COLUMN)\n"
        "        - `age`: nullable → NOT NULL\n"
        "        - `age`: default — → `18`\n"
        "    - column `team_id` redefined (libSQL's ALTER COLUMN)\n"
        "        - new foreign key `team_id` → `teams(id)`\n"
        "    - new column `nickname` `TEXT`\n"
    ) in page
    german = (project / "docs" / "schema" / "migrations" / "0001.md").read_text()
    assert "    - Spalte `age` neu definiert (ALTER COLUMN von libSQL)\n" in german
