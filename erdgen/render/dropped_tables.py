"""The dropped-objects page's rows for tables: each table a migration dropped, also one
whose name a later table took, with the columns it had; for a table dropped and created
again by one migration, the columns the new table does not have."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from erdgen.model import Change
from erdgen.render.lives import TableLife, life_span
from erdgen.render.markdown import breakable_code, code
from erdgen.render.page_inputs import Inputs
from erdgen.render.siteplan import Linker, relative_link


class DroppedEntry(Struct, frozen=True):
    """A row of the dropped-objects page: an object that stays gone (PostgreSQL's types,
    sequences and functions as well), or a dropped column, with the migration that dropped it."""

    kind: str  # "table", "column", "index", "view", "trigger"
    name: str  # Markdown
    migration: str  # Markdown link
    copied_into: str = ""  # Markdown: where the values went, when a statement copied them
    partly: bool = False  # every copy of them was filtered: the other rows' values are gone
    columns: str = ""  # tables: Markdown, the columns it had when dropped


def dropped_table_entries(
    inputs: Inputs, linker: Linker, life: TableLife, change: Change, migration: str
) -> Iterator[DroppedEntry]:
    """The table's row, then the columns that vanished with it where the same migration
    created a table of its name again (``retrieval_logs.owner_address``)."""
    history = inputs.history
    key = history.names.key
    shape, index = life.shape, life.dropped_in
    same_name = inputs.plan.namesakes(life.name)
    successor = next(
        (o for o in same_name if o is not life and o.steps and o.steps[0] == index), None
    )
    span = f" ({life_span(history, life)})" if len(same_name) > 1 else ""
    link = f"[{code(life.name)}]({relative_link(linker.page, life.path)}){span}"
    into = ""
    if change.copied_to and not change.lost_columns:
        into = ", ".join(dict.fromkeys(code(copy.target) for copy in change.copied_to))
    columns = ", ".join(breakable_code(c.name) for c in shape.columns)
    yield DroppedEntry("table", link, migration, into, bool(into and change.rows_lost), columns)
    if successor is None or into:
        return
    # the new table as its migration left it
    first = history.steps[index].schema.table(life.name) if index is not None else None
    if first is None:
        return
    kept = {key(c.name) for c in first.columns}
    for column in shape.columns:
        if key(column.name) not in kept:
            label = f"{breakable_code(column.name)} ({link})"
            yield DroppedEntry("column", label, migration)
