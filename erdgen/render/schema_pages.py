"""The contexts of the overview, the views-and-triggers page and the dropped-objects page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from erdgen.model import Action, Schema, Step
from erdgen.render.change_lines import (
    ChangeLine,
    change_line,
)
from erdgen.render.lineage import copied_into, unquote
from erdgen.render.markdown import code
from erdgen.render.page_inputs import (
    Description,
    DiagramView,
    HistoryRow,
    Inputs,
    diagram_views,
)
from erdgen.render.siteplan import (
    DROPPED,
    INDEX,
    OBJECTS,
    TIMELINE,
    Linker,
    TableLife,
    creation_comment,
    relative_link,
    trigger_anchor,
    view_anchor,
)
from erdgen.render.table_diff import diff_tables


@dataclass(frozen=True, slots=True)
class TableSummary:
    link: str
    columns: int
    description: Description


@dataclass(frozen=True, slots=True)
class OverviewPage:
    counts: tuple[tuple[str, int], ...]
    tables: tuple[TableSummary, ...]
    dropped_tables: tuple[TableSummary, ...]
    diagrams: tuple[DiagramView, ...]
    latest: str  # Markdown link to the latest migration, "" when there is none
    links: Mapping[str, str]  # timeline, objects, dropped


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    name: str  # Markdown
    anchor: str
    table: str  # Markdown link to the table ("" for views)
    detail: str  # trigger timing and event
    description: Description
    history: tuple[HistoryRow, ...]
    sql: str
    reads: tuple[str, ...] = ()  # views: Markdown links to the tables they read
    columns: tuple[str, ...] = ()  # views: their columns (code spans), where the model has them


@dataclass(frozen=True, slots=True)
class DroppedEntry:
    kind: str  # "table", "column", "index", "view", "trigger"
    name: str  # Markdown
    migration: str  # Markdown link
    copied_into: str = ""  # Markdown: where the values went, when a statement copied them


def overview_context(inputs: Inputs) -> OverviewPage:
    linker = Linker(inputs.plan, INDEX)
    schema = inputs.history.schema
    counts = (
        ("tables", len(schema.tables)),
        ("columns", sum(len(t.columns) for t in schema.tables)),
        ("indexes", sum(len(t.indexes) for t in schema.tables)),
        ("foreign_keys", sum(len(t.foreign_keys) for t in schema.tables)),
        ("views", len(schema.views)),
        ("triggers", len(schema.triggers)),
        ("migrations", len(inputs.history.steps)),
    )
    # Alphabetical (as the navigation lists them): a reader looks a table up by its name.
    key = inputs.history.names.key
    lives = sorted(inputs.plan.lives, key=lambda life: (key(life.name), life.name))
    summaries = [_table_summary(inputs, life, linker) for life in lives]
    dropped = [life.dropped_in is not None for life in lives]
    latest = inputs.history.steps[-1].migration if inputs.history.steps else None
    return OverviewPage(
        counts=counts,
        tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if not gone),
        dropped_tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if gone),
        diagrams=diagram_views(inputs, INDEX),
        latest=linker.migration(latest) if latest else "",
        links={
            "timeline": relative_link(INDEX, TIMELINE),
            "objects": relative_link(INDEX, OBJECTS),
            "dropped": relative_link(INDEX, DROPPED),
        },
    )


def _table_summary(inputs: Inputs, life: TableLife, linker: Linker) -> TableSummary:
    table = life.shape
    sidecar = inputs.descriptions.table(table.name, inputs.language)
    link = f"[{code(table.name)}]({relative_link(linker.page, life.path)})"
    comment = creation_comment(inputs.history, life)
    return TableSummary(link, len(table.columns), inputs.describe(sidecar, comment))


def objects_context(inputs: Inputs) -> tuple[tuple[ObjectEntry, ...], tuple[ObjectEntry, ...]]:
    """The current views and triggers, each with its SQL and the migrations that made it."""
    linker = Linker(inputs.plan, OBJECTS)
    schema = inputs.history.schema
    view_rows = _object_histories(inputs, linker, {Action.CREATE_VIEW, Action.DROP_VIEW})
    trigger_rows = _object_histories(inputs, linker, {Action.CREATE_TRIGGER, Action.DROP_TRIGGER})
    views = tuple(
        ObjectEntry(
            name=code(view.name),
            anchor=view_anchor(view.name, schema.names),
            table="",
            detail="",
            description=inputs.describe("", view.description),
            history=view_rows.get(schema.names.key(view.name), ()),
            sql=view.sql,
            reads=tuple(linker.table(name) for name in tables_read(schema, view.sql)),
            columns=tuple(code(c.name) for c in view.columns),
        )
        for view in schema.views
    )
    triggers = tuple(
        ObjectEntry(
            name=code(trigger.name),
            anchor=trigger_anchor(trigger.name, schema.names),
            table=linker.table(trigger.table),
            detail=f"{trigger.timing} {trigger.event}".strip(),
            description=inputs.describe("", trigger.description),
            history=trigger_rows.get(schema.names.key(trigger.name), ()),
            sql=trigger.sql,
        )
        for trigger in schema.triggers
    )
    return views, triggers


_SOURCE = re.compile(r'\b(?:FROM|JOIN)\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[\w$]+)', re.I)


def tables_read(schema: Schema, sql: str) -> tuple[str, ...]:
    """The tables a view's SELECT names after FROM or JOIN, in order, once each (names
    that are not tables, such as other views or CTEs, are left out)."""
    found: dict[str, str] = {}
    for match in _SOURCE.finditer(sql):
        table = schema.table(unquote(match.group(1)))
        if table is not None:
            found.setdefault(schema.names.key(table.name), table.name)
    return tuple(found.values())


def _object_histories(
    inputs: Inputs, linker: Linker, actions: set[Action]
) -> dict[str, tuple[HistoryRow, ...]]:
    """History rows by lower-case object name, in one pass over the migrations."""
    rows: dict[str, list[HistoryRow]] = {}
    for step in inputs.history.steps:
        lines: dict[str, list[ChangeLine]] = {}
        for change in step.changes:
            if change.action in actions:
                lines.setdefault(inputs.history.names.key(change.object), []).append(
                    change_line(change, step, linker)
                )
        for name, found in lines.items():
            rows.setdefault(name, []).append(
                HistoryRow(linker.migration(step.migration), tuple(found))
            )
    return {name: tuple(found) for name, found in rows.items()}


# The drop of an object, and what creates one of that kind again.
_DROPS = {
    Action.DROP_TABLE: ("table", Action.CREATE_TABLE),
    Action.DROP_INDEX: ("index", Action.CREATE_INDEX),
    Action.DROP_VIEW: ("view", Action.CREATE_VIEW),
    Action.DROP_TRIGGER: ("trigger", Action.CREATE_TRIGGER),
}
_CREATES = {create: kind for kind, create in _DROPS.values()}


def dropped_context(inputs: Inputs) -> tuple[DroppedEntry, ...]:
    """What migrations dropped and what stays gone, in migration order: a table, index, view
    or trigger only at its last drop and only when nothing creates it again later (a
    migration that drops an index and creates it on the next line drops nothing); columns
    dropped by ALTER TABLE or left behind by a rebuild, with where their values went."""
    linker = Linker(inputs.plan, DROPPED)
    history = inputs.history
    key = history.names.key
    last_created = {
        (_CREATES[c.action], key(c.object)): (i, n)
        for i, step in enumerate(history.steps)
        for n, c in enumerate(step.changes)
        if c.action in _CREATES
    }
    entries: list[DroppedEntry] = []
    for index, step in enumerate(history.steps):
        migration = linker.migration(step.migration)
        for number, change in enumerate(step.changes):
            if change.action in _DROPS:
                kind = _DROPS[change.action][0]
                if last_created.get((kind, key(change.object)), (-1, -1)) < (index, number):
                    name = linker.table(change.object, index) if kind == "table" else None
                    entries.append(DroppedEntry(kind, name or code(change.object), migration))
            elif change.action is Action.DROP_COLUMN and change.table:
                column = change.object.removeprefix(f"{change.table}.")
                entries.append(_column_entry(linker, step, index, change.table, column, migration))
            elif change.action is Action.REBUILD_TABLE and change.before and change.after:
                for gone in diff_tables(change.before, change.after).dropped:
                    entries.append(
                        _column_entry(linker, step, index, change.object, gone.name, migration)
                    )
    return tuple(entries)


def _column_entry(
    linker: Linker, step: Step, index: int, table: str, column: str, migration: str
) -> DroppedEntry:
    owner = linker.table(table, index)
    moved = copied_into(linker.copies(step), table, column, step.schema.names)
    into = ", ".join(dict.fromkeys(code(f"{c.target}.{c.into}") for c in moved))
    return DroppedEntry("column", f"{code(column)} ({owner})", migration, into)
