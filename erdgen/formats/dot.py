"""The chosen diagram as Graphviz DOT source, unlaid-out (``erdgen diagram --format dot``)."""

from __future__ import annotations

from erdgen.formats.registry import DiagramRequest, diagram_format


@diagram_format("dot", ".dot", "Graphviz DOT source, for your own layout or styling")
def write_dot(request: DiagramRequest) -> bytes:
    return request.diagram.dot.encode()
