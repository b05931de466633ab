"""Markdown pages in every language: typed page contexts rendered through Jinja2 templates.

Python decides *what* a page says (typed contexts, change lines with catalog keys);
the templates decide how it looks; every UI word comes from ``locales/<lang>.yml``.
Names and comments from SQL are data and pass through the filters of ``erdgen.render.markdown``.
The other modules of the page writer: ``markdown`` (escaping), ``catalog`` (UI strings),
``siteplan`` (paths, table lives, links), ``change_lines`` (what a migration did), and the
page contexts: ``page_inputs``, ``table_page``, ``migration_pages``, ``schema_pages``.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from erdgen.config import Config
from erdgen.descriptions import Descriptions
from erdgen.model import History
from erdgen.render.catalog import Catalog, flatten_catalog, load_catalog
from erdgen.render.change_lines import (
    ChangeGroup,
    ChangeLine,
    column_definition,
    shape_diff,
    summary,
)
from erdgen.render.diagrams import LegendItem, legend_items
from erdgen.render.markdown import (
    code,
    fence,
    front_matter,
    indent,
    md_cell,
    md_text,
    slug,
    tidy,
    title,
)
from erdgen.render.migration_pages import migration_contexts, timeline_context
from erdgen.render.page_inputs import Embeds, Inputs
from erdgen.render.postgres_pages import functions_context, types_context
from erdgen.render.precompiled import PrecompiledLoader
from erdgen.render.schema_pages import dropped_context, objects_context, overview_context
from erdgen.render.siteplan import (
    DROPPED,
    FUNCTIONS,
    INDEX,
    OBJECTS,
    TIMELINE,
    TYPES,
    Linker,
    SitePlan,
    TableLife,
    localized,
    migration_anchor,
    migration_page,
    table_lives,
)
from erdgen.render.table_page import table_context
from erdgen.render.timeline_lines import MARKS
from erdgen.site.cache import Entries, package_digest

__all__ = [  # the names other modules import from here
    "DROPPED", "INDEX", "OBJECTS", "TIMELINE", "Catalog", "ChangeGroup", "ChangeLine",
    "Embeds", "Linker", "SitePlan", "TableLife", "code", "column_definition", "flatten_catalog",
    "load_catalog", "md_cell", "md_text", "migration_anchor", "migration_page", "render_pages",
    "shape_diff", "slug", "summary", "table_lives", "tidy",
]  # fmt: skip


# --- rendering -------------------------------------------------------------------------


class _BytecodeFolder(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache, whose folder is made when a template is first compiled: a
    build with every template precompiled (``erdgen.render.compiled``) makes none."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        Path(self.directory).mkdir(parents=True, exist_ok=True)
        super().dump_bytecode(bucket)


@cache
def environment(bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with ``bytecode_dir`` Jinja keeps the compiled templates
    there, so that a build after the first one does not compile them again (they were a
    quarter of a build of the bundled project under cProfile)."""
    bytecode = None if bytecode_dir is None else _BytecodeFolder(str(bytecode_dir))
    env = jinja2.Environment(
        loader=PrecompiledLoader("erdgen.render", "templates"),
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: values pass through the filters below
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        code=code,
        md_text=md_text,
        md_cell=md_cell,
        fence=fence,
        front_matter=front_matter,
        indent4=indent,
        title=title,
    )
    # The diagrams hold symbols only; each page explains them below the diagram.
    legends = {kind: legend_items(kind) for kind in ("schema", "migration")}
    # the timeline's rows hold marks only: the legend above them is written from their table
    legends["timeline"] = tuple(LegendItem(key, symbol) for key, symbol in MARKS)
    env.globals["legends"] = legends
    return env


def render_pages(
    history: History,
    descriptions: Descriptions,
    config: Config,
    embeds: Embeds | None = None,
    plan: SitePlan | None = None,
    cache: Entries | None = None,
    commit_dates: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Every page in every language: path below the output folder -> UTF-8 Markdown.

    With a ``cache`` a page whose inputs were rendered before is read from there (and a
    new one is kept there): after one new migration, most pages only cost their context
    and its key.
    """
    plan = plan or SitePlan.of(history)
    files: dict[str, bytes] = {}
    for language in config.languages:
        inputs = Inputs(
            plan, descriptions, language, embeds or {}, config.comments_language,
            commit_dates or {},
        )  # fmt: skip
        catalog = load_catalog(language)
        for page, template, context in _pages(inputs):
            key = (template, page, language, config.site_title, config.descriptions_file, context)
            entry = None if cache is None else page_key(key)
            text = None if cache is None or entry is None else cache.get(entry)
            if text is None:
                bytecode = None if cache is None else cache.folder / "jinja"
                markdown = _render(template, catalog, config, bytecode, page=context, path=page)
                text = markdown.encode()
                if cache is not None and entry is not None:
                    cache.put(entry, text)
            files[localized(page, language, config)] = text
    return files


def page_key(inputs: tuple[object, ...]) -> str:
    """The cache key of a rendered page: a digest of all its inputs and of erdgen.

    ``inputs`` is all ``_render`` uses: template, page, language, site title and context.
    Pickle writes them completely, so equal pickles mean equal pages; it also records which
    objects are shared, so an equal context built differently only misses the cache.
    """
    material = pickle.dumps((package_digest(), inputs), protocol=5)
    return "page/" + hashlib.sha256(material).hexdigest()


def _pages(inputs: Inputs) -> list[tuple[str, str, object]]:
    migrations = migration_contexts(inputs)
    pages: list[tuple[str, str, object]] = [
        (INDEX, "index.md.j2", overview_context(inputs)),
        (TIMELINE, "timeline.md.j2", timeline_context(inputs, migrations)),
        (OBJECTS, "objects.md.j2", objects_context(inputs)),
        (DROPPED, "dropped.md.j2", dropped_context(inputs)),
    ]
    if inputs.plan.postgres:
        pages.append((TYPES, "types.md.j2", types_context(inputs)))
        pages.append((FUNCTIONS, "functions.md.j2", functions_context(inputs)))
    pages.extend(
        (life.path, "table.md.j2", table_context(inputs, life)) for life in inputs.plan.lives
    )
    pages.extend((m.page, "migration.md.j2", m) for m in migrations)
    return pages


def _render(
    template: str, catalog: Catalog, config: Config, bytecode: Path | None, **context: object
) -> str:
    text = (
        environment(bytecode)
        .get_template(template)
        .render(
            t=catalog.t,
            language=catalog.language,
            title_text=config.site_title,
            descriptions_file=config.descriptions_file,
            **context,
        )
    )
    return tidy(text)
