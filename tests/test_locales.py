"""The UI catalogs: the same keys and placeholders in both languages, and no mixed pages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import parse_descriptions
from erdgen.render.diagrams import legend_items
from erdgen.render.pages import load_catalog, render_pages

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("de", "en")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    de, en = load_catalog("de").entries, load_catalog("en").entries
    assert sorted(de) == sorted(en)
    for key in de:
        german, english = de[key], en[key]
        assert type(german) is type(english), key
        if isinstance(german, str) and isinstance(english, str):
            assert placeholders(german) == placeholders(english), key
        elif not isinstance(german, str) and not isinstance(english, str):
            assert set(german) == set(english) == {"one", "other"}, key
            for form in german:
                assert placeholders(german[form]) == placeholders(english[form]), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_diagram_symbol_is_explained_in_each_language(language: str) -> None:
    catalog = load_catalog(language)
    for kind in ("schema", "migration"):
        for item in legend_items(kind):
            assert catalog.t(f"legend.{item.key}").strip(), (kind, item.key)


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}


def catalog_words(language: str) -> set[str]:
    found: set[str] = set()
    for entry in load_catalog(language).entries.values():
        for text in [entry] if isinstance(entry, str) else entry.values():
            found |= words(re.sub(r"\{\w+\}", " ", text))
    return found


def prose(page: str) -> str:
    """The page without code, SQL, SVG and link targets: what is left is UI text and data."""
    page = re.sub(r"\A---\n[\s\S]*?\n---\n", " ", page)  # the title: the heading's text
    page = re.sub(r"(`{3,})[\s\S]*?\1", " ", page)
    page = re.sub(r"<div class=\"erdgen-diagram\"[\s\S]*?</div>", " ", page)
    page = re.sub(r"(`+).*?\1", " ", page)
    page = re.sub(r"<[^>]*>", " ", page)  # tags and their attributes (anchors, classes)
    return re.sub(r"\]\([^)]*\)", "] ", page)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The bundled site, with every description replaced by a marker in its own language."""
    history = load_history(ROOT / "migrations", ROOT)
    marker = {"de": "Beschreibung", "en": "Description"}
    tables: dict[str, object] = {}
    for step in history.steps:
        for table in step.schema.tables:
            tables[table.name] = {**marker, "columns": {c.name: marker for c in table.columns}}
    sidecar = {"migrations": {m.id: marker for m in history.migrations}, "tables": tables}
    descriptions = parse_descriptions(yaml.safe_dump(sidecar))
    rendered = render_pages(history, descriptions, Config(project_dir=ROOT, title="Demo"))
    return {path: content.decode("utf-8") for path, content in rendered.items()}


@pytest.mark.parametrize(("language", "other"), [("de", "en"), ("en", "de")])
def test_no_ui_text_of_the_other_language_appears(
    pages: dict[str, str], language: str, other: str
) -> None:
    foreign = catalog_words(other) - catalog_words(language)
    assert foreign, "the catalogs should differ"
    suffix = ".md" if language == "de" else f".{language}.md"
    checked = [p for p in pages if p.endswith(suffix) and (language != "de" or ".en." not in p)]
    assert checked
    for path in checked:
        leaked = words(prose(pages[path])) & foreign
        assert not leaked, f"{path}: {sorted(leaked)}"
