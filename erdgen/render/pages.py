"""Markdown pages in every language: typed page contexts rendered through Jinja2 templates.

Python decides *what* a page says (typed contexts, change lines with catalog keys);
the templates decide how it looks; every UI word comes from ``locales/<lang>.yml``.
Names and comments from SQL are data and pass through the filters of ``erdgen.render.markdown``.
The other modules of the page writer: ``markdown`` (escaping), ``catalog`` (UI strings),
``siteplan`` (paths, table lives, links), ``change_lines`` (what a migration did).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from erdgen.config import Config
from erdgen.descriptions import Descriptions
from erdgen.model import (
    Action,
    Column,
    ForeignKey,
    History,
    Index,
    Schema,
    Table,
)
from erdgen.render.catalog import Catalog, flatten_catalog, load_catalog
from erdgen.render.change_lines import (
    ChangeGroup,
    ChangeLine,
    change_line,
    column_definition,
    shape_diff,
    step_groups,
    summary,
    table_step_lines,
)
from erdgen.render.diagrams import legend_items
from erdgen.render.markdown import (
    code,
    fence,
    indent,
    md_cell,
    md_markdown,
    md_text,
    slug,
    tidy,
    title,
)
from erdgen.render.siteplan import (
    DROPPED,
    INDEX,
    OBJECTS,
    TIMELINE,
    Linker,
    SitePlan,
    TableLife,
    localized,
    migration_anchor,
    migration_page,
    relative_link,
    schema_before,
    table_lives,
)
from erdgen.site.cache import package_digest, read_entry, write_atomically

__all__ = [  # the names other modules import from here
    "DROPPED", "INDEX", "OBJECTS", "TIMELINE", "Catalog", "ChangeGroup", "ChangeLine",
    "Embeds", "Linker", "SitePlan", "TableLife", "code", "column_definition", "flatten_catalog",
    "load_catalog", "md_cell", "md_text", "migration_anchor", "migration_page", "render_pages",
    "shape_diff", "slug", "summary", "table_lives", "tidy",
]  # fmt: skip

# --- page contexts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Description:
    """A description in the reader's language, or the SQL comment marked as untranslated."""

    markdown: str = ""
    untranslated: bool = False


def describe(sidecar: str, comment: str) -> Description:
    if sidecar.strip():
        return Description(md_markdown(sidecar))
    if comment.strip():
        return Description(md_text(comment), untranslated=True)
    return Description()


@dataclass(frozen=True, slots=True)
class ColumnRow:
    position: int
    name: str  # Markdown (code span)
    type: str
    nullable: bool
    default: str
    keys: tuple[str, ...]  # "PK", "FK → link", "UQ"
    description: Description


@dataclass(frozen=True, slots=True)
class IndexRow:
    name: str
    columns: str
    unique: bool
    condition: str
    origin: str  # "c" (CREATE INDEX), "u" (UNIQUE), "pk" (PRIMARY KEY)


@dataclass(frozen=True, slots=True)
class ForeignKeyRow:
    columns: str
    target: str
    actions: tuple[str, ...]  # e.g. "ON DELETE CASCADE"; NO ACTION is left out


@dataclass(frozen=True, slots=True)
class ConstraintRow:
    kind: str  # "check", "unique", "primary_key"
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    migration: str
    lines: tuple[ChangeLine, ...]

    @property
    def destructive(self) -> bool:
        return any(line.destructive for top in self.lines for line in top.all())


@dataclass(frozen=True, slots=True)
class TablePage:
    name: str  # Markdown (code span)
    dropped: bool
    description: Description
    counts: Mapping[str, int]  # columns, indexes, foreign_keys, checks
    created_in: str  # Markdown link to the migration, "" when unknown
    changed_in: str
    dropped_in: str
    diagrams: tuple[str, ...]
    columns: tuple[ColumnRow, ...]
    indexes: tuple[IndexRow, ...]
    foreign_keys: tuple[ForeignKeyRow, ...]
    constraints: tuple[ConstraintRow, ...]
    triggers: tuple[str, ...]  # Markdown: name link, timing, event
    referenced_by: tuple[str, ...]  # Markdown: "table.column → column"
    history: tuple[HistoryRow, ...]
    sql: str


