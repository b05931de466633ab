"""erdgen's cache (``.erdgen-cache`` below the project): entries named by content keys.

A key covers everything its entry is made from, so a hit is always right and the output
stays byte-identical to a build without the cache; a stale entry is never read again.
Rendered pages, Graphviz's output and migration diagrams live in one SQLite file
(``Entries``); SQLite's replayed states keep files of their own (``dialects/sqlite``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import suppress
from functools import cache
from pathlib import Path

from msgspec.structs import fields

from erdgen import __version__
from erdgen.config import Config

# Options that change neither the pages nor the diagnostics.
_NOT_IN_STAMP = frozenset({"project_dir", "jobs", "quiet"})


def option_texts(config: Config) -> Iterator[str]:
    """``name=value`` of every option that changes what a build writes."""
    for option in fields(config):
        if option.name not in _NOT_IN_STAMP:
            yield f"{option.name}={option_text(getattr(config, option.name))}"


def option_text(value: object) -> str:
    if isinstance(value, Mapping):
        return repr(sorted(value.items()))
    return repr(value)


@cache
def sqlglot_version() -> str:
    """sqlglot's installed version (part of the keys: its parse decides the model), read
    from its ``dist-info`` beside the package without importing it or
    ``importlib.metadata`` (a tenth of a cold build's imports); from ``importlib.metadata``
    where that folder is not there exactly once."""
    spec = importlib.util.find_spec("sqlglot")
    folders = spec.submodule_search_locations if spec is not None else None
    found = list(Path(next(iter(folders))).parent.glob("sqlglot-*.dist-info")) if folders else []
    if len(found) == 1:
        with suppress(OSError):
            for line in (found[0] / "METADATA").read_text("utf-8").splitlines():
                if line.startswith("Version: "):
                    return line.removeprefix("Version: ").strip()
                if not line:
                    break  # the headers end at the first blank line
    from importlib import metadata

    return metadata.version("sqlglot")


@cache
def package_digest() -> str:
    """SHA-256 over erdgen's version and its own files (code, templates, catalogs, assets):
    part of every key whose file depends on how erdgen renders."""
    root = Path(__file__).parents[1]  # the erdgen package
    digest = hashlib.sha256(f"erdgen {__version__}".encode())
    for relative in sorted(_package_files(root)):
        content = (root / relative).read_bytes()
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _package_files(root: Path) -> Iterator[str]:
    """Paths below ``root`` (POSIX, relative) of every file outside ``__pycache__``; with
    ``os.walk``, which lists the package in a tenth of ``Path.rglob``'s time (0.5 ms)."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        relative = Path(folder).relative_to(root)
        yield from ((relative / name).as_posix() for name in files)


# An entry no build has used for this long is deleted: long enough for switching
# branches back and forth, short enough that old layouts do not pile up (after a new
# table, a large project redraws every migration diagram: tens of MB).
UNUSED_FOR = 24 * 3600.0
KEPT_APART = frozenset({"sqlite"})  # SQLite's states, which keep their own last few
ENTRIES_FILE = "entries.sqlite"


def sweep(cache_dir: Path, now: float) -> int:
    """Delete the files below ``cache_dir`` unused since ``now - UNUSED_FOR`` (Jinja's
    bytecode, entries of erdgen versions that kept a file per entry); how many were
    deleted. The entries file sweeps itself (``Entries.save``)."""
    deleted = 0
    folders = [cache_dir]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith(ENTRIES_FILE):  # with SQLite's journal
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in KEPT_APART:
                    folders.append(Path(entry.path))
            elif entry.stat(follow_symlinks=False).st_mtime < now - UNUSED_FOR:
                Path(entry.path).unlink(missing_ok=True)
                deleted += 1
    return deleted


class Entries:
    """The cache's entries (bytes by key) in one SQLite file, ``<folder>/entries.sqlite``.

    One file rather than one per entry: creating a file costs about 0.5 ms on some disks
    (ext4 here), and a cold build of the bundled project made 110 entries. Reads go to the
    file when asked; new entries and the keys of hits wait in memory until ``save``, which
    writes them in one transaction, so that a build in parallel sees all of them or none
    (SQLite's locking; https://sqlite.org/lockingv3.html). Safe to share between threads.
    A damaged or locked file is a cache that misses: the build is the same without it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._new: dict[str, bytes] = {}
        self._used: set[str] = set()
        self._reader: sqlite3.Connection | None = None
        self._opened = False

    def __enter__(self) -> Entries:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_rest: object) -> None:
        """Save what a block that ended well made; after an error only close the file."""
        if error_type is None:
            self.save()
        else:
            with self._lock:
                self._close_reader()

    def get(self, key: str) -> bytes | None:
        """The entry's bytes, or None when there is none."""
        with self._lock:
            if key in self._new:
                return self._new[key]
            reader = self._open_reader()
            if reader is None:
                return None
            try:
                row = reader.execute("SELECT data FROM entries WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                return None
            if row is None:
                return None
            self._used.add(key)
            return bytes(row[0])

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (written by ``save``)."""
        with self._lock:
            self._new[key] = data

    def save(self, now: float | None = None) -> None:
        """Write the new entries, renew the time of those read, and delete what no build
        used for ``UNUSED_FOR`` seconds: one transaction."""
        now = time.time() if now is None else now
        with self._lock:
            self._close_reader()
            if not self._new and not self._used:
                return
            try:
                self._write(now)
            except sqlite3.DatabaseError:  # damaged: start again (a cache of erdgen's own)
                (self.folder / ENTRIES_FILE).unlink(missing_ok=True)
                with suppress(sqlite3.Error):
                    self._write(now)
            self._new, self._used = {}, set()

    def _write(self, now: float) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Transactions by hand (isolation_level None): the table's creation belongs to the
        # same one as its rows, one journal file instead of two.
        connection = sqlite3.connect(self.folder / ENTRIES_FILE, timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS entries"
                    " (key TEXT PRIMARY KEY, used REAL NOT NULL, data BLOB NOT NULL)"
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                    ((key, now, data) for key, data in sorted(self._new.items())),
                )
                connection.executemany(
                    "UPDATE entries SET used = ? WHERE key = ?",
                    ((now, key) for key in sorted(self._used)),
                )
                connection.execute("DELETE FROM entries WHERE used < ?", (now - UNUSED_FOR,))
            except BaseException:
                if connection.in_transaction:  # SQLite ends some on its own (a full disk)
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except sqlite3.OperationalError:  # locked by other builds for 30 s, or read-only:
            pass  # this build keeps nothing new (it is the same without the cache)
        finally:
            connection.close()

    def _open_reader(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            path = self.folder / ENTRIES_FILE
            if path.is_file():
                with suppress(sqlite3.Error):
                    self._reader = sqlite3.connect(
                        f"{path.absolute().as_uri()}?mode=ro",
                        uri=True,
                        check_same_thread=False,
                        timeout=30,
                    )
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self._reader, self._opened = None, False
