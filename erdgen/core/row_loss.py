"""Which rows an ``INSERT ... SELECT ... FROM`` copy may leave behind: a ``WHERE``, a join
that needs a partner row, ``DISTINCT``, ``GROUP BY`` or an aggregate, ``HAVING``,
``LIMIT``, a compound ``UNION`` / ``INTERSECT`` / ``EXCEPT``, ``OR IGNORE`` / ``OR REPLACE``
or an upsert. A copy with none of them keeps every row of its source (a ``LEFT`` or ``FULL``
join keeps every row too): only then may a page say "all rows".

It reads the statement text (``Change.statement``) with a scanner of its own that masks
strings, quoted names and comments and counts parentheses, the same for every dialect; a
copy it cannot read (a ``WITH`` before the ``INSERT``, a sub-select in ``FROM``) is said to
perhaps lose rows, never to keep them all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from erdgen.model import RowLoss

# RowLoss lives in the model, which carries it
__all__ = ["RowLoss", "clause", "deleted_rows", "row_losses", "without_comments"]

# PostgreSQL's dollar quote: $$ or $tag$, the tag a name that does not start with a digit
_DOLLAR_QUOTE = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
_HEADER = re.compile(r"\s*(?:(?P<with>WITH)\b|(?P<verb>INSERT|REPLACE)\b)", re.IGNORECASE)
_INTO = re.compile(r"\s*(?:OR\s+(?P<conflict>\w+)\s+)?INTO\b", re.IGNORECASE)
# Words that start a clause of a SELECT at the top level, one group each (ON_CONFLICT reads
# "ON CONFLICT"; keywords are matched without case mapping: they are not names).
_CLAUSE = re.compile(
    r"\b(?:(?P<SELECT>SELECT)|(?P<FROM>FROM)|(?P<WHERE>WHERE)|(?P<GROUP_BY>GROUP\s+BY)|"
    r"(?P<HAVING>HAVING)|(?P<WINDOW>WINDOW)|(?P<ORDER_BY>ORDER\s+BY)|(?P<LIMIT>LIMIT)|"
    r"(?P<UNION_ALL>UNION\s+ALL)|(?P<UNION>UNION)|(?P<INTERSECT>INTERSECT)|(?P<EXCEPT>EXCEPT)|"
    r"(?P<DEFAULT_VALUES>DEFAULT\s+VALUES)|(?P<VALUES>VALUES)|(?P<ON_CONFLICT>ON\s+CONFLICT)|"
    r"(?P<RETURNING>RETURNING))\b",
    re.IGNORECASE,
)
_JOIN = re.compile(
    r"(?P<words>(?:\b(?:NATURAL|LEFT|RIGHT|FULL|INNER|CROSS|OUTER)\s+)*)\bJOIN\b|,", re.I
)
_KEEPS_ALL = re.compile(r"\b(?:LEFT|FULL)\b", re.IGNORECASE)
_AGGREGATE = re.compile(
    r"\b(?:(?P<scalar_too>min|max)|count|sum|avg|total|group_concat|string_agg|"
    r"json_group_array|json_group_object|jsonb_group_array|jsonb_group_object)\s*\(",
    re.IGNORECASE,
)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_OVER = re.compile(r"\s*(?:FILTER\s*\([^()]*\)\s*)?OVER\b", re.IGNORECASE)


@lru_cache(maxsize=1024)  # read by the lineage, the lint and every page of the migration
def row_losses(statement: str) -> tuple[RowLoss, ...] | None:
    """How an ``INSERT ... SELECT ... FROM`` copy may drop rows (empty: it keeps them all);
    None when the statement copies no rows of a table (not an INSERT, ``VALUES``, a
    ``SELECT`` without ``FROM``)."""
    if _SELECT.search(statement) is None:
        return None  # seed data (INSERT ... VALUES) is not scanned character by character
    masked, depth = mask_sql(statement)
    header = _HEADER.match(masked)
    if header is None:
        return None
    if header["with"]:  # a common table expression may filter: not read
        inserts = re.search(r"\b(?:INSERT|REPLACE)\b", masked, re.IGNORECASE) is not None
        return (RowLoss("unread"),) if inserts and _selects_from(masked) else None
    into = _INTO.match(masked, header.end())
    if into is None:
        return None
    clauses = [
        (m.start(), m.end(), (m.lastgroup or "").replace("_", " "))
        for m in _CLAUSE.finditer(masked, into.end())
        if depth[m.start()] == 0
    ]
    words = [word for _, _, word in clauses]
    if "SELECT" not in words or "FROM" not in words or "VALUES" in words:
        return None
    losses = [*_conflicts(header["verb"], into["conflict"])]
    for position, (_start, end, word) in enumerate(clauses):
        stop = clauses[position + 1][0] if position + 1 < len(clauses) else len(statement)
        losses.extend(_clause_losses(word, statement[end:stop], masked[end:stop], depth[end:stop]))
    return tuple(dict.fromkeys(losses))


def _clause_losses(word: str, raw: str, masked: str, depth: list[int]) -> list[RowLoss]:
    text = _flat(raw).rstrip(";").strip()
    match word:
        case "SELECT":
            found = []
            if re.match(r"\s*DISTINCT\b", masked, re.IGNORECASE):
                found.append(RowLoss("distinct"))
            if _aggregates(masked, depth):
                found.append(RowLoss("aggregate"))
            return found
        case "FROM":
            return _from_losses(raw, masked, depth)
        case "WHERE":
            return [RowLoss("where", text)]
        case "GROUP BY":
            return [RowLoss("group_by", text)]
        case "HAVING":
            return [RowLoss("having", text)]
        case "LIMIT":
            return [RowLoss("limit", text)]
        case "UNION" | "INTERSECT" | "EXCEPT":
            return [RowLoss("compound", word)]
        case "ON CONFLICT":
            return [RowLoss("on_conflict", f"ON CONFLICT {text}")]
    return []


_CLAUSE_OF = {
    "deleted_all": "all rows deleted", "deleted_where": "rows deleted where `{}`",
    "where": "WHERE {}", "group_by": "GROUP BY {}", "having": "HAVING {}", "limit": "LIMIT {}",
    "distinct": "SELECT DISTINCT", "aggregate": "an aggregate function",
    "or_ignore": "INSERT OR IGNORE", "or_replace": "OR REPLACE",
    "unread": "a WITH clause or sub-select",
}  # fmt: skip


def clause(loss: RowLoss) -> str:
    """The loss in the statement's own words, for messages: ``WHERE b IS NOT NULL``."""
    return _CLAUSE_OF.get(loss.kind, "{}").format(loss.sql)