@dataclass(frozen=True, slots=True)
class DataChange:
    verb: str
    table: str  # Markdown
    sql: str


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A statement ``--keep-going`` skipped: its line, the engine's reason, its SQL."""

    line: int
    reason: str
    sql: str


@dataclass(frozen=True, slots=True)
class MigrationPage:
    """One migration in full: what it changed, its data changes, its diagram and its SQL."""

    page: str  # its path (default language)
    heading: str  # Markdown: id and name
    anchor: str  # of its entry on the timeline
    description: Description
    summary: tuple[tuple[str, int], ...]
    groups: tuple[ChangeGroup, ...]
    destructive: tuple[tuple[str, ChangeLine], ...]  # (table label, line)
    data: tuple[DataChange, ...]
    diagrams: tuple[str, ...]
    path: str
    sql: str
    links: Mapping[str, str]  # timeline, previous, next (Markdown links, "" for none)
    skipped: tuple[SkippedLine, ...] = ()  # --keep-going: what a fresh database refused


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One migration on the timeline: a short entry that links to its page."""

    heading: str  # Markdown: id and name
    anchor: str
    link: str  # link target of the migration's page
    description: Description
    summary: tuple[tuple[str, int], ...]
    destructive: bool
    data: bool  # it changes rows (a backfill)
    skipped: int = 0  # statements --keep-going skipped


@dataclass(frozen=True, slots=True)
class TableSummary:
    link: str
    columns: int
    description: Description


@dataclass(frozen=True, slots=True)
class OverviewPage:
    counts: tuple[tuple[str, int], ...]
    tables: tuple[TableSummary, ...]
    dropped_tables: tuple[TableSummary, ...]
    diagrams: tuple[str, ...]
    latest: str  # Markdown link to the latest migration, "" when there is none
    links: Mapping[str, str]  # timeline, objects, dropped


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    name: str  # Markdown
    anchor: str
    table: str  # Markdown link to the table ("" for views)
    detail: str  # trigger timing and event
    description: Description
    history: tuple[HistoryRow, ...]
    sql: str


@dataclass(frozen=True, slots=True)
class DroppedEntry:
    kind: str  # "table", "column", "index", "view", "trigger"
    name: str  # Markdown
    migration: str  # Markdown link


# --- building the contexts -------------------------------------------------------------

Embeds = Mapping[str, tuple[str, ...]]  # page (default-language path) -> SVG markup


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the pages of one language are made of."""

    plan: SitePlan
    descriptions: Descriptions
    language: str
    embeds: Embeds

    @property
    def history(self) -> History:
        return self.plan.history


def table_context(inputs: Inputs, life: TableLife) -> TablePage:
    linker = Linker(inputs.plan, life.path)
    table, language = life.shape, inputs.language
    history = tuple(
        HistoryRow(linker.migration(inputs.history.steps[i].migration), lines)
        for i in life.steps
        if (lines := table_step_lines(life, i, linker))
    )
    created = next((r.migration for r in history if _creates(r)), "")
    lived = history[:-1] if life.dropped_in is not None else history  # the drop is said apart
    changed = lived[-1].migration if len(lived) > 1 else ""
    schema = _schema_at(inputs.history, life)
    return TablePage(
        name=code(table.name),
        dropped=life.dropped_in is not None,
        description=describe(inputs.descriptions.table(table.name, language), table.description),
        counts={
            "columns": len(table.columns),
            "indexes": len(table.indexes),
            "foreign_keys": len(table.foreign_keys),
            "checks": len(table.checks),
        },
        created_in=created,
        changed_in=changed,
        dropped_in=history[-1].migration if life.dropped_in is not None and history else "",
        diagrams=inputs.embeds.get(life.path, ()),
        columns=tuple(
            _column_row(inputs, table, c, i, linker) for i, c in enumerate(table.columns, 1)
        ),
        indexes=tuple(_index_row(index) for index in table.indexes),
        foreign_keys=tuple(_foreign_key_row(key, linker) for key in table.foreign_keys),
        constraints=_constraints(table),
        triggers=tuple(
            f"{linker.trigger(t.name)} · {t.timing} {t.event}".rstrip()
            for t in schema.triggers_on(table.name)
        ),
        referenced_by=tuple(
            f"{linker.column(other.name, ', '.join(key.columns))} → "
            f"{code(', '.join(key.ref_columns or table.primary_key))}"
            for other, key in schema.referencing(table.name)
        ),
        history=history,
        sql=table.sql,
    )


