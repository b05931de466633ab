"""Markdown pages in every language: escaping filters, catalogs, typed contexts, templates.

Python decides *what* a page says (typed contexts, change lines with catalog keys);
the templates decide how it looks; every UI word comes from ``locales/<lang>.yml``.
Names and comments from SQL are data and pass through the escaping filters below.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import jinja2
import yaml

from erdgen.config import Config
from erdgen.descriptions import Descriptions
from erdgen.model import (
    Action,
    Change,
    Column,
    ForeignKey,
    History,
    Index,
    Migration,
    Schema,
    Step,
    Table,
    same_name,
)

# --- escaping filters ----------------------------------------------------------------------

# Characters Python-Markdown lets a backslash escape (plus "|" from the tables extension).
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]!|])")
_LINE_START_SPECIALS = re.compile(r"^([#+\-=]|\d+[.)])")


def md_text(text: str) -> str:
    """Plain text (an SQL comment) as Markdown that renders literally; keeps line breaks."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _INLINE_SPECIALS.sub(r"\\\1", escaped)
    # Leading spaces would make a code block; a leading "-", "#", "1." a list or heading.
    lines = [
        _LINE_START_SPECIALS.sub(_escape_line_start, line.strip()) for line in escaped.split("\n")
    ]
    return "\n".join(lines).strip("\n")


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    return f"&#{ord(marker[0])};{marker[1:]}"


def md_markdown(text: str) -> str:
    """Markdown written by the docs' author (the sidecar): kept, but no raw HTML."""
    return text.replace("<", "&lt;").strip()


def md_cell(markdown: str) -> str:
    """Markdown made safe for one table cell: "|" outside code spans escaped, one line."""
    parts = re.split(r"(`+)", markdown)
    out: list[str] = []
    fence: str | None = None
    for part in parts:
        if part.startswith("`"):
            fence = None if fence == part else (fence or part)
            out.append(part)
        elif fence is None:
            out.append(re.sub(r"(?<!\\)\|", r"\\|", part))
        else:
            out.append(part)
    lines = [line.strip() for line in "".join(out).splitlines() if line.strip()]
    return "<br>".join(lines)


def code(text: str) -> str:
    """An inline code span showing ``text`` literally, whatever backticks it contains."""
    flat = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fence(source: str, language: str = "sql") -> str:
    """A fenced code block that no backtick run inside ``source`` can close early."""
    body = "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").split("\n"))
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{body.strip(chr(10))}\n{ticks}"


