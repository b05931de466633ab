"""SQLite: an index, view or trigger dropped and made again under its name in one
migration is one line: replaced when its definition changed, made again with the same
definition when it did not (an index: SQLite's own ``sqlite_master`` decides; a view or
trigger: what SQLite does with it, its columns and rows, or the rows its firing leaves);
a unique index says it is unique."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.descriptions import Descriptions
from erdgen.dialects.sqlite.sqltext import result_names
from erdgen.render.migration_diagram import migration_notes
from erdgen.render.pages import render_pages

from folders import migrations  # isort: skip

TABLE = "CREATE TABLE t (a INTEGER, b TEXT, c INTEGER);\n"
KEYS = st.sampled_from(["a", "b", "a, b", "b, a", "a DESC", "b COLLATE NOCASE", "lower(b)"])


def _index(unique: bool, keys: str, where: str) -> str:
    return f"CREATE {'UNIQUE ' if unique else ''}INDEX ix ON t ({keys}){where};\n"


def _sqlite_definition(*scripts: str) -> str:
    """The index's statement as SQLite keeps it after the scripts."""
    connection = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            connection.executescript(script)
        row = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'ix'").fetchone()
        return str(row[0])
    finally:
        connection.close()


def _page(tmp_path: Path, *files: str) -> str:
    history = build_history(migrations(*files))
    pages = render_pages(history, Descriptions(), Config(project_dir=tmp_path))
    return pages["migrations/0001.en.md"].decode()


@settings(max_examples=40, deadline=None)
@given(
    old=st.tuples(st.booleans(), KEYS, st.sampled_from(["", " WHERE c > 0"])),
    new=st.tuples(st.booleans(), KEYS, st.sampled_from(["", " WHERE c > 0"])),
)
def test_an_index_made_again_is_replaced_when_sqlite_says_it_changed(
    old: tuple[bool, str, str], new: tuple[bool, str, str]
) -> None:
    first, second = TABLE + _index(*old), "DROP INDEX ix;\n" + _index(*new)
    changed = _sqlite_definition(first) != _sqlite_definition(first, second)
    page = _page(Path(), first, second)
    assert ("index `ix` replaced: " in page) is changed, (first, second)
    again = "index `ix` on `" in page and "` dropped and created again with the same " in page
    assert again is not changed, (first, second)
    assert "` dropped\n" not in page and "new index" not in page, page  # one line


def test_the_replaced_line_shows_both_definitions(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        TABLE + "CREATE INDEX ix ON t (a);\n",
        "DROP INDEX ix;\nCREATE UNIQUE INDEX ix ON t (b, a) WHERE c > 0;\n",
    )
    assert "    - index `ix` replaced: `(a)` → `UNIQUE (b, a) WHERE c > 0`\n" in page
    assert "**Summary:** 1 index replaced" in page


def test_a_unique_index_says_so(tmp_path: Path) -> None:
    history = build_history(migrations(TABLE + "CREATE UNIQUE INDEX u ON t (a);\n"))
    pages = render_pages(history, Descriptions(), Config(project_dir=tmp_path))
    assert "    - new unique index `u` on `a`\n" in pages["migrations/0000.en.md"].decode()
    assert "neuer eindeutiger Index `u` auf `a`" in pages["tables/t.md"].decode()


def test_a_rebuild_names_its_keys_as_constraints(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "CREATE TABLE t (a INTEGER, b TEXT, CONSTRAINT t_pk PRIMARY KEY (a, b), UNIQUE (b));\n",
        "CREATE TABLE t_new (a INTEGER, b TEXT, CONSTRAINT t_pk PRIMARY KEY (b));\n"
        "INSERT INTO t_new SELECT a, b FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n",
    )
    assert "        - unique constraint on `b` dropped\n" in page
    assert "        - primary key `t_pk` on `a`, `b` dropped\n" in page
    assert "        - new primary key `t_pk` on `b`\n" in page
    assert "UNIQUE`" not in page and "PRIMARY KEY`" not in page


# A view and a trigger, each written once, and ways to write it again: the same definition
# in other words (layout, comments, quotes, the case of keywords and names, IF NOT EXISTS),
# or another one. SQLite, not the list, says which is which.
VIEW = "CREATE VIEW v AS SELECT a, b, 'K' AS k, b || 'x' FROM t WHERE c > 0"
TRIGGER = (
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET b = 'K' WHERE a = new.a AND c > 0; END"
)
REWORDINGS = (
    ("AS SELECT", "AS\n  SELECT"),
    (" WHERE ", " /* only some */\n  WHERE "),
    ("FROM t", 'FROM "t"'),
    ("ON t ", "ON [t] "),
    ("SELECT a,", "select A,"),
    ("UPDATE t SET b", "update T set B"),
    ("CREATE VIEW v", "CREATE VIEW IF NOT EXISTS v"),
    ("CREATE TRIGGER tr", 'CREATE TRIGGER "tr"'),
    ("c > 0", "c>0"),
    (" END", " -- done\nEND"),
    ("c > 0", "c > 1"),
    ("'K'", "'k'"),
    ("AS k", "AS K"),
    ("AS k", "AS kk"),
    ("AFTER INSERT", "BEFORE INSERT"),
    # a column without an alias is named by its text as written: space matters, case not
    ("b || 'x'", "b||'x'"),
    ("b || 'x'", "B || 'x'"),
)
ROWS = "INSERT INTO t VALUES (1, 'x', 0), (2, 'y', 1), (3, 'z', 2);\n"


