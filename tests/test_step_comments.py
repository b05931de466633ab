"""Comments that are not descriptions: the notes a migration step leaves on a column it
changes ("-- Remove NOT NULL constraint" in a rebuild, on ADD COLUMN or ALTER COLUMN), and
the lines a migration tool writes into the files it generates (wrangler's "-- Migration
number: ...", diesel's setup header, Atlas' "-- create "t" table", ...). Real comments on a
CREATE TABLE and on its column definitions stay descriptions; so does a human line next
to a tool's line."""

from __future__ import annotations

import os
from collections.abc import Callable

from folders import history_of
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.dialects.sqlite.change_notes import is_change_note
from erdgen.dialects.sqlite.split import file_header
from erdgen.dialects.sqlite.tool_comments import is_generated_line

# The tools' own lines (with the values a tool fills in varied by the strategy below).
TOOL_LINES: tuple[Callable[[str, str], str], ...] = (
    lambda n, t: f"-- Migration number: {n} \t 2025-06-0{n[-1]}T10:30:00.273Z",
    lambda n, t: (
        "-- This file was automatically created by Diesel to setup helper functions\n"
        "-- and other internal bookkeeping. This file is safe to edit, any future\n"
        "-- changes will be added to existing projects as new migrations."
    ),
    lambda n, t: "-- Your SQL goes here",
    lambda n, t: "-- Add migration script here",
    lambda n, t: "-- Add up migration script here",
    lambda n, t: "-- SQL in section 'Up' is executed when this migration is applied",
    lambda n, t: "-- SQL in this section is executed when the migration is applied.",
    lambda n, t: "-- Custom SQL migration file, put your code below! --",
    lambda n, t: f"-- Deploy app:{t} to sqlite\n-- requires: users",
    lambda n, t: f'-- create "{t}" table',
    lambda n, t: f'-- Create "{t}" table',
    lambda n, t: "-- disable the enforcement of foreign-keys constraints",
    lambda n, t: "-- CreateTable",
    lambda n, t: (
        "/*\n  Warnings:\n\n  - You are about to drop the column `x` on the `t` table.\n\n*/"
    ),
)
CHANGE_NOTES = (
    "Remove NOT NULL constraint", "DROP NOT NULL constraint", "changed from TEXT", "Add column",
    "added for the new importer", "was INTEGER", "now nullable", "Renamed from title",
    "Previously a flag", "no longer unique", "New column",
)  # fmt: skip
WORDS = ("the", "owner", "of", "row", "amount", "in", "cents", "label", "shown", "users", "id")

# What people write about a column or table: never a change note, never a tool line.
human = (
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)
    .map(lambda words: " ".join(words).capitalize())
    .filter(lambda text: not is_change_note(text) and not is_generated_line(text))
)
names = st.sampled_from(("amount", "label", "note", "owner_id", "size"))
settings_ = settings(max_examples=60, deadline=None, derandomize=bool(os.environ.get("CI")))


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], str]:
    """A table name, its columns with their descriptions, and its own description."""
    columns = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    return (
        draw(st.sampled_from(("items", "orders"))),
        [(c, draw(human)) for c in columns],
        draw(human),
    )


def create(name: str, columns: list[tuple[str, str]], described: bool, notes: list[str]) -> str:
    """CREATE TABLE with a comment after each column line (``notes``, else the description
    above the line when ``described``), and no comment when neither."""
    lines = []
    for (column, text), note in zip(columns, notes or [""] * len(columns), strict=True):
        above = f"  -- {text}\n" if described and not note else ""
        after = f" -- {note}" if note else ""
        lines.append(f"{above}  {column} TEXT,{after}")
    lines.append("  id INTEGER PRIMARY KEY")
    return f"CREATE TABLE {name} (\n" + "\n".join(lines) + "\n);\n"


