"""The lock file: a checksum of every migration, so that a deployed migration stays unchanged.

The idea of Atlas's ``atlas.sum``. ``erdgen lock`` writes ``erdgen.lock`` into the
migrations folder (not a ``.sql`` file, so neither erdgen nor wrangler treat it as a
migration)::

    # erdgen.lock ...
    total <sha256 of the entry lines>
    <sha256> <label> <id>

The id is the migration's bookkeeping key (the file name for wrangler D1 and flat
folders, the version for diesel, ``13.1`` for Flyway); the label is the short key pages
show.

The total sits on one line near the top, so two branches that each add a migration
conflict there when merged instead of silently combining. ``erdgen check`` compares
the folder with the lock file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from msgspec import Struct

from erdgen.errors import ConfigError, Location, Severity
from erdgen.model import Migration
from erdgen.plural import counted
from erdgen.rules.registry import Finding, Report, Subject, get_rule, id_of, project_rule

LOCK_FILE_NAME = "erdgen.lock"
_HEADER = (
    "# erdgen.lock: the sha256 of every migration, written by `erdgen lock`, checked by\n"
    "# `erdgen check`. A deployed migration must not change: add a new migration instead.\n"
)


class LockEntry(Struct, frozen=True):
    """One line of the lock file, ``<sha256> <id> <file>``: the hex SHA-256 of the migration's
    up file, ``id`` its label (``Migration.shown``), ``file`` its key (``Migration.id``)."""

    sha256: str
    id: str
    file: str  # the migration's id (for wrangler and flat folders: the file name)
    line: int = 0  # line in the lock file (0 when not read from a file)

    @property
    def text(self) -> str:
        return f"{self.sha256} {self.id} {self.file}"


class Lock(Struct, frozen=True):
    """A lock file as read: its path, relative to the project, and its entries in file order."""

    path: str  # the lock file, relative to the project (for locations)
    entries: tuple[LockEntry, ...]


def lock_path(migrations_dir: Path) -> Path:
    return migrations_dir / LOCK_FILE_NAME


def lock_text(migrations: tuple[Migration, ...]) -> str:
    """The lock file's content for these migrations (deterministic)."""
    entries = [LockEntry(m.sha256, m.shown, m.id) for m in migrations]
    return f"{_HEADER}total {_total(entries)}\n" + "".join(f"{e.text}\n" for e in entries)


def _total(entries: list[LockEntry]) -> str:
    return hashlib.sha256("".join(f"{e.text}\n" for e in entries).encode()).hexdigest()


def write_lock(migrations_dir: Path, migrations: tuple[Migration, ...]) -> bool:
    """Write the lock file; returns False when it was already up to date."""
    path = lock_path(migrations_dir)
    text = lock_text(migrations)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_bytes(text.encode())
    return True


def read_lock(migrations_dir: Path, project_dir: Path) -> Lock | None:
    """The lock file of a migrations folder, or None when there is none.

    A lock file whose total does not match its lines was edited by hand or merged
    badly: that is bad input (ConfigError), to be reviewed and re-locked.
    """
    path = lock_path(migrations_dir)
    if not path.is_file():
        return None
    shown = _relative(path, project_dir)
    total, entries = None, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" ", 2)
        if parts[0] == "total" and len(parts) == 2:
            total = parts[1]
        elif len(parts) == 3 and len(parts[0]) == 64:
            entries.append(LockEntry(parts[0], parts[1], parts[2], number))
        else:
            raise ConfigError(f"{shown}:{number}: not a lock file line: {line!r}")
    if total != _total(entries):
        raise ConfigError(
            f"{shown}: the total does not match the lines (edited by hand or merged?): "
            "review the migrations, then run `erdgen lock`"
        )
    return Lock(shown, tuple(entries))


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def lock_findings(migrations: tuple[Migration, ...], lock: Lock | None) -> list[Finding]:
    """What changed in the migrations folder since it was locked."""
    if lock is None:
        if not migrations:
            return []
        first = migrations[0]
        return [
            _finding(
                Location(first.path, 1),
                migration_not_locked,
                f"no {LOCK_FILE_NAME} yet: run `erdgen lock` to lock "
                f"{counted(len(migrations), 'migration')} against later edits",
            )
        ]
    return sorted(_compare(migrations, lock))


