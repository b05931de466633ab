"""The in-memory site (relative path -> bytes) and writing it safely into the docs folder.

erdgen owns only the files it generated: a manifest beside them records each one's
SHA-256. A file that is not in the manifest, or was edited since erdgen wrote it, is
never overwritten or deleted; the whole write is refused before anything changes.
The manifest also keeps what the build that wrote it wants to remember (``build_info``:
its input stamp and diagnostics, see erdgen.site.build).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from msgspec import Struct

from erdgen.errors import OutputError

MANIFEST_NAME = ".erdgen-manifest.json"


@dataclass(frozen=True, slots=True)
class Site:
    """Generated files by POSIX path relative to the output folder, in sorted order."""

    files: Mapping[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for path in self.files:
            _check_relative(path)
        ordered = MappingProxyType(dict(sorted(self.files.items())))
        object.__setattr__(self, "files", ordered)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, path: str) -> bytes:
        return self.files[path]

    def text(self, path: str) -> str:
        return self.files[path].decode("utf-8")


class WriteResult(Struct, frozen=True):
    """What ``write_site`` did: files written, stale ones deleted, files already up to date
    (paths relative to the output folder)."""

    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def write_site(
    site: Site, output_dir: Path, build_info: Mapping[str, Any] | None = None
) -> WriteResult:
    """Write ``site`` into ``output_dir``: changed files only, atomically, deleting stale ones.

    Raises OutputError (naming the file) instead of touching a file erdgen did not write.
    ``build_info`` (JSON data) is kept in the manifest, replacing the previous one.
    """
    owned = read_manifest(output_dir)
    to_write = [path for path in site if _current(output_dir / path) != site[path]]
    stale = sorted(path for path in owned if path not in site.files)
    for path in to_write:
        _refuse_if_foreign(output_dir, path, owned, "overwrite")
    for path in stale:
        _refuse_if_foreign(output_dir, path, owned, "delete")
    write_all({output_dir / path: site[path] for path in to_write}, _write_atomically)
    deleted = tuple(path for path in stale if _delete(output_dir, path))
    manifest = {path: sha256(content) for path, content in site.files.items()}
    document = _manifest_bytes(manifest, build_info)
    if _current(output_dir / MANIFEST_NAME) != document:
        _write_atomically(output_dir / MANIFEST_NAME, document)
    unchanged = tuple(path for path in site if path not in to_write)
    return WriteResult(written=tuple(to_write), deleted=deleted, unchanged=unchanged)


def stale_files(site: Site, output_dir: Path) -> list[str]:
    """Paths whose file on disk differs from ``site``, plus generated files no longer wanted."""
    owned = read_manifest(output_dir)
    differing = [path for path in site if _current(output_dir / path) != site[path]]
    leftover = [p for p in owned if p not in site.files and (output_dir / p).exists()]
    return sorted({*differing, *leftover})


def read_manifest(output_dir: Path) -> dict[str, str]:
    """The files erdgen wrote last time, with their SHA-256; empty when there is no manifest."""
    path = output_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        files = _read_document(path)["files"]
        return {str(_check_relative(p)): str(h) for p, h in dict(files).items()}
    except (ValueError, KeyError, TypeError) as error:
        raise OutputError(f"{path}: unreadable erdgen manifest ({error}); delete it") from error


def read_build_info(output_dir: Path) -> dict[str, Any] | None:
    """The ``build_info`` the last write kept; None when there is none or it is unreadable."""
    try:
        info = _read_document(output_dir / MANIFEST_NAME).get("build")
    except (OSError, ValueError, AttributeError):
        return None
    return info if isinstance(info, dict) else None


def intact_files(output_dir: Path) -> tuple[str, ...] | None:
    """Every file of the manifest when all of them are on disk unchanged, else None."""
    try:
        owned = read_manifest(output_dir)
    except OutputError:
        return None
    for path, digest in owned.items():
        try:
            content = (output_dir / path).read_bytes()
        except OSError:
            return None
        if sha256(content) != digest:
            return None
    return tuple(sorted(owned)) if owned else None


def _read_document(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _manifest_bytes(manifest: Mapping[str, str], build_info: Mapping[str, Any] | None) -> bytes:
    document: dict[str, Any] = {"generator": "erdgen"}
    if build_info is not None:
        document["build"] = dict(build_info)
    document["files"] = dict(sorted(manifest.items()))
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _check_relative(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    if pure.name == MANIFEST_NAME:
        raise OutputError(f"{path!r} is reserved for erdgen's manifest")
    return path


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as error:
        raise OutputError(f"{path}: a folder is in the way of a generated file") from error


def _refuse_if_foreign(output_dir: Path, path: str, owned: Mapping[str, str], verb: str) -> None:
    del verb  # the advice is the same for a file to overwrite and one to delete
    problem = foreign_file(output_dir, path, owned)
    if problem is not None:
        raise OutputError(problem)


def foreign_file(
    output_dir: Path, path: str, owned: Mapping[str, str], descriptions: str = "docs/schema.yml"
) -> str | None:
    """Why ``erdgen build`` may not overwrite or delete ``path`` (a file it did not write,
    or one edited since), and what to do, in the words ``erdgen build`` and ``erdgen check``
    both use; None when the file is absent or erdgen's own."""
    content = _current(output_dir / path)
    if content is None or (path in owned and sha256(content) == owned[path]):
        return None
    shown, folder = _shown(output_dir / path), _shown(output_dir)
    if path not in owned:
        return (
            f"{shown}: not generated by erdgen, and `erdgen build` never overwrites or deletes "
            f"a file it did not write: move it out of {folder}/ (pages of your own belong "
            "beside it), then run `erdgen build`"
        )
    return (
        f"{shown}: edited since erdgen generated it, and `erdgen build` never overwrites or "
        f"deletes a file it did not write: restore it (`git checkout -- {shown}`) or delete "
        f"it, then run `erdgen build`; text of your own belongs in {descriptions} (the "
        f"descriptions erdgen puts on its pages) or on a page outside {folder}/"
    )


def _shown(path: Path) -> str:
    """``path`` as the user typed it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# Threads that create files: creating a file is the file system's work, outside the GIL,
# so a few threads overlap it on the other cores where the file system lets them (this
# machine's ext4 creates one file at a time, about 0.5 ms each).
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


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".erdgen-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)  # os.replace: atomic on POSIX
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _delete(output_dir: Path, path: str) -> bool:
    """Delete a stale generated file and the folders it leaves empty."""
    target = output_dir / path
    if not target.exists():
        return False
    target.unlink()
    folder = target.parent
    while folder != output_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return True
