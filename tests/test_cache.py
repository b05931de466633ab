"""erdgen's cache: a hit gives the same bytes as rendering anew, and any changed input misses."""

from __future__ import annotations

from pathlib import Path

from erdgen.build import build
from erdgen.config import Config
from erdgen.descriptions import load_descriptions
from erdgen.history import load_history
from erdgen.pages import render_pages

ROOT = Path(__file__).resolve().parent.parent
HISTORY = load_history(ROOT / "migrations", ROOT)
DESCRIPTIONS = load_descriptions(ROOT / "docs" / "schema.yml")


def test_cached_pages_are_the_pages(tmp_path: Path) -> None:
    config = Config(project_dir=ROOT, title="Evolution Hub")
    fresh = render_pages(HISTORY, DESCRIPTIONS, config)
    first = render_pages(HISTORY, DESCRIPTIONS, config, cache_dir=tmp_path)
    assert first == fresh
    entries = sorted(tmp_path.iterdir())
    assert len(entries) == len(fresh)  # one entry per page and language
    assert render_pages(HISTORY, DESCRIPTIONS, config, cache_dir=tmp_path) == fresh
    assert sorted(tmp_path.iterdir()) == entries


def test_a_hit_is_read_and_a_changed_input_misses(tmp_path: Path) -> None:
    config = Config(project_dir=ROOT, title="Evolution Hub")
    render_pages(HISTORY, DESCRIPTIONS, config, cache_dir=tmp_path)
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"from the cache\n")
    served = render_pages(HISTORY, DESCRIPTIONS, config, cache_dir=tmp_path)
    assert set(served.values()) == {b"from the cache\n"}
    # The site title is not part of any context; it must still reach the key.
    retitled = Config(project_dir=ROOT, title="Another title")
    rendered = render_pages(HISTORY, DESCRIPTIONS, retitled, cache_dir=tmp_path)
    assert rendered == render_pages(HISTORY, DESCRIPTIONS, retitled)
    assert b"from the cache\n" not in rendered.values()


def write_folder(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")


def test_one_new_migration_renders_only_the_pages_it_changes(tmp_path: Path) -> None:
    migrations = {
        "0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
        "0002_posts.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);",
    }
    write_folder(tmp_path / "migrations", migrations)
    config = Config(project_dir=tmp_path, migrations_dir="migrations", quiet=True)
    build(config)
    pages = tmp_path / ".erdgen-cache" / "pages"
    before = set(pages.iterdir())
    write_folder(tmp_path / "migrations", {"0003_email.sql": "CREATE INDEX e ON users (email);"})
    result = build(config)
    rendered = set(pages.iterdir()) - before
    # Rendered anew: exactly the pages that changed. The new migration's page and those
    # that list or link it (index, timeline, the previous migration, users), both languages.
    assert len(rendered) == len(result.written) == 10
    assert "tables/users.md" in result.written
    assert not any("posts" in path for path in result.written)
