"""The contexts of the overview, the views-and-triggers page and the dropped-objects page."""

from __future__ import annotations

import re
from collections.abc import Mapping

from msgspec import Struct

from erdgen.core.lineage import copied_into, unquote
from erdgen.core.table_diff import diff_tables
from erdgen.model import Action, Schema, Step, Trigger
from erdgen.namespaces import namespace_of, namespaces_in_use
from erdgen.render.change_lines import (
    ChangeLine,
    change_line,
)
from erdgen.render.dropped_tables import DroppedEntry, dropped_table_entries
from erdgen.render.lives import life_span
from erdgen.render.markdown import breakable_code, code
from erdgen.render.page_inputs import (
    Description,
    DiagramView,
    HistoryRow,
    Inputs,
    diagram_views,
)
from erdgen.render.postgres_changes import step_object_changes, still_gone
from erdgen.render.postgres_links import function_link
from erdgen.render.postgres_pages import PostgresSummary, postgres_summary
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


class TableSummary(Struct, frozen=True):
    """A table on the overview: its name linked to its page, its column count, its description."""

    link: str
    columns: int
    description: Description


class OverviewPage(Struct, frozen=True):
    """The context of the overview page (``index.md.j2``): ``counts`` as (key after ``count.``
    in the catalogs, number), the tables by name, current and dropped, and the diagrams."""

    counts: tuple[tuple[str, int], ...]
    tables: tuple[TableSummary, ...]
    # the current tables by schema (a code span) when they are in more than one, else ()
    schema_groups: tuple[tuple[str, tuple[TableSummary, ...]], ...]
    dropped_tables: tuple[TableSummary, ...]
    diagrams: tuple[DiagramView, ...]
    latest: str  # Markdown link to the latest migration, "" when there is none
    links: Mapping[str, str]  # timeline, objects, dropped
    postgres: PostgresSummary | None = None  # schemas, extensions, types and functions


class ObjectEntry(Struct, frozen=True):
    """A view or trigger on the views-and-triggers page (``objects.md.j2``), with its SQL and
    the migrations that made or changed it."""

    name: str  # Markdown
    anchor: str
    table: str  # Markdown link to the table ("" for views)
    detail: str  # trigger timing and event
    description: Description
    history: tuple[HistoryRow, ...]
    sql: str
    reads: tuple[str, ...] = ()  # views: Markdown links to the tables they read
    columns: tuple[str, ...] = ()  # views: their columns (code spans), where the model has them
    materialized: bool = False  # PostgreSQL: a materialized view
    function: str = ""  # PostgreSQL triggers: Markdown link to the function they run
    level: str = ""  # PostgreSQL triggers: "ROW" or "STATEMENT"


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
    current = [
        (life, s) for life, s, gone in zip(lives, summaries, dropped, strict=True) if not gone
    ]
    return OverviewPage(
        counts=counts + _postgres_counts(schema, inputs.plan.postgres),
        tables=tuple(s for _life, s in current),
        schema_groups=_by_schema(schema, current),
        dropped_tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if gone),
        diagrams=diagram_views(inputs, INDEX),
        latest=linker.migration(latest) if latest else "",
        links={
            "timeline": relative_link(INDEX, TIMELINE),
            "objects": relative_link(INDEX, OBJECTS),
            "dropped": relative_link(INDEX, DROPPED),
        },
        postgres=postgres_summary(inputs, INDEX),
    )


def _postgres_counts(schema: Schema, postgres: bool) -> tuple[tuple[str, int], ...]:
    if not postgres:
        return ()
    types = (("domains", len(schema.domains)), ("composites", len(schema.composites)))
    return (
        ("enums", len(schema.enums)),
        *((key, n) for key, n in types if n),  # most projects have none: not "0 domains"
        ("functions", len(schema.functions)),
    )


def _by_schema(
    schema: Schema, current: list[tuple[TableLife, TableSummary]]
) -> tuple[tuple[str, tuple[TableSummary, ...]], ...]:
    """The summaries by the schema their table is in, when that is more than one."""
    in_use = namespaces_in_use(schema)
    if len(in_use) <= 1:
        return ()
    home = [(namespace_of(schema, life.name), summary) for life, summary in current]
    return tuple(
        (code(namespace), found)
        for namespace in in_use
        if (found := tuple(summary for space, summary in home if space == namespace))
    )


def _table_summary(inputs: Inputs, life: TableLife, linker: Linker) -> TableSummary:
    table = life.shape
    sidecar = inputs.descriptions.table(table.name, inputs.language)
    link = f"[{code(table.name)}]({relative_link(linker.page, life.path)})"
    if "--" in life.slug:  # an earlier table of a name: which one
        link += f" ({life_span(inputs.history, life)})"
    comment = creation_comment(inputs.history, life)
    elsewhere = inputs.descriptions.table_elsewhere(table.name, inputs.language)
    described = inputs.describe(sidecar, comment, elsewhere=elsewhere)
    return TableSummary(link, len(table.columns), described)


