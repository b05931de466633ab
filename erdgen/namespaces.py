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

# PostgreSQL 15's key words that quote_ident quotes: every category but unreserved
# (``SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'``; the test asks the server)
_KEYWORDS = """all analyse analyze and any array as asc asymmetric authorization between bigint
    binary bit boolean both case cast char character check coalesce collate collation column
    concurrently constraint create cross current_catalog current_date current_role
    current_schema current_time current_timestamp current_user dec decimal default deferrable
    desc distinct do else end except exists extract false fetch float for foreign freeze from
    full grant greatest group grouping having ilike in initially inner inout int integer
    intersect interval into is isnull join lateral leading least left like limit localtime
    localtimestamp national natural nchar none normalize not notnull null nullif numeric
    offset on only or order out outer overlaps overlay placing position precision primary
    real references returning right row select session_user setof similar smallint some
    substring symmetric table tablesample then time timestamp to trailing treat trim true
    union unique user using values varchar variadic verbose when where window with
    xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
    xmlroot xmlserialize xmltable"""
QUOTED_KEYWORDS = frozenset(_KEYWORDS.split())


def quote_ident(name: str) -> str:
    """``quote_ident`` (src/backend/utils/adt/ruleutils.c): bare when the name is lower-case
    letters, digits and ``_`` not starting with a digit, and no key word quote_ident quotes."""
    plain = (
        name != ""
        and (name[0].islower() or name[0] == "_")
        and all(c.islower() or c.isdigit() or c == "_" for c in name)
        and name.isascii()
        and name not in QUOTED_KEYWORDS
    )
    return name if plain else '"' + name.replace('"', '""') + '"'


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


def split_name(schema: Schema, name: str) -> tuple[str, str]:
    """(the schema, the name within it) of a model name: ``registry.users`` ->
    ``("registry", "users")``, ``users`` -> ``("public", "users")``."""
    namespace = namespace_of(schema, name)
    return namespace, name if namespace == PUBLIC else name[len(namespace) + 1 :]


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
