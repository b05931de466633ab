"""How a table looks in a diagram: the node records and their HTML-like labels (header,
column rows with key markers, index notes), stubs and the note box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct, field

from erdgen.keys import table_markers
from erdgen.model import Column, Table
from erdgen.render.dot_text import (
    MARK_FILL,
    MARK_SYMBOL,
    MARK_TEXT,
    Mark,
    Palette,
    dot_string,
    font,
    html_text,
    identifier,
    node_id,
    safe_href,
)


class IndexNote(Struct, frozen=True):
    """An index shown in a node because a migration added, changed or dropped it."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    mark: Mark


class TableNode(Struct, frozen=True):
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
    collapsed: bool = False  # the name only: context in a crowded migration diagram


class StubNode(Struct, frozen=True):
    """A table drawn as its name only: missing from the schema, or shown elsewhere."""

    name: str
    href: str | None = None
    missing: bool = False  # a foreign key points at a table that does not exist
    note: str = ""  # e.g. "\u2192 group" for a table drawn in another group


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
        node.collapsed,
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
    if not node.collapsed:
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
    if node.collapsed:
        return ()
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
