"""The generated pages: golden files for the bundled migrations, and what a reader relies on."""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.model import History
from erdgen.render.pages import code, md_cell, md_text, render_pages, slug
from erdgen.site.build import build, render_site

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "pages"
# The Markdown extensions the site's mkdocs.yml enables for these pages.
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.details", "toc",
              "pymdownx.superfences"]  # fmt: skip


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(ROOT / "migrations", ROOT)


@pytest.fixture(scope="module")
def files(history: History) -> dict[str, str]:
    """The bundled site without diagrams (those have their own tests)."""
    config = Config(project_dir=ROOT, title="Evolution Hub")
    rendered = render_pages(history, load_descriptions(ROOT / "docs" / "schema.yml"), config)
    return {path: content.decode("utf-8") for path, content in rendered.items()}


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def section(page: str, heading: str) -> str:
    """The text below ``## heading`` up to the next ``## ``."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def table_rows(block: str) -> list[list[str]]:
    """The cells of a Markdown table, without anchors and the labels phones show."""
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    return [[_cell_text(cell) for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def _cell_text(cell: str) -> str:
    cell = re.sub(r'<a id="[^"]*"></a>', "", cell)
    # Raw <code> with <wbr> break points (long names) reads as the code span it shows.
    cell = re.sub(
        r"<code>(.*?)</code>",
        lambda m: code(html_lib.unescape(re.sub(r"\\(.)", r"\1", m[1].replace("<wbr>", "")))),
        cell,
    )
    return re.sub(r'<span class="erdgen-label">[^<]*</span> ', "", cell).strip()


# --- golden files ------------------------------------------------------------------------


def test_pages_match_the_golden_files(files: dict[str, str]) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8", newline="\n")
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert set(files) == expected
    for path, text in files.items():
        assert text == (GOLDEN / path).read_text(encoding="utf-8"), (
            f"{path} differs (UPDATE_GOLDEN=1)"
        )


FRONT_MATTER = re.compile(
    r'---\ntitle: (".*")\n(?:nav_title: .*\n)?(?:search:\n.*\n)?(?:tags:\n.*\n)?---\n\n# (.*)\n'
)


def test_every_page_title_is_its_heading_as_escaped_text(files: dict[str, str]) -> None:
    """MkDocs prints a page's ``title:`` unescaped; it must be the heading's text, escaped."""
    for path, text in files.items():
        found = FRONT_MATTER.match(text)
        assert found, path
        front, heading = found.groups()
        shown = html_lib.unescape(yaml.safe_load(front))
        heading = re.sub(r"`+ ?(.*?) ?`+", r"\1", heading)
        if path.startswith("index."):  # the tab adds the site name, which names the project
            heading = heading.removesuffix(" Evolution Hub")
        assert shown == heading, path
        assert "<" not in yaml.safe_load(front), path


@pytest.mark.parametrize("name", ["x</title><script>alert(1)</script>", "a\"b'c&amp;", "Ä\u2028z"])
def test_a_hostile_table_name_is_text_in_the_front_matter(name: str) -> None:
    from erdgen.render.markdown import front_matter

    value = yaml.safe_load(front_matter(f"Tabelle {name}").split("---")[1])["title"]
    assert "<" not in value and ">" not in value and '"' not in value
    assert html_lib.unescape(value) == "Tabelle " + " ".join(name.split())


# --- meaning -----------------------------------------------------------------------------


def test_every_table_has_a_page_in_both_languages_with_its_columns_in_order(
    history: History, files: dict[str, str]
) -> None:
    for table in history.schema.tables:
        for suffix, heading in ((".md", "Spalten"), (".en.md", "Columns")):
            page = files[f"tables/{slug(table.name)}{suffix}"]
            rows = table_rows(section(page, heading))
            assert [row[1] for row in rows] == [code(c.name) for c in table.columns]
            assert [row[0] for row in rows] == [str(i) for i in range(1, len(table.columns) + 1)]


def test_every_relative_link_points_at_a_generated_page_and_anchor(files: dict[str, str]) -> None:
    anchors = {
        path: set(re.findall(r'\{ #([\w-]+) \}|<a id="([\w-]+)">', text))
        for path, text in files.items()
    }
    anchors = {path: {a or b for a, b in found} for path, found in anchors.items()}
    for path, text in files.items():
        for target in re.findall(r"\]\(([^)]+)\)", text):
            page, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), page))
            assert resolved in files, f"{path}: broken link {target}"
            if anchor:
                assert anchor in anchors[resolved], f"{path}: no anchor {target}"


def test_foreign_key_targets_link_to_the_referenced_tables_page(files: dict[str, str]) -> None:
    rows = table_rows(section(files["tables/ai_jobs.en.md"], "Columns"))
    user_id = next(row for row in rows if row[1] == "`user_id`")
    # The referenced column's row; the label may wrap after "." or "_" only.
    assert user_id[4] == "FK\u00a0→\u00a0[`users.id`](users.md#c-id)"
    assert user_id[3] == "yes", "user_id became nullable in 0009"


def test_timeline_lists_every_migration_in_order_with_its_anchor(
    history: History, files: dict[str, str]
) -> None:
    for path in ("timeline.md", "timeline.en.md"):
        rows = re.findall(
            r'^\| <a id="(m-\S+)"></a>\[(\S+) · `([^`]+)`\]\((migrations/[^)]+)\)',
            files[path],
            re.M,
        )  # one compact row per migration
        expected = [
            (f"m-{m.shown}", m.shown, m.name, f"migrations/{m.shown}.md")
            for m in history.migrations
        ]
        assert rows == expected
        links = [row[3] for row in rows]
        assert all(link in files for link in links), "each migration has its own page"


def test_timeline_is_a_short_list_without_diagrams_or_sql(files: dict[str, str]) -> None:
    for path in ("timeline.md", "timeline.en.md"):
        assert "<svg" not in files[path] and "```" not in files[path]
        assert "!!!" not in files[path] and "???" not in files[path]


def timeline_entry(text: str, migration_id: str) -> str:
    match = re.search(rf'^\| <a id="m-{migration_id}">.*$', text, re.M)
    assert match
    return match.group(0)


def test_0010_is_flagged_destructive_and_others_that_lose_no_data_are_not(
    files: dict[str, str],
) -> None:
    entry = timeline_entry(files["timeline.en.md"], "0010")
    # The row names what went: the table and the column.
    # (a no-break space keeps the mark with its name when a phone's card wraps)
    dropped = "\N{MINUS SIGN}\N{NO-BREAK SPACE}"
    assert f"{dropped}[`password_reset_tokens`](tables/password_reset_tokens.md)" in entry
    assert f"[`users`](tables/users.md): {dropped}`password_hash`" in entry
    assert entry.endswith("| ⚠️ destructive |")
    assert "⚠️ destruktiv" in timeline_entry(files["timeline.md"], "0010")
    assert "⚠️" not in timeline_entry(files["timeline.en.md"], "0007")
    page = files["migrations/0010.en.md"]
    assert '!!! danger "Destructive migration"' in page
    assert "- [`password_reset_tokens`](../tables/password_reset_tokens.md): table dropped" in page
    assert '!!! danger "Destruktive Migration"' in files["migrations/0010.md"]
    assert "!!! danger" not in files["migrations/0007.en.md"]


def test_backfill_in_0007_is_called_out_with_its_sql(files: dict[str, str]) -> None:
    assert "changes data" in timeline_entry(files["timeline.en.md"], "0007")
    page = files["migrations/0007.en.md"]
    assert '??? info "Data changes"' in page  # folded, after the diagram, not searched
    assert page.count('data-search-exclude=""') == 2
    assert "`UPDATE` on [`users`](../tables/users.md):" in page
    assert "    SET email_verified = 1," in page
    assert '??? note "SQL source: `migrations/0007_add_email_verification.sql`"' in page


def test_migration_pages_link_to_the_timeline_and_their_neighbours(files: dict[str, str]) -> None:
    page = files["migrations/0007.md"]
    assert page.startswith('---\ntitle: "0007 · add_email_verification"\nsearch:\n  boost: 0.5\n')
    assert "\n# 0007 · `add_email_verification`\n" in page
    assert "[← Zeitleiste](../timeline.md#m-0007)" in page
    assert "vorherige: [0006](0006.md) `create_download_audit`" in page
    assert "nächste: [0008](0008.md) `create_ai_jobs_table`" in page
    assert "vorherige:" not in files["migrations/0000.md"]
    # The links to the neighbours at the top and again at the bottom (reading order).
    assert page.count("nächste: [0008](0008.md)") == 2
    assert page.rstrip().endswith("nächste: [0008](0008.md) `create_ai_jobs_table`")


def test_dropped_table_page_says_when_it_was_created_and_dropped(files: dict[str, str]) -> None:
    page = files["tables/password_reset_tokens.md"]
    assert '!!! danger "Entfernte Tabelle"' in page
    assert "in Migration [0010](../migrations/0010.md) `drop_password_artifacts`" in page
    assert "Erstellt in [0003](../migrations/0003.md)" in page
    history = table_rows(section(page, "Verlauf"))
    assert [row[0].split("]")[0] for row in history] == ["[0003", "[0010"]
    assert "destruktiv" in history[-1][1]
    assert "<code>id</code>" in section(page, "Spalten"), "its last shape is shown"


def test_ai_jobs_history_shows_the_0009_rebuild_as_a_column_diff(files: dict[str, str]) -> None:
    rows = table_rows(section(files["tables/ai_jobs.en.md"], "History"))
    rebuild = next(row[1] for row in rows if row[0].startswith("[0009]"))
    assert rebuild.startswith("rebuilt")
    assert "new column `owner_type` `TEXT NOT NULL`" in rebuild
    assert "new column `owner_ref` `TEXT NOT NULL`" in rebuild
    assert "`user_id`: NOT NULL → nullable" in rebuild
    assert "column `completed_at` dropped" in rebuild
    assert "new index `idx_ai_jobs_owner_created_at`" in rebuild


def test_sidecar_descriptions_in_each_language_and_sql_comments_marked(
    tmp_path: Path, history: History
) -> None:
    sidecar = tmp_path / "schema.yml"
    sidecar.write_text("tables:\n  users:\n    de: Benutzerkonten.\n", encoding="utf-8")
    config = Config(project_dir=ROOT)
    rendered = render_pages(history, load_descriptions(sidecar), config)
    german, english = rendered["tables/users.md"].decode(), rendered["tables/users.en.md"].decode()
    assert "\nBenutzerkonten. <small" in german  # and where it came from
    assert "User accounts: identity and profile data" in english
    assert "*(untranslated)*" in english
    assert "*(nicht übersetzt)*" in german  # the columns fall back to their SQL comments


def test_counts_use_each_languages_plural_and_number_format() -> None:
    from erdgen.render.pages import load_catalog

    de, en = load_catalog("de"), load_catalog("en")
    assert de.t("count.tables", n=1) == "1 Tabelle"
    assert de.t("count.indexes", n=1234) == "1.234 Indizes"
    assert en.t("count.indexes", n=1) == "1 index"
    assert en.t("count.columns", n=1234) == "1,234 columns"


# --- escaping ----------------------------------------------------------------------------

HOSTILE = """\
-- Migration with <script>alert(1)</script> | pipes and *stars*
CREATE TABLE "a|b" (
  id INTEGER PRIMARY KEY, -- <script>alert(2)</script> | _x_ `y`
  "`x`" TEXT NOT NULL DEFAULT 'a|b' -- # not a heading
);
CREATE TABLE "<script>" (id INTEGER PRIMARY KEY, ref INTEGER REFERENCES "a|b"(id));
CREATE TABLE "a b" (id INTEGER);
CREATE TABLE "a-b" (id INTEGER);
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = tmp_path_factory.mktemp("hostile")
    (project / "migrations").mkdir()
    (project / "migrations" / "0001_hostile.sql").write_text(HOSTILE, encoding="utf-8")
    site = render_site(Config(project_dir=project, verify=False))
    return {path: site.text(path) for path in site}


