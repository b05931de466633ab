"""What a migration did, in words: change lines (catalog keys with Markdown values).

``step_groups`` groups one migration's changes by table; ``table_step_lines`` says what
one migration did to one table, a rebuild read as the diff of the table's two shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from msgspec import Struct

from erdgen.core.table_diff import diff_tables
from erdgen.model import Action, Change, Column, ColumnCopy, Index, Step, Table
from erdgen.render.column_lines import column_added, column_altered, column_changes, column_gone
from erdgen.render.column_lines import column_definition as column_definition  # pages use it
from erdgen.render.key_lines import ChangeLine as ChangeLine  # where the pages import it
from erdgen.render.key_lines import (
    constraint_lines,
    index_created,
    index_dropped,
    index_or_key_created,
    index_or_key_dropped,
    index_replaced,
    table_altered,
)
from erdgen.render.markdown import code
from erdgen.render.row_loss_lines import data_line, loss_lines
from erdgen.render.siteplan import (
    TABLE_SCOPED,
    Linker,
    TableLife,
    changed_unnamed,
    concerns,
    schema_before,
    shape_named,
)

# --- change lines: what a migration did, as catalog keys with Markdown values -------------


class ChangeGroup(Struct, frozen=True):
    """The changes of one migration to one table (label) or to other objects (label "")."""

    label: str
    lines: tuple[ChangeLine, ...]
    table: str = ""  # the table's name as the migration knew it ("" for other objects)


SUMMARY_ORDER = (
    "tables_created", "tables_rebuilt", "tables_renamed", "tables_dropped",
    "columns_added", "columns_changed", "columns_renamed", "columns_dropped",
    "indexes_created", "indexes_replaced", "indexes_dropped", "constraints_changed",
    "views_created", "views_replaced", "views_dropped", "triggers_created", "triggers_replaced",
    "triggers_dropped", "indexes_recreated", "views_recreated", "triggers_recreated",
    "data_changes",
)  # fmt: skip


def summary(groups: Sequence[ChangeGroup]) -> tuple[tuple[str, int], ...]:
    """(bucket, count) in a fixed order, for the one-line summary of a migration."""
    subjects: dict[str, set[str]] = {}
    for group in groups:
        for line in (line for top in group.lines for line in top.all()):
            if line.bucket:
                subjects.setdefault(line.bucket, set()).add(f"{group.label}\0{line.subject}")
    return tuple((b, len(subjects[b])) for b in SUMMARY_ORDER if b in subjects)


def _table_dropped(change: Change) -> ChangeLine:
    """A dropped table; where a statement before copied all its columns, where to (and,
    where that copy left rows behind, how: ``Change.rows_lost``)."""
    if change.lost_columns or not change.copied_to:
        return ChangeLine(
            "table_dropped", {}, loss_lines(change.rows_lost), destructive=True,
            bucket="tables_dropped", subject=change.object,
        )  # fmt: skip
    into = ", ".join(dict.fromkeys(code(copy.target) for copy in change.copied_to))
    kind = "table_dropped_copied_partly" if change.rows_lost else "table_dropped_copied"
    return ChangeLine(
        kind, {"into": into}, loss_lines(change.rows_lost, destructive=False),
        destructive=change.destructive, bucket="tables_dropped", subject=change.object,
    )  # fmt: skip


def _created_index(change: Change, step: Step) -> Index:
    """The index as the migration left it: the owning table's shape first (Schema.index
    scans every index of the schema)."""
    owner = change.after or (step.schema.table(change.table) if change.table else None)
    index = (owner.index(change.object) if owner else None) or step.schema.index(change.object)
    return index or Index(change.object, change.table or "", ())


def _dropped_index(change: Change, step: Step, linker: Linker) -> Index:
    """The index as it was: PostgreSQL's changes carry no table shape, so the table is
    looked up in the schema before the step (else the line had no columns)."""
    shape = change.before
    if shape is None and change.table is not None:
        shape = linker.plan.before(step).table(change.table)
    index = shape.index(change.object) if shape is not None else None
    return index or Index(change.object, change.table or "", ())


def shape_diff(
    before: Table | None,
    after: Table | None,
    copies: Sequence[ColumnCopy] = (),
    exists: Callable[[str], object] | None = None,
) -> tuple[ChangeLine, ...]:
    """What differs between two shapes of a table: columns, indexes, CHECKs, foreign keys.

    A column that is gone but whose values ``copies`` carry into another column is said
    so, not called destroyed (a rebuild's INSERT ... SELECT, see ``erdgen.core.lineage``).
    """
    if before is None or after is None:
        return ()
    diff = diff_tables(before, after)
    lines: list[ChangeLine] = []
    key = after.names.key
    changed = {key(after_column.name): b for b, after_column in diff.changed}
    added = {key(c.name) for c in diff.added}
    for column in after.columns:  # in the new shape's order
        if key(column.name) in added:
            lines.append(column_added(column, after.names, after))
        elif (previous := changed.get(key(column.name))) is not None:
            lines.extend(column_changes(previous, column))
    lines.extend(column_gone(c.name, before.name, copies, after.names) for c in diff.dropped)
    lines.extend(index_or_key_dropped(i, before) for i in diff.indexes_dropped)
    lines.extend(index_or_key_created(i, after) for i in diff.indexes_added)
    lines.extend(constraint_lines(diff, exists))
    return tuple(lines)


def change_line(change: Change, step: Step, linker: Linker) -> ChangeLine:
    """One model change in words (a rebuild's details come from ``shape_diff``)."""
    column = change.object.removeprefix(f"{change.table}.") if change.table else change.object
    match change.action:
        case Action.CREATE_TABLE:
            return ChangeLine("table_created", bucket="tables_created", subject=change.object)
        case Action.DROP_TABLE:
            return _table_dropped(change)
        case Action.RENAME_TABLE:
            params = {"old": code(change.old_name or ""), "new": code(change.object)}
            return ChangeLine(
                "table_renamed", params, bucket="tables_renamed", subject=change.object
            )
        case Action.REBUILD_TABLE:
            details = shape_diff(change.before, change.after, linker.copies(step))
            details += loss_lines(change.rows_lost)  # rows its own copy left behind
            return ChangeLine("table_rebuilt", {}, details, bucket="tables_rebuilt", subject=column)
        case Action.ADD_COLUMN:
            added = change.after.column(column) if change.after else None
            return column_added(added or Column(column), step.schema.names, change.after)
        case Action.DROP_COLUMN:  # values copied first read as moved (core.lineage)
            table = change.table or ""
            return column_gone(column, table, change.copied_to, step.schema.names)
        case Action.ALTER_COLUMN if linker.plan.postgres:
            return column_altered(change, column)
        case Action.ALTER_COLUMN:
            details = shape_diff(change.before, change.after)
            params = {"column": code(column)}
            return ChangeLine(
                "column_altered", params, details, bucket="columns_changed", subject=column
            )
        case Action.ALTER_TABLE:
            return table_altered(change, step.schema)
        case Action.RENAME_COLUMN:
            old = (change.old_name or "").removeprefix(f"{change.table}.")
            params = {"old": code(old), "column": code(column)}
            return ChangeLine("column_renamed", params, bucket="columns_renamed", subject=column)
        case Action.CREATE_INDEX:
            return index_created(_created_index(change, step))
        case Action.DROP_INDEX:
            return index_dropped(_dropped_index(change, step, linker))
        case Action.CREATE_VIEW | Action.DROP_VIEW:
            kind = "view_created" if change.action is Action.CREATE_VIEW else "view_dropped"
            name = linker.view(change.object) if kind == "view_created" else code(change.object)
            bucket = kind.replace("view", "views")
            return ChangeLine(kind, {"view": name}, bucket=bucket, subject=change.object)
        case Action.CREATE_TRIGGER | Action.DROP_TRIGGER:
            created = change.action is Action.CREATE_TRIGGER
            name = linker.trigger(change.object, change.table) if created else code(change.object)
            kind = "trigger_created" if created else "trigger_dropped"
            bucket = kind.replace("trigger", "triggers")
            return ChangeLine(kind, {"trigger": name}, bucket=bucket, subject=change.object)
        case Action.DATA:
            return data_line(change)
    raise AssertionError(f"unhandled action {change.action}")  # pragma: no cover


# a drop, and the creation that makes the same object again
_REMADE = {
    Action.DROP_INDEX: Action.CREATE_INDEX,
    Action.DROP_VIEW: Action.CREATE_VIEW,
    Action.DROP_TRIGGER: Action.CREATE_TRIGGER,
}


def lines_of(changes: Sequence[Change], step: Step, linker: Linker) -> tuple[ChangeLine, ...]:
    """Each change in words; an index, view or trigger that the migration dropped and then
    made again under its name is one line: replaced where its definition changed (an index:
    its definition before and after), made again as it was where it did not."""
    key = step.schema.names.key
    made: dict[tuple[Action, str, str | None], list[int]] = {}
    for position, change in enumerate(changes):
        at = (change.action, key(change.object), change.table and key(change.table))
        made.setdefault(at, []).append(position)
    lines: list[ChangeLine] = []
    done: set[int] = set()
    for position, change in enumerate(changes):
        if position in done:
            continue
        create = _REMADE.get(change.action)
        found = create and (create, key(change.object), change.table and key(change.table))
        later = made.get(found, []) if found else []
        again = next((n for n in later if n > position and n not in done), None)
        if again is not None:
            lines.append(_remade(change, changes[again], step, linker))
            done.add(again)
            continue
        lines.append(change_line(change, step, linker))
    return tuple(lines)


def _remade(drop: Change, create: Change, step: Step, linker: Linker) -> ChangeLine:
    """Replaced, or made again as it was: an index's definitions compared here, a view's
    or trigger's by the dialect as it read them (``Change.same_as_dropped``)."""
    name = create.object
    if create.action is Action.CREATE_INDEX:
        return index_replaced(_dropped_index(drop, step, linker), _created_index(create, step))
    done = "recreated" if create.same_as_dropped else "replaced"
    if create.action is Action.CREATE_VIEW:
        params = {"view": linker.view(name)}
        return ChangeLine(f"view_{done}", params, bucket=f"views_{done}", subject=name)
    params = {"trigger": linker.trigger(name, create.table)}
    return ChangeLine(f"trigger_{done}", params, bucket=f"triggers_{done}", subject=name)


def table_step_lines(life: TableLife, index: int, linker: Linker) -> tuple[ChangeLine, ...]:
    """What one migration did to one table; a rebuild reads as the diff of its shapes."""
    history = linker.plan.history
    step, names = history.steps[index], life.names[index]
    changes = [c for c in step.changes if concerns(c, names, history.names)]
    if not any(c.action is Action.REBUILD_TABLE for c in changes):
        return lines_of(changes, step, linker)
    before = shape_named(schema_before(history, index), names)
    after = shape_named(step.schema, names)
    details = shape_diff(before, after, linker.copies(step))
    details += tuple(
        line
        for c in changes
        if c.action is Action.REBUILD_TABLE
        for line in loss_lines(c.rows_lost)  # rows its own copy left behind
    )
    rebuilt = ChangeLine("table_rebuilt", {}, details, bucket="tables_rebuilt", subject=life.name)
    # the triggers its DROP TABLE took along, and those made again (as they were, or not)
    kept = (Action.DATA, Action.CREATE_TRIGGER, Action.DROP_TRIGGER)
    return (rebuilt, *lines_of([c for c in changes if c.action in kept], step, linker))


def step_groups(index: int, linker: Linker) -> tuple[ChangeGroup, ...]:
    """A migration's changes grouped by table (in first-touched order), then other objects."""
    plan = linker.plan
    step = plan.history.steps[index]
    groups: list[ChangeGroup] = []
    seen: set[str] = set()
    loose = lines_of([c for c in step.changes if c.action not in TABLE_SCOPED], step, linker)
    for change in step.changes:
        if change.action not in TABLE_SCOPED:
            continue
        owner = change.table or change.object
        life = plan.life(owner, index)
        key = plan.history.names.key(life.name if life else owner)
        if key in seen:
            continue
        seen.add(key)
        if life is not None and index in life.names:
            lines = table_step_lines(life, index, linker)
        else:
            same = [c for c in step.changes if plan.history.names.key(c.table or c.object) == key]
            lines = lines_of([c for c in same if c.action in TABLE_SCOPED], step, linker)
        groups.append(ChangeGroup(linker.table(owner, index), lines, owner))
    groups.extend(_unnamed_changes(index, linker))
    if loose:
        groups.append(ChangeGroup("", tuple(loose)))
    return tuple(groups)


def _unnamed_changes(index: int, linker: Linker) -> list[ChangeGroup]:
    """The tables the migration changed though none of its statements names them
    (``lives.changed_unnamed``): the foreign keys SQLite made follow a renamed table or
    column, which a rename-first rebuild leaves pointing at a table it drops."""
    plan = linker.plan
    step = plan.history.steps[index]
    key = plan.history.names.key
    named = {key(c.table or c.object) for c in step.changes} | {
        key(c.old_name) for c in step.changes if c.old_name
    }
    groups = []
    for was, table in changed_unnamed(step, plan.before(step), named):
        details = shape_diff(was, table, exists=step.schema.table)
        if details:  # not only its SQL text rewritten
            line = ChangeLine("table_rewritten", {}, details, subject=table.name)
            groups.append(ChangeGroup(linker.table(table.name, index), (line,), table.name))
    return groups
