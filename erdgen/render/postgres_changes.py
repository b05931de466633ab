"""What a migration did to PostgreSQL's other objects (schemas, extensions, enums,
sequences, functions), read from the schema before and after it: the history records
changes to tables, views and triggers only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from erdgen.model import Function, History, Schema
from erdgen.render.markdown import code
from erdgen.render.postgres_links import enum_link, signature_link
from erdgen.render.siteplan import Linker, schema_before


@dataclass(frozen=True, slots=True)
class ObjectChange:
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
        "sequence": tuple(s.name for s in schema.sequences),
        "function": tuple(f.signature for f in schema.functions),
        "procedure": tuple(f.signature for f in schema.functions),
    }
    return change.object not in now.get(change.dropped, ())


def enum_changed_in(history: History) -> dict[str, tuple[int, int]]:
    """Enum name -> (step index that created it, step index that last changed its values),
    for the enums of the last schema."""
    found: dict[str, tuple[int, int]] = {}
    previous: dict[str, tuple[str, ...]] = {}
    for index, step in enumerate(history.steps):
        current = {enum.name: enum.values for enum in step.schema.enums}
        for name, values in current.items():
            if name not in previous:
                found[name] = (index, index)
            elif previous[name] != values:
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