def test_hostile_names_get_distinct_safe_file_names(hostile: dict[str, str]) -> None:
    pages = sorted(p for p in hostile if p.startswith("tables/") and p.endswith(".en.md"))
    assert len(pages) == 4
    assert all(re.fullmatch(r"tables/[a-z0-9_-]+\.en\.md", p) for p in pages)
    assert slug("a b") != slug("a-b") != slug("a_b")
    assert slug("Users") != slug("users") == "users"  # callers pass the dialect's key


def test_postgres_names_that_differ_only_in_case_are_two_tables_with_two_pages(
    tmp_path: Path,
) -> None:
    """PostgreSQL keeps a quoted "Users" apart from users (its identifier rule); so must
    every page file, anchor and diagram node derived from the name."""
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_case.sql").write_text(
        'CREATE TABLE "Users" (id integer PRIMARY KEY, "Name" text, name text);\n'
        'CREATE TABLE users (id integer PRIMARY KEY, boss integer REFERENCES "Users" (id));\n',
        encoding="utf-8",
    )
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    pages = sorted(p for p in site if p.startswith("tables/") and p.endswith(".en.md"))
    assert len(pages) == 2
    headings = {p: re.findall(r"^# .*$", site.text(p), re.M)[0] for p in pages}
    assert len(set(headings.values())) == 2
    upper = next(site.text(p) for p in pages if "Users" in headings[p])
    anchors = re.findall(r'id="(c-[^"]+)"', upper)
    assert len(anchors) == len(set(anchors)) == 3
    overview = next(site.text(p) for p in site if p.endswith("overview.en.svg"))
    assert ">Users</text>" in overview and ">users</text>" in overview  # two boxes, not one


