"""A migration's diagram: the tables it created, changed or dropped, with what it did
marked on tables, columns and indexes, and their direct neighbours as context.

No whole-schema view, however small the schema: the overview draws that one click away,
and a diagram that shows everything for some schemas and a part for others would need
two captions and hide the change among unrelated tables as soon as a project grows
(homarr's 0041 added one column to ``user`` and drew all 35 tables, ``user`` off-screen).
Neighbours (a foreign key either way) are greyed and show their key columns only.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct
from msgspec.structs import replace

from erdgen.config import Config
from erdgen.core.table_diff import TableDiff, diff_tables
from erdgen.errors import ErdgenError
from erdgen.model import Action, Change, Column, History, IdentifierRule, Schema, Step, Table
from erdgen.render.dot import (
    MARK_SYMBOL,
    ErDiagram,
    IndexNote,
    Mark,
    StubNode,
    TableNode,
    er_dot,
    missing_parents,
)
from erdgen.render.fk_graph import Diagram, LinkFor, fk_graph_around, within_hops
from erdgen.render.markdown import slug
from erdgen.render.siteplan import changed_unnamed, schema_before

# More context tables than this and they are drawn as their names only: their key
# columns would make the context column taller than the changed tables (homarr's `user`
# has 14 neighbours: 1440 pt tall with key columns, 609 pt with names).
COLLAPSE_CONTEXT_OVER = 6


class TableDelta(Struct, frozen=True):
    """What one migration did to one table, from the schemas before and after it."""

    name: str
    before: Table | None
    after: Table | None
    mark: Mark
    column_marks: Mapping[str, Mark]
    dropped_columns: tuple[Column, ...]
    indexes: tuple[IndexNote, ...]


def migration_diagram(
    history: History, migration_id: str, config: Config, link: LinkFor
) -> Diagram:
    """What the migration added, changed and dropped, marked, and the tables around it."""
    step, before = step_and_schema_before(history, migration_id)
    deltas = migration_deltas(step, before)
    dropped = tuple(d.before for d in deltas.values() if d.after is None and d.before is not None)
    schema = replace(step.schema, tables=(*step.schema.tables, *dropped))
    names = migration_tables(schema, deltas, config)
    collapse = len(names) - len(deltas) > COLLAPSE_CONTEXT_OVER
    nodes = tuple(migration_node(schema, name, deltas, link, collapse) for name in names)
    shown_tables = [node.table for node in nodes]
    stubs = tuple(StubNode(n, missing=True) for n in missing_parents(schema, shown_tables))
    touched = sum(1 for name in names if name in deltas)
    notes = migration_notes(step, deltas, touched, config)
    key = f"migration-{slug(step.migration.shown)}"
    distance = {name: 0 if name in deltas else 1 for name in names}
    diagram = ErDiagram(key, nodes, schema, stubs=stubs, notes=notes, distance=distance)
    title = f"{step.migration.shown} {step.migration.name_beyond_key}".rstrip()
    return Diagram(key, title, er_dot(diagram))


def step_and_schema_before(history: History, migration_id: str) -> tuple[Step, Schema]:
    wanted = history.step(migration_id)
    for position, step in enumerate(history.steps):
        if step is wanted:
            return step, schema_before(history, position)
    raise ErdgenError(f"no migration {migration_id!r} in the history")


def changed_table_names(step: Step, before: Schema, after: Schema) -> dict[str, str | None]:
    """Tables a migration touched (lower-case name -> its name before a rename, if any)."""
    touched: dict[str, str | None] = {}
    for change in step.changes:
        name = table_of(change, before, after)
        if name is None:
            continue
        old = change.old_name if change.action is Action.RENAME_TABLE else None
        touched.setdefault(after.names.key(name), None)
        if old is not None:
            touched[after.names.key(name)] = old
    return touched


def table_of(change: Change, before: Schema, after: Schema) -> str | None:
    """The table a change is about (None for views and triggers without one)."""
    if change.action in (Action.CREATE_VIEW, Action.DROP_VIEW):
        return None
    if change.action in (
        Action.CREATE_TABLE,
        Action.DROP_TABLE,
        Action.RENAME_TABLE,
        Action.REBUILD_TABLE,
        Action.ALTER_TABLE,
    ):
        return (
            change.object if change.action is Action.RENAME_TABLE else change.table or change.object
        )
    if change.table is not None:
        return change.table
    if change.action in (
        Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN, Action.ALTER_COLUMN
    ):  # fmt: skip
        return change.object.split(".", 1)[0]
    if change.action in (Action.CREATE_INDEX, Action.DROP_INDEX):
        index = after.index(change.object) or before.index(change.object)
        return index.table if index is not None else None
    return None


def migration_deltas(step: Step, before: Schema) -> dict[str, TableDelta]:
    deltas = {}
    for name, old_name in changed_table_names(step, before, step.schema).items():
        old = before.table(old_name or name)
        new = step.schema.table(name)
        if old is None and new is None:
            continue
        renamed_columns = columns_renamed(step, new.name if new else name, step.schema.names)
        deltas[name] = table_delta(old, new, renamed_columns, renamed=old_name is not None)
    # a table no change names can still differ (SQLite's rewrite of foreign keys)
    for old, new in changed_unnamed(step, before, deltas):
        deltas[step.schema.names.key(new.name)] = table_delta(old, new, {}, renamed=False)
    return deltas


def columns_renamed(step: Step, table: str, names: IdentifierRule) -> dict[str, str]:
    """The table's columns renamed by the migration: new name's key -> old name."""
    renamed = {}
    for change in step.changes:
        renamed_here = change.action is Action.RENAME_COLUMN and change.old_name
        if renamed_here and change.table and names.same(change.table, table):
            column = change.object.removeprefix(f"{change.table}.")
            renamed[names.key(column)] = (change.old_name or "").removeprefix(f"{change.table}.")
    return renamed


def table_delta(
    old: Table | None, new: Table | None, renamed_columns: Mapping[str, str], renamed: bool
) -> TableDelta:
    """Marks from the table's diff (``renamed_columns``: new lower-case name -> old name)."""
    if old is None or new is None:
        mark = Mark.ADDED if old is None else Mark.DROPPED
        shown = new or old
        assert shown is not None
        return TableDelta(shown.name, old, new, mark, {}, (), ())
    diff = diff_tables(old, new, renamed_columns)
    key = new.names.key
    marks = {key(c.name): Mark.ADDED for c in diff.added}
    marks.update({key(after.name): Mark.CHANGED for _, after in diff.changed})
    indexes = index_notes(diff, new.names)
    changed = renamed or not diff.empty
    mark = Mark.CHANGED if changed else Mark.NONE
    return TableDelta(new.name, old, new, mark, marks, diff.dropped, indexes)


