"""The chosen diagram laid out by Graphviz as the SVG the site embeds (the default)."""

from __future__ import annotations

from erdgen.formats.registry import DiagramRequest, diagram_format


@diagram_format("svg", ".svg", "SVG laid out by Graphviz, as on the generated pages")
def write_svg(request: DiagramRequest) -> bytes:
    from erdgen.render.diagrams import render_svgs  # it imports this registry: import late

    diagram = request.diagram
    return render_svgs([diagram], request.config, None)[diagram.key].encode()
