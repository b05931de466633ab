"""What every diagram is made of: the ``Diagram`` record, links from its nodes, and the
foreign-key graph between tables (neighbourhoods, stubs for tables drawn elsewhere)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from msgspec import Struct

from erdgen.model import Schema, Table
from erdgen.render.dot import StubNode, missing_parents

LinkFor = Callable[[str], str | None]  # table name -> URL relative to the embedding page


class Diagram(Struct, frozen=True):
    """One diagram: its DOT source, a stable ``key`` and the ``title`` its SVG carries."""

    key: str  # stable id, also the cache / file stem
    title: str  # the SVG's <title>: its subject (a table, "ER", a migration), no words
    dot: str  # DOT source


def no_links(_name: str) -> str | None:
    return None


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
    seen = hops(graph, start, depth)
    return sorted(seen, key=lambda name: (seen[name], name))


def hops(graph: Mapping[str, set[str]], start: Iterable[str], depth: int) -> dict[str, int]:
    """Each table reachable within ``depth`` hops -> its distance from ``start``."""
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
    return seen


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
