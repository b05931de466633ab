"""The built docs site: strict build, no broken link in either language, per-language search.

`mkdocs build --strict` alone misses raw-HTML paths that break under /en/, so a link checker
reads every built page and resolves every local href and src against the built files.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_build import REPO, BuiltSite, build_once

from erdgen.config import OPTION_NAMES
from erdgen.site.mkdocs_plugin import ErdgenPluginConfig
from erdgen.site.nav import NavItem, expand_folders
from erdgen.site.search_index import point_search_at_language, split_search_index

LINK_ATTRIBUTES = ("href", "src", "xlink:href")
NOT_PAGES = ("assets/", "search/", "en/assets/", "en/search/")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory)


@dataclass
class ParsedPage:
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    ids: set[str] = field(default_factory=set)
    config_base: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> href
    svg_titles: list[str] = field(default_factory=list)
    svg_text_outside_exclusion: int = 0


class _PageParser(HTMLParser):
    """Collects what the checks need; SVG inside HTML is parsed like any other element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._stack: list[tuple[str, bool]] = []  # (tag, inside data-search-exclude)
        self._in_config = False
        self._in_svg_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        excluded = (bool(self._stack) and self._stack[-1][1]) or "data-search-exclude" in values
        if tag not in _VOID:
            self._stack.append((tag, excluded))
        for name in LINK_ATTRIBUTES:
            if values.get(name):
                self.page.links.append((tag, values[name]))
        for name in ("id", "name"):
            if values.get(name) and tag != "meta":
                self.page.ids.add(values[name])
        in_svg = any(t == "svg" for t, _ in self._stack)
        if tag == "text" and in_svg and not excluded:  # diagram text, not an icon's path
            self.page.svg_text_outside_exclusion += 1
        if tag == "a" and "md-select__link" in values.get("class", ""):
            self.page.alternates[values.get("hreflang", "")] = values.get("href", "")
        self._in_config = tag == "script" and values.get("id") == "__config"
        self._in_svg_title = tag == "title" and any(t == "svg" for t, _ in self._stack)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break
        self._in_config = self._in_svg_title = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.page.config_base = json.loads(data)["base"]
        elif self._in_svg_title and data.strip():
            self.page.svg_titles.append(data.strip())


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def parse_page(path: Path) -> ParsedPage:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


def html_pages(site: Path) -> Iterator[Path]:
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if not relative.startswith(NOT_PAGES):
            yield path


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The built file a local link points to, and its fragment; None for external links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "javascript:")):
        return None
    # A root-relative link ("/en/", the home page's language links, 404.html) assumes the
    # site is served at the root, as the browser test serves it.
    start = "." if parts.path.startswith("/") else page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(start, unquote(parts.path).lstrip("/")))
    path = site / target
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


# --- the real build --------------------------------------------------------------------------


def test_strict_build_has_no_warnings(built: BuiltSite) -> None:
    assert "WARNING" not in built.mkdocs_log
    assert (built.site / "index.html").is_file()
    assert (built.site / "en" / "index.html").is_file()


def test_cli_and_plugin_generate_the_same_files(built: BuiltSite) -> None:
    """`erdgen build` ran first; the plugin, reading the same options, finds nothing to change."""
    assert "written" in built.erdgen_output
    assert "erdgen: wrote" not in built.mkdocs_log


def test_every_local_link_resolves_in_both_languages(built: BuiltSite) -> None:
    broken: list[str] = []
    checked = 0
    pages = {path: parse_page(path) for path in html_pages(built.site)}
    for path, page in pages.items():
        for tag, url in page.links:
            resolved = resolve(built.site, path, url)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            where = f"{path.relative_to(built.site)}: <{tag}> {url}"
            if not target.resolve().is_relative_to(built.site.resolve()):
                broken.append(f"{where} leaves the site")
            elif not target.is_file():
                broken.append(f"{where} -> missing {target.relative_to(built.site)}")
            elif fragment and target in pages and fragment not in pages[target].ids:
                broken.append(f"{where} -> no #{fragment} in {target.relative_to(built.site)}")
    assert not broken, "\n".join(broken)
    assert checked > 1000  # the checker really looked


def test_diagram_links_resolve_under_en(built: BuiltSite) -> None:
    """The links inside an English page's SVG lead to English pages."""
    page_path = built.site / "en" / "schema" / "tables" / "ai_jobs" / "index.html"
    page = parse_page(page_path)
    svg_links = [url for tag, url in page.links if tag == "a" and "users" in url]
    assert svg_links
    for url in svg_links:
        resolved = resolve(built.site, page_path, url)
        assert resolved is not None
        assert resolved[0].relative_to(built.site).as_posix().startswith("en/")


def test_every_german_page_has_an_english_twin_and_the_switcher_links_it(
    built: BuiltSite,
) -> None:
    german = [p for p in html_pages(built.site) if p.relative_to(built.site).parts[0] != "en"]
    assert len(german) > 20
    for path in german:
        relative = path.relative_to(built.site)
        if relative.as_posix() == "404.html":
            continue
        twin = built.site / "en" / relative
        assert twin.is_file(), f"no English page for {relative}"
        switch_to_en = parse_page(path).alternates["en"]
        assert resolve(built.site, path, switch_to_en) == (twin, ""), relative
        switch_to_de = parse_page(twin).alternates["de"]
        assert resolve(built.site, twin, switch_to_de) == (path, ""), relative


