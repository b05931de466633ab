"""Telling dialects apart by the SQL itself: what counts as syntax, what as data.

Standard library only; each dialect's ``detect`` module holds its markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

# Comments, string literals and quoted names are data: a SQLite column named "::" or a
# comment that mentions jsonb is no evidence. Dollar quotes are kept: they are a marker.
_NOT_SYNTAX = re.compile(
    r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]\n]*\]",
    re.DOTALL,
)
READ_BYTES = 65536  # per file: markers show early; a large data file is not read whole
MAX_FILES = 200


def syntax_only(text: str) -> str:
    """``text`` with comments, strings and quoted names blanked; line breaks are kept, so
    a match's line is the line in the file."""
    return _NOT_SYNTAX.sub(lambda m: "\n" * m.group().count("\n") or " ", text)


def sql_files(migrations_dir: Path) -> Iterator[tuple[Path, str]]:
    """The first ``MAX_FILES`` ``.sql`` files below the folder, in path order, each as its
    first ``READ_BYTES`` of syntax (``syntax_only``)."""
    if not migrations_dir.is_dir():
        return
    paths = sorted(migrations_dir.rglob("*.sql"), key=lambda p: p.as_posix())
    for path in paths[:MAX_FILES]:
        with path.open(encoding="utf-8", errors="replace") as handle:
            yield path, syntax_only(handle.read(READ_BYTES))
