"""Links to a PostgreSQL project's own pages: an enum's entry on the types page, a
function's on the functions page. A name the current schema no longer has is plain code:
its entry is gone."""

from __future__ import annotations

import re

from erdgen.model import CompositeType, Domain, Function, IdentifierRule, Schema
from erdgen.namespaces import enum_of, type_name, type_named
from erdgen.render.markdown import breakable_expression, code, slug
from erdgen.render.siteplan import FUNCTIONS, TYPES, Linker, relative_link


def enum_anchor(name: str, rule: IdentifierRule) -> str:
    """The anchor of an enum's entry on the types page (``#e-<slug>``)."""
    return "e-" + slug(rule.key(name))


def domain_anchor(name: str, rule: IdentifierRule) -> str:
    """The anchor of a domain's entry on the types page (``#d-<slug>``)."""
    return "d-" + slug(rule.key(name))


def composite_anchor(name: str, rule: IdentifierRule) -> str:
    """The anchor of a composite type's entry on the types page (``#c-<slug>``)."""
    return "c-" + slug(rule.key(name))


def sequence_anchor(name: str, rule: IdentifierRule) -> str:
    return "s-" + slug(rule.key(name))


def function_anchor(function: Function, rule: IdentifierRule) -> str:
    """Overloads share a name: the anchor is the whole signature's."""
    return "f-" + slug(rule.key(function.signature))


def enum_link(linker: Linker, name: str, label: str | None = None) -> str:
    """``label`` (default: the name) linked to the enum's entry on the types page."""
    shown = code(label if label is not None else name)
    rule = linker.plan.history.names
    if not any(rule.same(e.name, name) for e in linker.schema.enums):
        return shown
    return f"[{shown}]({relative_link(linker.page, TYPES, enum_anchor(name, rule))})"


def domain_or_composite(schema: Schema, type_text: str) -> Domain | CompositeType | None:
    """The domain or composite type a column of type ``type_text`` holds (or an array of),
    None for any other; ``public.`` may be written or left out, as for enums."""
    found: tuple[Domain | CompositeType, ...] = (*schema.domains, *schema.composites)
    return type_named(schema, type_text, found)


def type_link(linker: Linker, found: Domain | CompositeType, label: str) -> str:
    """``label`` linked to the entry of a domain or composite type on the types page, while
    the current schema has it (else plain code)."""
    rule = linker.plan.history.names
    kept = linker.schema.domains if isinstance(found, Domain) else linker.schema.composites
    if not any(rule.same(item.name, found.name) for item in kept):
        return code(label)
    anchor = (domain_anchor if isinstance(found, Domain) else composite_anchor)(found.name, rule)
    return f"[{code(label)}]({relative_link(linker.page, TYPES, anchor)})"


def linked_type(linker: Linker, type_text: str) -> str:
    """A column's type as a code span; a PostgreSQL enum, domain or composite type (or an
    array of one) links to its entry on the types page."""
    if not type_text:
        return ""
    enum = enum_of(linker.schema, type_text)
    if enum is not None:
        return enum_link(linker, enum.name, type_text)
    found = domain_or_composite(linker.schema, type_text)
    return code(type_text) if found is None else type_link(linker, found, type_text)


def function_link(linker: Linker, name: str) -> str:
    """A function by name (a trigger's), linked to its first overload's entry."""
    rule = linker.plan.history.names
    found = next((f for f in linker.schema.functions if rule.same(f.name, name)), None)
    if found is None:
        return code(name)
    anchor = function_anchor(found, rule)
    return f"[{code(name)}]({relative_link(linker.page, FUNCTIONS, anchor)})"


# a serial column's default as PostgreSQL prints it: nextval('person_id_seq'::regclass)
_NEXTVAL = re.compile(r"nextval\('((?:[^']|'')+)'::regclass\)")


def sequence_default(linker: Linker, default: str) -> str | None:
    """A ``nextval`` default linked to its sequence's row on the types page; None for any
    other default or a sequence the schema does not have."""
    if not linker.schema.sequences:
        return None
    match = _NEXTVAL.fullmatch(default)
    name = type_name(match.group(1).replace("''", "'")) if match else None
    rule = linker.plan.history.names
    found = next((s for s in linker.schema.sequences if name and rule.same(s.name, name)), None)
    if found is None:
        return None
    anchor = sequence_anchor(found.name, rule)
    return f"[{breakable_expression(default)}]({relative_link(linker.page, TYPES, anchor)})"


def signature_link(linker: Linker, function: Function) -> str:
    """A function's whole signature linked to its entry, while the schema has it."""
    label = code(function.signature)
    if not any(f.signature == function.signature for f in linker.schema.functions):
        return label
    anchor = function_anchor(function, linker.plan.history.names)
    return f"[{label}]({relative_link(linker.page, FUNCTIONS, anchor)})"
