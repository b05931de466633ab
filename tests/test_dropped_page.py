"""The dropped-objects page: "data deleted" only where data was, cells that fit."""

from __future__ import annotations

import re
from pathlib import Path

from erdgen.config import Config
from erdgen.site.build import render_site

MIGRATIONS = {
    "0001_init.sql": "CREATE TABLE files (id INTEGER PRIMARY KEY, url TEXT, size INT);\n"
    "CREATE INDEX files_url_and_size ON files (url, size);\n"
    "CREATE VIEW big_files AS SELECT id FROM files WHERE size > 100;\n",
    "0002_report_schema_session_data.sql": "DROP INDEX files_url_and_size;\n"
    "DROP VIEW big_files;\nALTER TABLE files DROP COLUMN size;\n",
}


def test_only_tables_and_columns_take_data_with_them(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    for name, sql in MIGRATIONS.items():
        (tmp_path / "migrations" / name).write_text(sql, encoding="utf-8")
    page = render_site(Config(project_dir=tmp_path, verify=False)).text("dropped.en.md")
    rows = [line.split(" | ") for line in page.splitlines() if line.startswith("| ")][1:]
    data = {row[0].strip("| "): row[3].strip(" |") for row in rows}
    assert data == {"Index": "", "View": "", "Column": "deleted"}
    # long identifiers wrap after "_" only (Material's code would break them anywhere);
    # short ones (up to 24 characters) not at all
    assert '<div class="erdgen-list" markdown="1">' in page
    assert "<code>report\\_<wbr>schema\\_<wbr>session\\_<wbr>data</code>" in rows[0][2]
    assert re.search(r"<code>files\\_url\\_and\\_size</code>", rows[0][1])