def _creates(row: HistoryRow) -> bool:
    return any(line.kind == "table_created" for line in row.lines)


def _schema_at(history: History, life: TableLife) -> Schema:
    """The schema the table lives in: now, or just before it was dropped."""
    if life.dropped_in is None:
        return history.schema
    return schema_before(history, life.dropped_in)


def _column_row(
    inputs: Inputs, table: Table, column: Column, position: int, linker: Linker
) -> ColumnRow:
    keys: list[str] = []
    if column.primary_key:
        composite = len(table.primary_key) > 1
        keys.append(f"PK {column.primary_key}" if composite else "PK")
    for key in table.foreign_keys:
        if any(table.names.same(c, column.name) for c in key.columns):
            refs = key.ref_columns or _primary_key_of(linker.plan, key.ref_table)
            target = ", ".join(refs)
            link = linker.column(key.ref_table, target) if target else linker.table(key.ref_table)
            keys.append(f"FK → {link}")
    if column.unique or any(
        i.unique
        and i.origin != "pk"
        and len(i.columns) == 1
        and i.columns[0].name
        and table.names.same(i.columns[0].name, column.name)
        for i in table.indexes
    ):
        keys.append("UQ")
    sidecar = inputs.descriptions.column(table.name, column.name, inputs.language)
    return ColumnRow(
        position=position,
        name=code(column.name),
        type=code(column.type) if column.type else "",
        nullable=not column.not_null and not column.primary_key,
        default=code(column.default) if column.default is not None else "",
        keys=tuple(dict.fromkeys(keys)),
        description=describe(sidecar, column.description),
    )


def _primary_key_of(plan: SitePlan, table: str) -> tuple[str, ...]:
    found = plan.history.schema.table(table)
    return found.primary_key if found else ()


def _index_row(index: Index) -> IndexRow:
    return IndexRow(
        name=code(index.name),
        columns=", ".join(code(c.label + (" DESC" if c.descending else "")) for c in index.columns),
        unique=index.unique,
        condition=code(index.where) if index.where else "",
        origin=index.origin,
    )


def _foreign_key_row(key: ForeignKey, linker: Linker) -> ForeignKeyRow:
    refs = key.ref_columns or _primary_key_of(linker.plan, key.ref_table)
    target = linker.column(key.ref_table, ", ".join(refs)) if refs else linker.table(key.ref_table)
    actions = tuple(
        f"ON {event} {action}"
        for event, action in (("DELETE", key.on_delete), ("UPDATE", key.on_update))
        if action.upper() != "NO ACTION"
    )
    return ForeignKeyRow(code(", ".join(key.columns)), target, actions)


def _constraints(table: Table) -> tuple[ConstraintRow, ...]:
    rows = [
        ConstraintRow("check", code(c.name) if c.name else "", code(c.expression))
        for c in table.checks
    ]
    if len(table.primary_key) > 1:
        name = code(table.primary_key_name) if table.primary_key_name else ""
        rows.append(ConstraintRow("primary_key", name, code(", ".join(table.primary_key))))
    for index in table.indexes:
        if index.origin == "u" and len(index.columns) > 1:
            rows.append(ConstraintRow("unique", "", code(", ".join(index.column_names))))
    return tuple(rows)


def migration_contexts(inputs: Inputs) -> tuple[MigrationPage, ...]:
    return tuple(_migration_context(inputs, index) for index in range(len(inputs.history.steps)))


def _migration_context(inputs: Inputs, index: int) -> MigrationPage:
    steps = inputs.history.steps
    migration = steps[index].migration
    page = migration_page(migration)
    linker = Linker(inputs.plan, page)
    groups = step_groups(index, linker)
    destructive = tuple(
        (group.label, line)
        for group in groups
        for top in group.lines
        for line in top.all()
        if line.destructive
    )
    data = tuple(
        DataChange(c.verb or "SQL", linker.table(c.table, index) if c.table else "", c.statement)
        for c in steps[index].changes
        if c.action is Action.DATA
    )
    sidecar = inputs.descriptions.migration(migration, inputs.language)
    return MigrationPage(
        page=page,
        heading=f"{migration.shown} · {code(migration.name)}",
        anchor=migration_anchor(migration),
        description=describe(sidecar, migration.description),
        summary=summary(groups),
        groups=groups,
        destructive=destructive,
        data=data,
        diagrams=inputs.embeds.get(page, ()),
        path=migration.path,
        sql=migration.sql,
        links={
            "timeline": linker.timeline(migration),
            "previous": linker.migration(steps[index - 1].migration) if index > 0 else "",
            "next": linker.migration(steps[index + 1].migration) if index + 1 < len(steps) else "",
        },
        skipped=tuple(
            SkippedLine(s.location.line, s.reason, s.statement) for s in steps[index].skipped
        ),
    )


