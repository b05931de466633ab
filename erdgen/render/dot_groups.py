"""The map of a large schema: one node per group of tables, edges weighted by the number
of foreign keys between two groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct

from erdgen.render.dot_text import (
    Palette,
    dot_string,
    font,
    graph_header,
    html_text,
    identifier,
    safe_href,
)


class GroupNode(Struct, frozen=True):
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
