"""Names and comments from SQL stay text on every page of the site, in both languages.

A project whose table, column, index, view and trigger names, SQL comments, default values,
migration file names and descriptions carry title and attribute break-outs, ``javascript:``
links, Markdown and Jinja syntax is set up with ``erdgen init`` and built with
``mkdocs build --strict``. Every page is opened in Chromium; a dialog, a call of the
planted function, an inline handler or a script link made of that text fails the test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_kit import (
    CHROMIUM,
    PLANT_TRAP,
    PLANTED,
    chromium_session,
    run_ok,
    serve,
    site_pages,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")

HIT = f"{PLANTED}_hit"
TITLE_BREAKOUT = "x</title><script>alert(document.domain)</script>"
LINK_NAME = f"[t](javascript:{HIT}(2))"
ATTRIBUTE_BREAKOUT = f'"><img src=x onerror={HIT}(3)>'
QUOTE_BREAKOUT = f"a' onmouseover='{HIT}(4)"
TEMPLATE_NAME = "{{ config }}{% raw %}"
SCHEME_NAME = f"javascript:{HIT}(5)"
INDEX_NAME = f'idx" onfocus="{HIT}(6)" autofocus="'
VIEW_NAME = f"v<svg onload={HIT}(7)>"
TRIGGER_NAME = f'"><script>{HIT}(8)</script>'
COMMENT = f"<img src=x onerror={HIT}(9)> [c](javascript:{HIT}(10)) {{{{ 7*7 }}}} | **b** # h"
DROPPED_NAME = "gone</title><script>alert(11)</script>"
MIGRATION_NAME = f'0002_"><svg onload={HIT}(12)>.sql'
SIDECAR = (
    f"[click](javascript:{HIT}(13)) <script>{HIT}(14)</script> [r]\n\n[r]: javascript:{HIT}(15)"
)
NAMES = (TITLE_BREAKOUT, LINK_NAME, ATTRIBUTE_BREAKOUT, QUOTE_BREAKOUT, TEMPLATE_NAME,
         SCHEME_NAME, INDEX_NAME, VIEW_NAME, TRIGGER_NAME, DROPPED_NAME)  # fmt: skip


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


MIGRATIONS = {
    "0001_init.sql": f"""-- {COMMENT}
CREATE TABLE {q(TITLE_BREAKOUT)} (
  id INTEGER PRIMARY KEY, -- {COMMENT}
  {q(QUOTE_BREAKOUT)} TEXT NOT NULL DEFAULT {sql_literal(TITLE_BREAKOUT)},
  {q(SCHEME_NAME)} TEXT CHECK ({q(SCHEME_NAME)} <> {sql_literal(ATTRIBUTE_BREAKOUT)})
);
-- {COMMENT}
CREATE TABLE {q(LINK_NAME)} (
  id INTEGER PRIMARY KEY,
  {q(TEMPLATE_NAME)} TEXT UNIQUE,
  {q(ATTRIBUTE_BREAKOUT)} INTEGER REFERENCES {q(TITLE_BREAKOUT)}(id)
);
CREATE INDEX {q(INDEX_NAME)} ON {q(LINK_NAME)}({q(TEMPLATE_NAME)})
  WHERE {q(TEMPLATE_NAME)} <> '<b>';
CREATE VIEW {q(VIEW_NAME)} AS SELECT * FROM {q(LINK_NAME)};
CREATE TRIGGER {q(TRIGGER_NAME)} AFTER INSERT ON {q(LINK_NAME)} BEGIN SELECT 1; END;
CREATE TABLE {q(DROPPED_NAME)} (id INTEGER PRIMARY KEY);
""",
    MIGRATION_NAME: f"""-- {COMMENT}
ALTER TABLE {q(LINK_NAME)} ADD COLUMN {q(VIEW_NAME)} TEXT;
INSERT INTO {q(LINK_NAME)} ({q(TEMPLATE_NAME)}) VALUES ({sql_literal(COMMENT)});
DROP INDEX {q(INDEX_NAME)};
""",
    "0003_drop.sql": f"""-- {COMMENT}
DROP TABLE {q(DROPPED_NAME)};
ALTER TABLE {q(TITLE_BREAKOUT)} DROP COLUMN {q(SCHEME_NAME)};
""",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    (project / "migrations").mkdir()
    for name, sql in MIGRATIONS.items():
        (project / "migrations" / name).write_text(sql, encoding="utf-8")
    run_ok([sys.executable, "-m", "erdgen.cli", "init", "."], project)
    describe_everything(project / "docs" / "schema.yml")
    run_ok([sys.executable, "-m", "erdgen.cli", "build"], project)
    run_ok([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], project)
    return project / "site"


def describe_everything(sidecar: Path) -> None:
    """Hostile Markdown as the description of every table and migration, in both languages."""
    tree = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    for section in ("tables", "migrations"):
        for entry in tree[section].values():
            entry.update(de=SIDECAR, en=SIDECAR)
    sidecar.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


# What a page made of the hostile text must not contain: inline handlers, script elements
# or links with a script scheme that carry the planted payloads.
FIND_PLANTED = """() => {
  const found = [];
  const payload = /__erdgen_planted|alert\\(/;
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\x00-\\x1f]/g, "").toLowerCase();
      if (name.startsWith("on") && payload.test(attribute.value)) found.push(name);
      if (/(href|src|action)$/.test(name) && /^(javascript|vbscript|data):/.test(value))
        found.push(`${element.tagName} ${name}=${attribute.value}`);
    }
    if (element.tagName.toLowerCase() === "script" && payload.test(element.textContent))
      found.push("script: " + element.textContent.slice(0, 80));
  }
  return found;
}"""


def test_every_page_in_both_languages_keeps_sql_text_as_text(
    hostile_site: Path, browser: Any
) -> None:
    pages = site_pages(hostile_site)
    assert any(p.startswith("en/schema/tables/") for p in pages), pages
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    context.add_init_script(PLANT_TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"),
                                      dialog.dismiss()))  # fmt: skip
    titles: list[str] = []
    texts: list[str] = []
    with serve(hostile_site) as url:
        for path in pages:
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("load")
            page.mouse.move(700, 400)  # hover handlers get their chance
            found = page.evaluate(FIND_PLANTED)
            assert not found, f"{path}: SQL text became markup: {found}"
            assert page.evaluate(f"window.{PLANTED}") == [], f"{path}: planted code ran"
            titles.append(page.title())
            texts.append(page.locator("article").inner_text())
        search_for(page, f"{url}/en/", HIT)
    context.close()
    assert not dialogs, dialogs
    # The title is the name as text, in both languages.
    assert sum(TITLE_BREAKOUT in title for title in titles) == 2, titles
    assert sum(DROPPED_NAME in title for title in titles) == 2, titles
    # Every name is shown as written somewhere (not swallowed as markup).
    shown = "\n".join(texts)
    assert [name for name in NAMES if name not in shown] == []


def search_for(page: Any, url: str, query: str) -> None:
    """Search renders results (names and comments) as text as well."""
    page.goto(url)
    field = page.locator("input.md-search__input")
    field.click()
    items = page.locator("li.md-search-result__item")
    for _attempt in range(12):
        field.fill("")
        field.press_sequentially(query[:12])
        try:
            items.first.wait_for(state="visible", timeout=5_000)
            break
        except sync_api.TimeoutError:
            continue
    assert page.evaluate(FIND_PLANTED) == []
    assert page.evaluate(f"window.{PLANTED}") == []