def timeline_context(migrations: Sequence[MigrationPage]) -> tuple[TimelineEntry, ...]:
    """The timeline's short entries, taken from the migrations' own pages."""
    return tuple(
        TimelineEntry(
            heading=m.heading,
            anchor=m.anchor,
            link=relative_link(TIMELINE, m.page),
            description=m.description,
            summary=m.summary,
            destructive=bool(m.destructive),
            data=bool(m.data),
            skipped=len(m.skipped),
        )
        for m in migrations
    )


def overview_context(inputs: Inputs) -> OverviewPage:
    linker = Linker(inputs.plan, INDEX)
    schema = inputs.history.schema
    counts = (
        ("tables", len(schema.tables)),
        ("columns", sum(len(t.columns) for t in schema.tables)),
        ("indexes", sum(len(t.indexes) for t in schema.tables)),
        ("foreign_keys", sum(len(t.foreign_keys) for t in schema.tables)),
        ("views", len(schema.views)),
        ("triggers", len(schema.triggers)),
        ("migrations", len(inputs.history.steps)),
    )
    summaries = [_table_summary(inputs, life, linker) for life in inputs.plan.lives]
    dropped = [life.dropped_in is not None for life in inputs.plan.lives]
    latest = inputs.history.steps[-1].migration if inputs.history.steps else None
    return OverviewPage(
        counts=counts,
        tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if not gone),
        dropped_tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if gone),
        diagrams=inputs.embeds.get(INDEX, ()),
        latest=linker.migration(latest) if latest else "",
        links={
            "timeline": relative_link(INDEX, TIMELINE),
            "objects": relative_link(INDEX, OBJECTS),
            "dropped": relative_link(INDEX, DROPPED),
        },
    )


def _table_summary(inputs: Inputs, life: TableLife, linker: Linker) -> TableSummary:
    table = life.shape
    sidecar = inputs.descriptions.table(table.name, inputs.language)
    link = f"[{code(table.name)}]({relative_link(linker.page, life.path)})"
    return TableSummary(link, len(table.columns), describe(sidecar, table.description))


def objects_context(inputs: Inputs) -> tuple[tuple[ObjectEntry, ...], tuple[ObjectEntry, ...]]:
    """The current views and triggers, each with its SQL and the migrations that made it."""
    linker = Linker(inputs.plan, OBJECTS)
    schema = inputs.history.schema
    view_rows = _object_histories(inputs, linker, {Action.CREATE_VIEW, Action.DROP_VIEW})
    trigger_rows = _object_histories(inputs, linker, {Action.CREATE_TRIGGER, Action.DROP_TRIGGER})
    views = tuple(
        ObjectEntry(
            name=code(view.name),
            anchor="v-" + slug(view.name),
            table="",
            detail="",
            description=describe("", view.description),
            history=view_rows.get(schema.names.key(view.name), ()),
            sql=view.sql,
        )
        for view in schema.views
    )
    triggers = tuple(
        ObjectEntry(
            name=code(trigger.name),
            anchor="tr-" + slug(trigger.name),
            table=linker.table(trigger.table),
            detail=f"{trigger.timing} {trigger.event}".strip(),
            description=describe("", trigger.description),
            history=trigger_rows.get(schema.names.key(trigger.name), ()),
            sql=trigger.sql,
        )
        for trigger in schema.triggers
    )
    return views, triggers


def _object_histories(
    inputs: Inputs, linker: Linker, actions: set[Action]
) -> dict[str, tuple[HistoryRow, ...]]:
    """History rows by lower-case object name, in one pass over the migrations."""
    rows: dict[str, list[HistoryRow]] = {}
    for step in inputs.history.steps:
        lines: dict[str, list[ChangeLine]] = {}
        for change in step.changes:
            if change.action in actions:
                lines.setdefault(inputs.history.names.key(change.object), []).append(
                    change_line(change, step, linker)
                )
        for name, found in lines.items():
            rows.setdefault(name, []).append(
                HistoryRow(linker.migration(step.migration), tuple(found))
            )
    return {name: tuple(found) for name, found in rows.items()}


