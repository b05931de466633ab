"""Flat folders keyed by a numeric version: golang-migrate, sqlx, Flyway, refinery.

golang-migrate (``source/parse.go``): ``^([0-9]+)_(.*)\\.(down|up)\\.(.*)$``, extension
unchecked, leading zeros ignored, a second up of one version is an error; the driver
gets the whole file in one call (``Transaction.IMPLICIT``). sqlx
(``sqlx-core/src/migrate/source.rs``): ``<i64>_<desc>.sql`` or ``.up.sql``; a file that
starts with ``-- no-transaction`` runs outside a transaction; SHA-384 checksum. Flyway
(``ResourceNameParser``, ``MigrationVersion``): prefix ``V``/``U``/``R``/``B``, version
parts split at ``.``/``_``, trailing zeros dropped, ``R__`` after all versioned; CRC32
checksum over the lines (``ChecksumCalculator``). refinery (``refinery_core/src/util.rs``):
the same names, but ``U`` means unversioned and runs forward.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from pathlib import Path

from msgspec.structs import replace

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.base import (
    Entry,
    Folder,
    Found,
    listing,
    load,
    numbered_entry,
    reject_duplicates,
)
from erdgen.model import Kind, Migration, Transaction

GOLANG_MIGRATE = re.compile(r"^([0-9]+)_(.*)\.(down|up)\.(.*)$")
_NO_TRANSACTION = b"-- no-transaction"  # sqlx: a file starting so runs outside one
_SQLX = re.compile(r"^(\d+)_(.+?)(\.up|\.down)?\.sql$")
# prefixes are case-sensitive, the suffix is not (ResourceNameParser)
FLYWAY = re.compile(r"^(?P<prefix>V|U|R|B)(?P<version>\d+(?:[._]\d+)*)?__(?P<name>.+)\.(?i:sql)$")


def collect_golang_migrate(folder: Folder) -> Found:
    found = Found()
    for path in listing(folder.path).files:
        match = GOLANG_MIGRATE.match(path.name)
        if match is None:
            continue
        if match.group(3) == "down":
            found.listed.append(folder.shown(path))
            continue
        entry = numbered_entry(path, match.group(1), match.group(2), Transaction.IMPLICIT)
        found.migrations.append(load(folder, entry))
    found.migrations.sort(key=lambda m: m.sort_key)
    reject_duplicates(found.migrations)
    return found


def collect_sqlx(folder: Folder) -> Found:
    found = Found()
    for path in folder.files():
        match = _SQLX.match(path.name)
        if match is None:
            if "_" in path.stem:
                raise DiscoveryError(
                    "sqlx migration name without a leading version (sqlx refuses it)",
                    Location(folder.shown(path)),
                )
            continue  # sqlx ignores names without "_"
        if match.group(3) == ".down":
            found.listed.append(folder.shown(path))
            continue
        with path.open("rb") as file:  # only the first bytes decide (source.rs)
            outside = file.read(len(_NO_TRANSACTION)) == _NO_TRANSACTION
        transaction = Transaction.NONE if outside else Transaction.FILE
        entry = numbered_entry(path, match.group(1), match.group(2), transaction)
        found.migrations.append(load(folder, entry, checksum=_sha384))
    found.migrations.sort(key=lambda m: m.sort_key)
    reject_duplicates(found.migrations)
    return found


def _sha384(raw: bytes) -> str:
    return hashlib.sha384(raw).hexdigest()


def flyway_version(text: str) -> tuple[int, ...]:
    """Flyway's version: parts split at ``.`` or ``_``, trailing zeros dropped
    (``1 == 1.0 == 001``; ``V1_1`` is 1.1; 13 < 13.1 < 14)."""
    parts = [int(part) for part in re.split(r"[._]", text)]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def flyway_checksum(raw: bytes) -> str:
    """Flyway's checksum: CRC32 over each line's UTF-8 bytes without line ends or BOM, as
    Java's signed int (``ChecksumCalculator``)."""
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    crc = 0
    for line in re.split(r"\r\n|\r|\n", text):
        crc = zlib.crc32(line.encode(), crc)
    return str(crc - 2**32 if crc >= 2**31 else crc)


def collect_flyway(folder: Folder, refinery: bool = False) -> Found:
    """Versioned in version order, repeatables after them by description; ``U`` undo files
    are listed, ``B`` baselines are snapshots. Under refinery ``U`` runs forward."""
    found = Found()
    versioned: list[Migration] = []
    repeatable: list[Migration] = []
    files = (p for root in (folder.path, *folder.merged) for p in root.rglob("*") if p.is_file())
    for path in sorted(p for p in files if _visible(p, folder)):
        match = FLYWAY.match(path.name)
        if match is None:
            continue
        prefix, number, name = match["prefix"], match["version"], match["name"]
        if prefix == "U" and not refinery:
            found.listed.append(folder.shown(path))
            continue
        if prefix == "R":
            entry = Entry(path, name, (1, name), name, kind=Kind.REPEATABLE)
            repeatable.append(load(folder, entry, checksum=flyway_checksum))
            continue
        if number is None:
            raise DiscoveryError("Flyway migration without a version", Location(folder.shown(path)))
        version = flyway_version(number)
        key = ".".join(map(str, version))
        entry = Entry(path, key, (0, *version), name)
        migration = load(folder, entry, checksum=flyway_checksum)
        (found.snapshots if prefix == "B" else versioned).append(migration)
    versioned.sort(key=lambda m: m.sort_key)
    reject_duplicates(versioned)
    repeatable.sort(key=lambda m: m.sort_key)
    found.migrations = [*versioned, *repeatable]
    _flyway_conf_transactions(found, folder)
    return found


def _visible(path: Path, folder: Folder) -> bool:
    root = next(r for r in (folder.path, *folder.merged) if path.is_relative_to(r))
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _flyway_conf_transactions(found: Found, folder: Folder) -> None:
    """``<script>.conf`` with ``executeInTransaction=false`` (Flyway's script config)."""
    for index, migration in enumerate(found.migrations):
        conf = folder.project_dir / f"{migration.path}.conf"
        if conf.is_file() and re.search(
            r"^\s*executeInTransaction\s*=\s*false", conf.read_text(encoding="utf-8"), re.M
        ):
            found.migrations[index] = _without_transaction(migration)


def _without_transaction(migration: Migration) -> Migration:
    return replace(migration, transaction=Transaction.NONE)
