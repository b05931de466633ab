"""SQL text as SQLite keeps it, normalised for comparison (tokens from lexer.py).

Two statements that differ only in layout and comments normalise to the same text;
this is how the engine's stored SQL (``sqlite_schema.sql``) is compared with the model's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from msgspec import Struct

from erdgen.dialects.sqlite.lexer import TOKEN, unquote
from erdgen.model.names import ascii_fold

_TIGHT = frozenset("(),;")  # no space is needed around these when comparing SQL text


def _tokens(sql: str) -> Iterator[re.Match[str]]:
    return TOKEN.finditer(sql)


_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def normalise_sql(sql: str) -> str:
    """SQL text with comments dropped, whitespace collapsed and a final ``;`` removed.

    Two statements that differ only in layout normalise to the same text. Strings are kept
    exactly; a quoted identifier that needs no quotes loses them, because SQLite quotes
    the names it rewrites (``ALTER TABLE ... RENAME`` turns ``FROM t`` into ``FROM "u"``).
    """
    parts: list[str] = []
    pending_space = False
    for token in _tokens(sql):
        kind = token.lastgroup
        if kind in ("space", "comment"):
            pending_space = True
            continue
        text = _unquoted(token.group()) if kind == "quoted" else token.group()
        if pending_space and parts and text not in _TIGHT and parts[-1] not in _TIGHT:
            parts.append(" ")
        parts.append(text)
        pending_space = False
    return "".join(parts).rstrip(";").rstrip()


def _unquoted(token: str) -> str:
    if token[0] in '"`[' and _PLAIN_IDENTIFIER.fullmatch(token[1:-1]):
        return token[1:-1]
    return token


class IndexParts(Struct, frozen=True):
    """The key expressions and the WHERE condition of a CREATE INDEX statement."""

    keys: tuple[str, ...]  # each key as written, without COLLATE / ASC / DESC
    where: str | None


_SEPARATOR = r"""(?:\s+|(?<=[)\]"`']))"""  # space, or none after a closing bracket/quote
_COLLATION_NAME = r"""(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|'(?:[^']|'')*'|\w+)"""
_KEY_SUFFIX = re.compile(
    rf"(?:{_SEPARATOR}COLLATE\s+{_COLLATION_NAME})?(?:{_SEPARATOR}(?:ASC|DESC))?\s*$",
    re.IGNORECASE,
)


def index_parts(sql: str) -> IndexParts:
    """Split ``CREATE INDEX name ON table (key, ...) [WHERE cond]`` into keys and condition."""
    depth, key_start = 0, -1
    keys: list[str] = []
    for token in _tokens(sql):
        text = token.group()
        if text == "(":
            depth += 1
            key_start = token.end() if depth == 1 else key_start
        elif text == ")":
            depth -= 1
            if depth == 0:
                keys.append(_index_key(sql[key_start : token.start()]))
                return IndexParts(tuple(keys), _where(sql[token.end() :]))
        elif text == "," and depth == 1:
            keys.append(_index_key(sql[key_start : token.start()]))
            key_start = token.end()
    return IndexParts((), None)


def _index_key(text: str) -> str:
    return _KEY_SUFFIX.sub("", normalise_sql(text))


def _where(text: str) -> str | None:
    rest = normalise_sql(text)
    if rest[:5].upper() != "WHERE":
        return None
    return rest[5:].strip() or None


_CREATE_PREFIX = re.compile(
    r"^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(VIEW|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?",
    re.IGNORECASE,
)


def definition(sql: str) -> str:
    """A view's or trigger's SQL as SQLite keeps it, normalised for comparison.

    SQLite stores ``CREATE VIEW`` / ``CREATE TRIGGER`` followed by the text from the
    name on (``IF NOT EXISTS`` and the keywords' spelling are not kept).
    """
    match = _CREATE_PREFIX.match(sql)
    if match is None:
        return normalise_sql(sql)
    return f"CREATE {match.group(1).upper()} " + normalise_sql(sql[match.end() :])


def same_definition(a: str, b: str) -> bool:
    """Whether two ``CREATE VIEW`` / ``CREATE TRIGGER`` statements define the same object
    as SQLite reads them: alike but for space, comments, ``IF NOT EXISTS``, quotes that a
    name does not need, and the case of keywords and names (ASCII A-Z, which SQLite folds;
    strings keep theirs). A view's result columns must also get the same names
    (``result_names``): SQLite names a column without an alias by its text as written."""
    return _folded(definition(a)) == _folded(definition(b)) and result_names(a) == result_names(b)


# Words that end a SELECT's result columns at the top level.
_AFTER_RESULTS = frozenset(
    {"FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION", "EXCEPT"}
    | {"INTERSECT"}
)
# Words after which a name is part of the expression, not an alias (``x COLLATE nocase``).
_NO_ALIAS_AFTER = frozenset({"COLLATE", "IS", "NOT", "AND", "OR", "ESCAPE", "ELSE", "THEN", "."})
# Words that end an expression and are no alias (``CASE ... END``, ``x IS NULL``).
_NOT_AN_ALIAS = frozenset(
    {"END", "NULL", "TRUE", "FALSE", "ISNULL", "NOTNULL"}
    | {"CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"}
)


def result_names(sql: str) -> tuple[str, ...] | None:
    """What names a view's result columns, for comparing two definitions: an alias or a
    column reference by its name (folded: SQLite compares names without ASCII case, and
    names a bare column by the table's spelling), any other expression by its text as
    written, space and all (``a+1`` and ``a + 1`` name two columns). None for a statement
    that is not ``CREATE VIEW ... AS SELECT`` or whose view lists its column names (then
    the names do not depend on the text). Source: ``sqlite3ColumnsFromExprList`` in
    SQLite's select.c (the ``zEName`` span of an expression without ``AS``)."""
    significant = [t for t in _tokens(sql) if t.lastgroup not in ("space", "comment")]
    words = [t.group().upper() if t.lastgroup == "word" else t.group() for t in significant]
    if "VIEW" not in words[:4] or "AS" not in words:
        return None
    start = words.index("AS")
    if "(" in words[words.index("VIEW") : start]:  # CREATE VIEW v(a, b) AS ...
        return None
    select = _top_level_select(words, start + 1)
    if select is None:
        return None
    items: list[list[re.Match[str]]] = [[]]
    depth = 0
    for token, word in zip(significant[select + 1 :], words[select + 1 :], strict=True):
        depth += (word == "(") - (word == ")")
        if depth == 0 and (word in _AFTER_RESULTS or word == ";"):
            break
        if depth == 0 and word == ",":
            items.append([])
        elif items[-1] or word not in ("DISTINCT", "ALL"):
            items[-1].append(token)
    return tuple(_result_name(sql, item) for item in items)


def _top_level_select(words: list[str], position: int) -> int | None:
    """The index of the first SELECT at depth 0 from ``position``, where the statement goes
    on with SELECT or WITH (common table expressions first); None otherwise (VALUES)."""
    if position >= len(words) or words[position] not in ("SELECT", "WITH"):
        return None
    depth = 0
    for index in range(position, len(words)):
        depth += (words[index] == "(") - (words[index] == ")")
        if depth == 0 and words[index] == "SELECT":
            return index
    return None


def _result_name(sql: str, item: list[re.Match[str]]) -> str:
    if not item:
        return ""
    texts = [token.group() for token in item]
    last, before = item[-1], texts[-2].upper() if len(item) >= 2 else ""
    named = last.lastgroup == "quoted" or (
        last.lastgroup == "word" and texts[-1].upper() not in _NOT_AN_ALIAS
    )
    follows_a_value = len(item) >= 2 and (
        before == ")" or item[-2].lastgroup in ("word", "quoted", "string", "number")
    )
    if named and (before == "AS" or (before not in _NO_ALIAS_AFTER and follows_a_value)):
        return ascii_fold(unquote(texts[-1]))  # expr AS name, expr name
    if named and len(texts) % 2 == 1 and all(text == "." for text in texts[1::2]):
        return ascii_fold(unquote(texts[-1]))  # a, t.a, main.t.a
    if texts[-1] == "*":
        return ascii_fold("".join(texts))
    # as written but for ASCII case, which SQLite ignores when it compares names
    return ascii_fold(sql[item[0].start() : last.end()])


def _folded(text: str) -> tuple[str, ...]:
    """The tokens of normalised SQL without the spaces between them (``c>0`` is ``c > 0``),
    keywords and bare names folded."""
    return tuple(
        ascii_fold(token.group()) if token.lastgroup == "word" else token.group()
        for token in _tokens(text)
        if token.lastgroup != "space"
    )
