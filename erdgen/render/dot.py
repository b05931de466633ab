"""Schema model -> Graphviz DOT text. Pure: no subprocess, no file access.

Every name, type and comment from SQL is data: it reaches DOT only through
``dot_string`` (quoted attribute values) or ``html_text`` (HTML-like labels), and node
ids are derived from names by ``node_id``. Colours are a fixed palette that the CSS in
``erdgen/render/assets/erdgen.css`` re-maps for Material's dark theme, so every colour used
here must come from ``Palette``.

Diagrams are embedded in pages of every language, so they hold no natural-language
words: names and types from SQL, SQL keywords, and symbols (PK, +, ~, \u2212, \u2026 +3,
N:0..1). The page below a diagram explains the symbols in its own language (see
``erdgen.render.diagrams.legend_items``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote

from erdgen.keys import (
    Cardinality,
    cardinality,
    referenced_columns,
    table_markers,
)
from erdgen.model import Column, ForeignKey, Schema, Table, ascii_fold

FONT = "Helvetica,Arial,sans-serif"


class Palette(StrEnum):
    """Every colour the diagrams use (light theme values; the CSS maps them for dark)."""

    TEXT = "#1f2328"
    MUTED = "#656d76"  # types, unchanged tables in a migration diagram
    BORDER = "#8c959f"
    HEADER = "#dde6f3"
    MUTED_HEADER = "#eef1f5"  # header of an unchanged table in a migration diagram
    FOCUS = "#b6cdf0"  # header of the table a neighbourhood diagram is about
    EDGE = "#57606a"
    ADDED_FILL = "#d3f5dc"
    ADDED_TEXT = "#116329"
    CHANGED_FILL = "#fcefc7"
    CHANGED_TEXT = "#7d4e00"
    DROPPED_FILL = "#ffe0e0"
    DROPPED_TEXT = "#a40e26"


class Mark(StrEnum):
    """What a migration did to a table, column or index."""

    NONE = ""
    ADDED = "add"  # the values are CSS class suffixes (erd-add, ...): no English words
    CHANGED = "change"
    DROPPED = "drop"


# Text markers so that a diagram reads without colour.
MARK_SYMBOL = {Mark.NONE: "", Mark.ADDED: "+", Mark.CHANGED: "~", Mark.DROPPED: "\u2212"}
MARK_FILL = {
    Mark.ADDED: Palette.ADDED_FILL,
    Mark.CHANGED: Palette.CHANGED_FILL,
    Mark.DROPPED: Palette.DROPPED_FILL,
}
MARK_TEXT = {
    Mark.ADDED: Palette.ADDED_TEXT,
    Mark.CHANGED: Palette.CHANGED_TEXT,
    Mark.DROPPED: Palette.DROPPED_TEXT,
}


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


@dataclass(frozen=True, slots=True)
class Ends:
    """Arrow shapes of a foreign-key edge drawn child -> parent with ``dir=both``."""

    child: str  # arrowtail
    parent: str  # arrowhead


CARDINALITY_ENDS = {
    Cardinality.MANY_TO_ONE: Ends(child=ZERO_OR_MANY, parent=EXACTLY_ONE),
    Cardinality.MANY_TO_ZERO_OR_ONE: Ends(child=ZERO_OR_MANY, parent=ZERO_OR_ONE),
    Cardinality.ONE_TO_ONE: Ends(child=ZERO_OR_ONE, parent=EXACTLY_ONE),
    Cardinality.ONE_TO_ZERO_OR_ONE: Ends(child=ZERO_OR_ONE, parent=ZERO_OR_ONE),
}


# -- escaping ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _printable(text: str) -> str:
    """Control characters are not allowed in SVG (XML); show a replacement character."""
    return _CONTROL.sub("\ufffd", text)


def dot_string(text: str) -> str:
    """A double-quoted DOT string for an escString attribute (tooltip, label, comment).

    Backslashes are doubled so that ``\\N``, ``\\G`` and friends stay literal.
    """
    escaped = _printable(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def html_text(text: str) -> str:
    """Text for an HTML-like label: entities for markup characters, one line, and
    doubled backslashes (an entity does not help: ``&#92;N`` still becomes the node name)."""
    text = _printable(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = text.replace("\t", " ")
    return (
        text.replace("\\", "\\\\")  # Graphviz expands \N, \G, ... even in HTML labels
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("]", "&#93;")  # Graphviz 2.43 rejects a label that is a lone "]" or "]]"
    )


def font(markup: str, colour: str, size: int | None = None) -> str:
    """A FONT element; Graphviz 2.43 rejects an empty one, so nothing for no text."""
    if not markup:
        return ""
    point_size = f' POINT-SIZE="{size}"' if size else ""
    return f'<FONT COLOR="{colour}"{point_size}>{markup}</FONT>'


def identifier(name: str) -> str:
    """An identifier for a label; SQLite allows the empty name, shown as written: ""."""
    return html_text(name) if name else "&quot;&quot;"


def node_id(name: str, prefix: str = "t") -> str:
    """A quoted DOT node id derived from a table name, the same for every diagram.

    Plain names are kept (so the SVG ``<title>`` reads well); anything else becomes a
    slug with a short hash, as a DOT quoted id cannot hold every string (a trailing
    backslash, for one). SQLite folds A-Z (ASCII only) in names, so the hash does too.
    """
    if _PLAIN_ID.fullmatch(name):
        return f'"{prefix}_{ascii_fold(name)}"'
    slug = ascii_fold(re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_"))[:40]
    digest = hashlib.sha256(ascii_fold(name).encode()).hexdigest()[:8]
    return f'"{prefix}_{slug}_{digest}"'


def safe_href(url: str) -> str:
    """Percent-encode what is not safe in an SVG attribute (Graphviz writes hrefs raw)."""
    return quote(url, safe="/:#?=.-_~%+,;@!$()*")


# -- diagram description ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexNote:
    """An index shown in a node because a migration added, changed or dropped it."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    mark: Mark


@dataclass(frozen=True, slots=True)
class TableNode:
    """A table as one diagram shows it."""

    table: Table
    href: str | None = None
    mark: Mark = Mark.NONE
    column_marks: Mapping[str, Mark] = field(default_factory=dict)  # lower-case name -> mark
    dropped_columns: tuple[Column, ...] = ()  # shown struck through after the others
    indexes: tuple[IndexNote, ...] = ()
    focus: bool = False  # the table a neighbourhood diagram is about
    compact: bool = False  # only key columns, plus a "\u2026 +n" row
    muted: bool = False  # context in a migration diagram: grey


@dataclass(frozen=True, slots=True)
class StubNode:
    """A table drawn as its name only: missing from the schema, or shown elsewhere."""

    name: str
    href: str | None = None
    missing: bool = False  # a foreign key points at a table that does not exist
    note: str = ""  # e.g. "\u2192 group" for a table drawn in another group


@dataclass(frozen=True, slots=True)
class ErDiagram:
    """Everything ``er_dot`` draws: table nodes, stubs and the edges between them."""

    name: str
    tables: tuple[TableNode, ...]
    schema: Schema  # resolves foreign keys to parent tables and columns
    stubs: tuple[StubNode, ...] = ()
    notes: tuple[str, ...] = ()  # shown in a note box, e.g. "INSERT users", "\u2026 +12"


def graph_header(name: str, rankdir: str = "LR") -> list[str]:
    return [
        f"digraph {dot_string(name)} {{",
        f'  graph [rankdir={rankdir} bgcolor="transparent" fontname="{FONT}" nodesep="0.4" '
        f'ranksep="0.9" pad="0.2" class="erdgen"];',
        f'  node [shape=plain fontname="{FONT}" fontsize="11" fontcolor="{Palette.TEXT}"];',
        f'  edge [fontname="{FONT}" fontsize="9" color="{Palette.EDGE}" '
        f'fontcolor="{Palette.MUTED}" arrowsize="0.9"];',
    ]


def er_dot(diagram: ErDiagram) -> str:
    """The DOT text of an ER diagram. Same input, same bytes."""
    lines = graph_header(diagram.name)
    for node in diagram.tables:
        lines.append(table_node_statement(node))
    for stub in diagram.stubs:
        lines.append(stub_statement(stub))
    lines.extend(edge_statements(diagram))
    if diagram.notes:
        lines.append(note_statement(diagram.notes))
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- nodes ------------------------------------------------------------------------------


def table_node_statement(node: TableNode) -> str:
    # The tooltip is the name only: a description is in one language, the page is in any.
    attributes = [f"label=<{table_label(node)}>", f"tooltip={dot_string(node.table.name)}"]
    classes = ["erd-table", *(["erd-focus"] if node.focus else [])]
    if node.mark is not Mark.NONE:
        classes.append(f"erd-{node.mark}")
    attributes.append(f'class="{" ".join(classes)}"')
    if node.href is not None:
        attributes.append(f"href={dot_string(safe_href(node.href))}")
    return f"  {node_id(node.table.name)} [{' '.join(attributes)}];"


# Labels drawn lately, by everything they show: a table looks the same in many migration
# diagrams (as context) and in its neighbours' diagrams. Bounded: a label is ~2 kB.
_RECENT_LABELS: dict[tuple[object, ...], str] = {}
RECENT_LABELS_KEPT = 4096


def table_label(node: TableNode) -> str:
    key = (
        node.table,
        node.mark,
        frozenset(node.column_marks.items()),
        node.dropped_columns,
        node.indexes,
        node.focus,
        node.compact,
        node.muted,
    )
    label = _RECENT_LABELS.get(key)
    if label is None:
        if len(_RECENT_LABELS) >= RECENT_LABELS_KEPT:
            del _RECENT_LABELS[next(iter(_RECENT_LABELS))]
        label = _RECENT_LABELS[key] = new_table_label(node)
    return label


def new_table_label(node: TableNode) -> str:
    border = Palette.BORDER
    rows = [header_row(node)]
    rows.extend(column_rows(node))
    rows.extend(index_rows(node))
    table_attrs = f'BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="{border}"' + (
        ' STYLE="dashed"' if node.mark is Mark.DROPPED else ""
    )
    return f"<TABLE {table_attrs}>" + "".join(rows) + "</TABLE>"


def header_row(node: TableNode) -> str:
    symbol = MARK_SYMBOL[node.mark]
    title = f"<B>{identifier(node.table.name)}</B>"
    if node.mark is Mark.DROPPED:
        title = f"<S>{title}</S>"
    if symbol:
        title = f"{symbol} {title}"
    if node.mark is not Mark.NONE:
        fill, colour = MARK_FILL[node.mark], MARK_TEXT[node.mark]
    else:
        fill = Palette.FOCUS if node.focus else Palette.HEADER
        fill = Palette.MUTED_HEADER if node.muted else fill
        colour = Palette.MUTED if node.muted else Palette.TEXT
    return (
        f'<TR><TD COLSPAN="3" BGCOLOR="{fill}" CELLPADDING="5">{font(title, colour, 12)}</TD></TR>'
    )


def shown_columns(node: TableNode) -> tuple[tuple[int, Column, Mark], ...]:
    """(port number, column, mark) in declaration order, dropped columns last."""
    marks = node.column_marks
    rows = [
        (position, column, marks.get(node.table.names.key(column.name), Mark.NONE))
        for position, column in enumerate(node.table.columns, start=1)
    ]
    if node.compact:
        rows = [row for row in rows if is_key_column(node.table, row[1]) or row[2] is not Mark.NONE]
    offset = len(node.table.columns)
    dropped = [(offset + n, c, Mark.DROPPED) for n, c in enumerate(node.dropped_columns, start=1)]
    return (*rows, *dropped)


def is_key_column(table: Table, column: Column) -> bool:
    return bool(column.primary_key) or any(
        table.names.key(column.name) in (table.names.key(c) for c in key.columns)
        for key in table.foreign_keys
    )


def column_rows(node: TableNode) -> list[str]:
    markers = table_markers(node.table)
    rows = [
        column_row(node, port, column, mark, markers.get(node.table.names.key(column.name), ()))
        for port, column, mark in shown_columns(node)
    ]
    hidden = len(node.table.columns) + len(node.dropped_columns) - len(rows)
    if hidden:
        rows.append(
            f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{Palette.MUTED}">'
            f"<I>\u2026 +{hidden}</I></FONT></TD></TR>"
        )
    if not rows:
        rows.append(
            f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{Palette.MUTED}">'
            "<I>\u2205</I></FONT></TD></TR>"
        )
    return rows


def column_row(
    node: TableNode, port: int, column: Column, mark: Mark, markers: tuple[str, ...]
) -> str:
    symbol = MARK_SYMBOL[mark]
    name = identifier(column.name)
    type_text = html_text(column.type)
    if mark is Mark.DROPPED:
        name, type_text = f"<S>{name}</S>", (f"<S>{type_text}</S>" if type_text else "")
    if column.primary_key:
        name = f"<U>{name}</U>"
    if symbol:
        name = f"{symbol} {name}"
    marker_text = " ".join(markers) if mark is not Mark.DROPPED else ""
    if mark is not Mark.NONE:
        name_colour = type_colour = MARK_TEXT[mark]
    else:
        name_colour = Palette.MUTED if node.muted else Palette.TEXT
        type_colour = Palette.MUTED
    fill = f' BGCOLOR="{MARK_FILL[mark]}"' if mark is not Mark.NONE else ""
    cells = (
        f'<TD ALIGN="LEFT" PORT="c{port}w"{fill}>{font(name, name_colour)}</TD>',
        f'<TD ALIGN="LEFT"{fill}>{font(type_text, type_colour)}</TD>',
        f'<TD ALIGN="RIGHT" PORT="c{port}e"{fill}>{font(marker_text, type_colour, 9)}</TD>',
    )
    return "<TR>" + "".join(cells) + "</TR>"


def index_rows(node: TableNode) -> list[str]:
    rows = []
    for note in node.indexes:
        kind = "UNIQUE INDEX" if note.unique else "INDEX"  # SQL keywords
        text = f"{html_text(note.name)} ({html_text(', '.join(note.columns))})"
        if note.mark is Mark.DROPPED:
            text = f"<S>{text}</S>"
        symbol = MARK_SYMBOL[note.mark]
        fill = MARK_FILL.get(note.mark, Palette.HEADER)
        colour = MARK_TEXT.get(note.mark, Palette.TEXT)
        rows.append(
            f'<TR><TD COLSPAN="3" ALIGN="LEFT" BGCOLOR="{fill}"><FONT COLOR="{colour}" '
            f'POINT-SIZE="9">{symbol} {kind} {text}</FONT></TD></TR>'
        )
    return rows


def stub_statement(stub: StubNode) -> str:
    note = stub.note or ("?" if stub.missing else "")
    label = f"<B>{identifier(stub.name)}</B>"
    if note:
        label += (
            f'<BR/><FONT POINT-SIZE="9" COLOR="{Palette.MUTED}"><I>{html_text(note)}</I></FONT>'
        )
    style = "dashed" if stub.missing else "dashed,rounded"
    attributes = [
        f'shape=box style="{style}" color="{Palette.BORDER}" margin="0.12,0.06"',
        f"label=<{label}>",
        f"tooltip={dot_string(stub.name)}",
        f'class="erd-stub{" erd-missing" if stub.missing else ""}"',
    ]
    if stub.href is not None:
        attributes.append(f"href={dot_string(safe_href(stub.href))}")
    return f"  {node_id(stub.name, 'x' if not stub.missing else 'm')} [{' '.join(attributes)}];"


def note_statement(notes: Sequence[str]) -> str:
    label = "<BR/>".join(html_text(note) for note in notes)
    tooltip = dot_string(" \u00b7 ".join(notes))
    return (
        f'  "notes" [shape=note style="" color="{Palette.BORDER}" margin="0.15,0.08" '
        f'label=<<FONT COLOR="{Palette.MUTED}">{label}</FONT>> '
        f'tooltip={tooltip} class="erd-note"];'
    )


# -- edges ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """A foreign key drawn from the child's column to the parent's column."""

    child: TableNode
    key: ForeignKey
    parent_id: str
    parent_port: str | None
    parent_columns: tuple[str, ...]  # as written, else the parent's primary key
    cardinality: Cardinality
    mark: Mark


def edge_statements(diagram: ErDiagram) -> list[str]:
    return [edge_statement(edge) for edge in diagram_edges(diagram)]


def diagram_edges(diagram: ErDiagram) -> list[Edge]:
    """Every foreign key of a shown table whose parent is shown (as table or stub)."""
    shown = {diagram.schema.names.key(node.table.name): node for node in diagram.tables}
    stubs = {diagram.schema.names.key(stub.name): stub for stub in diagram.stubs}
    edges = []
    for child in diagram.tables:
        for key in child.table.foreign_keys:
            edge = resolve_edge(diagram.schema, child, key, shown, stubs)
            if edge is not None:
                edges.append(edge)
    return edges


def resolve_edge(
    schema: Schema,
    child: TableNode,
    key: ForeignKey,
    shown: Mapping[str, TableNode],
    stubs: Mapping[str, StubNode],
) -> Edge | None:
    target = schema.names.key(key.ref_table)
    mark = edge_mark(child, key)
    kind = cardinality(child.table, key)
    columns = referenced_columns(schema, key)
    if target in shown:
        parent = shown[target]
        port = column_port(parent, columns)
        return Edge(child, key, node_id(parent.table.name), port, columns, kind, mark)
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
    tail = node_id(edge.child.table.name) + (f':"c{child_port}e"' if child_port else "")
    head = edge.parent_id + (f':"c{edge.parent_port}w"' if edge.parent_port else "")
    ends = CARDINALITY_ENDS[edge.cardinality]
    attributes = [
        f"dir=both arrowtail={ends.child} arrowhead={ends.parent}",
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


# -- the overview of groups -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupNode:
    """A group of tables in the group overview of a large schema."""

    key: str  # the group's diagram key, also its node id
    name: str
    tables: tuple[str, ...]
    href: str | None = None


def group_overview_dot(
    name: str, groups: Sequence[GroupNode], links: Mapping[tuple[str, str], int]
) -> str:
    """One node per group; an edge per pair of groups, weighted by its foreign-key count.

    ``links`` maps (child group key, parent group key) to the number of foreign keys.
    """
    lines = graph_header(name)
    # Groups without links between them would line up in one tall column; pack them
    # into a grid instead.
    lines.append('  graph [pack="true" packmode="array_u4"];')
    for group in groups:
        lines.append(group_node_statement(group))
    strongest = max(links.values(), default=1)
    for (child, parent), count in sorted(links.items()):
        width = 1 + 3 * count / strongest
        lines.append(
            f'  "{child}" -> "{parent}" [label="{count}" penwidth="{width:.2f}" '
            f'weight="{count}" arrowhead=normal '
            f'tooltip="{count} FK" class="erd-group-link"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def group_node_statement(group: GroupNode) -> str:
    preview = ", ".join(group.tables[:4]) + (", \u2026" if len(group.tables) > 4 else "")
    count = len(group.tables)
    label = (
        f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="5" '
        f'COLOR="{Palette.BORDER}" STYLE="rounded"><TR><TD BGCOLOR="{Palette.HEADER}">'
        f"<B>{identifier(group.name)}</B></TD></TR><TR><TD>"
        f"\u03a3 {count}</TD></TR>"
        f"<TR><TD>{font(html_text(preview), Palette.MUTED, 9) or ' '}</TD></TR></TABLE>"
    )
    attributes = [
        f"label=<{label}>",
        f"tooltip={dot_string(group.name)}",
        'class="erd-group"',
    ]
    if group.href is not None:
        attributes.append(f"href={dot_string(safe_href(group.href))}")
    return f'  "{group.key}" [{" ".join(attributes)}];'
