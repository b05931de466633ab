"""Whether several filtered copies of one source together keep every row: a split copy
(``INSERT ... SELECT ... WHERE x = 'a'`` and ``... WHERE x != 'a'``) loses nothing when its
conditions are complementary, counting NULL: ``x = v`` and ``x != v`` both miss a row where
``x`` is NULL, so together they keep every row only when ``x`` is NOT NULL in the source (or
a third copy takes ``x IS NULL``). ``c`` and ``NOT c`` likewise.

Each copy's one ``WHERE`` is read as a literal on one expression (``x = v``, ``x != v``,
``x IS NULL``, ``x IS NOT NULL``, ``c``, ``NOT c``); the literals on the same expression are
evaluated on every kind of value it may hold (NULL, the one value named, any other; or
NULL, true, false). A condition read otherwise (``AND``, ``OR``, two different values, a
join, a ``LIMIT``) adds no row, so the answer errs towards "rows lost", never the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msgspec import Struct

from erdgen.core.row_loss import mask_sql
from erdgen.core.sql_names import NAME
from erdgen.model import RowLoss, Table

_COLUMN = re.compile(rf"(?:{NAME}\s*\.\s*)?(?P<name>{NAME})")
_VALUE = r"(?:'(?:[^']|'')*'|[-+]?\d+)"  # a string or an integer: one spelling per value
_COMPARE = re.compile(
    rf"(?P<left>{NAME}(?:\s*\.\s*{NAME})?|{_VALUE})\s*(?P<op>==|=|!=|<>)\s*"
    rf"(?P<right>{NAME}(?:\s*\.\s*{NAME})?|{_VALUE})",
    re.IGNORECASE,
)
_IS_NULL = re.compile(
    r"(?P<e>.+?)\s+(?:(?P<not>IS\s+NOT|NOT)\s+NULL|IS\s+NULL|(?P<nn>NOTNULL)|ISNULL)", re.I
)
_NOT = re.compile(r"NOT\s+(?P<e>.+)", re.IGNORECASE)
_WORD = re.compile(r"\b(?:AND|OR|NOT|IS|BETWEEN|IN|LIKE|GLOB|CASE)\b", re.IGNORECASE)


class _Literal(Struct, frozen=True):
    expression: str  # flattened text, a column by its key
    holds: str  # eq, ne, null, not_null, true, false
    value: str = ""


def covers_all(copies: Sequence[tuple[RowLoss, ...]], source: Table | None) -> bool:
    """Whether the copies together keep every row of ``source`` (its shape before them):
    one copy without a loss, or the ``WHERE`` of each (one loss, of kind ``where``) holds
    for every row in at least one of them."""
    if any(not losses for losses in copies):
        return True
    literals = [
        literal
        for losses in copies
        if len(losses) == 1 and losses[0].kind == "where"
        for literal in [_literal(losses[0].sql, source)]
        if literal is not None
    ]
    by_expression: dict[str, list[_Literal]] = {}
    for literal in literals:
        by_expression.setdefault(literal.expression, []).append(literal)
    return any(_complete(group, source) for group in by_expression.values())


def _complete(group: list[_Literal], source: Table | None) -> bool:
    kinds = {literal.holds for literal in group}
    values = {literal.value for literal in group if literal.holds in ("eq", "ne")}
    if len(values) > 1 or ({"true", "false"} & kinds and {"eq", "ne"} & kinds):
        return False  # two values may be equal under a collation or affinity: not judged
    domain = ["v", "other"] if values else ["true", "false"]
    if not _never_null(group[0].expression, source):
        domain.append("null")
    return all(any(_holds(literal, value) for literal in group) for value in domain)


def _holds(literal: _Literal, value: str) -> bool:
    match literal.holds:
        case "eq":
            return value == "v"
        case "ne":
            return value == "other"
        case "null":
            return value == "null"
        case "not_null":
            return value != "null"
        case "true":
            return value in ("true", "v", "other")  # a value other than NULL may be true
        case _:  # false
            return value == "false"


def _never_null(expression: str, source: Table | None) -> bool:
    """A NOT NULL column of the source, or its rowid alias (an INTEGER PRIMARY KEY)."""
    if source is None or not expression.startswith("\0"):
        return False
    key = expression[1:]
    column = next((c for c in source.columns if source.names.key(c.name) == key), None)
    if column is None:
        return False
    return column.not_null or source.rowid_alias == column.name


def _literal(condition: str, source: Table | None) -> _Literal | None:
    text = _bare(condition)
    compare = _COMPARE.fullmatch(text)
    if compare is not None:
        left, right = compare["left"], compare["right"]
        column, value = (left, right) if re.fullmatch(_VALUE, right) else (right, left)
        if not re.fullmatch(_VALUE, value) or re.fullmatch(_VALUE, column):
            return None
        holds = "eq" if compare["op"] in ("=", "==") else "ne"
        return _Literal(_expression(column, source), holds, _canonical(value))
    is_null = _IS_NULL.fullmatch(text)
    if is_null is not None and _single(is_null["e"]):
        holds = "not_null" if is_null["not"] or is_null["nn"] else "null"
        return _Literal(_expression(is_null["e"], source), holds)
    negated = _NOT.fullmatch(text)
    if negated is not None and _single(negated["e"]):
        return _Literal(_expression(negated["e"], source), "false")
    return _Literal(_expression(text, source), "true")  # the whole condition, as written


def _single(expression: str) -> bool:
    """One operand: a column, or an expression in parentheses of its own (``NOT a OR b``
    is ``(NOT a) OR b``)."""
    expression = expression.strip()
    return _COLUMN.fullmatch(expression) is not None or (
        expression.startswith("(") and _bare(expression) != expression
    )


def _expression(text: str, source: Table | None) -> str:
    """The key the literals of one expression share: a column by the source's rule for
    names (marked by a leading NUL), anything else as flat text."""
    text = _bare(text)
    column = _COLUMN.fullmatch(text)
    if column is not None and not _WORD.fullmatch(text):
        name = column["name"]
        if name[0] + name[-1] in ('""', "``", "[]"):
            name = name[1:-1].replace('""', '"') if name[0] == '"' else name[1:-1]
        return "\0" + (source.names.key(name) if source is not None else name)
    return text


def _canonical(value: str) -> str:
    return str(int(value)) if not value.startswith("'") else value


def _bare(text: str) -> str:
    """The text flattened, without parentheses that wrap all of it."""
    text = " ".join(text.split())
    while text.startswith("(") and text.endswith(")") and _wraps(text):
        text = text[1:-1].strip()
    return text


def _wraps(text: str) -> bool:
    """Whether the parenthesis that opens ``text`` closes at its last character (quotes
    and comments read as ``row_loss.mask_sql`` reads them)."""
    masked, depth = mask_sql(text)
    last = len(masked) - 1
    return not any(c == ")" and depth[i] == 0 for i, c in enumerate(masked) if i < last)
