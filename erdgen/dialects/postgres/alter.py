"""ALTER TABLE in all its forms (gram.y ``alter_table_cmd``), ALTER TYPE ... VALUE, and the
renames of the other relations.

What PostgreSQL does beyond the words is done here too: dropping a column drops the
constraints and indexes that use it and the sequence it owns; a primary key makes its
columns NOT NULL; renaming a column or a table rewrites the constraints, indexes and
foreign keys that name it; a unique or primary key constraint and its index share one
name, so renaming either renames both.
"""

from __future__ import annotations

import dataclasses

from msgspec.structs import replace

from erdgen.dialects.postgres import user_types
from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.create import (
    Resolver,
    add_constraint,
    add_constraints,
    add_identity,
    read_column,
    read_table_constraint,
)
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.defaults import print_default
from erdgen.dialects.postgres.objects import plain_key
from erdgen.dialects.postgres.state import PgState, TableState
from erdgen.dialects.postgres.tokens import TokenizeError, source_text, tokenize
from erdgen.dialects.postgres.types import read_type
from erdgen.model import EnumType, IndexColumn
from erdgen.namespaces import quote_ident

_IGNORED = ("enable", "disable", "owner", "set", "reset", "cluster", "replica", "force", "no",
            "inherit", "of", "not", "alter constraint")  # fmt: skip


def alter_table(state: PgState, cursor: Cursor) -> None:
    if_exists = cursor.accept("if", "exists")
    cursor.accept("only")
    table = state.find_table(*cursor.qualified())
    cursor.accept_text("*")
    if table is None:
        if if_exists:
            return
        raise DdlSyntaxError("the table is not known", cursor.peek(-1))
    if cursor.accept("rename"):
        _rename(state, table, cursor)
        return
    if cursor.accept("set", "schema"):
        _set_schema(state, table, cursor.identifier())
        return
    for action in split_on_commas(cursor.rest()):
        _action(state, table, Cursor(action))


def _action(state: PgState, table: TableState, cursor: Cursor) -> None:
    if cursor.accept("add"):
        first = cursor.peek()
        if first is not None and first.is_(
            "constraint", "primary", "unique", "check", "foreign", "exclude"
        ):
            add_constraint(state, table, read_table_constraint(cursor))
            return
        cursor.accept("column")
        if_not_exists = cursor.accept("if", "not", "exists")
        column, constraints = read_column(state, table, cursor)
        if table.column(column.name) is not None:
            if if_not_exists:
                return
            raise DdlSyntaxError(f'column "{column.name}" already exists', None)
        table.columns.append(column)
        add_constraints(state, table, constraints)
    elif cursor.accept("drop"):
        _drop(state, table, cursor)
    elif cursor.accept("alter"):
        if not cursor.accept("constraint"):
            cursor.accept("column")
            _alter_column(state, table, cursor.identifier(), cursor)
    elif cursor.accept("validate", "constraint"):
        name = cursor.identifier()
        table.constraints = [
            dataclasses.replace(c, validated=True) if c.name == name else c
            for c in table.constraints
        ]
        _validate_foreign_key(table, name)
    elif cursor.accept("attach", "partition"):
        child = state.find_table(*cursor.qualified())
        if child is not None:
            child.inherits = (table.qualified,)
            child.partition_bound = source_text(cursor.rest()) or None
    elif cursor.accept("detach", "partition"):
        child = state.find_table(*cursor.qualified())
        if child is not None:
            child.inherits, child.partition_bound = (), None
    elif not cursor.done and not cursor.peek().is_(*_IGNORED):  # type: ignore[union-attr]
        raise DdlSyntaxError("this ALTER TABLE action is not read yet", cursor.peek())


def _validate_foreign_key(table: TableState, name: str) -> None:
    for constraint in table.constraints:
        if constraint.name == name and constraint.foreign_key is not None:
            constraint.foreign_key = replace(constraint.foreign_key, validated=True)


