"""What a database's migration tool recorded: its own bookkeeping table, read the tool's way.

Each tool keeps one table (LAYOUTS.md §1.1, §3.7): wrangler ``d1_migrations``, diesel
``__diesel_schema_migrations``, Prisma ``_prisma_migrations``, drizzle
``__drizzle_migrations``, dbmate's and golang-migrate's ``schema_migrations`` (the latter
one row with a ``dirty`` flag), goose ``goose_db_version``, sqlx ``_sqlx_migrations``,
Flyway ``flyway_schema_history``, Atlas ``atlas_schema_revisions``. Rows are matched to the
folder's migrations by the tool's key; where the tool keeps a checksum it is compared with
the one erdgen computes the tool's way.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence

from msgspec import Struct, field

from erdgen.layouts import LAYOUTS
from erdgen.model import Migration

TABLES = (
    "d1_migrations", "__diesel_schema_migrations", "_prisma_migrations", "__drizzle_migrations",
    "schema_migrations", "goose_db_version", "_sqlx_migrations", "flyway_schema_history",
    "atlas_schema_revisions", "refinery_schema_history",
)  # fmt: skip


class Recorded(Struct):
    """The table's verdict per migration id, and rows the folder does not know."""

    table: str
    applied: list[str] = field(default_factory=list)  # ids in the order applied
    failed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # applied, but the file changed since
    unknown: list[str] = field(default_factory=list)  # keys recorded that match no migration


