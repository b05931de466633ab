"""Copies made by UPDATE (erdgen.core.update_lineage): ``UPDATE t SET a = expr [FROM s]
[WHERE c]`` carries the columns ``expr`` reads into ``t.a``, so a column dropped after it
is not called destroyed. SQLite is the oracle: it runs each generated migration on rows
with distinct values, and the updated column must hold the dropped column's value."""

from __future__ import annotations

import sqlite3

from folders import migrations
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.core.history import build_history
from erdgen.model import Action

FIRST = (
    "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT, Note TEXT);\n"
    "CREATE TABLE s (id INTEGER PRIMARY KEY, t_id INTEGER, src TEXT);\n"
)
# parentheses in strings and comments too: they do not cut the SET list
EXPRESSIONS = [
    "{}", "upper({})", "{} || '-'", "coalesce({}, 'z')", "{} || ')'", "'(' || {}",
    "{} /* ) */", "{} || '('",
]  # fmt: skip


@st.composite
def updates(draw: st.DrawFn) -> tuple[str, tuple[str, str, str, str], bool]:
    """(the second migration, (source, column, target, into), whether every row was
    updated); it copies a column with an UPDATE, then drops that column."""
    expression = draw(st.sampled_from(EXPRESSIONS))
    where = draw(st.booleans())
    if draw(st.booleans()):  # from the table itself
        column = draw(st.sampled_from(["old", '"old"', "t.old", "OLD"]))
        sql = f"UPDATE t SET Note = {expression.format(column)}"
        sql += " WHERE id > 0;\n" if where else ";\n"
        sql += "ALTER TABLE t DROP COLUMN old;\n"
        return sql, ("t", "old", "t", "Note"), not where
    alias = draw(st.sampled_from(["s", "x"]))
    named = "s" if alias == "s" else "s AS x"
    sql = (
        f"UPDATE t SET note = {expression.format(alias + '.src')} FROM {named} "
        f"WHERE {alias}.t_id = t.id;\nALTER TABLE s DROP COLUMN src;\n"
    )
    return sql, ("s", "src", "t", "note"), False


@settings(max_examples=40, deadline=None)
@given(update=updates())
def test_an_update_copies_the_column_it_reads(
    update: tuple[str, tuple[str, str, str, str], bool],
) -> None:
    second, (source, column, target, into), every_row = update
    db = sqlite3.connect(":memory:")
    db.executescript(FIRST)
    db.executescript("INSERT INTO t VALUES (1, 'one', NULL); INSERT INTO s VALUES (1, 1, 'one');")
    db.executescript(second)
    (value,) = db.execute("SELECT Note FROM t").fetchone()
    assert "one" in value.lower()  # SQLite: the value went into t.Note
    history = build_history(migrations(FIRST, second))
    drop = next(c for c in history.steps[1].changes if c.action is Action.DROP_COLUMN)
    # as written: SQLite folds ASCII letters, and so does every comparison of names
    assert [(c.source, c.column.lower(), c.target, c.into.lower()) for c in drop.copied_to] == [
        (source, column, target, into.lower())
    ]
    assert drop.lost_columns == ()
    assert (drop.copied_to[0].rows_lost == ()) is every_row


def test_what_an_update_does_not_show_plainly_is_not_a_copy() -> None:
    for second in (
        "UPDATE t SET Note = (SELECT src FROM s WHERE s.t_id = t.id);\n",
        "UPDATE t SET (Note, id) = (old, id);\n",
        "UPDATE t SET Note = src FROM (SELECT * FROM s) AS q WHERE q.t_id = t.id;\n",
    ):
        history = build_history(migrations(FIRST, second + "ALTER TABLE t DROP COLUMN old;\n"))
        assert history.steps[1].copies == (), second


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.tuples(st.sampled_from(["x", None]), st.sampled_from(["c1", None]))),
    own=st.booleans(),
    spelled=st.sampled_from(
        ["{} IS NOT NULL", '"{}" IS NOT NULL', "t.{} NOTNULL", "({}) IS NOT NULL"]
    ),
)
def test_a_copy_of_a_columns_values_where_it_is_not_null_loses_none_of_them(
    values: list[tuple[str | None, str | None]], own: bool, spelled: str
) -> None:
    """SQLite judges: every non-NULL value of ``c`` is in the archive exactly when the filter
    is on ``c`` itself; a filter on another column leaves some behind (then erdgen must say
    rows were lost)."""
    first = "CREATE TABLE t (a TEXT, c TEXT);\nCREATE TABLE archive (old_c TEXT);\n"
    where = spelled.format("c" if own else "a")
    second = f"INSERT INTO archive (old_c) SELECT c FROM t WHERE {where};\n"
    second += "ALTER TABLE t DROP COLUMN c;\n"
    db = sqlite3.connect(":memory:")
    db.executescript(first)
    db.executemany("INSERT INTO t VALUES (?, ?)", values)
    wanted = sorted(c for _, c in values if c is not None)
    db.executescript(second)
    kept = sorted(c for (c,) in db.execute("SELECT old_c FROM archive") if c is not None)
    drop = build_history(migrations(first, second)).steps[1].changes[-1]
    assert drop.action is Action.DROP_COLUMN
    if own:
        assert kept == wanted and not drop.destructive
    else:  # erdgen may not know the data; it must not say all of it was kept
        assert drop.destructive
