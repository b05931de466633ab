"""Which function or procedure a statement names: overloads share a name and differ in
their argument types.

``DROP FUNCTION f(integer)``, ``COMMENT ON FUNCTION f(integer)`` and ``ALTER FUNCTION
f(integer) RENAME TO g / SET SCHEMA s`` name one overload by its identity arguments: the
types of its IN, INOUT and VARIADIC arguments (every argument of a procedure), without
argument names, defaults or type modifiers (``LookupFuncWithArgs`` and
``func_get_detail`` in src/backend/parser/parse_func.c; typmods are dropped from
function signatures by ``interpret_function_parameter_list``). Without an argument list
the name must be unique, or PostgreSQL refuses the statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from msgspec.structs import replace

from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.create import Resolver
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.state import PgState
from erdgen.dialects.postgres.tokens import Token, tokenize
from erdgen.dialects.postgres.types import read_type
from erdgen.model import Function

ARGUMENT_MODES = ("in", "out", "inout", "variadic")
# a type modifier: "(10)", "(10,2)", "(6)" in "timestamp(6) with time zone"
_TYPMOD = re.compile(r"\(\s*\d+(?:\s*,\s*\d+)?\s*\)")


def arguments(state: PgState, tokens: list[Token], procedure: bool) -> list[tuple[str, str, str]]:
    """(mode, name, type) of each argument that belongs to the signature, as PostgreSQL
    prints them: a function's OUT arguments are left out, defaults and type modifiers
    are dropped."""
    found = []
    for part in split_on_commas(tokens):
        mode = part[0].value if part[0].is_(*ARGUMENT_MODES) else "in"
        part = part[1:] if part[0].is_(*ARGUMENT_MODES) else part
        if mode == "out" and not procedure:
            continue
        cut = next((i for i, t in enumerate(part) if t.is_("default") or t.text == "="), len(part))
        part = part[:cut]
        name = ""
        if _named_argument(part):
            name, part = part[0].value, part[1:]
        found.append((mode, name, without_typmod(read_type(part, 0, Resolver(state)).name)))
    return found


def _named_argument(part: list[Token]) -> bool:
    """Whether the argument begins with its name: its words are not one type on their
    own (``character varying``, ``double precision``) and a type follows the first."""
    if len(part) < 2 or part[0].kind not in ("word", "quoted"):
        return False
    return _type_end(part) != len(part) and _type_end(part[1:]) > 0


def _type_end(tokens: list[Token]) -> int:
    try:
        return read_type(tokens, 0).end
    except ValueError:
        return 0


def without_typmod(type_name: str) -> str:
    """``numeric(8,2)`` -> ``numeric``: a routine's argument and result types keep no
    modifier (``format_type`` prints them without, as pg_proc stores none)."""
    return _TYPMOD.sub("", type_name) if "(" in type_name else type_name


def identity(types: list[str]) -> tuple[str, ...]:
    return tuple(without_typmod(name) for name in types)


def identity_of(state: PgState, function: Function) -> tuple[str, ...]:
    """The identity argument types of a function the reader made (read back from its
    printed arguments, which ``arguments`` wrote)."""
    procedure = function.kind == "procedure"
    printed = tokenize(function.arguments) if function.arguments else []
    return identity([t for _, _, t in arguments(state, printed, procedure)])


def named(state: PgState, cursor: Cursor, kind: str) -> list[str]:
    """The signatures (``state.functions`` keys) a ``name [(arguments)]`` at the cursor
    names; DdlSyntaxError when a name without arguments fits several overloads."""
    start = cursor.peek()
    namespace, name = cursor.qualified()
    wanted = None
    if cursor.next_is("("):
        types = [t for _, _, t in arguments(state, cursor.group(), kind == "procedure")]
        wanted = identity(types)
    found: list[str] = []
    for schema in [namespace] if namespace else state.search_path:  # the first that has it
        key = qualified(schema, name)
        found = [
            signature
            for signature, function in state.functions.items()
            if function.name == key and (wanted is None or identity_of(state, function) == wanted)
        ]
        if found:
            break
    if wanted is None and len(found) > 1:
        raise DdlSyntaxError(f'{kind} name "{name}" is not unique', start)
    return found


def drop_routines(state: PgState, cursor: Cursor, kind: str, if_exists: bool) -> None:
    """``DROP FUNCTION|PROCEDURE name [(arguments)], ...``."""
    for part in split_on_commas(cursor.rest()):
        found = named(state, Cursor(part), kind)
        if not found and not if_exists:
            raise DdlSyntaxError(f"{kind} {part[0].value} does not exist", part[0])
        for signature in found:
            del state.functions[signature]


def comment_routine(state: PgState, target: list[Token], kind: str, text: str) -> None:
    for signature in named(state, Cursor(target), kind):
        state.functions[signature] = replace(state.functions[signature], description=text)


def alter_routine(state: PgState, cursor: Cursor, kind: str) -> bool:
    """``ALTER FUNCTION|PROCEDURE name [(arguments)] RENAME TO new | SET SCHEMA s``;
    other forms (OWNER TO, SECURITY DEFINER, SET config) leave the model as it is."""
    found = named(state, cursor, kind)
    if cursor.accept("rename", "to"):
        new = cursor.identifier()
        _move(state, found, lambda f: _renamed(f.name, new))
    elif cursor.accept("set", "schema"):
        namespace = cursor.identifier()
        _move(state, found, lambda f: qualified(namespace, f.name.rsplit(".", 1)[-1]))
    return True


def _renamed(key: str, new: str) -> str:
    head, dot, _ = key.rpartition(".")
    return f"{head}{dot}{new}"


def _move(state: PgState, signatures: list[str], new_key: Callable[[Function], str]) -> None:
    """Give the functions new names; triggers follow their function (pg_trigger keeps
    the function's OID, and PostgreSQL prints its current name)."""
    for signature in signatures:
        function = state.functions.pop(signature)
        moved = replace(function, name=new_key(function))
        state.functions[moved.signature] = moved
        if function.name.rsplit(".", 1)[-1] in state.ddl_functions:
            state.ddl_functions.add(moved.name.rsplit(".", 1)[-1])
        for key, trigger in state.triggers.items():
            if trigger.function == function.name:
                state.triggers[key] = replace(trigger, function=moved.name)
