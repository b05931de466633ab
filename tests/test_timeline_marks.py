"""The marks of the timeline's rows say what became of each table."""

from __future__ import annotations

import re
from pathlib import Path

from erdgen.config import Config
from erdgen.site.build import render_site

MIGRATIONS = {
    "0001_init.sql": "CREATE TABLE logs (id INTEGER PRIMARY KEY, owner TEXT);\n",
    # filbeam's 0014: the table is dropped and created again with another shape
    "0002_renew.sql": "DROP TABLE logs;\nCREATE TABLE logs (id INTEGER PRIMARY KEY, size INT);\n",
    "0003_gone.sql": "DROP TABLE logs;\n",
}


def test_a_table_dropped_and_created_again_is_not_marked_gone(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    for name, sql in MIGRATIONS.items():
        (tmp_path / "migrations" / name).write_text(sql, encoding="utf-8")
    timeline = render_site(Config(project_dir=tmp_path, verify=False)).text("timeline.en.md")
    rows = dict(re.findall(r'^\| <a id="m-(\d+)">(.*)$', timeline, re.M))
    logs = "\N{NO-BREAK SPACE}[`logs`](tables/logs.md)"
    assert f"| \N{PLUS-MINUS SIGN}{logs} |" in rows["0002"]
    assert f"| \N{MINUS SIGN}{logs} |" in rows["0003"]
    # the table 0001 created is the one 0002 dropped: its own page, not the new one's
    assert "| +\N{NO-BREAK SPACE}[`logs`](tables/logs--0002.md) |" in rows["0001"]
