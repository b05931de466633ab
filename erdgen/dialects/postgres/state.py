"""The PostgreSQL schema while migrations are read: mutable, keyed by qualified name.

Names follow the catalog reader: ``name`` in ``public``, ``schema.name`` elsewhere.
A frozen ``Schema`` is made on request (after each migration).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.names import choose_name
from erdgen.model import (
    EXACT,
    Check,
    Column,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    EnumType,
    ForeignKey,
    Function,
    Index,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
)


@dataclass
class TableConstraint:
    name: str
    kind: ConstraintKind
    columns: list[str]
    foreign_key: ForeignKey | None = None
    check: str = ""  # the CHECK condition as written
    validated: bool = True
    description: str = ""  # COMMENT ON CONSTRAINT


@dataclass
class TableState:
    namespace: str
    name: str  # without the schema
    columns: list[Column] = field(default_factory=list)
    constraints: list[TableConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    description: str = ""
    inherits: tuple[str, ...] = ()
    partition_key: str | None = None
    partition_bound: str | None = None
    _frozen: tuple[tuple[Any, ...], Table] | None = field(default=None, repr=False)

    @property
    def qualified(self) -> str:
        return qualified(self.namespace, self.name)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def constraint(self, name: str) -> TableConstraint | None:
        return next((c for c in self.constraints if c.name == name), None)

    def replace_column(self, column_name: str, **changes: Any) -> None:
        self.columns = [replace(c, **changes) if c.name == column_name else c for c in self.columns]

    def freeze(self) -> Table:
        """The frozen table; the last one is handed out again while nothing changed (a
        history freezes every table after every migration)."""
        signature = (
            self.namespace, self.name, tuple(self.columns), tuple(self.indexes),
            tuple((c.name, c.kind, tuple(c.columns), c.foreign_key, c.check, c.validated,
                   c.description) for c in self.constraints),
            self.description, self.inherits, self.partition_key, self.partition_bound,
        )  # fmt: skip
        if self._frozen is not None and self._frozen[0] == signature:
            return self._frozen[1]
        table = self._build()
        self._frozen = (signature, table)
        return table

    def _build(self) -> Table:
        positions: dict[str, int] = {}
        unique: set[str] = set()
        for constraint in self.constraints:
            if constraint.kind == "p":
                positions = {n: i for i, n in enumerate(constraint.columns, start=1)}
            elif constraint.kind == "u" and len(constraint.columns) == 1:
                unique.add(constraint.columns[0])
        primary = next((c for c in self.constraints if c.kind == "p"), None)
        name = self.qualified
        return Table(
            names=EXACT,
            name=name,
            columns=tuple(
                replace(c, primary_key=positions.get(c.name, 0), unique=c.name in unique)
                for c in self.columns
            ),
            foreign_keys=tuple(c.foreign_key for c in self.constraints if c.foreign_key),
            indexes=tuple(replace(i, table=name) for i in self.indexes),
            checks=tuple(Check(c.check, c.name) for c in self.constraints if c.kind == "c"),
            primary_key_name=primary.name if primary else None,
            description=self.description,
            constraints=tuple(
                Constraint(
                    c.name,
                    c.kind,
                    tuple(c.columns),
                    validated=c.validated,
                    description=c.description,
                )
                for c in self.constraints
            ),
            inherits=self.inherits,
            partition_key=self.partition_key,
            partition_bound=self.partition_bound,
        )


@dataclass
class ViewState:
    view: View
    reads: set[str]  # qualified names of the tables and views it reads (for DROP ... CASCADE)
    words: frozenset[str] = frozenset()  # the columns it uses, as "relation.column"


@dataclass
class PgState:
    tables: dict[str, TableState] = field(default_factory=dict)
    views: dict[str, ViewState] = field(default_factory=dict)
    triggers: dict[tuple[str, str], Trigger] = field(default_factory=dict)  # (table, name)
    enums: dict[str, EnumType] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    composites: dict[str, CompositeType] = field(default_factory=dict)
    sequences: dict[str, Sequence] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # signature -> function
    namespaces: list[str] = field(default_factory=list)
    extensions: list[str] = field(default_factory=list)
    search_path: list[str] = field(default_factory=lambda: ["public"])
    ddl_functions: set[str] = field(default_factory=set)  # names whose body runs DDL

    def freeze(self) -> Schema:
        return Schema(
            names=EXACT,
            tables=tuple(t.freeze() for t in self.tables.values()),
            views=tuple(v.view for v in self.views.values()),
            triggers=tuple(self.triggers.values()),
            enums=tuple(self.enums.values()),
            domains=tuple(self.domains.values()),
            composites=tuple(self.composites.values()),
            sequences=tuple(self.sequences.values()),
            functions=tuple(self.functions.values()),
            namespaces=tuple(self.namespaces),
            extensions=tuple(self.extensions),
        )

    # -- names -------------------------------------------------------------------------
    def creation_namespace(self, namespace: str | None) -> str:
        if namespace is not None:
            return namespace
        return next((n for n in self.search_path if self._exists(n)), "public")

    def _exists(self, namespace: str) -> bool:
        return namespace == "public" or namespace in self.namespaces

    def find_table(self, namespace: str | None, name: str) -> TableState | None:
        for candidate in self._candidates(namespace):
            table = self.tables.get(qualified(candidate, name))
            if table is not None:
                return table
        return None

    def find(self, kind: Mapping[str, object], namespace: str | None, name: str) -> str | None:
        """The qualified key of ``name`` in one of the dicts above, by the search path."""
        for candidate in self._candidates(namespace):
            key = qualified(candidate, name)
            if key in kind:
                return key
        return None

    def _candidates(self, namespace: str | None) -> list[str]:
        return [namespace] if namespace is not None else [*self.search_path, "pg_catalog"]

    def relation_taken(self, namespace: str, name: str) -> bool:
        """A table, view, index or sequence of that name in the namespace (pg_class)."""
        key = qualified(namespace, name)
        if key in self.tables or key in self.views or key in self.sequences:
            return True
        return any(i.name == key for t in self.tables.values() for i in t.indexes)

    def constraint_taken(self, namespace: str, name: str) -> bool:
        return any(
            c.name == name
            for t in self.tables.values()
            if t.namespace == namespace
            for c in t.constraints
        )

    def choose_relation_name(self, table: TableState, addition: str | None, label: str) -> str:
        """Index and sequence names (``ChooseRelationName``), free as relation and constraint."""
        return choose_name(
            table.name,
            addition or None,
            label,
            lambda n: (
                self.relation_taken(table.namespace, n) or self.constraint_taken(table.namespace, n)
            ),
        )

    def choose_constraint_name(self, table: TableState, addition: str | None, label: str) -> str:
        return choose_name(
            table.name, addition or None, label, lambda n: self.constraint_taken(table.namespace, n)
        )
