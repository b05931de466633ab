"""The descriptions sidecar (``docs/schema.yml``): reading it, and adding missing keys to it.

Shape::

    migrations:
      "0007": {de: ..., en: ...}
    tables:
      users:
        de: ...
        en: ...
        columns:
          email: {de: ..., en: ...}

Keys are read as written (``0010`` stays "0010", YAML would make it the octal 8), table
and column names match case-insensitively like SQLite's. ``add_missing_keys`` edits the
text in place, so everything already there (values, comments, order, quoting) survives
byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml
from msgspec import Struct, field

from erdgen.errors import ConfigError, Location
from erdgen.model import DEFAULT_RULE, Migration, Table

# libyaml's composer when PyYAML was built with it: the same nodes and marks, ~10x faster
# (the sidecar of a large schema has thousands of entries).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TableTexts(Struct, frozen=True):
    """One table's entry in the sidecar: its texts by language, and its columns' texts by
    ``DEFAULT_RULE.key`` of the column name."""

    texts: Mapping[str, str] = field(default_factory=dict)  # language -> text
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lower-case name


class Descriptions(Struct, frozen=True):
    """Texts by language; every lookup returns "" when the sidecar has none."""

    migrations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    tables: Mapping[str, TableTexts] = field(default_factory=dict)  # by DEFAULT_RULE.key

    def migration(self, migration: Migration, language: str) -> str:
        """Keyed by the migration's id, its label ("0007"), or its number ("7")."""
        texts = self.migrations.get(migration.id) or self.migrations.get(migration.shown)
        if texts is None:
            texts = next((t for k, t in self.migrations.items() if migration.answers_to(k)), {})
        return texts.get(language, "")

    def table(self, name: str, language: str) -> str:
        return self.tables.get(DEFAULT_RULE.key(name), TableTexts()).texts.get(language, "")

    def column(self, table: str, column: str, language: str) -> str:
        columns = self.tables.get(DEFAULT_RULE.key(table), TableTexts()).columns
        return columns.get(DEFAULT_RULE.key(column), {}).get(language, "")

    # The text of another language, for a page whose language has none: shown marked
    # untranslated, as an SQL comment is, rather than nothing at all.

    def migration_elsewhere(self, migration: Migration, language: str) -> str:
        return _elsewhere({k: self.migration(migration, k) for k in _languages(self)}, language)

    def table_elsewhere(self, name: str, language: str) -> str:
        texts = self.tables.get(DEFAULT_RULE.key(name), TableTexts()).texts
        return _elsewhere(texts, language)

    def column_elsewhere(self, table: str, column: str, language: str) -> str:
        columns = self.tables.get(DEFAULT_RULE.key(table), TableTexts()).columns
        return _elsewhere(columns.get(DEFAULT_RULE.key(column), {}), language)


def _languages(descriptions: Descriptions) -> list[str]:
    return list(dict.fromkeys(k for texts in descriptions.migrations.values() for k in texts))


def _elsewhere(texts: Mapping[str, str], language: str) -> str:
    """The first other language's text ("" when the language has its own or none has)."""
    if texts.get(language, "").strip():
        return ""
    return next((text for key, text in texts.items() if key != language and text.strip()), "")


