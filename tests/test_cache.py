"""erdgen's cache: a hit gives the same bytes as rendering anew, and any changed input misses.

The entries are read and changed with SQLite itself (``tests/cache_entries.py``)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from cache_entries import age_all, overwrite, stored, used

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.render.pages import render_pages
from erdgen.site.build import build, render_site
from erdgen.site.cache import ENTRIES_FILE, Entries

ROOT = Path(__file__).resolve().parent.parent
HISTORY = load_history(ROOT / "migrations", ROOT)
DESCRIPTIONS = load_descriptions(ROOT / "docs" / "schema.yml")


def test_cached_pages_are_the_pages(tmp_path: Path) -> None:
    config = Config(project_dir=ROOT, title="Evolution Hub")
    fresh = render_pages(HISTORY, DESCRIPTIONS, config)
    cache = Entries(tmp_path)
    first = render_pages(HISTORY, DESCRIPTIONS, config, cache=cache)
    assert first == fresh
    cache.save()
    entries = stored(tmp_path)
    assert len(entries) == len(fresh)  # one entry per page and language
    assert sorted(entries.values()) == sorted(fresh.values())
    assert list(tmp_path.iterdir()) == [tmp_path / ENTRIES_FILE]  # one file, no journal left
    again = Entries(tmp_path)
    assert render_pages(HISTORY, DESCRIPTIONS, config, cache=again) == fresh
    again.save()
    assert stored(tmp_path) == entries


def test_a_hit_is_read_and_a_changed_input_misses(tmp_path: Path) -> None:
    config = Config(project_dir=ROOT, title="Evolution Hub")
    cache = Entries(tmp_path)
    render_pages(HISTORY, DESCRIPTIONS, config, cache=cache)
    cache.save()
    for key in stored(tmp_path):
        overwrite(tmp_path, key, b"from the cache\n")
    served = render_pages(HISTORY, DESCRIPTIONS, config, cache=Entries(tmp_path))
    assert set(served.values()) == {b"from the cache\n"}
    # The site title is not part of any context; it must still reach the key.
    retitled = Config(project_dir=ROOT, title="Another title")
    rendered = render_pages(HISTORY, DESCRIPTIONS, retitled, cache=Entries(tmp_path))
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
    cache = tmp_path / ".erdgen-cache"
    before = set(stored(cache, "page/"))
    write_folder(tmp_path / "migrations", {"0003_email.sql": "CREATE INDEX e ON users (email);"})
    result = build(config)
    rendered = set(stored(cache, "page/")) - before
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
    cache = tmp_path / ".erdgen-cache"
    drawn = stored(cache, "diagram/")
    assert len(drawn) == 2  # one per migration
    assert render_site(config).files == fresh and stored(cache, "diagram/") == drawn
    # A hit is read: a marked entry shows through on the migration's page.
    first = min(drawn, key=lambda key: json.loads(drawn[key])["key"])
    entry = json.loads(drawn[first])
    marked = {**entry, "dot": entry["dot"].replace("users", "cached")}
    overwrite(cache, first, json.dumps(marked).encode())
    assert "cached" in render_site(config).files["migrations/0001.md"].decode()
    # An index changes no table page: the earlier diagrams are kept, one is new.
    write_folder(tmp_path / "migrations", {"0003_i.sql": "CREATE INDEX e ON users (email);"})
    render_site(config)
    assert set(drawn) < set(stored(cache, "diagram/")) and len(stored(cache, "diagram/")) == 3
    # A new table adds a page that diagrams may link to: every diagram is drawn again.
    write_folder(tmp_path / "migrations", {"0004_t.sql": "CREATE TABLE tags (id INTEGER);"})
    site = render_site(config).files
    assert len(stored(cache, "diagram/")) == 3 + 4
    assert "cached" not in site["migrations/0001.md"].decode()


def test_a_build_sweeps_entries_no_build_used_for_a_day(tmp_path: Path) -> None:
    write_folder(tmp_path / "migrations", {"0001_t.sql": "CREATE TABLE t (id INTEGER);"})
    config = Config(project_dir=tmp_path, migrations_dir="migrations", quiet=True)
    build(config)
    cache = tmp_path / ".erdgen-cache"
    first = set(stored(cache))
    assert {key.split("/")[0] for key in first} == {"page", "diagram", "svg", "embeddable-svg"}
    two_days_ago = time.time() - 2 * 24 * 3600
    age_all(cache, two_days_ago)
    overwrite(cache, "page/" + "0" * 64, b"a page of an older build", two_days_ago)
    # A file of an erdgen that kept a file per entry, and Jinja's bytecode, go by age.
    old_file = cache / "pages" / ("0" * 64)
    old_file.parent.mkdir()
    old_file.write_bytes(b"a page of an erdgen before the entries file")
    for path in [old_file, *(cache / "sqlite").iterdir()]:
        os.utime(path, (two_days_ago, two_days_ago))
    # A change makes the build render: what it reads again is renewed, the rest goes.
    write_folder(tmp_path / "migrations", {"0002_u.sql": "CREATE TABLE u (id INTEGER);"})
    started = time.time()
    build(config)
    assert not old_file.exists()
    times = used(cache)
    assert "page/" + "0" * 64 not in times
    kept = first & set(times)
    assert kept and len(kept) < len(first)  # reused, and renewed; the rest is gone
    assert all(times[key] >= started for key in times)
    assert any((cache / "sqlite").iterdir())  # SQLite's states keep their own last few
    assert (cache / ENTRIES_FILE).exists()  # however old its file's time


def test_a_damaged_entries_file_is_a_cache_that_misses(tmp_path: Path) -> None:
    config = Config(project_dir=ROOT, title="Evolution Hub")
    fresh = render_pages(HISTORY, DESCRIPTIONS, config)
    (tmp_path / ENTRIES_FILE).write_bytes(b"not a database" * 100)
    cache = Entries(tmp_path)
    assert render_pages(HISTORY, DESCRIPTIONS, config, cache=cache) == fresh
    cache.save()  # the damaged file is made anew
    assert len(stored(tmp_path)) == len(fresh)


def test_entries_of_a_build_in_parallel_are_all_kept(tmp_path: Path) -> None:
    one, other = Entries(tmp_path), Entries(tmp_path)
    one.put("a", b"1")
    other.put("b", b"2")
    assert one.get("b") is None  # not saved yet
    other.save()
    one.save()
    assert stored(tmp_path) == {"a": b"1", "b": b"2"}
    assert Entries(tmp_path).get("b") == b"2"


def test_a_relative_project_folder_reads_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Odd characters of the path must reach SQLite's URI intact.
    project = tmp_path / "a dir?#%20"
    write_folder(project / "migrations", {"0001_t.sql": "CREATE TABLE t (id INTEGER);"})
    monkeypatch.chdir(project)
    config = Config(project_dir=Path(), migrations_dir="migrations", quiet=True)
    first = render_site(config).files
    cache = Entries(Path(".erdgen-cache"))
    assert cache.get(next(iter(stored(project / ".erdgen-cache", "page/")))) is not None
    assert render_site(config).files == first


def test_a_block_that_fails_saves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), Entries(tmp_path) as cache:
        cache.put("page/a", b"half a build")
        raise RuntimeError
    assert stored(tmp_path) == {}
    with Entries(tmp_path) as cache:
        cache.put("page/a", b"a whole build")
    assert stored(tmp_path) == {"page/a": b"a whole build"}
