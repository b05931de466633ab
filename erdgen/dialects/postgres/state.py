"""The PostgreSQL schema while migrations are read: mutable, keyed by qualified name.

Names follow the catalog reader: ``name`` in ``public``, ``schema.name`` elsewhere.
A frozen ``Schema`` is made on request (after each migration).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from msgspec import Struct
from msgspec.structs import replace

from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.lookup import TableLookup
from erdgen.dialects.postgres.names import choose_name
from erdgen.dialects.postgres.renames import Renamed
from erdgen.model import (
    EXACT,
    Change,
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

_T = TypeVar("_T")


class _Tracked(list[_T]):
    """A list that calls ``touch`` after every change to it (the table's "changed" flag)."""

    __slots__ = ("touch",)

    def __init__(self, items: Iterable[_T], touch: Callable[[], None]) -> None:
        super().__init__(items)
        self.touch = touch


def _tracking(method: str) -> Callable[..., Any]:
    original = getattr(list, method)

    def changed(self: _Tracked[Any], *args: Any, **keywords: Any) -> Any:
        result = original(self, *args, **keywords)  # sort(key=...) takes keywords
        self.touch()
        return self if method.startswith("__i") else result

    return changed


for _method in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
                "__setitem__", "__delitem__", "__iadd__", "__imul__"):  # fmt: skip
    setattr(_Tracked, _method, _tracking(_method))


@dataclass
class TableConstraint:
    """A constraint of a ``TableState`` while migrations are read: ``kind`` as
    ``pg_constraint.contype``, ``columns`` in key order, ``foreign_key`` set for kind "f".
    Setting a field marks the table changed."""

    name: str
    kind: ConstraintKind
    columns: list[str]
    foreign_key: ForeignKey | None = None
    check: str = ""  # the CHECK condition as written
    validated: bool = True
    description: str = ""  # COMMENT ON CONSTRAINT

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "columns" and type(value) is list:
            value = _Tracked(value, self._touch)
        object.__setattr__(self, name, value)
        self._touch()

    def _touch(self) -> None:
        """Tell the table holding this constraint (set when it is added) that it changed."""
        self.__dict__.pop("_frozen", None)
        owner = self.__dict__.get("_owner")
        if owner is not None:
            owner.touch()

    def freeze(self) -> Constraint:
        """The frozen constraint, made again only after a change (most tables a migration
        changes keep their constraints)."""
        frozen: Constraint | None = self.__dict__.get("_frozen")
        if frozen is None:
            frozen = Constraint(
                self.name,
                self.kind,
                tuple(self.columns),
                validated=self.validated,
                description=self.description,
            )
            self.__dict__["_frozen"] = frozen
        return frozen


_TRACKED_LISTS = frozenset({"columns", "constraints", "indexes"})
# what TableLookup holds of a table: its index and constraint names and references
_LISTED_FIELDS = frozenset({"namespace", "name", "constraints", "indexes"})