def _compare(migrations: tuple[Migration, ...], lock: Lock) -> Iterator[Finding]:
    by_file = {m.id: m for m in migrations}
    by_sha = {m.sha256: m for m in migrations}
    locked_files = {entry.file for entry in lock.entries}
    moved: set[str] = set()
    for entry in lock.entries:
        current = by_file.get(entry.file)
        if current is not None:
            if current.sha256 != entry.sha256:
                yield _finding(
                    Location(current.path, 1),
                    locked_migration_changed,
                    f"{entry.file} was edited after it was locked: a deployed migration must "
                    "not change (revert it and add a new migration)",
                )
            continue
        twin = by_sha.get(entry.sha256)
        if twin is not None and twin.id not in locked_files:
            moved.add(twin.id)
            yield _finding(
                Location(twin.path, 1),
                locked_migration_changed,
                f"{twin.id} is the locked migration {entry.file} under "
                "a new name or number: databases that applied it would apply it again",
            )
        else:
            yield _finding(
                Location(lock.path, entry.line),
                locked_migration_changed,
                f"{entry.file} is locked but no longer in the migrations folder",
            )
    yield from _new_migrations(migrations, lock, locked_files, moved)


def _new_migrations(
    migrations: tuple[Migration, ...], lock: Lock, locked_files: set[str], moved: set[str]
) -> Iterator[Finding]:
    """New migrations; one that the tool orders before a locked one is out of order."""
    del lock
    locked_positions = [i for i, m in enumerate(migrations) if m.id in locked_files]
    last_locked = max(locked_positions, default=-1)
    for position, migration in enumerate(migrations):
        name = migration.id
        if name in locked_files or name in moved:
            continue
        if position < last_locked:
            yield _finding(
                Location(migration.path, 1),
                migration_out_of_order,
                f"{name} is new but ordered before the latest locked migration: databases "
                "that are up to date would apply it after the later ones",
            )
        yield _finding(
            Location(migration.path, 1),
            migration_not_locked,
            f"{name} is not locked yet: run `erdgen lock` once it is final",
        )


def _finding(
    location: Location, rule: Callable[[Subject], Iterator[Report]], message: str
) -> Finding:
    rule_id = id_of(rule)
    return Finding(location, rule_id, message, get_rule(rule_id).severity)


def locked_ids(subject: Subject) -> frozenset[str] | None:
    """The ids of the migrations in the lock file, read once per run; None without a project
    (a plain ``lint``) or without a lock file."""
    config = subject.config
    if config is None:
        return None
    if "lock_file" not in subject.memo:
        subject.memo["lock_file"] = read_lock(config.migrations_path, config.project_dir)
    lock: Lock | None = subject.memo["lock_file"]
    return None if lock is None else frozenset(entry.file for entry in lock.entries)


# --- the rules: each reads its own findings of one comparison per run ------------------------


def _findings_of(subject: Subject, rule: Callable[[Subject], Iterator[Report]]) -> Iterator[Report]:
    config = subject.config
    if config is None:
        return
    if "lock" not in subject.memo:
        locked_ids(subject)  # reads the lock file into the memo
        subject.memo["lock"] = lock_findings(subject.history.migrations, subject.memo["lock_file"])
    rule_id = id_of(rule)
    for finding in subject.memo["lock"]:
        if finding.rule == rule_id:
            yield Report(finding.location, finding.message)


@project_rule(
    "locked-migration-changed", Severity.ERROR,
    "a locked migration was edited, removed or renumbered", silenceable=False,
)  # fmt: skip
def locked_migration_changed(subject: Subject) -> Iterator[Report]:
    return _findings_of(subject, locked_migration_changed)


@project_rule(
    "migration-not-locked", Severity.WARNING, "a migration is not in the lock file yet",
    silenceable=False,
)  # fmt: skip
def migration_not_locked(subject: Subject) -> Iterator[Report]:
    return _findings_of(subject, migration_not_locked)


@project_rule(
    "migration-out-of-order", Severity.ERROR,
    "a new migration is numbered below one that is already locked", silenceable=False,
)  # fmt: skip
def migration_out_of_order(subject: Subject) -> Iterator[Report]:
    return _findings_of(subject, migration_out_of_order)
