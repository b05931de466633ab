"""The generated pages: golden files for the bundled migrations, and what a reader relies on."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path

import markdown
import pytest

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
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


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
    anchors = {path: set(re.findall(r"\{ #([\w-]+) \}", text)) for path, text in files.items()}
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
    assert user_id[5] == "FK → [`users.id`](users.md)"
    assert user_id[3] == "yes", "user_id became nullable in 0009"


def test_timeline_lists_every_migration_in_order_with_its_anchor(
    history: History, files: dict[str, str]
) -> None:
    for path in ("timeline.md", "timeline.en.md"):
        headings = re.findall(r"^## (\S+) · `([^`]+)` \{ #(m-\S+) \}$", files[path], re.M)
        expected = [(m.shown, m.name, f"m-{m.shown}") for m in history.migrations]
        assert headings == expected
        links = re.findall(r"^\[[^\]]+\]\((migrations/[^)]+)\)$", files[path], re.M)
        assert links == [f"migrations/{m.shown}.md" for m in history.migrations]
        assert all(link in files for link in links), "each migration has its own page"


def test_timeline_is_a_short_list_without_diagrams_or_sql(files: dict[str, str]) -> None:
    for path in ("timeline.md", "timeline.en.md"):
        assert "<svg" not in files[path] and "```" not in files[path]
        assert "!!!" not in files[path] and "???" not in files[path]


def timeline_entry(text: str, migration_id: str) -> str:
    match = re.search(rf"^## {migration_id} .*?(?=^## |\Z)", text, re.M | re.S)
    assert match
    return match.group(0)


def test_0010_is_flagged_destructive_and_others_that_lose_no_data_are_not(
    files: dict[str, str],
) -> None:
    entry = timeline_entry(files["timeline.en.md"], "0010")
    assert (
        "**Summary:** \N{MINUS SIGN}1 table · \N{MINUS SIGN}1 column — ⚠️ **destructive**" in entry
    )
    assert "⚠️ **destruktiv**" in timeline_entry(files["timeline.md"], "0010")
    assert "⚠️" not in timeline_entry(files["timeline.en.md"], "0007")
    page = files["migrations/0010.en.md"]
    assert '!!! danger "Destructive migration"' in page
    assert "- [`password_reset_tokens`](../tables/password_reset_tokens.md): table dropped" in page
    assert '!!! danger "Destruktive Migration"' in files["migrations/0010.md"]
    assert "!!! danger" not in files["migrations/0007.en.md"]


def test_backfill_in_0007_is_called_out_with_its_sql(files: dict[str, str]) -> None:
    assert "— changes data" in timeline_entry(files["timeline.en.md"], "0007")
    page = files["migrations/0007.en.md"]
    assert '!!! info "Data changes"' in page
    assert "`UPDATE` on [`users`](../tables/users.md):" in page
    assert "    SET email_verified = 1," in page
    assert '??? note "SQL source: `migrations/0007_add_email_verification.sql`"' in page


def test_migration_pages_link_to_the_timeline_and_their_neighbours(files: dict[str, str]) -> None:
    page = files["migrations/0007.md"]
    assert page.startswith("# 0007 · `add_email_verification`\n")
    assert "[← Zeitleiste](../timeline.md#m-0007)" in page
    assert "vorherige: [0006](0006.md) `create_download_audit`" in page
    assert "nächste: [0008](0008.md) `create_ai_jobs_table`" in page
    assert "vorherige:" not in files["migrations/0000.md"]


def test_dropped_table_page_says_when_it_was_created_and_dropped(files: dict[str, str]) -> None:
    page = files["tables/password_reset_tokens.md"]
    assert '!!! danger "Entfernte Tabelle"' in page
    assert "in Migration [0010](../migrations/0010.md) `drop_password_artifacts`" in page
    assert "Erstellt in [0003](../migrations/0003.md)" in page
    history = table_rows(section(page, "Verlauf"))
    assert [row[0].split("]")[0] for row in history] == ["[0003", "[0010"]
    assert "destruktiv" in history[-1][1]
    assert "`id`" in section(page, "Spalten"), "its last shape is shown"


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
    assert "\nBenutzerkonten.\n" in german
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
    assert slug("Users") == slug("users") == "users"


def test_hostile_names_and_comments_render_literally(hostile: dict[str, str]) -> None:
    page = html(hostile[f"tables/{slug('a|b')}.en.md"])
    assert "<script>" not in page
    assert "<code>a|b</code>" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; | _x_ `y`" in page
    assert "<code>`x`</code>" in page
    assert "<code>'a|b'</code>" in page
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
    assert f'<a href="{slug("a|b")}.md"><code>a|b.id</code></a>' in other


def test_escaping_filters() -> None:
    assert md_text("a|b <i> *x* _y_ [z](u)") == r"a\|b &lt;i&gt; \*x\* \_y\_ \[z\](u)"
    assert md_text("- item\n# head\n1. one") == "&#45; item\n&#35; head\n&#49;. one"
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
    generated = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
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
