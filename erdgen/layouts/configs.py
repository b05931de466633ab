"""Tool configuration files that name a migrations folder (LAYOUTS.md §3.2 rule 2).

Read as text (TOML and JSON parsed, TypeScript and HCL matched by pattern), never
executed. Paths are resolved as each tool resolves them: wrangler's ``migrations_dir``
relative to the config file, diesel's relative to ``diesel.toml``, and so on.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct

WRANGLER_FILES = ("wrangler.json", "wrangler.jsonc", "wrangler.toml")


class ToolConfig(Struct, frozen=True):
    """A config file that names a folder for a tool."""

    tool: str  # a layout name
    config: Path
    folder: Path
    says: str  # the setting, as evidence ("d1_databases[0].migrations_dir")
    pattern: str = ""  # wrangler's migrations_pattern relative to the folder
    table: str = ""  # a renamed bookkeeping table, if the config names one


def configs_in(directory: Path) -> Iterator[ToolConfig]:
    """Every folder a tool config in ``directory`` names (its defaults included)."""
    yield from _wrangler(directory)
    yield from _diesel(directory)
    yield from _sqlx(directory)
    yield from _prisma(directory)
    yield from _drizzle(directory)
    yield from _flyway(directory)
    yield from _atlas(directory)
    yield from _sqitch(directory)
    yield from _yoyo(directory)
    yield from _dbmate(directory)


def configs_naming(folder: Path, project_dir: Path) -> list[ToolConfig]:
    """The configs in the project folder, the folder's parents up to it, and the folder
    itself, whose folder resolves to ``folder``."""
    target = folder.resolve()
    places = {folder.resolve(), project_dir.resolve()}
    parent = folder.resolve().parent
    while parent != parent.parent:
        places.add(parent)
        if parent == project_dir.resolve():
            break
        parent = parent.parent
    found = [c for place in sorted(places) for c in configs_in(place)]
    return [c for c in found if c.folder.resolve() == target]


def _read_json(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonc":
        text = _strip_jsonc(text)
    return json.loads(text)


def _strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (wrangler.jsonc) as plain JSON."""
    pieces = re.split(r'("(?:\\.|[^"\\])*")', text)
    for index in range(0, len(pieces), 2):
        piece = re.sub(r"//[^\n]*|/\*.*?\*/", "", pieces[index], flags=re.S)
        pieces[index] = re.sub(r",(\s*[}\]])", r"\1", piece)
    return "".join(pieces)


def _wrangler(directory: Path) -> Iterator[ToolConfig]:
    for name in WRANGLER_FILES:
        path = directory / name
        if not path.is_file():
            continue
        try:
            data = (
                tomllib.loads(path.read_text("utf-8"))
                if name.endswith(".toml")
                else (_read_json(path))
            )
        except (ValueError, OSError):
            continue
        for where, binding in _d1_bindings(data):
            folder = directory / str(binding.get("migrations_dir", "migrations"))
            pattern = str(binding.get("migrations_pattern", ""))
            prefix = str(binding.get("migrations_dir", "migrations")).rstrip("/") + "/"
            pattern = pattern.removeprefix("./").removeprefix(prefix.removeprefix("./"))
            setting = "migrations_dir" if "migrations_dir" in binding else "default ./migrations"
            table = str(binding.get("migrations_table", ""))
            yield ToolConfig("wrangler", path, folder, f"{where} {setting}", pattern, table)


def _d1_bindings(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(data, dict):
        return
    for index, binding in enumerate(data.get("d1_databases") or []):
        if isinstance(binding, dict):
            yield f"d1_databases[{index}]", binding
    for env, settings in (data.get("env") or {}).items():
        if isinstance(settings, dict):
            for index, binding in enumerate(settings.get("d1_databases") or []):
                if isinstance(binding, dict):
                    yield f"env.{env}.d1_databases[{index}]", binding


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}


def _diesel(directory: Path) -> Iterator[ToolConfig]:
    path = directory / "diesel.toml"
    if path.is_file():
        section = _toml(path).get("migrations_directory") or {}
        folder = section.get("dir") if isinstance(section, dict) else None
        says = "[migrations_directory] dir" if folder else "default migrations/"
        yield ToolConfig("diesel", path, directory / str(folder or "migrations"), says)


def _sqlx(directory: Path) -> Iterator[ToolConfig]:
    path = directory / "sqlx.toml"
    if path.is_file():
        section = _toml(path).get("migrate") or {}
        folder = section.get("migrations-dir") if isinstance(section, dict) else None
        yield ToolConfig("sqlx", path, directory / str(folder or "migrations"), "[migrate]")