def indent(text: str, width: int = 4) -> str:
    """Indent every non-empty line (for the body of an admonition or a nested list)."""
    pad = " " * width
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def title(text: str) -> str:
    """Text for a quoted admonition title."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def link_target(path: str) -> str:
    """A relative link target, percent-encoded where Markdown or URLs need it."""
    return quote(path, safe="/#.-_~")


_PLAIN_SLUG = re.compile(r"[a-z0-9_]{1,80}")


def slug(name: str) -> str:
    """A file-name-safe, deterministic and collision-free slug for an SQL name.

    Plain names (ASCII letters, digits, "_") keep their lower-case spelling: SQLite
    compares names case-insensitively, so two of them never collide. Any other name
    gets a short hash of its exact spelling, and only those slugs contain "-".
    """
    folded = _ascii_lower(name)
    if _PLAIN_SLUG.fullmatch(folded):
        return folded
    base = re.sub(r"[^a-z0-9_]+", "-", folded).strip("-_")[:60] or "x"
    digest = hashlib.sha256(folded.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{digest}"


def _ascii_lower(name: str) -> str:
    return name.translate({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})


# --- catalogs ------------------------------------------------------------------------------

PluralForms = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Catalog:
    """UI strings of one language by dotted key; plural entries have "one" / "other"."""

    language: str
    entries: Mapping[str, str | PluralForms]

    def t(self, key: str, /, n: int | None = None, **params: object) -> str:
        entry = self.entries.get(key)
        if entry is None:
            raise KeyError(f"no {self.language!r} text for {key!r}")
        if not isinstance(entry, str):
            if n is None:
                raise KeyError(f"{key!r} needs a count")
            entry = entry["one"] if n == 1 else entry["other"]
        values = {name: self._value(value) for name, value in params.items()}
        if n is not None:
            values["n"] = self.number(n)
        return entry.format_map(values)

    def number(self, n: int) -> str:
        grouped = f"{n:,}"
        separator = self.entries.get("format.thousands", ",")
        return grouped.replace(",", separator if isinstance(separator, str) else ",")

    def _value(self, value: object) -> str:
        return self.number(value) if isinstance(value, int) else str(value)


@cache
def load_catalog(language: str) -> Catalog:
    text = resources.files("erdgen").joinpath("locales", f"{language}.yml").read_text("utf-8")
    return Catalog(language, flatten_catalog(yaml.safe_load(text)))


def flatten_catalog(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str | PluralForms]:
    flat: dict[str, str | PluralForms] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and "other" in value:
            flat[dotted] = {form: str(text) for form, text in value.items()}
        elif isinstance(value, Mapping):
            flat.update(flatten_catalog(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


# --- where pages live ----------------------------------------------------------------------

INDEX = "index.md"
TIMELINE = "timeline.md"
OBJECTS = "objects.md"
DROPPED = "dropped.md"


def table_page(table_slug: str) -> str:
    return f"tables/{table_slug}.md"


def localized(page: str, language: str, config: Config) -> str:
    """The file of ``page`` in ``language`` (mkdocs-static-i18n's suffix layout)."""
    if language == config.default_language:
        return page
    return f"{page.removesuffix('.md')}.{language}.md"


def relative_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target between two pages; MkDocs resolves it in every language."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return link_target(target) + (f"#{anchor}" if anchor else "")


def page_url(page: str) -> str:
    """The page's URL below the output folder with MkDocs' directory URLs ("" for index)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_page: str, to_page: str) -> str:
    """A URL for raw HTML (an SVG link), which MkDocs does not rewrite."""
    relative = posixpath.relpath(page_url(to_page) or ".", page_url(from_page) or ".")
    return "./" if relative == "." else link_target(relative) + "/"


def migration_anchor(migration: Migration) -> str:
    return f"m-{slug(migration.id)}"


# --- the history, table by table -------------------------------------------------------

_TABLE_SCOPED = frozenset(
    {
        Action.CREATE_TABLE, Action.DROP_TABLE, Action.RENAME_TABLE, Action.REBUILD_TABLE,
        Action.ADD_COLUMN, Action.DROP_COLUMN, Action.RENAME_COLUMN, Action.CREATE_INDEX,
        Action.DROP_INDEX, Action.CREATE_TRIGGER, Action.DROP_TRIGGER, Action.DATA,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TableLife:
    """A table that has a page: current, or dropped, with the names it had step by step."""

    name: str
    slug: str
    shape: Table  # the current shape, or the last one before the drop
    dropped_in: int | None  # step index of the drop
    names: Mapping[int, frozenset[str]]  # step index -> lower-case names it had in that step

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(sorted(self.names))

    @property
    def path(self) -> str:
        return table_page(self.slug)


def table_lives(history: History) -> tuple[TableLife, ...]:
    """Every table that ever existed under its last name: current ones first, then dropped."""
    last = len(history.steps) - 1
    lives = [_life(history, t.name, last, t, None) for t in history.schema.tables]
    dropped: dict[str, tuple[int, Table]] = {}
    for index, step in enumerate(history.steps):
        for change in step.changes:
            if change.action is Action.DROP_TABLE and history.schema.table(change.object) is None:
                shape = change.before or _shape(_schema_before(history, index), {change.object})
                if shape is not None:
                    dropped.pop(change.object.lower(), None)  # keep drop order: last drop wins
                    dropped[change.object.lower()] = (index, shape)
    for index, shape in dropped.values():
        lives.append(_life(history, shape.name, index, shape, index))
    return tuple(lives)


def _life(history: History, name: str, end: int, shape: Table, dropped: int | None) -> TableLife:
    """Walk back from ``end``, following renames, until the table's creation."""
    current = name.lower()
    names: dict[int, frozenset[str]] = {}
    for index in range(end, -1, -1):
        step_names = {current}
        created = False
        for change in reversed(history.steps[index].changes):
            if change.action is Action.RENAME_TABLE and change.object.lower() == current:
                current = (change.old_name or current).lower()
                step_names.add(current)
            elif change.action is Action.CREATE_TABLE and change.object.lower() == current:
                created = True
        if any(_concerns(c, step_names) for c in history.steps[index].changes):
            names[index] = frozenset(step_names)
        if created:
            break
    return TableLife(name, slug(name), shape, dropped, names)


def _concerns(change: Change, names: frozenset[str] | set[str]) -> bool:
    owner = change.table or change.object
    return change.action in _TABLE_SCOPED and owner.lower() in names


def _schema_before(history: History, index: int) -> Schema:
    return history.steps[index - 1].schema if index > 0 else Schema()


def _shape(schema: Schema, names: frozenset[str] | set[str]) -> Table | None:
    return next((t for t in schema.tables if t.name.lower() in names), None)


# --- change lines: what a migration did, as catalog keys with Markdown values -------------


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One change in words: ``change.<kind>`` from the catalog, filled with ``params``."""

    kind: str
    params: Mapping[str, str] = field(default_factory=dict)  # Markdown, already escaped
    details: tuple[ChangeLine, ...] = ()
    destructive: bool = False
    bucket: str = ""  # the summary counter it adds to ("" for none)
    subject: str = ""  # counted once per bucket (a column changed twice counts once)

    def all(self) -> tuple[ChangeLine, ...]:
        return (self, *(line for detail in self.details for line in detail.all()))


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """The changes of one migration to one table (label) or to other objects (label "")."""

    label: str
    lines: tuple[ChangeLine, ...]


SUMMARY_ORDER = (
    "tables_created", "tables_rebuilt", "tables_renamed", "tables_dropped",
    "columns_added", "columns_changed", "columns_renamed", "columns_dropped",
    "indexes_created", "indexes_dropped", "constraints_changed",
    "views_created", "views_dropped", "triggers_created", "triggers_dropped", "data_changes",
)  # fmt: skip


def summary(groups: Sequence[ChangeGroup]) -> tuple[tuple[str, int], ...]:
    """(bucket, count) in a fixed order, for the one-line summary of a migration."""
    subjects: dict[str, set[str]] = {}
    for group in groups:
        for line in (line for top in group.lines for line in top.all()):
            if line.bucket:
                subjects.setdefault(line.bucket, set()).add(f"{group.label}\0{line.subject}")
    return tuple((b, len(subjects[b])) for b in SUMMARY_ORDER if b in subjects)


def column_definition(column: Column) -> str:
    """The column as SQLite would describe it: type, NOT NULL, DEFAULT."""
    parts = [column.type] if column.type else []
    if column.primary_key:
        parts.append("PRIMARY KEY")
    if column.not_null:
        parts.append("NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.generated is not None:
        parts.append(f"AS ({column.generated})")
    return " ".join(parts)


def _column_added(column: Column) -> ChangeLine:
    definition = column_definition(column)
    params = {"column": code(column.name), "definition": code(definition) if definition else ""}
    return ChangeLine("column_added", params, bucket="columns_added", subject=column.name.lower())


def _column_dropped(name: str) -> ChangeLine:
    return ChangeLine(
        "column_dropped",
        {"column": code(name)},
        destructive=True,
        bucket="columns_dropped",
        subject=name.lower(),
    )


def _or_dash(text: str | None) -> str:
    return code(text) if text else "—"


def _column_changes(before: Column, after: Column) -> list[ChangeLine]:
    name = code(after.name)
    lines: list[tuple[str, dict[str, str]]] = []
    if before.not_null != after.not_null:
        lines.append(("column_not_null" if after.not_null else "column_nullable", {}))
    if before.type != after.type:
        lines.append(
            ("column_type", {"before": _or_dash(before.type), "after": _or_dash(after.type)})
        )
    if before.default != after.default:
        default = {"before": _or_dash(before.default), "after": _or_dash(after.default)}
        lines.append(("column_default", default))
    if before.primary_key != after.primary_key:
        lines.append(("column_key", {}))
    if before.generated != after.generated:
        lines.append(("column_generated", {}))
    return [
        ChangeLine(kind, {"column": name, **params}, bucket="columns_changed", subject=after.name)
        for kind, params in lines
    ]


def _index_key(index: Index) -> tuple[str, ...]:
    """Constraint indexes are known by what they cover; their names follow the table's."""
    if index.origin == "c":
        return ("c", index.name.lower())
    return (index.origin, *(c.lower() for c in index.column_names))


def _index_params(index: Index) -> dict[str, str]:
    label = code(index.name)
    if index.origin != "c":
        label = code("PRIMARY KEY" if index.origin == "pk" else "UNIQUE")
    return {"index": label, "columns": ", ".join(code(c) for c in index.column_names)}


def _index_created(index: Index) -> ChangeLine:
    params = _index_params(index)
    return ChangeLine("index_created", params, bucket="indexes_created", subject=index.name)


def _index_dropped(index: Index) -> ChangeLine:
    params = _index_params(index)
    return ChangeLine("index_dropped", params, bucket="indexes_dropped", subject=index.name)


def shape_diff(before: Table | None, after: Table | None) -> tuple[ChangeLine, ...]:
    """What differs between two shapes of a table: columns, indexes, CHECKs, foreign keys."""
    if before is None or after is None:
        return ()
    old = {c.name.lower(): c for c in before.columns}
    new = {c.name.lower(): c for c in after.columns}
    lines: list[ChangeLine] = []
    for column in after.columns:
        previous = old.get(column.name.lower())
        lines.extend(
            [_column_added(column)] if previous is None else _column_changes(previous, column)
        )
    lines.extend(_column_dropped(c.name) for c in before.columns if c.name.lower() not in new)
    lines.extend(_index_diff(before, after))
    lines.extend(_constraint_diff(before, after))
    return tuple(lines)


def _index_diff(before: Table, after: Table) -> list[ChangeLine]:
    def shape(index: Index) -> tuple[object, ...]:
        return (index.column_names, index.unique, index.where)

    old = {_index_key(i): i for i in before.indexes}
    new = {_index_key(i): i for i in after.indexes}
    lines = [_index_dropped(i) for k, i in old.items() if k not in new or shape(new[k]) != shape(i)]
    lines += [
        _index_created(i) for k, i in new.items() if k not in old or shape(old[k]) != shape(i)
    ]
    return lines


def _constraint_diff(before: Table, after: Table) -> list[ChangeLine]:
    def check_label(name: str | None, expression: str) -> str:
        return f"{code(name)}: {code(expression)}" if name else code(expression)

    def fk_label(columns: Sequence[str], target: str, refs: Sequence[str]) -> str:
        return f"{code(', '.join(columns))} → {code(target + '(' + ', '.join(refs) + ')')}"

    old_checks = {(c.name, " ".join(c.expression.split())) for c in before.checks}
    new_checks = {(c.name, " ".join(c.expression.split())) for c in after.checks}
    old_keys = {
        (k.columns, k.ref_table, k.ref_columns, k.on_delete, k.on_update)
        for k in before.foreign_keys
    }
    new_keys = {
        (k.columns, k.ref_table, k.ref_columns, k.on_delete, k.on_update)
        for k in after.foreign_keys
    }
    lines: list[ChangeLine] = []
    for kind, items in (
        ("check_dropped", old_checks - new_checks),
        ("check_added", new_checks - old_checks),
    ):
        for name, expression in sorted(items, key=str):
            label = check_label(name, expression)
            lines.append(
                ChangeLine(kind, {"check": label}, bucket="constraints_changed", subject=label)
            )
    for kind, keys in (("fk_dropped", old_keys - new_keys), ("fk_added", new_keys - old_keys)):
        for columns, target, refs, _, _ in sorted(keys, key=str):
            label = fk_label(columns, target, refs)
            lines.append(
                ChangeLine(kind, {"key": label}, bucket="constraints_changed", subject=label)
            )
    return lines


# --- the site plan: who has a page, and links between pages ------------------------------


@dataclass(frozen=True, slots=True)
class SitePlan:
    history: History
    lives: tuple[TableLife, ...]

    @classmethod
    def of(cls, history: History) -> SitePlan:
        return cls(history, table_lives(history))

    def life(self, name: str, step: int | None = None) -> TableLife | None:
        """The page of a table known as ``name`` (in step ``step``, when given)."""
        lower = name.lower()
        if step is not None:
            found = next((life for life in self.lives if lower in life.names.get(step, ())), None)
            if found is not None:
                return found
        return next((life for life in self.lives if life.name.lower() == lower), None)

    def pages(self) -> tuple[str, ...]:
        """Every page in the default language, in a stable order."""
        return (INDEX, TIMELINE, OBJECTS, DROPPED, *(life.path for life in self.lives))


@dataclass(frozen=True, slots=True)
class Linker:
    """Markdown for links from one page to the others."""

    plan: SitePlan
    page: str

    def table(self, name: str, step: int | None = None) -> str:
        life = self.plan.life(name, step)
        if life is None:
            return code(name)
        return f"[{code(name)}]({relative_link(self.page, life.path)})"

    def column(self, table: str, column: str) -> str:
        life = self.plan.life(table)
        label = code(f"{table}.{column}")
        return f"[{label}]({relative_link(self.page, life.path)})" if life else label

    def migration(self, migration: Migration) -> str:
        target = relative_link(self.page, TIMELINE, migration_anchor(migration))
        return f"[{migration.id}]({target}) {code(migration.name)}"

    def view(self, name: str) -> str:
        return f"[{code(name)}]({relative_link(self.page, OBJECTS, 'v-' + slug(name))})"

    def trigger(self, name: str) -> str:
        return f"[{code(name)}]({relative_link(self.page, OBJECTS, 'tr-' + slug(name))})"

    def diagram_url(self, table: str) -> str | None:
        """For diagrams: raw-HTML URL of a table's page, relative to this page."""
        life = self.plan.life(table)
        return relative_url(self.page, life.path) if life else None


def _change_line(change: Change, step: Step, linker: Linker) -> ChangeLine:
    """One model change in words (a rebuild's details come from ``shape_diff``)."""
    column = change.object.removeprefix(f"{change.table}.") if change.table else change.object
    match change.action:
        case Action.CREATE_TABLE:
            return ChangeLine("table_created", bucket="tables_created", subject=change.object)
        case Action.DROP_TABLE:
            return ChangeLine(
                "table_dropped", destructive=True, bucket="tables_dropped", subject=change.object
            )
        case Action.RENAME_TABLE:
            params = {"old": code(change.old_name or ""), "new": code(change.object)}
            return ChangeLine(
                "table_renamed", params, bucket="tables_renamed", subject=change.object
            )
        case Action.REBUILD_TABLE:
            details = shape_diff(change.before, change.after)
            return ChangeLine("table_rebuilt", {}, details, bucket="tables_rebuilt", subject=column)
        case Action.ADD_COLUMN:
            added = change.after.column(column) if change.after else None
            return _column_added(added or Column(column))
        case Action.DROP_COLUMN:
            return _column_dropped(column)
        case Action.RENAME_COLUMN:
            old = (change.old_name or "").removeprefix(f"{change.table}.")
            params = {"old": code(old), "column": code(column)}
            return ChangeLine("column_renamed", params, bucket="columns_renamed", subject=column)
        case Action.CREATE_INDEX:
            index = step.schema.index(change.object)
            return _index_created(index or Index(change.object, change.table or "", ()))
        case Action.DROP_INDEX:
            index = change.before.index(change.object) if change.before else None
            return _index_dropped(index or Index(change.object, change.table or "", ()))
        case Action.CREATE_VIEW | Action.DROP_VIEW:
            kind = "view_created" if change.action is Action.CREATE_VIEW else "view_dropped"
            name = linker.view(change.object) if kind == "view_created" else code(change.object)
            return ChangeLine(kind, {"view": name}, bucket=kind.replace("view", "views"))
        case Action.CREATE_TRIGGER | Action.DROP_TRIGGER:
            created = change.action is Action.CREATE_TRIGGER
            name = linker.trigger(change.object) if created else code(change.object)
            kind = "trigger_created" if created else "trigger_dropped"
            return ChangeLine(kind, {"trigger": name}, bucket=kind.replace("trigger", "triggers"))
        case Action.DATA:
            params = {"verb": code(change.verb or "SQL")}
            return ChangeLine("data", params, bucket="data_changes", subject=str(change.location))
    raise AssertionError(f"unhandled action {change.action}")  # pragma: no cover


def table_step_lines(life: TableLife, index: int, linker: Linker) -> tuple[ChangeLine, ...]:
    """What one migration did to one table; a rebuild reads as the diff of its shapes."""
    history = linker.plan.history
    step, names = history.steps[index], life.names[index]
    changes = [c for c in step.changes if _concerns(c, names)]
    if not any(c.action is Action.REBUILD_TABLE for c in changes):
        return tuple(_change_line(c, step, linker) for c in changes)
    before = _shape(_schema_before(history, index), names)
    after = _shape(step.schema, names)
    rebuilt = ChangeLine(
        "table_rebuilt", {}, shape_diff(before, after), bucket="tables_rebuilt", subject=life.name
    )
    others = (c for c in changes if c.action in (Action.DATA, Action.CREATE_TRIGGER))
    return (rebuilt, *(_change_line(c, step, linker) for c in others))


def step_groups(index: int, linker: Linker) -> tuple[ChangeGroup, ...]:
    """A migration's changes grouped by table (in first-touched order), then other objects."""
    plan = linker.plan
    step = plan.history.steps[index]
    groups: list[ChangeGroup] = []
    seen: set[str] = set()
    loose: list[ChangeLine] = []
    for change in step.changes:
        if change.action not in _TABLE_SCOPED:
            loose.append(_change_line(change, step, linker))
            continue
        owner = change.table or change.object
        life = plan.life(owner, index)
        key = life.name.lower() if life else owner.lower()
        if key in seen:
            continue
        seen.add(key)
        if life is not None and index in life.names:
            lines = table_step_lines(life, index, linker)
        else:
            same = [c for c in step.changes if (c.table or c.object).lower() == key]
            lines = tuple(_change_line(c, step, linker) for c in same if c.action in _TABLE_SCOPED)
        groups.append(ChangeGroup(linker.table(owner, index), lines))
    if loose:
        groups.append(ChangeGroup("", tuple(loose)))
    return tuple(groups)


# --- page contexts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Description:
    """A description in the reader's language, or the SQL comment marked as untranslated."""

    markdown: str = ""
    untranslated: bool = False


def describe(sidecar: str, comment: str) -> Description:
    if sidecar.strip():
        return Description(md_markdown(sidecar))
    if comment.strip():
        return Description(md_text(comment), untranslated=True)
    return Description()


@dataclass(frozen=True, slots=True)
class ColumnRow:
    position: int
    name: str  # Markdown (code span)
    type: str
    nullable: bool
    default: str
    keys: tuple[str, ...]  # "PK", "FK → link", "UQ"
    description: Description


@dataclass(frozen=True, slots=True)
class IndexRow:
    name: str
    columns: str
    unique: bool
    condition: str
    origin: str  # "c" (CREATE INDEX), "u" (UNIQUE), "pk" (PRIMARY KEY)


@dataclass(frozen=True, slots=True)
class ForeignKeyRow:
    columns: str
    target: str
    actions: tuple[str, ...]  # e.g. "ON DELETE CASCADE"; NO ACTION is left out


@dataclass(frozen=True, slots=True)
class ConstraintRow:
    kind: str  # "check", "unique", "primary_key"
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    migration: str
    lines: tuple[ChangeLine, ...]

    @property
    def destructive(self) -> bool:
        return any(line.destructive for top in self.lines for line in top.all())


@dataclass(frozen=True, slots=True)
class TablePage:
    name: str  # Markdown (code span)
    dropped: bool
    description: Description
    counts: Mapping[str, int]  # columns, indexes, foreign_keys, checks
    created_in: str  # Markdown link to the migration, "" when unknown
    changed_in: str
    dropped_in: str
    diagrams: tuple[str, ...]
    columns: tuple[ColumnRow, ...]
    indexes: tuple[IndexRow, ...]
    foreign_keys: tuple[ForeignKeyRow, ...]
    constraints: tuple[ConstraintRow, ...]
    triggers: tuple[str, ...]  # Markdown: name link, timing, event
    referenced_by: tuple[str, ...]  # Markdown: "table.column → column"
    history: tuple[HistoryRow, ...]
    sql: str


@dataclass(frozen=True, slots=True)
class DataChange:
    verb: str
    table: str  # Markdown
    sql: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    heading: str  # Markdown: id and name
    anchor: str
    description: Description
    summary: tuple[tuple[str, int], ...]
    groups: tuple[ChangeGroup, ...]
    destructive: tuple[tuple[str, ChangeLine], ...]  # (table label, line)
    data: tuple[DataChange, ...]
    diagrams: tuple[str, ...]
    path: str
    sql: str


@dataclass(frozen=True, slots=True)
class TableSummary:
    link: str
    columns: int
    description: Description


@dataclass(frozen=True, slots=True)
class OverviewPage:
    counts: tuple[tuple[str, int], ...]
    tables: tuple[TableSummary, ...]
    dropped_tables: tuple[TableSummary, ...]
    diagrams: tuple[str, ...]
    latest: str  # Markdown link to the latest migration, "" when there is none
    links: Mapping[str, str]  # timeline, objects, dropped


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    name: str  # Markdown
    anchor: str
    table: str  # Markdown link to the table ("" for views)
    detail: str  # trigger timing and event
    description: Description
    history: tuple[HistoryRow, ...]
    sql: str


@dataclass(frozen=True, slots=True)
class DroppedEntry:
    kind: str  # "table", "column", "index", "view", "trigger"
    name: str  # Markdown
    migration: str  # Markdown link


# --- building the contexts -------------------------------------------------------------

Embeds = Mapping[str, tuple[str, ...]]  # page (default-language path) -> SVG markup


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the pages of one language are made of."""

    plan: SitePlan
    descriptions: Descriptions
    language: str
    embeds: Embeds

    @property
    def history(self) -> History:
        return self.plan.history


def table_context(inputs: Inputs, life: TableLife) -> TablePage:
    linker = Linker(inputs.plan, life.path)
    table, language = life.shape, inputs.language
    history = tuple(
        HistoryRow(linker.migration(inputs.history.steps[i].migration), lines)
        for i in life.steps
        if (lines := table_step_lines(life, i, linker))
    )
    created = next((r.migration for r in history if _creates(r)), "")
    lived = history[:-1] if life.dropped_in is not None else history  # the drop is said apart
    changed = lived[-1].migration if len(lived) > 1 else ""
    schema = _schema_at(inputs.history, life)
    return TablePage(
        name=code(table.name),
        dropped=life.dropped_in is not None,
        description=describe(inputs.descriptions.table(table.name, language), table.description),
        counts={
            "columns": len(table.columns),
            "indexes": len(table.indexes),
            "foreign_keys": len(table.foreign_keys),
            "checks": len(table.checks),
        },
        created_in=created,
        changed_in=changed,
        dropped_in=history[-1].migration if life.dropped_in is not None and history else "",
        diagrams=inputs.embeds.get(life.path, ()),
        columns=tuple(
            _column_row(inputs, table, c, i, linker) for i, c in enumerate(table.columns, 1)
        ),
        indexes=tuple(_index_row(index) for index in table.indexes),
        foreign_keys=tuple(_foreign_key_row(key, linker) for key in table.foreign_keys),
        constraints=_constraints(table),
        triggers=tuple(
            f"{linker.trigger(t.name)} · {t.timing} {t.event}".rstrip()
            for t in schema.triggers_on(table.name)
        ),
        referenced_by=tuple(
            f"{linker.column(other.name, ', '.join(key.columns))} → "
            f"{code(', '.join(key.ref_columns or table.primary_key))}"
            for other, key in schema.referencing(table.name)
        ),
        history=history,
        sql=table.sql,
    )


def _creates(row: HistoryRow) -> bool:
    return any(line.kind == "table_created" for line in row.lines)


def _schema_at(history: History, life: TableLife) -> Schema:
    """The schema the table lives in: now, or just before it was dropped."""
    if life.dropped_in is None:
        return history.schema
    return _schema_before(history, life.dropped_in)


def _column_row(
    inputs: Inputs, table: Table, column: Column, position: int, linker: Linker
) -> ColumnRow:
    keys: list[str] = []
    if column.primary_key:
        composite = len(table.primary_key) > 1
        keys.append(f"PK {column.primary_key}" if composite else "PK")
    for key in table.foreign_keys:
        if any(same_name(c, column.name) for c in key.columns):
            refs = key.ref_columns or _primary_key_of(linker.plan, key.ref_table)
            target = ", ".join(refs)
            link = linker.column(key.ref_table, target) if target else linker.table(key.ref_table)
            keys.append(f"FK → {link}")
    if column.unique or any(
        i.unique
        and i.origin != "pk"
        and len(i.columns) == 1
        and i.columns[0].name
        and same_name(i.columns[0].name, column.name)
        for i in table.indexes
    ):
        keys.append("UQ")
    sidecar = inputs.descriptions.column(table.name, column.name, inputs.language)
    return ColumnRow(
        position=position,
        name=code(column.name),
        type=code(column.type) if column.type else "",
        nullable=not column.not_null and not column.primary_key,
        default=code(column.default) if column.default is not None else "",
        keys=tuple(dict.fromkeys(keys)),
        description=describe(sidecar, column.description),
    )


def _primary_key_of(plan: SitePlan, table: str) -> tuple[str, ...]:
    found = plan.history.schema.table(table)
    return found.primary_key if found else ()


def _index_row(index: Index) -> IndexRow:
    return IndexRow(
        name=code(index.name),
        columns=", ".join(code(c.label + (" DESC" if c.descending else "")) for c in index.columns),
        unique=index.unique,
        condition=code(index.where) if index.where else "",
        origin=index.origin,
    )


def _foreign_key_row(key: ForeignKey, linker: Linker) -> ForeignKeyRow:
    refs = key.ref_columns or _primary_key_of(linker.plan, key.ref_table)
    target = linker.column(key.ref_table, ", ".join(refs)) if refs else linker.table(key.ref_table)
    actions = tuple(
        f"ON {event} {action}"
        for event, action in (("DELETE", key.on_delete), ("UPDATE", key.on_update))
        if action.upper() != "NO ACTION"
    )
    return ForeignKeyRow(code(", ".join(key.columns)), target, actions)


def _constraints(table: Table) -> tuple[ConstraintRow, ...]:
    rows = [
        ConstraintRow("check", code(c.name) if c.name else "", code(c.expression))
        for c in table.checks
    ]
    if len(table.primary_key) > 1:
        name = code(table.primary_key_name) if table.primary_key_name else ""
        rows.append(ConstraintRow("primary_key", name, code(", ".join(table.primary_key))))
    for index in table.indexes:
        if index.origin == "u" and len(index.columns) > 1:
            rows.append(ConstraintRow("unique", "", code(", ".join(index.column_names))))
    return tuple(rows)


def timeline_context(inputs: Inputs) -> tuple[TimelineEntry, ...]:
    linker = Linker(inputs.plan, TIMELINE)
    return tuple(
        _timeline_entry(inputs, index, linker) for index in range(len(inputs.history.steps))
    )


def _timeline_entry(inputs: Inputs, index: int, linker: Linker) -> TimelineEntry:
    step = inputs.history.steps[index]
    migration = step.migration
    groups = step_groups(index, linker)
    destructive = tuple(
        (group.label, line)
        for group in groups
        for top in group.lines
        for line in top.all()
        if line.destructive
    )
    data = tuple(
        DataChange(c.verb or "SQL", linker.table(c.table, index) if c.table else "", c.statement)
        for c in step.changes
        if c.action is Action.DATA
    )
    sidecar = inputs.descriptions.migration(migration, inputs.language)
    return TimelineEntry(
        heading=f"{migration.id} · {code(migration.name)}",
        anchor=migration_anchor(migration),
        description=describe(sidecar, migration.description),
        summary=summary(groups),
        groups=groups,
        destructive=destructive,
        data=data,
        diagrams=inputs.embeds.get(f"{TIMELINE}#{migration_anchor(migration)}", ()),
        path=migration.path,
        sql=migration.sql,
    )


def overview_context(inputs: Inputs) -> OverviewPage:
    linker = Linker(inputs.plan, INDEX)
    schema = inputs.history.schema
    counts = (
        ("tables", len(schema.tables)),
        ("columns", sum(len(t.columns) for t in schema.tables)),
        ("indexes", sum(len(t.indexes) for t in schema.tables)),
        ("foreign_keys", sum(len(t.foreign_keys) for t in schema.tables)),
        ("views", len(schema.views)),
        ("triggers", len(schema.triggers)),
        ("migrations", len(inputs.history.steps)),
    )
    summaries = [_table_summary(inputs, life, linker) for life in inputs.plan.lives]
    dropped = [life.dropped_in is not None for life in inputs.plan.lives]
    latest = inputs.history.steps[-1].migration if inputs.history.steps else None
    return OverviewPage(
        counts=counts,
        tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if not gone),
        dropped_tables=tuple(s for s, gone in zip(summaries, dropped, strict=True) if gone),
        diagrams=inputs.embeds.get(INDEX, ()),
        latest=linker.migration(latest) if latest else "",
        links={
            "timeline": relative_link(INDEX, TIMELINE),
            "objects": relative_link(INDEX, OBJECTS),
            "dropped": relative_link(INDEX, DROPPED),
        },
    )


def _table_summary(inputs: Inputs, life: TableLife, linker: Linker) -> TableSummary:
    table = life.shape
    sidecar = inputs.descriptions.table(table.name, inputs.language)
    link = f"[{code(table.name)}]({relative_link(linker.page, life.path)})"
    return TableSummary(link, len(table.columns), describe(sidecar, table.description))


def objects_context(inputs: Inputs) -> tuple[tuple[ObjectEntry, ...], tuple[ObjectEntry, ...]]:
    """The current views and triggers, each with its SQL and the migrations that made it."""
    linker = Linker(inputs.plan, OBJECTS)
    schema = inputs.history.schema
    views = tuple(
        ObjectEntry(
            name=code(view.name),
            anchor="v-" + slug(view.name),
            table="",
            detail="",
            description=describe("", view.description),
            history=_object_history(
                inputs, linker, {Action.CREATE_VIEW, Action.DROP_VIEW}, view.name
            ),
            sql=view.sql,
        )
        for view in schema.views
    )
    triggers = tuple(
        ObjectEntry(
            name=code(trigger.name),
            anchor="tr-" + slug(trigger.name),
            table=linker.table(trigger.table),
            detail=f"{trigger.timing} {trigger.event}".strip(),
            description=describe("", trigger.description),
            history=_object_history(
                inputs, linker, {Action.CREATE_TRIGGER, Action.DROP_TRIGGER}, trigger.name
            ),
            sql=trigger.sql,
        )
        for trigger in schema.triggers
    )
    return views, triggers


def _object_history(
    inputs: Inputs, linker: Linker, actions: set[Action], name: str
) -> tuple[HistoryRow, ...]:
    rows = []
    for step in inputs.history.steps:
        lines = tuple(
            _change_line(c, step, linker)
            for c in step.changes
            if c.action in actions and same_name(c.object, name)
        )
        if lines:
            rows.append(HistoryRow(linker.migration(step.migration), lines))
    return tuple(rows)


def dropped_context(inputs: Inputs) -> tuple[DroppedEntry, ...]:
    """Everything a migration dropped that is not there now, in migration order."""
    linker = Linker(inputs.plan, DROPPED)
    schema = inputs.history.schema
    entries: list[DroppedEntry] = []
    for index, step in enumerate(inputs.history.steps):
        migration = linker.migration(step.migration)
        for change in step.changes:
            match change.action:
                case Action.DROP_TABLE if schema.table(change.object) is None:
                    entries.append(
                        DroppedEntry("table", linker.table(change.object, index), migration)
                    )
                case Action.DROP_COLUMN if change.table:
                    column = code(change.object.removeprefix(f"{change.table}."))
                    owner = linker.table(change.table, index)
                    entries.append(DroppedEntry("column", f"{column} ({owner})", migration))
                case Action.DROP_INDEX if schema.index(change.object) is None:
                    entries.append(DroppedEntry("index", code(change.object), migration))
                case Action.DROP_VIEW if schema.view(change.object) is None:
                    entries.append(DroppedEntry("view", code(change.object), migration))
                case Action.DROP_TRIGGER if schema.trigger(change.object) is None:
                    entries.append(DroppedEntry("trigger", code(change.object), migration))
                case _:
                    pass
    return tuple(entries)


# --- rendering -------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("erdgen", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: values pass through the filters below
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        code=code,
        md_text=md_text,
        md_cell=md_cell,
        fence=fence,
        indent4=indent,
        title=title,
    )
    return env


def render_pages(
    history: History,
    descriptions: Descriptions,
    config: Config,
    embeds: Embeds | None = None,
    plan: SitePlan | None = None,
) -> dict[str, bytes]:
    """Every page in every language: path below the output folder -> UTF-8 Markdown."""
    plan = plan or SitePlan.of(history)
    files: dict[str, bytes] = {}
    for language in config.languages:
        inputs = Inputs(plan, descriptions, language, embeds or {})
        catalog = load_catalog(language)
        for page, template, context in _pages(inputs):
            text = _render(template, catalog, config, page=context, path=page)
            files[localized(page, language, config)] = text.encode("utf-8")
    return files


def _pages(inputs: Inputs) -> list[tuple[str, str, object]]:
    pages: list[tuple[str, str, object]] = [
        (INDEX, "index.md.j2", overview_context(inputs)),
        (TIMELINE, "timeline.md.j2", timeline_context(inputs)),
        (OBJECTS, "objects.md.j2", objects_context(inputs)),
        (DROPPED, "dropped.md.j2", dropped_context(inputs)),
    ]
    pages.extend(
        (life.path, "table.md.j2", table_context(inputs, life)) for life in inputs.plan.lives
    )
    return pages


def _render(template: str, catalog: Catalog, config: Config, **context: object) -> str:
    text = (
        environment()
        .get_template(template)
        .render(t=catalog.t, language=catalog.language, title_text=config.site_title, **context)
    )
    return tidy(text)


def tidy(markdown: str) -> str:
    """No trailing spaces, no runs of blank lines outside code fences, one final newline."""
    lines: list[str] = []
    fence_marker: str | None = None
    for line in markdown.split("\n"):
        line = line.rstrip()
        opening = re.match(r"\s*(`{3,})", line)
        if opening and (fence_marker is None or opening.group(1) == fence_marker):
            fence_marker = opening.group(1) if fence_marker is None else None
        elif fence_marker is None and not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"
