"""Carry erdgen's inline SVG diagrams past MkDocs' Markdown and search steps.

A generated page embeds its diagram as raw HTML (``markdown="0"``, ``data-search-exclude``):
MkDocs passes it through unchanged, yet Python-Markdown's ``md_in_html``, MkDocs' anchor
collector and the search plugin each run an HTML parser over every tag of it. On a large
schema the diagrams are most of the site's bytes, and those three parses were most of
``mkdocs build``. The plugin sets each SVG aside before Markdown runs, leaving a comment
in its place, and puts it back into the finished page: the output is byte-identical.
Plain functions over text: no MkDocs here.
"""

from __future__ import annotations

import re

_OPEN = '<div class="erdgen-diagram" data-search-exclude markdown="0">\n'
_CLOSE = "\n</div>"
_DIAGRAM = re.compile(f"({re.escape(_OPEN)})(<svg\\b.*?</svg>)({re.escape(_CLOSE)})", re.DOTALL)
_PLACEHOLDER = "<!--erdgen-diagram:{}-->"
# Only inside the wrapper: a description that happens to contain the comment stays as it is.
_PLACEHOLDERS = re.compile(f"({re.escape(_OPEN)})<!--erdgen-diagram:(\\d+)-->({re.escape(_CLOSE)})")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with every diagram's SVG replaced by a numbered comment, and the SVGs."""
    svgs: list[str] = []

    def stash(match: re.Match[str]) -> str:
        svgs.append(match.group(2))
        return match.group(1) + _PLACEHOLDER.format(len(svgs) - 1) + match.group(3)

    return _DIAGRAM.sub(stash, markdown), svgs


def put_back(html: str, svgs: list[str]) -> str:
    """``html`` with the comments left by :func:`set_aside` replaced by their SVGs."""
    if not svgs:
        return html
    return _PLACEHOLDERS.sub(lambda m: m.group(1) + svgs[int(m.group(2))] + m.group(3), html)