def test_hostile_names_and_comments_render_literally(hostile: dict[str, str]) -> None:
    page = html(hostile[f"tables/{slug('a|b')}.en.md"])
    assert "<script>" not in page
    assert "<code>a|b</code>" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; | _x_ `y`" in page
    assert "<code>`x`</code>" in page
    assert "<code>'a&#124;b'</code>" in page  # the default: "|" as an entity, not a cell end
    assert "# not a heading" in page
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    columns = [r for r in rows if "<td>1</td>" in r or "<td>2</td>" in r]
    assert all(r.count("<td") == 7 for r in columns), "a pipe in a name split a cell"
    timeline = html(hostile["timeline.en.md"])
    assert "<script>" not in timeline
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | pipes and *stars*" in timeline
    migration = html(hostile["migrations/0001.en.md"])
    assert "<script>" not in migration
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | pipes and *stars*" in migration
    other = html(hostile[f"tables/{slug('<script>')}.md"])
    assert "<script>" not in other
    assert f'<a href="{slug("a|b")}.md#c-id"><code>a|b.id</code></a>' in other


def test_escaping_filters() -> None:
    assert md_text("a|b <i> *x* _y_ [z](u)") == r"a\|b &lt;i&gt; \*x\* \_y\_ \[z\](u)"
    # each line of a comment shows as a line (a hard break), and none starts a list
    assert md_text("- item\n# head\n1. one") == "&#45; item<br>\n&#35; head<br>\n&#49;. one"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert md_cell("a | `b|c`\nnext") == r"a \| `b|c`<br>next"


