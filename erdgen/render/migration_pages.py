"""The contexts of a migration's page and of its short entry on the timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct
from msgspec.structs import replace

from erdgen.model import Action, CompositeType, Domain, Migration
from erdgen.render.change_lines import ChangeGroup, ChangeLine, step_groups, summary
from erdgen.render.markdown import code
from erdgen.render.page_inputs import Description, DiagramView, Inputs, diagram_views
from erdgen.render.postgres_changes import ObjectChange, step_object_changes
from erdgen.render.postgres_links import enum_link, signature_link, type_link
from erdgen.render.siteplan import (
    INDEX,
    TIMELINE,
    Linker,
    migration_anchor,
    migration_page,
    relative_link,
)
from erdgen.render.timeline_lines import TimelineLine, compact


class DataChange(Struct, frozen=True):
    """A data statement of a migration: its verb ("SQL" when not known), its table as a
    Markdown link ("" for none) and its SQL."""

    verb: str
    table: str  # Markdown
    sql: str


class SkippedLine(Struct, frozen=True):
    """A statement ``--keep-going`` skipped: its line, the engine's reason, its SQL."""

    line: int
    reason: str
    sql: str


class MigrationPage(Struct, frozen=True):
    """One migration in full: what it changed, its data changes, its diagram and its SQL."""

    page: str  # its path (default language)
    title: str  # plain text: id and name (the page title; escaped by the template)
    heading: str  # Markdown: id and name
    anchor: str  # of its entry on the timeline
    description: Description
    summary: tuple[tuple[str, int], ...]
    groups: tuple[ChangeGroup, ...]
    destructive: tuple[tuple[str, ChangeLine], ...]  # (table label, line)
    data: tuple[DataChange, ...]
    diagrams: tuple[DiagramView, ...]
    path: str
    sql: str
    links: Mapping[str, str]  # timeline, previous, next (Markdown links, "" for none)
    skipped: tuple[SkippedLine, ...] = ()  # --keep-going: what a fresh database refused
    # PostgreSQL: what it did to schemas, extensions, enums, sequences and functions
    objects: tuple[ObjectChange, ...] = ()
    # objects whose state after it was read from the engine's catalog (Step.from_engine):
    # (kind, Markdown name), the kind a key of the ``kind.`` catalog
    from_engine: tuple[tuple[str, str], ...] = ()


class TimelineEntry(Struct, frozen=True):
    """One migration on the timeline: a short entry that links to its page."""

    heading: str  # Markdown: id and name
    anchor: str
    link: str  # link target of the migration's page
    description: Description
    summary: tuple[tuple[str, int], ...]
    destructive: bool
    data: bool  # it changes rows (a backfill)
    # per table the columns, indexes and triggers it changed, then views (``compact``)
    changed: tuple[TimelineLine, ...] = ()
    skipped: int = 0  # statements --keep-going skipped
    date: str = ""  # the date of the commit that added it (``git_dates``), "" unknown
    from_engine: int = 0  # objects read from the engine's catalog (Step.from_engine)


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
    objects = step_object_changes(inputs.history, index, linker)
    beyond = migration.name_beyond_key
    return MigrationPage(
        page=page,
        title=_titled(migration.shown, beyond),
        heading=_titled(migration.shown, beyond and code(beyond)),
        anchor=migration_anchor(migration),
        description=_described(inputs, migration, sidecar),
        summary=summary(groups) + ((("objects", len(objects)),) if objects else ()),
        groups=groups,
        destructive=destructive,
        data=data,
        diagrams=diagram_views(inputs, page),
        path=migration.path,
        sql=migration.sql,
        links={
            "timeline": linker.timeline(migration),
            "overview": relative_link(page, INDEX),  # the diagram leaves other tables out
            "previous": linker.migration(steps[index - 1].migration) if index > 0 else "",
            "next": linker.migration(steps[index + 1].migration) if index + 1 < len(steps) else "",
        },
        skipped=tuple(
            SkippedLine(s.location.line, s.reason, s.statement) for s in steps[index].skipped
        ),
        objects=objects,
        from_engine=tuple(_from_engine(linker, index, label) for label in steps[index].from_engine),
    )


def _from_engine(linker: Linker, index: int, label: str) -> tuple[str, str]:
    """A ``Step.from_engine`` label ("table registry.events") as (kind, Markdown name): a
    table linked to its page as it was after the migration, a view, trigger, enum, domain,
    composite type or function to its entry while the schema has it."""
    kind, _space, name = label.partition(" ")
    if kind == "table":
        return kind, linker.table(name, index)
    if kind == "view":
        return kind, linker.view(name)
    if kind == "trigger":  # "table.trigger", the table perhaps qualified
        table, _dot, trigger = name.rpartition(".")
        return kind, f"{linker.trigger(trigger, table)} ({linker.table(table, index)})"
    if kind == "enum":
        return kind, enum_link(linker, name)
    if kind == "function":  # the whole signature: overloads share a name
        routine = next((f for f in linker.schema.functions if f.signature == name), None)
        return kind, signature_link(linker, routine) if routine else code(name)
    if kind in ("domain", "composite"):
        types: tuple[Domain | CompositeType, ...] = (
            *linker.schema.domains,
            *linker.schema.composites,
        )
        found = next((t for t in types if t.name == name), None)
        return kind, type_link(linker, found, name) if found else code(name)
    return kind, code(name)


def _described(inputs: Inputs, migration: Migration, sidecar: str) -> Description:
    """The sidecar's text, else the tool's note on the change or the comment atop the file
    (saying which), else another language's sidecar text."""
    elsewhere = inputs.descriptions.migration_elsewhere(migration, inputs.language)
    found = inputs.describe(sidecar, migration.purpose, of_object=False, elsewhere=elsewhere)
    return replace(found, source="note") if migration.note and found.source == "comment" else found


def timeline_context(
    inputs: Inputs, migrations: Sequence[MigrationPage]
) -> tuple[TimelineEntry, ...]:
    """The timeline's rows, taken from the migrations' own pages: per migration the tables,
    columns, indexes, views and triggers it changed, linked from the timeline."""
    linker = Linker(inputs.plan, TIMELINE)
    return tuple(
        TimelineEntry(
            heading=m.heading,
            anchor=m.anchor,
            link=relative_link(TIMELINE, m.page),
            description=m.description,
            summary=m.summary,
            destructive=bool(m.destructive),
            data=bool(m.data),
            changed=tuple(
                line
                for g in m.groups
                if (line := compact(g, linker.table(g.table, index) if g.table else ""))
            ),
            skipped=len(m.skipped),
            from_engine=len(m.from_engine),
            date=inputs.commit_dates.get(inputs.history.steps[index].migration.id, ""),
        )
        for index, m in enumerate(migrations)
    )


def _titled(key: str, name: str) -> str:
    """ "0009 · name", or the key alone where the name says nothing more."""
    return f"{key} · {name}" if name else key