# A DELETE's own clauses at the top level: its WHERE, and what ends it.
_DELETE = re.compile(r"\bDELETE\b", re.IGNORECASE)
_DELETE_CLAUSE = re.compile(r"\b(?:(?P<where>WHERE)|RETURNING|ORDER\s+BY|LIMIT)\b|;", re.IGNORECASE)


@lru_cache(maxsize=256)
def deleted_rows(statement: str, verb: str) -> tuple[RowLoss, ...]:
    """The rows a data change deletes for good: ``TRUNCATE`` and ``DELETE`` without
    ``WHERE`` all of them (``deleted_all``), ``DELETE ... WHERE c`` those where ``c`` holds
    (``deleted_where``); nothing for the other verbs. Dialect-neutral: the verb is the
    reader's, the condition the statement's text as written."""
    if re.fullmatch("TRUNCATE", verb, re.IGNORECASE):
        return (RowLoss("deleted_all"),)
    if not re.fullmatch("DELETE", verb, re.IGNORECASE):
        return ()
    masked, depth = mask_sql(statement)
    # the DELETE itself, not one inside a WITH's sub-statement or a trigger-like body
    start = next((m.end() for m in _DELETE.finditer(masked) if depth[m.start()] == 0), None)
    if start is None:
        return (RowLoss("deleted_all"),)
    ends = [m for m in _DELETE_CLAUSE.finditer(masked, start) if depth[m.start()] == 0]
    where = next((i for i, m in enumerate(ends) if m["where"]), None)
    if where is None:
        return (RowLoss("deleted_all"),)
    stop = ends[where + 1].start() if where + 1 < len(ends) else len(statement)
    return (RowLoss("deleted_where", _flat(statement[ends[where].end() : stop]).strip()),)


def _conflicts(verb: str, conflict: str | None) -> list[RowLoss]:
    """``OR IGNORE`` skips a row that breaks a constraint, ``OR REPLACE`` (and ``REPLACE
    INTO``) deletes the row it conflicts with; ABORT, FAIL and ROLLBACK stop the migration."""
    if conflict is None:
        conflict = verb  # REPLACE INTO is INSERT OR REPLACE INTO
    if re.fullmatch("IGNORE", conflict, re.IGNORECASE):
        return [RowLoss("or_ignore")]
    if re.fullmatch("REPLACE", conflict, re.IGNORECASE):
        return [RowLoss("or_replace")]
    return []


