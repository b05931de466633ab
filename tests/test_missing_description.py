"""``missing-description`` points where a comment gives the description: the CREATE TABLE
that gives the current table (after a drop and re-creation or a rebuild, the last one),
the ADD COLUMN of a later column; and a comment put there does silence it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from erdgen.core.history import load_history
from erdgen.rules.lint import lint
from erdgen.rules.registry import Texts

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
FIRST = "-- first\n\nCREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
# The second migration of each case, and the line of the CREATE TABLE that gives t.
SECOND = {
    "drop and create again": (
        "-- second\n\nDROP TABLE t;\nCREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n",
        4,
    ),
    "rebuild, copy first": (
        "-- second\n\nCREATE TABLE t_new (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
        "INSERT INTO t_new (id, a) SELECT id, a FROM t;\nDROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n",
        3,
    ),
    "rebuild, rename away first": (
        "-- second\n\nALTER TABLE t RENAME TO t_old;\n"
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
        "INSERT INTO t (id, a) SELECT id, a FROM t_old;\nDROP TABLE t_old;\n",
        4,
    ),
}


def findings(folder: Path) -> list[str]:
    history = load_history(folder, folder.parent)
    return [
        f"{f.location.path}:{f.location.line}: {f.message}"
        for f in lint(history, Texts())
        if f.rule == "missing-description"
    ]


def write(root: Path, *files: str) -> Path:
    folder = root / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(":memory:")
    for number, text in enumerate(files, 1):
        conn.executescript(text)  # SQLite accepts it
        (folder / f"000{number}_m.sql").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", SECOND)
def test_a_re_created_table_is_pointed_at_its_last_creation(tmp_path: Path, case: str) -> None:
    second, line = SECOND[case]
    assert findings(write(tmp_path, FIRST, second)) == sorted(
        f"migrations/0002_m.sql:{line}: {what} has no description (SQL comment or sidecar)"
        for what in ("column t.id", "column t.a", "column t.b", "table t")
    )


@pytest.mark.parametrize("case", SECOND)
def test_a_comment_where_it_points_describes_the_table(tmp_path: Path, case: str) -> None:
    second, line = SECOND[case]
    lines = second.split("\n")
    lines.insert(line - 1, "-- the table t")
    before = findings(write(tmp_path / "before", FIRST, second))
    after = findings(write(tmp_path / "after", FIRST, "\n".join(lines)))
    table = "table t has no description (SQL comment or sidecar)"
    assert any(f.endswith(table) for f in before)
    assert not any(f.endswith(table) for f in after)


def test_a_renamed_table_and_an_added_column_are_pointed_at_their_definitions(
    tmp_path: Path,
) -> None:
    second = "-- second\n\nALTER TABLE t RENAME TO u;\nALTER TABLE u ADD COLUMN b TEXT;\n"
    assert findings(write(tmp_path, FIRST, second)) == [
        "migrations/0001_m.sql:3: column u.a has no description (SQL comment or sidecar)",
        "migrations/0001_m.sql:3: column u.id has no description (SQL comment or sidecar)",
        "migrations/0001_m.sql:3: table u has no description (SQL comment or sidecar)",
        "migrations/0002_m.sql:4: column u.b has no description (SQL comment or sidecar)",
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_filbeams_re_created_tables_are_pointed_at_0024() -> None:
    # 0024_events_out_of_order.sql: DROP TABLE pieces; CREATE TABLE pieces (...) at line 2,
    # DROP TABLE data_sets; CREATE TABLE data_sets (...) at line 13
    history = load_history(CORPUS / "filbeam-d1", CORPUS)
    places = {
        f.message.split(" ")[1]: (f.location.path.rsplit("/", 1)[-1], f.location.line)
        for f in lint(history, Texts())
        if f.rule == "missing-description" and f.message.startswith("table ")
    }
    assert places["pieces"] == ("0024_events_out_of_order.sql", 2)
    assert places["data_sets"] == ("0024_events_out_of_order.sql", 13)
