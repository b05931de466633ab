"""SQLite: a table rebuild that keeps a foreign key (its columns and referenced table)
but changes what it does (ON DELETE, ON UPDATE, DEFERRABLE) says so in one line, what it
does now and did before, not "removed" and "new"; one that changes nothing SQLite sees (a
name spelled in another case) says nothing. SQLite is the judge: ``PRAGMA
foreign_key_list`` for the actions, and whether a broken key fails at once or at COMMIT
for DEFERRABLE INITIALLY DEFERRED. A named CHECK whose condition changed reads the same
way: one line, condition before and after."""

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

PARENT = "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
ACTIONS = ["", "NO ACTION", "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT"]
KEYS = st.tuples(
    st.sampled_from(["parent", "Parent", "PARENT"]),  # one table, as SQLite reads names
    st.sampled_from(ACTIONS),
    st.sampled_from(ACTIONS),
    st.sampled_from(["", "DEFERRABLE INITIALLY DEFERRED"]),
)


def _child(name: str, key: tuple[str, str, str, str]) -> str:
    table, on_delete, on_update, deferrable = key
    clauses = "".join(
        (
            f" ON DELETE {on_delete}" if on_delete else "",
            f" ON UPDATE {on_update}" if on_update else "",
            f" {deferrable}" if deferrable else "",
        )
    )
    return (
        f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, "
        f"parent_id INTEGER REFERENCES {table} (id){clauses});\n"
    )


def _rebuild(key: tuple[str, str, str, str]) -> str:
    return (
        _child("child_new", key)
        + "INSERT INTO child_new SELECT * FROM child;\nDROP TABLE child;\n"
        + "ALTER TABLE child_new RENAME TO child;\n"
    )


def _sqlite_key(*scripts: str) -> tuple[object, ...]:
    """The foreign key of ``child`` as SQLite sees it: the PRAGMA's row (the table's name
    folded as SQLite folds it) and whether a broken key waits for COMMIT."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for script in scripts:
            connection.executescript(script)
        ((_, _, table, column, to, on_update, on_delete, match),) = connection.execute(
            "PRAGMA foreign_key_list(child)"
        ).fetchall()
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        try:
            connection.execute("INSERT INTO child (parent_id) VALUES (999)")
            deferred = True
        except sqlite3.IntegrityError:
            deferred = False
        connection.execute("ROLLBACK")
        return (table.lower(), column, to, on_update, on_delete, match, deferred)
    finally:
        connection.close()


def _page(tmp_path: Path, *files: str, language: str = "en") -> str:
    history = build_history(migrations(*files))
    config = Config(project_dir=tmp_path, languages=(language,))
    pages = render_pages(history, Descriptions(), config)
    suffix = ".en.md" if language == "en" else ".md"
    return pages[f"migrations/0001{suffix}"].decode()


@settings(max_examples=60, deadline=None)
@given(old=KEYS, new=KEYS)
def test_a_foreign_key_that_stays_says_what_changed(
    old: tuple[str, str, str, str], new: tuple[str, str, str, str]
) -> None:
    first, second = PARENT + _child("child", old), _rebuild(new)
    was, now = _sqlite_key(first), _sqlite_key(first, second)
    page = _page(Path(), first, second)
    lines = [line.strip() for line in page.splitlines() if "foreign key" in line]
    assert not any(line.startswith(("- new foreign key", "- foreign key `")) and "removed" in line
                   for line in lines), page  # fmt: skip
    assert not any(line.startswith("- new foreign key") for line in lines), page
    if was == now:
        assert lines == [], (first, second, page)
        return
    (line,) = lines
    assert line.startswith(f"- foreign key `parent_id` → `{new[0]}(id)`: "), line
    shown, _, before = line.partition(" (was ")
    for position, clause in ((4, "ON DELETE"), (3, "ON UPDATE")):
        if was[position] != now[position]:
            assert f"`{clause} {now[position]}`" in shown, line
            assert f"`{clause} {was[position]}`" in before, line
        else:
            assert clause not in line, line
    if was[6] != now[6]:
        assert ("`DEFERRABLE INITIALLY DEFERRED`" in shown) is now[6], line
        assert ("`NOT DEFERRABLE`" in before) is now[6], line


def test_the_line_in_both_languages(tmp_path: Path) -> None:
    first = PARENT + _child("child", ("parent", "", "", ""))
    second = _rebuild(("parent", "CASCADE", "", ""))
    line = "`parent_id` → `parent(id)`: `ON DELETE CASCADE`"
    english = _page(tmp_path, first, second)
    assert f"        - foreign key {line} (was `ON DELETE NO ACTION`)\n" in english
    assert "**Summary:** 1 table rebuilt · 1 constraint changed · 1 data change" in english
    german = _page(tmp_path, first, second, language="de")
    assert f"        - Fremdschlüssel {line} (vorher `ON DELETE NO ACTION`)\n" in german


def test_a_foreign_key_on_other_columns_is_removed_and_new(tmp_path: Path) -> None:
    first = PARENT + _child("child", ("parent", "CASCADE", "", ""))
    second = (
        "CREATE TABLE child_new (id INTEGER PRIMARY KEY, parent_id INTEGER "
        "REFERENCES parent (id));\n"
        "INSERT INTO child_new SELECT * FROM child;\nDROP TABLE child;\n"
        "ALTER TABLE child_new RENAME TO child;\n"
    )
    page = _page(tmp_path, first, second)
    assert "foreign key `parent_id` → `parent(id)`: `ON DELETE NO ACTION`" in page
    third = second.replace("parent_id INTEGER REFERENCES parent (id)", "parent_id INTEGER")
    third = third.replace("PRIMARY KEY,", "PRIMARY KEY REFERENCES parent (id),")
    page = _page(tmp_path, first, third)
    assert "        - foreign key `parent_id` → `parent(id)` removed\n" in page
    assert "        - new foreign key `id` → `parent(id)`\n" in page


def test_a_named_check_whose_condition_changed_is_one_line(tmp_path: Path) -> None:
    first = "CREATE TABLE t (q INTEGER CONSTRAINT q_pos CHECK (q > 0), r INTEGER CHECK (r > 0));\n"
    second = (
        "CREATE TABLE t_new (q INTEGER CONSTRAINT q_pos CHECK (q >= 0), "
        "r INTEGER CHECK (r >= 0));\n"
        "INSERT INTO t_new SELECT * FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n"
    )
    page = _page(tmp_path, first, second)
    assert "        - CHECK constraint `q_pos` changed: `q > 0` → `q >= 0`\n" in page
    assert "q_pos`: " not in page  # not removed and new
    # an unnamed one has nothing that says it is the same: removed and new
    assert "        - CHECK constraint `r > 0` removed\n" in page
    assert "        - new CHECK constraint `r >= 0`\n" in page
    german = _page(tmp_path, first, second, language="de")
    assert "        - CHECK-Einschränkung `q_pos` geändert: `q > 0` → `q >= 0`\n" in german
    # the same name in another case is the same CHECK: nothing changed
    same = second.replace("q_pos CHECK (q >= 0)", "Q_POS CHECK (q > 0)")
    same = same.replace("r >= 0", "r > 0")
    page = _page(tmp_path, first, same)
    assert "CHECK" not in page.split("## Changes", 1)[1].split("\n## ", 1)[0]
