"""Which diagrams exist, how a large schema is grouped, and rendering them (cached, parallel).

The page writer calls ``overview_diagrams``, ``table_diagram`` and ``migration_diagram``
to get DOT sources, then ``render_svgs`` once for all of them, and ``legend_items`` for the
legend it writes below each diagram in the page's language (the SVGs hold no words).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from erdgen import __version__
from erdgen.config import Config, GroupSpec
from erdgen.core.queries import history_until
from erdgen.errors import ErdgenError
from erdgen.model import (
    Action,
    Change,
    Column,
    History,
    IdentifierRule,
    Index,
    Schema,
    Step,
    Table,
    ascii_fold,
)
from erdgen.render.dot import (
    MARK_SYMBOL,
    ErDiagram,
    GroupNode,
    IndexNote,
    Mark,
    StubNode,
    TableNode,
    er_dot,
    group_overview_dot,
    missing_parents,
)
from erdgen.render.graphviz import (
    PROCESSING_VERSION,
    embeddable_svg,
    graphviz_version,
    run_dot_batch,
)
from erdgen.site.cache import read_entry, write_atomically

LinkFor = Callable[[str], str | None]  # table name -> URL relative to the embedding page


@dataclass(frozen=True, slots=True)
class Diagram:
    key: str  # stable id, also the cache / file stem
    title: str  # the SVG's <title>: its subject (a table, "ER", a migration), no words
    dot: str  # DOT source


# -- legend -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One symbol a diagram uses; the page translates ``legend.<key>`` to explain it."""

    key: str
    symbol: str


KEY_ITEMS = (
    LegendItem("pk", "PK"),
    LegendItem("fk", "FK"),
    LegendItem("uq", "UQ"),
    LegendItem("nn", "NN"),
    # Edge ends, outermost shape first as read from outside the node: two bars, a circle
    # and a bar, a circle and a crow's foot (drawn as the pitchfork U+22D4).
    LegendItem("one", "\u2016"),
    LegendItem("zero_or_one", "\u25cb|"),
    LegendItem("many", "\u25cb\u22d4"),
)
MARK_ITEMS = (
    LegendItem("added", MARK_SYMBOL[Mark.ADDED]),
    LegendItem("changed", MARK_SYMBOL[Mark.CHANGED]),
    LegendItem("dropped", MARK_SYMBOL[Mark.DROPPED]),
)


def legend_items(diagram_kind: Literal["schema", "migration"]) -> tuple[LegendItem, ...]:
    """The symbols a diagram of this kind uses, in the order a legend lists them.

    Stable contract with the page writer, which renders ``legend.<key>`` from its
    catalogs next to ``symbol``. Keys: "pk", "fk", "uq", "nn" (column markers), "one",
    "zero_or_one", "many" (foreign-key edge ends); a "migration" diagram adds "added",
    "changed", "dropped" (the +, ~, \u2212 before a table, column or index name).
    "schema" covers the overview, group and table-neighbourhood diagrams.
    """
    return KEY_ITEMS + (MARK_ITEMS if diagram_kind == "migration" else ())


def no_links(_name: str) -> str | None:
    return None


def slug(name: str) -> str:
    """A file-name-safe, lower-case stem; a short hash keeps distinct names distinct."""
    lowered = name.lower()
    cleaned = re.sub(r"[^a-z0-9_]+", "-", lowered).strip("-")[:60]
    if cleaned == lowered and cleaned:
        return cleaned
    digest = hashlib.sha256(ascii_fold(name).encode()).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else digest


# -- graph helpers ----------------------------------------------------------------------


# The graphs of the last few schemas: every table diagram of a build asks for the same one.
# Each entry keeps its schema alive, so that its id is not reused while cached.
_RECENT_GRAPHS: dict[int, tuple[Schema, dict[str, set[str]]]] = {}


