"""Where pages live and who has one: page paths, table lives (``lives``), links.

A ``SitePlan`` knows every page of the site in the default language; a ``Linker``
writes Markdown links (and raw-HTML URLs for diagrams) from one page to the others.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from itertools import chain

from msgspec import Struct

from erdgen.config import Config
from erdgen.model import ColumnCopy, History, IdentifierRule, Migration, Schema, Step
from erdgen.render.lives import TABLE_SCOPED as TABLE_SCOPED
from erdgen.render.lives import TableLife as TableLife
from erdgen.render.lives import changed_unnamed as changed_unnamed
from erdgen.render.lives import concerns as concerns
from erdgen.render.lives import creation_comment as creation_comment
from erdgen.render.lives import life_schema as life_schema
from erdgen.render.lives import schema_before as schema_before
from erdgen.render.lives import shape_named as shape_named
from erdgen.render.lives import table_lives as table_lives
from erdgen.render.lives import table_page as table_page
from erdgen.render.markdown import breakable_code, code, link_target, slug

# --- where pages live ----------------------------------------------------------------------

INDEX = "index.md"
TIMELINE = "timeline.md"
OBJECTS = "objects.md"
DROPPED = "dropped.md"
# PostgreSQL projects only: enums and sequences; functions and procedures
TYPES = "types.md"
FUNCTIONS = "functions.md"


def migration_page(migration: Migration) -> str:
    """A migration's own page: its changes, diagram and SQL (the timeline only lists it)."""
    return f"migrations/{slug(migration.shown)}.md"


def diagram_file(page: str, key: str) -> str:
    """The SVG file of a page's diagram, in the folder of the page's URL: the links inside
    the SVG, relative to the page, work in the file too."""
    stem = page.removesuffix(".md")
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem
    return posixpath.join(folder, f"{key}.svg")


def localized(page: str, language: str, config: Config) -> str:
    """The file of ``page`` in ``language`` (mkdocs-static-i18n's suffix layout)."""
    return localized_file(page, language, config)


def localized_file(path: str, language: str, config: Config) -> str:
    """Any file of the docs in ``language``: ``x.svg`` becomes ``x.en.svg``."""
    if language == config.default_language:
        return path
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{language}.{suffix}" if dot else f"{path}.{language}"


def relative_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target between two pages; MkDocs resolves it in every language."""
    target = relative_path(to_page, posixpath.dirname(from_page))
    return link_target(target) + (f"#{anchor}" if anchor else "")


def page_url(page: str) -> str:
    """The page's URL below the output folder with MkDocs' directory URLs ("" for index)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_page: str, to_page: str) -> str:
    """A URL for raw HTML (an SVG link), which MkDocs does not rewrite."""
    relative = relative_path(page_url(to_page), page_url(from_page))
    return "./" if relative == "." else link_target(relative) + "/"


