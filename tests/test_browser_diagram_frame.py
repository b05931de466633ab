"""Table-page diagrams in Chromium, at desktop (1400x2000) and phone (390x844) size, on a
fresh ``erdgen init`` of homarr (35 tables; `user` has 14 neighbours): no table starts left
of the diagram's frame as the page opens (the frame used to scroll so that the table was
centred, cutting the column before it: "oard_id", "ser_id"), and the table itself is in
view. Screenshots go to ERDGEN_SCREENSHOTS=dir when it is set."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import CHROMIUM, DESKTOP, PHONE, chromium_session, copy_screenshots, run_ok, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "homarr-sqlite"
SIZES = {"desktop": DESKTOP, "phone": PHONE}

# Per diagram frame: how far (CSS px) each table starts left of the frame, and whether the
# page's table is in view (its left edge inside the frame).
MEASURE = """() => [...document.querySelectorAll('.erdgen-diagram')].map(frame => {
  const box = frame.getBoundingClientRect();
  const tables = [...frame.querySelectorAll('g.node.erd-table')];
  const cut = tables
    .map(t => [t.querySelector('title').textContent, box.left - t.getBoundingClientRect().left])
    .filter(([, over]) => over > 0.5);
  const focus = frame.querySelector('g.erd-focus');
  const left = focus ? focus.getBoundingClientRect().left : box.left;
  return {ready: frame.hasAttribute('data-erdgen-zoom'), cut,
          focusInView: left >= box.left - 0.5 && left < box.right};
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """Base URL of the built site, and the URL paths of its table pages (default language)."""
    if not CORPUS.is_dir():
        pytest.skip("the corpus is not on this machine")
    project = tmp_path_factory.mktemp("homarr")
    shutil.copytree(CORPUS, project / "migrations")
    for command in (["init", "."], ["build"]):
        run_ok([sys.executable, "-m", "erdgen.cli", *command], project)
    run_ok([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], project)
    built = project / "site"
    tables = sorted(p.parent.name for p in (built / "schema" / "tables").glob("*/index.html"))
    with serve(built) as url:
        yield url, [f"schema/tables/{name}/" for name in tables]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("frame-screenshots")
    yield folder
    copy_screenshots(folder)


@pytest.mark.parametrize("size", SIZES)
def test_no_table_starts_left_of_its_diagram_frame(
    site: tuple[str, list[str]], browser: Any, screenshots: Path, size: str
) -> None:
    url, pages = site
    assert len(pages) >= 30
    context = browser.new_context(viewport=SIZES[size], has_touch=size == "phone")
    page = context.new_page()
    problems = []
    try:
        for path in pages:
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("load")
            frames = page.evaluate(MEASURE)
            assert frames, path
            for frame in frames:
                assert frame["ready"], path  # erdgen.js set the frame up
                if frame["cut"]:
                    problems.append((path, frame["cut"]))
                if not frame["focusInView"]:
                    problems.append((path, "the page's table is out of view"))
            if path.endswith("/user/"):
                diagram = page.locator(".erdgen-diagram").first
                diagram.screenshot(path=str(screenshots / f"homarr-user-{size}.png"))
    finally:
        context.close()
    assert not problems, problems
