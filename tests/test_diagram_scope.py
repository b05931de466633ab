"""What a diagram shows, on generated schemas: a migration's diagram draws the tables the
migration changed and their neighbours, nothing else."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from folders import migrations
from hypothesis import HealthCheck, given, settings
from strategies import Folder, folders

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.model import Action, Schema
from erdgen.render.diagrams import migration_diagram, no_links
from erdgen.render.fk_graph import fk_pairs
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
