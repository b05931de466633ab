"""Lint rules over the schema model and the migration files.

Each rule has a kebab-case id, a default severity and a docs page
(``docs/erdgen/rules/<id>.md``). Schema rules look at the schema after the last
migration; a finding is placed at the statement that introduced it: the first
migration from which the problem stays until the end, and there the change that
touched the object. A finding is silenced by a SQL comment on the statement's
first line or in the comment lines just above it::

    -- erdgen: ignore[table-without-primary-key] append-only log, rows are never updated

The reason is required: an ignore without one silences nothing and is itself a finding.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from erdgen.descriptions import Descriptions
from erdgen.dialects.sqlite.split import scan
from erdgen.errors import Location, Severity
from erdgen.model import (
    Action,
    Change,
    Column,
    History,
    IdentifierRule,
    Index,
    Migration,
    Schema,
    Table,
)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one line, for `erdgen check --list-rules` and the docs index


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    location: Location
    rule: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """``file:line: rule-id: message [severity]``."""
        place = f"{self.location.path}:{self.location.line}"
        return f"{place}: {self.rule}: {self.message} [{self.severity}]"


W, E = Severity.WARNING, Severity.ERROR
RULES = (
    Rule("table-without-primary-key", W, "a table has no primary key"),
    Rule("foreign-key-target-missing", E, "a foreign key points at a missing table or column"),
    Rule("foreign-key-without-index", W, "no index starts with a foreign key's columns"),
    Rule("redundant-index", W, "an index duplicates another or is a prefix of another"),
    Rule("index-key-is-a-string", W, 'an index key "x" names no column: SQLite indexes the string'),
    Rule("misspelled-column-type", E, "a declared column type looks like a typo of a known type"),
    Rule("unknown-column-type", W, "a declared column type is unknown and gets NUMERIC affinity"),
    Rule("destructive-change-without-note", E, "a migration drops data without saying so"),
    Rule("missing-description", W, "a table or column has no description in either language"),
    Rule("migration-numbering-gap", W, "sequential migration numbers skip a number"),
    Rule("statement-not-understood", W, "erdgen could not understand a statement"),
    Rule("invalid-ignore", E, "an erdgen: ignore comment has no reason or an unknown rule id"),
    Rule("fails-on-fresh-database", E, "a fresh database refuses a statement (--keep-going)"),
    Rule("d1-transaction-statement", E, "Cloudflare D1 rejects BEGIN, COMMIT, SAVEPOINT ..."),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A schema problem before it has a place: ``objects`` name what it is about."""

    rule: str
    message: str
    objects: tuple[str, ...]  # most specific first: "users.email", "users"


@dataclass(frozen=True, slots=True)
class Texts:
    """The sidecar descriptions and the languages a description may be in."""

    descriptions: Descriptions = field(default_factory=Descriptions)
    languages: tuple[str, ...] = ("de", "en")

    def table(self, table: Table) -> bool:
        return bool(table.description) or any(
            self.descriptions.table(table.name, language).strip() for language in self.languages
        )

    def column(self, table: Table, column: Column) -> bool:
        return bool(column.description) or any(
            self.descriptions.column(table.name, column.name, language).strip()
            for language in self.languages
        )


def lint(
    history: History, texts: Texts | None = None, known_rules: Iterable[str] = ()
) -> list[Finding]:
    """Every lint finding with its default severity, inline ignores applied.

    ``known_rules`` are further rule ids an ignore comment may name (e.g. lock rules).
    """
    findings = [
        *schema_findings(history, texts or Texts()),
        *destructive_findings(history),
        *numbering_findings(history.migrations),
        *diagnostic_findings(history),
        *skipped_findings(history),
        *d1_transaction_findings(history.migrations, history.layout),
    ]
    ids = {rule.id for rule in RULES} | set(known_rules)
    ignores = [ignore for m in history.migrations for ignore in ignore_comments(m)]
    kept = [f for f in findings if not any(i.silences(f) for i in ignores)]
    return sorted([*kept, *invalid_ignore_findings(ignores, ids)])


# --- schema rules -------------------------------------------------------------------------


SchemaRule = Callable[[Schema, Texts], Iterator[Problem]]


