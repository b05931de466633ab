"""``erdgen diff --db PATH``: compare a real SQLite database with the migrations' model.

What a person would otherwise do by hand with ``sqlite3 db ".schema"``: which
migrations the database has applied (Cloudflare D1 and wrangler record them in a
``d1_migrations`` table: ``id``, ``name`` = file name, ``applied_at``), which are
pending and what they would change, and every table, column, index, view and trigger
that differs from the model after the last applied migration. The database is only
ever opened read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from erdgen.core.compare import Difference, compare
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.errors import ErdgenError
from erdgen.model import Change, History, Migration, Schema, Step

MIGRATIONS_TABLE = "d1_migrations"
_INTERNAL_PREFIXES = ("_cf_",)  # wrangler's local D1 keeps _cf_KV / _cf_METADATA beside the data


@dataclass(frozen=True, slots=True)
class DatabaseReport:
    path: str
    tracks_migrations: bool  # the database has a d1_migrations table
    applied: tuple[Migration, ...]  # migrations of the folder the database has applied
    pending: tuple[Step, ...]  # migrations of the folder it has not applied, with their changes
    unknown: tuple[str, ...]  # names recorded as applied that are not in the folder
    compared_after: Migration | None  # the model was taken after this migration (None: empty)
    differences: tuple[Difference, ...]

    @property
    def differs(self) -> bool:
        return bool(self.pending or self.unknown or self.differences)

    @property
    def skipped(self) -> tuple[Step, ...]:
        """Pending migrations numbered before the last applied one (applied out of order)."""
        if self.compared_after is None:
            return ()
        last = self.compared_after.version
        return tuple(step for step in self.pending if step.migration.version < last)


def diff_database(path: Path, history: History) -> DatabaseReport:
    """Compare the database at ``path`` with the model built from the migrations."""
    with closing(_open_read_only(path)) as conn:
        try:
            recorded = _applied_names(conn)
            actual = _without_internal_tables(read_schema(conn), history.schema)
        except sqlite3.DatabaseError as error:
            raise ErdgenError(f"cannot read the database {path}: {error}") from None
    if recorded is None:
        last = history.steps[-1].migration if history.steps else None
        return DatabaseReport(
            str(path), False, history.migrations, (), (), last, compare(history.schema, actual)
        )
    names = set(recorded)
    applied = tuple(s for s in history.steps if _file_name(s.migration) in names)
    known = {_file_name(m) for m in history.migrations}
    expected = applied[-1].schema if applied else Schema()
    return DatabaseReport(
        path=str(path),
        tracks_migrations=True,
        applied=tuple(step.migration for step in applied),
        pending=tuple(s for s in history.steps if _file_name(s.migration) not in names),
        unknown=tuple(name for name in recorded if name not in known),
        compared_after=applied[-1].migration if applied else None,
        differences=compare(expected, actual),
    )


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ErdgenError(f"database not found: {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _applied_names(conn: sqlite3.Connection) -> tuple[str, ...] | None:
    """File names from d1_migrations in the order applied; None when there is no such table."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if exists is None:
        return None
    rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id").fetchall()
    return tuple(str(name) for (name,) in rows)


def _without_internal_tables(actual: Schema, model: Schema) -> Schema:
    """Leave out the bookkeeping tables of D1 and wrangler, unless the model has them too."""

    def internal(name: str) -> bool:
        lowered = model.names.key(name)
        bookkeeping = lowered == MIGRATIONS_TABLE or lowered.startswith(_INTERNAL_PREFIXES)
        return bookkeeping and model.table(name) is None

    tables = tuple(t for t in actual.tables if not internal(t.name))
    triggers = tuple(t for t in actual.triggers if not internal(t.table))
    return replace(actual, tables=tables, triggers=triggers)


def _file_name(migration: Migration) -> str:
    return PurePosixPath(migration.path).name


# --- the report as text -------------------------------------------------------------------


def format_database_report(report: DatabaseReport, total: int) -> str:
    """A readable report for one database; ``total`` is the number of migrations in the folder."""
    return "\n".join([report.path, *(f"  {line}" for line in _report_lines(report, total))]) + "\n"


def _report_lines(report: DatabaseReport, total: int) -> Iterator[str]:
    if not report.tracks_migrations:
        yield f"no {MIGRATIONS_TABLE} table: cannot tell which migrations were applied"
    else:
        yield f"applied: {len(report.applied)} of {total} migrations" + (
            f" (last: {_label(report.compared_after)})" if report.compared_after else ""
        )
        yield from _pending_lines(report)
        for name in report.unknown:
            yield f"unknown: {name} is recorded as applied but is not in the migrations folder"
    after = _label(report.compared_after) if report.compared_after else "no migration"
    if not report.differences:
        yield f"schema: matches the model after {after}"
        return
    count = len(report.differences)
    yield f"schema: {count} difference{'s' if count != 1 else ''} from the model after {after}"
    for difference in report.differences:
        yield f"  {difference}"


def _pending_lines(report: DatabaseReport) -> Iterator[str]:
    if not report.pending:
        yield "pending: none"
        return
    yield f"pending: {len(report.pending)}"
    skipped = {step.migration.id for step in report.skipped}
    for step in report.pending:
        note = " (numbered before the last applied one)" if step.migration.id in skipped else ""
        changes = "; ".join(_describe(change) for change in step.changes) or "no schema change"
        yield f"  {_label(step.migration)}{note} would: {changes}"


def _label(migration: Migration) -> str:
    return f"{migration.id} {migration.name}"


def _describe(change: Change) -> str:
    verb = change.action.value.replace("_", " ")
    if change.verb:
        return f"{verb} ({change.verb} {change.table or change.object})"
    if change.old_name:
        return f"{verb} {change.old_name} -> {change.object}"
    return f"{verb} {change.object}"
