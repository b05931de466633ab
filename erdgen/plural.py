"""Counts in words for the messages erdgen prints ("1 table", "2 tables", "0 tables"); the
pages count through the catalogs' plural forms (``render/catalog.py``)."""

from __future__ import annotations


def counted(number: int, one: str, many: str | None = None) -> str:
    """``number`` with the noun in the form it takes: ``many`` defaults to ``one`` + "s"."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