def test_english_pages_are_in_english(built: BuiltSite) -> None:
    html = (built.site / "en" / "schema" / "tables" / "ai_jobs" / "index.html").read_text()
    assert '<html lang="en"' in html
    german = (built.site / "schema" / "tables" / "ai_jobs" / "index.html").read_text()
    assert '<html lang="de"' in german


# --- search ----------------------------------------------------------------------------------


def load_index(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_each_language_has_its_own_search_index(built: BuiltSite) -> None:
    german = load_index(built.site / "search" / "search_index.json")
    english = load_index(built.site / "en" / "search" / "search_index.json")
    for index, language, root in ((german, "de", built.site), (english, "en", built.site / "en")):
        assert index["config"]["lang"] == [language]  # type: ignore[index]
        docs = index["docs"]
        assert isinstance(docs, list) and len(docs) > 50
        for entry in docs:
            assert not entry["location"].startswith("en/")
            page = entry["location"].split("#")[0]
            assert (root / page / "index.html").is_file() or (root / page).is_file(), entry
    titles_de = {e["title"] for e in german["docs"]}  # type: ignore[attr-defined]
    titles_en = {e["title"] for e in english["docs"]}  # type: ignore[attr-defined]
    assert "Einrichtung und Migration" in str(titles_de) or "Setup und Migration" in titles_de
    assert "Setup and migration" in titles_en
    assert "Setup and migration" not in titles_de


def test_english_pages_load_the_english_index(built: BuiltSite) -> None:
    for path in html_pages(built.site):
        page = parse_page(path)
        assert page.config_base is not None, path
        root = resolve(built.site, path, page.config_base.rstrip("/") + "/")
        assert root is not None
        in_english = path.relative_to(built.site).parts[0] == "en"
        expected = built.site / "en" if in_english else built.site
        assert root[0] == expected / "index.html", path


def test_diagram_text_stays_out_of_the_search_index(built: BuiltSite) -> None:
    edge_titles: set[str] = set()  # e.g. "ai_jobs(user_id) → users(id): ..." only in SVGs
    for path in html_pages(built.site):
        page = parse_page(path)
        assert not page.svg_text_outside_exclusion, f"{path}: SVG text outside data-search-exclude"
        edge_titles.update(t for t in page.svg_titles if "→" in t or "->" in t)
    assert edge_titles, "no diagram with edges found: is the check still meaningful?"
    for index_path in (built.site / "search" / "search_index.json",
                       built.site / "en" / "search" / "search_index.json"):  # fmt: skip
        docs = json.loads(index_path.read_text(encoding="utf-8"))["docs"]
        text = "\n".join(entry["title"] + "\n" + entry["text"] for entry in docs)
        assert "<svg" not in text
        for title in edge_titles:
            assert title not in text, f"diagram text {title!r} in {index_path}"


# --- the plugin's pieces, without a build ----------------------------------------------------


def test_plugin_options_are_exactly_the_config_options() -> None:
    assert set(ErdgenPluginConfig().keys()) == OPTION_NAMES


def test_folder_nav_entry_lists_default_language_pages(tmp_path: Path) -> None:
    for name in ("index.md", "index.en.md", "timeline.md", "timeline.en.md",
                 "tables/b.md", "tables/a.md", "tables/a.en.md", "diagrams/x.svg"):  # fmt: skip
        (tmp_path / "schema" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "schema" / name).write_text("# x\n")
    nav: list[NavItem] = [{"Home": "index.md"}, {"Schema": "schema/"}, "other.md"]
    assert expand_folders(nav, tmp_path, ["de", "en"]) == [
        {"Home": "index.md"},
        {"Schema": [
            "schema/index.md",
            "schema/timeline.md",
            {"Tables": ["schema/tables/a.md", "schema/tables/b.md"]},
        ]},
        "other.md",
    ]  # fmt: skip


def test_search_index_split_is_idempotent(tmp_path: Path) -> None:
    index = {
        "config": {"lang": ["de", "en"], "separator": "[\\s\\-]+"},
        "docs": [
            {"location": "", "title": "Start", "text": "Hallo"},
            {"location": "en/", "title": "Home", "text": "Hello"},
            {"location": "en/x/#a", "title": "A", "text": "a"},
        ],
    }
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    split_search_index(tmp_path, ["de", "en"], "de")
    first = {p: p.read_bytes() for p in tmp_path.rglob("*.json")}
    split_search_index(tmp_path, ["de", "en"], "de")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.json")} == first
    english = json.loads((tmp_path / "en" / "search" / "search_index.json").read_text())
    assert [d["location"] for d in english["docs"]] == ["", "x/#a"]
    assert english["config"] == {"lang": ["en"], "separator": "[\\s\\-]+"}


def test_config_base_moves_to_the_language_root() -> None:
    html = '<script id="__config" type="application/json">{"base": "../..", "x": "<"}</script>'
    rebased = point_search_at_language(html, "en")
    assert '"base": "../../en/"' in rebased
    assert "</script>" not in rebased.split(">", 1)[1].rsplit("</script>", 1)[0]


def test_export_docs_name_every_field_the_export_has() -> None:
    """docs/erdgen/export*.md describe the JSON that `erdgen export` really prints."""
    from erdgen.core.history import load_history
    from erdgen.formats.json import export_data

    data = export_data(load_history(REPO / "migrations", REPO))
    fields: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            fields.update(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    for name in ("export.md", "export.en.md"):
        text = (REPO / "docs" / "erdgen" / name).read_text(encoding="utf-8")
        missing = sorted(f for f in fields if f"`{f}`" not in text and f"`{f}[]`" not in text)
        assert not missing, f"{name} does not describe {missing}"
