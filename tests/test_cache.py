"""erdgen's cache: a hit gives the same bytes as rendering anew, and any changed input misses."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.render.pages import render_pages
from erdgen.site.build import build, render_site

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
    written_pages = [path for path in result.written if path.endswith(".md")]
    assert len(rendered) == len(written_pages) == 10
    assert "tables/users.md" in result.written
    # The only new drawing is the new migration's, as its own SVG file in each language.
    drawings = sorted(path for path in result.written if not path.endswith(".md"))
    assert drawings == [
        "migrations/0003/migration-0003.en.svg",
        "migrations/0003/migration-0003.svg",
    ]
    assert not any("posts" in path for path in result.written)


def test_migration_diagrams_are_drawn_again_only_when_their_inputs_change(
    tmp_path: Path,
) -> None:
    write_folder(
        tmp_path / "migrations",
        {
            "0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
            "0002_posts.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER"
            " REFERENCES users (id));",
        },
    )
    config = Config(project_dir=tmp_path, migrations_dir="migrations", quiet=True)
    fresh = render_site(config).files
    entries = tmp_path / ".erdgen-cache" / "diagrams"
    drawn = set(entries.iterdir())
    assert len(drawn) == 2  # one per migration
    assert render_site(config).files == fresh and set(entries.iterdir()) == drawn
    # A hit is read: a marked entry shows through on the migration's page.
    first = min(drawn, key=lambda p: json.loads(p.read_text())["key"])
    entry = json.loads(first.read_text())
    first.write_text(json.dumps({**entry, "dot": entry["dot"].replace("users", "cached")}))
    assert "cached" in render_site(config).files["migrations/0001.md"].decode()
    # An index changes no table page: the earlier diagrams are kept, one is new.
    write_folder(tmp_path / "migrations", {"0003_i.sql": "CREATE INDEX e ON users (email);"})
    render_site(config)
    assert drawn < set(entries.iterdir()) and len(set(entries.iterdir())) == 3
    # A new table adds a page that diagrams may link to: every diagram is drawn again.
    write_folder(tmp_path / "migrations", {"0004_t.sql": "CREATE TABLE tags (id INTEGER);"})
    site = render_site(config).files
    assert len(set(entries.iterdir())) == 3 + 4
    assert "cached" not in site["migrations/0001.md"].decode()


def test_a_build_sweeps_entries_no_build_used_for_a_day(tmp_path: Path) -> None:
    write_folder(tmp_path / "migrations", {"0001_t.sql": "CREATE TABLE t (id INTEGER);"})
    config = Config(project_dir=tmp_path, migrations_dir="migrations", quiet=True)
    build(config)
    cache = tmp_path / ".erdgen-cache"
    used = sorted(p for p in cache.rglob("*") if p.is_file() and "sqlite" not in p.parts)
    assert used  # pages, diagrams, SVGs
    two_days_ago = time.time() - 2 * 24 * 3600
    stale = cache / "pages" / ("0" * 64)
    stale.write_bytes(b"a page of an older build")
    for path in [*used, stale, *(cache / "sqlite").iterdir()]:
        os.utime(path, (two_days_ago, two_days_ago))
    # A change makes the build render: what it reads again is renewed, the rest goes.
    write_folder(tmp_path / "migrations", {"0002_u.sql": "CREATE TABLE u (id INTEGER);"})
    build(config)
    assert not stale.exists()
    kept = [p for p in used if p.exists()]
    assert kept and len(kept) < len(used)  # reused, and renewed; the rest is gone
    day_ago = time.time() - 24 * 3600
    left = [p for p in cache.rglob("*") if p.is_file() and "sqlite" not in p.parts]
    assert all(p.stat().st_mtime > day_ago for p in left)
    assert any((cache / "sqlite").iterdir())  # SQLite's states keep their own last few
