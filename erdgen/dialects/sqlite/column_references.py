"""Which names in a view's or trigger's SQL are the column of a table being renamed.

SQLite resolves every name against the schema; erdgen follows the shapes migrations use
(query blocks, aliases, ``NEW``/``OLD``, ``UPDATE OF``, ``INSERT INTO t (...)``,
``UPDATE t SET``) on the tokens of the text.
"""

from __future__ import annotations

from sqlglot.errors import TokenError

from erdgen.dialects.sqlite.lexer import unquote
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.rename import LITERALS, Quoting, written
from erdgen.dialects.sqlite.tokens import tokenize


def rewrite_column_reference(
    sql: str,
    table: str,
    old: str,
    new: str,
    trigger_table: str | None,
    quoting: Quoting = "readable",
) -> str:
    """Rename references to ``table.old`` in a view's or trigger's SQL.

    SQLite resolves each name; this follows the cases migrations use: ``NEW.x`` /
    ``OLD.x`` belong to the trigger's table, ``t.x`` and ``alias.x`` to ``t``; the columns
    of ``UPDATE OF``, of ``INSERT INTO t (...)`` and those ``UPDATE t SET`` assigns belong
    to their table; any other unqualified ``x`` belongs to the tables its own query block
    reads (``FROM`` / ``JOIN`` / ``UPDATE`` / ``DELETE FROM``; a subquery, each part of a
    compound select and each statement of a trigger's body is a block of its own).
    """
    if not _may_reference(sql, table, old, trigger_table):
        return sql
    try:
        tokens = tokenize(sql)
    except TokenError:
        return sql
    sources = [sql[t.start : t.end + 1] for t in tokens]
    names = [fold(unquote(source)) for source in sources]
    renamed, column = fold(table), fold(old)
    owners = {renamed} | _aliases(names, renamed)
    if trigger_table is not None and same_name(trigger_table, table):
        owners |= {"new", "old"}
    blocks, reads = _query_blocks(sources, names, trigger_table is not None)
    owned = _owned_columns(sources, names, trigger_table)
    pieces: list[str] = []
    cursor = 0
    for index, token in enumerate(tokens):
        if token.token_type in LITERALS or names[index] != column:
            continue
        if index >= 2 and sources[index - 1] == ".":
            ours = names[index - 2] in owners
        elif index in owned:
            ours = owned[index] == renamed
        else:
            ours = renamed in reads.get(blocks[index], ())
        if ours:
            pieces.append(sql[cursor : token.start])
            pieces.append(written(sources[index], new, quoting))
            cursor = token.end + 1
    pieces.append(sql[cursor:])
    return "".join(pieces)


_HEADER = -1  # a trigger's header up to WHEN or BEGIN: its names are the trigger table's
_CLAUSES = frozenset(
    {"select", "from", "join", "where", "group", "having", "order", "limit", "window", "set",
     "values", "on", "using", "returning"}
)  # fmt: skip
_COMPOUND = frozenset({"union", "intersect", "except"})


def _query_blocks(
    sources: list[str], names: list[str], is_trigger: bool
) -> tuple[list[int], dict[int, set[str]]]:
    """The query block of each token, and the tables (lower-case) each block reads."""
    words = [fold(source) for source in sources]  # bare keywords; a quoted name differs
    blocks: list[int] = []
    reads: dict[int, set[str]] = {}
    clause: dict[int, str] = {}
    outer: list[int] = []  # per open parenthesis: the block around it
    current, count = (_HEADER if is_trigger else 0), 0
    for index, word in enumerate(words):
        if current == _HEADER:
            blocks.append(current)
            if word in ("when", "begin"):  # WHEN's subqueries read tables of their own
                current = count = count + 1
            continue
        if word == "(":
            outer.append(current)
            if index + 1 < len(words) and words[index + 1] in ("select", "with"):
                current = count = count + 1
        elif word == ")" and outer:
            current = outer.pop()
        elif word == ";" or word in _COMPOUND or (is_trigger and word == "begin" and not outer):
            current = count = count + 1
        blocks.append(current)
        if word in _CLAUSES:
            clause[current] = word
        elif _reads_from(words, index, clause.get(current, "")):
            qualified = index + 2 < len(words) and words[index + 1] == "."
            reads.setdefault(current, set()).add(names[index + 2] if qualified else names[index])
    return blocks, reads


