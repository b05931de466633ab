"""Split copies (``erdgen.core.row_cover``): a rebuild or an archive that copies a table's rows
with several ``INSERT ... SELECT ... WHERE`` whose filters together cover every row loses
no row. SQLite judges: each generated migration is replayed with rows including NULLs,
and erdgen may say "all rows kept" (no destructive mark on the page, in the export, in the
lint) only when SQLite kept every row; for filters it reads (one value, NULL, ``c`` / ``NOT
c``) it must say so whenever SQLite did.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.core.row_cover import covers_all
from erdgen.descriptions import Descriptions
from erdgen.formats.json import export_data
from erdgen.model import Column, RowLoss, Table
from erdgen.render.pages import render_pages
from erdgen.rules.lint import lint

FILTERS = (
    "a = 'x'", "a != 'x'", "a <> 'x'", "'x' = a", "a IS NULL", "a IS NOT NULL", "a != 'y'",
    "(a) NOTNULL", "b", "NOT b", "b IS NULL", "NOT (b)", "b IS NOT NULL", "\"a\" == 'x'",
)  # fmt: skip
FORMS = ("rebuild", "archive_table", "archive_column")
# rows of every kind a filter tells apart: NULL, the value named, another value; b 0, 1, 2
ROWS = [(a, b, f"{a}{b}") for a in ("x", "y", "z", None) for b in (0, 1, 2, None)]  # c: unique


def create(a_not_null: bool, b_not_null: bool) -> str:
    a, b = (" NOT NULL" if flag else "" for flag in (a_not_null, b_not_null))
    return f"-- Tables.\nCREATE TABLE t (a TEXT{a}, b INTEGER{b}, c TEXT);\n"


def move(form: str, filters: list[str]) -> tuple[str, str]:
    """The migration and the SELECT that reads the copied rows in the source's shape."""
    target, select, rows = {
        "rebuild": ("t_new", "a, b, c", "SELECT a, b, c FROM t"),
        "archive_table": ("archive", "a, b, c", "SELECT a, b, c FROM archive"),
        "archive_column": ("archive", "c", "SELECT old_c FROM archive"),
    }[form]
    copies = [f"INSERT INTO {target} SELECT {select} FROM t WHERE {f};" for f in filters]
    statements = {
        "rebuild": ["CREATE TABLE t_new (a TEXT, b INTEGER, c TEXT);", *copies,
                    "DROP TABLE t;", "ALTER TABLE t_new RENAME TO t;"],
        "archive_table": ["CREATE TABLE archive (a TEXT, b INTEGER, c TEXT);", *copies,
                          "DROP TABLE t;"],
        "archive_column": ["CREATE TABLE archive (old_c TEXT);",
                           *copies,
                           "ALTER TABLE t DROP COLUMN c;"],
    }[form]  # fmt: skip
    return "-- Move.\n" + "\n".join(statements) + "\n", rows


def kept_by_sqlite(schema: str, migration: str, rows_select: str, form: str) -> bool:
    connection = sqlite3.connect(":memory:")
    connection.executescript(schema)
    source = []
    for row in ROWS:
        try:
            connection.execute("INSERT INTO t VALUES (?, ?, ?)", row)
            source.append(row)
        except sqlite3.IntegrityError:
            continue  # a NULL where the column is NOT NULL: not a row the table can hold
    connection.executescript(migration)
    copied = Counter(connection.execute(rows_select).fetchall())
    wanted = Counter((r[2],) if form == "archive_column" else r for r in source)
    return not wanted - copied


def reads_every_filter(filters: list[str]) -> bool:
    """Filters of one column with at most one value named: the ones erdgen judges exactly."""
    columns = {"a" if "a" in f else "b" for f in filters}
    values = {v for f in filters for v in re.findall(r"'(\w)'", f)}
    return len(columns) == 1 and len(values) <= 1


@settings(max_examples=60, deadline=None)
@given(
    form=st.sampled_from(FORMS),
    filters=st.lists(st.sampled_from(FILTERS), min_size=2, max_size=3),
    a_not_null=st.booleans(),
    b_not_null=st.booleans(),
)
def test_split_copies_keep_every_row_exactly_when_sqlite_does(
    tmp_path_factory: pytest.TempPathFactory,
    form: str,
    filters: list[str],
    a_not_null: bool,
    b_not_null: bool,
) -> None:
    schema = create(a_not_null, b_not_null)
    migration, rows_select = move(form, filters)
    kept = kept_by_sqlite(schema, migration, rows_select, form)

    folder = tmp_path_factory.mktemp("split")
    migrations = folder / "migrations"
    shutil.rmtree(folder, ignore_errors=True)
    migrations.mkdir(parents=True)
    (migrations / "0001_create.sql").write_text(schema)
    (migrations / "0002_move.sql").write_text(migration)
    history = load_history(migrations, folder)
    entry = export_data(history)["timeline"][-1]
    flagged = [f for f in lint(history) if f.rule == "destructive-change-without-note"]
    config = Config(project_dir=folder, languages=("en",))
    page = render_pages(history, Descriptions(), config)["migrations/0002.en.md"].decode()
    says_kept = not entry["destructive"]
    assert says_kept == (not flagged) == ("⚠️" not in page), page
    if says_kept:
        assert kept, (filters, page)  # never "all rows" where SQLite lost one
    if reads_every_filter(filters):
        assert says_kept == kept, (filters, page)
    if says_kept and form == "archive_column":
        assert "`c` → `archive.old_c` (data copied, all rows)" in page


def test_the_filters_read_and_the_null_they_miss() -> None:
    def covered(not_null: bool, *filters: str) -> bool:
        table = Table("t", (Column("a", "TEXT", not_null=not_null), Column("b", "INTEGER")))
        return covers_all([(RowLoss("where", f),) for f in filters], table)

    assert covered(True, "\"a\" = 'everyone'", "\"a\" != 'everyone'")  # homarr 0025
    assert not covered(False, "a = 'x'", "a <> 'x'")  # a row where a is NULL is lost
    assert covered(False, "a = 'x'", "a <> 'x'", "a IS NULL")
    assert covered(False, "(b) IS NULL", "b", "NOT b")
    assert not covered(True, "a != 'x'", "a != 'X'")  # two values: not judged
    assert not covered(True, "NOT a OR b", "a OR b")  # NOT binds to a only
    assert covered(False, "b > 1 AND a", "NOT (b > 1 AND a)", "(b > 1 AND a) IS NULL")
    assert not covered(True, "a = 'x' AND b", "a != 'x'")
    joined = (RowLoss("where", "a = 'x'"), RowLoss("join", "JOIN u ON u.k = b"))
    assert not covers_all([joined, (RowLoss("where", "a != 'x'"),)], None)
    assert covers_all([(), (RowLoss("limit", "1"),)], None)  # one copy took every row