def load_descriptions(path: Path) -> Descriptions:
    """Read the sidecar; a missing file means no descriptions."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Descriptions()
    return parse_descriptions(text, str(path))


def parse_descriptions(text: str, source: str = "schema.yml") -> Descriptions:
    root = _compose(text, source)
    if root is None:
        return Descriptions()
    sections = _entries(root, source, "the file")
    migrations = {
        key: _texts(node, source, f"migration {key}")
        for key, node in _entries(sections.get("migrations"), source, "migrations").items()
    }
    tables = {
        DEFAULT_RULE.key(key): _table_texts(node, source, key)
        for key, node in _entries(sections.get("tables"), source, "tables").items()
    }
    return Descriptions(migrations=migrations, tables=tables)


def _table_texts(node: yaml.Node, source: str, name: str) -> TableTexts:
    entries = _entries(node, source, f"table {name}")
    columns = {
        DEFAULT_RULE.key(key): _texts(value, source, f"column {name}.{key}")
        for key, value in _entries(entries.get("columns"), source, f"{name}.columns").items()
    }
    return TableTexts(texts=_texts(node, source, f"table {name}"), columns=columns)


def _texts(node: yaml.Node, source: str, what: str) -> dict[str, str]:
    """The language -> text entries of a mapping (other keys, like columns, are skipped)."""
    texts: dict[str, str] = {}
    for key, value in _entries(node, source, what).items():
        if key == "columns":
            continue
        if not isinstance(value, yaml.ScalarNode):
            raise _shape_error(value, source, f"{what}: {key} must be a text")
        texts[key] = "" if value.tag.endswith(":null") else value.value.strip()
    return texts


def _entries(node: yaml.Node | None, source: str, what: str) -> dict[str, yaml.Node]:
    """A mapping's entries by key as written; an empty value counts as an empty mapping."""
    if node is None or _is_null(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise _shape_error(node, source, f"{what} must be a mapping")
    return {str(key.value): value for key, value in node.value}


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _compose(text: str, source: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        location = Location(source, mark.line + 1, mark.column + 1) if mark else None
        raise ConfigError(f"invalid YAML: {error}", location) from error


def _shape_error(node: yaml.Node, source: str, message: str) -> ConfigError:
    mark = node.start_mark
    return ConfigError(message, Location(source, mark.line + 1, mark.column + 1))


# -- the entries with their places (``erdgen check``) -----------------------------------------


class Entry(Struct, frozen=True):
    """An entry of the sidecar where its key is written: ``kind`` "migration", "table" or
    "column"; ``name`` the key ("users", "users.email" for a column, "0007"); ``texts``
    its language keys and texts, ``line`` 1-based and ``keys`` (key, line) of each."""

    kind: str
    name: str
    table: str  # the table's key of a column, else ""
    line: int
    texts: Mapping[str, str]
    keys: tuple[tuple[str, int], ...]


def sidecar_entries(text: str, source: str = "schema.yml") -> tuple[Entry, ...]:
    """Every migration, table and column entry of the sidecar, in file order."""
    root = _compose(text, source)
    if root is None:
        return ()
    found: list[Entry] = []
    sections = _entries(root, source, "the file")
    for key, node in _keyed(sections.get("migrations"), source, "migrations"):
        found.append(_entry("migration", key, "", node, source))
    for key, node in _keyed(sections.get("tables"), source, "tables"):
        found.append(_entry("table", key, "", node, source))
        table = _entries(node, source, f"table {key.value}")
        for column, value in _keyed(table.get("columns"), source, f"{key.value}.columns"):
            found.append(_entry("column", column, str(key.value), value, source))
    return tuple(found)


def _keyed(node: yaml.Node | None, source: str, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
    if node is None or _is_null(node):
        return []
    if not isinstance(node, yaml.MappingNode):
        raise _shape_error(node, source, f"{what} must be a mapping")
    return list(node.value)


def _entry(kind: str, key: yaml.Node, table: str, node: yaml.Node, source: str) -> Entry:
    name = f"{table}.{key.value}" if table else str(key.value)
    pairs = [(k, v) for k, v in _keyed(node, source, f"{kind} {name}") if k.value != "columns"]
    return Entry(
        kind,
        name,
        table,
        key.start_mark.line + 1,
        _texts(node, source, f"{kind} {name}"),
        tuple((str(k.value), k.start_mark.line + 1) for k, _ in pairs),
    )


# -- adding missing keys -------------------------------------------------------------------

Skeleton = Mapping[str, "Skeleton | None"]  # wanted keys; None marks a text leaf


def skeleton(
    migrations: Sequence[Migration], tables: Sequence[Table], languages: Sequence[str]
) -> Skeleton:
    """Every key the sidecar should have: each migration, table and column, per language."""
    leaf: dict[str, Skeleton | None] = dict.fromkeys(languages)
    # tables of one name (dropped and created again) share their entry: every column of each
    named: dict[str, tuple[str, dict[str, str]]] = {}
    for table in tables:
        _, columns = named.setdefault(DEFAULT_RULE.key(table.name), (table.name, {}))
        for column in table.columns:
            columns.setdefault(DEFAULT_RULE.key(column.name), column.name)
    return {
        "migrations": {m.shown: leaf for m in migrations},
        "tables": {
            name: {**leaf, "columns": dict.fromkeys(columns.values(), leaf)}
            for name, columns in named.values()
        },
    }


def add_missing_keys(text: str, wanted: Skeleton, source: str = "schema.yml") -> str:
    """``text`` with every missing key of ``wanted`` added (empty), all else left as it was.

    A missing key goes before the next wanted sibling that exists, else after the last
    entry of its mapping.
    """
    root = _compose(text, source)
    if root is None or (_is_null(root) and not text.strip()):
        prefix = text if not text or text.endswith("\n") else text + "\n"
        return prefix + "".join(_render(wanted, 0))
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    insertions: list[tuple[int, int, int, str]] = []
    _plan(root, None, wanted, lines, source, 0, insertions)
    # Sorted, blocks at one line read deeper-first then in wanted order; insert from the end.
    for index, _depth, _order, block in sorted(insertions, reverse=True):
        lines.insert(index, block)
    return "".join(lines) if insertions else text


def _plan(
    node: yaml.Node,
    owner_key: yaml.Node | None,
    wanted: Skeleton,
    lines: list[str],
    source: str,
    depth: int,
    insertions: list[tuple[int, int, int, str]],
) -> None:
    """Collect (line index, -depth, order, text) insertions for the keys missing under node."""
    if not wanted:
        return
    if _is_empty_flow(node) and owner_key is not None:
        line, start, end = node.start_mark.line, node.start_mark.column, node.end_mark.column
        lines[line] = (lines[line][:start].rstrip() + " " + lines[line][end:].lstrip()).rstrip()
        lines[line] += "\n"  # "tables: {}" becomes "tables:" with children below
    if (_is_null(node) or _is_empty_flow(node)) and owner_key is not None:
        indent = owner_key.start_mark.column + 2
        block = "".join(_render(wanted, indent))
        insertions.append((_line_after(node, lines), -depth, 0, block))
        return
    if not isinstance(node, yaml.MappingNode):
        raise _shape_error(node, source, "cannot add keys here: expected a mapping")
    present = {_normal(key.value): (key, value) for key, value in node.value}
    names = list(wanted)
    if node.flow_style and any(_normal(name) not in present for name in names):
        raise _shape_error(node, source, "cannot add keys to a {...} mapping: write it as a block")
    indent = node.value[0][0].start_mark.column if node.value else 0
    for order, name in enumerate(names):
        found = present.get(_normal(name))
        child = wanted[name]
        if found is not None:
            if child is not None:
                _plan(found[1], found[0], child, lines, source, depth + 1, insertions)
            continue
        following = (present.get(_normal(n)) for n in names[order + 1 :])
        successor = next((f[0] for f in following if f is not None), None)
        if successor is not None:
            index = _line_before(successor, lines)
        else:
            index = _line_after(node.value[-1][1], lines)
        block = "".join(_render({name: child}, indent))
        insertions.append((index, -depth, order, block))


def _is_empty_flow(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode) and node.flow_style is True and not node.value


def _normal(key: str) -> str:
    """Keys compare like SQLite names; numeric migration ids compare by value."""
    return str(int(key)) if key.isascii() and key.isdigit() else DEFAULT_RULE.key(key)


def _line_before(key: yaml.Node, lines: list[str]) -> int:
    """The line where a key's block starts, including the comment lines right above it."""
    index = key.start_mark.line
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1
    return key.start_mark.line if index == 0 else index  # a file's header comment stays first


def _line_after(node: yaml.Node, lines: list[str]) -> int:
    """The line just after a value's last content line."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    mark = node.end_mark
    index = mark.line if mark.column == 0 else mark.line + 1
    return min(index, len(lines))


def _render(wanted: Skeleton, indent: int) -> list[str]:
    rendered: list[str] = []
    for name, child in wanted.items():
        key = " " * indent + _yaml_key(name)
        if child is None:
            rendered.append(f'{key}: ""\n')
        else:
            rendered.append(f"{key}:\n")
            rendered.extend(_render(child, indent + 2))
    return rendered


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _yaml_key(name: str) -> str:
    if _PLAIN_KEY.fullmatch(name) and name.lower() not in _YAML_WORDS:
        return name
    return json.dumps(name, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