def _from_losses(raw: str, masked: str, depth: list[int]) -> list[RowLoss]:
    """A join that needs a partner row (inner, cross, right, or a list of tables) may drop
    rows, a ``LEFT`` or ``FULL`` one keeps them; a sub-select in ``FROM`` is not read."""
    found = []
    if re.search(r"\bSELECT\b", masked, re.IGNORECASE):
        found.append(RowLoss("unread"))
    joins = [m for m in _JOIN.finditer(masked) if depth[m.start()] == 0]
    for position, join in enumerate(joins):
        stop = joins[position + 1].start() if position + 1 < len(joins) else len(masked)
        if _KEEPS_ALL.search(join["words"] or ""):
            continue
        clause = _flat(raw[join.start() : stop]).rstrip(";").strip()  # ", u" stays a list
        found.append(RowLoss("join", clause))
    return found


def _aggregates(select_list: str, depth: list[int]) -> bool:
    """An aggregate call at the top of the select list folds rows together (``min`` and
    ``max`` with several arguments, and window functions, do not)."""
    for call in _AGGREGATE.finditer(select_list):
        if depth[call.start()] != 0:
            continue
        close = _closing(depth, call.end())
        if _OVER.match(select_list, close + 1):
            continue
        inner = [c for i, c in enumerate(select_list[call.end() : close], call.end())
                 if c == "," and depth[i] == 1]  # fmt: skip
        if call["scalar_too"] and inner:
            continue
        return True
    return False


def _closing(depth: list[int], start: int) -> int:
    """The position of the parenthesis that closes the one just before ``start``."""
    for position in range(start, len(depth)):
        if depth[position] == 0:
            return position
    return len(depth)


def _selects_from(masked: str) -> bool:
    return re.search(r"\bSELECT\b[\s\S]*\bFROM\b", masked, re.IGNORECASE) is not None


def _flat(text: str) -> str:
    """A clause as a page shows it: on one line, its comments gone (a comment is space to
    SQL: ``b = 2 /* x */ AND a`` is ``b = 2 AND a``; a ``-- note`` after it is no part of it)."""
    return " ".join(without_comments(text).split())


def without_comments(text: str) -> str:
    """``text`` with each comment (``--`` to the line's end, ``/* */``) made one space;
    strings and quoted names keep what looks like one (read by ``mask_sql``)."""
    spans: list[tuple[int, int]] = []
    mask_sql(text, spans)
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += (text[last:start], " ")
        last = end
    return "".join((*parts, text[last:]))


def _in_a_name(statement: str, position: int) -> bool:
    """Whether the character before ``position`` belongs to a name (or number), so that a
    ``$`` there continues it (PostgreSQL: ``a$b`` is one identifier, and a dollar quote
    after a name must be set apart by space)."""
    return position > 0 and (statement[position - 1].isalnum() or statement[position - 1] in "_$")


def mask_sql(
    statement: str, comments: list[tuple[int, int]] | None = None
) -> tuple[str, list[int]]:
    """The statement with strings, quoted names and comments blanked (same length), and the
    parenthesis depth at each character (a ``)`` counts at the depth it closes to); each
    comment's ``[start, end)`` is added to ``comments`` where that is given. Strings are
    SQLite's and PostgreSQL's: ``'...'`` and PostgreSQL's dollar quotes ``$$...$$``,
    ``$tag$...$tag$`` (PostgreSQL's documentation, 4.1.2.4; a ``$`` that opens no such
    quote, as in SQLite's ``$name`` parameters, is an ordinary character)."""
    chars, depth, level, position = list(statement), [], 0, 0
    ends = {"'": "'", '"': '"', "`": "`", "[": "]"}
    while position < len(statement):
        char = statement[position]
        dollar = None
        if char == "$" and not _in_a_name(statement, position):
            dollar = _DOLLAR_QUOTE.match(statement, position)
        if dollar is not None:  # PostgreSQL's $tag$ ... $tag$: a string to its closing tag
            close = statement.find(dollar[0], dollar.end())
            close = len(statement) if close < 0 else close  # unclosed: a string to the end
            for inside in range(dollar.end(), close):
                chars[inside] = " "
            end = min(close + len(dollar[0]), len(statement)) - 1
            depth.extend([level] * (end + 1 - position))
            position = end + 1
            continue
        if char in ends or statement.startswith(("--", "/*"), position):
            if char in ends:
                end = statement.find(ends[char], position + 1)
            elif char == "-":
                end = statement.find("\n", position)
            else:
                end = statement.find("*/", position + 2) + 1
            end = len(statement) - 1 if end <= 0 else end
            for inside in range(position + 1, end):
                chars[inside] = " "
            if char not in ends:
                chars[position] = chars[end] = " "
                if comments is not None:
                    comments.append((position, end + 1))
            depth.extend([level] * (end + 1 - position))
            position = end + 1
            continue
        if char == "(":
            depth.append(level)
            level += 1
        elif char == ")":
            level = max(level - 1, 0)
            depth.append(level)
        else:
            depth.append(level)
        position += 1
    return "".join(chars), depth
