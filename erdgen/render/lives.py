"""Table lives: a table from its CREATE TABLE to its DROP TABLE (or to now), across renames.

A name can have several lives: ``DROP TABLE logs; CREATE TABLE logs (...)`` ends one table
and begins another. Each life has a page of its own; the last life of a name keeps the
name's page (``tables/logs.md``), an earlier one is ``tables/logs--<drop migration>.md``,
and the pages of one name link to each other.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping

from msgspec import Struct

from erdgen.model import Action, Change, History, IdentifierRule, Migration, Schema, Step, Table
from erdgen.render.markdown import slug


def table_page(table_slug: str) -> str:
    return f"tables/{table_slug}.md"


TABLE_SCOPED = frozenset(
    {
        Action.CREATE_TABLE, Action.DROP_TABLE, Action.RENAME_TABLE, Action.REBUILD_TABLE,
        Action.ALTER_TABLE, Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN,
        Action.ALTER_COLUMN, Action.CREATE_INDEX,
        Action.DROP_INDEX, Action.CREATE_TRIGGER, Action.DROP_TRIGGER, Action.DATA,
    }
)  # fmt: skip


class TableLife(Struct, frozen=True):
    """A table that has a page: current, or dropped, with the names it had step by step."""

    name: str
    slug: str
    shape: Table  # the current shape, or the last one before the drop
    dropped_in: int | None  # step index of the drop
    names: Mapping[int, frozenset[str]]  # step index -> lower-case names it had in that step
    drop_position: int = -1  # the drop's index in its step's changes (-1: not dropped)

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(sorted(self.names))

    @property
    def path(self) -> str:
        return table_page(self.slug)


def table_lives(history: History) -> tuple[TableLife, ...]:
    """Every table that ever existed under its last name: current ones first, then the
    dropped ones in the order of their drops (a name dropped and created again has a life
    for each table it named)."""
    last = len(history.steps) - 1
    touched = _steps_by_name(history)
    key = history.names.key
    lives = [_life(history, touched, t.name, last, t) for t in history.schema.tables]
    for index, step in enumerate(history.steps):
        for position, change in enumerate(step.changes):
            if change.action is not Action.DROP_TABLE:
                continue
            shape = change.before or shape_named(
                schema_before(history, index), {key(change.object)}
            )
            if shape is not None:
                lives.append(_life(history, touched, shape.name, index, shape, position))
    return _with_slugs(history, lives)


def _with_slugs(history: History, lives: list[TableLife]) -> tuple[TableLife, ...]:
    """The last life of a name (current, or else the last dropped) keeps the name's slug;
    an earlier one gets "--" and its drop migration's slug ("--" is in no name's slug)."""
    key = history.names.key
    latest: dict[str, TableLife] = {}
    for life in lives:  # current first, then drops in order: the last one of a name wins
        if life.slug not in latest or latest[life.slug].dropped_in is not None:
            latest[life.slug] = life
    taken: set[str] = set()
    named = []
    for life in lives:
        found = life.slug
        if latest[life.slug] is not life and life.dropped_in is not None:
            base = f"{slug(key(life.name))}--{slug(history.steps[life.dropped_in].migration.shown)}"
            found, number = base, 1
            while found in taken:  # two tables of one name dropped by one migration
                number += 1
                found = f"{base}-{number}"
        taken.add(found)
        named.append(life if found == life.slug else _renamed(life, found))
    return tuple(named)


def _renamed(life: TableLife, new_slug: str) -> TableLife:
    return TableLife(
        life.name, new_slug, life.shape, life.dropped_in, life.names, life.drop_position
    )


def _steps_by_name(history: History) -> dict[str, list[int]]:
    """The step indexes (ascending) whose changes name each lower-case name."""
    touched: dict[str, list[int]] = {}
    for index, step in enumerate(history.steps):
        for change in step.changes:
            for name in {
                history.names.key(change.table or change.object),
                history.names.key(change.object),
            }:
                steps = touched.setdefault(name, [])
                if not steps or steps[-1] != index:
                    steps.append(index)
    return touched


def _life(
    history: History,
    touched: Mapping[str, list[int]],
    name: str,
    end: int,
    shape: Table,
    drop: int = -1,
) -> TableLife:
    """Walk back from ``end`` (in that step from its change ``drop``, the table's drop,
    when given), following renames, until the table's creation.

    Only the steps that name the table (under the name it had then) can change it, so
    the walk jumps from one of those to the previous one instead of visiting every step.
    The walk stops at the CREATE TABLE: what a step did to the name before it (dropping
    an earlier table of that name) belongs to the earlier table's life too.
    """
    current, key = history.names.key(name), history.names.key
    names: dict[int, frozenset[str]] = {}
    index = end
    while index >= 0:
        changes = history.steps[index].changes
        if index == end and drop >= 0:
            changes = changes[: drop + 1]
        step_names = {current}
        created = False
        for change in reversed(changes):
            if change.action is Action.RENAME_TABLE and key(change.object) == current:
                current = key(change.old_name or current)
                step_names.add(current)
            elif change.action is Action.CREATE_TABLE and key(change.object) == current:
                created = True
                break
        if any(concerns(c, step_names, history.names) for c in changes):
            names[index] = frozenset(step_names)
        if created:
            break
        steps = touched.get(current, [])
        before = bisect_left(steps, index) - 1
        index = steps[before] if before >= 0 else -1
    dropped = end if drop >= 0 else None
    return TableLife(name, slug(key(name)), shape, dropped, names, drop)


def concerns(change: Change, names: frozenset[str] | set[str], rule: IdentifierRule) -> bool:
    owner = change.table or change.object
    return change.action in TABLE_SCOPED and rule.key(owner) in names


def schema_before(history: History, index: int) -> Schema:
    """The schema before step ``index``: the one after the previous step, empty before the
    first. The one place that says so (table pages, migration diagrams, lives use it)."""
    return history.steps[index - 1].schema if index > 0 else Schema()


def life_schema(history: History, life: TableLife) -> Schema:
    """The schema a table's page shows it in: now, or just before it was dropped. A table
    created and dropped by the same migration (a scratch table) is added with its last
    shape, as that schema never had it; so is a table whose name the schema before its
    drop gives to another (an earlier table of the name, created again in one migration)."""
    if life.dropped_in is None:
        return history.schema
    schema = schema_before(history, life.dropped_in)
    return schema if schema.table(life.name) is not None else schema.with_table(life.shape)


def life_span(history: History, life: TableLife) -> str:
    """The migrations a life spans: the first and last shown ids joined by an en dash
    (one id when it is one)."""
    if not life.steps:
        return ""
    first = history.steps[life.steps[0]].migration.shown
    last = history.steps[life.dropped_in if life.dropped_in is not None else -1].migration
    return first if last.shown == first else f"{first}\N{EN DASH}{last.shown}"


def drop_migration(history: History, life: TableLife) -> Migration | None:
    return None if life.dropped_in is None else history.steps[life.dropped_in].migration


def creation_comment(history: History, life: TableLife) -> str:
    """The SQL comment above the statement that created the table, "" for none.

    Not the comment above a later rebuild's helper table (``CREATE TABLE x_new`` carries
    the migration step's comment, "drop the url column"), and none for a table created as
    such a helper, i.e. renamed by the migration that created it.
    PostgreSQL keeps a table's description apart from its definition (``COMMENT ON``,
    usually after the CREATE TABLE): there it is the description the table has now.
    """
    if history.dialect == "postgres":
        return life.shape.description
    if not life.steps:
        return ""
    first = life.steps[0]
    names = history.names
    changes = history.steps[first].changes
    if life.dropped_in == first and life.drop_position >= 0:
        changes = changes[: life.drop_position]
    for change in reversed(changes):  # the last CREATE before the life's end is its own
        if change.action is Action.CREATE_TABLE and names.key(change.object) in life.names[first]:
            renamed_at_once = any(
                c.action is Action.RENAME_TABLE and names.same(c.old_name or "", change.object)
                for c in history.steps[first].changes
            )
            after = change.after
            return "" if renamed_at_once or after is None else after.description
    return ""


def shape_named(schema: Schema, names: frozenset[str] | set[str]) -> Table | None:
    return next((t for t in schema.tables if schema.names.key(t.name) in names), None)


def changed_unnamed(
    step: Step, before: Schema, named: Collection[str]
) -> Iterator[tuple[Table, Table]]:
    """(before, after) of each table whose shape the migration changed though no change of
    it names the table (``named``: the keys of those it names). SQLite makes the foreign
    keys of other tables follow a renamed table or column (``ALTER TABLE ... RENAME``,
    sqlite.org/lang_altertable.html; not with legacy_alter_table). A table no statement
    touched is the same object before and after, so only the others are compared."""
    key = step.schema.names.key
    for new in step.schema.tables:
        old = before.table(new.name)
        if old is not None and old is not new and key(new.name) not in named and old != new:
            yield old, new
