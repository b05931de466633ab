"""A reader of a PostgreSQL project's site in Debian's headless Chromium, at desktop and
phone sizes: enum types with their values, a column that links to its enum, functions
with the triggers that run them, a view's columns, tables grouped by schema, and
``COMMENT ON`` descriptions with their source, in both languages.

The project is kestra's real Flyway folder (``../shared/corpus/kestra-postgres``: enums,
plpgsql functions, triggers) with one migration added for what it lacks: a second
schema, a view, comments, and an enum label and a function name made of markup. It is set
up as a user would: ``erdgen init``, ``erdgen build``, ``mkdocs build``. What the pages
must show is taken from ``erdgen export`` of the same folder, whose PostgreSQL keys
``tests/postgres/test_pg_export.py`` compares with PostgreSQL's catalog.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    PLANT_TRAP,
    PLANTED,
    chromium_session,
    copy_screenshots,
    run_ok,
    serve,
)
from site_build import ENV
from test_browser_hostile import FIND_PLANTED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")

KESTRA = Path(__file__).parents[1].parent / "shared" / "corpus" / "kestra-postgres"
HIT = f"{PLANTED}_hit"
LABEL = f"<img src=x onerror={HIT}(21)>"
FUNCTION = f"note<svg onload={HIT}(23)>"
READERS = f"""\
-- Objects for readers of the docs: a second schema, a view, comments, odd names.
CREATE SCHEMA audit;
CREATE TYPE audit.outcome AS ENUM ('ok', 'failed', '{LABEL}');
COMMENT ON TYPE audit.outcome IS 'How a run ended <script>{HIT}(22)</script>';
CREATE TABLE audit.runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flow_key varchar(250),
  state state_type NOT NULL DEFAULT 'CREATED',
  outcome audit.outcome,
  noted_at timestamptz DEFAULT now()
);
COMMENT ON TABLE audit.runs IS 'Every run of a flow, kept for audits';
COMMENT ON COLUMN audit.runs.outcome IS 'Set when the run ends';
CREATE FUNCTION audit."{FUNCTION}"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.noted_at := now(); RETURN NEW; END $$;
COMMENT ON FUNCTION audit."{FUNCTION}"() IS 'Stamps noted_at';
CREATE TRIGGER runs_noted BEFORE INSERT OR UPDATE ON audit.runs
  FOR EACH ROW EXECUTE FUNCTION audit."{FUNCTION}"();
CREATE VIEW audit.failed_runs AS
  SELECT r.id, r.flow_key, r.state, r.noted_at AS failed_at
  FROM audit.runs r WHERE r.outcome = 'failed';
"""
LANGUAGES = {"de": "", "en": "en/"}  # URL prefix of each language
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not KESTRA.is_dir():
        pytest.skip(f"no corpus of real migration folders at {KESTRA.parent}")
    project = tmp_path_factory.mktemp("kestra")
    shutil.copytree(KESTRA, project / "migrations")
    (project / "migrations" / "V1_28__docs_for_readers.sql").write_text(READERS, "utf-8")
    run_ok([sys.executable, "-m", "erdgen.cli", "init", "."], project)
    run_ok([sys.executable, "-m", "erdgen.cli", "build"], project)
    # not --strict: the plugin repeats erdgen's warnings (kestra's DO blocks) as MkDocs'
    run_ok([sys.executable, "-m", "mkdocs", "build", "-d", "site"], project)
    return project


@pytest.fixture(scope="module")
def model(project: Path) -> dict[str, Any]:
    """What the pages must show: the export of the same folder."""
    result = subprocess.run(
        [sys.executable, "-m", "erdgen.cli", "export", "--no-verify", "migrations"],
        cwd=project, env=ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("pg-screenshots")
    yield folder
    copy_screenshots(folder)


@pytest.fixture(params=list(SIZES))
def reader(request: pytest.FixtureRequest, browser: Any, project: Path) -> Iterator[Any]:
    """A page at one size, with the trap for planted code; fails on script errors."""
    context = browser.new_context(viewport=SIZES[request.param])
    context.add_init_script(PLANT_TRAP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    with serve(project / "site") as url:
        page.base = url  # type: ignore[attr-defined]
        page.size = request.param  # type: ignore[attr-defined]
        yield page
        assert page.evaluate(f"window.{PLANTED}") == [], "text from SQL ran as script"
        # closed while the site is served: the search worker may still be loading its
        # scripts, and a server stopped under it made that a script error of its own
        context.close()
    assert not problems, problems


def visit(page: Any, path: str) -> None:
    page.goto(f"{page.base}/{path}")
    page.wait_for_load_state("load")
    page.mouse.move(200, 300)  # hover handlers get their chance
    assert page.evaluate(f"window.{PLANTED}") == [], f"{path}: text from SQL ran as script"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{path}: the page scrolls sideways"


def plain(heading: str) -> str:
    """A heading's text without the permalink sign."""
    return heading.removesuffix("¶").strip()


