"""Tables SQLite changes though no statement names them: renaming a table or a column
makes the foreign keys of other tables follow the new name (sqlite.org/lang_altertable.html),
and the rename-first rebuild then leaves them pointing at a table it drops. The migration
page says so, judged by SQLite's own ``PRAGMA foreign_key_list`` before and after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from folders import migrations
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.descriptions import Descriptions
from erdgen.render.pages import render_pages

FIRST = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users(id));\n"
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"
)
# What the second migration does: statements that rename (SQLite rewrites the references),
# a rebuild that renames first, and statements that leave posts' key as it is.
SECOND = {
    "rename table": "ALTER TABLE users RENAME TO accounts;\n",
    "rename column": "ALTER TABLE users RENAME COLUMN id TO user_id;\n",
    "rename-first rebuild": (
        "ALTER TABLE users RENAME TO users_old;\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
        "INSERT INTO users SELECT id, coalesce(name, '') FROM users_old;\n"
        "DROP TABLE users_old;\n"
    ),
    "rename another table": "ALTER TABLE notes RENAME TO memos;\n",
    "rename another column": "ALTER TABLE users RENAME COLUMN name TO full_name;\n",
    "add a column": "ALTER TABLE users ADD COLUMN email TEXT;\n",
}


def _posts_key(*scripts: str) -> tuple[str, str]:
    """(referenced table, referenced column) of posts' foreign key, as SQLite reads it."""
    connection = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            connection.executescript(script)
        row = connection.execute("SELECT * FROM pragma_foreign_key_list('posts')").fetchone()
        return str(row[2]), str(row[4])
    finally:
        connection.close()


def _tables(*scripts: str) -> set[str]:
    connection = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            connection.executescript(script)
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(name) for (name,) in rows}
    finally:
        connection.close()


@settings(max_examples=30, deadline=None)
@given(what=st.sampled_from(sorted(SECOND)), language=st.sampled_from(["en", "de"]))
def test_a_key_sqlite_rewrote_is_on_the_migration_page(what: str, language: str) -> None:
    second = SECOND[what]
    was, now = _posts_key(FIRST), _posts_key(FIRST, second)
    history = build_history(migrations(FIRST, second))
    pages = render_pages(history, Descriptions(), Config(project_dir=Path()))
    suffix = ".en.md" if language == "en" else ".md"
    page = pages[f"migrations/0001{suffix}"].decode()
    timeline = pages[f"timeline{suffix}"].decode()
    posts_row = next(line for line in timeline.splitlines() if "m-0001" in line)
    said = {
        "en": "changed by the database, though no statement of this migration names the table",
        "de": "von der Datenbank geändert, ohne dass eine Anweisung dieser Migration",
    }[language]
    if was == now:
        assert said not in page
        assert "posts" not in posts_row
        return
    assert said in page
    target = f"`{now[0]}({now[1]})`"
    before = f"`{was[0]}({was[1]})`"
    if language == "en":
        assert f"foreign key `author` now references {target}" in page
        assert f"(was {before})" in page
    else:
        assert f"Fremdschlüssel `author` verweist jetzt auf {target}" in page
        assert f"(vorher {before})" in page
    gone = now[0] not in _tables(FIRST, second)
    missing = "a table that no longer exists" if language == "en" else "die es nicht mehr gibt"
    assert (missing in page) is gone, page
    assert "[`posts`](tables/posts.md)" in posts_row  # the timeline names the table
