"""A folder's SQL tells PostgreSQL from SQLite when no tool file names the dialect."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from corpus_order import CORPUS

from erdgen.dialects.postgres.detect import postgres_evidence

FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_corpus_folder_is_told_apart(folder: str) -> None:
    expected = folder.endswith("-postgres")
    assert postgres_evidence(CORPUS / folder) == expected


def test_the_bundled_sqlite_migrations_are_not_postgres() -> None:
    assert not postgres_evidence(Path(__file__).parents[2] / "migrations")


def test_a_marker_inside_a_comment_is_no_evidence(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("-- uses jsonb later\nCREATE TABLE t (a TEXT);\n")
    assert not postgres_evidence(tmp_path)
    (tmp_path / "0002_b.sql").write_text("ALTER TABLE t ADD b jsonb;\n")
    assert postgres_evidence(tmp_path)


@pytest.mark.parametrize(
    "sql",
    [
        'CREATE TABLE "::" (id INTEGER PRIMARY KEY);',  # a name, found by the DBML hostile test
        "CREATE TABLE t (a TEXT DEFAULT 'x::text', b TEXT DEFAULT '$$');",  # strings
        "CREATE TABLE `set search_path` ([create extension] TEXT);",  # MySQL/SQLite quotes
    ],
)
def test_markers_inside_names_and_strings_are_no_evidence(tmp_path: Path, sql: str) -> None:
    (tmp_path / "0001_a.sql").write_text(sql + "\n", encoding="utf-8")
    assert not postgres_evidence(tmp_path)
    sqlite3.connect(":memory:").executescript(sql)  # and SQLite accepts each of them


def test_a_psql_meta_command_is_evidence(tmp_path: Path) -> None:
    """sqitch's deploy scripts run in psql: `\\set ON_ERROR_STOP on` and plain DDL."""
    (tmp_path / "a.sql").write_text("BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n")
    assert not postgres_evidence(tmp_path)
    (tmp_path / "b.sql").write_text("\\set ON_ERROR_STOP on\nCREATE TABLE u (b int);\n")
    assert postgres_evidence(tmp_path)
