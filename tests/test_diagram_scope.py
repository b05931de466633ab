"""What a diagram shows, on generated schemas: a migration's diagram draws the tables the
migration changed and their neighbours, nothing else; an overview of unconnected tables
(or of many small connected parts) is laid out compact, not as one column (its size read
from the SVG ``dot`` writes)."""

from __future__ import annotations

import re
from pathlib import Path

from folders import migrations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from strategies import Folder, folders

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.model import Action, Column, ForeignKey, Schema, Table
from erdgen.render.diagrams import migration_diagram, no_links, overview_diagrams
from erdgen.render.fk_graph import fk_pairs
from erdgen.render.graphviz import run_dot
from erdgen.render.migration_diagram import step_and_schema_before

CONFIG = Config(project_dir=Path(__file__).resolve().parent.parent)
TABLE_NODE = re.compile(r' tooltip="((?:[^"\\]|\\.)*)" class="erd-table')


def drawn_tables(dot: str) -> list[str]:
    """The names of the table nodes of a DOT text (from their tooltips)."""
    return [re.sub(r"\\(.)", r"\1", m[1]) for m in TABLE_NODE.finditer(dot)]


def neighbours(schema: Schema, names: set[str]) -> set[str]:
    """Tables one foreign key away from ``names`` (lower-case keys), either way."""
    found = set()
    for child, parent in fk_pairs(schema):
        if child in names:
            found.add(parent)
        if parent in names:
            found.add(child)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folders())
def test_a_migration_diagram_draws_what_changed_and_its_neighbours_only(folder: Folder) -> None:
    history = build_history(migrations(*folder.files))
    for step in history.steps:
        _, before = step_and_schema_before(history, step.migration.id)
        after = step.schema
        key = after.names.key
        renamed_from = {
            key(c.old_name) for c in step.changes if c.action is Action.RENAME_TABLE and c.old_name
        }
        changed = {key(t.name) for t in after.tables if before.table(t.name) != t}
        dropped = {
            key(t.name)
            for t in before.tables
            if after.table(t.name) is None and key(t.name) not in renamed_from
        }
        touched = changed | dropped | {key(c.table) for c in step.changes if c.table}
        gone = tuple(t for t in before.tables if key(t.name) in dropped)
        whole = replace(after, tables=(*after.tables, *gone))
        dot = migration_diagram(history, step.migration.id, CONFIG, no_links).dot
        shown = {key(name) for name in drawn_tables(dot)}
        assert changed | dropped <= shown, step.migration.id
        subject = (changed | dropped) & shown
        assert neighbours(whole, subject) <= shown, step.migration.id
        # nothing unrelated: each table is touched by the migration or next to one that is
        assert shown <= touched | neighbours(whole, touched), step.migration.id


def unconnected(count: int, columns: int, paired: bool) -> Schema:
    """``count`` tables of 1 to 9 columns; ``paired``: each odd one references the one
    before it (parts of two tables), else no foreign keys at all."""
    tables = []
    for n in range(count):
        width = 1 + (n * 7 + columns) % 9
        cells = tuple(Column(f"c{c}", "TEXT", primary_key=int(c == 0)) for c in range(width))
        keys = ()
        if paired and n % 2:
            cells += (Column("ref", "TEXT"),)
            keys = (ForeignKey(("ref",), f"t{n - 1:03d}", ("c0",)),)
        tables.append(Table(f"t{n:03d}", cells, keys))
    return Schema(tuple(tables))


def svg_size(dot: str) -> tuple[float, float]:
    svg = run_dot(dot, "svg", 60, "overview").decode()
    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert found is not None
    return float(found[1]), float(found[2])


@settings(max_examples=10, deadline=None)
@given(st.integers(4, 40), st.integers(0, 8), st.booleans())
def test_an_overview_of_unconnected_tables_is_compact(
    count: int, columns: int, paired: bool
) -> None:
    """Neither one column nor one row: at most 3:1 either way."""
    (diagram,) = overview_diagrams(unconnected(count, columns, paired), CONFIG, no_links)
    width, height = svg_size(diagram.dot)
    assert 1 / 3 <= width / height <= 3, (count, paired, width, height)


def test_unconnected_tables_are_a_grid_in_name_order() -> None:
    """Row by row, as the page lists them: the first table top left, the last one lower."""
    schema = unconnected(9, 3, paired=False)
    (diagram,) = overview_diagrams(replace(schema, tables=schema.tables[::-1]), CONFIG, no_links)
    svg = run_dot(diagram.dot, "svg", 60, "overview").decode()
    corners = {
        name: (float(x), float(y))
        for name, x, y in re.findall(
            r"<title>t_(t\d+)</title>.*?<polygon [^>]*points=\"([-\d.]+),([-\d.]+)", svg, re.S
        )
    }
    rows = sorted({round(y) for _, y in corners.values()})
    assert len(rows) == 3
    assert corners["t000"][0] < corners["t001"][0] < corners["t002"][0]
    assert corners["t000"][1] < corners["t003"][1] < corners["t008"][1]


def test_a_table_whose_foreign_key_sqlite_rewrote_is_drawn() -> None:
    """Renaming a table rewrites the foreign keys that reference it (SQLite 3.26+, without
    legacy_alter_table): no change names the referencing table, but it changed."""
    history = build_history(
        migrations(
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n",
            "ALTER TABLE users RENAME TO users_old;\n"
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
            "INSERT INTO users (id) SELECT id FROM users_old;\n"
            "DROP TABLE users_old;\n",
        )
    )
    after = history.steps[1].schema.table("posts")
    assert after is not None and after.foreign_keys[0].ref_table == "users_old"  # by SQLite
    dot = migration_diagram(history, history.steps[1].migration.id, CONFIG, no_links).dot
    assert "posts" in drawn_tables(dot)