# --- determinism and writing ------------------------------------------------------------


@pytest.mark.slow
def test_build_is_deterministic_and_a_second_build_writes_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for project in (first, second):
        shutil.copytree(ROOT / "migrations", project / "migrations")
        (project / "docs").mkdir()
        shutil.copy(ROOT / "docs" / "schema.yml", project / "docs" / "schema.yml")
        build(Config(project_dir=project, title="Evolution Hub", verify=False))
    # The cache is left out: its entries file records when each entry was last used.
    generated = sorted(
        p.relative_to(first)
        for p in first.rglob("*")
        if p.is_file() and ".erdgen-cache" not in p.parts
    )
    for path in generated:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    page = (first / "docs" / "schema" / "tables" / "ai_jobs.md").read_text(encoding="utf-8")
    assert '<div class="erdgen-diagram" data-search-exclude markdown="0">\n<svg' in page
    assert 'href="../users/"' in page, "a neighbour in the SVG links to its page"
    assert "<small>Legende: `PK` Primärschlüssel · `FK` Fremdschlüssel" in page
    english = (first / "docs" / "schema" / "tables" / "ai_jobs.en.md").read_text(encoding="utf-8")
    assert "<small>Legend: `PK` primary key · `FK` foreign key" in english
    migration = (first / "docs" / "schema" / "migrations" / "0009.en.md").read_text("utf-8")
    assert '<div class="erdgen-diagram" data-search-exclude markdown="0">\n<svg' in migration
    assert 'href="../../tables/users/"' in migration, "links from one folder deeper"
    assert "`+` added · `~` changed · `\N{MINUS SIGN}` dropped</small>" in migration
    timeline = (first / "docs" / "schema" / "timeline.md").read_text(encoding="utf-8")
    assert "<svg" not in timeline

    again = build(Config(project_dir=first, title="Evolution Hub", verify=False))
    assert again.written == () and again.deleted == ()


