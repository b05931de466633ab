"""The mkdocs plugin carries every generated diagram past Markdown (for speed): set aside,
then put back unchanged. If the diagram markup in the templates changes, this says so."""

from __future__ import annotations

from pathlib import Path

from erdgen.site.raw_diagrams import put_back, set_aside

GENERATED = Path(__file__).resolve().parent.parent / "docs" / "schema"


def test_every_generated_diagram_is_set_aside_and_put_back_unchanged() -> None:
    pages = sorted(GENERATED.rglob("*.md"))
    diagrams = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        aside, svgs = set_aside(text)
        assert "<svg" not in aside, page  # a diagram the plugin would leave to Markdown
        assert put_back(aside, svgs) == text, page
        diagrams += len(svgs)
    # The overview, one per table page and one per migration page, in both languages.
    assert diagrams >= len(pages) - 2 * 3  # timeline, objects and dropped have none
