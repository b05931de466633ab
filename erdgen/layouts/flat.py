"""Find the migration files of a folder and put them in the order they are applied.

Order is by the numeric version in the file name, never by the name itself
(Flyway's ``V10`` comes after ``V2``). Down / undo files are not migrations.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from erdgen.dialects.sqlite.split import file_header
from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.text import decode_migration
from erdgen.model import Migration

# One pattern per naming convention; each yields the version digits and the name.
_PATTERNS = (
    re.compile(r"^V(?P<version>\d+)__(?P<name>.+)\.sql$"),  # Flyway: V1__name.sql
    re.compile(r"^V(?P<version>\d+)\.(?P<name>.+?)(?:\.up)?\.sql$"),  # V0001.Name.up.sql
    re.compile(r"^(?P<version>\d+)[_-](?P<name>.+?)(?:\.up)?\.sql$"),  # 0001_name.sql, 1_x.up.sql
    re.compile(r"^(?P<version>\d+)(?:\.up)?\.sql$"),  # 0001.sql
)
_DOWN = re.compile(r"(\.down\.sql$)|(^U\d+__)")


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: Path
    version_text: str
    name: str


def discover(migrations_dir: Path, project_dir: Path | None = None) -> tuple[Migration, ...]:
    """Every migration in ``migrations_dir``, in the order they are applied."""
    if not migrations_dir.is_dir():
        raise DiscoveryError(f"migrations folder not found: {migrations_dir}")
    candidates = [_candidate(path) for path in _sql_files(migrations_dir)]
    _reject_duplicates(candidates)
    candidates.sort(key=lambda c: int(c.version_text))
    base = project_dir if project_dir is not None else migrations_dir.parent
    resolved_base = base.resolve()  # once, not per file: it walks every part of the path
    return tuple(_load(candidate, resolved_base) for candidate in candidates)


def _sql_files(migrations_dir: Path) -> list[Path]:
    files = (p for p in migrations_dir.iterdir() if p.suffix.lower() == ".sql")
    return sorted(p for p in files if not _DOWN.search(p.name))


def _candidate(path: Path) -> _Candidate:
    for pattern in _PATTERNS:
        match = pattern.match(path.name)
        if match:
            name = match.groupdict().get("name") or ""
            return _Candidate(path, match["version"], name)
    raise DiscoveryError(
        "migration file name has no version number "
        "(expected e.g. 0001_name.sql, V1__name.sql or 20220505083406_name.sql)",
        Location(str(path)),
    )


def _reject_duplicates(candidates: list[_Candidate]) -> None:
    seen: dict[int, _Candidate] = {}
    for candidate in candidates:
        version = int(candidate.version_text)
        if version in seen:
            other = seen[version]
            raise DiscoveryError(
                f"duplicate migration version {version}: {other.path.name} and "
                f"{candidate.path.name}",
                Location(str(candidate.path)),
            )
        seen[version] = candidate


def _load(candidate: _Candidate, resolved_base: Path) -> Migration:
    try:
        raw = candidate.path.read_bytes()
    except OSError as error:
        raise DiscoveryError(
            f"cannot read migration: {error.strerror}", Location(str(candidate.path))
        ) from None
    text = decode_migration(raw, str(candidate.path))
    return Migration(
        id=candidate.version_text,
        version=int(candidate.version_text),
        name=candidate.name,
        path=_relative(candidate.path, resolved_base),
        sha256=hashlib.sha256(raw).hexdigest(),
        sql=text.replace("\r\n", "\n"),
        description=file_header(text.replace("\r\n", "\n")),
    )


def _relative(path: Path, resolved_base: Path) -> str:
    try:
        return path.resolve().relative_to(resolved_base).as_posix()
    except ValueError:
        return path.as_posix()