def objects_context(inputs: Inputs) -> tuple[tuple[ObjectEntry, ...], tuple[ObjectEntry, ...]]:
    """The current views and triggers, each with its SQL and the migrations that made it."""
    linker = Linker(inputs.plan, OBJECTS)
    schema = inputs.history.schema
    view_rows = _object_histories(inputs, linker, {Action.CREATE_VIEW, Action.DROP_VIEW})
    # PostgreSQL names a trigger per table: its entry is the table's and the name's
    per_table = inputs.plan.postgres
    trigger_rows = _object_histories(
        inputs, linker, {Action.CREATE_TRIGGER, Action.DROP_TRIGGER}, per_table
    )
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
            materialized=view.materialized,
        )
        for view in schema.views
    )
    triggers = tuple(
        ObjectEntry(
            name=code(trigger.name),
            anchor=trigger_anchor(trigger.name, schema.names, trigger.table if per_table else None),
            table=linker.table(trigger.table),
            detail=f"{trigger.timing} {trigger.event}".strip(),
            description=inputs.describe("", trigger.description),
            history=_trigger_history(trigger_rows, schema, trigger, per_table),
            sql=trigger.sql,
            function=function_link(linker, trigger.function) if trigger.function else "",
            level=trigger.level,
        )
        for trigger in schema.triggers
    )
    return views, triggers


def _trigger_history(
    rows: Mapping[str, tuple[HistoryRow, ...]], schema: Schema, trigger: Trigger, per_table: bool
) -> tuple[HistoryRow, ...]:
    """A trigger's rows: PostgreSQL's by table and name (the name alone once the table was
    renamed since)."""
    key = schema.names.key
    by_name = rows.get(key(trigger.name), ())
    return rows.get(key(f"{trigger.table}.{trigger.name}"), by_name) if per_table else by_name


_NAME = r'"(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[\w$]+'
_SOURCE = re.compile(rf"\b(?:FROM|JOIN)\s+({_NAME})(?:\s*\.\s*({_NAME}))?", re.I)
# the schema an unqualified name means anyway (SQLite's main, PostgreSQL's public)
_DEFAULT_SCHEMAS = frozenset({"main", "public"})


def tables_read(schema: Schema, sql: str) -> tuple[str, ...]:
    """The tables a view's SELECT names after FROM or JOIN, in order, once each (names
    that are not tables, such as other views or CTEs, are left out). A qualified name
    (``registry.events``) is the model's name of a table outside the default schema."""
    found: dict[str, str] = {}
    for match in _SOURCE.finditer(sql):
        first, second = unquote(match.group(1)), match.group(2)
        if second is None:
            table = schema.table(first)
        elif any(schema.names.same(first, default) for default in _DEFAULT_SCHEMAS):
            table = schema.table(unquote(second))
        else:
            table = schema.table(f"{first}.{unquote(second)}")
        if table is not None:
            found.setdefault(schema.names.key(table.name), table.name)
    return tuple(found.values())


def _object_histories(
    inputs: Inputs, linker: Linker, actions: set[Action], per_table: bool = False
) -> dict[str, tuple[HistoryRow, ...]]:
    """History rows by the object name's key, in one pass over the migrations;
    ``per_table``: by the key of "table.name" as well (PostgreSQL's triggers)."""
    rows: dict[str, list[HistoryRow]] = {}
    key = inputs.history.names.key
    for step in inputs.history.steps:
        lines: dict[str, list[ChangeLine]] = {}
        for change in step.changes:
            if change.action in actions:
                line = change_line(change, step, linker)
                lines.setdefault(key(change.object), []).append(line)
                if per_table:
                    lines.setdefault(key(f"{change.table}.{change.object}"), []).append(line)
        for name, found in lines.items():
            rows.setdefault(name, []).append(
                HistoryRow(linker.migration(step.migration, breakable=True), tuple(found))
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
    ended = {(life.dropped_in, life.drop_position): life for life in inputs.plan.lives}
    entries: list[DroppedEntry] = []
    for index, step in enumerate(history.steps):
        migration = linker.migration(step.migration, breakable=True)  # cells wrap at "_"
        for number, change in enumerate(step.changes):
            life = ended.get((index, number)) if change.action is Action.DROP_TABLE else None
            if life is not None:  # every table dropped, also one whose name lives on
                entries.extend(dropped_table_entries(inputs, linker, life, change, migration))
            elif change.action in _DROPS:
                kind = _DROPS[change.action][0]
                if last_created.get((kind, key(change.object)), (-1, -1)) < (index, number):
                    name = linker.table(change.object, index) if kind == "table" else None
                    label = name or breakable_code(change.object)
                    entries.append(DroppedEntry(kind, label, migration))
            elif change.action is Action.DROP_COLUMN and change.table:
                column = change.object.removeprefix(f"{change.table}.")
                entries.append(_column_entry(linker, step, index, change.table, column, migration))
            elif change.action is Action.REBUILD_TABLE and change.before and change.after:
                for gone in diff_tables(change.before, change.after).dropped:
                    entries.append(
                        _column_entry(linker, step, index, change.object, gone.name, migration)
                    )
        entries.extend(
            DroppedEntry(c.dropped, c.params["name"], migration)
            for c in step_object_changes(history, index, linker)
            if c.dropped and still_gone(history, c)
        )
    return tuple(entries)


def _column_entry(
    linker: Linker, step: Step, index: int, table: str, column: str, migration: str
) -> DroppedEntry:
    owner = linker.table(table, index)
    moved = copied_into(linker.copies(step), table, column, step.schema.names)
    into = ", ".join(dict.fromkeys(code(f"{c.target}.{c.into}") for c in moved))
    partly = bool(moved) and all(c.rows_lost for c in moved)
    return DroppedEntry("column", f"{breakable_code(column)} ({owner})", migration, into, partly)