def fk_graph(schema: Schema) -> Mapping[str, set[str]]:
    """Undirected adjacency between existing tables (lower-case names), self-loops dropped."""
    cached = _RECENT_GRAPHS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    graph: dict[str, set[str]] = {schema.names.key(table.name): set() for table in schema.tables}
    for child, parent in fk_pairs(schema):
        graph[child].add(parent)
        graph[parent].add(child)
    if len(_RECENT_GRAPHS) >= 4:
        del _RECENT_GRAPHS[next(iter(_RECENT_GRAPHS))]
    _RECENT_GRAPHS[id(schema)] = (schema, graph)
    return graph


def fk_graph_around(schema: Schema, names: Iterable[str]) -> dict[str, set[str]]:
    """The part of ``fk_graph`` one hop around ``names`` (lower-case), without the rest."""
    graph: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in fk_pairs(schema):
        if child in graph:
            graph[child].add(parent)
        if parent in graph:
            graph[parent].add(child)
    return graph


def fk_pairs(schema: Schema) -> Iterator[tuple[str, str]]:
    """(child, parent) of every foreign key between two different existing tables."""
    for table in schema.tables:
        child = schema.names.key(table.name)
        for key in table.foreign_keys:
            parent = schema.names.key(key.ref_table)
            if parent != child and schema.table(parent) is not None:
                yield child, parent


def within_hops(graph: Mapping[str, set[str]], start: Iterable[str], depth: int) -> list[str]:
    """Tables reachable within ``depth`` hops, by distance then name (start included)."""
    seen = dict.fromkeys(start, 0)
    queue = deque(sorted(seen))
    while queue:
        name = queue.popleft()
        if seen[name] >= depth:
            continue
        for neighbour in sorted(graph.get(name, ())):
            if neighbour not in seen:
                seen[neighbour] = seen[name] + 1
                queue.append(neighbour)
    return sorted(seen, key=lambda name: (seen[name], name))


def stubs_for(
    schema: Schema, tables: Sequence[Table], link: LinkFor, note_for: Callable[[str], str]
) -> tuple[StubNode, ...]:
    """Stubs for parents outside ``tables``: missing tables, and shown-elsewhere ones."""
    inside = {schema.names.key(table.name) for table in tables}
    missing = [StubNode(name, missing=True) for name in missing_parents(schema, tables)]
    elsewhere: dict[str, StubNode] = {}
    for table in tables:
        for key in table.foreign_keys:
            parent = schema.table(key.ref_table)
            if parent is not None and schema.names.key(parent.name) not in inside:
                stub = StubNode(parent.name, href=link(parent.name), note=note_for(parent.name))
                elsewhere[schema.names.key(parent.name)] = stub
    return (*missing, *(elsewhere[name] for name in sorted(elsewhere)))


# -- overview and groups ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """Tables drawn together in one diagram of a large schema."""

    name: str
    key: str  # "group-<slug>"
    tables: tuple[str, ...]  # table names, sorted


def overview_diagrams(
    schema: Schema, config: Config, link: LinkFor, group_link: LinkFor | None = None
) -> tuple[Diagram, ...]:
    """The overview; past ``config.split_threshold`` tables a group overview plus groups.

    ``group_link`` maps a group's diagram key to a URL for the group overview's nodes.
    The first diagram is always keyed "overview".
    """
    if len(schema.tables) <= config.split_threshold:
        return (whole_schema_diagram(schema, link),)
    groups = group_tables(schema, config)
    overview = group_overview_diagram(schema, groups, group_link or no_links)
    return (overview, *(group_diagram(schema, group, groups, link) for group in groups))


def whole_schema_diagram(schema: Schema, link: LinkFor) -> Diagram:
    nodes = tuple(TableNode(table, href=link(table.name)) for table in schema.tables)
    stubs = stubs_for(schema, schema.tables, link, lambda _name: "")
    diagram = ErDiagram("overview", nodes, schema, stubs=stubs)
    return Diagram("overview", "ER", er_dot(diagram))


