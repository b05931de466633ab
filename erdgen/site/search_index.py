"""One search index per language for a built MkDocs Material site.

Material loads ``search/search_index.json`` relative to the ``base`` in each page's
``__config`` script. With mkdocs-static-i18n every page's base is the site root, so both
languages share one index and an English reader gets German results too. erdgen
splits that index after the build (the default language stays at the root, every other
language gets ``<lang>/search/search_index.json``) and points the pages of the other
languages at their own folder. Plain functions over files and text: no MkDocs here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

INDEX_PATH = Path("search") / "search_index.json"

_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL
)


def split_search_index(site_dir: Path, languages: Sequence[str], default_language: str) -> None:
    """Give every language its own search index, with locations relative to its root.

    Idempotent: a language without entries in the root index (already split, or not
    built yet) keeps the index it has, so running this again changes nothing.
    """
    root_index = site_dir / INDEX_PATH
    if not root_index.is_file():
        return
    index = json.loads(root_index.read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = index["docs"]
    for language in languages:
        if language == default_language:
            continue
        prefix = f"{language}/"
        own = [entry for entry in docs if entry["location"].startswith(prefix)]
        if not own:
            continue
        docs = [entry for entry in docs if not entry["location"].startswith(prefix)]
        relocated = [{**entry, "location": entry["location"][len(prefix) :]} for entry in own]
        _write_index(site_dir / language / INDEX_PATH, index, relocated, language)
    _write_index(root_index, index, docs, default_language)


def _write_index(
    path: Path, template: dict[str, Any], docs: list[dict[str, Any]], language: str
) -> None:
    # Only this language's stemmer and stop words: the other one would mangle its words.
    config = {**template["config"], "lang": [language]}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({**template, "config": config, "docs": docs}, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def language_of(url: str, languages: Sequence[str], default_language: str) -> str:
    """The language a built page belongs to, from its URL (``en/...`` is English)."""
    first = url.split("/", 1)[0]
    if first in languages and first != default_language:
        return first
    return default_language


def point_search_at_language(html: str, language: str) -> str:
    """Make a page of a non-default language load ``<lang>/search/search_index.json``.

    Material resolves the index and every result link against ``base``; moving base to
    the language's root makes both land in that language.
    """

    def rebase(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        base = str(config["base"]).rstrip("/")
        config["base"] = f"{base}/{language}/"
        return match.group(1) + _script_json(config) + match.group(3)

    return _CONFIG_SCRIPT.sub(rebase, html, count=1)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element, escaped the way Jinja's ``tojson`` does."""
    text = json.dumps(value, ensure_ascii=False)
    for character, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(character, escape)
    return text


# A column's row on a table page: its anchor, its name, and the row's other cells.
_COLUMN_ROW = re.compile(
    r'<tr>\s*<td[^>]*>[^<]*</td>\s*<td><a id="(c-[^"]+)"></a><code>(.*?)</code>(.*?)</tr>',
    re.DOTALL,
)
_HEADING_NAME = re.compile(r"<h1[^>]*>.*?<code>(.*?)</code>", re.DOTALL)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def add_column_entries(site_dir: Path, tables_prefix: str) -> None:
    """Give every column of every table page its own search entry: title ``table.column``
    (HTML, as Material shows titles), its description as text, and the row's anchor as
    location, so that a search for ``users.email`` lands on that row.

    ``tables_prefix`` is the table pages' URL folder (``schema/tables/``); pages of every
    language are found through their index entries. Idempotent.
    """
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = index["docs"]
    known = {entry["location"] for entry in docs}
    added: list[dict[str, Any]] = []
    for entry in docs:
        location = entry["location"]
        if "#" in location or not _is_table_page(location, tables_prefix):
            continue
        html_file = site_dir / location / "index.html"
        if not html_file.is_file():
            continue
        html = html_file.read_text(encoding="utf-8")
        heading = _HEADING_NAME.search(html)
        if heading is None:
            continue
        for anchor, column, rest in _COLUMN_ROW.findall(html):
            target = f"{location}#{anchor}"
            if target in known:
                continue
            cells = _CELL.findall(rest)
            description = _TAG.sub("", cells[-1]).strip() if cells else ""
            # "users.email" is one word to the default separator: in the text, where a
            # search for it finds the row; the title is the column's name, so that the
            # columns of oidc_clients_allowed_apis do not outrank the table oidc_clients.
            qualified = f"{heading.group(1)}.{column}"
            text = f"<code>{qualified}</code> {description}".strip()
            added.append({"location": target, "title": column, "text": text})
    if added:
        text = json.dumps({**index, "docs": docs + added}, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")


def _is_table_page(location: str, tables_prefix: str) -> bool:
    """``schema/tables/x/`` or, for another language, ``en/schema/tables/x/``."""
    for start in (location, location.partition("/")[2]):
        if start.startswith(tables_prefix):
            rest = start.removeprefix(tables_prefix)
            return rest.count("/") == 1 and rest.endswith("/")
    return False