def shoot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{page.size}-{name}.png"))


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_enum_pages_list_the_values_in_order(
    reader: Any, model: dict[str, Any], screenshots: Path, language: str
) -> None:
    visit(reader, f"{LANGUAGES[language]}schema/types/")
    article = reader.locator("article")
    for enum in model["enums"]:
        heading = article.locator("h3", has=reader.locator("code", has_text=enum["name"]))
        sync_api.expect(heading.first).to_be_visible()
        values = heading.first.locator("xpath=following-sibling::ol[1]/li")
        assert values.all_inner_texts() == enum["values"], enum["name"]
    shoot(reader, screenshots, f"types-{language}")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_column_links_to_its_enum(reader: Any, screenshots: Path, language: str) -> None:
    visit(reader, f"{LANGUAGES[language]}schema/tables/executions/")
    row = reader.locator("article tr", has=reader.locator('a[id="c-state_current"]'))
    link = row.locator("a", has_text=re.compile(r"^state_type$"))
    link.scroll_into_view_if_needed()
    shoot(reader, screenshots, f"executions-{language}")
    link.click()
    reader.wait_for_url(re.compile(r"/schema/types/#e-state_type$"))
    target = reader.locator('[id="e-state_type"]')
    sync_api.expect(target).to_be_in_viewport()
    sync_api.expect(target).to_contain_text("state_type")


def test_functions_are_listed_with_the_triggers_that_run_them(
    reader: Any, model: dict[str, Any], screenshots: Path
) -> None:
    visit(reader, "en/schema/functions/")
    headings = reader.locator("article h2").all_inner_texts()
    wanted = [f"{f['name']}({f['arguments']})" for f in model["functions"]]
    assert [plain(h) for h in headings] == wanted
    hostile = reader.locator("article h2", has_text=FUNCTION)
    sync_api.expect(hostile).to_be_visible()  # the name as text, not markup
    block = hostile.locator("xpath=following-sibling::p[position() <= 3]")
    text = " ".join(block.all_inner_texts())
    assert "returns trigger" in text and "plpgsql" in text
    assert "Stamps noted_at" in text and "from COMMENT ON in the migrations" in text
    assert "runs_noted" in text
    shoot(reader, screenshots, "functions-en")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_view_shows_its_columns_and_the_tables_it_reads(
    reader: Any, model: dict[str, Any], screenshots: Path, language: str
) -> None:
    visit(reader, f"{LANGUAGES[language]}schema/objects/")
    (view,) = model["views"]
    section = reader.locator("article h3", has_text=view["name"])
    sync_api.expect(section).to_be_visible()
    paragraphs = section.locator("xpath=following-sibling::p[position() <= 2]").all_inner_texts()
    lines = "\n".join(paragraphs)
    shown = re.search(r"^(?:Columns|Spalten): (.*)$", lines, re.MULTILINE)
    assert shown is not None, lines
    assert [c.strip() for c in shown.group(1).split(",")] == view["columns"]
    assert "audit.runs" in lines  # the table it reads
    section.scroll_into_view_if_needed()
    shoot(reader, screenshots, f"objects-{language}")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_tables_and_diagrams_are_grouped_by_schema_with_comment_on_as_source(
    reader: Any, screenshots: Path, language: str
) -> None:
    visit(reader, f"{LANGUAGES[language]}schema/")
    article = reader.locator("article")
    groups = article.locator("h3", has_text=re.compile(r"^Schema "))
    assert [plain(g) for g in groups.all_inner_texts()][:2] == ["Schema public", "Schema audit"]
    runs = article.locator("tr", has=reader.locator("a", has_text="audit.runs")).first
    sync_api.expect(runs).to_contain_text("Every run of a flow, kept for audits")
    source = runs.locator("small.erdgen-source")
    sync_api.expect(source).to_have_attribute("title", re.compile("COMMENT ON"))
    # One diagram per schema, each under its schema's heading.
    diagrams = article.locator('[id^="group-"]')
    assert {d.get_attribute("id") for d in diagrams.all()} >= {"group-public", "group-audit"}
    shoot(reader, screenshots, f"overview-{language}")


def test_the_navigation_lists_the_types_and_functions_pages(reader: Any) -> None:
    visit(reader, "en/schema/")
    links = reader.locator("nav.md-nav--primary a.md-nav__link")
    hrefs = [h or "" for h in (a.get_attribute("href") for a in links.all())]
    assert any(h.endswith("types/") for h in hrefs), hrefs
    assert any(h.endswith("functions/") for h in hrefs), hrefs


def test_an_enum_leads_to_the_migration_that_made_it(reader: Any, screenshots: Path) -> None:
    visit(reader, "en/schema/types/")
    heading = reader.locator('[id^="e-audit-outcome"]')
    lifetime = "xpath=following-sibling::p[a[contains(@href, 'migrations/')]][1]"
    created = heading.locator(lifetime).locator("a").first
    created.click()
    reader.wait_for_url(re.compile(r"/en/schema/migrations/[^/]+/$"))
    visit(reader, reader.url.removeprefix(reader.base + "/"))
    objects = reader.locator("article h2", has_text="Types, functions and other objects")
    items = objects.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    assert "schema audit created" in items
    assert f"enum audit.outcome created with the values ok, failed, {LABEL}" in items
    assert f"function audit.{FUNCTION}() created" in items
    objects.scroll_into_view_if_needed()
    shoot(reader, screenshots, "migration-en")


def test_every_page_with_markup_from_sql_keeps_it_as_text(browser: Any, project: Path) -> None:
    """The enum label, function name and comment made of markup, on every page that has
    them (table, types, functions, objects, migration, timeline pages in both languages)."""
    site = project / "site"
    paths = sorted(
        html.parent.relative_to(site).as_posix() + "/"
        for html in site.rglob("index.html")
        if HIT in html.read_text(encoding="utf-8")
    )
    assert len(paths) >= 8, paths
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(PLANT_TRAP)
    page = context.new_page()
    with serve(site) as url:
        for path in paths:
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("load")
            page.mouse.move(700, 400)
            assert page.evaluate(FIND_PLANTED) == [], path
            assert page.evaluate(f"window.{PLANTED}") == [], path
    context.close()
