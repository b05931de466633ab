"""Objects a migration dropped and made again under the same name with another definition:
a primary key swapped to other columns, a CHECK replaced, an index or a trigger made anew.

The name is on both sides of the migration's diff, so only the definitions tell the
change. A definition is compared as it was before the migration: names the migration's
renames gave (a column, the referenced table) are read back to the old ones, so that a
rename alone is no replacement. What only says how or when an object was made (an
index's ``CONCURRENTLY``, a constraint's validation, a description) is not compared.
"""

from __future__ import annotations

import operator

from erdgen.dialects.postgres.alter import renamed_in
from erdgen.dialects.postgres.renames import Renames
from erdgen.model import Constraint, Index, IndexColumn, Table, Trigger

Shape = tuple[object, ...]


class Before:
    """Names after the migration read back to what they were before it."""

    def __init__(self, renamed: Renames, table: str) -> None:
        self._renamed = renamed
        self._columns = renamed.columns_of(table)

    def column(self, name: str) -> str:
        return self._columns.get(name, name)

    def table(self, name: str) -> str:
        return self._renamed.tables.get(name, name)

    def referenced(self, table: str, column: str) -> str:
        return self._renamed.columns.get((table, column), column)

    def text(self, text: str | None) -> str | None:
        """An expression with the renamed columns' old names (a word, not a call)."""
        if text is None:
            return None
        for new, old in self._columns.items():
            text = renamed_in(text, new, old)
        return " ".join(text.split())


def replaced_constraints(before: Table, after: Table, back: Before) -> set[str]:
    """The constraints on both sides by name whose definition differs; ``back`` reads the
    names after the migration as they were before it. The reader hands out the same
    ``Constraint`` while nothing changed it (a CHECK given another condition is another
    object, though equal as a value): most tables are done at the first test."""
    if len(before.constraints) == len(after.constraints) and all(
        map(operator.is_, before.constraints, after.constraints)
    ):
        return set()
    old = {c.name: c for c in before.constraints}
    return {
        c.name
        for c in after.constraints
        if c.name in old
        and c is not old[c.name]
        and constraint_shape(before, old[c.name], AS_IS) != constraint_shape(after, c, back)
    }


def constraint_shape(table: Table, constraint: Constraint, back: Before | _Identity) -> Shape:
    """Kind and columns; a CHECK's condition; a foreign key's target and actions."""
    columns = tuple(map(back.column, constraint.columns))
    if constraint.kind == "c":
        check = next((c for c in table.checks if c.name == constraint.name), None)
        return ("c", columns, back.text(check.expression if check else constraint.definition))
    if constraint.kind == "f":
        key = next((k for k in table.foreign_keys if k.name == constraint.name), None)
        if key is not None:
            target = key.ref_table
            refs = tuple(back.referenced(target, c) for c in key.ref_columns)
            return ("f", columns, back.table(target), refs, key.on_delete, key.on_update,
                    key.match, key.deferrable)  # fmt: skip
    return (constraint.kind, columns, constraint.definition)


def index_shape(index: Index, back: Before | _Identity) -> Shape:
    """Keys (column or expression, order, collation, operator class), uniqueness, the
    condition, the access method and the INCLUDE columns."""
    return (
        tuple(_key(key, back) for key in index.columns),
        index.unique,
        back.text(index.where),
        index.method,
        tuple(map(back.column, index.include)),
    )


def trigger_shape(trigger: Trigger) -> Shape:
    """Its statement as written (the function it runs follows a rename of the function,
    the text does not) with timing, events and level."""
    return (" ".join(trigger.sql.split()), trigger.timing, trigger.event, trigger.level)


def _key(key: IndexColumn, back: Before | _Identity) -> Shape:
    name = back.column(key.name) if key.name is not None else None
    return (name, back.text(key.expression), key.descending, key.collation, key.opclass)


class _Identity:
    """No renames: every name is what it was."""

    def column(self, name: str) -> str:
        return name

    def table(self, name: str) -> str:
        return name

    def referenced(self, table: str, column: str) -> str:
        return column

    def text(self, text: str | None) -> str | None:
        return None if text is None else " ".join(text.split())


AS_IS = _Identity()
