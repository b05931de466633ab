"""Folders a fresh database cannot build: the explained error, and ``--keep-going``.

Every expected text below includes SQLite's own message, taken from sqlite3 itself
(``sqlite_says``), so the tests follow SQLite's wording rather than a copy of it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from erdgen.cli import main
from erdgen.core.compare import verify
from erdgen.core.fresh import KEEP_GOING_HINT
from erdgen.core.history import load_history
from erdgen.dialects.sqlite.engine import replay_final
from erdgen.layouts import discover_migrations as discover
from erdgen.model import SkippedStatement

LEGACY = "CREATE TABLE comments (id INTEGER PRIMARY KEY, body TEXT);\n"
REDEFINED = (
    "-- comments on any entity\n"
    "CREATE TABLE IF NOT EXISTS comments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  entity_type TEXT NOT NULL,\n"
    "  body TEXT\n"
    ");\n"
    "CREATE INDEX idx_comments_entity ON comments(entity_type);\n"
)


CAUSE = (
    "migrations/0002_comments.sql:2:1: this CREATE TABLE IF NOT EXISTS comments did nothing: "
    "table comments already existed with another definition, created at "
    "migrations/0001_legacy.sql:1:1, and the database kept that one"
)


def sqlite_says(*statements: str) -> str:
    """SQLite's error message for the last statement, after the others ran."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in statements[:-1]:
            conn.execute(statement)
        conn.execute(statements[-1])
    except sqlite3.Error as error:
        return str(error)
    finally:
        conn.close()
    raise AssertionError("SQLite accepted the statement")


def run(
    tmp_path: Path,
    files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    target: str = "migrations",
) -> Result:
    folder = tmp_path / "migrations"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, [*args, target])


def test_an_if_not_exists_that_kept_the_old_shape_is_named_with_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_legacy.sql": LEGACY, "0002_comments.sql": REDEFINED}
    result = run(tmp_path, files, monkeypatch, "export", "--format", "json")
    reason = sqlite_says(
        LEGACY, "CREATE INDEX idx_comments_entity ON comments(entity_type)"
    )  # "no such column: entity_type"
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"migrations/0002_comments.sql:7:1: error: SQLite rejects this statement: {reason}\n"
        "    CREATE INDEX idx_comments_entity ON comments(entity_type);\n"
        "migrations/0002_comments.sql:2:1: note: this CREATE TABLE IF NOT EXISTS comments did "
        "nothing: table comments already existed with another definition, created at "
        "migrations/0001_legacy.sql:1:1, and the database kept that one\n"
        f"{KEEP_GOING_HINT}\n"
    )


def test_a_table_that_a_later_migration_creates_is_named_with_that_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "0001_tags.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n\n"
        "INSERT INTO tags (name) VALUES ('news');\n",
        "0002_more.sql": "SELECT 1;\n",
        "0003_create_tags.sql": "-- tags\n\nCREATE TABLE IF NOT EXISTS tags (name TEXT);\n",
    }
    result = run(tmp_path, files, monkeypatch, "export")
    reason = sqlite_says("INSERT INTO tags (name) VALUES ('news')")
    assert result.exit_code == 2
    assert result.stderr == (
        f"migrations/0001_tags.sql:3:1: error: SQLite rejects this statement: {reason}\n"
        "    INSERT INTO tags (name) VALUES ('news');\n"
        "migrations/0003_create_tags.sql:3:1: note: table tags is created only later, by "
        "migration 0003_create_tags.sql, which runs after this one\n"
        f"{KEEP_GOING_HINT}\n"
    )


def test_a_missing_table_in_ddl_is_explained_by_the_reader_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """erdgen's own reader stops here (an index on a missing table), not the cross-check."""
    files = {
        "0001_index.sql": "CREATE INDEX ix_t_a ON t(a);\n",
        "0002_t.sql": "CREATE TABLE t (a INTEGER);\n",
    }
    result = run(tmp_path, files, monkeypatch, "export", "--no-verify")
    reason = sqlite_says("CREATE INDEX ix_t_a ON t(a)")
    assert result.exit_code == 2
    assert result.stderr == (
        f"migrations/0001_index.sql:1:1: error: SQLite rejects this statement: {reason}\n"
        "    CREATE INDEX ix_t_a ON t(a);\n"
        "migrations/0002_t.sql:1:1: note: table t is created only later, by migration "
        "0002_t.sql, which runs after this one\n"
        f"{KEEP_GOING_HINT}\n"
    )


def test_a_syntax_error_gets_no_fresh_database_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(tmp_path, {"0001_x.sql": "CREAT TABLE t (a);\n"}, monkeypatch, "export")
    assert result.exit_code == 2
    assert "note:" not in result.stderr


