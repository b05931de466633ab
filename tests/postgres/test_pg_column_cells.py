"""A PostgreSQL table's Columns table fits the page: a serial column's default and the
name of the migration that added a column may wrap (never inside a word), and show as
written (crates.io: ``nextval('cloudfront_invalidation_queue_id_seq'::regclass)`` alone
made 20 of 42 column tables wider than the text column)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from hypothesis import given
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.site.build import render_site

FIRST = """\
CREATE TABLE cloudfront_invalidation_queue (
  id bigserial PRIMARY KEY,
  note text DEFAULT 'a|b, c_d'::text,
  at timestamptz DEFAULT now()
);
"""
SECOND = "ALTER TABLE cloudfront_invalidation_queue ADD COLUMN distribution text;\n"
EXTENSIONS = ["tables", "attr_list", "md_in_html"]


def test_the_history_wraps_a_long_migration_name_and_the_text_keeps_it(tmp_path: Path) -> None:
    _cells(tmp_path)
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    page = site.text("tables/cloudfront_invalidation_queue.en.md")
    name = "add_distribution_to_cloudfront_invalidation_queue"
    assert f"last changed in [0002](../migrations/0002.md) `{name}`" in page
    history = page.split("## History", 1)[1]
    assert "[0002](../migrations/0002.md) <code>add\\_<wbr>distribution\\_<wbr>to" in history


def _cells(tmp_path: Path) -> dict[str, list[str]]:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_init.sql").write_text(FIRST, encoding="utf-8")
    name = "0002_add_distribution_to_cloudfront_invalidation_queue.sql"
    (tmp_path / "migrations" / name).write_text(SECOND, encoding="utf-8")
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    page = markdown.markdown(
        site.text("tables/cloudfront_invalidation_queue.en.md"), extensions=EXTENSIONS
    )
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return {re.sub(r"<[^>]+>", "", c[1]): c for c in cells if len(c) == 6}


def _text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell))


def test_defaults_and_migration_names_may_wrap_and_read_as_written(tmp_path: Path) -> None:
    cells = _cells(tmp_path)
    serial = cells["id"][3]
    assert "<wbr>" in serial
    assert _text(serial).endswith(
        "Default: nextval('cloudfront_invalidation_queue_id_seq'::regclass)"
    )
    assert _text(cells["note"][3]).endswith("Default: 'a|b, c_d'::text")
    assert _text(cells["at"][3]).endswith("Default: now()") and "now()</code>" in cells["at"][3]
    added = cells["distribution"][5]
    assert "add_<wbr>distribution_<wbr>to_<wbr>" in added
    assert _text(added) == "added in 0002 add_distribution_to_cloudfront_invalidation_queue"


def test_lists_keep_names_whole_and_wrap_them_after_underscores(tmp_path: Path) -> None:
    # Material breaks code anywhere ("cloudfront_invalidation_queue_id_s|eq"): erdgen's
    # lists (indexes, sequences, histories) keep it from doing so and offer <wbr> instead
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_init.sql").write_text(FIRST, encoding="utf-8")
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    table = site.text("tables/cloudfront_invalidation_queue.en.md")
    for heading in ("## Indexes", "## History"):
        section = table.split(heading, 1)[1]
        assert section.lstrip().startswith('<div class="erdgen-list" markdown="1">'), heading
    assert "| <code>cloudfront\\_<wbr>invalidation\\_<wbr>queue\\_<wbr>pkey</code> (" in table
    types = site.text("types.en.md").split("## Sequences", 1)[1]
    assert types.lstrip().startswith('<div class="erdgen-list" markdown="1">')
    assert "<code>cloudfront\\_<wbr>invalidation\\_<wbr>queue\\_<wbr>id\\_<wbr>seq</code>" in types


def test_a_camel_case_name_wraps_between_its_words_only() -> None:
    # dittofeed's "WorkspaceMember.workspaceId" has no "_" to wrap after
    from erdgen.render.markdown import breakable_code

    assert breakable_code("WorkspaceMember.workspaceId") == (
        "<code>Workspace<wbr>Member.<wbr>workspace<wbr>Id</code>"
    )
    assert breakable_code("JSONData x&Y") == "<code>JSONData x&amp;Y</code>"


@given(st.from_regex(r"[a-z][a-zA-Z0-9_.]{0,40}", fullmatch=True))
def test_a_short_name_never_wraps_and_a_long_one_only_at_its_break_points(name: str) -> None:
    # "created_at" on two lines reads worse than a slightly wider column (the browser test
    # checks that such names stay on one line); past 24 characters a name may wrap
    from erdgen.render.markdown import UNBROKEN_LENGTH, breakable_code, breakable_expression

    for render in (breakable_code, breakable_expression):
        code = render(name)
        assert code.replace("<wbr>", "").replace("\\_", "_") == f"<code>{name}</code>"
        if len(name) <= UNBROKEN_LENGTH:
            assert "<wbr>" not in code
        elif render is breakable_code:  # after "_" or ".", or between camelCase words
            pieces = code.split("<wbr>")
            assert all(p.endswith(("\\_", ".")) or p[-1].islower() for p in pieces[:-1])
