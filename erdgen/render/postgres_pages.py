"""The contexts of a PostgreSQL project's own pages: its types (enums with their values in
order, domains, composite types, sequences) and its functions and procedures, each with
who uses it."""

from __future__ import annotations

from msgspec import Struct

from erdgen.model import CompositeType, Domain, EnumType, Function, Schema
from erdgen.namespaces import enum_of, namespaces_in_use
from erdgen.render.markdown import breakable_code, code
from erdgen.render.page_inputs import Description, Inputs
from erdgen.render.postgres_changes import changed_in, enum_changed_in
from erdgen.render.postgres_links import (
    composite_anchor,
    domain_anchor,
    domain_or_composite,
    enum_anchor,
    function_anchor,
    linked_type,
    sequence_anchor,
)
from erdgen.render.siteplan import FUNCTIONS, TYPES, Linker, relative_link


class EnumEntry(Struct, frozen=True):
    """An enum on the types page: its values in sort order, the columns of its type, and the
    migrations that made it and last changed its values."""

    name: str  # Markdown (code span)
    anchor: str
    values: tuple[str, ...]  # code spans, in the enum's sort order
    description: Description
    used_by: tuple[str, ...]  # Markdown links to the columns of this type
    created_in: str = ""  # Markdown link to the migration that made it
    changed_in: str = ""  # ... and to the last one that changed its values, "" for none


class DomainEntry(Struct, frozen=True):
    """A domain on the types page: its base type, NOT NULL, default and CHECK names, the
    columns of its type, and the migrations that made it and last changed it."""

    name: str  # Markdown (code span)
    anchor: str
    base_type: str  # Markdown: a code span, linked when it is an enum, domain or composite
    not_null: bool
    default: str  # code span, "" for none
    checks: tuple[str, ...]  # code spans: the CHECK constraints' names
    description: Description
    used_by: tuple[str, ...]  # Markdown links to the columns of this type
    created_in: str = ""  # Markdown link to the migration that made it
    changed_in: str = ""  # ... and to the last one that changed it, "" for none


class CompositeEntry(Struct, frozen=True):
    """A composite type on the types page: its attributes in order, the columns of its type,
    and the migrations that made it and last changed it."""

    name: str  # Markdown (code span)
    anchor: str
    attributes: tuple[tuple[str, str], ...]  # (name, type) as Markdown, in order
    description: Description
    used_by: tuple[str, ...]
    created_in: str = ""
    changed_in: str = ""


class SequenceRow(Struct, frozen=True):
    """A row of the types page's sequences; ``identity``: made by an identity column."""

    name: str  # Markdown (code span)
    anchor: str
    type: str  # code span
    start: int
    increment: int
    owner: str  # Markdown link to the column that owns it, "" for none
    identity: bool


class TypesPage(Struct, frozen=True):
    """The context of the types page (``types.md.j2``), each kind in creation order."""

    enums: tuple[EnumEntry, ...]
    sequences: tuple[SequenceRow, ...]
    domains: tuple[DomainEntry, ...] = ()
    composites: tuple[CompositeEntry, ...] = ()


class FunctionEntry(Struct, frozen=True):
    """A function or procedure on the functions page, with the triggers that run it."""

    signature: str  # Markdown (code span): name(arguments)
    anchor: str
    kind: str  # "function", "procedure", "aggregate", "window"
    returns: str  # code span, "" for a procedure
    language: str  # code span
    description: Description
    triggers: tuple[str, ...]  # Markdown links to the triggers that run it


class FunctionsPage(Struct, frozen=True):
    """The context of the functions page (``functions.md.j2``), in creation order."""

    functions: tuple[FunctionEntry, ...]


class PostgresSummary(Struct, frozen=True):
    """What the overview of a PostgreSQL project adds: schemas, extensions, its pages."""

    schemas: tuple[str, ...]  # code spans, the schemas that hold tables first
    extensions: tuple[str, ...]  # code spans
    types: str  # link target of the types page
    functions: str  # link target of the functions page


def types_context(inputs: Inputs) -> TypesPage:
    linker = Linker(inputs.plan, TYPES)
    schema = inputs.history.schema
    lives = enum_changed_in(inputs.history)
    columns = _columns_by_enum(linker, schema)
    return TypesPage(
        enums=tuple(
            _enum_entry(inputs, linker, enum, lives.get(enum.name), columns.get(enum.name, ()))
            for enum in schema.enums
        ),
        sequences=tuple(
            SequenceRow(
                name=breakable_code(s.name),
                anchor=sequence_anchor(s.name, schema.names),
                type=code(s.type),
                start=s.start,
                increment=s.increment,
                owner=_owner(linker, s.owned_by),
                identity=s.identity,
            )
            for s in schema.sequences
        ),
        domains=_domains(inputs, linker),
        composites=_composites(inputs, linker),
    )