def schema_findings(history: History, texts: Texts) -> Iterator[Finding]:
    if not history.steps:
        return
    cache: dict[int, frozenset[Problem]] = {}

    def problems_at(position: int) -> frozenset[Problem]:
        if position not in cache:
            schema = history.steps[position].schema
            cache[position] = frozenset(p for rule in SCHEMA_RULES for p in rule(schema, texts))
        return cache[position]

    last = len(history.steps) - 1
    for problem in sorted(problems_at(last), key=lambda p: (p.rule, p.objects, p.message)):
        position = last
        while position > 0 and problem in problems_at(position - 1):
            position -= 1
        location = _introducing_location(
            history.steps[position].changes, problem.objects, history.names
        )
        if location is None:
            location = Location(history.steps[position].migration.path, 1)
        yield Finding(location, problem.rule, problem.message, _default(problem.rule))


def _introducing_location(
    changes: tuple[Change, ...], objects: tuple[str, ...], names: IdentifierRule
) -> Location | None:
    for name in objects:
        for change in changes:
            if names.same(change.object, name):
                return change.location
    for name in objects:
        for change in changes:
            if change.table is not None and names.same(change.table, name):
                return change.location
    return changes[0].location if changes else None


def table_without_primary_key(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        if not table.primary_key:
            yield Problem(
                "table-without-primary-key",
                f"table {table.name} has no primary key (rows can only be told apart by rowid)",
                (table.name,),
            )


def foreign_key_target_missing(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        for key in table.foreign_keys:
            source = f"{table.name}({', '.join(key.columns)})"
            target = schema.table(key.ref_table)
            if target is None:
                yield Problem(
                    "foreign-key-target-missing",
                    f"foreign key {source} references table {key.ref_table}, which does not exist",
                    (table.name,),
                )
                continue
            for column in key.ref_columns:
                if target.column(column) is None:
                    yield Problem(
                        "foreign-key-target-missing",
                        f"foreign key {source} references column {key.ref_table}.{column}, "
                        "which does not exist",
                        (table.name,),
                    )
            if not key.ref_columns and not target.primary_key:
                yield Problem(
                    "foreign-key-target-missing",
                    f"foreign key {source} references {key.ref_table} without naming columns, "
                    f"and {key.ref_table} has no primary key",
                    (table.name,),
                )


def foreign_key_without_index(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        for key in table.foreign_keys:
            if not _is_indexed(table, key.columns):
                columns = ", ".join(key.columns)
                yield Problem(
                    "foreign-key-without-index",
                    f"foreign key {table.name}({columns}) -> {key.ref_table} has no index "
                    f"starting with ({columns}): deleting or updating a {key.ref_table} row "
                    f"scans all of {table.name}",
                    (*(f"{table.name}.{c}" for c in key.columns), table.name),
                )


def _is_indexed(table: Table, columns: tuple[str, ...]) -> bool:
    wanted = {table.names.key(c) for c in columns}
    if table.rowid_alias is not None and wanted == {table.names.key(table.rowid_alias)}:
        return True
    keys: list[tuple[str, ...]] = [
        index.column_names for index in table.indexes if not index.partial
    ]
    if table.primary_key and table.without_rowid:
        keys.append(table.primary_key)
    return any({table.names.key(c) for c in key[: len(wanted)]} == wanted for key in keys)


def redundant_index(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        for index in table.indexes:
            other = _covering_index(table, index)
            if other is None:
                continue
            same = _index_key(other, table.names) == _index_key(index, table.names)
            what = "duplicates" if same else "is a prefix of"
            yield Problem(
                "redundant-index",
                f"index {index.name} on {table.name}({', '.join(index.column_names)}) {what} "
                f"index {other.name} ({', '.join(other.column_names)}): drop it",
                (index.name, other.name, table.name),
            )


def _covering_index(table: Table, index: Index) -> Index | None:
    """Another index that makes ``index`` unnecessary (of two duplicates, the earlier one)."""
    if index.origin != "c":
        return None  # constraint indexes cannot be dropped on their own
    key, own = _index_key(index, table.names), table.indexes.index(index)
    for position, other in enumerate(table.indexes):
        other_key = _index_key(other, table.names)
        if other is index or other_key[: len(key)] != key or not _same_condition(index, other):
            continue
        earlier = other.origin != "c" or position < own
        if index.unique:  # it enforces something: only an identical unique index replaces it
            if other.unique and other_key == key and earlier:
                return other
        elif other_key != key or other.unique or earlier:
            return other
    return None


def _index_key(index: Index, names: IdentifierRule) -> tuple[tuple[str, bool, str], ...]:
    return tuple(
        (names.key(c.label), c.descending, names.key(c.collation or "")) for c in index.columns
    )


def _same_condition(a: Index, b: Index) -> bool:
    return " ".join((a.where or "").split()).lower() == " ".join((b.where or "").split()).lower()


# Type names from SQLite's "Datatypes In SQLite" (section 3.1.1), without sizes.
KNOWN_TYPES = (
    "INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "UNSIGNED BIG INT",
    "INT2", "INT8", "CHARACTER", "CHAR", "VARCHAR", "VARYING CHARACTER", "NCHAR",
    "NATIVE CHARACTER", "NVARCHAR", "TEXT", "CLOB", "BLOB", "REAL", "DOUBLE",
    "DOUBLE PRECISION", "FLOAT", "NUMERIC", "DECIMAL", "BOOLEAN", "DATE", "DATETIME",
)  # fmt: skip
_TYPO_CUTOFF = 0.85  # difflib ratio above which an unknown name counts as a misspelling
_SUGGEST_CUTOFF = 0.6


def type_affinity(declared: str) -> str:
    """SQLite's affinity rules, in their order (datatype3.html, section 3.1)."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(part in upper for part in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper.strip():
        return "BLOB"
    if any(part in upper for part in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def base_type_name(declared: str) -> str:
    """``varchar( 255 )`` -> ``VARCHAR``; ``unsigned  big int`` -> ``UNSIGNED BIG INT``."""
    return " ".join(declared.split("(", 1)[0].upper().split())


def is_known_type(name: str) -> bool:
    """A documented name, or one followed by a width in digits (``INT4``, ``VARCHAR2``)."""
    return name == "" or name in KNOWN_TYPES or name.rstrip("0123456789") in KNOWN_TYPES


def column_types(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        if table.strict:
            continue  # SQLite itself rejects unknown types in STRICT tables
        for column in table.columns:
            problem = _type_problem(table, column)
            if problem is not None:
                yield problem


def _type_problem(table: Table, column: Column) -> Problem | None:
    name = base_type_name(column.type)
    if is_known_type(name):
        return None
    affinity = type_affinity(column.type)
    where = f"column {table.name}.{column.name}"
    objects = (f"{table.name}.{column.name}", table.name)
    typo = difflib.get_close_matches(name, KNOWN_TYPES, n=1, cutoff=_TYPO_CUTOFF)
    if typo:
        return Problem(
            "misspelled-column-type",
            f"{where} has type {column.type}, which SQLite accepts silently with "
            f"{affinity} affinity: did you mean {typo[0]}?",
            objects,
        )
    if affinity != "NUMERIC":
        return None
    close = difflib.get_close_matches(name, KNOWN_TYPES, n=1, cutoff=_SUGGEST_CUTOFF)
    hint = f" (closest known type: {close[0]})" if close else ""
    return Problem(
        "unknown-column-type",
        f"{where} has type {column.type}, which is not a SQLite type name and gets "
        f"NUMERIC affinity (text that looks like a number is stored as a number){hint}",
        objects,
    )


def missing_description(schema: Schema, texts: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        if not texts.table(table):
            yield Problem(
                "missing-description",
                f"table {table.name} has no description (SQL comment or sidecar)",
                (table.name,),
            )
        for column in table.columns:
            if not texts.column(table, column):
                yield Problem(
                    "missing-description",
                    f"column {table.name}.{column.name} has no description "
                    "(SQL comment or sidecar)",
                    (f"{table.name}.{column.name}", table.name),
                )


def index_key_is_a_string(schema: Schema, _: Texts) -> Iterator[Problem]:
    """SQLite reads a double-quoted key that names no column as a string (its DQS rule):
    the index then holds one constant value for every row, almost always a typo."""
    for table in schema.tables:
        for index in table.indexes:
            for key in index.columns:
                text = key.expression or ""
                if key.name is None and len(text) > 1 and text[0] == text[-1] == '"':
                    yield Problem(
                        "index-key-is-a-string",
                        f"index {index.name} on {table.name}: {text} names no column, so "
                        f"SQLite indexes the string {text[1:-1]!r}; name a column",
                        (index.name, table.name),
                    )


SCHEMA_RULES: tuple[SchemaRule, ...] = (
    table_without_primary_key,
    foreign_key_target_missing,
    foreign_key_without_index,
    redundant_index,
    index_key_is_a_string,
    column_types,
    missing_description,
)


# --- migration rules ----------------------------------------------------------------------

# Whole words (or word stems) in the header comment that say a migration destroys data.
DESTRUCTIVE_NOTE = re.compile(
    r"\b(drop\w*|destructive|destruktiv\w*|remov\w*|delet\w*|entfern\w*|l[öo]sch\w*|gel[öo]scht)\b",
    re.IGNORECASE,
)
DESTRUCTIVE_MARKER = "erdgen: destructive"


def destructive_findings(history: History) -> Iterator[Finding]:
    for step in history.steps:
        if _has_destructive_note(step.migration):
            continue
        for position, change in enumerate(step.changes):
            lost = _lost_data(change)
            if lost and not _kept_elsewhere(change, step.changes[:position], history.names):
                yield Finding(
                    change.location,
                    "destructive-change-without-note",
                    f"{lost}, but the header comment of {Path(step.migration.path).name} "
                    f"does not say so (mention the drop, or add `-- {DESTRUCTIVE_MARKER}`)",
                    _default("destructive-change-without-note"),
                )


def _kept_elsewhere(drop: Change, earlier: tuple[Change, ...], names: IdentifierRule) -> bool:
    """A dropped table that held no old data (created in this migration) or whose rows an
    earlier ``INSERT ... SELECT ... FROM`` of the same migration copied (a backup rebuild)."""
    if drop.action != Action.DROP_TABLE:
        return False
    name = re.escape(drop.object)
    # SQLite folds ASCII letters only
    reads = re.compile(rf"\bFROM\s+[\"`\[]?{name}\b", re.IGNORECASE | re.ASCII)
    return any(
        (change.action == Action.CREATE_TABLE and names.same(change.object, drop.object))
        or (change.verb == "INSERT" and reads.search(change.statement) is not None)
        for change in earlier
    )


def _has_destructive_note(migration: Migration) -> bool:
    if DESTRUCTIVE_NOTE.search(migration.description):
        return True
    return any(c.text.lower().startswith(DESTRUCTIVE_MARKER) for c in scan(migration.sql).comments)


def _lost_data(change: Change) -> str:
    """What data a change throws away, in words; empty when it keeps everything."""
    if change.action in (Action.DROP_TABLE, Action.DROP_COLUMN):
        kind = "column" if change.action == Action.DROP_COLUMN else "table"
        return f"drops {kind} {change.object}"
    if change.action == Action.REBUILD_TABLE and change.before and change.after:
        kept = {change.after.names.key(c.name) for c in change.after.columns}
        lost = [c.name for c in change.before.columns if change.after.names.key(c.name) not in kept]
        if lost:
            return f"rebuilds table {change.object} without column(s) {', '.join(lost)}"
    return ""


_TIMESTAMP_VERSION = 10**9  # 20220505083406-style versions are dates, not a sequence


def numbering_findings(migrations: tuple[Migration, ...]) -> Iterator[Finding]:
    """Gaps between consecutive numbers: only where every label starts with a number of a
    dense sequence (0001, 0002, ...; wrangler's shared numbers are no gap), never for
    timestamps, dotted versions, tags or names."""
    numbers = [_leading_number(m.shown) for m in migrations]
    if not numbers or None in numbers or (numbers[-1] or 0) >= _TIMESTAMP_VERSION:
        return
    for (previous, before), (current, after) in pairwise(zip(migrations, numbers, strict=True)):
        if before is not None and after is not None and after > before + 1:
            width = len(str(current.shown).split("_", 1)[0])
            missing = _missing_range(before, after, width)
            yield Finding(
                _first_statement(current),
                "migration-numbering-gap",
                f"migration {current.shown} follows {previous.shown}: {missing} missing",
                _default("migration-numbering-gap"),
            )


def _leading_number(label: str) -> int | None:
    digits = label.split("_", 1)[0]
    return int(digits) if digits.isdigit() else None


def _missing_range(previous: int, current: int, width: int) -> str:
    first, last = str(previous + 1).zfill(width), str(current - 1).zfill(width)
    return f"number {first} is" if first == last else f"numbers {first}..{last} are"


def _first_statement(migration: Migration) -> Location:
    statements = scan(migration.sql).statements
    line = statements[0].line if statements else 1
    return Location(migration.path, line)


def diagnostic_findings(history: History) -> Iterator[Finding]:
    for diagnostic in history.diagnostics:
        if diagnostic.severity == Severity.INFO or diagnostic.code == "skipped":
            continue  # skipped statements: fails-on-fresh-database
        yield Finding(
            diagnostic.location,
            "statement-not-understood",
            f"{diagnostic.message} [{diagnostic.code}]",
            _default("statement-not-understood"),
        )


def skipped_findings(history: History) -> Iterator[Finding]:
    """Each statement ``--keep-going`` skipped: the folder cannot be built from empty."""
    for skip in history.skipped:
        yield Finding(
            skip.location,
            "fails-on-fresh-database",
            "; ".join(
                (
                    f"a fresh database refuses this statement ({skip.reason}); "
                    "--keep-going skipped it",
                    *skip.causes,
                )
            ),
            _default("fails-on-fresh-database"),
        )


# The layouts that apply wrangler's rules (erdgen.layouts); a history of unknown layout
# counts as D1's when every file has the name ``wrangler d1 migrations create`` gives it.
_D1_LAYOUTS = frozenset({"wrangler", "flat"})
_D1_FILE = re.compile(r"^\d{4}_[^/]+\.sql$")
# D1 refuses SQL transaction control: a migration runs in D1's own transaction, and the
# statements below fail with "To execute a transaction, please use the
# state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL
# BEGIN TRANSACTION or SAVEPOINT statements" (developers.cloudflare.com/d1, SQL statements).
_D1_REJECTED = re.compile(r"(?:BEGIN|COMMIT|END|SAVEPOINT|RELEASE|ROLLBACK)\b", re.IGNORECASE)


def d1_transaction_findings(
    migrations: tuple[Migration, ...], layout: str = ""
) -> Iterator[Finding]:
    """Transaction control in a Cloudflare D1 (wrangler) folder, which D1 rejects."""
    if layout and layout not in _D1_LAYOUTS:
        return
    if not layout and not all(_D1_FILE.match(Path(m.path).name) for m in migrations):
        return
    for migration in migrations:
        scanned = scan(migration.sql)
        for statement in scanned.statements:
            if _D1_REJECTED.match(statement.text) is None:
                continue
            shown = " ".join(statement.text.rstrip(";").split())
            yield Finding(
                Location(migration.path, statement.line, statement.column),
                "d1-transaction-statement",
                f"Cloudflare D1 rejects `{shown}`: wrangler runs each migration in D1's own "
                "transaction, and D1 refuses SQL transaction control; remove it",
                _default("d1-transaction-statement"),
            )


# --- inline ignores -----------------------------------------------------------------------

_IGNORE = re.compile(r"^erdgen:\s*ignore\s*\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Ignore:
    """An ``-- erdgen: ignore[rule, ...] reason`` comment and the lines it covers."""

    location: Location
    rules: tuple[str, ...]
    reason: str
    lines: frozenset[int] = field(default_factory=frozenset)  # statement lines it applies to

    def silences(self, finding: Finding) -> bool:
        return (
            bool(self.reason)
            and finding.location.path == self.location.path
            and finding.location.line in self.lines
            and finding.rule in self.rules
        )


def ignore_comments(migration: Migration) -> Iterator[Ignore]:
    scanned = scan(migration.sql)
    lines = migration.sql.split("\n")
    for comment in scanned.comments:
        match = _IGNORE.match(comment.text)
        if match is None:
            continue
        line, column = scanned.position(comment.start)
        rules = tuple(r.strip() for r in match["rules"].split(",") if r.strip())
        reason = " ".join(match["reason"].split())
        covered = _covered_lines(lines, line)
        yield Ignore(Location(migration.path, line, column), rules, reason, covered)


def _covered_lines(lines: list[str], line: int) -> frozenset[int]:
    """The comment's own line, and the next code line if only comments lie in between."""
    covered = {line}
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if not text.startswith("--"):
            if text:
                covered.add(number)
            break
    return frozenset(covered)


def invalid_ignore_findings(ignores: Iterable[Ignore], rule_ids: set[str]) -> Iterator[Finding]:
    for ignore in ignores:
        unknown = [rule for rule in ignore.rules if rule not in rule_ids]
        if not ignore.rules:
            message = "erdgen: ignore[...] names no rule"
        elif unknown:
            message = f"erdgen: ignore names unknown rule(s) {', '.join(unknown)}"
        elif not ignore.reason:
            message = "erdgen: ignore needs a reason after the ] (it silences nothing without one)"
        else:
            continue
        yield Finding(ignore.location, "invalid-ignore", message, _default("invalid-ignore"))


# --- severities ---------------------------------------------------------------------------


def _default(rule_id: str) -> Severity:
    return next(rule.severity for rule in RULES if rule.id == rule_id)
