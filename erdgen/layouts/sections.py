"""Files with up and down sections in one file: dbmate and goose (LAYOUTS.md §2.6, §2.7).

Only the up sections are SQL to apply; every other line, the markers included, is
masked (blanked), so that ``file:line`` stays the file's own (§3.6).

dbmate (``pkg/dbmate/migration.go``): only blank or comment lines before the first
``-- migrate:up``; each up needs a later ``-- migrate:down``; ``transaction:false`` after
the up marker. goose (``internal/sqlparser/parser.go``): ``-- +goose Up`` required, only
comments before it; ``-- +goose NO TRANSACTION`` anywhere; annotation names are
case-insensitive; ``StatementBegin``/``StatementEnd`` wrap one statement.
"""

from __future__ import annotations

import re

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.base import (
    Entry,
    Folder,
    Found,
    Source,
    load,
    mask,
    numbered_entry,
    reject_duplicates,
)
from erdgen.model import Transaction

DBMATE_MARKER = re.compile(r"^--\s*migrate:(up|down)(\s.*)?$")
GOOSE_MARKER = re.compile(r"^--\s*\+goose\s+(.*?)\s*$", re.IGNORECASE)
_DBMATE_NAME = re.compile(r"^(\d+).*\.sql$")
_GOOSE_NAME = re.compile(r"^(\d+)_(.*)\.sql$", re.IGNORECASE)
_GOOSE_GO = re.compile(r"^\d+_.*(?<!_test)\.go$")  # Go migrations share the version sequence
_GOOSE_ANNOTATIONS = {
    "up",
    "down",
    "statementbegin",
    "statementend",
    "no transaction",
    "envsub on",
    "envsub off",
}


def _only_comments(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("--")


def dbmate_up(source: Source, shown: str) -> str:
    """The up sections of a dbmate file, masked; DiscoveryError like dbmate's parser."""
    lines = source.text.split("\n")
    keep, state, opened = [False] * len(lines), "before", 0
    for number, line in enumerate(lines):
        marker = DBMATE_MARKER.match(line)
        if marker is not None:
            state = marker.group(1)
            opened = number if state == "up" else opened
            continue
        if state == "before" and not _only_comments(line):
            raise DiscoveryError(
                "statement before the first '-- migrate:up' (dbmate refuses this file)",
                Location(shown, number + 1),
                line,
            )
        keep[number] = state == "up"
    if state == "before":
        raise DiscoveryError(
            "no '-- migrate:up' section: dbmate refuses this file", Location(shown)
        )
    if state == "up":
        raise DiscoveryError(
            "'-- migrate:up' without a later '-- migrate:down' (dbmate refuses this file)",
            Location(shown, opened + 1),
        )
    return mask(source.text, keep)


def dbmate_transaction(text: str) -> Transaction:
    for line in text.split("\n"):
        marker = DBMATE_MARKER.match(line)
        if marker and marker.group(1) == "up" and "transaction:false" in (marker.group(2) or ""):
            return Transaction.NONE
    return Transaction.FILE


def collect_dbmate(folder: Folder) -> Found:
    """Files ``^(\\d+).*\\.sql$`` in file-name order; id = the leading digits."""
    found = Found()
    for path in folder.files():
        match = _DBMATE_NAME.match(path.name)
        if match is None:
            continue
        version = match.group(1)
        name = path.stem[len(version) :].lstrip("_-")
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        entry = Entry(path, version, (path.name,), name, transaction=dbmate_transaction(text))
        found.migrations.append(load(folder, entry, up=dbmate_up))
    reject_duplicates(found.migrations)
    return found


def goose_up(source: Source, shown: str) -> str:
    """The Up part of a goose file, masked; DiscoveryError like goose's parser."""
    lines = source.text.split("\n")
    keep, state = [False] * len(lines), "before"
    for number, line in enumerate(lines):
        marker = GOOSE_MARKER.match(line)
        if marker is not None:
            annotation = " ".join(marker.group(1).lower().split())
            if annotation not in _GOOSE_ANNOTATIONS:
                raise DiscoveryError(
                    f"unknown goose annotation '{marker.group(1)}'", Location(shown, number + 1)
                )
            state = annotation if annotation in ("up", "down") else state
            continue
        if state == "before" and not _only_comments(line):
            raise DiscoveryError(
                "statement before '-- +goose Up' (goose refuses this file)",
                Location(shown, number + 1),
                line,
            )
        keep[number] = state == "up"
    if state == "before":
        raise DiscoveryError(
            "no '-- +goose Up' annotation: goose refuses this file", Location(shown)
        )
    return mask(source.text, keep)


def goose_transaction(text: str) -> Transaction:
    for line in text.split("\n"):
        marker = GOOSE_MARKER.match(line)
        if marker and " ".join(marker.group(1).lower().split()) == "no transaction":
            return Transaction.NONE
    return Transaction.FILE


def collect_goose(folder: Folder) -> Found:
    """``<int64>_<name>.sql`` in numeric order; duplicates are an error (goose's Provider)."""
    found = Found()
    go_versions = [p.name for p in sorted(folder.path.glob("*.go")) if _GOOSE_GO.match(p.name)]
    for path in folder.files():
        match = _GOOSE_NAME.match(path.name)
        if match is None or int(match.group(1)) < 1:
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        transaction = goose_transaction(text)
        entry = numbered_entry(path, match.group(1), match.group(2), transaction)
        found.migrations.append(load(folder, entry, up=goose_up))
    found.migrations.sort(key=lambda m: m.sort_key)
    reject_duplicates(found.migrations)
    if go_versions:
        found.warn(
            folder.shown(folder.path),
            f"{', '.join(go_versions)}: Go migrations are code; the schema after them may be "
            "incomplete",
        )
    return found
