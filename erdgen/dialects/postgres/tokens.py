"""The tokens of one PostgreSQL statement, following the server's lexer (scan.l).

Unquoted identifiers and key words are folded to lower case, as PostgreSQL folds them;
quoted identifiers keep their case. Strings carry their value with the quoting undone
(``''`` and, in ``E'...'``, backslash escapes), dollar-quoted bodies their text.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

TokenKind = Literal["word", "quoted", "string", "number", "param", "op", "punct"]


class Token(NamedTuple):
    """A named tuple: made about 120,000 times for 2,000 migrations, where a frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` per field) cost a third of the
    tokenizer's time."""

    kind: TokenKind
    text: str  # as written
    value: str  # words: lower-case; quoted names and strings: unquoted; others: as written
    start: int  # offset in the statement

    def is_(self, *words: str) -> bool:
        """An unquoted word among ``words`` (given in lower case)."""
        return self.kind == "word" and self.value in words


def source_text(tokens: list[Token]) -> str:
    """The tokens as written, with one space where white space or a comment stood
    between two of them: ``lower(email)``, not ``lower ( email )``."""
    parts: list[str] = []
    end = -1
    for token in tokens:
        if parts and token.start != end:
            parts.append(" ")
        parts.append(token.text)
        end = token.start + len(token.text)
    return "".join(parts)


# Each match takes the white space and -- comments before its token along (one match per
# token, not two); at the end of the text only they match, and no group does. Words come
# first, as most tokens are words (the engine tries the alternatives in order): the
# look-ahead leaves a prefixed string or quoted name (E'', B'', U&"") to its alternative
# below; a "." before a digit begins a number.
_TOKEN = re.compile(
    r"(?:\s+|--[^\n]*)*"
    r"(?:(?P<word>(?![eE]'(?:[^'\\]|\\.|'')*'|(?:[bBxXnN]|[uU]&)'(?:[^']|'')*'"
    r"|[uU]&\"(?:[^\"]|\"\")*\")"
    r"[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9$\x80-\U0010ffff]*)"
    r"|(?P<punct>::|[(),;\[\]]|\.(?!\d))"
    r"|(?P<block>/\*)"
    r"|(?P<escape>[eE]'(?:[^'\\]|\\.|'')*')"
    r"|(?P<string>(?:[bBxXnN]|[uU]&)?'(?:[^']|'')*')"
    r"|(?P<quoted>(?:[uU]&)?\"(?:[^\"]|\"\")*\")"
    r"|(?P<dollar>\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*)?\$)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<param>\$\d+)"
    r"|(?P<op>[+\-*/<>=~!@#%^&|`?:]+))?",
    re.DOTALL,
)
_COMMENT_MARK = re.compile(r"/\*|\*/")
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class TokenizeError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; ``TokenizeError`` on a character PostgreSQL cannot read."""
    tokens: list[Token] = []
    position, length = 0, len(text)
    while position < length:
        match = _TOKEN.match(text, position)  # always matches, if only the empty string
        kind = match.lastgroup  # type: ignore[union-attr]
        position = match.end()  # type: ignore[union-attr]
        if kind is None:
            if position < length:
                raise TokenizeError(f"unexpected character {text[position]!r}", position)
            break
        start = match.start(kind)  # type: ignore[union-attr]
        found = text[start:position]
        if kind == "word":  # most tokens: made here, not in _token
            value = found.lower()
            if len(value) > 15:
                value = truncate_identifier(value)
            tokens.append(_new(Token, ("word", found, value, start)))
        elif kind == "punct":  # most of the rest
            tokens.append(_new(Token, ("punct", found, found, start)))
        elif kind == "block":
            position = _skip_comment(text, start)
        elif kind == "dollar":
            close = text.find(found, position)
            if close < 0:
                raise TokenizeError(f"unterminated dollar-quoted string {found}", start)
            body = text[position:close]
            position = close + len(found)
            tokens.append(Token("string", text[start:position], body, start))
        else:
            tokens.append(_token(kind, found, start))
    return tokens


_new = tuple.__new__  # a Token without the Python-level ``__new__`` of named tuples


def _token(kind: str, found: str, start: int) -> Token:
    if kind == "quoted":
        body = found[found.index('"') + 1 : -1]
        return Token("quoted", found, truncate_identifier(body.replace('""', '"')), start)
    if kind == "string":
        body = found[found.index("'") + 1 : -1]
        return Token("string", found, body.replace("''", "'"), start)
    if kind == "escape":
        return Token("string", found, _unescape(found[2:-1]), start)
    if kind in ("number", "param"):
        return Token("number" if kind == "number" else "param", found, found, start)
    return Token("op", found, found, start)


def truncate_identifier(name: str) -> str:
    """Identifiers longer than 63 bytes are cut to 63 (whole characters), as the server's
    lexer does with a NOTICE (``truncate_identifier`` in scansup.c)."""
    if len(name) <= 15 or len(name.encode("utf-8")) <= 63:
        return name
    while len(name.encode("utf-8")) > 63:
        name = name[:-1]
    return name


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        escaped = match[0]
        if escaped == "''":
            return "'"
        return _ESCAPES.get(escaped[1], escaped[1])

    return re.sub(r"''|\\.", one, body, flags=re.DOTALL)


def _skip_comment(text: str, start: int) -> int:
    depth = 0
    for mark in _COMMENT_MARK.finditer(text, start):
        depth += 1 if mark[0] == "/*" else -1
        if depth == 0:
            return mark.end()
    raise TokenizeError("unterminated /* comment", start)