def test_keep_going_documents_what_sqlite_builds_and_lists_what_it_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_legacy.sql": LEGACY, "0002_comments.sql": REDEFINED}
    result = run(tmp_path, files, monkeypatch, "export", "--keep-going")
    reason = sqlite_says(LEGACY, "CREATE INDEX idx_comments_entity ON comments(entity_type)")
    assert result.exit_code == 0, result.stderr
    assert (
        "migrations/0002_comments.sql:7:1: warning: skipped (--keep-going): "
        f"{reason}; {CAUSE} [skipped]\n"
        "    CREATE INDEX idx_comments_entity ON comments(entity_type);\n"
    ) in result.stderr
    history = load_history(tmp_path / "migrations", tmp_path, keep_going=True)
    assert history.steps[0].skipped == ()
    assert history.steps[1].skipped == (
        SkippedStatement(
            history.steps[1].skipped[0].location,
            "CREATE INDEX idx_comments_entity ON comments(entity_type);",
            reason,
            (CAUSE,),
        ),
    )
    assert str(history.steps[1].skipped[0].location) == "migrations/0002_comments.sql:7:1"
    comments = history.schema.table("comments")
    assert comments is not None and [c.name for c in comments.columns] == ["id", "body"]


def test_keep_going_matches_the_engine_replay_and_its_skips(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text(
        "INSERT INTO later (x) VALUES (1);\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n"
        "ALTER TABLE a ADD COLUMN id TEXT;\nALTER TABLE a ADD COLUMN note TEXT;\n"
    )
    (folder / "0002_later.sql").write_text(
        "BEGIN TRANSACTION;\nCREATE TABLE later (x INT);\nDROP TABLE nope;\n"
        "CREATE INDEX ix_later ON later(x);\nCOMMIT;\n"
    )
    history = load_history(folder, tmp_path, keep_going=True)
    skipped: list[SkippedStatement] = []
    final = replay_final(discover(folder, tmp_path), None, skipped)
    assert [str(s.location) for s in history.skipped] == [str(s.location) for s in skipped]
    assert [s.reason for s in history.skipped] == [s.reason for s in skipped]
    assert [str(s.location) for s in skipped] == [
        "migrations/0001_a.sql:1:1",
        "migrations/0001_a.sql:3:1",
        "migrations/0002_later.sql:3:1",
    ]
    report = verify(history)
    assert report.agrees, list(report.lines())
    assert [t.name for t in final.tables] == ["a", "later"]


def test_keep_going_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.erdgen]\nkeep_going = true\n")
    files = {"0001_legacy.sql": LEGACY, "0002_comments.sql": REDEFINED}
    result = run(tmp_path, files, monkeypatch, "verify")
    assert result.exit_code == 0, result.output
    assert "the model agrees with SQLite" in result.stdout


def test_check_lists_each_skipped_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_legacy.sql": LEGACY, "0002_comments.sql": REDEFINED}
    result = run(tmp_path, files, monkeypatch, "check", "--keep-going", "--rule", "docs-stale=off")
    reason = sqlite_says(LEGACY, "CREATE INDEX idx_comments_entity ON comments(entity_type)")
    assert (
        "migrations/0002_comments.sql:7: fails-on-fresh-database: a fresh database refuses "
        f"this statement ({reason}); --keep-going skipped it; {CAUSE} [error]"
    ) in result.stdout.splitlines()
    assert result.exit_code == 1


def test_skipped_statements_are_listed_on_their_page_and_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_legacy.sql": LEGACY, "0002_comments.sql": REDEFINED}
    build = ("build", "--keep-going", "--quiet", "--project-dir")
    result = run(tmp_path, files, monkeypatch, *build, target=".")
    assert result.exit_code == 0, result.output
    reason = sqlite_says(LEGACY, "CREATE INDEX idx_comments_entity ON comments(entity_type)")
    pages = tmp_path / "docs" / "schema"
    english = (pages / "migrations" / "0002.en.md").read_text()
    assert (
        '!!! warning "Skipped on a fresh database"\n'
        "    The engine refuses these statements when the folder is applied to an empty "
        "database; with --keep-going they are skipped, and this documentation shows what is "
        "built without them:\n\n"
        f"    line 7: `{reason}`\n\n"
        "    ```sql\n"
        "    CREATE INDEX idx_comments_entity ON comments(entity_type);\n"
        "    ```\n"
    ) in english
    german = (pages / "migrations" / "0002.md").read_text()
    assert '!!! warning "Auf einer frischen Datenbank übersprungen"' in german
    assert f"    Zeile 7: `{reason}`" in german
    timeline = (pages / "timeline.en.md").read_text()
    assert "— ⚠️ 1 statement skipped on a fresh database" in timeline
    assert "skipped" not in (pages / "migrations" / "0001.en.md").read_text()


def test_a_view_created_later_is_named_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "0001_t.sql": "CREATE TABLE t (a INT);\n"
        "CREATE TABLE counts AS SELECT count(*) FROM recent;\n",
        "0002_views.sql": "CREATE VIEW recent AS SELECT a FROM t;\n",
    }
    result = run(tmp_path, files, monkeypatch, "export")
    reason = sqlite_says("CREATE TABLE counts AS SELECT count(*) FROM recent")
    assert result.exit_code == 2
    assert result.stderr == (
        f"migrations/0001_t.sql:2:1: error: SQLite rejects this statement: {reason}\n"
        "    CREATE TABLE counts AS SELECT count(*) FROM recent;\n"
        "migrations/0002_views.sql:1:1: note: view recent is created only later, by migration "
        "0002_views.sql, which runs after this one\n"
        f"{KEEP_GOING_HINT}\n"
    )
