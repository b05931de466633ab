"""Whether PostgreSQL rewrites a table for ``ALTER COLUMN ... TYPE``.

The rule is PostgreSQL's ("ALTER TABLE", Notes: "changing the type of an existing column
will normally cause the entire table and its indexes to be rewritten. As an exception,
when changing the type of an existing column, if the USING clause does not change the
column contents and the old type is either binary coercible to the new type or an
unconstrained domain over the new type, a table rewrite is not needed"), as the server
applies it (``ATColumnChangeRequiresRewrite`` in src/backend/commands/tablecmds.c, after
the planner has simplified length coercions with the types' support functions):

- no rewrite when the type stays, when only a type modifier is dropped
  (``varchar(10)`` to ``varchar``), or when the cast is binary coercible (``pg_cast``
  castmethod ``b``: ``varchar`` to ``text``, ``text`` to ``varchar``, ``cidr`` to ``inet``)
  and the new type has no modifier;
- no rewrite when a support function finds the new modifier changes no value:
  ``varchar``/``varbit`` may grow (``varchar_support``, ``varbit_support``), ``numeric``
  may gain precision at the same scale (``numeric_support``), ``time``/``timestamp``
  may gain fractional digits (``time_support``, ``timestamp_support``);
- a rewrite for every other cast (``integer`` to ``bigint``, ``text`` to an enum,
  ``character(n)`` to anything: ``bpchar`` has no support function), for a changed
  array element type, and for a ``USING`` expression that is more than the column.

``timestamp`` to ``timestamptz`` and back rewrites only when the session time zone is not
UTC (PostgreSQL 12+), and ``interval`` field changes follow ``interval_support``: both are
"depends" here, never reported. Types erdgen does not know (domains, extension types such
as ``citext``) are "unknown": their casts are not in this table.
"""

from __future__ import annotations

import re
from enum import StrEnum

from msgspec import Struct


class Verdict(StrEnum):
    REWRITE = "rewrite"
    KEPT = "kept"  # PostgreSQL keeps the table's files (relfilenode) as they are
    DEPENDS = "depends"  # on the session (time zone) or on rules not modelled here


# Base names of built-in types as format_type prints them (modifiers removed).
BUILTIN = frozenset(
    {"smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean",
     "text", "character varying", "character", "bpchar", '"char"', "name", "bytea", "date",
     "time without time zone", "time with time zone", "timestamp without time zone",
     "timestamp with time zone", "interval", "uuid", "json", "jsonb", "inet", "cidr",
     "macaddr", "macaddr8", "money", "bit", "bit varying", "xml", "oid", "tsvector",
     "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "int4range",
     "int8range", "numrange", "tsrange", "tstzrange", "daterange", "jsonpath", "pg_lsn"}
)  # fmt: skip
# pg_cast rows with castmethod 'b' between the types above (PostgreSQL 15's catalog).
BINARY_COERCIBLE = frozenset(
    {("text", "character varying"), ("character varying", "text"), ("text", "character"),
     ("character varying", "character"), ("bit", "bit varying"), ("bit varying", "bit"),
     ("cidr", "inet"), ("integer", "oid"), ("oid", "integer"), ("xml", "text"),
     ("xml", "character varying"), ("xml", "character")}
)  # fmt: skip
_TIMESTAMPS = frozenset({"timestamp without time zone", "timestamp with time zone"})
_TEMPORAL = _TIMESTAMPS | {"time without time zone", "time with time zone"}
_MAX_FRACTION_DIGITS = 6  # MAX_TIMESTAMP_PRECISION, MAX_TIME_PRECISION


class PgType(Struct, frozen=True):
    """A type as format_type prints it: base name, modifiers and array dimensions."""

    base: str
    modifiers: tuple[int, ...] | None  # None: no modifier (typmod -1)
    array: bool

    @property
    def unconstrained(self) -> bool:
        return self.modifiers is None


_MODIFIER = re.compile(r"\(([\d\s,]*)\)")


def parse_type(text: str) -> PgType:
    """``character varying(20)`` -> (``character varying``, (20,), False);
    ``timestamp(3) without time zone[]`` -> (``timestamp without time zone``, (3,), True)."""
    name = " ".join(text.split())
    array = name.endswith("]")
    name = re.sub(r"(\s*\[\d*\])+$", "", name)
    found = _MODIFIER.search(name)
    modifiers = None
    if found is not None:
        modifiers = tuple(int(part) for part in found.group(1).split(",") if part.strip())
        name = " ".join((name[: found.start()] + name[found.end() :]).split())
    if name == "bpchar":
        name = "character"  # format_type's name for character without a length
    if name.startswith("interval "):
        return PgType("interval", (-1,), array)  # a field restriction: interval_support
    return PgType(name, modifiers, array)


def rewrite_verdict(
    old: str, new: str, enums: frozenset[str] = frozenset(), using: str | None = None
) -> Verdict:
    """Whether changing a column from type ``old`` to ``new`` (format_type text) rewrites
    the table; ``enums`` are the enum types' names, ``using`` the USING expression when
    it is more than the column itself."""
    if using is not None:
        return Verdict.REWRITE
    if " ".join(old.split()) == " ".join(new.split()):
        return Verdict.KEPT
    before, after = parse_type(old), parse_type(new)
    if not all(t.base in BUILTIN or t.base in enums for t in (before, after)):
        return Verdict.DEPENDS  # a domain or an extension's type: casts not known here
    if before.array or after.array:
        same = before.array == after.array and before.base == after.base
        return Verdict.KEPT if same and after.unconstrained else Verdict.REWRITE
    if before.base == after.base:
        return _same_base(before, after)
    if {before.base, after.base} == _TIMESTAMPS:
        return Verdict.DEPENDS  # kept when the session's TimeZone is UTC
    if (before.base, after.base) in BINARY_COERCIBLE:
        return Verdict.KEPT if after.unconstrained else Verdict.REWRITE
    return Verdict.REWRITE


def _same_base(before: PgType, after: PgType) -> Verdict:
    """Only the modifier changes: kept when the type's support function says the length
    coercion changes no value."""
    if after.unconstrained or before.modifiers == after.modifiers:
        return Verdict.KEPT
    if before.base == "interval" or after.modifiers == (-1,):
        return Verdict.DEPENDS
    new, old = after.modifiers or (), before.modifiers
    if before.base in ("character varying", "bit varying"):
        return Verdict.KEPT if old is not None and old[0] <= new[0] else Verdict.REWRITE
    if before.base == "numeric":
        if old is None:
            return Verdict.REWRITE
        old_scale, new_scale = (old[1] if len(old) > 1 else 0), (new[1] if len(new) > 1 else 0)
        kept = old_scale == new_scale and old[0] <= new[0]
        return Verdict.KEPT if kept else Verdict.REWRITE
    if before.base in _TEMPORAL:
        kept = new[0] >= _MAX_FRACTION_DIGITS or (old is not None and old[0] <= new[0])
        return Verdict.KEPT if kept else Verdict.REWRITE
    return Verdict.REWRITE
