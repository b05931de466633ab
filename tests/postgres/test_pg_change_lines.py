"""What a PostgreSQL migration did, in words: the lines name what the SQL named."""

from __future__ import annotations

from pathlib import Path

from erdgen.config import Config
from erdgen.site.build import render_site

FIRST = """\
CREATE TABLE t (a integer, b integer);
CREATE INDEX t_a ON t (a);
CREATE TABLE u (x integer);
CREATE INDEX u_x ON u (x);
"""
SECOND = "DROP INDEX t_a;\nDROP TABLE u;\n"


def test_a_dropped_index_is_named_with_its_columns(tmp_path: Path) -> None:
    # PostgreSQL's changes carry no table shape: the columns come from the schema before
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_init.sql").write_text(FIRST, encoding="utf-8")
    (tmp_path / "migrations" / "0002_drop.sql").write_text(SECOND, encoding="utf-8")
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    english = site.text("migrations/0002.en.md")
    assert "    - index `t_a` on `a` dropped\n" in english
    assert "    - index `u_x` on `x` dropped\n" in english  # with its table
    assert "| Index `t_a` auf `a` entfernt |" in site.text("tables/t.md")
    assert not any(" on  dropped" in site.text(path) for path in site if path.endswith(".md"))
