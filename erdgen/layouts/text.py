"""A migration file's bytes as SQL text, or an error that says where and what is wrong.

Migrations are UTF-8 (a UTF-8 byte-order mark is dropped). What cannot be SQL text is
refused with its place: a NUL byte (SQLite would stop reading the statement there, and
Python's sqlite3 refuses the string outright), invalid UTF-8, UTF-16 (with or without
a byte-order mark) and binary files that carry a ``.sql`` name.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from erdgen.errors import DiscoveryError, Location

_UTF16_MARKS = {codecs.BOM_UTF16_LE: "FF FE", codecs.BOM_UTF16_BE: "FE FF"}
_SAMPLE = 512  # bytes looked at to tell UTF-16 and binary data from text with a stray byte
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")


def decode_migration(raw: bytes, path: str) -> str:
    """The text of a migration file (``\\r\\n`` kept; the caller normalises line ends).

    Raises ``DiscoveryError`` at ``path:line:column`` of the first offending byte."""
    for mark, shown in _UTF16_MARKS.items():
        if raw.startswith(mark):
            raise DiscoveryError(
                f"the file is UTF-16 text (byte-order mark {shown}); migrations are read as "
                "UTF-8: save it as UTF-8",
                Location(path, 1, 1),
            )
    if b"\x00" in raw:
        position = raw.index(b"\x00")
        raise DiscoveryError(_nul_message(raw, position), _location(raw, position, path))
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        position = error.start + len(raw) - len(body)
        what = "binary data, not SQL text" if _binary(raw) else "invalid UTF-8"
        raise DiscoveryError(
            f"{what}: byte 0x{raw[position]:02X} is not UTF-8; migrations are read as UTF-8",
            _location(raw, position, path),
        ) from None


def _nul_message(raw: bytes, position: int) -> str:
    sample = raw[:_SAMPLE]
    odd_nuls = _mostly(sample[1::2], _is_nul) and _mostly(sample[0::2], _is_text)
    even_nuls = _mostly(sample[0::2], _is_nul) and _mostly(sample[1::2], _is_text)
    if len(sample) >= 4 and (odd_nuls or even_nuls):
        order = "little-endian" if odd_nuls else "big-endian"
        return (
            f"the file looks like UTF-16 text ({order}, no byte-order mark); migrations are "
            "read as UTF-8: save it as UTF-8"
        )
    if _binary(raw):
        return "binary data, not SQL text (a NUL byte)"
    return "a NUL byte (0x00) in the text: SQLite would stop reading the statement there"


def _mostly(half: bytes, test: Callable[[int], bool]) -> bool:
    return sum(1 for byte in half if test(byte)) >= len(half) * 0.9


def _is_nul(byte: int) -> bool:
    return byte == 0


def _is_text(byte: int) -> bool:
    return 0x20 <= byte < 0x7F or byte in _TEXT_CONTROLS


def _binary(raw: bytes) -> bool:
    """Many control bytes in the first few hundred: not a text file with one bad byte."""
    sample = raw[:_SAMPLE]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls * 10 > len(sample)


def _location(raw: bytes, position: int, path: str) -> Location:
    """Line and column (in characters, 1-based) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, position) + 1
    before = raw[line_start:position].decode("utf-8", errors="replace")
    if raw.startswith(codecs.BOM_UTF8) and line_start == 0:
        before = before[1:]
    return Location(path, raw.count(b"\n", 0, position) + 1, len(before) + 1)
