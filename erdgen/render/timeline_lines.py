"""A migration's changes to one table in a line of the timeline, e.g.
``~ ai_jobs: ~ user_id, + owner_type, input_params → params_json, + index idx_owner``.

``compact`` reads the change lines of a migration's page (``change_lines.step_groups``);
the timeline template writes the result out in the page's language. Every mark it sets is
one of ``MARKS``, and the page's legend is written from ``MARKS``: the two cannot drift.
"""

from __future__ import annotations

from msgspec import Struct

from erdgen.render.change_lines import ChangeGroup, ChangeLine
from erdgen.render.dot_text import MARK_SYMBOL, Mark
from erdgen.render.markdown import code

# the migration diagrams' marks, and two of the timeline's own
ADDED = MARK_SYMBOL[Mark.ADDED]
DROPPED = MARK_SYMBOL[Mark.DROPPED]
CHANGED = MARK_SYMBOL[Mark.CHANGED]
REMADE = "\u00b1"  # dropped and created again by the same migration
MOVED = "\u2192"  # between a removed column (or table) and where its values were copied

# (legend key, symbol) in the order the legend lists them: ``legend.<key>`` explains each
MARKS = (
    ("added", ADDED),
    ("dropped", DROPPED),
    ("changed", CHANGED),
    ("remade", REMADE),
    ("moved", MOVED),
)

_TABLE = {
    "table_created": ADDED, "table_dropped": DROPPED, "table_dropped_copied": DROPPED,
    "table_dropped_copied_partly": DROPPED,
}  # fmt: skip  # any other table_* line (renamed, rebuilt, altered): CHANGED
_COLUMN = {"column_added": ADDED, "column_added_in_key": ADDED, "column_dropped": DROPPED}
# a column (or table) removed after its values were copied: how (``timeline.note.<note>``)
_COPIED = {
    "column_copied": "", "column_derived": "converted",
    "column_copied_where": "some_rows", "column_copied_partly": "some_rows",
    "column_derived_where": "converted_some_rows", "column_derived_partly": "converted_some_rows",
    "table_dropped_copied": "", "table_dropped_copied_partly": "some_rows",
}  # fmt: skip
# an index, view or trigger: its kind (``timeline.object.<kind>``) and mark; one made again
# with another definition (or PostgreSQL's CREATE OR REPLACE) is changed, one made again as
# it was is dropped and created again
_OBJECTS = {
    "index_created": ("index", ADDED), "unique_index_created": ("index", ADDED),
    "index_dropped": ("index", DROPPED), "unique_index_dropped": ("index", DROPPED),
    "index_replaced": ("index", CHANGED),
    "index_recreated": ("index", REMADE), "unique_index_recreated": ("index", REMADE),
    "view_created": ("view", ADDED), "view_dropped": ("view", DROPPED),
    "view_replaced": ("view", CHANGED), "view_recreated": ("view", REMADE),
    "trigger_created": ("trigger", ADDED), "trigger_dropped": ("trigger", DROPPED),
    "trigger_replaced": ("trigger", CHANGED), "trigger_recreated": ("trigger", REMADE),
}  # fmt: skip


class TimelineItem(Struct, frozen=True):
    """A table, column, index, view or trigger as the timeline names it."""

    mark: str  # a symbol of MARKS; "" for a moved column, or a table only its parts changed
    name: str  # Markdown
    kind: str = ""  # "index", "view" or "trigger", said before the name; "" otherwise
    into: str = ""  # Markdown: where the values of a removed column or table were copied
    note: str = ""  # how (``timeline.note.<note>``); "" as they were, from every row


class TimelineLine(Struct, frozen=True):
    """One table and what a migration did to it; ``table`` None for objects of no table."""

    table: TimelineItem | None
    items: tuple[TimelineItem, ...]


def compact(group: ChangeGroup, label: str) -> TimelineLine | None:
    """One table's changes (``label``: the table's Markdown link), or the objects of no
    table (``label`` ""); None when there is nothing to name (only data changed there)."""
    lines = [line for top in group.lines for line in top.all()]
    items = dict.fromkeys(item for line in lines if (item := _item(line)) is not None)
    if not label:
        return TimelineLine(None, tuple(items)) if items else None
    tables = [line for line in lines if line.kind.startswith("table_")]
    if {ADDED, DROPPED} <= {_TABLE.get(line.kind, CHANGED) for line in tables}:
        # dropped and created again by the same migration: neither gone nor new
        return TimelineLine(TimelineItem(REMADE, label), tuple(items))
    if not tables:  # only its columns, indexes or triggers changed
        return TimelineLine(TimelineItem("", label), tuple(items))
    first = tables[0]
    mark = _TABLE.get(first.kind, CHANGED)
    if first.kind in _COPIED:  # dropped after its rows were copied into another table
        into, note = first.params["into"], _COPIED[first.kind]
        return TimelineLine(TimelineItem(mark, label, into=into, note=note), tuple(items))
    return TimelineLine(TimelineItem(mark, label), tuple(items))


def _item(line: ChangeLine) -> TimelineItem | None:
    """A column (its name from the line's Markdown) or an index, view or trigger (its name
    the line's subject); None for anything else (a constraint, data, rows left behind)."""
    if line.kind in _OBJECTS:
        kind, mark = _OBJECTS[line.kind]
        return TimelineItem(mark, code(line.subject), kind=kind)
    column = line.params.get("column")
    if not line.kind.startswith("column_") or column is None:
        return None
    if line.kind in _COPIED:
        return TimelineItem("", column, into=line.params["into"], note=_COPIED[line.kind])
    return TimelineItem(_COLUMN.get(line.kind, CHANGED), column)
