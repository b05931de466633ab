"""The context of a table's page: columns with their keys, indexes, foreign keys,
constraints, triggers, who refers to it, and its history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct

from erdgen.keys import is_required, table_markers
from erdgen.model import Column, Constraint, ForeignKey, History, Index, Schema, Table
from erdgen.render.change_lines import (
    table_step_lines,
)
from erdgen.render.key_lines import ChangeLine, index_key_label
from erdgen.render.life_links import OtherLife, latest, other_lives
from erdgen.render.lives import life_span
from erdgen.render.markdown import breakable_code, breakable_expression, code, html_escape
from erdgen.render.page_inputs import (
    Description,
    DiagramView,
    HistoryRow,
    Inputs,
    diagram_views,
)
from erdgen.render.postgres_definition import table_definition
from erdgen.render.postgres_links import function_link, linked_type, sequence_default
from erdgen.render.siteplan import (
    Linker,
    SitePlan,
    TableLife,
    column_anchor,
    creation_comment,
    life_schema,
    shape_named,
)


class ColumnRow(Struct, frozen=True):
    """A row of a table page's columns: ``position`` 1-based in declaration order; ``type`` and
    ``default`` Markdown ("" for no default); ``nullable`` False for a primary-key column."""

    position: int
    added_in: str  # Markdown link to the migration that added it after the table's creation
    anchor: str  # the column's own anchor on the page: "c-" and its slug
    name: str  # Markdown (code span)
    type: str
    nullable: bool
    default: str
    keys: tuple[str, ...]  # "PK", "FK → link", "UQ"
    description: Description


class IndexRow(Struct, frozen=True):
    """A row of a table page's indexes: name, keys and partial-index condition as Markdown
    (``condition`` "" when not partial)."""

    name: str
    columns: str
    unique: bool
    condition: str
    origin: str  # "c" (CREATE INDEX), "u" (UNIQUE), "pk" (PRIMARY KEY)


class ForeignKeyRow(Struct, frozen=True):
    """A row of a table page's foreign keys: the key columns (a code span) and the columns or
    table they reference, as a Markdown link."""

    columns: str
    target: str
    actions: tuple[str, ...]  # e.g. "ON DELETE CASCADE"; NO ACTION is left out


class ConstraintRow(Struct, frozen=True):
    """A row of a table page's constraints: ``kind`` a catalog key after ``constraint.``, the
    name ("" when unnamed) and the definition as Markdown."""

    kind: str  # "check", "unique", "primary_key"
    name: str
    definition: str


class TablePage(Struct, frozen=True):
    """The context of a table's page (``table.md.j2``), for a current or a dropped table."""

    title: str  # the table's name as plain text (the page title; escaped by the template),
    # with the migrations it spans when its name had other tables
    search_boost: float  # Material's search.boost of the page (see ``search_boost``)
    nav_title: str  # HTML: the name, struck through when the table was dropped
    name: str  # Markdown (code span), with the span as the title
    tag: str  # the table's name: the tag all tables of one name share
    dropped: bool
    other_lives: tuple[OtherLife, ...]  # the other tables of this name, in order
    description: Description
    counts: Mapping[str, int]  # columns, indexes, foreign_keys, checks
    created_in: str  # Markdown link to the migration, "" when unknown
    changed_in: str
    dropped_in: str
    diagrams: tuple[DiagramView, ...]
    columns: tuple[ColumnRow, ...]
    indexes: tuple[IndexRow, ...]
    foreign_keys: tuple[ForeignKeyRow, ...]
    constraints: tuple[ConstraintRow, ...]
    triggers: tuple[str, ...]  # Markdown: name link, timing, event
    referenced_by: tuple[str, ...]  # Markdown: "table.column → column"
    history: tuple[HistoryRow, ...]
    sql: str
    sql_printed: bool  # PostgreSQL: printed from the model (no CREATE TABLE text is kept)


