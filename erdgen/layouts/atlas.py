"""Atlas's migration directory and its ``atlas.sum`` (LAYOUTS.md §2.11, ``sql/migrate/dir.go``).

Files ``*.sql`` in file-name order; the version is the name up to the first ``_``.
``atlas.sum``: one running SHA-256 is fed each file's name and bytes in name order and
read (base64) after each file; the first line ``h1:`` hashes every (name, digest) pair.
Atlas also writes ``atlas.sum`` for folders in another tool's format (goose, Flyway,
golang-migrate, dbmate): then that tool applies the files and the sum is still checked.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from erdgen.errors import Diagnostic, Location, Severity
from erdgen.layouts.base import Entry, Folder, Found, load
from erdgen.model import Transaction

SUM_FILE = "atlas.sum"
DIRECTIVE = re.compile(r"^--\s*atlas:(sum|delimiter|checkpoint|txmode)\b(.*)$", re.M)


def atlas_version(file_name: str) -> str:
    """Atlas's ``Version()``: the name without ``.sql`` up to the first ``_``."""
    return file_name.removesuffix(".sql").split("_", 1)[0]


def sum_lines(files: list[tuple[str, bytes]]) -> list[str]:
    """The ``atlas.sum`` Atlas writes for these (name, bytes) pairs, in name order."""
    running = hashlib.sha256()
    pairs = []
    for name, raw in sorted(files):
        running.update(name.encode())
        running.update(raw)
        pairs.append((name, base64.b64encode(running.copy().digest()).decode()))
    total = hashlib.sha256()
    for name, digest in pairs:
        total.update(name.encode())
        total.update(digest.encode())
    head = f"h1:{base64.b64encode(total.digest()).decode()}"
    return [head, *(f"{name} h1:{digest}" for name, digest in pairs)]


def _summed(folder: Folder) -> list[tuple[str, bytes]]:
    files = []
    for path in folder.files():
        if path.suffix != ".sql":
            continue
        raw = path.read_bytes()
        if re.search(rb"^--\s*atlas:sum\s+ignore", raw, re.M):
            continue
        files.append((path.name, raw))
    return files


def validate_sum(folder: Folder) -> list[Diagnostic]:
    """Like ``atlas migrate validate``: ``checksum mismatch`` naming the first file that
    differs (or the sum's first line); [] when ``atlas.sum`` matches or is absent."""
    path = folder.path / SUM_FILE
    if not path.is_file():
        return []
    shown = folder.shown(path)
    recorded = path.read_text(encoding="utf-8").splitlines()
    expected = sum_lines(_summed(folder))
    if recorded == expected:
        return []
    pairs = list(enumerate(zip(expected, recorded, strict=False), start=1))
    for number, (mine, theirs) in [*pairs[1:], *pairs[:1]]:  # name the file first
        if mine != theirs:
            file = theirs.split(" ", 1)[0] if number > 1 else "the sum's first line"
            return [_mismatch(shown, number, f"checksum mismatch at {file}")]
    return [
        _mismatch(
            shown,
            min(len(expected), len(recorded)) + 1,
            "checksum mismatch: files added or removed since atlas.sum was written",
        )
    ]


def _mismatch(shown: str, line: int, message: str) -> Diagnostic:
    text = f"{message} (atlas migrate validate fails; run atlas migrate hash after review)"
    return Diagnostic(Location(shown, line), "atlas-sum", text, Severity.WARNING)


def collect_atlas(folder: Folder) -> Found:
    found = Found()
    checkpoints = []
    for path in folder.files():
        if path.suffix != ".sql":
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        directives = {m.group(1): m.group(2).strip() for m in DIRECTIVE.finditer(_head(text))}
        transaction = Transaction.NONE if directives.get("txmode") == "none" else Transaction.FILE
        version = atlas_version(path.name)
        name = path.stem.split("_", 1)[1] if "_" in path.stem else ""
        entry = Entry(path, version, (path.name,), name, transaction=transaction)
        migration = load(folder, entry)
        if "checkpoint" in directives:
            checkpoints.append(migration)
        found.migrations.append(migration)
    found.snapshots.extend(checkpoints)
    found.migrations = [m for m in found.migrations if m not in checkpoints]
    found.warnings.extend(validate_sum(folder))
    return found


def _head(text: str) -> str:
    """The leading comment lines, where Atlas reads its directives."""
    lines = []
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


def has_sum(folder: Path) -> bool:
    return (folder / SUM_FILE).is_file()