def test_the_table_page_and_the_diagram_agree_on_unique_columns() -> None:
    """One rule for UQ (erdgen.keys): a partial unique index makes no column unique."""
    from folders import history_of

    from erdgen.keys import table_markers

    history = history_of(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT UNIQUE, c TEXT, d TEXT);\n"
        "CREATE UNIQUE INDEX t_a ON t(a) WHERE a IS NOT NULL;\n"
        "CREATE UNIQUE INDEX t_c ON t(c);\n"
        "CREATE UNIQUE INDEX t_d ON t(lower(d));\n"
    )
    config = Config(project_dir=ROOT, languages=("en",), default_language="en")
    rendered = render_pages(history, load_descriptions(ROOT / "nothing.yml"), config)
    rows = table_rows(section(rendered["tables/t.md"].decode(), "Columns"))
    table = history.schema.table("t")
    assert table is not None
    markers = table_markers(table)
    shown = {row[1].strip("`"): "UQ" in row[4].split(", ") for row in rows}
    assert shown == {c.name: "UQ" in markers[c.name.lower()] for c in table.columns}
    assert shown == {"id": False, "a": False, "b": True, "c": True, "d": False}


REBUILT = (
    "-- The first schema.\n\n-- Accounts of the app.\n"
    "CREATE TABLE users (id INTEGER PRIMARY KEY, url TEXT, name TEXT);\n",
    "PRAGMA foreign_keys=OFF;\n"
    "-- 1. drop the url column\n"
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT);\n"
    "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_new RENAME TO users;\n",
    "-- 2. a helper that becomes a table of its own\n"
    "CREATE TABLE tags_tmp (id INTEGER PRIMARY KEY);\n"
    "ALTER TABLE tags_tmp RENAME TO tags;\n",
)


@pytest.mark.parametrize("comments_language", ["", "de", "en"])
def test_a_table_is_described_by_the_comment_above_its_creation_only(
    comments_language: str,
) -> None:
    """Not by a migration step's comment above a rebuild's helper table: the comment on
    the page is the one a reader of the first migration sees, in the language it is in."""
    from folders import history_of

    history = history_of(*REBUILT)
    config = Config(project_dir=ROOT, comments_language=comments_language)
    rendered = render_pages(history, load_descriptions(ROOT / "nothing.yml"), config)
    for path, untranslated in (
        ("tables/users.md", "nicht übersetzt"),
        ("tables/users.en.md", "untranslated"),
    ):
        page = rendered[path].decode()
        assert "Accounts of the app." in page and "drop the url column" not in page
        language = "en" if path.endswith(".en.md") else "de"
        assert (f"*({untranslated})*" in page) == (comments_language != language), path
        assert "erdgen-source" in page
    for path in ("tables/tags.md", "tables/tags.en.md", "index.md"):
        assert "a helper that becomes" not in rendered[path].decode()


