"""When two names are one name: the identifier rules a dialect chooses from."""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct

_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def ascii_fold(name: str) -> str:
    """``name`` with A-Z lowered and every other character kept (``"Äpfel"`` stays)."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


def exact(name: str) -> str:
    return name


def _same_ascii_fold(a: str, b: str) -> bool:
    """``ascii_fold(a) == ascii_fold(b)``, fast: folding keeps the length, and ASCII text
    folds with ``str.lower`` (the renderers ask this millions of times)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    if a.isascii() and b.isascii():
        return a.lower() == b.lower()
    return a.translate(_ASCII_LOWER) == b.translate(_ASCII_LOWER)


def _same_exact(a: str, b: str) -> bool:
    return a == b


class IdentifierRule(Struct, frozen=True):
    """When two names denote the same object, as a dialect decides it.

    ``key(a) == key(b)`` exactly when the engine takes ``a`` and ``b`` for the same name.
    The dialect that reads the migrations chooses the rule (``erdgen.dialects``); the
    model and the renderers only apply it.
    """

    name: str  # "ascii-fold", "exact"
    key: Callable[[str], str]
    same: Callable[[str, str], bool]  # key(a) == key(b), perhaps faster


# SQLite folds ASCII A-Z only: "Äpfel" and "äpfel" are two tables (sqlite3.c, sqlite3StrICmp
# through sqlite3UpperToLower, which maps only ASCII letters).
ASCII_FOLD = IdentifierRule("ascii-fold", ascii_fold, _same_ascii_fold)
# Names that the dialect has already folded as it read them (PostgreSQL's unquoted names).
EXACT = IdentifierRule("exact", exact, _same_exact)


# A model built without a dialect (tests, hand-made schemas) follows SQLite's rule.
DEFAULT_RULE = ASCII_FOLD
