"""drizzle's journal format (v0, LAYOUTS.md §2.4; drizzle-orm ``migrator.ts``).

``meta/_journal.json`` lists ``entries[].tag``; each is ``<tag>.sql`` beside ``meta/``.
A ``.sql`` file not in the journal never runs. The migrator runs every pending file in
one transaction, statement by statement at ``--> statement-breakpoint`` (a comment, so
SQLite's own split gives the same statements); it records the SHA-256 of each file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.base import Entry, Folder, Found, load
from erdgen.model import Transaction

JOURNAL = "meta/_journal.json"


def read_journal(folder: Folder) -> list[dict[str, Any]]:
    """The journal's entries in order; DiscoveryError when it is not a drizzle journal."""
    path = folder.path / JOURNAL
    shown = folder.shown(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DiscoveryError(f"cannot read the drizzle journal: {error}", Location(shown)) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("tag"), str) for e in entries
    ):
        raise DiscoveryError("drizzle journal without a list of entries with tags", Location(shown))
    return entries


def journal_dialect(folder: Folder) -> str:
    try:
        data = json.loads((folder.path / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("dialect", "")) if isinstance(data, dict) else ""


def collect_drizzle(folder: Folder) -> Found:
    found = Found(dialect=journal_dialect(folder))
    entries = read_journal(folder)
    numbers = Counter(e["tag"].split("_", 1)[0] for e in entries)
    for position, item in enumerate(entries):
        tag: str = item["tag"]
        path = folder.path / f"{tag}.sql"
        if not path.is_file():
            raise DiscoveryError(
                f"the drizzle journal lists {tag} but {tag}.sql is missing",
                Location(folder.shown(folder.path / JOURNAL)),
            )
        number, _, name = tag.partition("_")
        label = number if numbers[number] == 1 and number.isdigit() else tag
        when = item.get("when")
        entry = Entry(
            path,
            tag,
            (position,),
            name,
            label=label,
            transaction=Transaction.SHARED,
            time=str(when) if isinstance(when, int) else "",
        )
        found.migrations.append(load(folder, entry, checksum=_sha256))
    listed = {f"{e['tag']}.sql" for e in entries}
    for path in folder.files():
        if path.name not in listed:
            found.warn(folder.shown(path), "not in meta/_journal.json: drizzle will not run this")
    _warn_on_time_order(found, entries, folder)
    return found


def _warn_on_time_order(found: Found, entries: list[dict[str, Any]], folder: Folder) -> None:
    newest = -1
    for item in entries:
        when = item.get("when")
        if isinstance(when, int):
            if when < newest:
                found.warn(
                    folder.shown(folder.path / f"{item['tag']}.sql"),
                    "journal time is older than an earlier entry's: drizzle skips it on "
                    "databases that applied the later one",
                )
            newest = max(newest, when)


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
