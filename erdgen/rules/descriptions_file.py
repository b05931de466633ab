"""The descriptions-file rule: gaps in ``docs/schema.yml`` that the pages would hide.

A key that names no migration, table or column (a typo) describes nothing and is never
shown; a text in one language only is shown on the other language's pages marked
untranslated; a language key that is not one of the site's languages is never shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from erdgen.descriptions import Entry, sidecar_entries
from erdgen.errors import Location, Severity
from erdgen.model import DEFAULT_RULE, History
from erdgen.rules.registry import Report, Subject, project_rule


@project_rule(
    "descriptions-file", Severity.WARNING,
    "docs/schema.yml: a key that names nothing, or a text in one language only",
    silenceable=False,
)  # fmt: skip
def descriptions_file(subject: Subject) -> Iterator[Report]:
    """One finding per unknown key and per entry with text in some languages only, at the
    line of its key in the descriptions file."""
    config = subject.config
    if config is None:
        return
    try:
        text = config.descriptions_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    shown = config.descriptions_file
    names = _names(subject.history)
    languages = config.languages
    for entry in sidecar_entries(text, shown):
        unknown = _unknown(entry, names, subject.history)
        if unknown:
            yield Report(Location(shown, entry.line), unknown)
            continue
        for key, line in entry.keys:
            if key not in languages:
                yield Report(
                    Location(shown, line),
                    f"{_what(entry)}: `{key}` is not a language of the site "
                    f"({', '.join(languages)}): its text is never shown",
                )
        written, missing = one_language(entry, languages)
        if written and missing:
            yield Report(
                Location(shown, entry.line),
                f"{_what(entry)} has a text in {', '.join(written)} only: the "
                f"{', '.join(missing)} pages show it marked untranslated",
            )


def one_language(entry: Entry, languages: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The site's languages an entry has a text in, and those it has none in."""
    written = [lang for lang in languages if entry.texts.get(lang, "").strip()]
    return written, [lang for lang in languages if lang not in written]


def _what(entry: Entry) -> str:
    return f"{entry.kind} `{entry.name}`"


def _names(history: History) -> dict[str, dict[str, str]]:
    """Every table that ever existed (its pages show current and dropped tables) by key,
    with the columns it ever had, by key."""
    tables: dict[str, dict[str, str]] = {}
    seen: set[int] = set()  # steps share the tables they leave alone: read each once
    for step in history.steps:
        for table in step.schema.tables:
            if id(table) in seen:
                continue
            seen.add(id(table))
            columns = tables.setdefault(DEFAULT_RULE.key(table.name), {})
            columns.update((DEFAULT_RULE.key(c.name), c.name) for c in table.columns)
    for table in history.schema.tables:
        tables.setdefault(DEFAULT_RULE.key(table.name), {})
    return tables


def _unknown(entry: Entry, tables: dict[str, dict[str, str]], history: History) -> str:
    """What is wrong with an entry that names nothing, with the likeliest meant name; an
    empty text when it names something."""
    key = DEFAULT_RULE.key
    if entry.kind == "migration":
        if any(m.answers_to(entry.name) for m in history.migrations):
            return ""
        return _no_such("migration", entry.name, [m.shown for m in history.migrations])
    if entry.kind == "table":
        if key(entry.name) in tables:
            return ""
        return _no_such("table", entry.name, list(tables))
    columns = tables.get(key(entry.table))
    if columns is None:
        return ""  # its table is reported already
    column = entry.name.removeprefix(f"{entry.table}.")
    if key(column) in columns:
        return ""
    return _no_such(f"column of table `{entry.table}`", column, list(columns.values()))


def _no_such(what: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return f"`{name}` names no {what}{hint}: its text is never shown"