def tables_in(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    return {str(name) for (name,) in rows}


def read_recorded(
    conn: sqlite3.Connection, migrations: Sequence[Migration], layout: str, renamed: str = ""
) -> Recorded | None:
    """The bookkeeping of the tool of ``layout`` (or of any tool whose table is there);
    ``renamed`` is the table's name where the tool's config renames it (wrangler's
    ``migrations_table``, drizzle's ``migrations.table``). None when the database has no
    bookkeeping table at all."""
    present = tables_in(conn)
    preferred = LAYOUTS[layout].table if layout in LAYOUTS else ""
    if renamed and renamed in present and preferred in _READERS:
        return _READERS[preferred](conn, list(migrations), renamed)
    order = [preferred] if preferred in _READERS else []
    order += [t for t in TABLES if t != preferred]
    table = next((t for t in order if t in present), None)
    if table is None:
        return None
    return _READERS[table](conn, list(migrations), table)


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')}


def _by_key(
    conn: sqlite3.Connection,
    migrations: list[Migration],
    table: str,
    query: str,
    key: Callable[[Migration], str],
) -> Recorded:
    """Rows of one key column, each an applied migration."""
    recorded = Recorded(table)
    known = {key(m): m.id for m in migrations}
    for (value,) in conn.execute(query):
        text = str(value)
        (recorded.applied if text in known else recorded.unknown).append(known.get(text, text))
    return recorded


def _d1(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    return _by_key(conn, migrations, table, f"SELECT name FROM {table} ORDER BY id", _id)


def _diesel(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    query = f"SELECT version FROM {table} ORDER BY version"
    return _by_key(conn, migrations, table, query, _id)


def _id(migration: Migration) -> str:
    return migration.id


def _prisma(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """Rows with ``finished_at`` and no ``rolled_back_at`` are applied; neither = failed;
    the checksum matches as is, CRLF->LF or LF->CRLF (schema-engine ``checksum.rs``)."""
    recorded = Recorded(table)
    by_name = {m.id: m for m in migrations}
    query = (
        f"SELECT migration_name, checksum, finished_at, rolled_back_at FROM {table} "
        "ORDER BY started_at"
    )
    for name, checksum, finished, rolled_back in conn.execute(query):
        migration = by_name.get(str(name))
        if migration is None:
            recorded.unknown.append(str(name))
        elif rolled_back is not None:
            continue
        elif finished is None:
            recorded.failed.append(migration.id)
        else:
            recorded.applied.append(migration.id)
            if str(checksum) not in _prisma_checksums(migration):
                recorded.changed.append(migration.id)
    return recorded


def _prisma_checksums(migration: Migration) -> set[str]:
    text = migration.sql.encode()  # LF already; the raw file may have had CRLF
    variants = {text, text.replace(b"\n", b"\r\n")}
    return {migration.tool_checksum, *(hashlib.sha256(v).hexdigest() for v in variants)}


def _drizzle(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """v0: ``created_at`` is the journal's ``when``; v1 also records ``name``."""
    recorded = Recorded(table)
    columns = _columns(conn, table)
    key_column = "name" if "name" in columns else "created_at"
    by_key = {(m.id if key_column == "name" else m.time): m for m in migrations}
    for key, digest in conn.execute(f"SELECT {key_column}, hash FROM {table} ORDER BY id"):
        if isinstance(key, float) and key.is_integer():  # numeric affinity may store a REAL
            key = int(key)
        migration = by_key.get(str(key))
        if migration is None:
            recorded.unknown.append(str(key))
            continue
        recorded.applied.append(migration.id)
        if migration.tool_checksum and str(digest) != migration.tool_checksum:
            recorded.changed.append(migration.id)
    return recorded


def _schema_migrations(
    conn: sqlite3.Connection, migrations: list[Migration], table: str
) -> Recorded:
    """dbmate: one row per applied version. golang-migrate: one row (version, dirty): every
    version up to it is applied, a dirty one failed half-way."""
    if "dirty" not in _columns(conn, table):
        query = f"SELECT version FROM {table} ORDER BY version"
        return _by_key(conn, migrations, table, query, _id)
    recorded = Recorded(table)
    row = conn.execute(f"SELECT version, dirty FROM {table}").fetchone()
    if row is None:
        return recorded
    version, dirty = int(row[0]), bool(row[1])
    if not any(_number(m) == version for m in migrations) and version > 0:
        recorded.unknown.append(str(version))
    for migration in migrations:
        number = _number(migration)
        if number is None or number > version:
            continue
        failed = dirty and number == version
        (recorded.failed if failed else recorded.applied).append(migration.id)
    return recorded


def _number(migration: Migration) -> int | None:
    return int(migration.id) if migration.id.isdigit() else None


def _goose(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """The latest row per ``version_id`` decides; version 0 is goose's own first row."""
    recorded = Recorded(table)
    latest: dict[int, bool] = {}
    for version, applied in conn.execute(f"SELECT version_id, is_applied FROM {table} ORDER BY id"):
        latest[int(version)] = bool(applied)
    by_number = {_number(m): m.id for m in migrations}
    for version, applied in latest.items():
        if version == 0 or not applied:
            continue
        if version in by_number:
            recorded.applied.append(str(by_number[version]))
        else:
            recorded.unknown.append(str(version))
    return recorded


def _sqlx(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """``success`` false = failed; ``checksum`` is the SHA-384 of the file (bytes)."""
    recorded = Recorded(table)
    by_number = {_number(m): m for m in migrations}
    query = f"SELECT version, success, checksum FROM {table} ORDER BY version"
    for version, success, checksum in conn.execute(query):
        migration = by_number.get(int(version))
        if migration is None:
            recorded.unknown.append(str(version))
            continue
        (recorded.applied if success else recorded.failed).append(migration.id)
        digest = checksum.hex() if isinstance(checksum, bytes) else str(checksum)
        if success and migration.tool_checksum and digest != migration.tool_checksum:
            recorded.changed.append(migration.id)
    return recorded


def _flyway(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """Versioned rows by version (``1.0`` is ``1``), repeatables (no version) by
    description; ``checksum`` is Flyway's CRC32; the latest repeatable row counts."""
    from erdgen.layouts.versioned import flyway_version

    recorded = Recorded(table)
    versions = {flyway_version(m.id): m for m in migrations if m.kind == "versioned"}
    repeatables = {m.name.replace("_", " "): m for m in migrations if m.kind == "repeatable"}
    query = (
        f"SELECT version, description, checksum, success, type FROM {table} ORDER BY installed_rank"
    )
    for version, description, checksum, success, kind in conn.execute(query):
        if kind in ("SCHEMA", "BASELINE", "DELETE"):
            continue
        migration = (
            versions.get(flyway_version(str(version)))
            if version is not None
            else repeatables.get(str(description))
        )
        if migration is None:
            recorded.unknown.append(str(version if version is not None else description))
            continue
        (recorded.applied if success else recorded.failed).append(migration.id)
        if success and checksum is not None and str(checksum) != migration.tool_checksum:
            recorded.changed.append(migration.id)
    return recorded


def _atlas(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    """``applied`` of ``total`` statements ran; an ``error`` means it stopped there."""
    recorded = Recorded(table)
    by_id = {m.id: m for m in migrations}
    query = f"SELECT version, applied, total, error FROM {table} ORDER BY version"
    for version, applied, total, error in conn.execute(query):
        if str(version) not in by_id:
            if str(version) != ".atlas_cloud_identifiers":
                recorded.unknown.append(str(version))
            continue
        done = applied == total and not error
        (recorded.applied if done else recorded.failed).append(str(version))
    return recorded


def _refinery(conn: sqlite3.Connection, migrations: list[Migration], table: str) -> Recorded:
    query = f"SELECT version FROM {table} ORDER BY version"
    return _by_key(conn, migrations, table, query, _id)


_READERS: dict[str, Callable[[sqlite3.Connection, list[Migration], str], Recorded]] = {
    "d1_migrations": _d1,
    "__diesel_schema_migrations": _diesel,
    "_prisma_migrations": _prisma,
    "__drizzle_migrations": _drizzle,
    "schema_migrations": _schema_migrations,
    "goose_db_version": _goose,
    "_sqlx_migrations": _sqlx,
    "flyway_schema_history": _flyway,
    "atlas_schema_revisions": _atlas,
    "refinery_schema_history": _refinery,
}
