"""Which characters make up a bare name: erdgen's lexer against SQLite's tokenizer."""

from __future__ import annotations

import re
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from erdgen.dialects.sqlite.lexer import NAME_CHARACTER, tokens

EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_a_name_character_is_a_letter_a_digit_underscore_dollar_or_beyond_ascii() -> None:
    """The written-out complement equals SQLite's rule as tokenize.c states it, over every
    character (``IdChar``: ``sqlite3CtypeMap`` bit 0x46, and every byte >= 0x80)."""
    rule = re.compile(r"[A-Za-z0-9_$\x80-\U0010ffff]")
    assert re.findall(NAME_CHARACTER, EVERY_CHARACTER) == rule.findall(EVERY_CHARACTER)


@given(st.characters(exclude_categories=["Cs"]))
def test_sqlite_reads_a_name_with_the_character_in_it_as_erdgen_does(character: str) -> None:
    """SQLite names the column ``a<c>b`` exactly when erdgen's lexer reads ``a<c>b`` as
    one word (otherwise SQLite sees two tokens, or rejects the statement)."""
    name = f"a{character}b"
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(f"CREATE TABLE t ({name} INT)")
        columns = [row[1] for row in connection.execute("PRAGMA table_info(t)")]
    except sqlite3.Error:
        columns = []
    lexed = [(token.kind, token.text) for token in tokens(name)]
    assert (columns == [name]) == (lexed == [("word", name)])
