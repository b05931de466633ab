"""The diagrams of a site: which page shows which diagram, laid out by Graphviz while the
pages are rendered.

``dot`` runs in processes of its own, so the pages are rendered meanwhile: each page holds
a placeholder line where its diagram goes (``placeholder``), and ``fill_diagrams`` puts
the SVG there once Graphviz is done. The result is byte-identical to rendering the pages
with the SVG inside: ``tidy`` only strips each line's end and blank-line runs, an
embeddable SVG has no blank lines (``erdgen.render.graphviz.embeddable_svg``), and every
line of it starts with a tag, never with a code fence.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial

from msgspec.structs import asdict, replace

from erdgen.config import Config
from erdgen.model import History, IdentifierRule
from erdgen.render import diagrams, pages
from erdgen.render.graphviz import standalone_svg
from erdgen.render.page_inputs import EmbeddedDiagram
from erdgen.render.siteplan import diagram_file, life_schema, localized_file
from erdgen.site.cache import Entries, option_texts, package_digest, sqlglot_version

Wanted = list[tuple[str, diagrams.Diagram]]  # (page, diagram) in the order pages show them
_PLACEHOLDER = re.compile("\0erdgen-diagram ([^\0\n]+)\0")


def placeholder(key: str) -> str:
    """The line a page holds where the diagram ``key`` goes (no SQL name reaches a page
    with a NUL character in it)."""
    return f"\0erdgen-diagram {key}\0"


def wanted_diagrams(plan: pages.SitePlan, config: Config, cache: Entries | None) -> Wanted:
    """The diagrams per page: overview, each table's neighbourhood, each migration."""
    history, schema = plan.history, plan.history.schema
    wanted: Wanted = []
    # The map of groups links each box to the heading above its group's diagram.
    group_heading = partial(str.__add__, "./#")  # not "#...": SVG ids get prefixed
    overview_link = _link_for(plan, pages.INDEX)
    for diagram in diagrams.overview_diagrams(schema, config, overview_link, group_heading):
        wanted.append((pages.INDEX, diagram))
    for life in plan.lives:
        around = life_schema(history, life)
        link = _link_for(plan, life.path)
        key = f"table-{life.slug}"
        if diagram_key(life.shape.name, history) != key:
            # an earlier table of a name: its own diagram, its box linking to its own page
            link = partial(_own_page, link, history.names, life.name)
        diagram = diagrams.table_diagram(around, life.shape.name, config, link)
        wanted.append((life.path, diagram if diagram.key == key else replace(diagram, key=key)))
    wanted.extend(_migration_diagrams(plan, config, cache))
    return wanted


def embeds(wanted: Wanted, svgs: Mapping[str, str] | None = None) -> pages.Embeds:
    """Inline SVG markup per page; without ``svgs`` each diagram's placeholder line."""
    found: dict[str, tuple[EmbeddedDiagram, ...]] = {}
    for page, diagram in wanted:
        svg = placeholder(diagram.key) if svgs is None else svgs[diagram.key].strip()
        found[page] = (*found.get(page, ()), EmbeddedDiagram(diagram.key, svg, diagram.title))
    return found


def fill_diagrams(files: Mapping[str, bytes], svgs: Mapping[str, str]) -> dict[str, bytes]:
    """The pages with each placeholder line replaced by its SVG, as ``tidy`` leaves it."""
    shown = {key: "\n".join(map(str.rstrip, svg.strip().split("\n"))) for key, svg in svgs.items()}

    def fill(match: re.Match[str]) -> str:
        return shown[match.group(1)]

    filled = {}
    for path, content in files.items():
        text = content.decode("utf-8")
        filled[path] = _PLACEHOLDER.sub(fill, text).encode() if "\0" in text else content
    return filled


def diagram_files(embedded: pages.Embeds, config: Config) -> dict[str, bytes]:
    """Each diagram as an SVG file of its own, beside its page (the "open full size" link),
    once per language: mkdocs-static-i18n serves ``x.en.svg`` as the English page's
    ``x.svg``, so the links inside lead to pages of the reader's language."""
    files = {}
    for page, diagrams_of_page in embedded.items():
        for diagram in diagrams_of_page:
            svg, path = standalone_svg(diagram.svg), diagram_file(page, diagram.key)
            for language in config.languages:
                files[localized_file(path, language, config)] = svg
    return files


def _migration_diagrams(
    plan: pages.SitePlan, config: Config, cache: Entries | None
) -> Iterator[tuple[str, diagrams.Diagram]]:
    """Each migration's page and diagram, from the cache when drawn from the same inputs.

    A migration's diagram is drawn from its step and the one before: from the migration
    files up to it, erdgen and the options; its links from which table pages exist. Those
    make its key, so after one new migration only the new one is drawn again.
    """
    history = plan.history
    inputs = hashlib.sha256()
    for part in (package_digest(), sqlglot_version(), *option_texts(config)):
        inputs.update(f"{len(part)}\0{part}".encode())
    for life in plan.lives:  # a table name links to the first page of that name
        inputs.update(f"{history.names.key(life.name)}\0{life.path}\0".encode())
    for index, step in enumerate(history.steps):
        migration, page = step.migration, pages.migration_page(step.migration)
        inputs.update(f"{migration.id}\0{migration.name}\0{len(migration.sql)}\0".encode())
        inputs.update(migration.sql.encode())
        entry = f"diagram/{inputs.hexdigest()}"
        cached = None if cache is None else cache.get(entry)
        if cached is not None:
            yield page, diagrams.Diagram(**json.loads(cached))
            continue
        link = _link_for(plan, page)
        short = _step_with_predecessor(history, index)
        diagram = diagrams.migration_diagram(short, migration.shown, config, link)
        if cache is not None:
            cache.put(entry, json.dumps(asdict(diagram)).encode())
        yield page, diagram


def diagram_key(table: str, history: History) -> str:
    return f"table-{pages.slug(history.names.key(table))}"


def _own_page(
    link: Callable[[str], str | None], names: IdentifierRule, own: str, table: str
) -> str | None:
    return "./" if names.same(own, table) else link(table)


def _link_for(plan: pages.SitePlan, page: str) -> Callable[[str], str | None]:
    return pages.Linker(plan, page).diagram_url


def _step_with_predecessor(history: History, index: int) -> History:
    """The step and the one before it: all a migration diagram is drawn from.

    ``migration_diagram`` finds its step by id, a search over every step per step; on
    the short history the cost no longer grows with the square of the migrations
    (2,000 migrations: over a minute of the build before).
    """
    return replace(history, steps=history.steps[max(index - 1, 0) : index + 1])