def table_context(inputs: Inputs, life: TableLife) -> TablePage:
    linker = Linker(inputs.plan, life.path)
    table, language = life.shape, inputs.language
    steps = [(i, lines) for i in life.steps if (lines := _step_lines(life, i, linker))]
    # in the history table a long migration name wraps after "_"; in the text it need not
    named = [inputs.history.steps[i].migration for i, _ in steps]
    history = tuple(
        HistoryRow(linker.migration(m, breakable=True), lines)
        for m, (_, lines) in zip(named, steps, strict=True)
    )
    plain = [linker.migration(m) for m in named]
    created = next((p for p, r in zip(plain, history, strict=True) if _creates(r)), "")
    lived = plain[:-1] if life.dropped_in is not None else plain  # the drop is said apart
    changed = lived[-1] if len(lived) > 1 else ""
    schema = life_schema(inputs.history, life)
    markers = table_markers(table)
    referrers = column_referrers(schema, table)
    added = columns_added_later(inputs.history, life)
    others = other_lives(inputs.plan, life, linker)
    span = life_span(inputs.history, life) if others else ""  # tells the pages of a name apart
    return TablePage(
        title=f"{table.name} ({span})" if span else table.name,
        search_boost=search_boost(inputs.plan, table.name) if latest(life) else 1.0,
        nav_title=nav_title(table.name, life.dropped_in is not None, span),
        name=code(table.name) + (f" ({span})" if span else ""),
        tag=table.name,
        dropped=life.dropped_in is not None,
        other_lives=others,
        description=inputs.describe(
            inputs.descriptions.table(table.name, language),
            creation_comment(inputs.history, life),
            elsewhere=inputs.descriptions.table_elsewhere(table.name, language),
        ),
        counts={
            "columns": len(table.columns),
            "indexes": len(table.indexes),
            "foreign_keys": len(table.foreign_keys),
            "checks": len(table.checks),
        },
        created_in=created,
        changed_in=changed,
        dropped_in=plain[-1] if life.dropped_in is not None and plain else "",
        diagrams=diagram_views(inputs, life.path),
        columns=tuple(
            _column_row(
                inputs,
                table,
                c,
                i,
                linker,
                markers,
                referrers.get(table.names.key(c.name), ()),
                _added_in(inputs, linker, added.get(table.names.key(c.name))),
            )
            for i, c in enumerate(table.columns, 1)
        ),
        indexes=tuple(_index_row(index) for index in table.indexes),
        foreign_keys=tuple(_foreign_key_row(key, linker) for key in table.foreign_keys),
        constraints=_constraints(table, linker),
        triggers=tuple(
            f"{linker.trigger(t.name, t.table)} · {t.timing} {t.event}".rstrip()
            + (f" → {function_link(linker, t.function)}" if t.function else "")
            for t in schema.triggers_on(table.name)
        ),
        referenced_by=tuple(
            f"{linker.column(other.name, ', '.join(key.columns))} → "
            f"{code(', '.join(key.ref_columns or table.primary_key))}"
            for other, key in schema.referencing(table.name)
        ),
        history=history,
        sql=table.sql or (table_definition(table, schema) if inputs.plan.postgres else ""),
        sql_printed=not table.sql and inputs.plan.postgres,
    )


# A table's page is where its name is defined: above the pages that mention it.
TABLE_BOOST = 4.0
# Binds a key's arrow to the name it points at: a wrapped Keys cell never ends in "←".
KEEP = "\N{NO-BREAK SPACE}"


def search_boost(plan: SitePlan, name: str) -> float:
    """``TABLE_BOOST``, raised for a name that begins other tables' names.

    Material matches a searched word as a prefix, and a rarer word weighs more: searching
    ``oidc_clients`` ranked ``oidc_clients_allowed_apis`` and its two siblings above the
    table itself. One more ``TABLE_BOOST`` per such sibling (at most 4) puts it first.
    """
    key = plan.history.names.key
    folded = key(name)
    longer = sum(
        1 for life in plan.lives if key(life.name) != folded and key(life.name).startswith(folded)
    )
    return TABLE_BOOST * (1 + min(longer, 4))


def nav_title(name: str, dropped: bool, span: str = "") -> str:
    """A table in the navigation: its name (HTML), struck through once dropped, with the
    migrations it spans when its name had other tables; no word of a language, as one
    navigation serves both."""
    escaped = html_escape(name)
    shown = f"<s>{escaped}</s>" if dropped else escaped
    return f"{shown} <small>{html_escape(span)}</small>" if span else shown


def _step_lines(life: TableLife, index: int, linker: Linker) -> tuple[ChangeLine, ...]:
    """What a migration did to the table; in the step that dropped it, up to its drop (a
    table created there under its name has its own page)."""
    lines = table_step_lines(life, index, linker)
    if index != life.dropped_in:
        return lines
    drop = next((n for n, line in enumerate(lines) if line.kind.startswith("table_dropped")), None)
    return lines if drop is None else lines[: drop + 1]


def _creates(row: HistoryRow) -> bool:
    return any(line.kind == "table_created" for line in row.lines)


