"""Expand folder entries of an mkdocs.yml ``nav`` into the pages inside them.

MkDocs 1.6 lists pages one by one, but erdgen's pages depend on the migrations (one per
table). A nav entry that names a folder (``- Schema: schema/``) becomes a section holding
that folder's pages: ``index.md`` first, then the other pages and subfolders by name.
Only default-language files are listed; mkdocs-static-i18n swaps in ``page.en.md`` for
English. Plain data in, plain data out: the plugin calls this before MkDocs reads the nav.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NavItem = str | dict[str, Any]


def expand_folders(nav: Sequence[NavItem], docs_dir: Path, languages: Sequence[str]) -> list[Any]:
    """``nav`` with every folder entry (a path ending in ``/``) replaced by its pages."""
    return [_expand_item(item, docs_dir, languages) for item in nav]


def _expand_item(item: NavItem, docs_dir: Path, languages: Sequence[str]) -> Any:
    if isinstance(item, str):
        if _is_folder(item):
            return {folder_title(item): _folder_pages(docs_dir / item, docs_dir, languages)}
        return item
    title, value = next(iter(item.items()))
    if isinstance(value, list):
        return {title: expand_folders(value, docs_dir, languages)}
    if isinstance(value, str) and _is_folder(value):
        return {title: _folder_pages(docs_dir / value, docs_dir, languages)}
    return item


def _is_folder(value: str) -> bool:
    return value.endswith("/") and "://" not in value


def folder_title(path: str) -> str:
    """The title MkDocs itself gives a folder: ``ai-jobs/`` -> ``Ai jobs``."""
    title = Path(path.rstrip("/")).name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _folder_pages(folder: Path, docs_dir: Path, languages: Sequence[str]) -> list[Any]:
    if not folder.is_dir():
        return []
    pages = sorted(
        (p for p in folder.iterdir() if p.is_file() and _is_default_page(p, languages)),
        key=lambda p: (p.name != "index.md", p.name),
    )
    entries: list[Any] = [_entry(p, p.relative_to(docs_dir).as_posix()) for p in pages]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        children = _folder_pages(sub, docs_dir, languages)
        if children:
            entries.append({folder_title(sub.name): children})
    return entries


_NAV_TITLE = re.compile(r'^nav_title: (".*")$', re.MULTILINE)


def _entry(page: Path, path: str) -> NavItem:
    """``path``, or ``{title: path}`` when the page's front matter names its ``nav_title``
    (erdgen's table pages: the table's name alone, as HTML)."""
    with page.open(encoding="utf-8") as file:
        head = file.read(4096)
    if not head.startswith("---\n"):
        return path
    front = head[4:].split("\n---\n", 1)[0]
    found = _NAV_TITLE.search(front)
    return {json.loads(found.group(1)): path} if found else path


def _is_default_page(path: Path, languages: Sequence[str]) -> bool:
    """A Markdown page without a language suffix (``x.md``, not ``x.en.md``)."""
    if path.suffix != ".md":
        return False
    return Path(path.stem).suffix.lstrip(".") not in languages
