"""Files of erdgen's cache (``.erdgen-cache`` below the project), named by content keys.

A key covers everything its file is made from, so a hit is always right and the output
stays byte-identical to a build without the cache; a stale entry is never read again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import fields
from functools import cache
from pathlib import Path

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


def read_entry(path: Path | None) -> bytes | None:
    """The cached bytes, or None when there is no cache or no such entry.

    A hit renews the entry's time, so that ``sweep`` keeps what builds still use.
    """
    if path is None:
        return None
    try:
        data = path.read_bytes()
        os.utime(path)
    except FileNotFoundError:  # also: swept by another build meanwhile
        return None
    return data


# An entry no build has used for this long is deleted: long enough for switching
# branches back and forth, short enough that old layouts do not pile up (after a new
# table, a large project redraws every migration diagram: tens of MB).
UNUSED_FOR = 24 * 3600.0
KEPT_APART = frozenset({"sqlite"})  # SQLite's states, which keep their own last few


def sweep(cache_dir: Path, now: float) -> int:
    """Delete the cache entries unused since ``now - UNUSED_FOR``; how many were deleted."""
    deleted = 0
    folders = [cache_dir]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in KEPT_APART:
                    folders.append(Path(entry.path))
            elif entry.stat(follow_symlinks=False).st_mtime < now - UNUSED_FOR:
                Path(entry.path).unlink(missing_ok=True)
                deleted += 1
    return deleted


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a reader (another build in
    parallel) sees the whole entry or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Threads that create files: creating a file is the file system's work, outside the GIL
# (about 0.5 ms each here), so a few threads overlap it on the other cores.
WRITERS = 4


def write_all(files: Mapping[Path, bytes], write: Callable[[Path, bytes], None]) -> None:
    """``write`` each file, on ``WRITERS`` threads when there are several; the first error
    is raised after all were tried."""
    if len(files) < 2:
        for target, content in files.items():
            write(target, content)
        return
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="erdgen-write") as pool:
        done = [pool.submit(write, target, content) for target, content in files.items()]
    for future in done:
        future.result()
