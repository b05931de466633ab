"""What a PostgreSQL export adds to erdgen's JSON (``docs/erdgen/export.md``): enums,
sequences, functions, schemas and extensions, and on each object what PostgreSQL's
catalog keeps beyond SQLite's view (constraint names and kinds, identity, index method,
view columns, trigger functions).

Only exports of PostgreSQL folders carry these keys, always (empty lists included), so
that an export of a SQLite folder is what it always was.
"""

from __future__ import annotations

from typing import Any

from erdgen.model import Column, ForeignKey, Index, Schema, Table, Trigger, View
from erdgen.namespaces import namespace_of

# pg_constraint.contype as the export spells it
CONSTRAINT_KINDS = {
    "p": "primary_key", "u": "unique", "c": "check", "f": "foreign_key", "x": "exclusion",
    "n": "not_null",
}  # fmt: skip


def schema_objects(schema: Schema) -> dict[str, Any]:
    """The top-level keys of a PostgreSQL export, in the model's (creation) order."""
    return {
        "schemas": list(schema.namespaces),
        "extensions": list(schema.extensions),
        "enums": [
            {"name": e.name, "values": list(e.values), "description": e.description}
            for e in schema.enums
        ],
        "domains": [
            {"name": d.name, "base_type": d.base_type, "not_null": d.not_null,
             "default": d.default, "checks": list(d.checks), "description": d.description}
            for d in schema.domains
        ],
        "composite_types": [
            {"name": c.name,
             "attributes": [{"name": name, "type": type_} for name, type_ in c.attributes],
             "description": c.description}
            for c in schema.composites
        ],
        "sequences": [
            {"name": s.name, "type": s.type, "start": s.start, "increment": s.increment,
             "owned_by": s.owned_by, "identity": s.identity}
            for s in schema.sequences
        ],
        "functions": [
            {"name": f.name, "arguments": f.arguments, "returns": f.returns,
             "language": f.language, "kind": f.kind, "description": f.description}
            for f in schema.functions
        ],
    }  # fmt: skip


def table_extras(schema: Schema, table: Table) -> dict[str, Any]:
    return {
        "schema": namespace_of(schema, table.name),
        "constraints": [
            {"name": c.name, "kind": CONSTRAINT_KINDS[c.kind], "columns": list(c.columns),
             "validated": c.validated}
            for c in table.constraints
        ],
        "inherits": list(table.inherits),
        "partition_key": table.partition_key,
        "partition_bound": table.partition_bound,
    }  # fmt: skip


def column_extras(column: Column) -> dict[str, Any]:
    return {"identity": column.identity}


def foreign_key_extras(key: ForeignKey) -> dict[str, Any]:
    return {"name": key.name, "deferrable": key.deferrable, "validated": key.validated}


def index_extras(index: Index) -> dict[str, Any]:
    return {
        "method": index.method,
        "include": list(index.include),
        "concurrently": index.concurrently,
    }


def view_extras(view: View) -> dict[str, Any]:
    return {
        "materialized": view.materialized,
        "columns": [column.name for column in view.columns],
    }


def trigger_extras(trigger: Trigger) -> dict[str, Any]:
    return {
        "function": trigger.function,
        "level": trigger.level,
        "description": trigger.description,
    }
