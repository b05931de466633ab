"""The renames of one migration, as the reader applied them, for the migration's changes.

The changes are the difference of the schema before and after the migration; a renamed
table or column would read there as one dropped (its data lost) and another created. The
reader notes each ``ALTER TABLE … RENAME [COLUMN] … TO`` and ``SET SCHEMA`` as it applies
it, and ``resolve`` folds those notes into what became of each original name, so the
changes say "renamed" instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from msgspec import Struct, field

# ("table", "", old key, new key) or ("column", the table's key then, old name, new name);
# a drop is noted too, ("drop_table", "", key, "") or ("drop_column", table's key, name, ""),
# so that a name dropped and taken again by a new object is not read as the old one
Renamed = tuple[Literal["table", "column", "drop_table", "drop_column"], str, str, str]


class Renames(Struct, frozen=True):
    """What the names after a migration were called before it."""

    tables: dict[str, str] = field(default_factory=dict)  # new key -> old key
    # (the table's key after, the column's name after) -> its name before
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # every column rename (old name, new name) in order, also of columns dropped later
    steps: tuple[tuple[str, str], ...] = ()
    table_steps: tuple[tuple[str, str], ...] = ()  # the same for tables (old key, new key)
    # the tables (keys before) and columns ((the table's key after, the name before)) of
    # before the migration that it dropped, also where a new one took the name again
    dropped_tables: frozenset[str] = frozenset()
    dropped_columns: frozenset[tuple[str, str]] = frozenset()

    def later_names(self, table: str, column: str) -> tuple[str, ...]:
        """The names ``column`` was renamed to in the migration (a column renamed, then
        dropped: its drop names the new name). Of any table: only the statements that
        changed ``table`` are searched for them."""
        return _later(self.steps, column)

    def later_table_keys(self, table: str) -> tuple[str, ...]:
        """The keys the table ``table`` (its key before) had in the migration."""
        return _later(self.table_steps, table)

    def later_keys(self, table: str) -> tuple[str, ...]:
        """The keys the table ``table`` (its key before the migration) has after it."""
        return tuple(new for new, old in self.tables.items() if old == table)

    def dropped_of(self, table: str) -> set[str]:
        """The columns of ``table`` (its key after) it had before and the migration dropped."""
        return {name for key, name in self.dropped_columns if key == table}

    def columns_of(self, table: str) -> dict[str, str]:
        """The renamed columns of ``table`` (its key after): new name -> old name."""
        return {new: old for (key, new), old in self.columns.items() if key == table}


NO_RENAMES = Renames()


def resolve(events: Iterable[Renamed]) -> Renames:
    """Chains followed (a -> b -> c is a -> c), a column's table followed through the
    table's later renames, and names renamed back to themselves left out. A name dropped
    in the migration is forgotten: what is made under it afterwards, and renamed, is new
    (DROP COLUMN a, ADD COLUMN a, RENAME a TO b: b is a new column, a's data is gone)."""
    # key now -> key before; None: a name left or dropped, whatever holds it now is new
    tables: dict[str, str | None] = {}
    columns: dict[tuple[str, str], str | None] = {}
    dropped_tables: set[str] = set()
    dropped_columns: set[tuple[str, str]] = set()
    steps: dict[str, list[tuple[str, str]]] = {"column": [], "table": []}
    for kind, table, old, new in events:
        if kind == "drop_table":
            before = tables.get(old, old)
            if before is not None:
                dropped_tables.add(before)
            tables[old] = None
            for key in [k for k in columns if k[0] == old]:
                del columns[key]
            dropped_columns = {k for k in dropped_columns if k[0] != old}
        elif kind == "drop_column":
            before = columns.get((table, old), old)
            if before is not None:
                dropped_columns.add((table, before))
            columns[(table, old)] = None
        elif kind == "table":
            steps["table"].append((old, new))
            tables[new] = tables.pop(old, old)
            tables[old] = None  # what is called `old` from now on is another table
            for key in [k for k in columns if k[0] == old]:
                columns[(new, key[1])] = columns.pop(key)
            dropped_columns = {(new if k == old else k, c) for k, c in dropped_columns}
        else:
            steps["column"].append((old, new))
            columns[(table, new)] = columns.pop((table, old), old)
            columns[(table, old)] = None  # likewise for a column
    return Renames(
        {new: old for new, old in tables.items() if old is not None and new != old},
        {key: old for key, old in columns.items() if old is not None and key[1] != old},
        tuple(steps["column"]),
        tuple(steps["table"]),
        frozenset(dropped_tables),
        frozenset(dropped_columns),
    )


def _later(steps: tuple[tuple[str, str], ...], name: str) -> tuple[str, ...]:
    found: list[str] = []
    for old, new in steps:
        if (old == name or old in found) and new != name and new not in found:
            found.append(new)
    return tuple(found)
