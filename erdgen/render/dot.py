"""Schema model -> Graphviz DOT text. Pure: no subprocess, no file access.

Escaping and colours are in ``dot_text``, node labels in ``dot_labels``, the map of
groups in ``dot_groups``; what keys imply (cardinality, markers) in ``erdgen.keys``.

Diagrams are embedded in pages of every language, so they hold no natural-language
words: names and types from SQL, SQL keywords, and symbols (PK, +, ~, \u2212, \u2026 +3,
N:0..1). The page below a diagram explains the symbols in its own language (see
``erdgen.render.diagrams.legend_items``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from msgspec import Struct, field

from erdgen.keys import (
    Cardinality,
    cardinality,
    column_markers,
    referenced_columns,
    table_markers,
    unique_column_sets,
)
from erdgen.model import ForeignKey, Schema, Table
from erdgen.render.dot_groups import GroupNode, group_overview_dot
from erdgen.render.dot_labels import (
    IndexNote,
    StubNode,
    TableNode,
    note_statement,
    shown_columns,
    stub_statement,
    table_node_statement,
)
from erdgen.render.dot_text import (
    FONT,
    MARK_SYMBOL,
    MARK_TEXT,
    Mark,
    Palette,
    dot_string,
    graph_header,
    html_text,
    node_id,
)

__all__ = [  # the names other modules import from here
    "FONT", "MARK_SYMBOL", "Cardinality", "ErDiagram", "GroupNode", "IndexNote", "Mark",
    "Palette", "StubNode", "TableNode", "cardinality", "column_markers", "dot_string",
    "er_dot", "group_overview_dot", "html_text", "missing_parents", "node_id",
    "referenced_columns", "table_markers", "unique_column_sets",
]  # fmt: skip

NOTATION = {
    Cardinality.MANY_TO_ONE: "N:1",
    Cardinality.MANY_TO_ZERO_OR_ONE: "N:0..1",
    Cardinality.ONE_TO_ONE: "1:1",
    Cardinality.ONE_TO_ZERO_OR_ONE: "1:0..1",
}


# Graphviz arrow shapes: the first shape sits at the node, the next one further out.
EXACTLY_ONE = "teetee"
ZERO_OR_ONE = "teeodot"
ZERO_OR_MANY = "crowodot"


class Ends(Struct, frozen=True):
    """Arrow shapes of a foreign-key edge drawn child -> parent with ``dir=both``."""

    child: str  # arrowtail
    parent: str  # arrowhead


CARDINALITY_ENDS = {
    Cardinality.MANY_TO_ONE: Ends(child=ZERO_OR_MANY, parent=EXACTLY_ONE),
    Cardinality.MANY_TO_ZERO_OR_ONE: Ends(child=ZERO_OR_MANY, parent=ZERO_OR_ONE),
    Cardinality.ONE_TO_ONE: Ends(child=ZERO_OR_ONE, parent=EXACTLY_ONE),
    Cardinality.ONE_TO_ZERO_OR_ONE: Ends(child=ZERO_OR_ONE, parent=ZERO_OR_ONE),
}


class ErDiagram(Struct, frozen=True):
    """Everything ``er_dot`` draws: table nodes, stubs and the edges between them."""

    name: str
    tables: tuple[TableNode, ...]
    schema: Schema  # resolves foreign keys to parent tables and columns
    stubs: tuple[StubNode, ...] = ()
    notes: tuple[str, ...] = ()  # shown in a note box, e.g. "INSERT users", "\u2026 +12"
    # Lower-case name -> hops from what the diagram is about (a table page's table, a
    # migration's changed tables). An edge is laid out from the nearer table to the farther
    # one, so the subject comes first (left) and its context follows; without it (or at
    # equal distance), from child to parent, as in the overview.
    # Foreign keys between two tables at the same distance > 0 (the subject's context,
    # not what the diagram is about) are left out: they pulled homarr's `board` into a
    # third column of `user`'s diagram and tangled the column of neighbours.
    distance: Mapping[str, int] = field(default_factory=dict)


def er_dot(diagram: ErDiagram) -> str:
    """The DOT text of an ER diagram. Same input, same bytes."""
    edges = diagram_edges(diagram)
    ids = [node_id(n.table.name) for n in diagram.tables]
    ids += [node_id(stub.name, "m" if stub.missing else "x") for stub in diagram.stubs]
    grid = not edges and len(ids) > 1
    lines = graph_header(diagram.name, rankdir="TB" if grid else "LR")
    lines.extend(packing(ids, edges, sorted_ids(diagram) if grid else None))
    if any(node.collapsed for node in diagram.tables):
        # a name-only box is one line: the usual 0.4 in between them made homarr's 14
        # neighbours of `user` twice its height, and `user` sank to the middle
        lines.append('  graph [nodesep="0.15"];')
    for node in diagram.tables:
        lines.append(table_node_statement(node))
    for stub in diagram.stubs:
        lines.append(stub_statement(stub))
    lines.extend(edge_statement(edge) for edge in edges)
    if diagram.notes:
        lines.append(note_statement(diagram.notes))
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- unconnected tables -----------------------------------------------------------------


def packing(ids: Sequence[str], edges: Sequence[Edge], grid: Sequence[str] | None) -> list[str]:
    """How ``dot`` places parts of a diagram that no foreign key connects.

    Unpacked, ``dot`` stacks them all in its first rank: umami's 17 tables without foreign
    keys were one column of 297 x 3978 pt. Tables without any key between them (``grid``:
    their ids in reading order) go into a grid, row by row, laid out top-down: with
    ``rankdir=LR`` Graphviz packs before it rotates, and the rows became columns filled
    from the bottom (17 tables: 1369 x 1233 pt). Several connected parts are packed
    around each other ("graph": homarr's 1751 x 2862 pt became 2176 x 2220).
    """
    if grid is not None:
        order = [f"  {node} [sortv={n}];" for n, node in enumerate(grid)]
        return ['  graph [pack="true" packmode="array_tu"];', *order]
    if len(components(ids, edges)) > 1:
        return ['  graph [pack="true" packmode="graph"];']
    return []


def sorted_ids(diagram: ErDiagram) -> list[str]:
    """Node ids by name (as the page's list of tables), stubs after the tables."""
    key = diagram.schema.names.key
    tables = sorted(diagram.tables, key=lambda node: (key(node.table.name), node.table.name))
    stubs = sorted(diagram.stubs, key=lambda stub: (key(stub.name), stub.name))
    return [node_id(n.table.name) for n in tables] + [
        node_id(stub.name, "m" if stub.missing else "x") for stub in stubs
    ]


def components(ids: Sequence[str], edges: Sequence[Edge]) -> set[str]:
    """One representative id per part of the diagram that edges connect."""
    parent = {node: node for node in ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for edge in edges:
        child = node_id(edge.child.table.name)
        if child in parent and edge.parent_id in parent:
            parent[root(child)] = root(edge.parent_id)
    return {root(node) for node in ids}


# -- edges ------------------------------------------------------------------------------


class Edge(Struct, frozen=True):
    """A foreign key drawn from the child's column to the parent's column."""

    child: TableNode
    key: ForeignKey
    parent_id: str
    parent_port: str | None
    parent_columns: tuple[str, ...]  # as written, else the parent's primary key
    cardinality: Cardinality
    mark: Mark
    outward: bool = False  # laid out parent -> child: the parent is nearer the subject


def diagram_edges(diagram: ErDiagram) -> list[Edge]:
    """Every foreign key of a shown table whose parent is shown (as table or stub)."""
    shown = {diagram.schema.names.key(node.table.name): node for node in diagram.tables}
    stubs = {diagram.schema.names.key(stub.name): stub for stub in diagram.stubs}
    edges = []
    for child in diagram.tables:
        for key in child.table.foreign_keys:
            edge = resolve_edge(diagram, child, key, shown, stubs)
            if edge is not None:
                edges.append(edge)
    return edges


def resolve_edge(
    diagram: ErDiagram,
    child: TableNode,
    key: ForeignKey,
    shown: Mapping[str, TableNode],
    stubs: Mapping[str, StubNode],
) -> Edge | None:
    schema = diagram.schema
    target = schema.names.key(key.ref_table)
    mark = edge_mark(child, key)
    kind = cardinality(child.table, key)
    columns = referenced_columns(schema, key)
    if target in shown:
        parent = shown[target]
        port = column_port(parent, columns)
        far = len(shown)  # farther than any table of the diagram
        nearer = diagram.distance.get(target, far)
        farther = diagram.distance.get(schema.names.key(child.table.name), far)
        if 0 < nearer == farther < far:
            return None
        outward = nearer < farther
        return Edge(child, key, node_id(parent.table.name), port, columns, kind, mark, outward)
    if target in stubs:
        stub = stubs[target]
        prefix = "m" if stub.missing else "x"
        return Edge(child, key, node_id(stub.name, prefix), None, columns, kind, mark)
    return None


def edge_mark(child: TableNode, key: ForeignKey) -> Mark:
    if child.mark in (Mark.ADDED, Mark.DROPPED):
        return child.mark
    marks = [child.column_marks.get(child.table.names.key(name), Mark.NONE) for name in key.columns]
    return Mark.ADDED if Mark.ADDED in marks else Mark.NONE


def column_port(node: TableNode, columns: Sequence[str]) -> str | None:
    """Port number of the first referenced column, if the node shows it."""
    if not columns:
        return None
    for port, column, _mark in shown_columns(node):
        if node.table.names.same(column.name, columns[0]):
            return str(port)
    return None


def edge_statement(edge: Edge) -> str:
    child_port = column_port(edge.child, edge.key.columns)
    ends = CARDINALITY_ENDS[edge.cardinality]
    child, parent = node_id(edge.child.table.name), edge.parent_id
    if edge.outward:  # the same edge, laid out from the parent's right to the child's left
        tail = parent + (f':"c{edge.parent_port}e"' if edge.parent_port else "")
        head = child + (f':"c{child_port}w"' if child_port else "")
        arrows = f"arrowtail={ends.parent} arrowhead={ends.child}"
    else:
        tail = child + (f':"c{child_port}e"' if child_port else "")
        head = parent + (f':"c{edge.parent_port}w"' if edge.parent_port else "")
        arrows = f"arrowtail={ends.child} arrowhead={ends.parent}"
    attributes = [
        f"dir=both {arrows}",
        f"tooltip={dot_string(edge_tooltip(edge))}",
        f'class="erd-fk erd-{edge.cardinality}"',
    ]
    if edge.mark is not Mark.NONE:
        attributes.append(f'color="{MARK_TEXT[edge.mark]}" penwidth="1.6"')
    if edge.mark is Mark.DROPPED:
        attributes.append('style="dashed"')
    return f"  {tail} -> {head} [{' '.join(attributes)}];"


def edge_tooltip(edge: Edge) -> str:
    """E.g. "ai_jobs(user_id) \u2192 users(id) \u00b7 N:0..1 \u00b7 ON DELETE CASCADE"."""
    key = edge.key
    columns = f"({', '.join(edge.parent_columns)})" if edge.parent_columns else ""
    parts = [
        f"{edge.child.table.name}({', '.join(key.columns)}) \u2192 {key.ref_table}{columns}",
        NOTATION[edge.cardinality],
    ]
    if key.on_delete != "NO ACTION":
        parts.append(f"ON DELETE {key.on_delete}")
    if key.on_update != "NO ACTION":
        parts.append(f"ON UPDATE {key.on_update}")
    return " \u00b7 ".join(parts)


# -- small helpers used by diagrams.py --------------------------------------------------


def missing_parents(schema: Schema, tables: Iterable[Table]) -> tuple[str, ...]:
    """Names of tables referenced by ``tables`` that the schema does not have (sorted)."""
    missing = {
        schema.names.key(key.ref_table): key.ref_table
        for table in tables
        for key in table.foreign_keys
        if schema.table(key.ref_table) is None
    }
    return tuple(missing[name] for name in sorted(missing))
