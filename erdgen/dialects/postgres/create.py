"""CREATE TABLE and the column and constraint grammar it shares with ALTER TABLE.

Follows ``CreateStmt``, ``columnDef``, ``ColConstraintElem`` and ``TableConstraint`` in
PostgreSQL's gram.y, and names unnamed constraints and serial sequences as
``parse_utilcmd.c`` and ``heap.c`` do (see ``names.py``): CHECK constraints first, then
the primary key, then UNIQUE constraints, then foreign keys.
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field
from msgspec.structs import replace

from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.defaults import print_default
from erdgen.dialects.postgres.names import column_addition
from erdgen.dialects.postgres.state import PgState, TableConstraint, TableState
from erdgen.dialects.postgres.tokens import Token, source_text
from erdgen.dialects.postgres.types import TypeResolver, read_type
from erdgen.model import Column, ConstraintKind, ForeignKey, Hidden, Index, IndexColumn, Sequence
from erdgen.namespaces import quote_ident

_ACTIONS = {
    ("no", "action"): "NO ACTION", ("restrict",): "RESTRICT", ("cascade",): "CASCADE",
    ("set", "null"): "SET NULL", ("set", "default"): "SET DEFAULT",
}  # fmt: skip
_CONSTRAINT_WORDS = ("constraint", "primary", "unique", "check", "foreign", "exclude")


class PendingConstraint(Struct):
    """A constraint read from the text, named when it is added to its table."""

    kind: ConstraintKind
    columns: list[str]
    name: str | None = None
    check: list[Token] = field(default_factory=list)
    references: tuple[str | None, str] | None = None
    ref_columns: list[str] = field(default_factory=list)
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"
    match: str = "SIMPLE"
    deferrable: str | None = None
    validated: bool = True
    include: list[str] = field(default_factory=list)
    using_index: str | None = None  # ADD CONSTRAINT ... PRIMARY KEY USING INDEX name


class Resolver(TypeResolver):
    """User types (enums, domains, composites) are qualified outside ``public``."""

    def __init__(self, state: PgState) -> None:
        self.state = state

    def qualify(self, schema: str | None, name: str) -> str:
        if schema is None:
            state = self.state
            for kind in (state.enums, state.domains, state.composites):
                key = state.find(kind, None, name)
                if key is not None:
                    return key
            return name
        return super().qualify(schema, name)


def create_table(state: PgState, cursor: Cursor) -> TableState:
    """``CREATE TABLE [IF NOT EXISTS] name (...)``; the cursor stands after TABLE."""
    if_not_exists = cursor.accept("if", "not", "exists")
    namespace, name = cursor.qualified()
    table = TableState(state.creation_namespace(namespace), name)
    if table.qualified in state.tables:
        if if_not_exists:
            cursor.rest()
            return state.tables[table.qualified]
        raise DdlSyntaxError(f'relation "{name}" already exists', cursor.peek(-1))
    if cursor.accept("partition", "of"):
        return _partition_of(state, cursor, table)
    pending: list[PendingConstraint] = []
    clones: list[Index] = []  # LIKE ... INCLUDING INDEXES: named once the table exists
    for element in split_on_commas(cursor.group()):
        element_cursor = Cursor(element)
        first = element[0]
        if first.is_(*_CONSTRAINT_WORDS):
            pending.append(read_table_constraint(element_cursor))
        elif first.is_("like"):
            from erdgen.dialects.postgres.like import name_clones, read_like  # needs this module

            element_cursor.at = 1
            clones.extend(read_like(state, table, element_cursor, pending))
        else:
            column, constraints = read_column(state, table, element_cursor)
            table.columns.append(column)
            pending.extend(constraints)
    _table_options(cursor, table)
    state.tables[table.qualified] = table
    add_constraints(state, table, _without_duplicate_keys(pending))
    if clones:
        name_clones(state, table, clones)
    return table


def _without_duplicate_keys(pending: list[PendingConstraint]) -> list[PendingConstraint]:
    """CREATE TABLE drops a UNIQUE that repeats the primary key or an earlier UNIQUE on the
    same columns, handing its name on (``transformIndexConstraints``, "UNIQUE PRIMARY KEY")."""
    kept: list[PendingConstraint] = []
    keys = sorted((c for c in pending if c.kind in ("p", "u")), key=lambda c: c.kind != "p")
    for constraint in keys:
        prior = next(
            (k for k in kept if (k.columns, k.include) == (constraint.columns, constraint.include)),
            None,
        )
        if prior is None:
            kept.append(constraint)
        elif prior.name is None:
            prior.name = constraint.name
    return [c for c in pending if c.kind not in ("p", "u")] + kept


def _partition_of(state: PgState, cursor: Cursor, table: TableState) -> TableState:
    namespace, name = cursor.qualified()
    parent = state.find_table(namespace, name)
    if parent is None:
        raise DdlSyntaxError(f"the partitioned table {name} is not known", cursor.peek(-1))
    table.columns = list(parent.columns)
    table.inherits = (parent.qualified,)
    bound = cursor.rest()
    table.partition_bound = source_text(bound) or None
    state.tables[table.qualified] = table
    return table


def _table_options(cursor: Cursor, table: TableState) -> None:
    if cursor.accept("inherits"):
        table.inherits = tuple(cursor.names())
    if cursor.accept("partition", "by"):
        method = cursor.identifier().upper()
        keys = cursor.group()
        table.partition_key = f"{method} ({' '.join(t.text for t in keys)})"


def read_column(
    state: PgState, table: TableState, cursor: Cursor
) -> tuple[Column, list[PendingConstraint]]:
    """``name type [COLLATE c] [constraints]``."""
    name = cursor.identifier()
    parsed = read_type(cursor.tokens, cursor.at, Resolver(state))
    cursor.at = parsed.end
    column = Column(name=name, type=parsed.name)
    constraints: list[PendingConstraint] = []
    if parsed.serial:
        column = serial_column(state, table, column)
    while not cursor.done:
        column = _column_constraint(state, table, cursor, column, constraints)
    return column, constraints


def add_identity(
    state: PgState, table: TableState, cursor: Cursor, column: Column
) -> Column | None:
    """``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]``: None when not that."""
    identity: Literal["ALWAYS", "BY DEFAULT"] | None = None
    if cursor.accept("always", "as", "identity"):
        identity = "ALWAYS"
    elif cursor.accept("by", "default", "as", "identity"):
        identity = "BY DEFAULT"
    if identity is None:
        return None
    if cursor.next_is("("):
        cursor.group()
    made = serial_column(state, table, column, identity=True)
    return replace(made, identity=identity, not_null=True)


def serial_column(
    state: PgState, table: TableState, column: Column, identity: bool = False
) -> Column:
    sequence = state.choose_relation_name(table, column.name, "seq")
    key = f"{table.namespace}.{sequence}" if table.namespace != "public" else sequence
    owner = f"{table.qualified}.{column.name}"
    sequence_type = column.type if column.type in ("smallint", "bigint") else "integer"
    state.sequences[key] = Sequence(key, sequence_type, owned_by=owner, identity=identity)
    if identity:
        return Column(column.name, column.type, not_null=True, description=column.description)
    # regclass prints the name as quote_ident does, qualified outside the search path
    printed = ".".join(
        quote_ident(part)
        for part in ([table.namespace] * (table.namespace != "public") + [sequence])
    )
    default = f"nextval('{printed}'::regclass)"
    return Column(column.name, column.type, not_null=True, default=default)


def _column_constraint(
    state: PgState,
    table: TableState,
    cursor: Cursor,
    column: Column,
    constraints: list[PendingConstraint],
) -> Column:
    name = cursor.identifier() if cursor.accept("constraint") else None
    if cursor.accept("not", "null"):
        return replace(column, not_null=True)
    if cursor.accept("null"):
        return column
    if cursor.accept("default"):
        if cursor.accept("null"):  # DEFAULT NULL stores no default
            return replace(column, default=None)
        tokens = cursor.until(*_COLUMN_STOPS, stops=(",",))
        return replace(column, default=print_default(tokens, column.type))
    if cursor.accept("collate"):
        return replace(column, collation=cursor.qualified()[1])
    if cursor.accept("generated"):
        return _generated(state, table, cursor, column)
    if cursor.accept("primary", "key"):
        constraints.append(PendingConstraint("p", [column.name], name))
        _index_parameters(cursor)
        return replace(column, not_null=True)
    if cursor.accept("unique"):
        constraints.append(PendingConstraint("u", [column.name], name))
        _index_parameters(cursor)
        return column
    if cursor.accept("check"):
        constraints.append(PendingConstraint("c", [], name, check=cursor.group()))
        cursor.accept("no", "inherit")
        return column
    if cursor.accept("references"):
        constraints.append(_references(cursor, PendingConstraint("f", [column.name], name)))
        return column
    if cursor.accept("deferrable") or cursor.accept("not", "deferrable"):
        return column
    raise DdlSyntaxError("a column constraint was expected", cursor.peek())


_COLUMN_STOPS = ("constraint", "not", "null", "primary", "unique", "check", "references",
                 "generated", "collate", "deferrable")  # fmt: skip


def _generated(state: PgState, table: TableState, cursor: Cursor, column: Column) -> Column:
    identity = add_identity(state, table, cursor, column)
    if identity is not None:
        return identity
    cursor.expect("always", "as")
    expression = source_text(cursor.group())
    cursor.expect("stored")
    return replace(column, hidden=Hidden.STORED, generated=expression)


def read_table_constraint(cursor: Cursor) -> PendingConstraint:
    """``[CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) | CHECK (...) | FOREIGN KEY ...``."""
    name = cursor.identifier() if cursor.accept("constraint") else None
    if cursor.accept("primary", "key"):
        pending = _key_columns(cursor, PendingConstraint("p", [], name))
    elif cursor.accept("unique"):
        cursor.accept("nulls", "not", "distinct") or cursor.accept("nulls", "distinct")
        pending = _key_columns(cursor, PendingConstraint("u", [], name))
    elif cursor.accept("check"):
        pending = PendingConstraint("c", [], name, check=cursor.group())
        cursor.accept("no", "inherit")
    elif cursor.accept("foreign", "key"):
        columns = cursor.names()
        cursor.expect("references")
        pending = _references(cursor, PendingConstraint("f", columns, name))
    elif cursor.accept("exclude"):
        pending = PendingConstraint("x", [], name)
        cursor.rest()
    else:
        raise DdlSyntaxError("a table constraint was expected", cursor.peek())
    if pending.kind in ("p", "u"):
        pending.include = _index_parameters(cursor)
    pending.deferrable = _deferrable(cursor) or pending.deferrable
    if cursor.accept("not", "valid"):
        pending.validated = False
    return pending


def _key_columns(cursor: Cursor, pending: PendingConstraint) -> PendingConstraint:
    if cursor.accept("using", "index"):
        pending.using_index = cursor.identifier()
    else:
        pending.columns = cursor.names()
    return pending


def _references(cursor: Cursor, pending: PendingConstraint) -> PendingConstraint:
    pending.references = cursor.qualified()
    if cursor.next_is("("):
        pending.ref_columns = cursor.names()
    while True:
        if cursor.accept("match"):
            pending.match = cursor.identifier().upper()
        elif cursor.accept("on", "delete"):
            pending.on_delete = _action(cursor)
        elif cursor.accept("on", "update"):
            pending.on_update = _action(cursor)
        elif (deferrable := _deferrable(cursor)) is not None:
            pending.deferrable = deferrable or None
        else:
            return pending


def _action(cursor: Cursor) -> str:
    for words, action in _ACTIONS.items():
        if cursor.accept(*words):
            if words[0] == "set" and cursor.next_is("("):
                cursor.names()
            return action
    raise DdlSyntaxError("a referential action was expected", cursor.peek())


def _deferrable(cursor: Cursor) -> str | None:
    """ "DEFERRABLE INITIALLY ...", "" for NOT DEFERRABLE, None when neither is written."""
    if cursor.accept("not", "deferrable"):
        cursor.accept("initially", "immediate")
        return ""
    if cursor.accept("deferrable"):
        deferred = cursor.accept("initially", "deferred")
        cursor.accept("initially", "immediate")
        return f"DEFERRABLE INITIALLY {'DEFERRED' if deferred else 'IMMEDIATE'}"
    if cursor.accept("initially", "deferred"):
        return "DEFERRABLE INITIALLY DEFERRED"
    cursor.accept("initially", "immediate")
    return None


def _index_parameters(cursor: Cursor) -> list[str]:
    include: list[str] = []
    if cursor.accept("include"):
        include = cursor.names()
    if cursor.accept("with"):
        cursor.group()
    if cursor.accept("using", "index", "tablespace"):
        cursor.identifier()
    return include


def add_constraints(state: PgState, table: TableState, pending: list[PendingConstraint]) -> None:
    """Name and add constraints in PostgreSQL's order: checks, primary key, unique, foreign."""
    for kind in ("c", "p", "u", "x", "f"):
        for constraint in (c for c in pending if c.kind == kind):
            add_constraint(state, table, constraint)