def _drop(state: PgState, table: TableState, cursor: Cursor) -> None:
    if cursor.accept("constraint"):
        if_exists = cursor.accept("if", "exists")
        name = cursor.identifier()
        constraint = table.constraint(name)
        if constraint is None and not if_exists:
            raise DdlSyntaxError(f'constraint "{name}" does not exist', cursor.peek(-1))
        if constraint is not None and constraint.kind in ("p", "u"):
            _drop_referencing_keys(state, table, constraint.columns)
        drop_constraint(table, name)
        return
    cursor.accept("column")
    if_exists = cursor.accept("if", "exists")
    name = cursor.identifier()
    if table.column(name) is None:
        if if_exists:
            return
        raise DdlSyntaxError(f'column "{name}" does not exist', cursor.peek(-1))
    drop_column(state, table, name)


def _drop_referencing_keys(state: PgState, table: TableState, columns: list[str]) -> None:
    """The foreign keys that use a key's index go with it (CASCADE; without it PostgreSQL
    refuses the drop, so the model may drop them either way)."""
    referenced = table.qualified
    for other in state.referencing(referenced):
        for constraint in list(other.constraints):
            key = constraint.foreign_key
            if key and key.ref_table == referenced and set(key.ref_columns) == set(columns):
                drop_constraint(other, constraint.name)


def drop_constraint(table: TableState, name: str) -> None:
    table.constraints = [c for c in table.constraints if c.name != name]
    key = qualified(table.namespace, name)
    table.indexes = [i for i in table.indexes if not (i.name == key and i.origin != "c")]


def drop_column(state: PgState, table: TableState, name: str) -> None:
    """The column, and every constraint, index and owned sequence that uses it."""
    table.columns = [c for c in table.columns if c.name != name]
    state.renamed.append(("drop_column", table.qualified, name, ""))
    for constraint in [c for c in table.constraints if name in c.columns]:
        drop_constraint(table, constraint.name)
    table.indexes = [
        i for i in table.indexes if name not in i.column_names and name not in i.include
    ]
    owner = f"{table.qualified}.{name}"
    state.sequences = {k: s for k, s in state.sequences.items() if s.owned_by != owner}
    # views that use the column go with it (CASCADE)
    from erdgen.dialects.postgres.drop import drop_view

    for view_key, view in list(state.views.items()):
        if table.qualified in view.reads and f"{table.name}.{name}" in view.words:
            drop_view(state, view_key)
    referenced = table.qualified  # once: a property that builds the string each time
    for other in state.referencing(referenced):
        for constraint in list(other.constraints):
            key = constraint.foreign_key
            if key and key.ref_table == referenced and name in key.ref_columns:
                drop_constraint(other, constraint.name)


def _alter_column(state: PgState, table: TableState, name: str, cursor: Cursor) -> None:
    column = table.column(name)
    if column is None:
        raise DdlSyntaxError(f'column "{name}" does not exist', cursor.peek(-1))
    if cursor.accept("set", "data", "type") or cursor.accept("type"):
        parsed = read_type(cursor.tokens, cursor.at, Resolver(state))
        table.replace_column(name, type=parsed.name)
        # PostgreSQL rebuilds the indexes on the column from their definitions
        table.indexes = [
            replace(index, columns=tuple(plain_key(table, key) for key in index.columns))
            for index in table.indexes
        ]
    elif cursor.accept("set", "default"):
        default = print_default(cursor.rest(), column.type)
        table.replace_column(name, default=default)
    elif cursor.accept("drop", "default"):
        table.replace_column(name, default=None)
    elif cursor.accept("set", "not", "null"):
        table.replace_column(name, not_null=True)
    elif cursor.accept("drop", "not", "null"):
        table.replace_column(name, not_null=False)
    elif cursor.accept("drop", "identity"):
        table.replace_column(name, identity=None)
        owner = f"{table.qualified}.{name}"
        state.sequences = {k: s for k, s in state.sequences.items() if s.owned_by != owner}
    elif cursor.accept("add", "generated"):
        made = add_identity(state, table, cursor, column)
        if made is not None:
            table.replace_column(name, identity=made.identity, not_null=True)
    elif cursor.accept("drop", "expression"):
        table.replace_column(name, generated=None)
    elif not cursor.peek().is_("set", "reset", "add"):  # type: ignore[union-attr]
        raise DdlSyntaxError("this ALTER COLUMN form is not read yet", cursor.peek())


