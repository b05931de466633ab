"""DOT -> SVG / PNG: the only module that runs Graphviz.

The ``graphviz`` package builds the ``dot`` command line and runs it, but its public
``pipe()`` has no timeout. ``graphviz.backend.execute.run_check`` passes extra keyword
arguments on to ``subprocess.run``, whose ``timeout`` kills ``dot`` when it expires, so
that is what we call: the package still finds the binary and reports its errors.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from functools import cache
from html import escape
from typing import Literal

from graphviz import ExecutableNotFound
from graphviz.backend import CalledProcessError, dot_command, execute
from graphviz.backend import version as graphviz_backend_version

from erdgen.errors import ErdgenError

Format = Literal["svg", "png"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Part of the cache key of processed SVGs: raise it whenever ``embeddable_svg`` changes
# what it writes, so that no stale markup is served from the cache.
PROCESSING_VERSION = "5"


@cache
def graphviz_version() -> str:
    """The version of the ``dot`` binary, e.g. "2.43.0" (part of the cache key)."""
    try:
        return ".".join(str(part) for part in graphviz_backend_version())
    except ExecutableNotFound as error:
        raise ErdgenError(
            "Graphviz is not installed: erdgen needs the `dot` program "
            "(Debian/Ubuntu: apt-get install graphviz)"
        ) from error


def run_dot(dot: str, output: Format, timeout: float, name: str) -> bytes:
    """Lay out ``dot`` and return the rendered bytes; ``name`` identifies it in errors."""
    command = dot_command.command("dot", output)
    try:
        process = execute.run_check(
            command, input=dot.encode(), capture_output=True, quiet=True, timeout=timeout
        )
    except ExecutableNotFound as error:
        raise ErdgenError(
            "Graphviz is not installed: erdgen needs the `dot` program "
            "(Debian/Ubuntu: apt-get install graphviz)"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise ErdgenError(
            f"diagram {name!r}: Graphviz did not finish the layout within {timeout:g} s "
            "(raise layout_timeout, or lower split_threshold to split large diagrams)"
        ) from error
    except CalledProcessError as error:
        stderr = (error.stderr or b"").decode(errors="replace").strip()
        raise ErdgenError(f"diagram {name!r}: Graphviz failed: {stderr}") from error
    stdout: bytes = process.stdout
    return stdout


# ``dot`` lays out every graph of its input in turn and writes one SVG document for each,
# each starting with this prolog (inside a document, ``<`` is always escaped).
SVG_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
# From the second graph of an input on, Graphviz 2.43 names the top group
# ``page0,1_graph0`` instead of ``graph0``: the one byte difference to a run of its own.
BATCHED_GRAPH_ID = re.compile(rb'<g id="page\d+,\d+_graph0"')


def run_dot_batch(dots: Sequence[str], timeout: float, names: Sequence[str]) -> list[bytes]:
    """The SVG of each DOT text, byte-identical to ``run_dot`` of each, from one ``dot``.

    Starting ``dot`` costs about 15 ms, most of what a small diagram costs, so small
    diagrams share a process. If the batch fails or exceeds ``timeout`` (meant for one
    diagram), each is laid out on its own again, so that an error names its diagram.
    """
    if len(dots) == 1:
        return [run_dot(dots[0], "svg", timeout, names[0])]
    try:
        output = run_dot("\n".join(dots), "svg", timeout, names[0])
    except ErdgenError:
        output = b""
    documents = [SVG_PROLOG + part for part in output.split(SVG_PROLOG)[1:]]
    if len(documents) != len(dots):
        return [run_dot(dot, "svg", timeout, name) for dot, name in zip(dots, names, strict=True)]
    return [BATCHED_GRAPH_ID.sub(b'<g id="graph0"', svg, count=1) for svg in documents]


def embeddable_svg(svg: bytes, key: str, title: str) -> str:
    """SVG markup to inline into a page.

    Drops the XML prolog, DOCTYPE and comments, prefixes every id with ``key`` so that
    several diagrams can share a page, keeps Graphviz's natural size (in pt) and lets CSS
    shrink it to the text width only down to ``READABLE_SCALE`` (the page's frame scrolls
    below that), and gives it and each node and edge an accessible title (its tooltip rather
    than its DOT id); no blank lines, so that Markdown keeps it whole. Rewrites Graphviz's
    text directly: an XML parse and re-serialisation cost as much as the layout (tests
    check the result against an XML reading).
    """
    text = svg.decode("utf-8")
    root = ROOT_TAG.search(text)
    if root is None:
        raise ErdgenError(f"diagram {key!r}: Graphviz wrote no <svg> element")
    found = dict(ATTRIBUTE.findall(root.group(1)))
    attributes = [
        ("xmlns", SVG_NS),
        ("xmlns:xlink", XLINK_NS),
        *((n, v) for n, v in found.items() if n not in REPLACED_ROOT_ATTRIBUTES),
        *_natural_size(found),
        ("class", "erdgen-svg"),
        ("role", "img"),
        ("aria-labelledby", f"{key}-title"),
    ]
    start = "<svg" + "".join(f' {name}="{value}"' for name, value in attributes) + ">"
    heading = escape(title, quote=False)
    body = COMMENT.sub("", text[root.end() :])
    body = ID_OR_LOCAL_HREF.sub(lambda match: match.group(1) + key + "-", body)
    body = FIRST_TITLE.sub(lambda _: f"<title>{heading}</title>", body, count=1)
    body = SHAPE_TITLE.sub(lambda match: match.group(1) + match.group(3) + match.group(2), body)
    # A blank line would end Markdown's raw HTML block in the middle of the SVG.
    body = BLANK_LINES.sub("\n", body.rstrip())
    return f'{start}\n<title id="{key}-title">{heading}</title>{body}\n'


# The smallest scale a diagram is shrunk to so that it fits the text width: its 11 pt
# column names stay about 8 pt. A wider diagram scrolls (and zooms) in its frame instead.
READABLE_SCALE = 0.75
_POINTS = re.compile(r"([0-9.]+)pt")


def _natural_size(found: dict[str, str]) -> list[tuple[str, str]]:
    """Graphviz's width and height (pt), and a minimum width at the readable scale."""
    width, height = _POINTS.fullmatch(found.get("width", "")), found.get("height", "")
    if width is None or not _POINTS.fullmatch(height):
        return []
    smallest = float(width.group(1)) * READABLE_SCALE
    return [("width", found["width"]), ("height", height), ("style", f"min-width:{smallest:.2f}pt")]


def standalone_svg(embeddable: str) -> bytes:
    """An embeddable SVG as a file of its own (the "open full size" link)."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + embeddable).encode()


# What ``embeddable_svg`` finds in Graphviz's SVG.
COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
BLANK_LINES = re.compile(r"\n\s*\n")
ROOT_TAG = re.compile(r"<svg\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')
REPLACED_ROOT_ATTRIBUTES = frozenset({"width", "height", "xmlns", "xmlns:xlink"})
# Graphviz escapes ``"`` in text and attribute values, so these occur in tags only.
ID_OR_LOCAL_HREF = re.compile(r'( id="| xlink:href="#)')
FIRST_TITLE = re.compile(r"<title>[^<]*</title>")  # the graph's
# A node's or edge's group: its <title> (the DOT id), then the group of its link, whose
# tooltip names it for people.
SHAPE_TITLE = re.compile(
    r'(<g id="[^"]*" class="(?:node|edge)\b[^"]*">\n<title>)[^<]*'
    r'(</title>\n<g id="[^"]*"><a\b[^>]*? xlink:title="([^"]+)")'
)
