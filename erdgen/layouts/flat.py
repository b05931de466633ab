"""Flat numbered folders applied by Cloudflare wrangler D1's rules, and authelia's names.

wrangler (LAYOUTS.md §2.1, workers-sdk ``d1/migrations/helpers.ts``): every ``*.sql``
in the folder (or what ``migrations_pattern`` matches), ordered per path segment by
``parseInt(segment.split("_")[0], 10)`` and then by the path as a string; unnumbered
files last. Numbers may repeat or skip: the key ``d1_migrations.name`` records is the
path relative to the folder. A folder without a tool's marker whose files all start with
a number follows the same rules (§3.2 rule 5).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from erdgen.layouts.base import Entry, Folder, Found, leading_int, load, reject_duplicates

_NAME = re.compile(r"^(?P<number>\d+)?[_-]?(?P<name>.*?)(?:\.up)?\.sql$", re.IGNORECASE)
_UNNUMBERED = 10**40  # parseInt gives NaN: wrangler sorts those last


def wrangler_sort_key(relative: str) -> tuple[int | str, ...]:
    """(leading integer of each path segment, ..., the path): wrangler's order."""
    numbers = [leading_int(segment.split("_")[0]) for segment in relative.split("/")]
    return (*(_UNNUMBERED if n is None else n for n in numbers), relative)


def wrangler_files(folder: Folder) -> list[Path]:
    """What wrangler applies: ``*.sql`` in the folder, or the config's pattern."""
    if folder.pattern:
        matched = (p for p in folder.path.glob(folder.pattern) if p.is_file())
        return sorted(p for p in matched if not any(s.startswith(".") for s in p.parts))
    return [p for p in folder.files() if p.suffix == ".sql"]  # wrangler's glob: case-sensitive


def collect_wrangler(folder: Folder) -> Found:
    found = Found()
    files = wrangler_files(folder)
    relatives = [folder.inner(p) for p in files]
    numbers = Counter(leading_int(r) for r in relatives)  # "3" and "0003" are one number
    for path, relative in zip(files, relatives, strict=True):
        number = _number(relative)
        unique = number is not None and numbers[leading_int(relative)] == 1
        label = number if unique and number is not None else relative.removesuffix(".sql")
        entry = Entry(path, relative, wrangler_sort_key(relative), _name(path), label=label)
        found.migrations.append(load(folder, entry))
    found.migrations.sort(key=lambda m: m.sort_key)
    return found


def _number(relative: str) -> str | None:
    match = re.match(r"\d+", relative)
    return match.group(0) if match else None


def _name(path: Path) -> str:
    name = path.name if path.name != "migration.sql" else path.parent.name + ".sql"
    match = _NAME.match(name)
    return match.group("name") if match else name


_AUTHELIA = re.compile(r"^V(?P<number>\d{4})\.(?P<name>[^.]+)\.(?P<direction>up|down)\.sql$")


def collect_authelia(folder: Folder) -> Found:
    """authelia's ``V0001.Name.up.sql``: up files in integer order (its storage code)."""
    found = Found()
    for path in folder.files():
        match = _AUTHELIA.match(path.name)
        if match is None or match["direction"] == "down":
            found.listed.append(folder.shown(path))
            continue
        number = match["number"]
        entry = Entry(path, number, (int(number),), match["name"], label=number)
        found.migrations.append(load(folder, entry))
    found.migrations.sort(key=lambda m: m.sort_key)
    reject_duplicates(found.migrations)
    return found