def _rename(state: PgState, table: TableState, cursor: Cursor) -> None:
    """RENAME [COLUMN] a TO b, RENAME CONSTRAINT a TO b, RENAME TO new (gram.y RenameStmt)."""
    if cursor.accept("to"):
        rename_table(state, table, cursor.identifier())
        return
    if cursor.accept("constraint"):
        old = cursor.identifier()
        cursor.expect("to")
        _rename_constraint(table, old, cursor.identifier())
        return
    cursor.accept("column")
    old = cursor.identifier()
    cursor.expect("to")
    rename_column(state, table, old, cursor.identifier())


def _rename_constraint(table: TableState, old: str, new: str) -> None:
    for constraint in table.constraints:
        if constraint.name == old:
            constraint.name = new
            if constraint.foreign_key is not None:
                constraint.foreign_key = replace(constraint.foreign_key, name=new)
    old_key, new_key = qualified(table.namespace, old), qualified(table.namespace, new)
    table.indexes = [replace(i, name=new_key) if i.name == old_key else i for i in table.indexes]


def rename_index(state: PgState, namespace: str | None, old: str, new: str) -> None:
    for table in state.tables.values():
        if namespace not in (None, table.namespace):
            continue
        if any(i.name == qualified(table.namespace, old) for i in table.indexes):
            _rename_constraint(table, old, new)
            return


def rename_column(state: PgState, table: TableState, old: str, new: str) -> None:
    if table.column(old) is None:
        raise DdlSyntaxError(f'column "{old}" does not exist', None)
    table.replace_column(old, name=new)
    state.renamed.append(("column", table.qualified, old, new))
    for constraint in table.constraints:
        constraint.columns = [new if c == old else c for c in constraint.columns]
        if constraint.check:
            constraint.check = renamed_in(constraint.check, old, new)
        if constraint.foreign_key is not None:
            columns = tuple(new if c == old else c for c in constraint.foreign_key.columns)
            constraint.foreign_key = replace(constraint.foreign_key, columns=columns)
    table.indexes = [
        replace(
            index,
            columns=tuple(_key_renamed(k, old, new) for k in index.columns),
            include=tuple(new if c == old else c for c in index.include),
            where=renamed_in(index.where, old, new) if index.where else index.where,
        )
        for index in table.indexes
    ]
    for column in list(table.columns):
        if column.generated:
            table.replace_column(column.name, generated=renamed_in(column.generated, old, new))
    referenced = table.qualified  # once: a property that builds the string each time
    for other in state.referencing(referenced):
        for constraint in other.constraints:
            key = constraint.foreign_key
            if key is not None and key.ref_table == referenced:
                ref_columns = tuple(new if c == old else c for c in key.ref_columns)
                constraint.foreign_key = replace(key, ref_columns=ref_columns)
    old_owner, new_owner = f"{table.qualified}.{old}", f"{table.qualified}.{new}"
    state.sequences = {
        k: replace(s, owned_by=new_owner) if s.owned_by == old_owner else s
        for k, s in state.sequences.items()
    }
    used, renamed = f"{table.name}.{old}", f"{table.name}.{new}"
    for view in state.views.values():  # a view keeps using the column by its new name
        if table.qualified in view.reads and used in view.words:
            view.words = (view.words - {used}) | {renamed}


def _key_renamed(key: IndexColumn, old: str, new: str) -> IndexColumn:
    if key.name == old:
        return replace(key, name=new)
    if key.expression:
        return replace(key, expression=renamed_in(key.expression, old, new))
    return key


