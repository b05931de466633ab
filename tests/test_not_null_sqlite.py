"""``not-null-column-without-default`` in SQLite and libSQL folders, judged by SQLite: the
rule reports an ``ADD COLUMN`` exactly when SQLite refuses it on the table holding one row
("Cannot add a NOT NULL column with default value NULL"), while an empty table (a fresh
development database) accepts it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.core.history import load_history
from erdgen.rules.lint import lint

RULE = "not-null-column-without-default"
REFUSED = "Cannot add a NOT NULL column with default value NULL"
CREATE = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
COLUMNS = st.builds(
    lambda kind, not_null, default: f"z {kind}{not_null}{default}",
    st.sampled_from(["INTEGER", "TEXT", "", "VARCHAR(3)"]),
    st.sampled_from(["", " NOT NULL"]),
    st.sampled_from(
        [
            "",
            " DEFAULT NULL",
            " DEFAULT (NULL)",
            " DEFAULT 0",
            " DEFAULT 'x'",
            " DEFAULT (1 + 1)",
            " DEFAULT CURRENT_TIMESTAMP",
            " AS (id + 1)",
            " AS (a) VIRTUAL",
            " DEFAULT -1",
        ]
    ),
)


def sqlite_refuses(column: str, rows: int) -> str:
    """SQLite's error adding the column to ``t`` holding ``rows`` rows ("" when it accepts)."""
    connection = sqlite3.connect(":memory:")
    connection.executescript(CREATE)
    connection.executemany("INSERT INTO t (a) VALUES (?)", [("v",)] * rows)
    try:
        connection.execute(f"ALTER TABLE t ADD COLUMN {column}")
    except sqlite3.OperationalError as error:
        return str(error)
    return ""


def findings(folder: Path, files: dict[str, str]) -> list[str]:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "migrations").mkdir(parents=True)
    for name, sql in files.items():
        (folder / "migrations" / name).write_text(sql, encoding="utf-8")
    history = load_history(folder / "migrations", folder)
    return [
        f"{f.location.path}:{f.location.line}: {f.message}" for f in lint(history) if f.rule == RULE
    ]


@settings(max_examples=40, deadline=None)
@given(column=COLUMNS)
def test_reported_exactly_when_sqlite_refuses_the_column_on_a_table_with_a_row(
    tmp_path_factory: pytest.TempPathFactory, column: str
) -> None:
    if sqlite_refuses(column, 0):
        return  # refused even on an empty table: the build itself fails, no lint needed
    folder = tmp_path_factory.mktemp("nn")
    found = findings(folder, {
        "0001_t.sql": f"-- t.\n{CREATE}",
        "0002_z.sql": f"-- z.\nALTER TABLE t ADD COLUMN {column};\n",
    })  # fmt: skip
    assert bool(found) == (sqlite_refuses(column, 1) == REFUSED), (column, found)
    if found:
        named = column.split(" NOT NULL")[0].rstrip()  # "z INTEGER", "z" without a type
        assert found == [
            f"migrations/0002_z.sql:2: ADD COLUMN {named} NOT NULL without a DEFAULT: SQLite "
            f'refuses it as soon as t has a row ("{REFUSED}"): add a DEFAULT, or rebuild the '
            "table with the new column filled"
        ]


def test_a_table_made_or_emptied_by_the_migration_holds_no_row(tmp_path: Path) -> None:
    column = "z INTEGER NOT NULL"
    assert sqlite_refuses(column, 1) == REFUSED and sqlite_refuses(column, 0) == ""
    files = {
        "0001_t.sql": f"-- t.\n{CREATE}",
        "0002_z.sql": "-- Start over: delete all of t.\nDELETE FROM t;\n"
        f"ALTER TABLE t ADD COLUMN {column};\n"
        "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
        f"ALTER TABLE u ADD COLUMN {column};\n",
        "0003_w.sql": "-- w.\nDELETE FROM t WHERE id > 1;\n"
        "ALTER TABLE t ADD COLUMN w TEXT NOT NULL;\n",
    }
    assert findings(tmp_path, files) == [
        "migrations/0003_w.sql:3: ADD COLUMN w TEXT NOT NULL without a DEFAULT: SQLite refuses "
        f'it as soon as t has a row ("{REFUSED}"): add a DEFAULT, or rebuild the table with '
        "the new column filled"
    ]
