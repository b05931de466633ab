"""The overview diagram; past ``split_threshold`` tables a map of groups plus one diagram
per group, and how the tables are grouped."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from msgspec import Struct

from erdgen.config import Config, GroupSpec
from erdgen.model import IdentifierRule, Schema
from erdgen.namespaces import namespace_of, namespaces_in_use
from erdgen.render.dot import ErDiagram, GroupNode, TableNode, er_dot, group_overview_dot
from erdgen.render.fk_graph import Diagram, LinkFor, fk_graph, no_links, stubs_for, within_hops


class Group(Struct, frozen=True):
    """Tables drawn together in one diagram of a large schema."""

    name: str
    key: str  # "group-<slug>"
    tables: tuple[str, ...]  # table names, sorted


def overview_diagrams(
    schema: Schema, config: Config, link: LinkFor, group_link: LinkFor | None = None
) -> tuple[Diagram, ...]:
    """The overview; past ``config.split_threshold`` tables, or when the tables are in more
    than one PostgreSQL schema, a group overview plus groups.

    ``group_link`` maps a group's diagram key to a URL for the group overview's nodes.
    The first diagram is always keyed "overview".
    """
    by_schema = len(namespaces_in_use(schema)) > 1
    if len(schema.tables) <= config.split_threshold and not by_schema:
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

    Explicit ``config.groups`` first; the rest by PostgreSQL schema when the tables are in
    more than one, else by name prefix when that gives sensible groups, else by connected
    components. Every table lands in exactly one group.
    """
    limit = max(1, config.split_threshold)
    names = sorted((table.name for table in schema.tables), key=str.lower)
    explicit, rest = explicit_groups(names, config.groups, schema.names)
    automatic = (
        schema_groups(schema, rest)
        or prefix_groups(rest, schema)
        or component_groups(schema, rest, limit)
    )
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


def schema_groups(schema: Schema, names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """One group per PostgreSQL schema (``public`` first), or [] when all are in one."""
    in_use = namespaces_in_use(schema)
    if len(in_use) <= 1:
        return []
    groups = [(space, [n for n in names if namespace_of(schema, n) == space]) for space in in_use]
    return [(space, tables) for space, tables in groups if tables]


def prefix_groups(names: Sequence[str], schema: Schema) -> list[tuple[str, list[str]]]:
    """Groups by the word before the first "_", or [] when that is not sensible.

    A singular and a plural belong together (``user_groups`` and ``users``: "user"). A table
    whose word no other table shares joins the group it has the most foreign keys with
    (a join table stays with the tables it joins); what is left goes to "*" (a name in no
    language). Sensible: at least two shared words covering at least half of the tables.
    """
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_prefix[_singular(name.split("_", 1)[0].lower())].append(name)
    shared = {p: t for p, t in by_prefix.items() if p and len(t) >= 2}
    covered = sum(len(t) for t in shared.values())
    if len(shared) < 2 or covered * 2 < len(names):
        return []
    home = {schema.names.key(n): p for p, tables in shared.items() for n in tables}
    other: list[str] = []
    for name in sorted(
        (n for p, t in by_prefix.items() if p not in shared for n in t), key=str.lower
    ):
        group = _closest_group(schema, name, home)
        if group is None:
            other.append(name)
        else:
            shared[group].append(name)
    groups = [
        (_label(prefix, shared[prefix]), sorted(shared[prefix], key=str.lower))
        for prefix in sorted(shared)
    ]
    return groups + ([("*", other)] if other else [])


def _label(prefix: str, tables: Sequence[str]) -> str:
    """The whole words the group's own tables begin with: ``two_factor`` for
    ``two_factor`` and ``two_factor_recovery`` (not "two"); ``prefix`` (the singular first
    word) when they differ already there (``users``, ``user_groups``)."""
    words = [
        name.lower().split("_")
        for name in tables
        if _singular(name.split("_", 1)[0].lower()) == prefix
    ]
    common: list[str] = []
    for parts in zip(*words, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    return "_".join(common) if common else prefix


def _singular(word: str) -> str:
    """English plural endings off a table name's first word: users -> user, entries -> entry."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _closest_group(schema: Schema, name: str, home: dict[str, str]) -> str | None:
    """The group a table has the most foreign keys with, either way (ties: by name)."""
    key = schema.names.key(name)
    counts: dict[str, int] = defaultdict(int)
    table = schema.table(name)
    for foreign in table.foreign_keys if table else ():
        if (group := home.get(schema.names.key(foreign.ref_table))) is not None:
            counts[group] += 1
    for child, _ in schema.referencing(name):
        if (group := home.get(schema.names.key(child.name))) is not None and child.name != key:
            counts[group] += 1
    return min(counts, key=lambda g: (-counts[g], g)) if counts else None


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