@settings_
@given(tables(), st.sampled_from(TOOL_LINES), st.sampled_from(TOOL_LINES), human, st.data())
def test_step_notes_and_tool_lines_never_become_descriptions(
    table: tuple[str, list[tuple[str, str]], str],
    header: Callable[[str, str], str],
    above: Callable[[str, str], str],
    headline: str,
    data: st.DataObject,
) -> None:
    name, columns, description = table
    first = f"{header('0001', name)}\n-- {headline}\n\n-- {description}\n" + create(
        name, columns, True, []
    )
    notes = [data.draw(st.sampled_from(CHANGE_NOTES)) for _ in columns]
    step = data.draw(st.sampled_from(("drop", "rename-away", "rebuild", "add-column")))
    recreated = create(name, columns, False, notes)
    if step == "drop":
        second = f"DROP TABLE {name};\n{above('0002', name)}\n{recreated}"
    elif step == "rename-away":
        second = f"ALTER TABLE {name} RENAME TO {name}_old;\n{recreated}DROP TABLE {name}_old;\n"
    elif step == "rebuild":
        helper = create(f"new_{name}", columns, False, notes)
        second = (
            f"{above('0002', 'new_' + name)}\n{helper}INSERT INTO new_{name} SELECT * FROM {name};"
            f"\nDROP TABLE {name};\nALTER TABLE new_{name} RENAME TO {name};\n"
        )
    else:
        second = f"ALTER TABLE {name} ADD COLUMN extra TEXT -- {notes[0]}\n;\n"
    history = history_of(first, second)
    # the migration's description: the human line, never the tool's
    assert file_header(first) == headline
    assert file_header(f"{header('0002', name)}\n{second}") == ""
    created = history.steps[0].schema.table(name)
    assert created is not None and created.description == description
    final = history.schema.table(name)
    assert final is not None
    # a re-creation's table comment is the tool's line above it: no description
    assert final.description == (description if step == "add-column" else "")
    for column, text in columns:  # the description of the column's definition stays
        found = final.column(column)
        assert found is not None and found.description == text, second
    extra = final.column("extra")
    assert extra is None or extra.description == ""


@settings_
@given(tables())
def test_real_comments_on_a_create_table_and_its_columns_stay_descriptions(
    table: tuple[str, list[tuple[str, str]], str],
) -> None:
    name, columns, description = table
    trailing = create(name, columns, False, [text for _, text in columns])
    for sql in (create(name, columns, True, []), trailing):
        # (the comment atop a file describes the migration: a header comes first)
        created = history_of(f"-- a migration\n\n-- {description}\n{sql}").schema.table(name)
        assert created is not None and created.description == description
        assert [(c.name, c.description) for c in created.columns[:-1]] == columns


def test_a_new_column_of_a_rebuild_keeps_a_real_comment() -> None:
    history = history_of(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT -- the label\n);\n",
        "DROP TABLE t;\nCREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  a TEXT, -- changed from "
        "INTEGER\n  b TEXT -- shown to users\n);\n",
    )
    table = history.schema.table("t")
    assert table is not None
    assert [c.description for c in table.columns] == ["", "the label", "shown to users"]


@settings_
@given(human, st.sampled_from(("above", "after", "inside")), st.booleans())
def test_the_comment_of_an_add_column_describes_it_unless_a_change_note(
    text: str, where: str, note: bool
) -> None:
    comment = "Add the extra column" if note else text
    statement = {
        "above": f"-- {comment}\nALTER TABLE t ADD COLUMN extra TEXT;\n",
        "after": f"ALTER TABLE t ADD COLUMN extra TEXT; -- {comment}\n",
        "inside": f"ALTER TABLE t ADD COLUMN extra TEXT -- {comment}\n;\n",
    }[where]
    history = history_of(
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
        f"-- the migration\n\n{statement}ALTER TABLE t ADD COLUMN other TEXT;\n",
    )
    table = history.schema.table("t")
    assert table is not None
    assert [c.description for c in table.columns] == ["", "" if note else text, ""]
