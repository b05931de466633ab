"""Files of erdgen's cache (``.erdgen-cache`` below the project), named by content keys.

A key covers everything its file is made from, so a hit is always right and the output
stays byte-identical to a build without the cache; a stale entry is never read again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from erdgen import __version__


@cache
def package_digest() -> str:
    """SHA-256 over erdgen's version and its own files (code, templates, catalogs, assets):
    part of every key whose file depends on how erdgen renders."""
    root = Path(__file__).parent
    digest = hashlib.sha256(f"erdgen {__version__}".encode())
    paths = (p for p in root.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        content = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def read_entry(path: Path | None) -> bytes | None:
    """The cached bytes, or None when there is no cache or no such entry."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


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
