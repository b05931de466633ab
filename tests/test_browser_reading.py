"""A reader in Chromium, at desktop (1400x2000) and phone (390x844) size, on two sites: the
bundled project and a fresh ``erdgen init`` of a real SQLite folder from the corpus
(pocket-id: 22 tables, 72 migrations). Each test checks what the reader sees, measured in
the browser; screenshots go to ERDGEN_SCREENSHOTS=dir when it is set.
"""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    chromium_session,
    copy_screenshots,
    run_ok,
    serve,
)
from site_build import build_once

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pocket-id-sqlite"
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URLs: "bundled" (this repository) and "corpus" (erdgen init of pocket-id)."""
    bundled = build_once(tmp_path_factory).site
    corpus = corpus_site(tmp_path_factory.mktemp("corpus"))
    with serve(bundled) as bundled_url, serve(corpus) as corpus_url:
        yield {"bundled": bundled_url, "corpus": corpus_url}


def corpus_site(project: Path) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the corpus is not on this machine")
    shutil.copytree(CORPUS, project / "migrations")
    for command in (["init", "."], ["build"]):
        run_ok([sys.executable, "-m", "erdgen.cli", *command], project)
    run_ok([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], project)
    return project / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("reading-screenshots")
    yield folder
    copy_screenshots(folder)


def open_page(browser: Any, url: str, size: str) -> Any:
    context = browser.new_context(viewport=SIZES[size], has_touch=size == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    page.erdgen_errors = errors
    return page


def close(page: Any) -> None:
    errors = page.erdgen_errors
    page.context.close()
    assert not errors, f"JavaScript errors: {errors}"


def widest_table(site: str) -> str:
    """The table page with the most columns (its path below the site)."""
    return "schema/tables/ai_jobs/" if site == "bundled" else "schema/tables/oidc_clients/"


# --- item 2: column tables that fit --------------------------------------------------------

COLUMN_TABLE_FACTS = """() => {
  const table = document.querySelector('.erdgen-columns table');
  const article = document.querySelector('article').getBoundingClientRect();
  const box = table.getBoundingClientRect();
  const scroller = table.closest('.md-typeset__scrollwrap') || table.parentElement;
  const broken = [...table.querySelectorAll('code')]
    .filter(c => !/\\s/.test(c.textContent) && c.getClientRects().length > 1)
    .filter(c => !c.querySelector('wbr'))  // <wbr>: a break after "_" or "." is allowed
    .map(c => c.textContent);
  const rows = [...table.querySelectorAll('tbody tr')];
  return {
    right: box.right, articleRight: article.right + 1, left: box.left,
    overflow: scroller.scrollWidth - scroller.clientWidth,
    broken,
    header: getComputedStyle(table.querySelector('thead')).display,
    rowDisplay: getComputedStyle(rows[0]).display,
    widestRow: Math.max(...rows.map(r => r.getBoundingClientRect().right)),
    viewport: window.innerWidth,
    description: rows[0].cells[rows[0].cells.length - 1].getBoundingClientRect().width,
    wrappedNames: rows.map(r => r.cells[1].querySelector('code'))
      .filter(c => c && c.textContent.length <= 24 && c.getClientRects().length > 1)
      .map(c => c.textContent),
  };
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("site", ["bundled", "corpus"])
@pytest.mark.parametrize("language", ["", "en/"])
def test_column_tables_fit_and_identifiers_never_break(
    browser: Any, sites: dict[str, str], screenshots: Path, site: str, size: str, language: str
) -> None:
    for path in (widest_table(site), "schema/tables/users/"):
        page = open_page(browser, f"{sites[site]}/{language}{path}", size)
        page.locator(".erdgen-columns").scroll_into_view_if_needed()
        facts = page.evaluate(COLUMN_TABLE_FACTS)
        name = f"columns-{site}-{size}-{language.strip('/') or 'de'}-{path.split('/')[-2]}"
        page.screenshot(path=str(screenshots / f"{name}.png"))
        close(page)
        assert facts["broken"] == [], f"{path}: identifiers broken inside a word"
        assert facts["overflow"] <= 1, f"{path}: the table scrolls sideways ({facts})"
        assert facts["right"] <= facts["articleRight"], f"{path}: clipped ({facts})"
        if size == "phone":
            assert facts["header"] == "none" and facts["rowDisplay"] == "grid", facts
            assert facts["widestRow"] <= facts["viewport"], facts
        else:
            assert facts["header"] != "none"
            assert facts["description"] >= 150, f"{path}: the description is squeezed ({facts})"
            assert facts["wrappedNames"] == [], f"{path}: a usual column name wraps ({facts})"


# --- item 1: diagrams at their natural size, pan and zoom ----------------------------------

DIAGRAM_FACTS = """() => [...document.querySelectorAll('.erdgen-diagram')].map(frame => {
  const svg = frame.querySelector('svg');
  const natural = parseFloat(svg.getAttribute('width')) * 4 / 3;
  return {
    shown: svg.getBoundingClientRect().width, natural,
    frame: frame.clientWidth, scrolls: frame.scrollWidth > frame.clientWidth + 1,
    fontPx: Math.min(...[...svg.querySelectorAll('text')].slice(0, 5).map(
      t => t.getBoundingClientRect().height)),
  };
})"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("site", ["bundled", "corpus"])
def test_diagrams_are_never_enlarged_and_scroll_below_a_readable_scale(
    browser: Any, sites: dict[str, str], screenshots: Path, site: str, size: str
) -> None:
    for path in ("schema/", widest_table(site), "en/schema/"):
        page = open_page(browser, f"{sites[site]}/{path}", size)
        diagrams = page.evaluate(DIAGRAM_FACTS)
        page.locator(".erdgen-diagram").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"diagram-{site}-{size}-{len(path)}.png"))
        close(page)
        assert diagrams, path
        for d in diagrams:
            assert d["shown"] <= d["natural"] + 1, f"{path}: enlarged {d}"
            assert d["shown"] >= d["natural"] * 0.75 - 1, f"{path}: below the readable scale {d}"
            if d["natural"] * 0.75 > d["frame"] + 1:
                assert d["scrolls"], f"{path}: too wide and not scrollable {d}"


def test_zoom_buttons_wheel_drag_and_pinch(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, f"{sites['corpus']}/schema/", "desktop")
    frame = page.locator(".erdgen-diagram").first
    frame.scroll_into_view_if_needed()
    width = lambda: page.evaluate(  # noqa: E731
        "() => document.querySelector('.erdgen-diagram svg').getBoundingClientRect().width"
    )
    start = width()
    page.locator(".erdgen-zoom button").nth(1).click()  # +
    assert width() == pytest.approx(start * 1.25, rel=0.02)
    page.locator(".erdgen-zoom button").nth(0).click()  # minus
    page.locator(".erdgen-zoom button").nth(0).click()
    assert width() < start
    page.locator(".erdgen-zoom button").nth(2).click()  # 1:1 (the page's own size)
    assert width() == pytest.approx(start, abs=1)
    box = frame.bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    assert width() > start
    # Drag with the mouse: the frame scrolls, and no link is followed.
    url = page.url
    before = page.evaluate("() => document.querySelector('.erdgen-diagram').scrollLeft")
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 150, box["y"] + 250, steps=5)
    page.mouse.up()
    after = page.evaluate("() => document.querySelector('.erdgen-diagram').scrollLeft")
    assert after > before and page.url == url
    close(page)

    phone = open_page(browser, f"{sites['corpus']}/schema/", "phone")
    phone.locator(".erdgen-diagram").first.scroll_into_view_if_needed()
    start = phone.evaluate(
        "() => document.querySelector('.erdgen-diagram svg').getBoundingClientRect().width"
    )
    phone.evaluate(PINCH)
    pinched = phone.evaluate(
        "() => document.querySelector('.erdgen-diagram svg').getBoundingClientRect().width"
    )
    assert pinched == pytest.approx(start * 2, rel=0.05)
    close(phone)


PINCH = """() => {
  const frame = document.querySelector('.erdgen-diagram');
  const box = frame.getBoundingClientRect();
  const at = (id, x, y) => new Touch({identifier: id, target: frame,
    clientX: box.left + x, clientY: box.top + y});
  const send = (type, touches) => frame.dispatchEvent(new TouchEvent(type,
    {touches, targetTouches: touches, changedTouches: touches, bubbles: true, cancelable: true}));
  send('touchstart', [at(1, 100, 100), at(2, 150, 100)]);
  send('touchmove', [at(1, 75, 100), at(2, 175, 100)]);
  send('touchend', []);
}"""


@pytest.mark.parametrize("language", ["", "en/"])
def test_every_diagram_opens_at_full_size_in_the_readers_language(
    browser: Any, sites: dict[str, str], language: str
) -> None:
    page = open_page(browser, f"{sites['bundled']}/{language}schema/tables/ai_jobs/", "desktop")
    links = page.locator("a", has=page.locator("text=⤢"))
    assert links.count() == page.locator(".erdgen-diagram").count() >= 1
    href = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(".svg"), page.url
    assert page.evaluate("() => document.documentElement.tagName") == "svg"
    # A table in the full-size drawing leads to its page in the same language.
    users = page.locator("g.node").filter(has=page.locator("title", has_text="users"))
    users.locator("a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{language}schema/tables/users/"), (href, page.url)
    close(page)


def test_the_corpus_site_was_built_from_the_real_folder(sites: dict[str, str]) -> None:
    """The corpus site is the real thing: 22 tables in its search index."""
    with urllib.request.urlopen(f"{sites['corpus']}/search/search_index.json") as response:
        index = json.load(response)
    tables = {d["location"] for d in index["docs"] if d["location"].count("/") == 3}
    assert len({t for t in tables if t.startswith("schema/tables/")}) >= 22


# --- item 4: search lands on the definition ------------------------------------------------


def search(page: Any, query: str) -> list[str]:
    """Material's results for ``query``, best first (href of each result page's link)."""
    field = page.locator("input.md-search__input")
    if page.viewport_size["width"] < 1220:  # Material hides the field behind an icon
        if not page.locator("#__search").is_checked():
            page.locator("label.md-header__button[for='__search']").click()
    else:
        field.click()
    items = page.locator(".md-search-result a.md-search-result__link")
    for _attempt in range(12):  # the worker builds its index after the page loads
        field.fill("")
        field.press_sequentially(query)
        try:
            items.first.wait_for(state="visible", timeout=5_000)
            break
        except sync_api.TimeoutError:
            continue
    page.wait_for_timeout(800)  # results of the whole query, not of its first letters
    hrefs: list[str] = items.evaluate_all("links => links.map(a => a.href)")
    # Without Material's ?h= (highlight) query: page URL and anchor.
    return [h.split("?")[0] + ("#" + h.split("#")[1] if "#" in h else "") for h in hrefs]


SEARCHES = {
    # query -> what the first result must be (end of its URL)
    "bundled": {
        "owner_ref": "/schema/tables/ai_jobs/#c-owner_ref",
        "users": "/schema/tables/users/",
        "users.email": "/schema/tables/users/#c-email",
        "ai_jobs": "/schema/tables/ai_jobs/",
    },
    "corpus": {
        # oidc_clients and user_groups begin other tables' names (oidc_clients_allowed_apis)
        "oidc_clients": "/schema/tables/oidc_clients/",
        "user_groups": "/schema/tables/user_groups/",
        "users": "/schema/tables/users/",
        "oidc_clients.launch_url": "/schema/tables/oidc_clients/#c-launch_url",
        "user_groups.friendly_name": "/schema/tables/user_groups/#c-friendly_name",
    },
}


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("site", ["bundled", "corpus"])
def test_search_lands_on_the_definition(
    browser: Any, sites: dict[str, str], screenshots: Path, site: str, size: str
) -> None:
    for language in ("", "en/"):
        page = open_page(browser, f"{sites[site]}/{language}schema/", size)
        for query, expected in SEARCHES[site].items():
            results = search(page, query)
            wanted = expected.replace("/schema/", f"/{language}schema/")
            assert results and results[0].split("#")[0].endswith(wanted.split("#")[0]), (
                query,
                results[:5],
            )  # the table's page first
            if "#" in wanted:  # and the column's row among the page's hits
                assert any(r.endswith(wanted) for r in results[:6]), (query, results[:6])
            assert not any("#" in r and "sql" in r.split("#")[1] for r in results), results
        page.screenshot(path=str(screenshots / f"search-{site}-{size}-{language or 'de'}.png"))
        close(page)


# --- items 3, 6-11 on the rendered pages ---------------------------------------------------


def text_of(browser: Any, url: str, size: str, selector: str = "article") -> str:
    page = open_page(browser, url, size)
    text: str = page.locator(selector).inner_text()
    close(page)
    return text


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_descriptions_say_where_they_come_from_and_none_is_a_migration_step(
    browser: Any, sites: dict[str, str], size: str
) -> None:
    """Item 3: the bundled pages name docs/schema.yml; the corpus' tables are not described
    by the step comments above its rebuilds (pocket-id: "6. Create temporary table ...")."""
    bundled = text_of(browser, f"{sites['bundled']}/en/schema/tables/ai_jobs/", size)
    assert "(from docs/schema.yml)" in bundled
    corpus = text_of(browser, f"{sites['corpus']}/en/schema/", size)
    for step_comment in ("Create temporary table", "user_id → CASCADE", "Align JSON"):
        assert step_comment not in corpus


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_copied_columns_are_not_called_destroyed(
    browser: Any, sites: dict[str, str], size: str
) -> None:
    """Item 6: 0009 copies input_params and output_url; the dropped page says where."""
    migration = text_of(browser, f"{sites['bundled']}/en/schema/migrations/0009/", size)
    assert "input_params → params_json (data copied, all rows)" in migration
    assert "input_params dropped with its data" not in migration
    dropped = text_of(browser, f"{sites['bundled']}/en/schema/dropped/", size)
    assert "copied into ai_jobs.params_json" in dropped and "completed_at" in dropped
    corpus_dropped = text_of(browser, f"{sites['corpus']}/en/schema/dropped/", size)
    indexes = [line for line in corpus_dropped.splitlines() if line.startswith("Index")]
    assert len(indexes) == len(set(indexes)), indexes  # each index once, if at all


def test_timeline_rows_name_tables_and_columns_and_filter_by_table(
    browser: Any, sites: dict[str, str], screenshots: Path
) -> None:
    """Item 7 on the 72-migration corpus: one row per migration, a filter by table."""
    page = open_page(browser, f"{sites['corpus']}/en/schema/timeline/", "desktop")
    rows = page.locator(".erdgen-timeline tbody tr")
    assert rows.count() == 72
    page.locator("input.erdgen-filter").fill("webauthn_credentials")
    shown = page.locator(".erdgen-timeline tbody tr:not([hidden])")
    assert 0 < shown.count() < 72
    assert all("webauthn_credentials" in t for t in shown.all_inner_texts())
    page.screenshot(path=str(screenshots / "timeline-filter.png"))
    close(page)


@pytest.mark.parametrize(
    ("language", "legend"),
    [
        ("", "Legende: + hinzugefügt · \N{MINUS SIGN} entfernt"),
        ("en/", "Legend: + added · \N{MINUS SIGN} dropped"),
    ],
)
def test_timeline_legend_and_filter_by_index_and_by_where_values_went(
    browser: Any, sites: dict[str, str], language: str, legend: str
) -> None:
    """The legend stands above the rows; typed with plain spaces, an index's name with its
    kind, and a moved column with where its values went, find the one migration (0009)."""
    page = open_page(browser, f"{sites['bundled']}/{language}schema/timeline/", "desktop")
    legend_box = page.locator("article small", has_text=legend.split(":")[0]).first
    assert legend_box.inner_text().startswith(legend)
    table_top = page.locator(".erdgen-timeline table").bounding_box()["y"]
    assert legend_box.bounding_box()["y"] < table_top
    shown = page.locator(".erdgen-timeline tbody tr:not([hidden])")
    word = "Index" if language == "" else "index"
    for typed in (f"{word} idx_ai_jobs_provider_job_id", "input_params → params_json"):
        page.locator("input.erdgen-filter").fill(typed)
        assert [text.split(" ·")[0] for text in shown.all_inner_texts()] == ["0009"], typed
    page.locator("input.erdgen-filter").fill("")
    assert shown.count() == 11
    close(page)


TIMELINE_FACTS = """() => {
  const table = document.querySelector('.erdgen-timeline table');
  const scroller = table.closest('.md-typeset__scrollwrap') || table.parentElement;
  const rows = [...table.querySelectorAll('tbody tr')];
  return {
    page: document.documentElement.scrollWidth, viewport: window.innerWidth,
    overflow: scroller.scrollWidth - scroller.clientWidth,
    widestCell: Math.max(...rows.flatMap(r => [...r.cells].map(
      c => c.getBoundingClientRect().right))),
    header: getComputedStyle(table.querySelector('thead')).display,
    row: getComputedStyle(rows[0]).display, rows: rows.length,
  };
}"""
SHOWN_ROWS = """() => [...document.querySelectorAll('.erdgen-timeline tbody tr')]
  .filter(r => r.getBoundingClientRect().height > 0).map(r => r.innerText)"""


@pytest.mark.parametrize("site", ["bundled", "corpus"])
@pytest.mark.parametrize("language", ["", "en/"])
def test_the_timeline_is_a_column_of_cards_on_a_phone(
    browser: Any, sites: dict[str, str], screenshots: Path, site: str, language: str
) -> None:
    """No sideways scroll of the page or the timeline at 390 px; the filter still hides."""
    page = open_page(browser, f"{sites[site]}/{language}schema/timeline/", "phone")
    facts = page.evaluate(TIMELINE_FACTS)
    name = f"timeline-phone-{site}-{language.strip('/') or 'de'}"
    page.locator(".erdgen-timeline").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"{name}.png"))
    wanted = "password_hash" if site == "bundled" else "webauthn_credentials"
    page.locator("input.erdgen-filter").fill(wanted)
    shown = page.evaluate(SHOWN_ROWS)
    close(page)
    assert facts["page"] <= facts["viewport"], f"the page scrolls sideways ({facts})"
    assert facts["overflow"] <= 1, f"the timeline scrolls sideways ({facts})"
    assert facts["widestCell"] <= facts["viewport"], facts
    assert (facts["header"], facts["row"]) == ("none", "block"), facts
    assert 0 < len(shown) < facts["rows"] and all(wanted in text for text in shown)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_migration_page_reads_in_order(browser: Any, sites: dict[str, str], size: str) -> None:
    """Item 8: the diagram before the folded data-change SQL; previous/next at the bottom."""
    page = open_page(browser, f"{sites['bundled']}/en/schema/migrations/0007/", size)
    order = page.evaluate(
        """() => {
      const at = e => e ? e.getBoundingClientRect().top + window.scrollY : -1;
      const data = document.querySelector('details.info');
      return {diagram: at(document.querySelector('.erdgen-diagram')), data: at(data),
              open: data.open, last: document.querySelector('article').innerText.trim()};
    }"""
    )
    close(page)
    assert 0 < order["diagram"] < order["data"] and not order["open"], order
    assert order["last"].endswith("next: 0008 create_ai_jobs_table"), order["last"][-80:]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_tables_are_found_by_name_in_the_navigation_and_the_overview(
    browser: Any, sites: dict[str, str], size: str
) -> None:
    """Item 9: names without a prefix, a dropped table struck through, alphabetical lists."""
    page = open_page(browser, f"{sites['corpus']}/en/schema/tables/users/", size)
    names, struck = page.evaluate(
        """() => [[...document.querySelectorAll('nav.md-nav--primary a.md-nav__link')]
            .map(a => a.textContent.trim()),
          [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link s')]
            .map(s => s.textContent.trim())]"""
    )  # textContent: on a phone the navigation sits in a closed drawer
    close(page)
    assert "users" in names and not any(n.startswith("Table ") for n in names), names
    assert "signup_tokens" in struck  # dropped by the corpus' 20260723000000
    overview = open_page(browser, f"{sites['corpus']}/en/schema/", size)
    listed = overview.locator(".erdgen-list tbody tr td:first-child").all_inner_texts()
    close(overview)
    assert listed == sorted(listed, key=str.casefold) and len(listed) == 22  # current ones


def test_a_column_names_its_referrers_and_a_view_its_tables(
    browser: Any, sites: dict[str, str]
) -> None:
    """Item 10: users.id lists the keys pointing at it; a later column its migration."""
    text = text_of(browser, f"{sites['bundled']}/en/schema/tables/users/", "desktop")
    assert "←\u00a0ai_jobs.user_id" in text  # bound to its name: never alone at a line end
    assert "added in 0007 add_email_verification" in text


@pytest.mark.parametrize("site", ["bundled", "corpus"])
def test_every_diagram_has_an_accessible_name(
    browser: Any, sites: dict[str, str], site: str
) -> None:
    """Item 11: each SVG is role=img and labelled by its title."""
    page = open_page(browser, f"{sites[site]}/en/schema/tables/users/", "desktop")
    names = page.evaluate(
        """() => [...document.querySelectorAll('.erdgen-diagram svg')].map(svg =>
          svg.getAttribute('role') + ':' +
          document.getElementById(svg.getAttribute('aria-labelledby')).textContent)"""
    )
    close(page)
    assert names and all(n.startswith("img:") and len(n) > 4 for n in names), names
