"""``erdgen diff --db PATH``: compare a real SQLite database with the migrations' model.

What a person would otherwise do by hand with ``sqlite3 db ".schema"``: which
migrations the database has applied according to its migration tool's own bookkeeping
table (``erdgen.rules.bookkeeping``: wrangler's ``d1_migrations``, diesel's, Prisma's,
drizzle's, goose's, sqlx's, Flyway's, Atlas's ...), which failed, which are pending and
what they would change, which changed since they were applied, and every table, column,
index, view and trigger that differs from the model after the last applied migration.
The database is only ever opened read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from erdgen.core.compare import Difference, compare
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.errors import ErdgenError
from erdgen.model import Change, History, Migration, Schema, Step
from erdgen.plural import counted
from erdgen.rules.bookkeeping import TABLES, read_recorded

MIGRATIONS_TABLE = "d1_migrations"
# wrangler's local D1 keeps _cf_KV / _cf_METADATA beside the data; other tools' side tables
_INTERNAL_PREFIXES = ("_cf_", "_yoyo_", "databasechangelog")
_INTERNAL_TABLES = frozenset(
    {*TABLES, "databasechangelog", "yoyo_lock", "alembic_version", "django_migrations",
     "ar_internal_metadata", "sqlite_sequence"}
)  # fmt: skip


class DatabaseReport(Struct, frozen=True):
    """``diff_database``'s result for one database: what its tool's bookkeeping table says of
    the folder's migrations, and how its schema differs from the model. Without a
    bookkeeping table every migration counts as applied."""

    path: str
    tracks_migrations: bool  # the database has a bookkeeping table of a migration tool
    applied: tuple[Migration, ...]  # migrations of the folder the database has applied
    pending: tuple[Step, ...]  # migrations of the folder it has not applied, with their changes
    unknown: tuple[str, ...]  # keys recorded as applied that are not in the folder
    compared_after: Migration | None  # the model was taken after this migration (None: empty)
    differences: tuple[Difference, ...]
    table: str = MIGRATIONS_TABLE  # the bookkeeping table read
    failed: tuple[Migration, ...] = ()  # recorded as started but not finished
    changed: tuple[Migration, ...] = ()  # applied, but the file's checksum differs now

    @property
    def differs(self) -> bool:
        return bool(self.pending or self.unknown or self.differences or self.failed or self.changed)

    @property
    def skipped(self) -> tuple[Step, ...]:
        """Pending migrations the tool orders before the last applied one (out of order)."""
        if self.compared_after is None:
            return ()
        last = self.compared_after.sort_key
        return tuple(step for step in self.pending if step.migration.sort_key < last)


def diff_database(
    path: Path, history: History, layout: str = "flat", table: str = ""
) -> DatabaseReport:
    """Compare the database at ``path`` with the model built from the migrations of a
    folder in ``layout`` (whose tool's bookkeeping table, or ``table`` where its config
    renames it, is read first)."""
    with closing(_open_read_only(path)) as conn:
        try:
            recorded = read_recorded(conn, history.migrations, layout, table)
            actual = _without_internal_tables(read_schema(conn), history.schema, table)
        except sqlite3.DatabaseError as error:
            raise ErdgenError(f"cannot read the database {path}: {error}") from None
    if recorded is None:
        last = history.steps[-1].migration if history.steps else None
        return DatabaseReport(
            str(path), False, history.migrations, (), (), last, compare(history.schema, actual)
        )
    done, failed, changed = set(recorded.applied), set(recorded.failed), set(recorded.changed)
    applied = tuple(s for s in history.steps if s.migration.id in done)
    expected = applied[-1].schema if applied else Schema()
    return DatabaseReport(
        path=str(path),
        tracks_migrations=True,
        applied=tuple(step.migration for step in applied),
        pending=tuple(s for s in history.steps if s.migration.id not in done | failed),
        unknown=tuple(recorded.unknown),
        compared_after=applied[-1].migration if applied else None,
        differences=compare(expected, actual),
        table=recorded.table,
        failed=tuple(m for m in history.migrations if m.id in failed),
        changed=tuple(m for m in history.migrations if m.id in changed),
    )


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ErdgenError(f"database not found: {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _without_internal_tables(actual: Schema, model: Schema, renamed: str = "") -> Schema:
    """Leave out the bookkeeping tables of D1 and wrangler, unless the model has them too."""

    def internal(name: str) -> bool:
        lowered = model.names.key(name)
        bookkeeping = lowered in _INTERNAL_TABLES or lowered.startswith(_INTERNAL_PREFIXES)
        bookkeeping = bookkeeping or (bool(renamed) and lowered == model.names.key(renamed))
        return bookkeeping and model.table(name) is None

    tables = tuple(t for t in actual.tables if not internal(t.name))
    triggers = tuple(t for t in actual.triggers if not internal(t.table))
    return replace(actual, tables=tables, triggers=triggers)


# --- the report as text -------------------------------------------------------------------


def format_database_report(report: DatabaseReport, total: int) -> str:
    """A readable report for one database; ``total`` is the number of migrations in the folder."""
    return "\n".join([report.path, *(f"  {line}" for line in _report_lines(report, total))]) + "\n"


def _report_lines(report: DatabaseReport, total: int) -> Iterator[str]:
    if not report.tracks_migrations:
        yield f"no {MIGRATIONS_TABLE} table: cannot tell which migrations were applied"
    else:
        yield (
            f"applied: {len(report.applied)} of {counted(total, 'migration')}"
            + (f" (last: {_label(report.compared_after)})" if report.compared_after else "")
            + ("" if report.table == MIGRATIONS_TABLE else f", as {report.table} records")
        )
        for migration in report.failed:
            yield f"failed: {_label(migration)} started but did not finish ({report.table})"
        yield from _pending_lines(report)
        for migration in report.changed:
            yield f"changed: {_label(migration)} differs from the file that was applied"
        for name in report.unknown:
            yield f"unknown: {name} is recorded as applied but is not in the migrations folder"
    after = _label(report.compared_after) if report.compared_after else "no migration"
    if not report.differences:
        yield f"schema: matches the model after {after}"
        return
    count = len(report.differences)
    yield f"schema: {counted(count, 'difference')} from the model after {after}"
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
    return f"{migration.shown} {migration.name}"


def _describe(change: Change) -> str:
    verb = change.action.value.replace("_", " ")
    if change.verb:
        return f"{verb} ({change.verb} {change.table or change.object})"
    if change.old_name:
        return f"{verb} {change.old_name} -> {change.object}"
    return f"{verb} {change.object}"