def index_notes(diff: TableDiff, names: IdentifierRule) -> tuple[IndexNote, ...]:
    """Named indexes the migration added, changed or dropped (constraint indexes are
    shown through the PK / UQ markers instead)."""
    dropped = {names.key(i.name): i for i in diff.indexes_dropped if i.origin == "c"}
    notes = []
    for index in (i for i in diff.indexes_added if i.origin == "c"):
        mark = Mark.CHANGED if dropped.pop(names.key(index.name), None) else Mark.ADDED
        notes.append(IndexNote(index.name, index.column_names, index.unique, mark))
    notes.extend(
        IndexNote(i.name, i.column_names, i.unique, Mark.DROPPED) for i in dropped.values()
    )
    return tuple(notes)


def migration_tables(schema: Schema, deltas: Mapping[str, TableDelta], config: Config) -> list[str]:
    """The touched tables (at most ``config.split_threshold``, by name), then every table
    one foreign key away from them, by name (lower-case names)."""
    touched = sorted(deltas)[: max(1, config.split_threshold)]
    return within_hops(fk_graph_around(schema, touched), touched, 1)


def migration_node(
    schema: Schema, name: str, deltas: Mapping[str, TableDelta], link: LinkFor, collapse: bool
) -> TableNode:
    delta = deltas.get(name)
    table = schema.table(name)
    if delta is None:  # context: greyed, key columns only (or the name only)
        assert table is not None
        link_to = link(table.name)
        return TableNode(table, href=link_to, muted=True, compact=True, collapsed=collapse)
    shown = delta.after or delta.before
    assert shown is not None
    return TableNode(
        shown,
        href=link(shown.name),
        mark=delta.mark,
        column_marks=delta.column_marks,
        dropped_columns=delta.dropped_columns,
        indexes=delta.indexes,
        muted=delta.mark is Mark.NONE,
    )


_OBJECT_ACTIONS = frozenset(
    {Action.CREATE_VIEW, Action.CREATE_TRIGGER, Action.DROP_VIEW, Action.DROP_TRIGGER}
)


def migration_notes(
    step: Step, deltas: Mapping[str, TableDelta], shown: int, config: Config
) -> tuple[str, ...]:
    """SQL verbs and names only, e.g. "INSERT ai_jobs", "+ VIEW v", "\u2026 +3 ~"; a view or
    trigger dropped and made again is one note, "± VIEW v" when it was made again as it
    was (``Change.same_as_dropped``), "~ VIEW v" when its definition changed."""
    notes: list[str] = []
    dropped: dict[tuple[str, str], int] = {}  # (kind, name key) -> its note of the drop
    key = step.schema.names.key
    for change in step.changes:
        if change.action is Action.DATA:
            verb = (change.verb or "SQL").upper()
            notes.append(f"{verb} {change.table or change.object}".rstrip())
            continue
        if change.action not in _OBJECT_ACTIONS:
            continue
        kind = change.action.value.split("_")[1].upper()
        at = (kind, key(change.object))
        if change.action in (Action.DROP_VIEW, Action.DROP_TRIGGER):
            dropped[at] = len(notes)
            notes.append(f"\u2212 {kind} {change.object}")
        elif (position := dropped.pop(at, None)) is not None:
            mark = "\u00b1" if change.same_as_dropped else MARK_SYMBOL[Mark.CHANGED]
            notes[position] = f"{mark} {kind} {change.object}"
        else:
            notes.append(f"+ {kind} {change.object}")
    if len(deltas) > shown:
        notes.append(f"\u2026 +{len(deltas) - shown} {MARK_SYMBOL[Mark.CHANGED]}")
    return tuple(dict.fromkeys(notes))
