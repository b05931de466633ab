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

# ("table", "", old key, new key) or ("column", the table's key then, old name, new name)
Renamed = tuple[Literal["table", "column"], str, str, str]


class Renames(Struct, frozen=True):
    """What the names after a migration were called before it."""

    tables: dict[str, str] = field(default_factory=dict)  # new key -> old key
    # (the table's key after, the column's name after) -> its name before
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # every column rename (old name, new name) in order, also of columns dropped later
    steps: tuple[tuple[str, str], ...] = ()
    table_steps: tuple[tuple[str, str], ...] = ()  # the same for tables (old key, new key)

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

    def columns_of(self, table: str) -> dict[str, str]:
        """The renamed columns of ``table`` (its key after): new name -> old name."""
        return {new: old for (key, new), old in self.columns.items() if key == table}


NO_RENAMES = Renames()


def resolve(events: Iterable[Renamed]) -> Renames:
    """Chains followed (a -> b -> c is a -> c), a column's table followed through the
    table's later renames, and names renamed back to themselves left out."""
    tables: dict[str, str] = {}
    columns: dict[tuple[str, str], str] = {}
    steps: dict[str, list[tuple[str, str]]] = {"column": [], "table": []}
    for kind, table, old, new in events:
        steps[kind].append((old, new))
        if kind == "table":
            tables[new] = tables.pop(old, old)
            for key in [k for k in columns if k[0] == old]:
                columns[(new, key[1])] = columns.pop(key)
        else:
            columns[(table, new)] = columns.pop((table, old), old)
    return Renames(
        {new: old for new, old in tables.items() if new != old},
        {key: old for key, old in columns.items() if key[1] != old},
        tuple(steps["column"]),
        tuple(steps["table"]),
    )


def _later(steps: tuple[tuple[str, str], ...], name: str) -> tuple[str, ...]:
    found: list[str] = []
    for old, new in steps:
        if (old == name or old in found) and new != name and new not in found:
            found.append(new)
    return tuple(found)