def dropped_context(inputs: Inputs) -> tuple[DroppedEntry, ...]:
    """Everything a migration dropped that is not there now, in migration order."""
    linker = Linker(inputs.plan, DROPPED)
    schema = inputs.history.schema
    entries: list[DroppedEntry] = []
    for index, step in enumerate(inputs.history.steps):
        migration = linker.migration(step.migration)
        for change in step.changes:
            match change.action:
                case Action.DROP_TABLE if schema.table(change.object) is None:
                    entries.append(
                        DroppedEntry("table", linker.table(change.object, index), migration)
                    )
                case Action.DROP_COLUMN if change.table:
                    column = code(change.object.removeprefix(f"{change.table}."))
                    owner = linker.table(change.table, index)
                    entries.append(DroppedEntry("column", f"{column} ({owner})", migration))
                case Action.DROP_INDEX if schema.index(change.object) is None:
                    entries.append(DroppedEntry("index", code(change.object), migration))
                case Action.DROP_VIEW if schema.view(change.object) is None:
                    entries.append(DroppedEntry("view", code(change.object), migration))
                case Action.DROP_TRIGGER if schema.trigger(change.object) is None:
                    entries.append(DroppedEntry("trigger", code(change.object), migration))
                case _:
                    pass
    return tuple(entries)


# --- rendering -------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("erdgen.render", "templates"),
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
        indent4=indent,
        title=title,
    )
    # The diagrams hold symbols only; each page explains them below the diagram.
    env.globals["legends"] = {kind: legend_items(kind) for kind in ("schema", "migration")}
    return env


def render_pages(
    history: History,
    descriptions: Descriptions,
    config: Config,
    embeds: Embeds | None = None,
    plan: SitePlan | None = None,
    cache_dir: Path | None = None,
) -> dict[str, bytes]:
    """Every page in every language: path below the output folder -> UTF-8 Markdown.

    With a ``cache_dir`` a page whose inputs were rendered before is read from there:
    after one new migration, most pages only cost their context and its key.
    """
    plan = plan or SitePlan.of(history)
    files: dict[str, bytes] = {}
    for language in config.languages:
        inputs = Inputs(plan, descriptions, language, embeds or {})
        catalog = load_catalog(language)
        for page, template, context in _pages(inputs):
            key = (template, page, language, config.site_title, context)
            entry = None if cache_dir is None else cache_dir / page_key(key)
            text = read_entry(entry)
            if text is None:
                text = _render(template, catalog, config, page=context, path=page).encode()
                if entry is not None:
                    write_atomically(entry, text)
            files[localized(page, language, config)] = text
    return files


def page_key(inputs: tuple[object, ...]) -> str:
    """The cache file of a rendered page: a digest of all its inputs and of erdgen.

    ``inputs`` is all ``_render`` uses: template, page, language, site title and context.
    Pickle writes them completely, so equal pickles mean equal pages; it also records which
    objects are shared, so an equal context built differently only misses the cache.
    """
    material = pickle.dumps((package_digest(), inputs), protocol=5)
    return hashlib.sha256(material).hexdigest() + ".md"


def _pages(inputs: Inputs) -> list[tuple[str, str, object]]:
    migrations = migration_contexts(inputs)
    pages: list[tuple[str, str, object]] = [
        (INDEX, "index.md.j2", overview_context(inputs)),
        (TIMELINE, "timeline.md.j2", timeline_context(migrations)),
        (OBJECTS, "objects.md.j2", objects_context(inputs)),
        (DROPPED, "dropped.md.j2", dropped_context(inputs)),
    ]
    pages.extend(
        (life.path, "table.md.j2", table_context(inputs, life)) for life in inputs.plan.lives
    )
    pages.extend((m.page, "migration.md.j2", m) for m in migrations)
    return pages


def _render(template: str, catalog: Catalog, config: Config, **context: object) -> str:
    text = (
        environment()
        .get_template(template)
        .render(t=catalog.t, language=catalog.language, title_text=config.site_title, **context)
    )
    return tidy(text)
