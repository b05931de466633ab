"""What every layout shares: the folder being read, reading a file, masking, the result.

A layout turns a folder into migrations in the order its tool applies them
(``../shared/LAYOUTS.md`` §3.1): each with the tool's bookkeeping key as ``id``, a
``sort_key``, its ``paths`` and its up text, where every line that is not "up" SQL is
blanked (§3.6) so that ``file:line`` stays the file's own.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from msgspec import Struct

from erdgen.dialects.sqlite.split import file_header
from erdgen.errors import Diagnostic, DiscoveryError, Location, Severity
from erdgen.layouts.text import decode_migration
from erdgen.model import Kind, Migration, Transaction


class Listing(Struct, frozen=True):
    """A folder's visible files and sub-folders, sorted by name."""

    files: tuple[Path, ...]
    dirs: tuple[Path, ...]


def listing(folder: Path) -> Listing:
    """One ``scandir`` (its entries know their type: no ``stat`` per file, which costs a
    tenth of discovery for thousands of files); dot-files left out."""
    files: list[str] = []
    dirs: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_file():
                files.append(entry.name)
            elif entry.is_dir():
                dirs.append(entry.name)
    # Sorting the names orders the paths as Path's own order would (one folder, POSIX
    # parts), at a tenth of the cost of comparing Path objects.
    return Listing(
        tuple(folder / name for name in sorted(files)),
        tuple(folder / name for name in sorted(dirs)),
    )


def file_names(folder: Path) -> tuple[frozenset[str], bool]:
    """The names of a folder's files (symbolic links followed, as ``Path.is_file``) and
    whether it is empty (dot-files count), from one ``scandir``: an ``is_file`` per name
    and folder costs a tenth of discovery for thousands of folders."""
    with os.scandir(folder) as entries:
        seen = [(entry.name, entry.is_file()) for entry in entries]
    return frozenset(name for name, is_file in seen if is_file), not seen


