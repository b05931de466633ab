"""Migration text -> statements with their location, tokens and (on demand) sqlglot AST.

sqlglot's tokenizer reads every statement; its parser is asked only where an
expression tree helps (data statements, views). DDL structure is read from the
tokens following SQLite's grammar, because sqlglot's DDL trees lose what SQLite
keeps (declared type text, ``WITHOUT ROWID``, ``ON CONFLICT``; see ../shared/STACK.md).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import sqlglot
from sqlglot import Token, TokenType, exp
from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Tokenizer

from erdgen.dialects.sqlite.lexer import unquote
from erdgen.dialects.sqlite.split import RawStatement, ScannedFile, scan
from erdgen.errors import Location, MigrationError
from erdgen.model import Migration

_DIALECT = SQLite()
# sqlglot logs a warning for every statement it parses as a generic Command; erdgen
# reports what it does not understand itself, with a location.
logging.getLogger("sqlglot").setLevel(logging.ERROR)
_TOKENIZERS = threading.local()


# SQLite's whitespace is space, tab, newline, form feed and carriage return (tokenize.c,
# CC_SPACE); every character from U+0080 on is part of a name. sqlglot splits names at
# any character Python calls a space (U+00A0, U+2003, ...): those are handed to it as a
# letter of the same length, so that the offsets (and the source text) stay the same.
_NAME_CHARACTER = "\u00aa"
_UNICODE_SPACES = "".join(c for c in map(chr, range(0x80, 0x3100)) if c.isspace())
_AS_NAME_CHARACTERS = str.maketrans(dict.fromkeys(_UNICODE_SPACES, _NAME_CHARACTER))


_SQLITE_SPACE = re.compile(r"[ \t\n\f\r]+")


def tokenize(text: str) -> list[Token]:
    """sqlglot's tokens of ``text``, split where SQLite splits. One tokenizer per thread,
    made once: making one costs as much as tokenizing a short statement, and it keeps
    state while it works."""
    tokenizer: Tokenizer | None = getattr(_TOKENIZERS, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _TOKENIZERS.tokenizer = _DIALECT.tokenizer()
    if not text.isascii():
        text = text.translate(_AS_NAME_CHARACTERS)
    return tokenizer.tokenize(text)


class Word(NamedTuple):
    """One token: its source text, its meaning as a name, and where it is.

    A named tuple rather than a dataclass: a large folder has half a million of them,
    and a tuple is built three times faster."""

    kind: TokenType
    source: str  # exactly as written
    start: int  # offset in the statement text
    end: int  # offset just after the token
    upper: str  # the token as a keyword: upper case, inner whitespace collapsed ("PRIMARY KEY")

    @property
    def name(self) -> str:
        """The token as an identifier, with SQLite's quotes removed."""
        return unquote(self.source)


@dataclass
class Statement:
    """One statement of a migration, ready for the interpreter."""

    migration: Migration
    raw: RawStatement
    scanned: ScannedFile
    words: tuple[Word, ...]
    _tree: exp.Expression | None = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    @property
    def text(self) -> str:
        return self.raw.text

    @property
    def location(self) -> Location:
        return Location(self.migration.path, self.raw.line, self.raw.column)

    def location_of(self, offset: int) -> Location:
        """The file location of an offset inside this statement."""
        line, column = self.scanned.position(self.raw.start + offset)
        return Location(self.migration.path, line, column)

    @cached_property
    def keywords(self) -> tuple[str, ...]:
        return tuple(word.upper for word in self.words)

    def tree(self) -> exp.Expression | None:
        """sqlglot's tree of the statement, or None where sqlglot cannot parse it."""
        if not self._parsed:
            self._parsed = True
            try:
                self._tree = sqlglot.parse_one(  # type: ignore[assignment]
                    self.text, read=_DIALECT, error_level=ErrorLevel.IMMEDIATE
                )
            except (ParseError, TokenError):
                self._tree = None
        return self._tree


def parse_migration(migration: Migration) -> list[Statement]:
    """Split a migration into statements and tokenize each one."""
    scanned = scan(migration.sql)
    return [_statement(migration, scanned, raw) for raw in scanned.statements]


def _statement(migration: Migration, scanned: ScannedFile, raw: RawStatement) -> Statement:
    try:
        tokens = tokenize(raw.text)
    except TokenError as error:
        raise MigrationError(
            f"cannot read this statement: {error}",
            Location(migration.path, raw.line, raw.column),
            raw.text,
        ) from None
    words = tuple(_words(raw.text, tokens, 0))
    return Statement(migration, raw, scanned, words)


def _words(text: str, tokens: list[Token], offset: int) -> list[Word]:
    """Words of the statement. sqlglot's tokenizer swallows the rest of a statement that
    starts with a "command" keyword (``REPLACE``) into one string: tokenize that again."""
    words: list[Word] = []
    for token in tokens:
        kind = token.token_type
        if kind is TokenType.SEMICOLON:
            continue
        start, end = offset + token.start, offset + token.end + 1
        source = text[start:end]
        if kind is TokenType.STRING and not source.startswith(("'", "x'", "X'")):
            rest = text.find(token.text, words[-1].end if words else offset)
            if rest >= 0:
                words.extend(_words(text, tokenize(token.text), rest))
                continue
        upper = source.upper()
        if " " in upper or "\n" in upper or "\t" in upper or "\r" in upper or "\f" in upper:
            # a token of several keywords: "PRIMARY\fKEY"
            upper = _SQLITE_SPACE.sub(" ", upper)
        words.append(Word(kind, source, start, end, upper))
    return words