_PRISMA_PATH = re.compile(r"""migrations\s*:\s*\{[^}]*?\bpath\s*:\s*["'`]([^"'`]+)["'`]""", re.S)


def _prisma(directory: Path) -> Iterator[ToolConfig]:
    for path in sorted(directory.glob("prisma.config.*")):
        match = _PRISMA_PATH.search(path.read_text(encoding="utf-8", errors="replace"))
        if match:
            yield ToolConfig("prisma", path, directory / match.group(1), "migrations.path")
    schema = directory / "prisma" / "schema.prisma"
    if schema.is_file():
        yield ToolConfig("prisma", schema, directory / "prisma" / "migrations", "default folder")


_DRIZZLE_OUT = re.compile(r"""\bout\s*:\s*["'`]([^"'`]+)["'`]""")
_DRIZZLE_TABLE = re.compile(r"""migrations\s*:\s*\{[^}]*?\btable\s*:\s*["'`]([^"'`]+)["'`]""", re.S)
_DRIZZLE_DIALECT = re.compile(r"""\b(?:dialect|driver)\s*:\s*["'`]([^"'`]+)["'`]""")


def drizzle_dialect(config: Path) -> str:
    """``dialect`` (or ``driver``) of a drizzle config, read as text ("turso", ...)."""
    found = _DRIZZLE_DIALECT.findall(config.read_text(encoding="utf-8", errors="replace"))
    return "turso" if "turso" in found else (found[0] if found else "")


def _drizzle(directory: Path) -> Iterator[ToolConfig]:
    for path in sorted(directory.glob("drizzle.config.*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            try:
                data = json.loads(text)
                out = str(data.get("out", "drizzle"))
                table = str((data.get("migrations") or {}).get("table", ""))
            except (ValueError, AttributeError):
                continue
        else:
            match, renamed = _DRIZZLE_OUT.search(text), _DRIZZLE_TABLE.search(text)
            out = match.group(1) if match else "drizzle"
            table = renamed.group(1) if renamed else ""
        folder = directory / out
        tool = "drizzle-v1" if _has_v1_dirs(folder) else "drizzle"
        yield ToolConfig(tool, path, folder, "out", table=table)


def _has_v1_dirs(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*/snapshot.json"))


def _flyway(directory: Path) -> Iterator[ToolConfig]:
    for name in ("flyway.conf", "flyway.toml"):
        path = directory / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"""locations\s*[=:]\s*\[?\s*["']?([^\n"'\]]+)""", text)
        locations = match.group(1) if match else "filesystem:sql"
        for location in locations.split(","):
            location = location.strip().removeprefix("filesystem:")
            if location and not location.startswith("classpath:"):
                yield ToolConfig("flyway", path, directory / location, "locations")


def _atlas(directory: Path) -> Iterator[ToolConfig]:
    path = directory / "atlas.hcl"
    if path.is_file():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"""\bdir\s*=\s*"file://([^"?]+)""", text):
            yield ToolConfig("atlas", path, directory / match.group(1), "migration.dir")


def _sqitch(directory: Path) -> Iterator[ToolConfig]:
    path = directory / "sqitch.conf"
    if path.is_file():
        match = re.search(r"^\s*top_dir\s*=\s*(\S+)", path.read_text("utf-8"), re.M)
        yield ToolConfig("sqitch", path, directory / (match.group(1) if match else "."), "top_dir")


def _yoyo(directory: Path) -> Iterator[ToolConfig]:
    path = directory / "yoyo.ini"
    if path.is_file():
        match = re.search(r"^\s*sources\s*=\s*(\S+)", path.read_text("utf-8"), re.M)
        if match:
            yield ToolConfig("yoyo", path, directory / match.group(1), "sources")


def _dbmate(directory: Path) -> Iterator[ToolConfig]:
    package = directory / "package.json"
    if package.is_file():
        text = package.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"dbmate[^\"]*?(?:--migrations-dir|-d)[ =]+([^\s\"]+)", text):
            yield ToolConfig("dbmate", package, directory / match.group(1), "--migrations-dir")
    env = directory / ".env"
    if env.is_file():
        setting = re.search(r"^DBMATE_MIGRATIONS_DIR=\"?([^\"\n]+)", env.read_text("utf-8"), re.M)
        if setting:
            yield ToolConfig("dbmate", env, directory / setting.group(1), "DBMATE_MIGRATIONS_DIR")
