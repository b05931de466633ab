"""The words and colours of DOT text: the palette, change marks, and escaping.

Every name, type and comment from SQL is data: it reaches DOT only through
``dot_string`` (quoted attribute values) or ``html_text`` (HTML-like labels), and node
ids are derived from names by ``node_id``. Colours are a fixed palette that the CSS in
``erdgen/render/assets/erdgen.css`` re-maps for Material's dark theme, so every colour used
here must come from ``Palette``.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from urllib.parse import quote

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
    backslash, for one). The name is taken as spelled: a diagram gets every name from its
    tables, so one table has one spelling, and PostgreSQL's "Users" and "users" stay two.
    """
    if _PLAIN_ID.fullmatch(name):
        return f'"{prefix}_{name}"'
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")[:40]
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f'"{prefix}_{slug}_{digest}"'


def safe_href(url: str) -> str:
    """Percent-encode what is not safe in an SVG attribute (Graphviz writes hrefs raw)."""
    return quote(url, safe="/:#?=.-_~%+,;@!$()*")


def graph_header(name: str, rankdir: str = "LR") -> list[str]:
    return [
        f"digraph {dot_string(name)} {{",
        f'  graph [rankdir={rankdir} bgcolor="transparent" fontname="{FONT}" nodesep="0.4" '
        f'ranksep="0.9" pad="0.2" class="erdgen"];',
        f'  node [shape=plain fontname="{FONT}" fontsize="11" fontcolor="{Palette.TEXT}"];',
        f'  edge [fontname="{FONT}" fontsize="9" color="{Palette.EDGE}" '
        f'fontcolor="{Palette.MUTED}" arrowsize="0.9"];',
    ]
