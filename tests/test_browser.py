"""A reader in Debian's headless Chromium: table page, diagram, language switch, search.

Screenshots go to a temporary folder and, when ERDGEN_SCREENSHOTS=dir is set, there too.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser_kit import CHROMIUM, chromium_session
from site_build import REPO, BuiltSite, build_once

from erdgen.core.history import load_history

SEARCH_TIMEOUT_MS = 60_000  # the first search after a cold start can take over 10 s
SEARCH_RETRY_MS = 5_000
STEP_TIMEOUT_MS = 20_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

sync_api = pytest.importorskip("playwright.sync_api")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built: BuiltSite = build_once(tmp_path_factory)
    handler = functools.partial(_QuietHandler, directory=str(built.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: any free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    wanted = os.environ.get("ERDGEN_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy2(shot, Path(wanted) / shot.name)


def shoot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def ai_jobs_columns() -> list[str]:
    """The column names from the model itself, not typed by hand."""
    table = load_history(REPO / "migrations", REPO).schema.table("ai_jobs")
    assert table is not None
    return [column.name for column in table.columns]


def test_reader_goes_from_ai_jobs_to_users_in_english_and_searches(
    page: Any, site_url: str, screenshots: Path
) -> None:
    expect = sync_api.expect

    # The German page of ai_jobs: its columns and its diagram.
    page.goto(f"{site_url}/schema/tables/ai_jobs/")
    expect(page.locator("h1")).to_contain_text("ai_jobs")
    content = page.locator("article")
    for column in ai_jobs_columns():
        expect(
            content.locator("table code", has_text=re.compile(rf"^{column}$")).first
        ).to_be_visible()
    diagram = page.locator("article svg").first
    expect(diagram).to_be_visible()
    shoot(page, screenshots, "1-ai_jobs-de")

    # Click the neighbouring table `users` in the diagram and arrive at its page.
    users_node = page.locator("article svg g.node").filter(
        has=page.locator("title", has_text=re.compile(r"^users(:|$)"))
    )
    users_node.locator("a").first.click()
    page.wait_for_url(re.compile(r"/schema/tables/users/$"))
    expect(page.locator("h1")).to_contain_text("users")
    assert "/en/" not in page.url
    shoot(page, screenshots, "2-users-de")

    # Switch to English with Material's language selector: the same table, in English.
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/en/schema/tables/users/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("users")
    shoot(page, screenshots, "3-users-en")

    # Search for ai_jobs on the English page: English results only.
    results = search(page, "ai_jobs")
    shoot(page, screenshots, "4-search-en")
    assert any(url.endswith("/en/schema/tables/ai_jobs/") for url in results), results
    assert all("/en/" in url for url in results), results


def test_search_on_a_german_page_finds_german_pages(
    page: Any, site_url: str, screenshots: Path
) -> None:
    page.goto(f"{site_url}/schema/tables/users/")
    results = search(page, "ai_jobs")
    shoot(page, screenshots, "5-search-de")
    assert any(url.endswith("/schema/tables/ai_jobs/") for url in results), results
    assert not any("/en/" in url for url in results), results


def search(page: Any, query: str) -> list[str]:
    """Type into Material's search box and return the result links (page URLs, no anchors).

    A query typed while the search worker still builds its index gets no answer, so the
    query is typed again until results show, within a generous limit.
    """
    field = page.locator("input.md-search__input")  # in the header on a wide viewport
    field.click()
    sync_api.expect(field).to_be_focused()
    items = page.locator("li.md-search-result__item > a.md-search-result__link")
    for _attempt in range(SEARCH_TIMEOUT_MS // SEARCH_RETRY_MS):
        field.fill("")
        field.press_sequentially(query)
        try:
            items.first.wait_for(state="visible", timeout=SEARCH_RETRY_MS)
            break
        except sync_api.TimeoutError:
            continue
    sync_api.expect(items.first).to_be_visible()
    hrefs: list[str] = items.evaluate_all("links => links.map(a => a.href)")
    return [href.split("#")[0].split("?")[0] for href in hrefs]