def _reads_from(words: list[str], index: int, clause: str) -> bool:
    """Whether the name at ``index`` is a table a query reads: after FROM, JOIN or a comma
    in a FROM list, after UPDATE [OR x], or after DELETE FROM."""
    before = words[index - 1] if index else ""
    if before in ("from", "join") or (before == "," and clause == "from"):
        return words[index] not in ("(", "select")
    if before == "update" or (
        before and index >= 3 and words[index - 3] == "update" and words[index - 2] == "or"
    ):
        return words[index] not in ("of", "or")
    return False


def _owned_columns(
    sources: list[str], names: list[str], trigger_table: str | None
) -> dict[int, str]:
    """Column names whose table the grammar fixes: token index -> table (lower-case)."""
    words = [fold(source) for source in sources]  # bare keywords; a quoted name differs
    owned: dict[int, str] = {}
    for index, word in enumerate(words):
        if word == "of" and index > 0 and words[index - 1] == "update" and trigger_table:
            owned.update(dict.fromkeys(_names_until(words, index + 1, "on"), fold(trigger_table)))
        elif word == "into" and index + 2 < len(words):
            target = index + 3 if words[index + 2] == "." else index + 1
            if target + 1 < len(words) and words[target + 1] == "(":
                columns = _names_until(words, target + 2, ")")
                owned.update(dict.fromkeys(columns, names[target]))
        elif word == "set" and (updated := _update_target(words, index)) is not None:
            owned.update(dict.fromkeys(_assigned(words, index + 1), names[updated]))
    return owned


def _names_until(words: list[str], start: int, stop: str) -> list[int]:
    """Indexes of the names in a comma-separated list from ``start`` up to ``stop``."""
    found = []
    for index in range(start, len(words)):
        if words[index] == stop:
            break
        if words[index] != ",":
            found.append(index)
    return found


def _update_target(words: list[str], set_index: int) -> int | None:
    """The index of the table name in ``UPDATE [OR x] [schema.]table SET``, if that is how
    the statement before ``set_index`` reads."""
    target = set_index - 1
    start = target - 2 if target >= 2 and words[target - 1] == "." else target
    before = words[start - 1] if start >= 1 else ""
    after_or = words[start - 3] if start >= 3 and words[start - 2] == "or" else ""
    return target if "update" in (before, after_or) else None


def _assigned(words: list[str], start: int) -> list[int]:
    """The columns ``SET a = ..., b = ...`` assigns: a name at depth 0 followed by ``=``."""
    assigned, depth, expecting = [], 0, True
    for index in range(start, len(words) - 1):
        word = words[index]
        if word in ("(", ")"):
            depth += 1 if word == "(" else -1
        elif depth == 0 and word in ("where", "from", "returning", ";", "end"):
            break
        elif depth == 0 and word == ",":
            expecting = True
            continue
        if expecting and depth == 0 and words[index + 1] == "=":
            assigned.append(index)
        expecting = False
    return assigned


def _may_reference(sql: str, table: str, column: str, trigger_table: str | None) -> bool:
    """A cheap test before tokenizing: a reference needs the column's name in the text and,
    outside a trigger of the table (``NEW.x``), the table's name too (plain, or as a
    qualifier, or to give an alias). A name with quote characters in it may be written
    with doubled quotes, so it is not looked for as written."""
    lowered = fold(sql)
    if fold(column) not in lowered:
        return False
    if trigger_table is not None and same_name(trigger_table, table):
        return True
    return fold(table) in lowered or any(quote in table for quote in "\"'`")


def _aliases(names: list[str], table: str) -> set[str]:
    """Aliases given to ``table`` in FROM / JOIN clauses: ``users u``, ``users AS u``."""
    aliases: set[str] = set()
    for index, name in enumerate(names[:-1]):
        if name != table:
            continue
        following = names[index + 1]
        if following == "as" and index + 2 < len(names):
            following = names[index + 2]
        if following.isidentifier() and following not in _CLAUSE_WORDS:
            aliases.add(following)
    return aliases


_CLAUSE_WORDS = frozenset(
    {"where", "join", "left", "inner", "cross", "on", "using", "group", "order", "limit",
     "set", "values", "select", "union", "natural", "outer", "having", "window", "as",
     "begin", "end", "for", "when", "default"}
)  # fmt: skip