def _domains(inputs: Inputs, linker: Linker) -> tuple[DomainEntry, ...]:
    schema = inputs.history.schema
    if not schema.domains:
        return ()
    lives = changed_in(inputs.history, lambda s: {d.name: _shape(d) for d in s.domains})
    columns = _columns_by_type(linker, schema)
    return tuple(
        DomainEntry(
            name=code(d.name),
            anchor=domain_anchor(d.name, schema.names),
            base_type=linked_type(linker, d.base_type),
            not_null=d.not_null,
            default=code(d.default) if d.default is not None else "",
            checks=tuple(code(name) for name in d.checks),
            description=inputs.describe("", d.description),
            used_by=columns.get(d.name, ()),
            **_lifetime(inputs, linker, lives.get(d.name)),
        )
        for d in schema.domains
    )


def _composites(inputs: Inputs, linker: Linker) -> tuple[CompositeEntry, ...]:
    schema = inputs.history.schema
    if not schema.composites:
        return ()
    lives = changed_in(inputs.history, lambda s: {c.name: c.attributes for c in s.composites})
    columns = _columns_by_type(linker, schema)
    return tuple(
        CompositeEntry(
            name=code(c.name),
            anchor=composite_anchor(c.name, schema.names),
            attributes=tuple((code(n), linked_type(linker, t)) for n, t in c.attributes),
            description=inputs.describe("", c.description),
            used_by=columns.get(c.name, ()),
            **_lifetime(inputs, linker, lives.get(c.name)),
        )
        for c in schema.composites
    )


def _shape(domain: Domain) -> tuple[object, ...]:
    """What a change of a domain is judged by: all but its description."""
    return domain.base_type, domain.not_null, domain.default, domain.checks


def _columns_by_type(linker: Linker, schema: Schema) -> dict[str, tuple[str, ...]]:
    """Domain or composite name -> links to the columns of that type (or an array of it)."""
    found: dict[str, list[str]] = {}
    for table in schema.tables:
        for column in table.columns:
            item: Domain | CompositeType | None = domain_or_composite(schema, column.type)
            if item is not None:
                found.setdefault(item.name, []).append(linker.column(table.name, column.name))
    return {name: tuple(links) for name, links in found.items()}


def _lifetime(inputs: Inputs, linker: Linker, life: tuple[int, int] | None) -> dict[str, str]:
    if life is None:
        return {"created_in": "", "changed_in": ""}
    return {
        "created_in": _migration(inputs, linker, life[0]),
        "changed_in": _migration(inputs, linker, life[1]) if life[1] != life[0] else "",
    }


def _columns_by_enum(linker: Linker, schema: Schema) -> dict[str, tuple[str, ...]]:
    """Enum name -> links to the columns of that type (or an array of it), in table order:
    one pass over the columns."""
    found: dict[str, list[str]] = {}
    for table in schema.tables:
        for column in table.columns:
            enum = enum_of(schema, column.type)
            if enum is not None:
                found.setdefault(enum.name, []).append(linker.column(table.name, column.name))
    return {name: tuple(links) for name, links in found.items()}


def _enum_entry(
    inputs: Inputs,
    linker: Linker,
    enum: EnumType,
    life: tuple[int, int] | None,
    used_by: tuple[str, ...],
) -> EnumEntry:
    return EnumEntry(
        name=code(enum.name),
        anchor=enum_anchor(enum.name, linker.plan.history.names),
        values=tuple(code(value) for value in enum.values),
        description=inputs.describe("", enum.description),
        used_by=used_by,
        created_in=_migration(inputs, linker, life[0]) if life else "",
        changed_in=_migration(inputs, linker, life[1]) if life and life[1] != life[0] else "",
    )


def _migration(inputs: Inputs, linker: Linker, index: int) -> str:
    return linker.migration(inputs.history.steps[index].migration)


def _owner(linker: Linker, owned_by: str | None) -> str:
    """``table.column`` of OWNED BY linked to the column (the table part may be qualified)."""
    if not owned_by:
        return ""
    table, _dot, column = owned_by.rpartition(".")
    return linker.column(table, column, breakable=True) if table else code(owned_by)


def functions_context(inputs: Inputs) -> FunctionsPage:
    linker = Linker(inputs.plan, FUNCTIONS)
    schema = inputs.history.schema
    return FunctionsPage(
        tuple(_function_entry(inputs, linker, schema, f) for f in schema.functions)
    )


def _function_entry(
    inputs: Inputs, linker: Linker, schema: Schema, function: Function
) -> FunctionEntry:
    same = schema.names.same
    return FunctionEntry(
        signature=code(function.signature),
        anchor=function_anchor(function, schema.names),
        kind=function.kind,
        returns=code(function.returns) if function.returns else "",
        language=code(function.language) if function.language else "",
        description=inputs.describe("", function.description),
        triggers=tuple(
            f"{linker.trigger(t.name, t.table)} ({linker.table(t.table)})"
            for t in schema.triggers
            if t.function and same(t.function, function.name)
        ),
    )


def postgres_summary(inputs: Inputs, page: str) -> PostgresSummary | None:
    """None for a project of another engine."""
    if not inputs.plan.postgres:
        return None
    schema = inputs.history.schema
    in_use = namespaces_in_use(schema)
    schemas = (*in_use, *(n for n in schema.namespaces if n not in in_use))
    return PostgresSummary(
        schemas=tuple(code(name) for name in schemas),
        extensions=tuple(code(name) for name in schema.extensions),
        types=relative_link(page, TYPES),
        functions=relative_link(page, FUNCTIONS),
    )