def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath`` for two paths below the same folder.

    ``relpath`` asks the OS for the working directory on every call, which showed in the
    profile of large sites (thousands of links); these paths never need it.
    """
    target_parts = [part for part in target.split("/") if part not in ("", ".")]
    start_parts = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    for mine, theirs in zip(target_parts, start_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + target_parts[common:]
    return "/".join(parts) or "."


def column_anchor(column: str, rule: IdentifierRule) -> str:
    """The anchor of a column's row on its table's page (``#c-<slug>``)."""
    return "c-" + slug(rule.key(column))


def view_anchor(view: str, rule: IdentifierRule) -> str:
    """The anchor of a view's entry on the objects page (``#v-<slug>``)."""
    return "v-" + slug(rule.key(view))


def trigger_anchor(trigger: str, rule: IdentifierRule, table: str | None = None) -> str:
    """The anchor of a trigger's entry on the objects page (``#tr-<slug>``). PostgreSQL
    names a trigger per table (``set_updated_at`` on every table): pass its ``table``."""
    return "tr-" + slug(rule.key(trigger if table is None else f"{table}.{trigger}"))


def migration_anchor(migration: Migration) -> str:
    return f"m-{slug(migration.shown)}"


# --- the site plan: who has a page, and links between pages ------------------------------


@dataclass(frozen=True, slots=True)
class SitePlan:
    """The history and its table lives (one page each), with lookups for links between pages."""

    history: History
    lives: tuple[TableLife, ...]
    # Lower-case name -> the lives that ever had it, in ``lives`` order: pages ask for
    # links tens of thousands of times on a large site. Derived, not part of the value.
    _by_name: dict[str, list[TableLife]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _positions: dict[int, int] = field(  # id(step) -> its index in history.steps
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._positions.update((id(step), i) for i, step in enumerate(self.history.steps))
        for life in self.lives:
            for name in dict.fromkeys(
                [self.history.names.key(life.name), *chain(*life.names.values())]
            ):
                self._by_name.setdefault(name, []).append(life)

    @classmethod
    def of(cls, history: History) -> SitePlan:
        return cls(history, table_lives(history))

    def life(self, name: str, step: int | None = None) -> TableLife | None:
        """The page of a table known as ``name`` (in step ``step``, when given)."""
        lower = self.history.names.key(name)
        candidates = self._by_name.get(lower, ())
        if step is not None:
            # in a step that drops a table and creates another of its name: the new one
            found = [life for life in candidates if lower in life.names.get(step, ())]
            if found:
                return next((life for life in found if life.dropped_in != step), found[0])
        named = [life for life in candidates if self.history.names.key(life.name) == lower]
        # the name's page: the current table, or else the last one dropped
        return next(
            (life for life in named if life.dropped_in is None), named[-1] if named else None
        )

    def namesakes(self, name: str) -> list[TableLife]:
        """The tables whose last name is ``name``, in ``lives`` order (current first)."""
        key = self.history.names.key
        return [life for life in self._by_name.get(key(name), ()) if key(life.name) == key(name)]

    def before(self, step: Step) -> Schema:
        """The schema before ``step``, one of the history's steps."""
        return schema_before(self.history, self._positions[id(step)])

    def copies(self, step: Step) -> tuple[ColumnCopy, ...]:
        """The column copies of a step's INSERT ... SELECT statements (``core.lineage``)."""
        return step.copies

    @property
    def postgres(self) -> bool:
        """A PostgreSQL project: its types and functions have pages of their own."""
        return self.history.dialect == "postgres"

    def pages(self) -> tuple[str, ...]:
        """Every page in the default language, in a stable order."""
        migrations = (migration_page(step.migration) for step in self.history.steps)
        postgres = (TYPES, FUNCTIONS) if self.postgres else ()
        return (
            INDEX, TIMELINE, OBJECTS, DROPPED, *postgres, *(life.path for life in self.lives),
            *migrations,
        )  # fmt: skip


class Linker(Struct, frozen=True):
    """Markdown for links from one page to the others."""

    plan: SitePlan
    page: str

    def copies(self, step: Step) -> tuple[ColumnCopy, ...]:
        return step.copies

    def table(self, name: str, step: int | None = None) -> str:
        life = self.plan.life(name, step)
        if life is None:
            return code(name)
        return f"[{code(name)}]({relative_link(self.page, life.path)})"

    def column(self, table: str, column: str, breakable: bool = False) -> str:
        """``table.column`` linked to the column's row (a list of columns: to the page);
        ``breakable``: the label may wrap after "_" or "." (see ``breakable_code``)."""
        life = self.plan.life(table)
        label = (breakable_code if breakable else code)(f"{table}.{column}")
        if life is None:
            return label
        anchor = column_anchor(column, self.plan.history.names) if "," not in column else ""
        return f"[{label}]({relative_link(self.page, life.path, anchor)})"

    def migration(self, migration: Migration, breakable: bool = False) -> str:
        """The migration's id linked to its page, then its name (``breakable``: see column)."""
        target = relative_link(self.page, migration_page(migration))
        beyond = migration.name_beyond_key
        if not beyond:
            return f"[{migration.shown}]({target})"
        wraps = breakable and ("_" in beyond or "." in beyond)
        return f"[{migration.shown}]({target}) {(breakable_code if wraps else code)(beyond)}"

    def timeline(self, migration: Migration) -> str:
        """The target of the migration's entry on the timeline."""
        return relative_link(self.page, TIMELINE, migration_anchor(migration))

    def view(self, name: str) -> str:
        if self.plan.history.schema.view(name) is None:  # dropped: no anchor to link to
            return code(name)
        anchor = view_anchor(name, self.plan.history.names)
        return f"[{code(name)}]({relative_link(self.page, OBJECTS, anchor)})"

    def trigger(self, name: str, table: str | None = None) -> str:
        """A trigger linked to its entry; ``table``: the table it is on (PostgreSQL's
        trigger names are per table, and so are its anchors)."""
        rule = self.plan.history.names
        if not self.plan.postgres:
            table = None
        current = self.plan.history.schema.triggers
        if not any(
            rule.same(t.name, name) and (table is None or rule.same(t.table, table))
            for t in current
        ):  # dropped: no anchor to link to
            return code(name)
        anchor = trigger_anchor(name, rule, table)
        return f"[{code(name)}]({relative_link(self.page, OBJECTS, anchor)})"

    @property
    def schema(self) -> Schema:
        return self.plan.history.schema

    def diagram_url(self, table: str) -> str | None:
        """For diagrams: raw-HTML URL of a table's page, relative to this page."""
        life = self.plan.life(table)
        return relative_url(self.page, life.path) if life else None
