"""The model as JSON: erdgen's public, documented face (``erdgen export``).

Values follow the engine's own view (what SQLite's PRAGMAs report, what PostgreSQL's
catalog prints), so an export can be checked against any database built from the same
migrations. A PostgreSQL export adds the keys of ``json_postgres``.
"""

from __future__ import annotations

import json
from typing import Any

from erdgen.core.queries import object_history
from erdgen.core.table_diff import diff_tables
from erdgen.formats import json_postgres as pg
from erdgen.formats.registry import SchemaExport, schema_format
from erdgen.model import (
    Action,
    Change,
    Column,
    ForeignKey,
    History,
    Index,
    Step,
    Table,
    Trigger,
    View,
)

FORMAT_VERSION = 1


@schema_format("json", ".json", "erdgen's model: tables, history, timeline (docs: Export)")
def write_json(export: SchemaExport) -> bytes:
    """The model, then the layout and the evidence that decided it (when known)."""
    data = export_data(export.history)
    if export.layout:
        data |= {"layout": export.layout, "evidence": list(export.evidence)}
    return _dumps(data).encode()


def export_json(history: History) -> str:
    """The whole model after the history's last migration, as stable JSON."""
    return _dumps(export_data(history))


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def export_data(history: History) -> dict[str, Any]:
    schema = history.schema
    postgres = history.dialect == "postgres"
    return {
        "format": FORMAT_VERSION,
        "migrations": [
            {"id": m.id, "label": m.shown, "name": m.name, "path": m.path,
             "paths": list(m.paths), "sha256": m.sha256, "tool_checksum": m.tool_checksum,
             "kind": m.kind.value, "transaction": m.transaction.value,
             "description": m.purpose}
            for m in history.migrations
        ],
        "tables": [_table(history, table, postgres) for table in schema.tables],
        "views": [_view(history, view, postgres) for view in schema.views],
        "triggers": [_trigger(history, trigger, postgres) for trigger in schema.triggers],
        **(pg.schema_objects(schema) if postgres else {}),
        "timeline": [
            {"migration": step.migration.id, "name": step.migration.name,
             "destructive": step.destructive,
             "changes": [_change(change) for change in step.changes],
             **_skipped(history, step),
             **({"from_engine": list(step.from_engine)} if postgres else {})}
            for step in history.steps
        ],
    }  # fmt: skip


def _skipped(history: History, step: Step) -> dict[str, Any]:
    """With --keep-going: the statements the engine refused, with its reason."""
    if not history.keep_going:
        return {}
    return {
        "skipped": [
            {"path": s.location.path, "line": s.location.line, "column": s.location.column,
             "statement": s.statement, "reason": s.reason}
            for s in step.skipped
        ]
    }  # fmt: skip


def _table(history: History, table: Table, postgres: bool) -> dict[str, Any]:
    return {
        "name": table.name,
        "description": table.description,
        "without_rowid": table.without_rowid,
        "strict": table.strict,
        "columns": [_column(column, postgres) for column in table.columns],
        "foreign_keys": [_foreign_key(key, postgres) for key in table.foreign_keys],
        "indexes": [_index(index, postgres) for index in table.indexes],
        "checks": [
            {"name": check.name, "column": check.column, "expression": check.expression}
            for check in table.checks
        ],
        **(pg.table_extras(history.schema, table) if postgres else {}),
        "history": _history(history, "table", table.name),
    }


def _column(column: Column, postgres: bool) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": column.type,
        "not_null": column.not_null,
        "default": column.default,
        "primary_key": column.primary_key,
        "hidden": column.hidden.value,
        "generated": column.generated,
        "collation": column.collation,
        "description": column.description,
        **(pg.column_extras(column) if postgres else {}),
    }


def _foreign_key(key: ForeignKey, postgres: bool) -> dict[str, Any]:
    return {
        "columns": list(key.columns),
        "ref_table": key.ref_table,
        "ref_columns": list(key.ref_columns) or [None] * len(key.columns),  # as PRAGMA: null
        "on_delete": key.on_delete,
        "on_update": key.on_update,
        "match": key.match,
        **(pg.foreign_key_extras(key) if postgres else {}),
    }


def _index(index: Index, postgres: bool) -> dict[str, Any]:
    return {
        "name": index.name,
        "columns": list(index.column_names),
        "unique": index.unique,
        "origin": index.origin,
        "where": index.where,
        **(pg.index_extras(index) if postgres else {}),
    }


def _view(history: History, view: View, postgres: bool) -> dict[str, Any]:
    return {
        "name": view.name,
        "description": view.description,
        "sql": view.sql,
        **(pg.view_extras(view) if postgres else {}),
        "history": _history(history, "view", view.name),
    }


def _trigger(history: History, trigger: Trigger, postgres: bool) -> dict[str, Any]:
    return {
        "name": trigger.name,
        "table": trigger.table,
        "timing": trigger.timing,
        "event": trigger.event,
        "sql": trigger.sql,
        **(pg.trigger_extras(trigger) if postgres else {}),
        "history": _history(history, "trigger", trigger.name),
    }


def _history(history: History, kind: str, name: str) -> list[dict[str, str]]:
    entries = object_history(history, kind, name)  # type: ignore[arg-type]
    return [{"migration": e.migration.id, "action": e.change.action.value} for e in entries]


def _change(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {"action": change.action.value, "object": change.object}
    if change.old_name:
        data["old_name"] = change.old_name
    if change.verb:
        data["verb"] = change.verb
    if change.action is Action.REBUILD_TABLE and change.before and change.after:
        diff = diff_tables(change.before, change.after)  # the pages' reading of a rebuild
        data["columns_added"] = [c.name for c in diff.added]
        data["columns_changed"] = [c.name for _, c in diff.changed]
        data["columns_dropped"] = [c.name for c in diff.dropped]
    if change.removed_columns or change.rows_lost:  # where the values went (core.lineage)
        data["destructive"] = change.destructive
        data["lost_columns"] = list(change.lost_columns)
        data["copied_to"] = [
            {"column": c.column, "table": c.target, "into": c.into, "as_is": c.as_is,
             "all_rows": not c.rows_lost}
            for c in change.copied_to
        ]  # fmt: skip
        data["rows_lost"] = [{"kind": r.kind, "sql": r.sql} for r in change.rows_lost]
    data["location"] = str(change.location)
    return data
