"""A folder of MySQL migrations, told by syntax only MySQL (and MariaDB) has: erdgen has
no MySQL dialect yet, and SQLite would reject the first such statement with a message that
blames the wrong engine. Markers: the mysql client's ``DELIMITER`` command, table options
(``ENGINE=``), ``AUTO_INCREMENT`` (SQLite spells it AUTOINCREMENT, PostgreSQL has none)."""

from __future__ import annotations

import re
from pathlib import Path

from erdgen.dialects.evidence import sql_files
from erdgen.errors import Location

_MARKERS = re.compile(
    r"^\s*DELIMITER\s+\S+|\bENGINE\s*=\s*\w+|\bAUTO_INCREMENT\b",
    re.IGNORECASE | re.MULTILINE,
)


def mysql_evidence(migrations_dir: Path) -> tuple[Location, str] | None:
    """Where the folder first uses MySQL-only syntax, and the words found; None if nowhere."""
    for path, text in sql_files(migrations_dir):
        found = _MARKERS.search(text)
        if found is not None:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
            return Location(str(path), line, column), found.group().strip()
    return None
