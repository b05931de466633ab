"""Orchestration: migrations -> history -> diagrams -> pages -> the site on disk.

``render_site`` is pure except for Graphviz (through ``diagrams.render_svgs`` and its
cache); ``build`` writes the result; ``check_stale`` says what a build would change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from erdgen import diagrams, pages
from erdgen.config import Config
from erdgen.descriptions import add_missing_keys, load_descriptions, skeleton
from erdgen.errors import Diagnostic
from erdgen.history import load_history
from erdgen.model import History, Schema
from erdgen.oracle import verify
from erdgen.site import Site, WriteResult, stale_files, write_site

CACHE_DIR = ".erdgen-cache"  # below the project; git-ignored


@dataclass(frozen=True, slots=True)
class BuildResult:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    output_dir: Path
    tables: int
    migrations: int


def render_site(config: Config, history: History | None = None) -> Site:
    """Every generated file (pages in every language) by path below ``config.output_path``."""
    if history is None:
        history = load_history(config.migrations_path, config.project_dir)
    descriptions = load_descriptions(config.descriptions_path)
    plan = pages.SitePlan.of(history)
    embeds = diagram_embeds(plan, config, config.project_dir / CACHE_DIR)
    files = pages.render_pages(history, descriptions, config, embeds, plan)
    return Site({**files, **_assets()})


def _assets() -> dict[str, bytes]:
    """The diagram stylesheet (mkdocs.yml lists ``<output_dir>/assets/erdgen.css``)."""
    folder = resources.files("erdgen").joinpath("assets")
    return {f"assets/{item.name}": item.read_bytes() for item in folder.iterdir() if item.is_file()}


def build(config: Config, history: History | None = None) -> BuildResult:
    """Render the site and write what changed; diagnostics from the model and SQLite."""
    if history is None:
        history = load_history(config.migrations_path, config.project_dir)
    site = render_site(config, history)
    result: WriteResult = write_site(site, config.output_path)
    return BuildResult(
        written=result.written,
        deleted=result.deleted,
        unchanged=result.unchanged,
        diagnostics=(*history.diagnostics, *_sqlite_differences(history, config)),
        output_dir=config.output_path,
        tables=len(history.schema.tables),
        migrations=len(history.steps),
    )


def check_stale(config: Config) -> list[str]:
    """Generated files that differ from what a build would write now (nothing is written)."""
    return stale_files(render_site(config), config.output_path)


def _sqlite_differences(history: History, config: Config) -> tuple[Diagnostic, ...]:
    return verify(history).diagnostics() if config.verify else ()


def diagram_embeds(plan: pages.SitePlan, config: Config, cache_dir: Path | None) -> pages.Embeds:
    """Inline SVG markup per page: overview, each table's neighbourhood, each migration."""
    history, schema = plan.history, plan.history.schema
    wanted: list[tuple[str, diagrams.Diagram]] = []
    for diagram in diagrams.overview_diagrams(schema, config, _link_for(plan, pages.INDEX)):
        wanted.append((pages.INDEX, diagram))
    for life in plan.lives:
        around = schema if life.dropped_in is None else _schema_before(history, life.dropped_in)
        link = _link_for(plan, life.path)
        wanted.append((life.path, diagrams.table_diagram(around, life.shape.name, config, link)))
    for step in history.steps:
        page = pages.migration_page(step.migration)
        link = _link_for(plan, page)
        wanted.append((page, diagrams.migration_diagram(history, step.migration.id, config, link)))
    svgs = diagrams.render_svgs([diagram for _, diagram in wanted], config, cache_dir)
    embeds: dict[str, tuple[str, ...]] = {}
    for page, diagram in wanted:
        embeds[page] = (*embeds.get(page, ()), _without_blank_lines(svgs[diagram.key]))
    return embeds


def _link_for(plan: pages.SitePlan, page: str) -> Callable[[str], str | None]:
    return pages.Linker(plan, page).diagram_url


def _schema_before(history: History, index: int) -> Schema:
    return history.steps[index - 1].schema if index > 0 else history.steps[index].schema


def _without_blank_lines(svg: str) -> str:
    """A blank line would end Markdown's raw HTML block in the middle of the SVG."""
    return "\n".join(line for line in svg.strip().splitlines() if line.strip())


@dataclass(frozen=True, slots=True)
class DescribeResult:
    path: Path
    text: str  # the file's text with the missing keys added
    added: tuple[str, ...]  # the added lines, for a preview
    written: bool


def describe(config: Config, write: bool, history: History | None = None) -> DescribeResult:
    """Add every missing migration, table and column key to the descriptions file.

    Existing text is kept byte for byte; with ``write`` false nothing is written.
    """
    if history is None:
        history = load_history(config.migrations_path, config.project_dir)
    path = config.descriptions_path
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    shapes = [life.shape for life in pages.SitePlan.of(history).lives]
    wanted = skeleton(history.migrations, shapes, config.languages)
    updated = add_missing_keys(text, wanted, str(path))
    added = _added_lines(text, updated)
    if write and updated != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(updated, encoding="utf-8")
    return DescribeResult(path, updated, added, write and updated != text)


def _added_lines(before: str, after: str) -> tuple[str, ...]:
    kept = before.splitlines()
    added: list[str] = []
    position = 0
    for line in after.splitlines():
        if position < len(kept) and kept[position] == line:
            position += 1
        else:
            added.append(line)
    return tuple(added)
