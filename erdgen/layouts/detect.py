"""Which tool's layout a folder follows, and the evidence that decided it (LAYOUTS.md §3.2).

The first rule that fires decides: a tool config naming the folder, a structural marker
in it, a content marker in its ``*.sql`` files, the file-name grammar. Every marker is
still collected: two that contradict each other are an error naming both. Where nothing
fires the error says what was seen, never an empty history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from msgspec import Struct

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.atlas import SUM_FILE
from erdgen.layouts.base import file_names, listing
from erdgen.layouts.configs import ToolConfig, configs_naming
from erdgen.layouts.versioned import FLYWAY, GOLANG_MIGRATE
from erdgen.plural import counted

_AUTHELIA = re.compile(r"^V\d{4}\.[^.]+\.(up|down)\.sql$")
_NUMBERED = re.compile(r"^\d+.*\.sql$")
_VERSION_DIR = re.compile(r"^\d+(\.\d+)+$")


class Decision(Struct, frozen=True):
    """The layout, the evidence (one line each), and what a config adds."""

    layout: str
    evidence: tuple[str, ...]
    config: ToolConfig | None = None
    warnings: tuple[str, ...] = ()


class _Marker(Struct, frozen=True):
    """A sign in a folder that points at one layout (or ``"atlas-sum"`` for an ``atlas.sum``),
    and where it was seen, for messages."""

    layout: str
    says: str  # "meta/_journal.json" or "0001_x.sql:1: -- +goose Up"


def detect(folder: Path, project_dir: Path) -> Decision:
    """The layout of ``folder``; DiscoveryError on contradicting or missing evidence."""
    if not folder.is_dir():
        raise DiscoveryError(f"migrations folder not found: {folder}")
    configs = configs_naming(folder, project_dir)
    structural = list(_structural(folder))
    content = list(_content(folder))
    shown = _shown(folder, project_dir)
    if configs:  # the config names the tool that applies the folder: markers only warn
        return _by_config(configs, structural + content, shown)
    _reject_conflicts(structural, shown)
    _reject_conflicts(content, shown)
    if structural:
        return _by_structure(structural, content, folder, project_dir)
    if content:
        return Decision(content[0].layout, tuple(m.says for m in content[:2]))
    grammar = _grammar(folder, project_dir)
    if grammar is not None:
        return grammar
    raise DiscoveryError(nothing_fired(folder), Location(shown))


def _shown(folder: Path, project_dir: Path) -> str:
    try:
        return folder.resolve().relative_to(project_dir.resolve()).as_posix() or "."
    except ValueError:
        return folder.as_posix()


def _by_config(configs: list[ToolConfig], markers: list[_Marker], shown: str) -> Decision:
    tools = {c.tool for c in configs}
    config = next((c for c in configs if c.tool == "wrangler"), configs[0])
    if len(tools) > 1 and "wrangler" not in tools:
        first, second = configs[0], next(c for c in configs if c.tool != configs[0].tool)
        raise DiscoveryError(
            f"contradicting evidence: {first.config.name} ({first.says}) says {first.tool}, "
            f"{second.config.name} ({second.says}) says {second.tool}: choose with --layout",
            Location(shown),
        )
    evidence = (f"{config.config.name}: {config.says} names this folder",)
    warnings = tuple(
        f"{m.says} suggests {m.layout}, but {config.config.name} names {config.tool} as the "
        "tool that applies this folder"
        for m in markers
        if m.layout != config.tool and not (config.tool == "wrangler" and m.layout == "atlas-sum")
    )
    return Decision(config.tool, evidence, config, warnings)


def _by_structure(
    structural: list[_Marker], content: list[_Marker], folder: Path, project_dir: Path
) -> Decision:
    marker = structural[0]
    if marker.layout == "atlas-sum":
        # Atlas writes atlas.sum for folders in other tools' formats too (--dir-format)
        other = content[0] if content else None
        grammar = None if other else _grammar(folder, project_dir, atlas_only=True)
        if other is not None and other.layout != "atlas":
            evidence = (other.says, f"{SUM_FILE}: written by Atlas for a {other.layout} folder")
            return Decision(other.layout, evidence)
        if grammar is not None and grammar.layout not in ("flat",):
            return Decision(grammar.layout, (*grammar.evidence, f"{SUM_FILE}: checked as well"))
        return Decision("atlas", (SUM_FILE,))
    return Decision(marker.layout, (marker.says,))


def _reject_conflicts(markers: list[_Marker], shown: str) -> None:
    layouts = {m.layout for m in markers} - {"atlas-sum", "atlas"}
    if len(layouts) > 1:
        first = (
            markers[0]
            if markers[0].layout in layouts
            else next(m for m in markers if m.layout in layouts)
        )
        second = next(m for m in markers if m.layout in layouts and m.layout != first.layout)
        raise DiscoveryError(
            f"contradicting evidence: {first.says} says {first.layout}, {second.says} says "
            f"{second.layout}: choose with --layout",
            Location(shown),
        )


def _structural(folder: Path) -> Iterator[_Marker]:
    if (folder / "migration_lock.toml").is_file():
        yield _Marker("prisma", "migration_lock.toml")
    if (folder / "meta" / "_journal.json").is_file():
        yield _Marker("drizzle", "meta/_journal.json")
    subdirs = listing(folder).dirs
    files = [file_names(p)[0] for p in subdirs]  # one scandir per sub-folder, not a stat per name
    scripts = [p for p, names in zip(subdirs, files, strict=True) if "migration.sql" in names]
    lock = (folder / "migration_lock.toml").is_file()
    if scripts and not lock:
        if any((p / "snapshot.json").is_file() for p in scripts):
            yield _Marker("drizzle-v1", f"{scripts[0].name}/snapshot.json beside migration.sql")
        else:
            yield _Marker("prisma", f"{scripts[0].name}/migration.sql (no migration_lock.toml)")
    if (folder / SUM_FILE).is_file():
        yield _Marker("atlas-sum", SUM_FILE)
    if (folder / "sqitch.plan").is_file():
        yield _Marker("sqitch", "sqitch.plan")
    ups = [p for p, names in zip(subdirs, files, strict=True) if "up.sql" in names]
    if ups:
        yield _Marker("diesel", f"{len(ups)} sub-folder(s) hold up.sql, e.g. {ups[0].name}/up.sql")
    versions = [p for p in subdirs if _VERSION_DIR.match(p.name) and any(p.glob("*.sql"))]
    if versions and any(not _NUMBERED.match(p.name) for p in _sql_files(folder)):
        yield _Marker("version-dirs", f"version folders ({versions[0].name}/) and a snapshot")
    master = next((p for p in listing(folder).files if _is_master_changelog(p)), None)
    if master is not None:
        yield _Marker("liquibase", f"{master.name}: a Liquibase master changelog")
    if any(folder.glob("*.sql.conf")):
        yield _Marker("flyway", next(folder.glob("*.sql.conf")).name)


def _is_master_changelog(path: Path) -> bool:
    if path.suffix.lower() not in (".xml", ".yaml", ".yml"):
        return False
    return "databaseChangeLog" in path.read_text(encoding="utf-8", errors="replace")


def _sql_files(folder: Path) -> list[Path]:
    return [p for p in listing(folder).files if p.suffix.lower() == ".sql"]


# Searched over whole files (one regex search each, not a loop over lines): the patterns
# of LAYOUTS.md §3.2 rule 4.
_CONTENT_MARKERS = (
    ("liquibase", re.compile(r"\A\s*--\s*liquibase\s+formatted", re.I)),
    ("goose", re.compile(r"^--[ \t]*\+goose[ \t]+(?i:up|down)\b", re.M)),
    ("dbmate", re.compile(r"^--[ \t]*migrate:up(?:[ \t]|$)", re.M)),
    ("yoyo", re.compile(r"^[ \t]*--[ \t]*depends[ \t]*:", re.M)),
    ("atlas", re.compile(r"^--[ \t]*atlas:(?:sum|delimiter|checkpoint|txmode)\b", re.M)),
)


def _content(folder: Path) -> Iterator[_Marker]:
    """The first line of each content marker, reading every top-level ``*.sql`` once."""
    first: dict[str, _Marker] = {}
    for path in _sql_files(folder):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for layout, pattern in _CONTENT_MARKERS:
            found = None if layout in first else pattern.search(text)
            if found is not None:
                line = text.count("\n", 0, found.start()) + 1
                shown = text.split("\n")[line - 1].strip()
                first[layout] = _Marker(layout, f"{path.name}:{line}: {shown}")
    yield from (first[layout] for layout, _ in _CONTENT_MARKERS if layout in first)
    rollback = next(iter(sorted(folder.glob("*.rollback.sql"))), None)
    if rollback is not None:
        yield _Marker("yoyo", rollback.name)


def _grammar(folder: Path, project_dir: Path, atlas_only: bool = False) -> Decision | None:
    names = [p.name for p in listing(folder).files]
    sql = [n for n in names if n.lower().endswith(".sql") or GOLANG_MIGRATE.match(n)]
    if not sql:
        return None
    cargo = _cargo_dependencies(folder, project_dir)
    flyway = [n for n in sql if FLYWAY.match(n)]
    if flyway and any(n.startswith("V") for n in flyway):
        numbered = [n for n in sql if _NUMBERED.match(n)]
        if numbered:
            raise DiscoveryError(
                f"contradicting evidence: {flyway[0]} is a Flyway name, {numbered[0]} is not",
                Location(_shown(folder, project_dir)),
            )
        if "refinery" in cargo:
            return Decision(
                "refinery", (f"{flyway[0]}: Flyway-style names", "Cargo.toml: refinery")
            )
        return Decision("flyway", (f"{counted(len(flyway), 'file')} named V<version>__<name>.sql",))
    if all(_AUTHELIA.match(n) for n in sql):
        files = counted(len(sql), "file")
        return Decision("authelia", (f"{files} named V<NNNN>.<Name>.up|down.sql",))
    if all(GOLANG_MIGRATE.match(n) for n in sql):
        if "sqlx" in cargo or (project_dir / "sqlx.toml").is_file():
            return Decision("sqlx", ("<version>_<name>.up|down.sql", "Cargo.toml: sqlx"))
        files = counted(len(sql), "file")
        return Decision("golang-migrate", (f"{files} named <n>_<name>.up|down.<ext>",))
    numbered = [n for n in sql if _NUMBERED.match(n)]
    strays = [n for n in sql if not _NUMBERED.match(n)]
    if numbered and strays and not atlas_only:
        raise DiscoveryError(
            "migration file name has no version number (expected e.g. 0001_name.sql, "
            "V1__name.sql or 20220505083406_name.sql): wrangler would apply it last, other "
            "tools ignore it; choose with --layout",
            Location(_shown(folder / strays[0], project_dir)),
        )
    if numbered and not atlas_only:
        if "sqlx" in cargo:
            return Decision("sqlx", ("numbered *.sql", "Cargo.toml: sqlx"))
        files = counted(len(numbered), "numbered *.sql file")
        return Decision("flat", (f"{files}: wrangler's rules",))
    return None


def _cargo_dependencies(folder: Path, project_dir: Path) -> set[str]:
    found: set[str] = set()
    for place in {folder, folder.parent, project_dir}:
        cargo = place / "Cargo.toml"
        if cargo.is_file():
            text = cargo.read_text(encoding="utf-8", errors="replace")
            found.update(n for n in ("sqlx", "refinery") if _depends_on(text, n))
    return found


def _depends_on(cargo: str, crate: str) -> bool:
    """``crate = ...`` or ``[dependencies.crate]`` (any table) in a Cargo.toml."""
    pattern = rf"^\s*(?:{crate}\s*=|\[(?:[\w-]+\.)*{crate}\])"
    return re.search(pattern, cargo, re.M) is not None


# Projects that support several databases keep one migrations folder per database.
_DIALECT_DIRS = frozenset({"sqlite", "sqlite3", "postgres", "postgresql", "pg", "mysql", "d1"})


def nothing_fired(folder: Path) -> str:
    """What was seen in a folder where no rule fired, and what to try."""
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    ups = [p for p in entries if p.is_dir() and (p / "up.sql").is_file()]
    scripts = [p for p in entries if p.is_dir() and (p / "migration.sql").is_file()]
    sql = [p for p in entries if p.is_file() and p.suffix.lower() == ".sql"]
    if ups:
        return f"{len(ups)} sub-folders hold up.sql: this looks like diesel; try --layout diesel"
    if scripts:
        return f"{len(scripts)} sub-folders hold migration.sql: this looks like Prisma"
    if not entries:
        return "no migration found: the folder is empty"
    deeper = sorted(folder.rglob("*.sql"))
    seen = ", ".join(p.name for p in entries[:5]) + (", ..." if len(entries) > 5 else "")
    per_dialect = [p.name for p in entries if p.is_dir() and p.name.lower() in _DIALECT_DIRS]
    if not sql and len(per_dialect) > 1:
        named = ", ".join(f"{name}/" for name in per_dialect)
        return (
            f"no migration found: one folder per database ({named}); point erdgen at the one "
            "to document, e.g. " + (folder / per_dialect[0]).as_posix()
        )
    if not sql and deeper:
        return (
            f"no migration found: no *.sql at the top, but {len(deeper)} below it (e.g. "
            f"{deeper[0].relative_to(folder).as_posix()}); point erdgen at that folder or "
            "choose --layout"
        )
    return f"no migration found: no known layout fits what is here ({seen}); choose --layout"
