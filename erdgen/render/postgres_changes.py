"""What a migration did to PostgreSQL's other objects (schemas, extensions, enums,
domains, composite types, sequences, functions), read from the schema before and after
it: the history records changes to tables, views and triggers only."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping

from msgspec import Struct, field
from msgspec.structs import replace

from erdgen.model import CompositeType, Domain, Function, History, Schema
from erdgen.render.markdown import code
from erdgen.render.postgres_links import enum_link, signature_link, type_link
from erdgen.render.siteplan import Linker, schema_before


class ObjectChange(Struct, frozen=True):
    """One line: the catalog key ``pg_change.<kind>`` and its Markdown parameters."""

    kind: str
    params: Mapping[str, str] = field(default_factory=dict)
    object: str = ""  # the object's name (a function's signature) as plain text

    @property
    def dropped(self) -> str:
        """The kind of object it dropped ("enum", "function", ...), "" for another change."""
        return self.kind.removesuffix("_dropped") if self.kind.endswith("_dropped") else ""


def object_changes(before: Schema, after: Schema, linker: Linker) -> tuple[ObjectChange, ...]:
    """Every change between two schemas, in a fixed order of kinds, each kind in the
    order the objects were made."""
    return (
        *_names("schema", before.namespaces, after.namespaces),
        *_names("extension", before.extensions, after.extensions),
        *_enums(before, after, linker),
        *_typed("domain", before.domains, after.domains, linker),
        *_typed("composite", before.composites, after.composites, linker),
        *_names("sequence", _sequence_names(before), _sequence_names(after)),
        *_functions(before, after, linker),
    )


def step_object_changes(history: History, index: int, linker: Linker) -> tuple[ObjectChange, ...]:
    """The changes of the migration at ``index`` (empty for a project of another engine)."""
    if history.dialect != "postgres":
        return ()
    return object_changes(schema_before(history, index), history.steps[index].schema, linker)


def still_gone(history: History, change: ObjectChange) -> bool:
    """A dropped object that the last schema does not have again."""
    schema = history.schema
    now = {
        "schema": schema.namespaces,
        "extension": schema.extensions,
        "enum": tuple(e.name for e in schema.enums),
        "domain": tuple(d.name for d in schema.domains),
        "composite": tuple(c.name for c in schema.composites),
        "sequence": tuple(s.name for s in schema.sequences),
        "function": tuple(f.signature for f in schema.functions),
        "procedure": tuple(f.signature for f in schema.functions),
    }
    return change.object not in now.get(change.dropped, ())


def enum_changed_in(history: History) -> dict[str, tuple[int, int]]:
    """Enum name -> (step index that created it, step index that last changed its values),
    for the enums of the last schema."""
    return changed_in(history, lambda schema: {e.name: e.values for e in schema.enums})


def changed_in(
    history: History, objects: Callable[[Schema], Mapping[str, Hashable]]
) -> dict[str, tuple[int, int]]:
    """Name -> (step index that created it, step index that last changed it), for the
    objects of the last schema; ``objects`` maps a schema's objects of one kind by name to
    what a change is judged by (an enum's values, a whole domain)."""
    found: dict[str, tuple[int, int]] = {}
    previous: Mapping[str, Hashable] = {}
    for index, step in enumerate(history.steps):
        current = objects(step.schema)
        for name, shape in current.items():
            if name not in previous:
                found[name] = (index, index)
            elif previous[name] != shape:
                found[name] = (found[name][0], index)
        found = {name: steps for name, steps in found.items() if name in current}
        previous = current
    return found


def _names(kind: str, before: tuple[str, ...], after: tuple[str, ...]) -> Iterator[ObjectChange]:
    gone = set(after)
    yield from (
        ObjectChange(f"{kind}_dropped", {"name": code(n)}, n) for n in before if n not in gone
    )
    known = set(before)
    yield from (ObjectChange(f"{kind}_created", {"name": code(n)}) for n in after if n not in known)


def _sequence_names(schema: Schema) -> tuple[str, ...]:
    """Sequences a migration made itself: not those of serial and identity columns, which
    come and go with their column."""
    return tuple(s.name for s in schema.sequences if s.owned_by is None)


def _enums(before: Schema, after: Schema, linker: Linker) -> Iterator[ObjectChange]:
    old = {enum.name: enum.values for enum in before.enums}
    new = {enum.name: enum.values for enum in after.enums}
    for name in old.keys() - new.keys():
        yield ObjectChange("enum_dropped", {"name": code(name)}, name)
    for enum in after.enums:
        before_values = old.get(enum.name)
        if before_values == enum.values:
            continue
        link = enum_link(linker, enum.name)
        values = ", ".join(code(value) for value in enum.values)
        if before_values is None:
            yield ObjectChange("enum_created", {"name": link, "values": values})
            continue
        added = [v for v in enum.values if v not in before_values]
        if len(added) == len(enum.values) - len(before_values):
            shown = ", ".join(code(value) for value in added)
            yield ObjectChange("enum_values_added", {"name": link, "values": shown})
        else:  # a value renamed or the order changed
            yield ObjectChange("enum_values_changed", {"name": link, "values": values})


def _typed(
    kind: str,
    before: tuple[Domain, ...] | tuple[CompositeType, ...],
    after: tuple[Domain, ...] | tuple[CompositeType, ...],
    linker: Linker,
) -> Iterator[ObjectChange]:
    """Domains or composite types dropped, created, or changed (a whole new definition:
    ``ALTER DOMAIN`` or ``ALTER TYPE ... ADD ATTRIBUTE``); the description is not a change
    of the type."""
    old = {item.name: item for item in before}
    new = {item.name: item for item in after}
    for name in (n for n in old if n not in new):
        yield ObjectChange(f"{kind}_dropped", {"name": code(name)}, name)
    for name, item in new.items():
        link = type_link(linker, item, name)
        if name not in old:
            yield ObjectChange(f"{kind}_created", {"name": link, "definition": _definition(item)})
        elif _without_description(old[name]) != _without_description(item):
            yield ObjectChange(f"{kind}_changed", {"name": link, "definition": _definition(item)})


def _without_description(item: Domain | CompositeType) -> Domain | CompositeType:
    return replace(item, description="")


def _definition(item: Domain | CompositeType) -> str:
    """A domain's base type with NOT NULL, default and checks; a composite's attributes."""
    if isinstance(item, CompositeType):
        return ", ".join(f"{code(name)} {code(type_)}" for name, type_ in item.attributes)
    parts = [code(item.base_type)]
    if item.not_null:
        parts.append("NOT NULL")
    if item.default is not None:
        parts.append(f"DEFAULT {code(item.default)}")
    parts.extend(f"CHECK {code(name)}" for name in item.checks)
    return " ".join(parts)


def _functions(before: Schema, after: Schema, linker: Linker) -> Iterator[ObjectChange]:
    old = {f.signature: f for f in before.functions}
    new = {f.signature: f for f in after.functions}
    for signature in (s for s in old if s not in new):
        yield ObjectChange(
            f"{_routine(old[signature])}_dropped", {"name": code(signature)}, signature
        )
    for signature, function in new.items():
        if signature not in old:
            yield ObjectChange(f"{_routine(function)}_created", _function_params(function, linker))
        elif _shape(old[signature]) != _shape(function):
            yield ObjectChange(f"{_routine(function)}_replaced", _function_params(function, linker))


def _routine(function: Function) -> str:
    """Aggregates and window functions are functions too."""
    return "procedure" if function.kind == "procedure" else "function"


def _shape(function: Function) -> tuple[str, str]:
    return function.returns, function.language


def _function_params(function: Function, linker: Linker) -> dict[str, str]:
    return {"name": signature_link(linker, function)}
