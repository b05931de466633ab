"""A table dropped and created again under its name: two tables, each with its page.

What a reader must find: every migration that touched a table of the name on a table page,
timeline links that land on the page mentioning their migration, pages of one name that
point at each other, and each dropped table on the dropped page with its columns.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import Folder, folders

from erdgen.config import Config
from erdgen.site.build import render_site
from erdgen.site.write import Site

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
_LINK = re.compile(r"\]\(([^)\s]+\.md)(?:#[^)]*)?\)")
_ROW = re.compile(r'^\| <a id="m-[^"]+"></a>\[[^\]]*\]\((migrations/[^)]+\.md)\) \|(.*)$', re.M)


def site_of(tmp_path: Path, files: dict[str, str]) -> Site:
    folder = tmp_path / "migrations"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return render_site(Config(project_dir=tmp_path, verify=False, jobs=1))


def corpus_site(tmp_path: Path, name: str) -> Site:
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"no corpus folder {folder}")
    # the corpus is read-only: the project (and its cache) is a temporary folder
    config = Config(project_dir=tmp_path, migrations_dir=str(folder), verify=False, jobs=1)
    return render_site(config)


def english(page: str) -> str:
    return page.removesuffix(".md") + ".en.md"


def history(site: Site, page: str) -> str:
    """The History section of a table page (English)."""
    text = site.text(english(page))
    return text.split("\n## History\n", 1)[1].split("\n## ", 1)[0]


def timeline_links(site: Site) -> list[tuple[str, str]]:
    """(migration page, table page) of each table the timeline names in a migration's row."""
    found = []
    for migration, cells in _ROW.findall(site.text("timeline.en.md")):
        found += [(migration, t) for t in _LINK.findall(cells) if t.startswith("tables/")]
    return found


def other_lives(site: Site, page: str) -> list[str]:
    text = site.text(english(page))
    if '!!! info "Other tables of this name"' not in text:
        return []
    box = text.split('!!! info "Other tables of this name"', 1)[1].split("\n\n", 1)[0]
    return [
        "tables/" + target
        for target in _LINK.findall(box)
        if not target.startswith("../")  # migrations
    ]


def assert_readable(site: Site) -> None:
    """Timeline links land where their migration is told; pages of a name link both ways."""
    for migration, table in timeline_links(site):
        assert f"](../{migration})" in history(site, table), (migration, table)
    tables = {p for p in site.files if re.fullmatch(r"tables/[^/.]+\.md", p)}
    for page in tables:
        for other in other_lives(site, page):
            assert page in other_lives(site, other), (page, other)


# --- filbeam-d1: retrieval_logs (0001-0014), data_sets and pieces (0014-0024) --------------


def test_filbeams_earlier_retrieval_logs_has_its_page(tmp_path: Path) -> None:
    site = corpus_site(tmp_path, "filbeam-d1")
    earlier = history(site, "tables/retrieval_logs--0014.md")
    for number in ("0001", "0002", "0003", "0005", "0009", "0010", "0014"):
        assert f"](../migrations/{number}.md)" in earlier, number
    assert "table created" not in earlier.split("0014.md)", 1)[1]  # the new one's creation
    current = site.text("tables/retrieval_logs.en.md")
    assert (
        "Earlier table of this name: [`retrieval_logs`](retrieval_logs--0014.md), created in "
        "[0001](../migrations/0001.md) `create_retrieval_logs_table`, dropped in "
        "[0014](../migrations/0014.md) `m2_5_upgrades`"
    ) in current
    assert "Created in [0014](../migrations/0014.md)" in current
    old = site.text("tables/retrieval_logs--0014.md")
    assert 'xlink:href="./"' in old  # its diagram's box: its own page, not the new table's
    assert "Spätere Tabelle dieses Namens: [`retrieval_logs`](retrieval_logs.md)" in old
    assert "# Tabelle `retrieval_logs` (0001\N{EN DASH}0014)" in old
    assert_readable(site)


