"""`erdgen diff --db`: databases built with sqlite3 from the bundled migrations, then altered."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from erdgen.cli import main
from erdgen.core.history import load_history
from erdgen.layouts import discover_migrations as discover
from erdgen.rules.livediff import diff_database

ROOT = Path(__file__).parents[1]
MIGRATIONS = discover(ROOT / "migrations", ROOT)

# What wrangler creates in a local D1 database (wrangler's migrations code).
D1_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS d1_migrations(
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
"""


def database(
    path: Path, applied: int = len(MIGRATIONS), *, d1: bool = True, extra: str = ""
) -> Path:
    """A database with the first ``applied`` migrations run by SQLite itself, then ``extra``."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")  # a test database: no fsync per statement
    if d1:
        conn.executescript(D1_MIGRATIONS)
        conn.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
    for migration in MIGRATIONS[:applied]:
        conn.executescript(migration.sql)
        if d1:
            name = Path(migration.path).name
            conn.execute("INSERT INTO d1_migrations (name) VALUES (?)", (name,))
    conn.executescript(extra)
    conn.commit()
    conn.close()
    return path


def erdgen_diff(paths: Iterable[Path]) -> Result:
    arguments = ["diff"]
    for path in paths:
        arguments += ["--db", str(path)]
    return CliRunner().invoke(main, [*arguments, str(ROOT / "migrations")])


def test_an_up_to_date_database_matches(tmp_path: Path) -> None:
    db = database(tmp_path / "local.sqlite")
    result = erdgen_diff([db])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{db}\n"
        "  applied: 11 of 11 migrations (last: 0010 drop_password_artifacts)\n"
        "  pending: none\n"
        "  schema: matches the model after 0010 drop_password_artifacts\n"
    )


def test_a_dropped_index_and_an_extra_column_are_named(tmp_path: Path) -> None:
    extra = "DROP INDEX idx_ai_jobs_status; ALTER TABLE users ADD COLUMN nickname TEXT;"
    db = database(tmp_path / "local.sqlite", extra=extra)
    result = erdgen_diff([db])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  schema: 2 differences from the model after 0010 drop_password_artifacts" in lines
    differences = [line for line in lines if line.startswith("    ")]
    assert len(differences) == 2
    assert any("ai_jobs" in d and "idx_ai_jobs_status" in d for d in differences)
    assert any("users" in d and "nickname" in d for d in differences)


def test_pending_migrations_and_what_they_would_change(tmp_path: Path) -> None:
    db = database(tmp_path / "local.sqlite", applied=9)
    result = erdgen_diff([db])
    assert result.exit_code == 1
    assert result.output == (
        f"{db}\n"
        "  applied: 9 of 11 migrations (last: 0008 create_ai_jobs_table)\n"
        "  pending: 2\n"
        "    0009 update_ai_jobs_guest_ownership would: rebuild table ai_jobs; "
        "data (INSERT ai_jobs); create index idx_ai_jobs_user_created_at; "
        "create index idx_ai_jobs_owner_created_at; create index idx_ai_jobs_provider_job_id; "
        "create index idx_ai_jobs_status; create index idx_ai_jobs_created_at\n"
        "    0010 drop_password_artifacts would: drop table password_reset_tokens; "
        "drop column users.password_hash\n"
        "  schema: matches the model after 0008 create_ai_jobs_table\n"
    )


def test_a_migration_skipped_in_the_middle(tmp_path: Path) -> None:
    db = database(tmp_path / "local.sqlite")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM d1_migrations WHERE name LIKE '0005%'")
        conn.execute("INSERT INTO d1_migrations (name) VALUES ('0011_from_another_branch.sql')")
    conn.close()
    history = load_history(ROOT / "migrations", ROOT)
    report = diff_database(db, history)
    assert [step.migration.shown for step in report.pending] == ["0005"]
    assert [step.migration.shown for step in report.skipped] == ["0005"]
    assert report.unknown == ("0011_from_another_branch.sql",)
    output = erdgen_diff([db]).output
    assert "0005 add_notifications_table (numbered before the last applied one) would:" in output
    assert "unknown: 0011_from_another_branch.sql is recorded as applied" in output


def test_without_d1_migrations_the_latest_schema_is_compared(tmp_path: Path) -> None:
    db = database(tmp_path / "plain.sqlite", applied=10, d1=False)
    result = erdgen_diff([db])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1] == "  no d1_migrations table: cannot tell which migrations were applied"
    assert lines[2].startswith("  schema: ") and "after 0010 drop_password_artifacts" in lines[2]
    assert any("password_reset_tokens" in line for line in lines[3:])


def test_two_databases_are_reported_one_after_the_other(tmp_path: Path) -> None:
    current = database(tmp_path / "a.sqlite")
    behind = database(tmp_path / "b.sqlite", applied=10)
    result = erdgen_diff([current, behind])
    assert result.exit_code == 1
    first, second = result.output.split("\n\n")
    assert first.startswith(f"{current}\n") and "pending: none" in first
    assert second.startswith(f"{behind}\n") and "0010 drop_password_artifacts would:" in second


def test_the_database_is_only_read(tmp_path: Path) -> None:
    db = database(tmp_path / "local.sqlite", applied=5)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    erdgen_diff([db])
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.sqlite"]


@pytest.mark.parametrize("content", [None, b"not a database, just text\n" * 100])
def test_a_missing_or_broken_file_is_bad_input(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "x.sqlite"
    if content is not None:
        path.write_bytes(content)
    result = erdgen_diff([path])
    assert result.exit_code == 2
    expected = "cannot read the database" if content else "database not found"
    assert expected in result.output
