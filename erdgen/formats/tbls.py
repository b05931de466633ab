"""The schema as tbls' ``schema.json`` (``erdgen export --format tbls``).

The shape is tbls' JSON Schema (``spec/tbls.schema.json_schema.json`` of k1LoW/tbls, a
copy in ``/work/shared/specs``), the file ``tbls out -t json`` writes and ``tbls doc
json://schema.json`` and ``tbls lint`` read. Values follow tbls' SQLite driver: a table's
``type`` is ``table`` or ``view``, ``def`` is the statement SQLite stores, ``default`` is
SQLite's ``dflt_value`` text. ``nullable`` is false where SQLite never stores NULL (NOT
NULL, a rowid alias, a key of a WITHOUT ROWID table), as the cardinalities assume.

Every foreign key is a ``FOREIGN KEY`` constraint of its table; those whose parent table
and columns exist are also ``relations``, with cardinalities from ``erdgen.keys``
(nullability and uniqueness). Comments come from the descriptions. A PostgreSQL schema
adds tbls' ``functions`` (``type`` ``FUNCTION`` or ``PROCEDURE``, as its postgres driver
writes it from ``prokind``) and ``enums`` (values in sort order).
"""

from __future__ import annotations

import json
import re
from typing import Any

from erdgen.formats.registry import SchemaExport, schema_format
from erdgen.keys import Cardinality, cardinality, is_required, referenced_columns
from erdgen.model import Column, ForeignKey, Index, Schema, Table, Trigger, View

# Cardinality -> tbls' (child side, parent side): how many child rows one parent row has,
# and how many parent rows one child row points at.
CARDINALITIES = {
    Cardinality.MANY_TO_ONE: ("zero_or_more", "exactly_one"),
    Cardinality.MANY_TO_ZERO_OR_ONE: ("zero_or_more", "zero_or_one"),
    Cardinality.ONE_TO_ONE: ("zero_or_one", "exactly_one"),
    Cardinality.ONE_TO_ZERO_OR_ONE: ("zero_or_one", "zero_or_one"),
}
# the model's routine kind -> tbls' Function.type (its postgres driver's spelling of prokind)
ROUTINE_TYPES = {"function": "FUNCTION", "procedure": "PROCEDURE", "aggregate": "AGGREGATE",
                 "window": "WINDOW"}  # fmt: skip
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@schema_format("tbls", ".json", "tbls' schema.json (tbls doc json://..., tbls lint)")
def write_tbls(export: SchemaExport) -> bytes:
    return tbls_json(export).encode()


def tbls_json(export: SchemaExport) -> str:
    """The schema after the last migration as tbls JSON, stable key order, one newline."""
    return json.dumps(tbls_data(export), indent=2, ensure_ascii=False) + "\n"


def tbls_data(export: SchemaExport) -> dict[str, Any]:
    schema = export.history.schema
    data: dict[str, Any] = {}
    if export.title:
        data["name"] = export.title
    data["tables"] = [
        *(_table(export, schema, table) for table in schema.tables),
        *(_view(view) for view in schema.views),
    ]
    data["relations"] = [
        relation
        for table in schema.tables
        for key in table.foreign_keys
        if (relation := _relation(schema, table, key)) is not None
    ]
    if export.history.dialect == "postgres":
        data["functions"] = [
            {"name": f.name, "return_type": f.returns, "arguments": f.arguments,
             "type": ROUTINE_TYPES[f.kind]}
            for f in schema.functions
        ]  # fmt: skip
        data["enums"] = [{"name": e.name, "values": list(e.values)} for e in schema.enums]
    data["driver"] = {"name": export.history.dialect}  # tbls' names: sqlite, postgres
    return data


def sql_name(name: str) -> str:
    """A name as SQL text in a ``def``: plain names bare, others double-quoted."""
    return name if _PLAIN.fullmatch(name) else '"' + name.replace('"', '""') + '"'


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(sql_name(name) for name in names)


# -- tables -----------------------------------------------------------------------------


def _table(export: SchemaExport, schema: Schema, table: Table) -> dict[str, Any]:
    data: dict[str, Any] = {"name": table.name, "type": "table"}
    comment = export.table_note(table)
    if comment:
        data["comment"] = comment
    data["columns"] = [_column(export, table, column) for column in table.columns]
    data["indexes"] = [_index(table, index) for index in table.indexes]
    data["constraints"] = _constraints(table)
    data["triggers"] = [_trigger(trigger) for trigger in schema.triggers_on(table.name)]
    data["def"] = table.sql
    parents = {schema.names.key(key.ref_table): key.ref_table for key in table.foreign_keys}
    referenced = [schema.table(name) for name in parents.values()]
    data["referenced_tables"] = [parent.name for parent in referenced if parent is not None]
    return data