def test_filbeams_dropped_page_lists_each_dropped_table_with_its_columns(tmp_path: Path) -> None:
    site = corpus_site(tmp_path, "filbeam-d1")
    rows = [line for line in site.text("dropped.en.md").splitlines() if line.startswith("| ")]
    tables = [row for row in rows if row.startswith("| Table |")]
    old_logs = next(row for row in tables if "(tables/retrieval_logs--0014.md)" in row)
    assert "<code>owner\\_address</code>" in old_logs and "[0014](migrations/0014.md)" in old_logs
    for name in ("data_sets", "pieces"):
        assert any(f"(tables/{name}--0024.md) (0014\N{EN DASH}0024)" in row for row in tables), name
    vanished = [
        re.match(r"\| Column \| <code>(.*?)</code> \(\[`retrieval_logs`\]", row)
        for row in rows
        if "retrieval_logs--0014.md" in row
    ]
    columns = [m.group(1).replace("\\", "") for m in vanished if m]
    assert columns == ["owner_address", "client_address", "proof_set_id"]


def test_pingvins_refresh_token_from_init_has_its_page(tmp_path: Path) -> None:
    site = corpus_site(tmp_path, "pingvin-share-sqlite")
    earlier = history(site, "tables/refreshtoken--20230104145733.md")
    assert "](../migrations/20221011172612.md) `init` | table created |" in earlier
    assert "refreshtoken--20230104145733.md" in site.text("tables/refreshtoken.en.md")
    assert_readable(site)


# --- any sequence of creations, drops and re-creations -------------------------------------

NAMES = ("logs", "items")


@st.composite
def lives_folders(draw: st.DrawFn) -> tuple[dict[str, str], int]:
    """Migrations that create, drop, re-create (in one migration or later) and alter two
    table names, in any spelling; and how many tables they drop."""
    exists = dict.fromkeys(NAMES, False)
    files: dict[str, str] = {}
    drops = 0
    for number in range(1, draw(st.integers(1, 6)) + 1):
        statements: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            name = draw(st.sampled_from(NAMES))
            spelled = draw(st.sampled_from((name, name.upper(), f'"{name}"')))
            column = draw(st.sampled_from(("a", "b", "owner")))
            create = f"CREATE TABLE {spelled} (id INTEGER PRIMARY KEY, {column} TEXT)"
            if not exists[name]:
                statements.append(create)
                exists[name] = True
                continue
            action = draw(st.sampled_from(("drop", "again", "add")))
            if action == "add":
                statements.append(f"ALTER TABLE {spelled} ADD COLUMN c{number}_{len(statements)}")
                continue
            statements.append(f"DROP TABLE {spelled}")
            drops += 1
            exists[name] = action == "again"
            if action == "again":
                statements.append(create)
        files[f"{number:04d}_m.sql"] = "".join(f"{s};\n" for s in statements)
    return files, drops


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lives_folders())
def test_every_table_of_a_name_is_found_from_the_timeline(
    tmp_path: Path, folder: tuple[dict[str, str], int]
) -> None:
    files, drops = folder
    site = site_of(tmp_path, files)
    assert_readable(site)
    dropped = site.text("dropped.en.md")
    assert dropped.count("\n| Table |") == drops
    for row in (line for line in dropped.splitlines() if line.startswith("| Table |")):
        assert "<small>columns: <code>id</code>" in row


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(folders(max_files=5))
def test_pages_of_any_folder_are_found_from_the_timeline(tmp_path: Path, folder: Folder) -> None:
    """Renames, rebuilds, scratch tables and names folded by SQLite as well."""
    files = {f"{n:04d}_m.sql": text for n, text in enumerate(folder.files, 1)}
    assert_readable(site_of(tmp_path, files))


def test_describe_offers_every_column_of_every_table_of_a_name(tmp_path: Path) -> None:
    from erdgen.site.build import describe

    folder = CORPUS / "filbeam-d1"
    if not folder.is_dir():
        pytest.skip(f"no corpus folder {folder}")
    config = Config(project_dir=tmp_path, migrations_dir=str(folder), verify=False, jobs=1)
    logs = describe(config, write=False).text.split("  retrieval_logs:\n", 1)[1]
    columns = logs.split("    columns:\n", 1)[1].split("\n  wallet_details", 1)[0]
    for column in ("data_set_id", "bot_name", "owner_address", "proof_set_id"):
        assert f"      {column}:\n" in columns, column  # the current table's and the earlier