def add_constraint(state: PgState, table: TableState, pending: PendingConstraint) -> None:
    if pending.name is not None and table.constraint(pending.name) is not None:
        raise DdlSyntaxError(f'constraint "{pending.name}" already exists', None)
    if pending.kind == "p" and any(c.kind == "p" for c in table.constraints):
        message = f'multiple primary keys for table "{table.name}" are not allowed'
        raise DdlSyntaxError(message, None)
    if pending.kind == "c":
        _add_check(state, table, pending)
    elif pending.kind in ("p", "u"):
        _add_index_constraint(state, table, pending)
    elif pending.kind == "f":
        _add_foreign_key(state, table, pending)
    else:
        name = pending.name or state.choose_relation_name(table, None, "excl")
        table.constraints.append(TableConstraint(name, "x", []))


def _add_check(state: PgState, table: TableState, pending: PendingConstraint) -> None:
    first = next(
        (t.value for t in pending.check if table.column(t.value) and t.kind != "string"), None
    )
    name = pending.name or state.choose_constraint_name(table, first, "check")
    # conkey lists the columns in the order the condition names them (StoreRelCheck)
    named = [t.value for t in pending.check if t.kind != "string" and table.column(t.value)]
    columns = list(dict.fromkeys(named))
    check = source_text(pending.check)
    table.constraints.append(
        TableConstraint(name, "c", columns, check=check, validated=pending.validated)
    )


