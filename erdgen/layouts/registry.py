"""The layouts erdgen reads, by name, and ``discover``: detection plus the layout's reader.

Adding a layout: a module with a ``collect_<tool>(folder) -> Found`` function, one line
in ``LAYOUTS`` below, a detection rule in ``detect.py``, a fixture test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from erdgen.errors import Diagnostic, DiscoveryError, Location, Severity
from erdgen.layouts import atlas, drizzle, flat, folders, plans, sections, versioned
from erdgen.layouts.base import Discovery, Folder, Found, listing
from erdgen.layouts.configs import ToolConfig, configs_in
from erdgen.layouts.detect import Decision, detect, nothing_fired
from erdgen.model import Session


class Layout(Struct, frozen=True):
    """A migration tool's layout: its ``--layout`` name, the reader that finds and orders its
    migrations, and the bookkeeping table the tool records them in ("" for none)."""

    name: str
    tool: str  # the tool's own name, for messages and docs
    collect: Callable[[Folder], Found]
    table: str = ""  # the bookkeeping table the tool keeps
    # whether a migration's SET search_path carries over to the next (``Session``)
    session: Session = Session.SHARED


def _refinery(folder: Folder) -> Found:
    return versioned.collect_flyway(folder, refinery=True)


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("wrangler", "Cloudflare wrangler D1", flat.collect_wrangler, "d1_migrations"),
        Layout("flat", "numbered files (wrangler's rules)", flat.collect_wrangler, "d1_migrations"),
        Layout("authelia", "authelia", flat.collect_authelia, "migrations"),
        Layout("diesel", "diesel", folders.collect_diesel, "__diesel_schema_migrations"),
        Layout("prisma", "Prisma Migrate", folders.collect_prisma, "_prisma_migrations"),
        Layout("drizzle", "drizzle-kit (journal)", drizzle.collect_drizzle, "__drizzle_migrations"),
        Layout(
            "drizzle-v1",
            "drizzle-kit (folders)",
            folders.collect_drizzle_v1,
            "__drizzle_migrations",
        ),
        Layout("dbmate", "dbmate", sections.collect_dbmate, "schema_migrations"),
        Layout("goose", "goose", sections.collect_goose, "goose_db_version"),
        Layout(
            "golang-migrate",
            "golang-migrate",
            versioned.collect_golang_migrate,
            "schema_migrations",
        ),
        Layout("sqlx", "sqlx", versioned.collect_sqlx, "_sqlx_migrations"),
        Layout("flyway", "Flyway", versioned.collect_flyway, "flyway_schema_history", Session.OWN),
        Layout("refinery", "refinery", _refinery, "refinery_schema_history"),
        Layout("atlas", "Atlas", atlas.collect_atlas, "atlas_schema_revisions"),
        Layout("sqitch", "sqitch", plans.collect_sqitch, "changes", Session.OWN),
        Layout("yoyo", "yoyo-migrations", plans.collect_yoyo, "_yoyo_migration"),
        Layout(
            "liquibase", "Liquibase formatted SQL", plans.collect_liquibase, "DATABASECHANGELOG"
        ),
        Layout("version-dirs", "version folders + snapshot", plans.collect_version_dirs),
    )
}


def discover(folder: Path, project_dir: Path | None = None, layout: str | None = None) -> Discovery:
    """The migrations of ``folder`` in the order their tool applies them.

    ``layout`` (``--layout``, config ``layout``) overrides detection. DiscoveryError (exit
    2) when the folder is missing, the evidence contradicts itself, nothing fits, or the
    layout finds no migration: never an empty result.
    """
    project = project_dir if project_dir is not None else folder.parent
    if not folder.is_dir():
        raise DiscoveryError(f"migrations folder not found: {folder}")
    located = locate(folder, project) if layout is None else None
    if located is not None:
        inner = discover(located[0], project)
        return replace(inner, evidence=(located[1], *inner.evidence))
    decision = _decide(folder, project, layout)
    config = decision.config
    where = Folder(folder, project, config.pattern if config else "", _merged(config, folder))
    found = LAYOUTS[decision.layout].collect(where)
    if not found.migrations:
        seen = nothing_fired(folder)
        raise DiscoveryError(
            f"no migration found as {decision.layout} ({'; '.join(decision.evidence)}): "
            + seen.removeprefix("no migration found: "),
            Location(where.shown(folder)),
        )
    notes = [
        Diagnostic(Location(where.shown(folder)), "layout", w, Severity.WARNING)
        for w in decision.warnings
    ]
    if decision.layout != "atlas" and (folder / atlas.SUM_FILE).is_file():
        notes.extend(atlas.validate_sum(where))
    session = LAYOUTS[decision.layout].session
    return Discovery(
        layout=decision.layout,
        evidence=decision.evidence,
        migrations=tuple(
            m if m.session is session else replace(m, session=session) for m in found.migrations
        ),
        snapshots=tuple(found.snapshots),
        warnings=(*notes, *found.warnings),
        dialect=found.dialect,
        listed=tuple(found.listed),
        table=config.table if config else "",
    )


def _merged(config: ToolConfig | None, folder: Path) -> tuple[Path, ...]:
    """The other folders of a config that merges several into one sequence (Flyway's
    ``locations``)."""
    if config is None or config.tool != "flyway":
        return ()
    others = (c.folder for c in configs_in(config.config.parent) if c.config == config.config)
    return tuple(p for p in others if p.is_dir() and p.resolve() != folder.resolve())


def _decide(folder: Path, project: Path, layout: str | None) -> Decision:
    if layout is None:
        return detect(folder, project)
    if layout not in LAYOUTS:
        known = ", ".join(sorted(LAYOUTS))
        raise DiscoveryError(f"unknown layout {layout!r}: choose one of {known}")
    return Decision(layout, ("--layout / the layout option",))


# Where projects keep their migrations when no tool config names the folder.
_USUAL_FOLDERS = ("migrations", "db/migrations", "prisma/migrations", "drizzle", "sql", "migration")


def locate(folder: Path, project_dir: Path) -> tuple[Path, str] | None:
    """The migrations folder inside a project root, and how it was found; None when
    ``folder`` itself holds migrations (or nothing is found below it).

    A tool config in ``folder`` that names an existing folder wins; then the usual
    folder names. Two configs naming different folders are an error naming both.
    """
    if holds_migrations(folder):
        return None
    named: dict[Path, ToolConfig] = {}
    for config in configs_in(folder):
        if config.folder.is_dir() and config.folder.resolve() != folder.resolve():
            named.setdefault(config.folder.resolve(), config)
    if len(named) > 1:
        first, second = list(named.values())[:2]
        raise DiscoveryError(
            f"{first.config.name} names {first.folder.relative_to(folder).as_posix()}, "
            f"{second.config.name} names {second.folder.relative_to(folder).as_posix()}: "
            "point erdgen at one of them",
            Location(folder.as_posix()),
        )
    if named:
        config = next(iter(named.values()))
        return config.folder, f"{config.config.name}: {config.says} names {config.folder.name}/"
    for usual in _USUAL_FOLDERS:
        candidate = folder / usual
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate, f"{usual}/ found in {folder.resolve().name or folder}"
    return None


def holds_migrations(folder: Path) -> bool:
    """Whether ``folder`` itself looks like a migrations folder of some tool."""
    found = listing(folder)
    if any(p.suffix.lower() == ".sql" for p in found.files):
        return True
    markers = ("migration_lock.toml", "meta/_journal.json", "sqitch.plan", "atlas.sum")
    if any((folder / marker).exists() for marker in markers):
        return True
    return any((p / "up.sql").is_file() or (p / "migration.sql").is_file() for p in found.dirs)
