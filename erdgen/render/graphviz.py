"""DOT -> SVG / PNG: the only module that runs Graphviz.

The ``graphviz`` package finds ``dot`` and builds its command line; erdgen starts it with
unnamed temporary files as its input and output rather than pipes. A thread feeding and
draining pipes needs the GIL again for every 4 kB chunk (``subprocess.communicate``), and
while another thread renders pages each of those hand-overs waits up to Python's 5 ms
switch interval: on the bundled project Graphviz's results came about 50 ms late. With
files, a ``dot`` started by the page-rendering thread runs untouched until it is waited for.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from functools import cache
from html import escape
from typing import IO, Literal

from graphviz import ExecutableNotFound
from graphviz.backend import dot_command
from graphviz.backend import version as graphviz_backend_version

from erdgen.errors import ErdgenError

Format = Literal["svg", "png"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Part of the cache key of processed SVGs: raise it whenever ``embeddable_svg`` changes
# what it writes, so that no stale markup is served from the cache.
PROCESSING_VERSION = "5"


NOT_INSTALLED = (
    "Graphviz is not installed: erdgen needs the `dot` program "
    "(Debian/Ubuntu: apt-get install graphviz)"
)


@cache
def graphviz_version() -> str:
    """The version of the ``dot`` binary, e.g. "2.43.0" (part of the cache key)."""
    try:
        return ".".join(str(part) for part in graphviz_backend_version())
    except ExecutableNotFound as error:
        raise ErdgenError(NOT_INSTALLED) from error


class DotRun:
    """One ``dot`` process, started at once; ``result`` waits for it.

    Raises ``ErdgenError`` at the start when ``dot`` is missing, and from ``result`` when
    it fails (with its stderr) or is still running ``timeout`` seconds after the start
    (it is killed then). Files are closed by ``result`` (or when the object is dropped).
    """

    def __init__(self, dot: str, output: Format, name: str) -> None:
        self.name, self.started = name, time.monotonic()
        self._files = ExitStack()
        self._input, self._output, self._errors = (self._unnamed_file() for _ in range(3))
        self._input.write(dot.encode())
        self._input.seek(0)
        try:
            self._process = subprocess.Popen(
                dot_command.command("dot", output),
                stdin=self._input,
                stdout=self._output,
                stderr=self._errors,
            )
        except FileNotFoundError as error:
            self._files.close()
            raise ErdgenError(NOT_INSTALLED) from error

    def _unnamed_file(self) -> IO[bytes]:
        # open beyond this call: ``result`` closes the files (a ``with`` block cannot)
        return self._files.enter_context(tempfile.TemporaryFile())

    def result(self, timeout: float) -> bytes:
        """What ``dot`` wrote; ``timeout`` counts seconds since the start."""
        try:
            try:
                code = self._wait(timeout)
            except subprocess.TimeoutExpired as error:
                self._process.kill()
                self._process.wait()
                raise ErdgenError(
                    f"diagram {self.name!r}: Graphviz did not finish the layout within "
                    f"{timeout:g} s (raise layout_timeout, or lower split_threshold to "
                    "split large diagrams)"
                ) from error
            if code != 0:
                self._errors.seek(0)
                stderr = self._errors.read().decode(errors="replace").strip()
                raise ErdgenError(f"diagram {self.name!r}: Graphviz failed: {stderr}")
            self._output.seek(0)
            return self._output.read()
        finally:
            self._files.close()

    def _wait(self, timeout: float) -> int:
        """``dot``'s exit status, as soon as it exits (``Popen.wait`` with a timeout polls,
        sleeping up to 50 ms between looks; a pidfd wakes ``select`` at once, on Linux)."""
        remaining = max(0.0, timeout - (time.monotonic() - self.started))
        try:
            exited = os.pidfd_open(self._process.pid)
        except (AttributeError, OSError):  # not Linux 5.3+, or the process is gone already
            return self._process.wait(remaining)
        try:
            select.select([exited], [], [], remaining)
        finally:
            os.close(exited)
        return self._process.wait(0)  # TimeoutExpired if it still runs


def run_dot(dot: str, output: Format, timeout: float, name: str) -> bytes:
    """Lay out ``dot`` and return the rendered bytes; ``name`` identifies it in errors."""
    return DotRun(dot, output, name).result(timeout)


# ``dot`` lays out every graph of its input in turn and writes one SVG document for each,
# each starting with this prolog (inside a document, ``<`` is always escaped).
SVG_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
# From the second graph of an input on, Graphviz 2.43 names the top group
# ``page0,1_graph0`` instead of ``graph0``: the one byte difference to a run of its own.
BATCHED_GRAPH_ID = re.compile(rb'<g id="page\d+,\d+_graph0"')


class DotBatch:
    """Several DOT texts laid out by one ``dot``, started at once; ``result`` gives the SVG
    of each, byte-identical to ``run_dot`` of each.

    Starting ``dot`` costs about 15 ms, most of what a small diagram costs, so small
    diagrams share a process. If the batch fails or exceeds ``timeout`` (meant for one
    diagram), each is laid out on its own again, so that an error names its diagram.
    """

    def __init__(self, dots: Sequence[str], names: Sequence[str]) -> None:
        self.dots, self.names = tuple(dots), tuple(names)
        self._run = DotRun("\n".join(self.dots), "svg", self.names[0])

    def result(self, timeout: float) -> list[bytes]:
        if len(self.dots) == 1:
            return [self._run.result(timeout)]
        try:
            output = self._run.result(timeout)
        except ErdgenError:
            output = b""
        documents = [SVG_PROLOG + part for part in output.split(SVG_PROLOG)[1:]]
        if len(documents) != len(self.dots):
            pairs = zip(self.dots, self.names, strict=True)
            return [run_dot(dot, "svg", timeout, name) for dot, name in pairs]
        return [BATCHED_GRAPH_ID.sub(b'<g id="graph0"', svg, count=1) for svg in documents]


def run_dot_batch(dots: Sequence[str], timeout: float, names: Sequence[str]) -> list[bytes]:
    """``DotBatch(dots, names).result(timeout)``."""
    return DotBatch(dots, names).result(timeout)


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
