"""Which tables hold an index or constraint name and which tables' foreign keys reference
a table, kept up to date as tables change.

Choosing an index name probes several candidates, and dropping or renaming a table or a
column looks for the foreign keys that reference it: scans over every table's lists for
each (hundreds of tables, thousands of statements) were a third of the reader's time.
A table says it changed by clearing its ``listed`` flag (``TableState.touch``); only
those tables are looked at again.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from erdgen.dialects.postgres.state import TableState

_Keys = tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]
_LISTED = operator.attrgetter("_listed")


class TableLookup:
    """Index names (qualified), constraint names (by namespace) and referenced tables
    (qualified) of the tables last passed to ``refresh``."""

    def __init__(self) -> None:
        self._entered: dict[int, tuple[TableState, _Keys]] = {}  # by id: the table stays alive
        self._indexes: Counter[str] = Counter()
        self._constraints: Counter[tuple[str, str]] = Counter()
        self._referencing: dict[str, dict[int, TableState]] = {}

    def refresh(self, tables: Collection[TableState]) -> None:
        """Enter the tables changed or new since the last call and forget those gone
        (C-level ``map`` and ``compress`` find them among hundreds). A table is marked
        ``_listed`` exactly while it is entered as it is, so when none is unmarked and the
        counts agree, the entered tables are these tables."""
        for table in itertools.compress(tables, map(operator.not_, map(_LISTED, tables))):
            self._forget(id(table))
            self._enter(table)
        if len(self._entered) != len(tables):
            for gone in self._entered.keys() - set(map(id, tables)):
                self._forget(gone)

    def index_taken(self, key: str) -> bool:
        return key in self._indexes

    def constraint_taken(self, namespace: str, name: str) -> bool:
        return (namespace, name) in self._constraints

    def referencing(self, key: str) -> list[TableState]:
        """The tables with a foreign key to the table ``key``, in the order they were seen."""
        return list(self._referencing.get(key, {}).values())

    def _enter(self, table: TableState) -> None:
        keys: _Keys = (
            frozenset(i.name for i in table.indexes),
            frozenset((table.namespace, c.name) for c in table.constraints),
            frozenset(c.foreign_key.ref_table for c in table.constraints if c.foreign_key),
        )
        self._entered[id(table)] = (table, keys)
        self._indexes.update(keys[0])
        self._constraints.update(keys[1])
        for referenced in keys[2]:
            self._referencing.setdefault(referenced, {})[id(table)] = table
        object.__setattr__(table, "_listed", True)

    def _forget(self, number: int) -> None:
        entered = self._entered.pop(number, None)
        if entered is None:
            return
        object.__setattr__(entered[0], "_listed", False)  # entered again if it comes back
        indexes, constraints, references = entered[1]
        self._indexes.subtract(indexes)
        for index in indexes:
            if self._indexes[index] <= 0:
                del self._indexes[index]
        self._constraints.subtract(constraints)
        for constraint in constraints:
            if self._constraints[constraint] <= 0:
                del self._constraints[constraint]
        for referenced in references:
            tables = self._referencing[referenced]
            del tables[number]
            if not tables:
                del self._referencing[referenced]
