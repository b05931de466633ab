"""A name dropped and taken again in one migration is a new object (PostgreSQL).

The changes of a PostgreSQL migration are the difference of the schema before and after,
with the renames the reader noted. ``DROP COLUMN a; ADD COLUMN a; RENAME a TO b`` must read
as a dropped (its data gone) and b added, not as a renamed to b; the same for tables. The
generated statements run in PostgreSQL first (they are valid), and the expected changes
follow each object's identity through the statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from folders import migrations
from hypothesis import given
from hypothesis import strategies as st
from pg_findings import PG_SETTINGS

from erdgen import dialects
from erdgen.core.history import build_history
from erdgen.model import Action

if TYPE_CHECKING:
    from psycopg import Connection

POSTGRES = dialects.get("postgres")
FIRST = "CREATE TABLE t (id integer, a text);\nCREATE TABLE u (id integer);\n"
COLUMN_ACTIONS = (Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN)
TABLE_ACTIONS = (Action.CREATE_TABLE, Action.DROP_TABLE, Action.RENAME_TABLE)


@st.composite
def column_steps(draw: st.DrawFn) -> tuple[str, set[tuple[str, str, str]]]:
    """(statements on t's column a and its successors, expected (action, object, old))."""
    names = ["a"]  # the columns of t besides id, in order; names[0] is a's successor
    original: str | None = "a"  # the name the column a of before has now, None once dropped
    statements = []
    for number in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["rename", "drop", "add"]))
        if kind == "add" and "a" not in names:
            statements.append("ALTER TABLE t ADD COLUMN a text;")
            names.append("a")
        elif kind == "drop" and names:
            gone = draw(st.sampled_from(names))
            statements.append(f"ALTER TABLE t DROP COLUMN {gone};")
            names.remove(gone)
            original = None if gone == original else original
        elif kind == "rename" and names:
            old = draw(st.sampled_from(names))
            new = f"c{number}"
            statements.append(f"ALTER TABLE t RENAME COLUMN {old} TO {new};")
            names[names.index(old)] = new
            original = new if old == original else original
    expected = {("add_column", f"t.{name}", "") for name in names if name != original}
    if original is None:
        expected.add(("drop_column", "t.a", ""))
    elif original != "a":
        expected.add(("rename_column", f"t.{original}", "t.a"))
    return "\n".join(statements) + "\n", expected


@st.composite
def table_steps(draw: st.DrawFn) -> tuple[str, set[tuple[str, str, str]]]:
    """The same for the name u: the table u of before, and tables made under that name,
    dropped, renamed away, made again."""
    names: dict[int, str | None] = {0: "u"}  # object -> its name now (None: dropped); 0 is u
    holder: int | None = 0  # the object called u now
    statements = []
    for number in range(1, draw(st.integers(1, 5)) + 1):
        kind = draw(st.sampled_from(["rename", "drop", "create"]))
        if kind == "create" and holder is None:
            statements.append("CREATE TABLE u (id integer);")
            holder = len(names)
            names[holder] = "u"
        elif kind == "drop" and holder is not None:
            statements.append("DROP TABLE u;")
            names[holder], holder = None, None
        elif kind == "rename" and holder is not None:
            statements.append(f"ALTER TABLE u RENAME TO v{number};")
            names[holder], holder = f"v{number}", None
    expected = {("create_table", name, "") for o, name in names.items() if o and name}
    if names[0] is None:
        expected.add(("drop_table", "u", ""))
    elif names[0] != "u":
        expected.add(("rename_table", str(names[0]), "u"))
    return "\n".join(statements) + "\n", expected


@PG_SETTINGS
@given(columns=column_steps(), tables=table_steps())
def test_a_name_dropped_and_taken_again_is_a_new_object(
    pg: Connection,
    columns: tuple[str, set[tuple[str, str, str]]],
    tables: tuple[str, set[tuple[str, str, str]]],
) -> None:
    second = columns[0] + tables[0]
    pg.execute("BEGIN")
    try:
        for text in (FIRST, second):  # PostgreSQL runs them: the statements are valid
            pg.execute(text.encode())
    finally:
        pg.execute("ROLLBACK")
    step = build_history(migrations(FIRST, second), POSTGRES).steps[1]
    found = {
        (
            c.action.value,
            c.object.removeprefix("public."),
            (c.old_name or "").removeprefix("public."),
        )
        for c in step.changes
        if c.action in COLUMN_ACTIONS + TABLE_ACTIONS
    }
    assert found == columns[1] | tables[1], second


def _bare(name: str) -> str:
    return name.removeprefix("public.")
