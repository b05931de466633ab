"""The schema while a migration is being applied: mutable, indexed by name.

Folding thousands of statements over a frozen Schema would copy and scan every table
per statement; the workspace keeps dictionaries keyed by the dialect's identifier rule
(``names.key``) and hands out a frozen Schema only when one is asked for (a snapshot
after each migration).
"""

from __future__ import annotations

from msgspec import Struct, field

from erdgen.model import DEFAULT_RULE, IdentifierRule, Index, Schema, Table, Trigger, View


class Workspace(Struct):
    """The schema while a migration is applied: tables, views and triggers in creation order,
    keyed by ``names.key``; ``schema`` is a frozen copy, kept until the next change."""

    names: IdentifierRule = DEFAULT_RULE  # the dialect's rule: which names are the same
    tables: dict[str, Table] = field(default_factory=dict)  # names.key(name) -> table
    views: dict[str, View] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    index_owner: dict[str, str] = field(default_factory=dict)  # index key -> table key
    # table key -> keys of the tables with a foreign key to it (renames rewrite those)
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
                names=self.names,
            )
        return self._snapshot

    def copy(self) -> Workspace:
        """An independent workspace with the same objects (for a rollback to return to)."""
        return Workspace(
            self.names,
            dict(self.tables),
            dict(self.views),
            dict(self.triggers),
            dict(self.index_owner),
            {key: set(tables) for key, tables in self.referrers.items()},
            self._snapshot,
        )

    def rename_table(self, old: str, table: Table) -> None:
        """Put ``table`` (renamed) in the place of the table named ``old``."""
        key, new_key = self.names.key(old), self.names.key(table.name)
        self._forget(key, self.tables[key])
        self.tables = {
            (new_key if k == key else k): (table if k == key else t) for k, t in self.tables.items()
        }
        self._register(new_key, table)
        self._snapshot = None

    def table(self, name: str) -> Table | None:
        return self.tables.get(self.names.key(name))

    def index(self, name: str) -> Index | None:
        owner = self.index_owner.get(self.names.key(name))
        return self.tables[owner].index(name) if owner is not None else None

    def view(self, name: str) -> View | None:
        return self.views.get(self.names.key(name))

    def trigger(self, name: str) -> Trigger | None:
        return self.triggers.get(self.names.key(name))

    def put_table(self, table: Table) -> None:
        """Add a table, or replace the table of the same name in its place."""
        key = self.names.key(table.name)
        old = self.tables.get(key)
        if old is not None:
            self._forget(key, old)
        self.tables[key] = table
        self._register(key, table)
        self._snapshot = None

    def remove_table(self, name: str) -> Table | None:
        """Drop a table with its indexes and triggers, as DROP TABLE does."""
        key = self.names.key(name)
        table = self.tables.pop(key, None)
        if table is not None:
            self._forget(key, table)
            for trigger in [k for k, t in self.triggers.items() if self.names.key(t.table) == key]:
                del self.triggers[trigger]
            self._snapshot = None
        return table

    def referring(self, name: str) -> list[str]:
        """Keys of the tables with a foreign key to the table ``name``."""
        return sorted(self.referrers.get(self.names.key(name), ()))

    def _register(self, key: str, table: Table) -> None:
        for index in table.indexes:
            self.index_owner[self.names.key(index.name)] = key
        for foreign_key in table.foreign_keys:
            self.referrers.setdefault(self.names.key(foreign_key.ref_table), set()).add(key)

    def _forget(self, key: str, table: Table) -> None:
        for index in table.indexes:
            self.index_owner.pop(self.names.key(index.name), None)
        for foreign_key in table.foreign_keys:
            self.referrers.get(self.names.key(foreign_key.ref_table), set()).discard(key)

    def put_view(self, view: View) -> None:
        self.views[self.names.key(view.name)] = view
        self._snapshot = None

    def remove_view(self, name: str) -> View | None:
        self._snapshot = None
        return self.views.pop(self.names.key(name), None)

    def put_trigger(self, trigger: Trigger) -> None:
        self.triggers[self.names.key(trigger.name)] = trigger
        self._snapshot = None

    def remove_trigger(self, name: str) -> Trigger | None:
        self._snapshot = None
        return self.triggers.pop(self.names.key(name), None)