def test_dropped_objects_list_what_stays_gone_and_where_copied_columns_went() -> None:
    """An index dropped and created again on the next line is not dropped; the columns a
    rebuild leaves behind are listed, with the column their values were copied into."""
    from folders import history_of

    history = history_of(
        "CREATE TABLE files (id INTEGER PRIMARY KEY, url TEXT, size INTEGER, tmp TEXT);\n"
        "CREATE INDEX files_url ON files (url);\n",
        "DROP INDEX files_url;\nCREATE INDEX files_url ON files (url, size);\n",
        "DROP INDEX files_url;\nCREATE INDEX files_url ON files (url);\n",
        "CREATE TABLE files_new (id INTEGER PRIMARY KEY, location TEXT, bytes INTEGER);\n"
        "INSERT INTO files_new (id, location, bytes) SELECT id, url, CAST(size AS INTEGER)"
        " FROM files;\nDROP TABLE files;\nALTER TABLE files_new RENAME TO files;\n",
        "DROP INDEX IF EXISTS files_url;\n",
    )
    config = Config(project_dir=ROOT, languages=("en",), default_language="en")
    pages = render_pages(history, load_descriptions(ROOT / "nothing.yml"), config)
    rows = table_rows(pages["dropped.md"].decode())
    found = {(row[0], row[1].split(" ")[0]): row[3] for row in rows}
    assert found == {
        ("Column", "`url`"): "copied into `files.location`",
        ("Column", "`size`"): "copied into `files.bytes`",
        ("Column", "`tmp`"): "deleted",
    }
    migration = pages["migrations/0003.md"].decode()
    assert "`url` → `location` (data copied, all rows)" in migration
    assert "`size` → `bytes` (data copied and converted, all rows)" in migration
    assert "`tmp` dropped with its data — ⚠️ **destructive**" in migration
    assert "column `url` dropped" not in migration and "column `size` dropped" not in migration


def test_tables_are_listed_by_name_and_the_navigation_marks_dropped_ones(
    history: History, files: dict[str, str]
) -> None:
    from erdgen.site.nav import expand_folders

    rows = table_rows(section(files["index.en.md"], "Tables"))
    names = [row[0].split("`")[1] for row in rows]
    assert names == sorted(names, key=str.casefold) and len(names) == len(history.schema.tables)
    docs = ROOT / "docs"
    nav = expand_folders([{"Tables": "schema/tables/"}], docs, ("de", "en"))[0]["Tables"]
    titles = {path: title for entry in nav for title, path in entry.items()}
    assert titles["schema/tables/users.md"] == "users"
    assert titles["schema/tables/password_reset_tokens.md"] == "<s>password_reset_tokens</s>"


def test_each_column_says_who_refers_to_it_and_when_it_came_and_views_what_they_read() -> None:
    """As tbls and SchemaSpy show per column: the keys pointing at it, with links to their
    rows; the migration that added a column later; for a view, the tables it reads."""
    from folders import history_of

    history = history_of(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users);\n",
        "ALTER TABLE users ADD COLUMN email TEXT;\n"
        "CREATE VIEW authors AS SELECT u.name FROM posts p JOIN users u ON u.id = p.author;\n",
    )
    config = Config(project_dir=ROOT, languages=("en",), default_language="en")
    pages = render_pages(history, load_descriptions(ROOT / "nothing.yml"), config)
    rows = {
        row[1]: row for row in table_rows(section(pages["tables/users.md"].decode(), "Columns"))
    }
    assert rows["`id`"][4] == "PK, ←\u00a0[`posts.author`](posts.md#c-author)"
    assert "added in [0001](../migrations/0001.md)" in rows["`email`"][5]
    assert "added in" not in rows["`name`"][5]
    objects = pages["objects.md"].decode()
    assert "Reads: [`posts`](tables/posts.md), [`users`](tables/users.md)" in objects