def _what_sqlite_does(kind: str, definition: str) -> tuple[object, ...]:
    """A view: its columns and rows; a trigger: the rows its table holds after it fired."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(TABLE + (definition + ";\n" + ROWS if kind == "trigger" else ""))
        if kind == "trigger":
            return tuple(connection.execute("SELECT * FROM t ORDER BY a"))
        connection.executescript(ROWS + definition + ";\n")
        # a column's name as SQLite compares names (``k`` is ``K``)
        columns = tuple(row[1].lower() for row in connection.execute("PRAGMA table_info(v)"))
        return columns, tuple(connection.execute("SELECT * FROM v ORDER BY a"))
    finally:
        connection.close()


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["view", "trigger"]),
    rewording=st.lists(st.sampled_from(REWORDINGS), max_size=4, unique=True),
)
def test_a_view_or_trigger_made_again_is_replaced_only_when_sqlite_says_it_changed(
    kind: str, rewording: list[tuple[str, str]]
) -> None:
    first = VIEW if kind == "view" else TRIGGER
    second = first
    for old, new in rewording:
        second = second.replace(old, new, 1)
    changed = _what_sqlite_does(kind, first) != _what_sqlite_does(kind, second)
    name = "v" if kind == "view" else "tr"
    page = _page(Path(), f"{TABLE}{first};\n", f"DROP {kind.upper()} {name};\n{second};\n")
    replaced = "replaced (created again with another definition)"
    again = "dropped and created again with the same definition"
    assert (replaced in page) is changed, (second, page)
    assert (again in page) is not changed, (second, page)
    assert f"{kind} [`{name}`](../objects.md" in page
    summary = f"1 {kind} replaced" if changed else f"1 {kind} re-created unchanged"
    assert f"**Summary:** {summary}\n" in page
    # the migration's diagram: one note for the object, not a note of the drop and one of the
    # creation
    history = build_history(migrations(f"{TABLE}{first};\n", f"DROP {kind} {name};\n{second};\n"))
    notes = migration_notes(history.steps[1], {}, 0, Config(project_dir=Path()))
    assert notes == (f"{'~' if changed else '±'} {kind.upper()} {name}",)


def test_a_rebuild_says_which_triggers_it_made_again_and_which_it_lost(tmp_path: Path) -> None:
    rebuild = (
        "CREATE TABLE t_new (a INTEGER, b TEXT, c INTEGER NOT NULL DEFAULT 0);\n"
        "INSERT INTO t_new SELECT a, b, coalesce(c, 0) FROM t;\nDROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n"
    )
    first = f"{TABLE}{TRIGGER};\n"
    again = _page(tmp_path, first, rebuild + TRIGGER.replace("BEGIN", "BEGIN\n ") + ";\n")
    assert (
        "    - trigger [`tr`](../objects.md#tr-tr) dropped and created again with the same "
        in again
    )
    other = _page(tmp_path, first, rebuild + TRIGGER.replace("c > 0", "c > 1") + ";\n")
    assert (
        "    - trigger [`tr`](../objects.md#tr-tr) replaced (created again with another " in other
    )
    lost = _page(tmp_path, first, rebuild)
    assert "    - trigger `tr` dropped\n" in lost  # its DROP TABLE took it along


# Result columns of a view, each in a few spellings: SQLite names a column by its alias,
# by the column a bare reference reads, or by the expression's text as written.
RESULT_COLUMNS = (
    "a", "A", "t.a", '"a"', "a AS n", "a n", "b AS N", "count(*) AS n", "count(*) n",
    "a+1", "a + 1", "A+1", "a + 1 AS \"a+1\"", "b || 'x'", "b||'x'", "b COLLATE nocase",
    "c IS NULL", "CASE WHEN a THEN b END", "CASE WHEN a THEN b END e", "*", "t.*",
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    first=st.lists(st.sampled_from(RESULT_COLUMNS), min_size=1, max_size=3),
    second=st.lists(st.sampled_from(RESULT_COLUMNS), min_size=1, max_size=3),
)
def test_a_views_column_names_are_read_as_sqlite_names_them(
    first: list[str], second: list[str]
) -> None:
    def names_in_sqlite(columns: list[str]) -> tuple[str, ...]:
        connection = sqlite3.connect(":memory:")
        try:
            connection.executescript(f"{TABLE}CREATE VIEW v AS SELECT {', '.join(columns)} FROM t;")
            return tuple(row[1].lower() for row in connection.execute("PRAGMA table_info(v)"))
        finally:
            connection.close()

    def read(columns: list[str]) -> tuple[str, ...] | None:
        return result_names(f"CREATE VIEW v AS SELECT DISTINCT {', '.join(columns)} FROM t")

    same_in_sqlite = names_in_sqlite(first) == names_in_sqlite(second)
    stars = "*" in first + second or "t.*" in first + second
    if not stars:  # * stands for the table's columns, which the text does not name
        assert (read(first) == read(second)) is same_in_sqlite, (first, second)
