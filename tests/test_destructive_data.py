"""Data lost by a statement rather than a drop: a ``DELETE`` (or PostgreSQL's ``TRUNCATE``)
deletes rows that cannot be recovered, so the model calls it destructive and pages, export,
timeline and lint say so; Prisma Migrate's ``/* Warnings: ... */`` header is a note on it.
Beside them: a new column of a composite primary key is no primary key of its own.

SQLite judges the condition a page shows: counting the rows it selects before the DELETE
gives the number of rows SQLite deleted.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.core.row_loss import RowLoss, deleted_rows
from erdgen.descriptions import Descriptions
from erdgen.formats.json import export_data
from erdgen.render.markdown import code
from erdgen.render.pages import render_pages
from erdgen.rules.lint import lint

RULE = "destructive-change-without-note"
CREATE = "-- Quotas.\n\nCREATE TABLE t (a TEXT, b INTEGER);\n"
HOSTILE = "|`x`|"
# (what follows DELETE FROM t, the condition a page must show; "" for all rows)
TAILS = (
    ("", ""),
    (";", ""),
    ("WHERE b > 1", "b > 1"),
    ("WHERE a IS NULL", "a IS NULL"),
    (
        f"WHERE a = '{HOSTILE}' OR b IN (SELECT 1 WHERE 1)",
        f"a = '{HOSTILE}' OR b IN (SELECT 1 WHERE 1)",
    ),
    ('-- WHERE no\n WHERE "b" = 2 RETURNING a', '"b" = 2'),
    ("AS x WHERE x.b IS NOT NULL", "x.b IS NOT NULL"),
    # comments are no part of the condition; a string that looks like one is
    ("WHERE b > 1 -- old rows\n", "b > 1"),
    ("WHERE b = 2 /* not 3 */ AND a IS NULL", "b = 2 AND a IS NULL"),
    ("WHERE a = '-- kept' -- gone\n", "a = '-- kept'"),
)
ROWS = st.lists(
    st.tuples(st.sampled_from(["x", HOSTILE, None]), st.sampled_from([0, 1, 2, 3, None])),
    max_size=5,
)


def write(folder: Path, files: dict[str, str]) -> Path:
    migrations = folder / "migrations"
    shutil.rmtree(folder, ignore_errors=True)
    migrations.mkdir(parents=True)
    for name, sql in files.items():
        (migrations / name).write_text(sql, encoding="utf-8")
    return migrations


def pages(folder: Path, migrations: Path, language: str) -> dict[str, str]:
    config = Config(project_dir=folder, languages=(language,))
    history = load_history(migrations, folder)
    rendered = render_pages(history, Descriptions(), config)
    return {name: text.decode() for name, text in rendered.items()}


@settings(max_examples=40, deadline=None)
@given(tail=st.sampled_from(TAILS), rows=ROWS)
def test_a_delete_is_destructive_and_shows_the_rows_sqlite_deletes(
    tmp_path_factory: pytest.TempPathFactory, tail: tuple[str, str], rows: list[tuple[object, ...]]
) -> None:
    written, shown = tail
    statement = f"DELETE FROM t {written}".rstrip(";") + ";"
    connection = sqlite3.connect(":memory:")
    connection.executescript(CREATE)
    connection.executemany("INSERT INTO t VALUES (?, ?)", rows)
    condition = shown or "1"  # what the page says, run by SQLite before the DELETE
    alias = " AS x" if "x." in condition else ""
    (selected,) = connection.execute(f"SELECT count(*) FROM t{alias} WHERE {condition}").fetchone()
    before = connection.total_changes
    connection.executescript(statement)
    assert connection.total_changes - before == selected  # the condition is the DELETE's

    folder = tmp_path_factory.mktemp("delete")
    migrations = write(folder, {"0001_t.sql": CREATE, "0002_wipe.sql": f"-- Again.\n{statement}\n"})
    page = pages(folder, migrations, "en")["migrations/0002.en.md"]
    line = (
        "`DELETE`: all rows deleted"
        if not shown
        else (f"`DELETE`: rows deleted where {code(shown)} holds")
    )
    assert f"{line} — ⚠️ **destructive**" in page, page
    assert "Destructive migration" in page
    history = load_history(migrations, folder)
    entry = export_data(history)["timeline"][-1]
    assert entry["destructive"] is True
    kind = "deleted_where" if shown else "deleted_all"
    assert entry["changes"][0]["rows_lost"] == [{"kind": kind, "sql": shown}]
    (found,) = [f for f in lint(history) if f.rule == RULE]
    how = f"rows deleted where `{shown}`" if shown else "all rows deleted"
    assert found.message.startswith(f"DELETE on table t: {how}, but the header comment")


def test_the_german_pages_and_the_timeline_mark_a_delete(tmp_path: Path) -> None:
    migrations = write(tmp_path, {
        "0001_t.sql": CREATE,
        "0002_wipe.sql": "-- Start over.\nDELETE FROM t;\nDELETE FROM t WHERE b > 1;\n",
        "0003_seed.sql": "-- Seed.\nINSERT INTO t VALUES ('x', 1);\nUPDATE t SET b = 2;\n",
    })  # fmt: skip
    de = pages(tmp_path, migrations, "de")
    page = de["migrations/0002.md"]
    assert "!!! danger" in page
    assert "`DELETE`: alle Zeilen gelöscht — ⚠️ **destruktiv**" in page
    assert "`DELETE`: Zeilen gelöscht, für die `b > 1` gilt — ⚠️ **destruktiv**" in page
    assert "`DELETE`: alle Zeilen gelöscht — ⚠️ **destruktiv**" in de["tables/t.md"]
    rows = {
        line.split("</a>")[0]: line for line in de["timeline.md"].splitlines() if "m-000" in line
    }
    assert "⚠️ destruktiv" in rows['| <a id="m-0002">']
    assert "destruktiv" not in rows['| <a id="m-0003">']  # INSERT and UPDATE delete nothing
    seed = de["migrations/0003.md"]
    assert "!!! danger" not in seed and "Datenänderung: `UPDATE`" in seed


def test_a_note_in_the_header_silences_the_lint(tmp_path: Path) -> None:
    files = {"0001_t.sql": CREATE, "0002_wipe.sql": "-- Start over.\nDELETE FROM t;\n"}
    history = load_history(write(tmp_path, files), tmp_path)
    assert [f"{f.location}: {f.message}" for f in lint(history) if f.rule == RULE] == [
        "migrations/0002_wipe.sql:2:1: DELETE on table t: all rows deleted, but the header "
        "comment of 0002_wipe.sql does not say so (mention the drop, or add "
        "`-- erdgen: destructive`)"
    ]
    files["0002_wipe.sql"] = "-- Start over: delete every quota.\nDELETE FROM t;\n"
    history = load_history(write(tmp_path, files), tmp_path)
    assert [f for f in lint(history) if f.rule == RULE] == []
    # a scratch table of the migration holds no old rows: emptying it loses nothing
    files["0002_wipe.sql"] = (
        "-- Seed.\nCREATE TABLE s (a TEXT);\nINSERT INTO s VALUES ('x');\nDELETE FROM s;\n"
    )
    history = load_history(write(tmp_path, files), tmp_path)
    assert [f for f in lint(history) if f.rule == RULE] == []


def test_truncate_and_delete_are_read_the_same_in_every_dialect() -> None:
    assert deleted_rows("TRUNCATE TABLE a, b RESTART IDENTITY", "TRUNCATE") == (
        RowLoss("deleted_all"),
    )
    assert deleted_rows("DELETE FROM ONLY t USING u WHERE t.k = u.k RETURNING t.k", "DELETE") == (
        RowLoss("deleted_where", "t.k = u.k"),
    )
    assert deleted_rows(
        "WITH gone AS (DELETE FROM a WHERE x RETURNING id) DELETE FROM t WHERE id IN "
        "(SELECT id FROM gone) ORDER BY id LIMIT 5", "DELETE"
    ) == (RowLoss("deleted_where", "id IN (SELECT id FROM gone)"),)  # fmt: skip
    assert deleted_rows("INSERT INTO t SELECT * FROM u WHERE x", "INSERT") == ()
    assert deleted_rows("UPDATE t SET a = 1 WHERE b", "UPDATE") == ()


# --- Prisma Migrate's warnings header ------------------------------------------------------

PRISMA = """/*
  Warnings:

  - You are about to drop the column `legacy` on the `users` table. All the data in the column\
 will be lost.

*/
-- AlterTable
ALTER TABLE "users" DROP COLUMN "legacy";
"""
PRISMA_OTHER = """/*
  Warnings:

  - Added the required column `name` to the `users` table without a default value. This is\
 not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "users" DROP COLUMN "legacy";
"""


@pytest.mark.parametrize(("text", "reported"), [(PRISMA, False), (PRISMA_OTHER, True)])
def test_prismas_warning_of_lost_data_is_a_note(tmp_path: Path, text: str, reported: bool) -> None:
    files = {
        "0001_init.sql": "CREATE TABLE users (id TEXT PRIMARY KEY, legacy TEXT);\n",
        "0002_drop.sql": text,
    }
    sqlite3.connect(":memory:").executescript(files["0001_init.sql"] + text)
    history = load_history(write(tmp_path, files), tmp_path)
    found = [f"{f.location.line}: {f.message}" for f in lint(history) if f.rule == RULE]
    assert found == (
        ["8: drops column users.legacy, but the header comment of 0002_drop.sql does not say so "
         "(mention the drop, or add `-- erdgen: destructive`)"] if reported else []
    )  # fmt: skip


# --- a new column of a composite primary key -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "new column `c` `TEXT NOT NULL`, part of the primary key (`b`, `c`)"),
        ("de", "neue Spalte `c` `TEXT NOT NULL`, Teil des Primärschlüssels (`b`, `c`)"),
    ],
)
def test_a_column_of_a_composite_key_is_no_primary_key_of_its_own(
    tmp_path: Path, language: str, expected: str
) -> None:
    files = {
        "0001_k.sql": "CREATE TABLE k (a TEXT NOT NULL, b TEXT NOT NULL, v TEXT);\n"
        "CREATE TABLE one (x INTEGER);\n",
        "0002_pk.sql": "-- Composite key, dropping nothing.\n"
        "CREATE TABLE new_k (a TEXT NOT NULL, b TEXT NOT NULL, c TEXT NOT NULL, v TEXT,"
        " PRIMARY KEY (b, c));\n"
        "INSERT INTO new_k (a, b, c, v) SELECT a, b, 'x', v FROM k;\n"
        "DROP TABLE k;\nALTER TABLE new_k RENAME TO k;\n"
        "CREATE TABLE new_one (x INTEGER, y TEXT PRIMARY KEY);\n"
        "INSERT INTO new_one (x, y) SELECT x, 'y' FROM one;\n"
        "DROP TABLE one;\nALTER TABLE new_one RENAME TO one;\n",
    }
    connection = sqlite3.connect(":memory:")
    connection.executescript(files["0001_k.sql"] + files["0002_pk.sql"])
    keyed = connection.execute("SELECT name, pk FROM pragma_table_info('k') WHERE pk").fetchall()
    assert keyed == [("b", 1), ("c", 2)]  # SQLite: one key of two columns
    page = pages(tmp_path, write(tmp_path, files), language)[
        "migrations/0002.md" if language == "de" else "migrations/0002.en.md"
    ]
    assert expected in page, page
    assert "`TEXT PRIMARY KEY NOT NULL`" not in page  # nor read as a key of its own
    assert "`y` `TEXT PRIMARY KEY`" in page  # a one-column key still says so