def group_diagram(schema: Schema, group: Group, groups: Sequence[Group], link: LinkFor) -> Diagram:
    home = {schema.names.key(name): other.name for other in groups for name in other.tables}
    tables = tuple(t for name in group.tables if (t := schema.table(name)) is not None)
    nodes = tuple(TableNode(table, href=link(table.name)) for table in tables)
    stubs = stubs_for(
        schema, tables, link, lambda name: f"\u2192 {home.get(schema.names.key(name), '?')}"
    )
    notes: tuple[str, ...] = ()
    if len(stubs) > len(tables):  # bounded: a group never draws more stubs than tables
        notes = (f"\u2026 +{len(stubs) - len(tables)}",)
        stubs = stubs[: len(tables)]
    diagram = ErDiagram(group.key, nodes, schema, stubs=stubs, notes=notes)
    return Diagram(group.key, f"ER \u00b7 {group.name}", er_dot(diagram))


def group_overview_diagram(schema: Schema, groups: Sequence[Group], link: LinkFor) -> Diagram:
    home = {schema.names.key(name): group.key for group in groups for name in group.tables}
    links: dict[tuple[str, str], int] = defaultdict(int)
    for table in schema.tables:
        for key in table.foreign_keys:
            child, parent = (
                home[schema.names.key(table.name)],
                home.get(schema.names.key(key.ref_table)),
            )
            if parent is not None and parent != child:
                links[child, parent] += 1
    nodes = tuple(GroupNode(g.key, g.name, g.tables, href=link(g.key)) for g in groups)
    return Diagram("overview", "ER", group_overview_dot("overview", nodes, links))


def group_tables(schema: Schema, config: Config) -> tuple[Group, ...]:
    """Split the tables into named groups of at most ``config.split_threshold`` each.

    Explicit ``config.groups`` first; the rest by name prefix when that gives sensible
    groups, else by connected components. Every table lands in exactly one group.
    """
    limit = max(1, config.split_threshold)
    names = sorted((table.name for table in schema.tables), key=str.lower)
    explicit, rest = explicit_groups(names, config.groups, schema.names)
    automatic = prefix_groups(rest) or component_groups(schema, rest, limit)
    chunks = [
        chunk for name, tables in (*explicit, *automatic) for chunk in chunked(name, tables, limit)
    ]
    return with_unique_keys(chunks)


