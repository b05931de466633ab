"""SQLite's identifier rule: names are the same when they match with ASCII A-Z folded.

SQLite compares names with ``sqlite3StrICmp``, which folds through ``sqlite3UpperToLower``:
only the 26 ASCII letters (``"Äpfel"`` and ``"äpfel"`` are two tables). Python's
``str.lower`` folds every letter, and changes some lengths (``"İ".lower()`` has two
characters), so this package compares names only through ``fold`` and ``same_name``.
"""

from __future__ import annotations

from erdgen.model import ASCII_FOLD

NAMES = ASCII_FOLD
fold = ASCII_FOLD.key
same_name = ASCII_FOLD.same