def renamed_in(text: str, old: str, new: str) -> str:
    """An expression of the table's columns (CHECK, index key or WHERE, generated column)
    after RENAME COLUMN old TO new: PostgreSQL keeps a parse tree and prints the new name;
    the text as written gets the new name (quoted as quote_ident quotes it) where it
    names the column: a word or quoted name, not a function (``old(...)``), not after
    a ``.`` (another relation's column)."""
    try:
        tokens = tokenize(text)
    except TokenizeError:
        return text
    pieces, at = [], 0
    for position, token in enumerate(tokens):
        after = tokens[position + 1].text if position + 1 < len(tokens) else ""
        before = tokens[position - 1].text if position else ""
        if (
            token.kind in ("word", "quoted")
            and token.value == old
            and after != "("
            and before != "."
        ):
            pieces += [text[at : token.start], quote_ident(new)]
            at = token.start + len(token.text)
    return "".join(pieces) + text[at:]


def rename_table(state: PgState, table: TableState, new: str) -> None:
    old_key = table.qualified
    table.name = new
    _moved(state, old_key, table)


def _set_schema(state: PgState, table: TableState, namespace: str) -> None:
    old_key = table.qualified
    table.namespace = namespace
    table.indexes = [
        replace(i, name=qualified(namespace, i.name.split(".")[-1])) for i in table.indexes
    ]
    _moved(state, old_key, table)


def _moved(state: PgState, old_key: str, table: TableState) -> None:
    new_key = table.qualified
    state.renamed.append(("table", "", old_key, new_key))
    state.tables = {(new_key if k == old_key else k): v for k, v in state.tables.items()}
    old_name = old_key.rpartition(".")[2]
    for view in state.views.values():
        if old_key in view.reads:
            view.reads = (view.reads - {old_key}) | {new_key}
            view.words = frozenset(  # "relation.column": the columns it uses
                f"{table.name}.{w.partition('.')[2]}" if w.partition(".")[0] == old_name else w
                for w in view.words
            )
    for other in state.referencing(old_key):
        for constraint in other.constraints:
            key = constraint.foreign_key
            if key is not None and key.ref_table == old_key:
                constraint.foreign_key = replace(key, ref_table=new_key)
    state.triggers = {
        ((new_key if t == old_key else t), n): replace(trigger, table=new_key)
        if t == old_key
        else trigger
        for (t, n), trigger in state.triggers.items()
    }
    prefix = old_key + "."
    state.sequences = {
        k: replace(s, owned_by=new_key + "." + s.owned_by[len(prefix) :])
        if s.owned_by and s.owned_by.startswith(prefix)
        else s
        for k, s in state.sequences.items()
    }


def alter_type(state: PgState, cursor: Cursor) -> bool:
    """``ALTER TYPE e ADD VALUE [IF NOT EXISTS] 'v' [BEFORE|AFTER 'w']``, ``RENAME VALUE``,
    ``RENAME TO``; False for the forms erdgen does not keep."""
    namespace, name = cursor.qualified()
    key = state.find(state.enums, namespace, name)
    if key is None:
        composite = state.find(state.composites, namespace, name)
        return composite is not None and user_types.alter_composite(state, cursor, composite)
    enum = state.enums[key]
    values = list(enum.values)
    if cursor.accept("add", "value"):
        if_not_exists = cursor.accept("if", "not", "exists")
        value = cursor.next().value
        if value in values and if_not_exists:
            return True
        position = len(values)
        if cursor.accept("before"):
            position = values.index(cursor.next().value)
        elif cursor.accept("after"):
            position = values.index(cursor.next().value) + 1
        values.insert(position, value)
    elif cursor.accept("rename", "value"):
        old = cursor.next().value
        cursor.expect("to")
        values[values.index(old)] = cursor.next().value
    elif cursor.accept("rename", "to"):
        new_key = qualified(key.split(".")[0] if "." in key else "public", cursor.identifier())
        del state.enums[key]
        state.enums[new_key] = EnumType(new_key, enum.values, enum.description)
        user_types.retype_columns(state, key, new_key)
        return True
    else:
        return False
    state.enums[key] = EnumType(key, tuple(values), enum.description)
    return True
