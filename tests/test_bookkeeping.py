"""``erdgen diff --db``: each tool's own bookkeeping table in a real SQLite database.

The databases are built here with the tables as the tools create them (their DDL from
LAYOUTS.md §1.1 and the sources it cites) and the schema the applied migrations built, by
replaying their up SQL in SQLite; erdgen then has to say which migrations are applied,
failed, pending, changed since applied, or unknown to the folder.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.core.history import load_history
from erdgen.layouts import discover
from erdgen.rules.livediff import diff_database

T = "CREATE TABLE t{n} (id INTEGER);\n"


@dataclass
class Case:
    files: dict[str, str]
    ddl: str
    rows: list[tuple[str, tuple[object, ...]]]  # (INSERT ... VALUES (?...), parameters)
    replayed: int  # how many migrations the database has really run
    applied: list[str]
    pending: list[str]
    failed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


JOURNAL = json.dumps(
    {"version": "7", "dialect": "sqlite", "entries": [
        {"idx": i, "version": "6", "when": 1000 + i, "tag": f"000{i}_m", "breakpoints": True}
        for i in range(3)
    ]}
)  # fmt: skip

CASES = {
    "diesel": Case(
        {f"2024-01-0{n}-000000_m/up.sql": T.format(n=n) for n in (1, 2, 3)},
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, "
        "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        [("INSERT INTO __diesel_schema_migrations (version) VALUES (?)", (v,))
         for v in ("20240101000000", "20240102000000", "20230101000000")],
        2, ["20240101000000", "20240102000000"], ["20240103000000"],
        unknown=["20230101000000"],
    ),
    "prisma": Case(
        {"migration_lock.toml": 'provider = "sqlite"\n'}
        | {f"2024010{n}000000_m/migration.sql": T.format(n=n) for n in (1, 2, 3)},
        "CREATE TABLE _prisma_migrations (id TEXT PRIMARY KEY NOT NULL, checksum TEXT NOT NULL, "
        "finished_at DATETIME, migration_name TEXT NOT NULL, logs TEXT, rolled_back_at "
        "DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, "
        "applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0)",
        [
            ("INSERT INTO _prisma_migrations VALUES ('a', ?, 1, ?, NULL, NULL, 1, 1)",
             (sha256(T.format(n=1)), "20240101000000_m")),
            ("INSERT INTO _prisma_migrations VALUES ('b', ?, 2, ?, NULL, NULL, 2, 1)",
             (sha256("edited"), "20240102000000_m")),
            ("INSERT INTO _prisma_migrations VALUES ('c', ?, NULL, ?, 'x', NULL, 3, 0)",
             (sha256(T.format(n=3)), "20240103000000_m")),
        ],
        2, ["20240101000000_m", "20240102000000_m"], [], failed=["20240103000000_m"],
        changed=["20240102000000_m"],
    ),
    "drizzle": Case(
        {"meta/_journal.json": JOURNAL} | {f"000{n}_m.sql": T.format(n=n) for n in range(3)},
        "CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash text NOT NULL, "
        "created_at numeric)",
        [("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)",
          (sha256(T.format(n=0)), 1000))],
        1, ["0000_m"], ["0001_m", "0002_m"],
    ),
    "golang-migrate": Case(
        {f"{n}_m.up.sql": T.format(n=n) for n in (1, 2, 3)},
        "CREATE TABLE schema_migrations (version uint64, dirty bool)",
        [("INSERT INTO schema_migrations VALUES (?, ?)", (2, 1))],  # 2 failed half-way
        1, ["1"], ["3"], failed=["2"],
    ),
    "dbmate": Case(
        {f"2024010{n}_m.sql": f"-- migrate:up\n{T.format(n=n)}-- migrate:down\n" for n in (1, 2)},
        "CREATE TABLE schema_migrations (version varchar(128) primary key)",
        [("INSERT INTO schema_migrations VALUES (?)", ("20240101",))],
        1, ["20240101"], ["20240102"],
    ),
    "goose": Case(
        {f"0000{n}_m.sql": f"-- +goose Up\n{T.format(n=n)}" for n in (1, 2, 3)},
        "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id "
        "INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT "
        "(datetime('now')))",
        [("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", row)
         for row in ((0, 1), (1, 1), (2, 1), (2, 0))],  # 2 was rolled back
        1, ["1"], ["2", "3"],
    ),
    "sqlx": Case(
        {f"{n}_m.sql": T.format(n=n) for n in (1, 2, 3)} | {"../Cargo.toml": "sqlx = '0.8'\n"},
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, "
        "installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, "
        "checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)",
        [("INSERT INTO _sqlx_migrations VALUES (?, 'm', 0, ?, ?, 0)", row) for row in (
            (1, 1, hashlib.sha384(T.format(n=1).encode()).digest()),
            (2, 1, hashlib.sha384(b"edited").digest()),
            (3, 0, hashlib.sha384(T.format(n=3).encode()).digest()),
        )],
        2, ["1", "2"], [], failed=["3"], changed=["2"],
    ),
    "flyway": Case(
        {"V1__m.sql": T.format(n=1), "V1_1__m.sql": T.format(n=2), "V2__m.sql": T.format(n=3)},
        "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version "
        "VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script "
        "VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, "
        "installed_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), "
        "execution_time INT NOT NULL, success BOOLEAN NOT NULL)",
        [("INSERT INTO flyway_schema_history VALUES (?, ?, 'm', 'SQL', 's', ?, 'u', 0, 0, ?)",
          row) for row in ((1, "1.0", None, 1), (2, "1.1", 12345, 1))],
        2, ["1", "1.1"], ["2"], changed=["1.1"],
    ),
    "atlas": Case(
        {f"2024010{n}_m.sql": T.format(n=n) for n in (1, 2)} | {"atlas.sum": ""},
        "CREATE TABLE atlas_schema_revisions (version TEXT PRIMARY KEY, description TEXT, "
        "type INTEGER, applied INTEGER, total INTEGER, executed_at DATETIME, execution_time "
        "INTEGER, error TEXT, error_stmt TEXT, hash TEXT, partial_hashes JSON, "
        "operator_version TEXT)",
        [("INSERT INTO atlas_schema_revisions (version, applied, total, error) VALUES "
          "(?, ?, ?, ?)", row) for row in (("20240101", 1, 1, None), ("20240102", 0, 1, "x"))],
        1, ["20240101"], [], failed=["20240102"],
    ),
}  # fmt: skip


def build(root: Path, case: Case) -> Path:
    folder = root / "migrations"
    for name, text in case.files.items():
        path = (folder / name).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    migrations = discover(folder, root).migrations
    database = root / "app.sqlite"
    with sqlite3.connect(database) as conn:
        for migration in migrations[: case.replayed]:
            conn.executescript(migration.sql)
        conn.execute(case.ddl)
        for sql, parameters in case.rows:
            conn.execute(sql, parameters)
    conn.close()
    return database


@pytest.mark.parametrize("tool", list(CASES))
def test_each_tools_table_says_applied_failed_pending_changed_unknown(
    tmp_path: Path, tool: str
) -> None:
    case = CASES[tool]
    if tool == "atlas":  # a valid sum, so that only the table speaks
        (tmp_path / "migrations").mkdir()
    database = build(tmp_path, case)
    found = discover(tmp_path / "migrations", tmp_path)
    history = load_history(tmp_path / "migrations", tmp_path)
    report = diff_database(database, history, found.layout)
    assert [m.id for m in report.applied] == case.applied
    assert [s.migration.id for s in report.pending] == case.pending
    assert [m.id for m in report.failed] == case.failed
    assert [m.id for m in report.changed] == case.changed
    assert list(report.unknown) == case.unknown
    assert report.differences == ()  # the bookkeeping table itself is not schema


def test_the_command_names_failed_and_changed_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = build(tmp_path, CASES["sqlx"])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "--db", str(database)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == "  applied: 2 of 3 migrations (last: 2 m), as _sqlx_migrations records"
    assert "  failed: 3 m started but did not finish (_sqlx_migrations)" in lines
    assert "  changed: 2 m differs from the file that was applied" in lines


def test_a_table_the_tool_config_renames_is_read_and_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\nmigrations_table = "applied_migrations"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "migrations"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"000{n}_m.sql").write_text(T.format(n=n), encoding="utf-8")
    database = tmp_path / "local.sqlite"
    with sqlite3.connect(database) as conn:
        conn.executescript(T.format(n=1))
        conn.execute(
            "CREATE TABLE applied_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        conn.execute("INSERT INTO applied_migrations (name) VALUES ('0001_m.sql')")
    conn.close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "--db", str(database)])
    assert result.exit_code == 1  # 0002 is pending
    lines = result.stdout.splitlines()
    assert lines[1] == "  applied: 1 of 2 migrations (last: 0001 m), as applied_migrations records"
    assert "  schema: matches the model after 0001 m" in lines
