"""Which diagrams exist, how a large schema is grouped, and rendering them (cached, parallel).

The page writer calls ``overview_diagrams``, ``table_diagram`` and ``migration_diagram``
to get DOT sources, then ``render_svgs`` once for all of them, and ``legend_items`` for the
legend it writes below each diagram in the page's language (the SVGs hold no words).
"""

from __future__ import annotations

import difflib
from typing import Literal

from msgspec import Struct

from erdgen.config import Config
from erdgen.core.queries import history_until
from erdgen.errors import ErdgenError
from erdgen.model import History, Schema
from erdgen.render.dot import (
    MARK_SYMBOL,
    ErDiagram,
    Mark,
    StubNode,
    TableNode,
    er_dot,
    missing_parents,
)
from erdgen.render.fk_graph import Diagram, LinkFor, fk_graph, hops, no_links, within_hops
from erdgen.render.markdown import slug
from erdgen.render.migration_diagram import (
    migration_deltas,
    migration_diagram,
    migration_tables,
    step_and_schema_before,
)
from erdgen.render.overview import group_tables, overview_diagrams
from erdgen.render.svgs import Layouts, Progress, cache_key, embeddable_cache_key, render_svgs

__all__ = [  # the names other modules import from here
    "Diagram", "Layouts", "LegendItem", "LinkFor", "Progress", "cache_key", "diagram_output",
    "embeddable_cache_key", "fk_graph", "group_tables", "legend_items", "migration_diagram",
    "neighbourhood", "no_links", "overview_diagrams", "render_svgs", "table_diagram",
    "within_hops",
]  # fmt: skip

# -- legend -----------------------------------------------------------------------------


class LegendItem(Struct, frozen=True):
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


# -- one table and its neighbours -------------------------------------------------------


def table_diagram(schema: Schema, table: str, config: Config, link: LinkFor) -> Diagram:
    """The table with every table within ``config.neighbour_depth`` foreign-key hops."""
    focus = schema.table(table)
    if focus is None:
        raise ErdgenError(f"no table named {table!r} in the schema{_guess(schema, table)}")
    names = neighbourhood(schema, focus.name, config)
    distance = hops(fk_graph(schema), [schema.names.key(focus.name)], config.neighbour_depth)
    shown = tuple(t for name in names if (t := schema.table(name)) is not None)
    nodes = tuple(
        TableNode(t, href=link(t.name), focus=t is focus, compact=t is not focus) for t in shown
    )
    hidden = len(
        within_hops(fk_graph(schema), [schema.names.key(focus.name)], config.neighbour_depth)
    )
    notes = (f"\u2026 +{hidden - len(shown)}",) if hidden > len(shown) else ()
    stubs = tuple(StubNode(n, missing=True) for n in missing_parents(schema, shown))
    key = f"table-{slug(schema.names.key(focus.name))}"
    # the table first (left), its neighbours after it, whichever way their keys point
    diagram = ErDiagram(key, nodes, schema, stubs=stubs, notes=notes, distance=distance)
    return Diagram(key, focus.name, er_dot(diagram))


def _guess(schema: Schema, table: str) -> str:
    """A hint for a name written another way: `Users` for `users`, `public.users`."""
    close = difflib.get_close_matches(table, [t.name for t in schema.tables], n=3)
    return f" (did you mean {', '.join(repr(name) for name in close)}?)" if close else ""


def neighbourhood(schema: Schema, table: str, config: Config) -> list[str]:
    """Names (lower-case) of the table and its neighbours, nearest first, at most the threshold."""
    reachable = within_hops(fk_graph(schema), [schema.names.key(table)], config.neighbour_depth)
    return reachable[: max(1, config.split_threshold)]


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