def _column(export: SchemaExport, table: Table, column: Column) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "nullable": not is_required(table, column),  # a rowid alias is never NULL
        "default": column.default,
    }
    extra = []
    if column.generated is not None:
        extra.append(f"GENERATED ALWAYS AS ({column.generated}) {column.hidden.name}")
    if column.autoincrement:
        extra.append("AUTOINCREMENT")
    if column.collation:
        extra.append(f"COLLATE {column.collation}")
    if extra:
        data["extra_def"] = " ".join(extra)
    comment = export.column_note(table, column)
    if comment:
        data["comment"] = comment
    return data


def _index(table: Table, index: Index) -> dict[str, Any]:
    if index.sql is not None:
        definition = index.sql
    else:  # a constraint index: SQLite stores no statement for it
        kind = "PRIMARY KEY" if index.origin == "pk" else "UNIQUE"
        definition = f"{kind} ({_names(index.column_names)})"
    return {
        "name": index.name,
        "def": definition,
        "table": table.name,
        "columns": list(index.column_names),
    }


def _constraints(table: Table) -> list[dict[str, Any]]:
    found = []
    if table.primary_key:
        found.append(_constraint(table, table.primary_key_name or "PRIMARY KEY", "PRIMARY KEY",
                                 f"PRIMARY KEY ({_names(table.primary_key)})",
                                 list(table.primary_key)))  # fmt: skip
    for index in table.indexes:
        if index.origin == "u":
            found.append(_constraint(table, index.name, "UNIQUE",
                                     f"UNIQUE ({_names(index.column_names)})",
                                     list(index.column_names)))  # fmt: skip
    for number, key in enumerate(table.foreign_keys, start=1):
        data = _constraint(table, key.name or f"FOREIGN KEY {number}", "FOREIGN KEY",
                           foreign_key_def(key), list(key.columns))  # fmt: skip
        data["referenced_table"] = key.ref_table
        data["referenced_columns"] = list(key.ref_columns)
        found.append(data)
    for number, check in enumerate(table.checks, start=1):
        columns = [check.column] if check.column else []
        found.append(_constraint(table, check.name or f"CHECK {number}", "CHECK",
                                 f"CHECK ({check.expression})", columns))  # fmt: skip
    return found


def _constraint(
    table: Table, name: str, kind: str, definition: str, columns: list[str]
) -> dict[str, Any]:
    return {"name": name, "type": kind, "def": definition, "table": table.name, "columns": columns}


def foreign_key_def(key: ForeignKey) -> str:
    """As tbls' SQLite driver writes it: ``FOREIGN KEY (a) REFERENCES t (b) ON UPDATE ...``."""
    target = f" ({_names(key.ref_columns)})" if key.ref_columns else ""
    return (
        f"FOREIGN KEY ({_names(key.columns)}) REFERENCES {sql_name(key.ref_table)}{target} "
        f"ON UPDATE {key.on_update} ON DELETE {key.on_delete} MATCH {key.match}"
    )


def _trigger(trigger: Trigger) -> dict[str, Any]:
    data = {"name": trigger.name, "def": trigger.sql}
    if trigger.description:
        data["comment"] = trigger.description
    return data


def _view(view: View) -> dict[str, Any]:
    """A view as tbls lists it: a table of type ``view`` (its columns are SQLite's to tell)."""
    data: dict[str, Any] = {"name": view.name, "type": "view"}
    if view.description:
        data["comment"] = view.description
    data["columns"] = []
    data["def"] = view.sql
    return data


# -- relations --------------------------------------------------------------------------


def _relation(schema: Schema, table: Table, key: ForeignKey) -> dict[str, Any] | None:
    """The relation of a key whose parent table and columns exist, else None."""
    parent = schema.table(key.ref_table)
    targets = referenced_columns(schema, key)
    if parent is None or not targets or len(targets) != len(key.columns):
        return None
    parent_columns = [parent.column(name) for name in targets]
    child_columns = [table.column(name) for name in key.columns]
    if None in parent_columns or None in child_columns:
        return None
    child_side, parent_side = CARDINALITIES[cardinality(table, key)]
    return {
        "table": table.name,
        "columns": [column.name for column in child_columns if column is not None],
        "cardinality": child_side,
        "parent_table": parent.name,
        "parent_columns": [column.name for column in parent_columns if column is not None],
        "parent_cardinality": parent_side,
        "def": foreign_key_def(key),
        "virtual": False,
    }
