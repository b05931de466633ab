"""Links between generated pages: the paths MkDocs and a browser resolve."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from erdgen.render.siteplan import relative_link, relative_path, relative_url

SEGMENT = st.sampled_from(["schema", "tables", "migrations", "en", "a", "ai_jobs", "index.md"])
PATH = st.lists(SEGMENT, max_size=4).map("/".join)


@given(PATH, PATH)
def test_relative_path_is_posix_relpath(target: str, start: str) -> None:
    assert relative_path(target, start) == posixpath.relpath(target or ".", start or ".")


def test_links_between_pages_resolve_to_the_target() -> None:
    table, timeline = "tables/ai_jobs.md", "timeline.md"
    assert relative_link(timeline, table, "x") == "tables/ai_jobs.md#x"
    assert relative_link(table, timeline) == "../timeline.md"
    # Directory URLs: tables/ai_jobs.md is served as tables/ai_jobs/.
    assert relative_url(table, "index.md") == "../../"
    assert relative_url("index.md", table) == "tables/ai_jobs/"
    assert relative_url(table, table) == "./"
