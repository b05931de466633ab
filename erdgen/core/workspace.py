"""The schema while a migration is being applied: mutable, indexed by name.

Folding thousands of statements over a frozen Schema would copy and scan every table
per statement; the workspace keeps dictionaries keyed by SQLite's case-insensitive
names and hands out a frozen Schema only when one is asked for (a snapshot after each
migration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from erdgen.model import Index, Schema, Table, Trigger, View


@dataclass(slots=True)
class Workspace:
    tables: dict[str, Table] = field(default_factory=dict)  # lower-case name -> table
    views: dict[str, View] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    index_owner: dict[str, str] = field(default_factory=dict)  # lower index name -> table key
    # lower name -> keys of the tables with a foreign key to it (renames rewrite those)
    referrers: dict[str, set[str]] = field(default_factory=dict)
    _snapshot: Schema | None = None

    @property
    def schema(self) -> Schema:
        """A frozen copy, in creation order (as SQLite lists its schema)."""
        if self._snapshot is None:
            self._snapshot = Schema(
                tuple(self.tables.values()),
                tuple(self.views.values()),
                tuple(self.triggers.values()),
            )
        return self._snapshot

    def rename_table(self, old: str, table: Table) -> None:
        """Put ``table`` (renamed) in the place of the table named ``old``."""
        key, new_key = old.lower(), table.name.lower()
        self._forget(key, self.tables[key])
        self.tables = {
            (new_key if k == key else k): (table if k == key else t) for k, t in self.tables.items()
        }
        self._register(new_key, table)
        self._snapshot = None

    def table(self, name: str) -> Table | None:
        return self.tables.get(name.lower())

    def index(self, name: str) -> Index | None:
        owner = self.index_owner.get(name.lower())
        return self.tables[owner].index(name) if owner is not None else None

    def view(self, name: str) -> View | None:
        return self.views.get(name.lower())

    def trigger(self, name: str) -> Trigger | None:
        return self.triggers.get(name.lower())

    def put_table(self, table: Table) -> None:
        """Add a table, or replace the table of the same name in its place."""
        key = table.name.lower()
        old = self.tables.get(key)
        if old is not None:
            self._forget(key, old)
        self.tables[key] = table
        self._register(key, table)
        self._snapshot = None

    def remove_table(self, name: str) -> Table | None:
        """Drop a table with its indexes and triggers, as DROP TABLE does."""
        key = name.lower()
        table = self.tables.pop(key, None)
        if table is not None:
            self._forget(key, table)
            for trigger in [k for k, t in self.triggers.items() if t.table.lower() == key]:
                del self.triggers[trigger]
            self._snapshot = None
        return table

    def referring(self, name: str) -> list[str]:
        """Keys of the tables with a foreign key to the table ``name``."""
        return sorted(self.referrers.get(name.lower(), ()))

    def _register(self, key: str, table: Table) -> None:
        for index in table.indexes:
            self.index_owner[index.name.lower()] = key
        for foreign_key in table.foreign_keys:
            self.referrers.setdefault(foreign_key.ref_table.lower(), set()).add(key)

    def _forget(self, key: str, table: Table) -> None:
        for index in table.indexes:
            self.index_owner.pop(index.name.lower(), None)
        for foreign_key in table.foreign_keys:
            self.referrers.get(foreign_key.ref_table.lower(), set()).discard(key)

    def put_view(self, view: View) -> None:
        self.views[view.name.lower()] = view
        self._snapshot = None

    def remove_view(self, name: str) -> View | None:
        self._snapshot = None
        return self.views.pop(name.lower(), None)

    def put_trigger(self, trigger: Trigger) -> None:
        self.triggers[trigger.name.lower()] = trigger
        self._snapshot = None

    def remove_trigger(self, name: str) -> Trigger | None:
        self._snapshot = None
        return self.triggers.pop(name.lower(), None)