def _column_row(
    inputs: Inputs,
    table: Table,
    column: Column,
    position: int,
    linker: Linker,
    markers: Mapping[str, tuple[str, ...]],
    referrers: Sequence[tuple[str, tuple[str, ...]]] = (),
    added_in: str = "",
) -> ColumnRow:
    keys: list[str] = []
    if column.primary_key:
        composite = len(table.primary_key) > 1
        keys.append(f"PK {column.primary_key}" if composite else "PK")
    for key in table.foreign_keys:
        if any(table.names.same(c, column.name) for c in key.columns):
            refs = key.ref_columns or _primary_key_of(linker.plan, key.ref_table)
            target = ", ".join(refs)
            link = (
                linker.column(key.ref_table, target, True)
                if target
                else linker.table(key.ref_table)
            )
            keys.append(f"FK{KEEP}→{KEEP}{link}")
    # One rule with the diagrams (erdgen.keys): a partial unique index does not make the
    # column unique, only the rows its WHERE selects.
    if "UQ" in markers[table.names.key(column.name)]:
        keys.append("UQ")
    keys.extend(
        f"←{KEEP}{linker.column(child, ', '.join(cols), True)}" for child, cols in referrers
    )
    sidecar = inputs.descriptions.column(table.name, column.name, inputs.language)
    return ColumnRow(
        position=position,
        anchor=column_anchor(column.name, table.names),
        name=breakable_code(column.name),  # a long name wraps after "_", never in a word
        type=linked_type(linker, column.type),
        nullable=not is_required(table, column),
        default=_default(column, linker),
        keys=tuple(dict.fromkeys(keys)),
        description=inputs.describe(
            sidecar,
            column.description,
            elsewhere=inputs.descriptions.column_elsewhere(
                table.name, column.name, inputs.language
            ),
        ),
        added_in=added_in,
    )


def column_referrers(schema: Schema, table: Table) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Column key -> (child table, child columns) of every foreign key pointing at it (a key
    without columns points at the primary key), as tbls and SchemaSpy show per column."""
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for child, key in schema.referencing(table.name):
        for child_column, parent_column in zip(
            key.columns, key.ref_columns or table.primary_key, strict=False
        ):
            found.setdefault(table.names.key(parent_column), []).append(
                (child.name, (child_column,))
            )
    return found


def columns_added_later(history: History, life: TableLife) -> dict[str, int]:
    """Column key -> step index, for the columns added after the table's creation."""
    first: dict[str, int] = {}
    for index in life.steps:
        if index == life.dropped_in:  # after its drop, the name may be another table's
            continue
        shape = shape_named(history.steps[index].schema, life.names[index])
        if shape is not None:
            for column in shape.columns:
                first.setdefault(shape.names.key(column.name), index)
    created = life.steps[0] if life.steps else -1
    return {name: index for name, index in first.items() if index != created}


def _added_in(inputs: Inputs, linker: Linker, index: int | None) -> str:
    if index is None:
        return ""
    return linker.migration(inputs.history.steps[index].migration, breakable=True)  # a cell


def _primary_key_of(plan: SitePlan, table: str) -> tuple[str, ...]:
    found = plan.history.schema.table(table)
    return found.primary_key if found else ()


def _default(column: Column, linker: Linker) -> str:
    """The default expression (a sequence's linked to it); a PostgreSQL identity column's
    generation in its place."""
    if column.identity is not None:
        return code(f"GENERATED {column.identity} AS IDENTITY")
    if column.default is None:
        return ""
    return sequence_default(linker, column.default) or breakable_expression(column.default)


def _index_row(index: Index) -> IndexRow:
    keys = ", ".join(code(index_key_label(c)) for c in index.columns)
    # PostgreSQL: an access method other than the default, INCLUDE columns, CONCURRENTLY
    extras = [
        *([code(f"USING {index.method}")] if index.method not in ("", "btree") else []),
        *([code(f"INCLUDE ({', '.join(index.include)})")] if index.include else []),
        *([code("CONCURRENTLY")] if index.concurrently else []),
    ]
    return IndexRow(
        name=breakable_code(index.name),
        columns=" · ".join([keys, *extras]),
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


# pg_constraint.contype -> the catalog key of its kind
_CONSTRAINT_KINDS = {
    "p": "primary_key", "u": "unique", "c": "check", "f": "foreign_key", "x": "exclusion",
    "n": "not_null",
}  # fmt: skip


def _constraints(table: Table, linker: Linker) -> tuple[ConstraintRow, ...]:
    """SQLite: CHECKs, a composite primary key, composite UNIQUEs. PostgreSQL: every
    constraint under its name (given or PostgreSQL's), as ``pg_constraint`` lists them."""
    if table.constraints:
        return tuple(_named_constraint(table, c, linker) for c in table.constraints)
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


def _named_constraint(table: Table, constraint: Constraint, linker: Linker) -> ConstraintRow:
    same = table.names.same
    definition = code(", ".join(constraint.columns)) if constraint.columns else ""
    if constraint.kind == "c":
        check = next((c for c in table.checks if same(c.name or "", constraint.name)), None)
        definition = code(check.expression) if check else definition
    elif constraint.kind == "f":
        key = next((k for k in table.foreign_keys if same(k.name or "", constraint.name)), None)
        definition = f"{definition} → {_foreign_key_row(key, linker).target}" if key else definition
    if not constraint.validated:
        definition += " · NOT VALID"
    return ConstraintRow(_CONSTRAINT_KINDS[constraint.kind], code(constraint.name), definition)