@dataclass(frozen=True, slots=True)
class Folder:
    """The migrations folder and the project it belongs to (for relative paths)."""

    path: Path
    project_dir: Path
    pattern: str = ""  # wrangler's migrations_pattern relative to the folder, if a config set one
    merged: tuple[Path, ...] = ()  # more folders the same config lists (Flyway's locations)
    # The folder relative to the project ("" when outside it), resolved once: resolving
    # walks every part of a path, a tenth of the time for thousands of files.
    prefix: str | None = field(default=None, init=False, repr=False, compare=False)

    def shown(self, path: Path) -> str:
        """``path`` relative to the project, POSIX style (as locations name files)."""
        if self.prefix is None:
            object.__setattr__(self, "prefix", self._prefix())
        text, base = str(path), str(self.path) + os.sep
        if self.prefix and text.startswith(base) and base != os.sep + os.sep:
            # a path built from the folder's own (the common case): strings, not pathlib's
            # relative_to, which costs a tenth of discovery for thousands of files
            inner = text[len(base) :].replace(os.sep, "/")
            return f"{self.prefix}/{inner}".removeprefix("./")
        if self.prefix and path.is_relative_to(self.path):
            inner = path.relative_to(self.path).as_posix()
            return self.prefix if inner == "." else f"{self.prefix}/{inner}".removeprefix("./")
        try:
            return path.resolve().relative_to(self.project_dir.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def _prefix(self) -> str:
        try:
            return self.path.resolve().relative_to(self.project_dir.resolve()).as_posix()
        except ValueError:
            return ""

    def inner(self, path: Path) -> str:
        """``path`` relative to the migrations folder."""
        return path.relative_to(self.path).as_posix()

    def files(self, suffix: str = ".sql") -> list[Path]:
        """Top-level files with ``suffix`` (any case), no dot-files, sorted by name."""
        return [p for p in listing(self.path).files if p.suffix.lower() == suffix]

    def subdirs(self) -> list[Path]:
        return list(listing(self.path).dirs)


class Discovery(Struct, frozen=True):
    """What discovery found: the layout, why, and the migrations in the tool's order."""

    layout: str
    evidence: tuple[str, ...]
    migrations: tuple[Migration, ...]
    snapshots: tuple[Migration, ...] = ()  # whole schemas (Flyway B, checkpoints): no steps
    warnings: tuple[Diagnostic, ...] = ()
    dialect: str = ""  # a hint from the tool's files (Prisma's provider), "" when none
    listed: tuple[str, ...] = ()  # files seen but never applied (downs, undo), for checks
    table: str = ""  # the bookkeeping table when the tool's config renames it


class Found(Struct):
    """A layout module's result before detection adds its evidence."""

    migrations: list[Migration] = msgspec.field(default_factory=list)
    snapshots: list[Migration] = msgspec.field(default_factory=list)
    warnings: list[Diagnostic] = msgspec.field(default_factory=list)
    listed: list[str] = msgspec.field(default_factory=list)
    dialect: str = ""

    def warn(self, path: str, message: str, code: str = "layout") -> None:
        self.warnings.append(Diagnostic(Location(path), code, message, Severity.WARNING))


class Source(Struct, frozen=True):
    """One file's bytes and its text with line ends made LF."""

    raw: bytes
    text: str


def read_source(path: Path, shown: str) -> Source:
    """The file's bytes and text; DiscoveryError naming the file when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DiscoveryError(f"cannot read migration: {error.strerror}", Location(shown)) from None
    return Source(raw, decode_migration(raw, shown).replace("\r\n", "\n"))


def mask(text: str, keep: Iterable[bool]) -> str:
    """``text`` with every line whose flag is False made blank; line count unchanged."""
    lines = text.split("\n")
    flags = list(keep)
    return "\n".join(line if flags[i] else "" for i, line in enumerate(lines))


def mask_sections(text: str, is_up: Callable[[int, str], bool]) -> str:
    """Mask by a predicate over (0-based line number, line)."""
    lines = text.split("\n")
    return mask(text, (is_up(i, line) for i, line in enumerate(lines)))


class Entry(Struct, frozen=True):
    """A migration as a layout module names it, before its file is read."""

    path: Path
    id: str
    sort_key: tuple[int | str, ...]
    name: str
    label: str = ""
    kind: Kind = Kind.VERSIONED
    transaction: Transaction = Transaction.FILE
    extra_paths: tuple[Path, ...] = ()
    time: str = ""


def numbered_entry(path: Path, digits: str, name: str, transaction: Transaction) -> Entry:
    """A migration whose version is the integer its file name starts with (golang-migrate,
    sqlx, goose): id and sort key are that integer, the label its digits as written."""
    version = int(digits)
    return Entry(path, str(version), (version,), name, label=digits, transaction=transaction)


def load(
    folder: Folder,
    entry: Entry,
    up: Callable[[Source, str], str] | None = None,
    checksum: Callable[[bytes], str] | None = None,
) -> Migration:
    """Read an entry's file into a Migration; ``up`` masks its text (given the shown path)."""
    shown = folder.shown(entry.path)
    source = read_source(entry.path, shown)
    sql = up(source, shown) if up is not None else source.text
    return Migration(
        id=entry.id,
        sort_key=entry.sort_key,
        name=entry.name,
        paths=(shown, *(folder.shown(p) for p in entry.extra_paths)),
        sha256=hashlib.sha256(source.raw).hexdigest(),
        sql=sql,
        description=file_header(sql),
        label=entry.label,
        tool_checksum=checksum(source.raw) if checksum is not None else "",
        kind=entry.kind,
        transaction=entry.transaction,
        time=entry.time,
    )


LEADING_INT = re.compile(r"^(\d+)")


def leading_int(text: str) -> int | None:
    """JavaScript's ``parseInt(text, 10)`` for text starting with digits; None otherwise."""
    match = LEADING_INT.match(text)
    return int(match.group(1)) if match else None


def reject_duplicates(
    migrations: Iterable[Migration],
    what: str = "version",
    key: Callable[[Migration], object] = lambda m: m.id,
) -> None:
    """DiscoveryError at the second of two migrations with the same key."""
    seen: dict[object, Migration] = {}
    for migration in migrations:
        value = key(migration)
        if value in seen:
            other = seen[value]
            raise DiscoveryError(
                f"duplicate migration {what} {migration.id}: {Path(other.path).name} and "
                f"{Path(migration.path).name}",
                Location(migration.path),
            )
        seen[value] = migration
