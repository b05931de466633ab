"""PostgreSQL's schemas (namespaces) in the model's names, and the enum a column's type names.

The model names an object outside ``public`` ``schema.name`` (``registry.users``), as the
catalog reader does; a column's type is ``format_type``'s text, which quotes a name that
needs it and qualifies one that is not on the search path (``registry."Mood"[]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from erdgen.model import CompositeType, Domain, EnumType, Schema

PUBLIC = "public"

NamedType = TypeVar("NamedType", bound=EnumType | Domain | CompositeType)

# format_type's spelling of a (possibly qualified, possibly quoted) type name with array
# brackets: one identifier part is a quoted name ("" inside for ") or a plain word
_PART = r'"(?:[^"]|"")+"|[^".\[\]\s]+'
_TYPE_NAME = re.compile(rf"^(?P<parts>(?:{_PART})(?:\.(?:{_PART}))?)(?P<array>(?:\[\d*\])*)$")


def namespace_of(schema: Schema, name: str) -> str:
    """The schema an object called ``name`` in the model lives in: the part before the
    first "." when the migrations made a schema of that name (``CREATE SCHEMA``), else
    ``public``. A SQLite table may be called "a.b"; it has no schemas, so it is public."""
    head, dot, _rest = name.partition(".")
    if not dot:
        return PUBLIC
    same = schema.names.same
    return next((n for n in schema.namespaces if same(n, head)), PUBLIC)


def namespaces_in_use(schema: Schema) -> tuple[str, ...]:
    """Every schema that holds a table, ``public`` first, then in the model's order."""
    found = dict.fromkeys(namespace_of(schema, table.name) for table in schema.tables)
    ordered = [PUBLIC] if PUBLIC in found else []
    ordered += [n for n in schema.namespaces if n in found and n != PUBLIC]
    ordered += [n for n in found if n not in ordered]
    return tuple(ordered)


def type_name(type_text: str) -> str | None:
    """The model's name of the type a column's ``format_type`` text names, without array
    brackets and quotes: ``registry."Mood"[]`` -> ``registry.Mood``; None for a text that
    is not a plain type name (``character varying(20)``)."""
    match = _TYPE_NAME.match(type_text.strip())
    if match is None:
        return None
    parts = re.findall(_PART, match.group("parts"))
    return ".".join(_unquote(part) for part in parts)


def enum_of(schema: Schema, type_text: str) -> EnumType | None:
    """The enum a column of type ``type_text`` holds (or an array of), None for any other."""
    return type_named(schema, type_text, schema.enums)


def type_named(schema: Schema, type_text: str, types: Sequence[NamedType]) -> NamedType | None:
    """The one of ``types`` a column of type ``type_text`` holds (or an array of), None for
    any other; ``public.`` may be written or left out, as ``format_type`` does."""
    if not types:
        return None
    name = type_name(type_text)
    if name is None:
        return None
    same = schema.names.same
    public_name = name.removeprefix(f"{PUBLIC}.")
    return next((t for t in types if same(t.name, name) or same(t.name, public_name)), None)


def _unquote(part: str) -> str:
    return part[1:-1].replace('""', '"') if part.startswith('"') else part