def explicit_groups(
    names: Sequence[str], specs: Sequence[GroupSpec], rule: IdentifierRule
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    groups: dict[str, list[str]] = {spec.name: [] for spec in specs}
    rest = []
    for name in names:
        spec = next((s for s in specs if matches_group(name, s, rule)), None)
        if spec is None:
            rest.append(name)
        else:
            groups[spec.name].append(name)
    return [(name, tables) for name, tables in groups.items() if tables], rest


def matches_group(table: str, spec: GroupSpec, rule: IdentifierRule) -> bool:
    lowered = rule.key(table)
    return any(lowered == rule.key(t) for t in spec.tables) or any(
        lowered.startswith(rule.key(p)) for p in spec.prefixes
    )


def prefix_groups(names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Groups by the text before the first "_", or [] when that is not sensible.

    Sensible: at least two prefixes shared by several tables, covering at least half of
    the tables; the tables with a prefix of their own go to "*" (a name in no language).
    """
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_prefix[name.split("_", 1)[0].lower() if "_" in name else ""].append(name)
    shared = {p: t for p, t in by_prefix.items() if p and len(t) >= 2}
    covered = sum(len(t) for t in shared.values())
    if len(shared) < 2 or covered * 2 < len(names):
        return []
    other = sorted((n for p, t in by_prefix.items() if p not in shared for n in t), key=str.lower)
    groups = [(prefix, shared[prefix]) for prefix in sorted(shared)]
    return groups + ([("*", other)] if other else [])


def component_groups(
    schema: Schema, names: Sequence[str], limit: int
) -> list[tuple[str, list[str]]]:
    """Connected components (by foreign keys), small ones packed together up to ``limit``."""
    graph = fk_graph(schema)
    wanted = {schema.names.key(name): name for name in names}
    seen: set[str] = set()
    components: list[list[str]] = []
    for lowered in sorted(wanted):
        if lowered in seen:
            continue
        component = [n for n in within_hops(graph, [lowered], len(graph)) if n in wanted]
        seen.update(component)
        components.append([wanted[n] for n in component])
    components.sort(key=lambda c: (-len(c), schema.names.key(c[0])))
    bins: list[list[str]] = []
    for component in components:
        target = next((b for b in bins if len(b) + len(component) <= limit), None)
        if target is None or len(component) > limit:
            bins.append(list(component))
        else:
            target.extend(component)
    return [(f"{b[0]} \u2026" if len(b) > 1 else b[0], b) for b in bins]


def chunked(name: str, tables: Sequence[str], limit: int) -> list[tuple[str, list[str]]]:
    """Split an oversized group into nearly equal parts of at most ``limit`` tables."""
    if len(tables) <= limit:
        return [(name, list(tables))]
    count = -(-len(tables) // limit)
    size = -(-len(tables) // count)
    parts = [list(tables[i : i + size]) for i in range(0, len(tables), size)]
    return [(f"{name} ({n}/{len(parts)})", part) for n, part in enumerate(parts, start=1)]


def with_unique_keys(chunks: Sequence[tuple[str, list[str]]]) -> tuple[Group, ...]:
    used: set[str] = set()
    groups = []
    for name, tables in chunks:
        stem = re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-") or "tables"
        key, n = f"group-{stem}", 1
        while key in used:
            n += 1
            key = f"group-{stem}-{n}"
        used.add(key)
        groups.append(Group(name, key, tuple(sorted(tables, key=str.lower))))
    return tuple(groups)


# -- one table and its neighbours -------------------------------------------------------


def table_diagram(schema: Schema, table: str, config: Config, link: LinkFor) -> Diagram:
    """The table with every table within ``config.neighbour_depth`` foreign-key hops."""
    focus = schema.table(table)
    if focus is None:
        raise ErdgenError(f"no table named {table!r} in the schema")
    names = neighbourhood(schema, focus.name, config)
    shown = tuple(t for name in names if (t := schema.table(name)) is not None)
    nodes = tuple(
        TableNode(t, href=link(t.name), focus=t is focus, compact=t is not focus) for t in shown
    )
    hidden = len(
        within_hops(fk_graph(schema), [schema.names.key(focus.name)], config.neighbour_depth)
    )
    notes = (f"\u2026 +{hidden - len(shown)}",) if hidden > len(shown) else ()
    stubs = tuple(StubNode(n, missing=True) for n in missing_parents(schema, shown))
    diagram = ErDiagram(f"table-{slug(focus.name)}", nodes, schema, stubs=stubs, notes=notes)
    return Diagram(f"table-{slug(focus.name)}", focus.name, er_dot(diagram))


def neighbourhood(schema: Schema, table: str, config: Config) -> list[str]:
    """Names (lower-case) of the table and its neighbours, nearest first, at most the threshold."""
    reachable = within_hops(fk_graph(schema), [schema.names.key(table)], config.neighbour_depth)
    return reachable[: max(1, config.split_threshold)]


# -- one migration ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableDelta:
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
    """The schema after the migration; what it added, changed and dropped is marked."""
    step, before = step_and_schema_before(history, migration_id)
    deltas = migration_deltas(step, before)
    dropped = tuple(d.before for d in deltas.values() if d.after is None and d.before is not None)
    schema = replace(step.schema, tables=(*step.schema.tables, *dropped))
    names = migration_tables(schema, deltas, config)
    nodes = tuple(migration_node(schema, name, deltas, link) for name in names)
    shown_tables = [node.table for node in nodes]
    stubs = tuple(StubNode(n, missing=True) for n in missing_parents(schema, shown_tables))
    notes = migration_notes(step, deltas, len(names), config)
    key = f"migration-{slug(step.migration.shown)}"
    diagram = ErDiagram(key, nodes, schema, stubs=stubs, notes=notes)
    title = f"{step.migration.shown} {step.migration.name}".rstrip()
    return Diagram(key, title, er_dot(diagram))


def step_and_schema_before(history: History, migration_id: str) -> tuple[Step, Schema]:
    wanted = history.step(migration_id)
    for position, step in enumerate(history.steps):
        if step is wanted:
            before = history.steps[position - 1].schema if position else Schema()
            return step, before
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
    renamed_columns = {
        step.schema.names.key(change.object): change.old_name
        for change in step.changes
        if change.action is Action.RENAME_COLUMN and change.old_name
    }
    deltas = {}
    for name, old_name in changed_table_names(step, before, step.schema).items():
        old = before.table(old_name or name)
        new = step.schema.table(name)
        if old is None and new is None:
            continue
        deltas[name] = table_delta(old, new, renamed_columns, renamed=old_name is not None)
    return deltas


def comparable_column(column: Column) -> Column:
    return replace(column, description="")


def table_delta(
    old: Table | None, new: Table | None, renamed_columns: Mapping[str, str | None], renamed: bool
) -> TableDelta:
    if old is None or new is None:
        mark = Mark.ADDED if old is None else Mark.DROPPED
        shown = new or old
        assert shown is not None
        return TableDelta(shown.name, old, new, mark, {}, (), ())
    marks: dict[str, Mark] = {}
    for column in new.columns:
        was_called = renamed_columns.get(new.names.key(f"{new.name}.{column.name}")) or column.name
        previous = old.column(was_called)
        if previous is None:
            marks[new.names.key(column.name)] = Mark.ADDED
        elif comparable_column(previous) != comparable_column(column) or was_called != column.name:
            marks[new.names.key(column.name)] = Mark.CHANGED
    renamed_from = {new.names.key(v or "") for v in renamed_columns.values()}
    dropped = tuple(
        c
        for c in old.columns
        if new.column(c.name) is None and new.names.key(c.name) not in renamed_from
    )
    indexes = index_notes(old, new)
    changed = (
        renamed
        or bool(marks or dropped or indexes)
        or (old.foreign_keys, old.checks, old.without_rowid, old.strict)
        != (new.foreign_keys, new.checks, new.without_rowid, new.strict)
    )
    mark = Mark.CHANGED if changed else Mark.NONE
    return TableDelta(new.name, old, new, mark, marks, dropped, indexes)


def index_shape(index: Index) -> tuple[object, ...]:
    return (index.columns, index.unique, index.where)


def index_notes(old: Table, new: Table) -> tuple[IndexNote, ...]:
    """Named indexes the migration added, changed or dropped (constraint indexes are
    shown through the PK / UQ markers instead)."""
    notes = []
    for index in new.indexes:
        previous = old.index(index.name)
        if index.origin != "c":
            continue
        if previous is None:
            notes.append(IndexNote(index.name, index.column_names, index.unique, Mark.ADDED))
        elif index_shape(previous) != index_shape(index):
            notes.append(IndexNote(index.name, index.column_names, index.unique, Mark.CHANGED))
    for index in old.indexes:
        if index.origin == "c" and new.index(index.name) is None:
            notes.append(IndexNote(index.name, index.column_names, index.unique, Mark.DROPPED))
    return tuple(notes)


def migration_tables(schema: Schema, deltas: Mapping[str, TableDelta], config: Config) -> list[str]:
    """Every table when the schema is small, else the touched ones and their neighbours."""
    limit = max(1, config.split_threshold)
    touched = sorted(deltas)
    if len(schema.tables) <= limit:
        return [schema.names.key(table.name) for table in schema.tables]
    around = within_hops(fk_graph_around(schema, touched), touched, 1)
    return around[:limit]


def migration_node(
    schema: Schema, name: str, deltas: Mapping[str, TableDelta], link: LinkFor
) -> TableNode:
    delta = deltas.get(name)
    table = schema.table(name)
    if delta is None:
        assert table is not None
        return TableNode(table, href=link(table.name), muted=True)
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


def migration_notes(
    step: Step, deltas: Mapping[str, TableDelta], shown: int, config: Config
) -> tuple[str, ...]:
    """SQL verbs and names only, e.g. "INSERT ai_jobs", "+ VIEW v", "\u2026 +3 ~"."""
    notes = []
    for change in step.changes:
        if change.action is Action.DATA:
            verb = (change.verb or "SQL").upper()
            notes.append(f"{verb} {change.table or change.object}".rstrip())
        elif change.action in (Action.CREATE_VIEW, Action.CREATE_TRIGGER):
            notes.append(f"+ {change.action.value.split('_')[1].upper()} {change.object}")
        elif change.action in (Action.DROP_VIEW, Action.DROP_TRIGGER):
            notes.append(f"\u2212 {change.action.value.split('_')[1].upper()} {change.object}")
    if len(deltas) > shown:
        notes.append(f"\u2026 +{len(deltas) - shown} {MARK_SYMBOL[Mark.CHANGED]}")
    return tuple(dict.fromkeys(notes))


# -- rendering --------------------------------------------------------------------------


Progress = Callable[[int, int], None]  # (diagrams done, diagrams in all)


# Diagrams share one ``dot`` process (``run_dot_batch``) up to this much DOT text. A
# migration diagram's DOT is about 30 kB and takes ~5 ms to lay out, a third of ``dot``'s
# start-up: sharing pays up to a few hundred kB.
BATCH_DOT_CHARS = 400_000
# Batches per thread at least, so that the threads finish at about the same time.
BATCHES_PER_JOB = 4


def render_svgs(
    diagrams: Sequence[Diagram],
    config: Config,
    cache_dir: Path | None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Key -> embeddable SVG, laid out on ``config.jobs`` threads (each runs a ``dot``).

    With a cache, an unchanged diagram costs one file read: the cache holds the
    processed SVG, so neither Graphviz nor the post-processing runs again. The others
    are laid out in batches. ``progress`` hears how many diagrams are done after the cache
    was read and after every batch (the long part of a large build).
    """
    svgs = [processed_from_cache(diagram, cache_dir) for diagram in diagrams]
    missing = [n for n, svg in enumerate(svgs) if svg is None]
    done = len(diagrams) - len(missing)
    if progress is not None and done:
        progress(done, len(diagrams))
    with ThreadPoolExecutor(max_workers=max(1, config.jobs)) as pool:
        futures = {
            pool.submit(
                render_batch, [diagrams[n] for n in batch], config.layout_timeout, cache_dir
            ): batch
            for batch in layout_batches(diagrams, missing, config.jobs)
        }
        for future in as_completed(futures):
            for n, svg in zip(futures[future], future.result(), strict=True):
                svgs[n] = svg
            done += len(futures[future])
            if progress is not None:
                progress(done, len(diagrams))
    return {diagram.key: svg or "" for diagram, svg in zip(diagrams, svgs, strict=True)}


def layout_batches(
    diagrams: Sequence[Diagram], wanted: Sequence[int], jobs: int
) -> list[list[int]]:
    """``wanted`` (indexes into ``diagrams``) in runs of consecutive small diagrams.

    Batches stay small enough that every thread gets several, so none waits idle at
    the end while another still works through a long batch.
    """
    total = sum(len(diagrams[n].dot) for n in wanted)
    limit = max(1, min(BATCH_DOT_CHARS, total // (max(1, jobs) * BATCHES_PER_JOB)))
    batches: list[list[int]] = []
    size = limit
    for n in wanted:
        length = len(diagrams[n].dot)
        if size + length > limit:
            batches.append([])
            size = 0
        batches[-1].append(n)
        size += length
    return batches


def render_batch(batch: Sequence[Diagram], timeout: float, cache_dir: Path | None) -> list[str]:
    """Embeddable SVGs of diagrams missing from the processed cache, written to it."""
    svgs = []
    for diagram, raw in zip(batch, laid_out(batch, timeout, cache_dir), strict=True):
        svg = embeddable_svg(raw, diagram.key, diagram.title)
        if cache_dir is not None:
            path = cache_dir / f"{embeddable_cache_key(diagram)}.svg.html"
            write_atomically(path, svg.encode())
        svgs.append(svg)
    return svgs


def laid_out(batch: Sequence[Diagram], timeout: float, cache_dir: Path | None) -> list[bytes]:
    """Graphviz's SVG of each diagram: from the cache, or from one ``dot`` for the rest."""
    cached = [raw_from_cache(diagram, cache_dir) for diagram in batch]
    missing = [diagram for diagram, svg in zip(batch, cached, strict=True) if svg is None]
    fresh = iter(
        run_dot_batch([d.dot for d in missing], timeout, [d.key for d in missing])
        if missing
        else []
    )
    svgs = []
    for diagram, svg in zip(batch, cached, strict=True):
        if svg is None:
            svg = next(fresh)
            if cache_dir is not None:
                write_atomically(cache_dir / f"{cache_key(diagram.dot)}.svg", svg)
        svgs.append(svg)
    return svgs


def cache_key(dot: str) -> str:
    """Key of Graphviz's raw output for a DOT text."""
    material = "\0".join((dot, graphviz_version(), __version__))
    return hashlib.sha256(material.encode()).hexdigest()


def embeddable_cache_key(diagram: Diagram) -> str:
    """Key of the processed SVG: it also depends on the diagram's key (id prefixes), its
    title and the post-processing code."""
    parts = (diagram.dot, diagram.key, diagram.title)
    material = "\0".join((*parts, graphviz_version(), __version__, PROCESSING_VERSION))
    return hashlib.sha256(material.encode()).hexdigest()


def processed_from_cache(diagram: Diagram, cache_dir: Path | None) -> str | None:
    """The embeddable SVG of a diagram processed before, if the cache has it."""
    if cache_dir is None:
        return None
    path = cache_dir / f"{embeddable_cache_key(diagram)}.svg.html"
    data = read_entry(path)
    return None if data is None else data.decode("utf-8")


def raw_from_cache(diagram: Diagram, cache_dir: Path | None) -> bytes | None:
    """Graphviz's SVG of the same DOT laid out before (a diagram that only changed its key
    or title is not laid out again)."""
    if cache_dir is None:
        return None
    path = cache_dir / f"{cache_key(diagram.dot)}.svg"
    return read_entry(path)


# -- one diagram on request (erdgen diagram) -----------------------------------------------


def diagram_output(
    history: History,
    config: Config,
    output_format: str,
    *,
    table: str | None = None,
    at: str | None = None,
    migration: str | None = None,
) -> bytes:
    """One diagram as bytes in a registered diagram format (``erdgen.formats``): the
    overview, a table's neighbourhood or a migration's changes, of the schema after ``at``
    (default: the last migration). ConfigError for an unknown format."""
    from erdgen.formats import DiagramRequest, get_format  # the formats import this module

    writer = get_format(output_format, "diagram").write
    if at is not None:
        history = history_until(history, at)
    schema = history.schema
    tables: list[str] | None = None
    if migration is not None:
        diagram = migration_diagram(history, migration, config, no_links)
        step, before = step_and_schema_before(history, migration)
        schema = step.schema
        tables = migration_tables(step.schema, migration_deltas(step, before), config)
    elif table is not None:
        diagram = table_diagram(schema, table, config, no_links)
        tables = neighbourhood(schema, table, config)
    else:
        diagram = overview_diagrams(schema, config, no_links)[0]
    shown = None if tables is None else tuple(tables)
    return writer(DiagramRequest(diagram, schema, shown, config))
