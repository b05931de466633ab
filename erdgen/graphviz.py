"""DOT -> SVG / PNG: the only module that runs Graphviz.

The ``graphviz`` package builds the ``dot`` command line and runs it, but its public
``pipe()`` has no timeout. ``graphviz.backend.execute.run_check`` passes extra keyword
arguments on to ``subprocess.run``, whose ``timeout`` kills ``dot`` when it expires, so
that is what we call: the package still finds the binary and reports its errors.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import cache
from typing import Literal

from graphviz import ExecutableNotFound
from graphviz.backend import CalledProcessError, dot_command, execute
from graphviz.backend import version as graphviz_backend_version

from erdgen.errors import ErdgenError

Format = Literal["svg", "png"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# Part of the cache key of processed SVGs: raise it whenever ``embeddable_svg`` changes
# what it writes, so that no stale markup is served from the cache.
PROCESSING_VERSION = "2"


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

    Drops the XML prolog, DOCTYPE and comments (ElementTree does not keep them), prefixes
    every id with ``key`` so that several diagrams can share a page, lets CSS size the
    drawing (no fixed width / height), and gives it and each node an accessible title.
    """
    root = ET.fromstring(svg)
    prefix_ids(root, key)
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("class", "erdgen-svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{key}-title")
    heading = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{key}-title"})
    heading.text = title
    root.insert(0, heading)
    title_graph(root, title)
    title_shapes(root)
    ET.indent(root, space="")
    return ET.tostring(root, encoding="unicode") + "\n"


def prefix_ids(root: ET.Element, key: str) -> None:
    for element in root.iter():
        if "id" in element.attrib:
            element.set("id", f"{key}-{element.attrib['id']}")
        href = element.get(f"{{{XLINK_NS}}}href", "")
        if href.startswith("#"):
            element.set(f"{{{XLINK_NS}}}href", f"#{key}-{href[1:]}")


def title_graph(root: ET.Element, title: str) -> None:
    """Graphviz titles the graph with its DOT name; use the diagram's title instead."""
    graph = root.find(f"{{{SVG_NS}}}g")
    heading = graph.find(f"{{{SVG_NS}}}title") if graph is not None else None
    if heading is not None:
        heading.text = title


def title_shapes(root: ET.Element) -> None:
    """A node's or edge's ``<title>`` is its DOT id; its tooltip reads better."""
    for group in root.iter(f"{{{SVG_NS}}}g"):
        heading = group.find(f"{{{SVG_NS}}}title")
        if heading is None or group is root.find(f"{{{SVG_NS}}}g"):
            continue
        link = group.find(f".//{{{SVG_NS}}}a")
        tooltip = link.get(f"{{{XLINK_NS}}}title") if link is not None else None
        if tooltip:
            heading.text = tooltip