@dataclass
class TableState:
    """One table while migrations are read. Every change to it (a field set, a list or a
    constraint changed) drops its frozen ``Table``, so ``freeze`` builds a table again only
    after a migration changed it: a history freezes every table after every migration.
    A change to what ``TableLookup`` holds also clears ``_listed``; one to the columns or
    the description does not (most changes: the lookup need not enter the table again)."""

    namespace: str
    name: str  # without the schema
    columns: list[Column] = field(default_factory=list)
    constraints: list[TableConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    description: str = ""
    inherits: tuple[str, ...] = ()
    partition_key: str | None = None
    partition_bound: str | None = None
    _frozen: Table | None = field(default=None, repr=False, compare=False)
    _listed: bool = field(default=False, repr=False, compare=False)  # in TableLookup as is

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _TRACKED_LISTS and type(value) is list:
            touch = self.touch if name == "indexes" else self._changed
            value = _Tracked(value, self._adopt if name == "constraints" else touch)
        object.__setattr__(self, name, value)
        if name == "constraints":
            self._adopt()
        elif name in _LISTED_FIELDS:
            self.touch()
        elif name not in ("_frozen", "_listed"):
            self._changed()

    def touch(self) -> None:
        object.__setattr__(self, "_frozen", None)
        object.__setattr__(self, "_listed", False)

    def _changed(self) -> None:
        """A change that leaves what ``TableLookup`` holds as it is."""
        object.__setattr__(self, "_frozen", None)

    def _adopt(self) -> None:
        for constraint in self.constraints:
            constraint.__dict__["_owner"] = self
        self.touch()

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
        """The frozen table, built again only when something changed since the last call."""
        if self._frozen is None:
            self._frozen = self._build()
        return self._frozen

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
        columns = [_keyed(c, positions.get(c.name, 0), c.name in unique) for c in self.columns]
        indexes = [i if i.table == name else replace(i, table=name) for i in self.indexes]
        self._keep("columns", columns)
        self._keep("indexes", indexes)
        return Table(
            names=EXACT,
            name=name,
            columns=tuple(columns),
            foreign_keys=tuple(c.foreign_key for c in self.constraints if c.foreign_key),
            indexes=tuple(indexes),
            checks=tuple(Check(c.check, c.name) for c in self.constraints if c.kind == "c"),
            primary_key_name=primary.name if primary else None,
            description=self.description,
            constraints=tuple(c.freeze() for c in self.constraints),
            inherits=self.inherits,
            partition_key=self.partition_key,
            partition_bound=self.partition_bound,
        )

    def _keep(self, name: str, made: list[Column] | list[Index]) -> None:
        """Keep the columns with their key flags, the indexes with the table's name, when
        the build changed any, so that later builds do not make them again (``replace``
        costs more than the rest of a table's freeze). What the table holds stays the same;
        only ``_build`` reads the flags."""
        if any(map(operator.is_not, made, getattr(self, name))):
            touch = self.touch if name == "indexes" else self._changed
            object.__setattr__(self, name, _Tracked(made, touch))


def _keyed(column: Column, primary_key: int, unique: bool) -> Column:
    """The column with its key flags; itself when they are right already (``replace``
    costs more than the rest of a table's freeze)."""
    if column.primary_key == primary_key and column.unique == unique:
        return column
    return replace(column, primary_key=primary_key, unique=unique)


class ViewState(Struct):
    """A view while migrations are read, with what ``DROP ... CASCADE`` of a table or a column
    needs: the relations it reads and the columns it uses."""

    view: View
    reads: set[str]  # qualified names of the tables and views it reads (for DROP ... CASCADE)
    words: frozenset[str] = frozenset()  # the columns it uses, as "relation.column"


_FROZEN = operator.attrgetter("_frozen")
_VIEW = operator.attrgetter("view")


@dataclass
class PgState:
    """The PostgreSQL schema while migrations are read, and the session state that resolves
    names (search path, transaction block). Objects are keyed by qualified name (``schema.name``,
    bare in ``public``) unless noted; ``freeze`` gives the ``Schema``."""

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
    session_search_path: list[str] = field(default_factory=lambda: ["public"])  # without LOCAL
    in_transaction: bool = True  # in a transaction block: SET LOCAL lasts until its end
    reopens: bool = False  # the next statement after a COMMIT opens one again (IMPLICIT)
    ddl_functions: set[str] = field(default_factory=set)  # names whose body runs DDL
    renamed: list[Renamed] = field(default_factory=list)  # this migration's renames, in order
    data: list[Change] = field(default_factory=list)  # this migration's data statements
    _lookup: TableLookup = field(default_factory=TableLookup, repr=False, compare=False)

    def freeze(self) -> Schema:
        return Schema(
            names=EXACT,
            tables=self._frozen_tables(),
            views=tuple(map(_VIEW, self.views.values())),
            triggers=tuple(self.triggers.values()),
            enums=tuple(self.enums.values()),
            domains=tuple(self.domains.values()),
            composites=tuple(self.composites.values()),
            sequences=tuple(self.sequences.values()),
            functions=tuple(self.functions.values()),
            namespaces=tuple(self.namespaces),
            extensions=tuple(self.extensions),
        )

    def _frozen_tables(self) -> tuple[Table, ...]:
        """Every table frozen; only the changed ones are built (C-level ``map`` and
        ``compress`` find them: most migrations change one or two of hundreds)."""
        tables = self.tables.values()
        for table in itertools.compress(tables, map(operator.not_, map(_FROZEN, tables))):
            table.freeze()
        return tuple(map(_FROZEN, tables))

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
        return self.lookup().index_taken(key)

    def constraint_taken(self, namespace: str, name: str) -> bool:
        return self.lookup().constraint_taken(namespace, name)

    def referencing(self, key: str) -> list[TableState]:
        """The tables with a foreign key to the table ``key`` (qualified)."""
        return self.lookup().referencing(key)

    def lookup(self) -> TableLookup:
        """The names and references of the tables as they are now."""
        self._lookup.refresh(self.tables.values())
        return self._lookup

    def choose_relation_name(self, table: TableState, addition: str | None, label: str) -> str:
        """Index and sequence names (``ChooseRelationName``), free as relation and constraint."""
        return choose_name(
            table.name, addition or None, label, lambda n: self._name_taken(table.namespace, n)
        )

    def _name_taken(self, namespace: str, name: str) -> bool:
        """``relation_taken or constraint_taken``."""
        key = qualified(namespace, name)
        if key in self.tables or key in self.views or key in self.sequences:
            return True
        lookup = self.lookup()  # once for both questions
        return lookup.index_taken(key) or lookup.constraint_taken(namespace, name)

    def choose_constraint_name(self, table: TableState, addition: str | None, label: str) -> str:
        return choose_name(
            table.name, addition or None, label, lambda n: self.constraint_taken(table.namespace, n)
        )
