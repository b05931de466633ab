"""SQLite: an index dropped and made again under its name in one migration is one line,
replaced, when its definition changed (SQLite's own ``sqlite_master`` decides), and
dropped and new when it was made again as it was; a unique index says it is unique."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.descriptions import Descriptions
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
    assert ("index `ix` on " in page) is not changed, (first, second)  # dropped, then new


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
