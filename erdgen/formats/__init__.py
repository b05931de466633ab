"""Output formats, one module each, registered by name (see ``registry``).

Schema formats (``erdgen export --format``): json, dbml, tbls.
Diagram formats (``erdgen diagram --format``): svg, dot, png, mermaid.
Importing this package loads every format module, so every format is registered; none
of them loads the parser (tests/test_layers.py checks).
"""

from __future__ import annotations

from erdgen.formats import dbml, dot, json, mermaid, png, svg, tbls  # each registers itself
from erdgen.formats.registry import (
    DiagramRequest,
    Format,
    SchemaExport,
    formats,
    get_format,
    names,
)

__all__ = [
    "DiagramRequest",
    "Format",
    "SchemaExport",
    "dbml",
    "dot",
    "formats",
    "get_format",
    "json",
    "mermaid",
    "names",
    "png",
    "svg",
    "tbls",
]
