"""Which columns can hold NULL: erdgen's one rule (``erdgen.keys.is_required``, shown on
the table pages as "NULL: yes / no" and in the diagrams as NN) against SQLite itself."""

from __future__ import annotations

import re
import sqlite3

from folders import history_of
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.descriptions import Descriptions
from erdgen.keys import column_markers, is_required
from erdgen.render.pages import render_pages
from erdgen.rules.lint import lint

RULE = "primary-key-allows-null"
# The types a STRICT table accepts, with a value each column of that type takes.
VALUES = {"INTEGER": "7", "INT": "7", "REAL": "1.5", "TEXT": "'x'", "BLOB": "x'00'", "ANY": "7"}


@st.composite
def tables(draw: st.DrawFn) -> str:
    """CREATE TABLE t with 1-4 columns: any NOT NULL, a primary key of one column (``DESC``
    too, which keeps an INTEGER column from aliasing the rowid) or of several, or none;
    WITHOUT ROWID and STRICT where SQLite allows them."""
    count = draw(st.integers(1, 4))
    types = [draw(st.sampled_from(sorted(VALUES))) for _ in range(count)]
    columns = [
        f"c{n} {kind}" + draw(st.sampled_from(["", " NOT NULL"])) for n, kind in enumerate(types)
    ]
    key = draw(st.sampled_from(["none", "column", "column desc", "table"]))
    keyed = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=count, unique=True))
    if key.startswith("column"):
        columns[keyed[0]] += " PRIMARY KEY" + (" DESC" if key.endswith("desc") else "")
    elif key == "table":
        columns.append(f"PRIMARY KEY ({', '.join(f'c{n}' for n in keyed)})")
    options = []
    if key != "none" and draw(st.booleans()):
        options.append("WITHOUT ROWID")
    if draw(st.booleans()):
        options.append("STRICT")
    return f"CREATE TABLE t ({', '.join(columns)}) {', '.join(options)};"


def sqlite_columns(ddl: str) -> list[str]:
    connection = sqlite3.connect(":memory:")
    connection.execute(ddl)
    return [row[1] for row in connection.execute("PRAGMA table_info(t)")]


def holds_null(ddl: str, column: str) -> bool:
    """SQLite's answer: a row with NULL in ``column`` (a value in every other) is stored,
    and NULL is what is read back."""
    connection = sqlite3.connect(":memory:")
    connection.execute(ddl)
    names_and_types = [(row[1], row[2]) for row in connection.execute("PRAGMA table_info(t)")]
    values = ["NULL" if name == column else VALUES[kind] for name, kind in names_and_types]
    try:
        connection.execute(f"INSERT INTO t VALUES ({', '.join(values)})")
    except sqlite3.IntegrityError:
        return False
    (stored,) = connection.execute(f"SELECT {column} FROM t").fetchone()
    return stored is None


@given(tables())
def test_a_column_is_required_exactly_when_sqlite_keeps_null_out_of_it(ddl: str) -> None:
    (table,) = history_of(ddl).schema.tables
    for column in table.columns:
        sqlite_says = not holds_null(ddl, column.name)
        assert is_required(table, column) == sqlite_says, (ddl, column.name)
        assert ("NN" in column_markers(table, column)) == sqlite_says, (ddl, column.name)


NULL_CELL = re.compile(r'<a id="c-(\w+)"></a>.*?NULL:</span> (yes|no)')


@settings(max_examples=30)
@given(tables())
def test_the_table_page_says_null_yes_exactly_where_sqlite_stores_null(ddl: str) -> None:
    """The "NULL" cell of every column row of the English table page."""
    pages = render_pages(history_of(ddl), Descriptions(), Config())
    shown = dict(NULL_CELL.findall(pages["tables/t.en.md"].decode()))
    assert shown == {c: "yes" if holds_null(ddl, c) else "no" for c in sqlite_columns(ddl)}


@given(tables())
def test_the_rule_names_each_primary_key_column_sqlite_stores_null_in(ddl: str) -> None:
    """``primary-key-allows-null`` finds the primary-key columns that hold NULL in SQLite,
    each once, and nothing else."""
    (table,) = history_of(ddl).schema.tables
    found = [f.message.split()[2] for f in lint(history_of(ddl)) if f.rule == RULE]
    keyed = [c.name for c in table.columns if c.primary_key]
    assert found == [f"t.{c}" for c in keyed if holds_null(ddl, c)]
