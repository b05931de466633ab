"""The chosen diagram laid out by Graphviz as a PNG image (needs ``-o FILE``)."""

from __future__ import annotations

from erdgen.formats.registry import DiagramRequest, diagram_format


@diagram_format("png", ".png", "PNG image laid out by Graphviz (with -o FILE)", binary=True)
def write_png(request: DiagramRequest) -> bytes:
    from erdgen.render.graphviz import run_dot  # loads the graphviz package: only when drawn

    diagram = request.diagram
    return run_dot(diagram.dot, "png", request.config.layout_timeout, diagram.key)