def _add_index_constraint(state: PgState, table: TableState, pending: PendingConstraint) -> None:
    if pending.using_index is not None:
        _adopt_index(table, pending)
    label = "pkey" if pending.kind == "p" else "key"
    addition = None if pending.kind == "p" else column_addition(pending.columns)
    name = pending.name or state.choose_relation_name(table, addition, label)
    if pending.kind == "p":
        for column in pending.columns:
            table.replace_column(column, not_null=True)
    table.constraints.append(TableConstraint(name, pending.kind, list(pending.columns)))
    index_name = name if table.namespace == "public" else f"{table.namespace}.{name}"
    table.indexes.append(
        Index(
            index_name, table.qualified, tuple(IndexColumn(c) for c in pending.columns),
            unique=True, origin="pk" if pending.kind == "p" else "u", method="btree",
            include=tuple(pending.include),
        )
    )  # fmt: skip


def _adopt_index(table: TableState, pending: PendingConstraint) -> None:
    """``USING INDEX i``: the index becomes the constraint's, renamed to the constraint's
    name when one is given (ATExecAddIndexConstraint)."""
    key = (
        pending.using_index
        if table.namespace == "public"
        else f"{table.namespace}.{pending.using_index}"
    )
    index = next((i for i in table.indexes if i.name == key), None)
    if index is None:
        raise DdlSyntaxError(f'index "{pending.using_index}" does not exist', None)
    table.indexes = [i for i in table.indexes if i is not index]
    pending.columns = [c.name or "" for c in index.columns]
    pending.include = list(index.include)
    pending.name = pending.name or pending.using_index


def _add_foreign_key(state: PgState, table: TableState, pending: PendingConstraint) -> None:
    assert pending.references is not None
    namespace, ref_name = pending.references
    target = state.find_table(namespace, ref_name)
    if target is None and (namespace, ref_name) != (None, table.name):
        raise DdlSyntaxError(f'relation "{ref_name}" does not exist', None)
    target = target or table
    ref_columns = pending.ref_columns or next(
        (list(c.columns) for c in target.constraints if c.kind == "p"), []
    )
    name = pending.name or state.choose_constraint_name(
        table, column_addition(pending.columns), "fkey"
    )
    key = ForeignKey(
        tuple(pending.columns), target.qualified, tuple(ref_columns), pending.on_delete,
        pending.on_update, pending.match, name, pending.deferrable, pending.validated,
    )  # fmt: skip
    table.constraints.append(
        TableConstraint(name, "f", list(pending.columns), key, validated=pending.validated)
    )
