"""Layouts with a folder per migration: diesel, Prisma, drizzle v1 (LAYOUTS.md §2.2, §2.3, §2.5).

diesel (``migrations_internals/src/lib.rs``): each non-dot subdir holding ``up.sql``; the
version is the dir name up to the first ``_`` with ``-`` removed, compared as a string;
``metadata.toml`` may say ``run_in_transaction = false``. Prisma
(``listMigrations.ts``, ``migrations_directory.rs``): each subdir's ``migration.sql``,
ordered by dir name; ``migration_lock.toml`` names the provider; the checksum is the
SHA-256 of the file. drizzle v1 has Prisma's shape plus ``snapshot.json`` per dir.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from pathlib import Path

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.base import Entry, Folder, Found, file_names, load, reject_duplicates
from erdgen.model import Transaction


def diesel_version(dir_name: str) -> str:
    """``2019-02-26-002946_create_user`` -> ``20190226002946`` (diesel's version string)."""
    return dir_name.split("_", 1)[0].replace("-", "")


def collect_diesel(folder: Folder) -> Found:
    found = Found()
    for subdir in folder.subdirs():
        files, empty = file_names(subdir)
        if "up.sql" not in files:
            if not empty:
                found.warn(folder.shown(subdir), "no up.sql: diesel refuses this folder")
            continue
        version = diesel_version(subdir.name)
        name = subdir.name.split("_", 1)[1] if "_" in subdir.name else ""
        metadata = subdir / "metadata.toml" if "metadata.toml" in files else None
        transaction = _diesel_transaction(metadata, folder)
        extra = tuple(subdir / n for n in ("down.sql", "metadata.toml") if n in files)
        found.listed.extend(folder.shown(p) for p in extra)
        up = subdir / "up.sql"
        entry = Entry(up, version, (version,), name, transaction=transaction, extra_paths=extra)
        found.migrations.append(load(folder, entry))
    found.migrations.sort(key=lambda m: m.sort_key)
    reject_duplicates(found.migrations)  # diesel would silently keep only one of them
    return found


def _diesel_transaction(metadata: Path | None, folder: Folder) -> Transaction:
    if metadata is None:
        return Transaction.FILE
    settings = read_toml(metadata, folder.shown(metadata))
    return Transaction.FILE if settings.get("run_in_transaction", True) else Transaction.NONE


def read_toml(path: Path, shown: str) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DiscoveryError(f"cannot read {path.name}: {error}", Location(shown)) from None


def prisma_provider(folder: Path) -> str:
    """``provider`` of ``migration_lock.toml`` ("sqlite", "postgresql", ...), "" if none."""
    lock = folder / "migration_lock.toml"
    if not lock.is_file():
        return ""
    match = re.search(r'^\s*provider\s*=\s*"([^"]*)"', lock.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else ""


def collect_prisma(folder: Folder) -> Found:
    """Prisma: ``<dir>/migration.sql`` per subdir; a subdir without it is an error (P3015).
    Prisma never wraps a migration (P5): its PostgreSQL connector sends the script as one
    batch (``raw_cmd``, one simple-query message), hence ``Transaction.IMPLICIT``."""
    found = _per_dir(folder, "Prisma", Transaction.IMPLICIT)
    found.dialect = prisma_provider(folder.path)
    _warn_on_shared_timestamps(found, folder)
    if not (folder.path / "migration_lock.toml").is_file():
        found.warn(folder.shown(folder.path), "no migration_lock.toml: read as Prisma")
    return found


def _warn_on_shared_timestamps(found: Found, folder: Folder) -> None:
    """Prisma sorts folder names with JavaScript's ``localeCompare`` (listMigrations.ts),
    erdgen by code point: the two agree on digits, so only folders that share their
    timestamp can run in another order than erdgen shows."""
    by_prefix: dict[str, list[str]] = {}
    for migration in found.migrations:
        by_prefix.setdefault(migration.id.split("_", 1)[0], []).append(migration.id)
    for prefix, ids in by_prefix.items():
        if len(ids) > 1:
            found.warn(
                folder.shown(folder.path / ids[0]),
                f"{', '.join(ids)} share the timestamp {prefix}: Prisma orders them with "
                "localeCompare, which may differ from the order shown here",
            )


def collect_drizzle_v1(folder: Folder) -> Found:
    """drizzle v1: Prisma's shape; all pending migrations share one transaction."""
    found = _per_dir(folder, "drizzle", Transaction.SHARED)
    if (folder.path / "meta" / "_journal.json").is_file():
        found.warn(
            folder.shown(folder.path / "meta" / "_journal.json"),
            "a v0 journal beside v1 folders: drizzle's migrator stops (run drizzle-kit up)",
        )
    return found


def _per_dir(folder: Folder, tool: str, transaction: Transaction = Transaction.FILE) -> Found:
    found = Found()
    subdirs = [d for d in folder.subdirs() if d.name != "meta"]
    prefixes = Counter(d.name.split("_", 1)[0] for d in subdirs)
    for subdir in subdirs:
        script = subdir / "migration.sql"
        if not script.is_file():
            raise DiscoveryError(
                f"{tool} migration folder without migration.sql: {subdir.name}",
                Location(folder.shown(subdir)),
            )
        prefix, _, name = subdir.name.partition("_")
        label = prefix if name and prefixes[prefix] == 1 else ""  # the timestamp when unique
        entry = Entry(
            script, subdir.name, (subdir.name,), name, label=label, transaction=transaction
        )
        found.migrations.append(load(folder, entry, checksum=_sha256))
    found.migrations.sort(key=lambda m: m.sort_key)
    return found


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
