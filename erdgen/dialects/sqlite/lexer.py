"""SQLite's lexical rules, written once: what is space, a comment, a string, a name.

From SQLite's tokenizer (tokenize.c, ``sqlite3GetToken``): whitespace is space, tab,
newline, form feed and carriage return only; every character from U+0080 on belongs to
a name; an unterminated comment, string or quoted name runs to the end of the text.
The regular expressions here split SQL text the way SQLite walks it, without sqlglot:
statement splitting, SQL-text normalisation, the CREATE TABLE text splicer and error
positions all use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from msgspec import Struct

SPACE = r"[ \t\n\f\r]+"
COMMENT = r"--[^\n]*|/\*.*?(?:\*/|\Z)"
STRING = r"[xX]?'(?:[^']|'')*(?:'|\Z)"  # a string or a blob literal (x'00ff')
QUOTED = r'"(?:[^"]|"")*(?:"|\Z)|`(?:[^`]|``)*(?:`|\Z)|\[[^\]]*(?:\]|\Z)'  # a quoted name
# A-Z, a-z, 0-9, _, $ and every character from U+0080 on, written as the rest of ASCII
# left out: the same set, but a class with the range U+0080-U+10FFFF costs Python's ``re``
# about 2 ms to compile (it walks the 65,000 characters of the first plane).
NAME_CHARACTER = r"[^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"
NUMBER = (
    r"(?:0[xX][0-9A-Fa-f]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
    rf"{NAME_CHARACTER}*"  # SQLite reads "12ab" as one (unrecognized) token
)
WORD = rf"{NAME_CHARACTER}+"  # a keyword or a bare name
OPERATOR = r"\|\||<<|>>|<=|>=|==|!=|<>|->>|->|[^ \t\n\f\r]"

TOKEN = re.compile(
    rf"(?P<space>{SPACE})|(?P<comment>{COMMENT})|(?P<string>{STRING})|(?P<quoted>{QUOTED})"
    rf"|(?P<number>{NUMBER})|(?P<word>{WORD})|(?P<operator>{OPERATOR})",
    re.DOTALL,
)
# The same without whitespace, which the regular expression engine then skips in C: for
# scanners that look at every token but the spaces (the CREATE TABLE splicer).
NOT_SPACE = re.compile(
    rf"(?P<comment>{COMMENT})|(?P<string>{STRING})|(?P<quoted>{QUOTED})"
    rf"|(?P<number>{NUMBER})|(?P<word>{WORD})|(?P<operator>{OPERATOR})",
    re.DOTALL,
)
# What can hide a ";" from the statement splitter: comments, strings and quoted names.
HIDING = re.compile(rf"{COMMENT}|{STRING}|{QUOTED}|;", re.DOTALL)
# All that may come before a file's first statement.
LEADING = re.compile(rf"(?:{SPACE}|{COMMENT})*", re.DOTALL)


class Token(Struct, frozen=True):
    """One token as SQLite's tokenizer reads it: its kind, its text as written and its offsets
    ``[start, end)`` in the SQL text."""

    kind: str  # space, comment, string, quoted, number, word, operator
    text: str
    start: int
    end: int


def tokens(sql: str) -> Iterator[Token]:
    """Every token of ``sql`` in order, whitespace and comments included."""
    for match in TOKEN.finditer(sql):
        yield Token(match.lastgroup or "operator", match[0], match.start(), match.end())


def significant(sql: str) -> Iterator[Token]:
    """The tokens SQLite's parser sees: no whitespace, no comments."""
    return (t for t in tokens(sql) if t.kind not in ("space", "comment"))


def unquote(text: str) -> str:
    """A name as SQLite reads it: without its quotes ("x", `x`, [x], and 'x' where a name
    may stand), a doubled quote inside as one."""
    if len(text) >= 2 and text[0] in "\"'`" and text[-1] == text[0]:
        return text[1:-1].replace(text[0] * 2, text[0])
    if len(text) >= 2 and text[0] == "[" and text[-1] == "]":
        return text[1:-1]
    return text
