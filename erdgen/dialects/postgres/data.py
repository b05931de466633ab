"""Data statements of a PostgreSQL migration as ``Action.DATA`` changes, as SQLite records
them (``dialects/sqlite/handlers.py``): ``INSERT``, ``UPDATE``, ``DELETE``, ``MERGE``,
``COPY ... FROM`` and ``TRUNCATE``, each with its verb and the table it writes, at the
statement's own location. Pages, timeline and export show them, and ``core.lineage``
reads the ``INSERT ... SELECT`` among them to say where a dropped column's data went.

A ``WITH`` statement writes the table of its main statement (``WITH moved AS (DELETE
... RETURNING *) INSERT INTO b ...``: an INSERT into ``b``), or, when that is a
``SELECT``, the table of its first data-modifying CTE. ``COPY ... TO`` reads only.
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.dialects.postgres.data_names import lineage_sql
from erdgen.dialects.postgres.split import Statement
from erdgen.dialects.postgres.state import PgState
from erdgen.dialects.postgres.tokens import Token, TokenizeError, tokenize
from erdgen.model import Action, Change

# the word before the target table, per verb (UPDATE: the verb itself)
_ANCHOR = {"insert": "into", "merge": "into", "delete": "from", "update": "update"}
DATA_VERBS = frozenset({"insert", "update", "delete", "merge", "copy", "truncate", "with"})


def data_changes(state: PgState, statement: Statement, tokens: list[Token]) -> list[Change]:
    """The data changes of one statement (empty when it writes no table: ``COPY ... TO``,
    ``WITH ... SELECT`` without a data-modifying CTE)."""
    verb = tokens[0].value
    if verb == "with":
        return _with(state, statement, tokens)
    if verb == "copy":
        return _copy(state, statement, tokens)
    if verb == "truncate":
        return _truncate(state, statement, tokens)
    if verb not in _ANCHOR:
        return []
    change = _change(state, statement, verb, _target(tokens, 0, verb))
    if verb in ("insert", "update"):  # what lineage reads: INSERT ... SELECT, UPDATE ... SET
        change = replace(change, lineage_sql=lineage_sql(state, statement.text, tokens))
    return [change]


# words a PL/pgSQL statement follows inside a DO body (BEGIN UPDATE ...; IF ... THEN INSERT)
_BEFORE_STATEMENT = ("then", "else", "begin", "loop")


def inner_data(state: PgState, block: Statement, piece: Statement, offset: int) -> list[Change]:
    """The data changes of one statement ``piece`` of a ``DO`` body that starts at
    ``offset`` in the ``block``'s text, located in the file. ``EXECUTE`` of a built string
    is not read (the block's ``pg-do`` warning says so)."""
    try:
        tokens = tokenize(piece.text)
    except TokenizeError:
        return []
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else None
        if token.is_(*DATA_VERBS) and (before is None or before.is_(*_BEFORE_STATEMENT)):
            start = piece.start + token.start
            inner = Statement(piece.text[token.start :], start, block.at(offset + start))
            return data_changes(state, inner, tokens[position:])
    return []


def _with(state: PgState, statement: Statement, tokens: list[Token]) -> list[Change]:
    """The main statement follows the CTEs at depth 0; data verbs inside them at depth 1."""
    depth, first_inner = 0, None
    for position, token in enumerate(tokens[1:], start=1):
        if token.kind == "punct" and token.text in "([":
            depth += 1
        elif token.kind == "punct" and token.text in ")]":
            depth -= 1
        elif token.kind == "word" and token.value in _ANCHOR:
            if depth == 0:
                return [
                    _change(state, statement, token.value, _target(tokens, position, token.value))
                ]
            if first_inner is None and tokens[position - 1].text == "(":
                first_inner = position
        elif depth == 0 and token.is_("select", "values", "table"):
            break
    if first_inner is None:
        return []
    verb = tokens[first_inner].value
    return [_change(state, statement, verb, _target(tokens, first_inner, verb))]


def _copy(state: PgState, statement: Statement, tokens: list[Token]) -> list[Change]:
    """``COPY t [(columns)] FROM ...`` writes ``t``; ``COPY t TO`` and ``COPY (query) TO``
    read."""
    name = _name_at(tokens, 1)
    if name is None:
        return []
    position = name[1]
    if position < len(tokens) and tokens[position].text == "(":
        position = _after_group(tokens, position)
    if position >= len(tokens) or not tokens[position].is_("from"):
        return []
    return [_change(state, statement, "copy", name[0])]


def _truncate(state: PgState, statement: Statement, tokens: list[Token]) -> list[Change]:
    """``TRUNCATE [TABLE] [ONLY] a, b [*] ...``: one change per table it empties."""
    changes, position = [], 1
    if position < len(tokens) and tokens[position].is_("table"):
        position += 1
    while position < len(tokens):
        if tokens[position].is_("only"):
            position += 1
        name = _name_at(tokens, position)
        if name is None:
            break
        changes.append(_change(state, statement, "truncate", name[0]))
        position = name[1]
        if position < len(tokens) and tokens[position].text == "*":
            position += 1
        if position >= len(tokens) or tokens[position].text != ",":
            break
        position += 1
    return changes


def _target(tokens: list[Token], verb_at: int, verb: str) -> tuple[str | None, str] | None:
    """The table after the verb's anchor word (``INTO``, ``FROM``; ``UPDATE [ONLY] t``)."""
    position = verb_at + 1
    if verb != "update":
        while position < len(tokens) and not tokens[position].is_(_ANCHOR[verb]):
            position += 1
        position += 1
    if position < len(tokens) and tokens[position].is_("only"):
        position += 1
    found = _name_at(tokens, position)
    return found[0] if found is not None else None


def _name_at(tokens: list[Token], position: int) -> tuple[tuple[str | None, str], int] | None:
    """``[schema.]name`` at ``position`` and the position after it."""
    if position >= len(tokens) or tokens[position].kind not in ("word", "quoted"):
        return None
    first = tokens[position].value
    dotted = position + 2 < len(tokens) and tokens[position + 1].text == "."
    if dotted and tokens[position + 2].kind in ("word", "quoted"):
        return (first, tokens[position + 2].value), position + 3
    return (None, first), position + 1


def _after_group(tokens: list[Token], position: int) -> int:
    depth = 0
    for at in range(position, len(tokens)):
        depth += (tokens[at].text == "(") - (tokens[at].text == ")")
        if depth == 0:
            return at + 1
    return len(tokens)


def _change(
    state: PgState, statement: Statement, verb: str, target: tuple[str | None, str] | None
) -> Change:
    """The change on the table as the model names it (by the search path), else as
    written (a table the text does not show: made by dynamic SQL, or a temporary one)."""
    name = ""
    if target is not None:
        namespace, bare = target
        table = state.find_table(namespace, bare)
        if table is not None:
            name = table.qualified
        else:
            name = bare if namespace in (None, "public") else f"{namespace}.{bare}"
    return Change(
        Action.DATA,
        name,
        statement.location,
        table=name or None,
        statement=statement.text,
        verb=verb.upper(),
    )
