"""The rules that read the migrations themselves: destructive changes without a note,
gaps in the numbering, statements erdgen did not understand or a fresh database refused,
transaction control that Cloudflare D1 rejects."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path

from msgspec.structs import replace

from erdgen.core.lineage import reads_from
from erdgen.core.row_loss import clause
from erdgen.dialects.sqlite.split import scan
from erdgen.dialects.sqlite.tool_comments import is_prisma_warnings
from erdgen.errors import Diagnostic, Location, Severity, is_about_a_statement, is_about_the_folder
from erdgen.model import Action, Change, Column, IdentifierRule, Migration
from erdgen.rules.comments import comments_of
from erdgen.rules.registry import Report, Subject, id_of, project_rule

W, E = Severity.WARNING, Severity.ERROR

# Whole words (or word stems) in the header comment that say a migration destroys data.
DESTRUCTIVE_NOTE = re.compile(
    r"\b(drop\w*|destructive|destruktiv\w*|remov\w*|delet\w*|entfern\w*|l[öo]sch\w*|gel[öo]scht)\b",
    re.IGNORECASE,
)
DESTRUCTIVE_MARKER = "erdgen: destructive"


@project_rule("destructive-change-without-note", E, "a migration drops data without saying so")
def destructive_change_without_note(subject: Subject) -> Iterator[Report]:
    """Only migrations that are not locked yet, when there is a lock file: a note added to a
    locked one would change a deployed migration (``locked-migration-changed``)."""
    # imported here: importing the lock rules first would list them before these
    from erdgen.rules.lock import locked_ids

    history, locked = subject.history, locked_ids(subject) or frozenset()
    for step in history.steps:
        if step.migration.id in locked or _has_destructive_note(step.migration, history.dialect):
            continue
        for position, change in enumerate(step.changes):
            lost = _lost_data(change)
            if lost and not _kept_elsewhere(change, step.changes[:position], history.names):
                yield Report(
                    change.location,
                    f"{lost}, but the header comment of {Path(step.migration.path).name} "
                    f"does not say so (mention the drop, or add `-- {DESTRUCTIVE_MARKER}`)",
                )


def _kept_elsewhere(drop: Change, earlier: tuple[Change, ...], names: IdentifierRule) -> bool:
    """A dropped table that held no old data (created in this migration), or whose rows an
    earlier ``INSERT ... SELECT ... FROM`` of the same migration copied in a form lineage
    does not read column by column (a join, a sub-select); where it does, ``copied_to``
    says which columns were copied and the others are lost. A filtered copy leaves rows
    behind: lineage then sets ``rows_lost``."""
    if drop.action != Action.DROP_TABLE:
        return False
    return any(
        (change.action == Action.CREATE_TABLE and names.same(change.object, drop.object))
        or (
            not drop.copied_to
            and not drop.rows_lost
            and change.verb == "INSERT"
            and reads_from(change.statement, drop.object)
        )
        for change in earlier
    )


def _has_destructive_note(migration: Migration, dialect: str) -> bool:
    # the header comment, and a tool's own note of the change (sqitch's plan note)
    if any(DESTRUCTIVE_NOTE.search(text) for text in (migration.description, migration.note)):
        return True
    comments = list(comments_of(migration.sql, dialect))
    return any(text.lower().startswith(DESTRUCTIVE_MARKER) for _, text in comments) or any(
        _prisma_loss_warning(migration.sql, start) for start, _ in comments
    )


# What Prisma Migrate's warnings say of lost data: "You are about to drop the column `a` on
# the `T` table. All the data in the column will be lost.", "... the `T` table. If the table
# is not empty, all the data it contains will be lost.", "The values [X] on the enum `E`
# will be removed." (prisma-engines, destructive_change_checker's warning texts).
_PRISMA_LOSS = re.compile(r"\b(?:drop|will be lost|will be removed)\b", re.IGNORECASE)


def _prisma_loss_warning(sql: str, start: int) -> bool:
    """Whether the comment at ``start`` is the ``/* Warnings: - ... */`` block Prisma Migrate
    writes atop a migration it generated, warning of lost data: it is a note on the
    destructive change (the splitter blanks its words, the tool's, from descriptions)."""
    if not sql.startswith("/*", start):
        return False
    end = sql.find("*/", start + 2)
    body = sql[start + 2 : end if end >= 0 else len(sql)]
    lines = "\n".join(line.strip() for line in body.splitlines() if line.strip())
    return is_prisma_warnings(lines) and _PRISMA_LOSS.search(lines) is not None


def _lost_data(change: Change) -> str:
    """What data a change throws away, in words; empty when it keeps everything. Columns
    whose values an ``INSERT ... SELECT`` of the migration copied elsewhere are kept
    (``Change.copied_to``, read by ``erdgen.core.lineage`` for the pages and the export too),
    unless that copy left rows behind (``Change.rows_lost``)."""
    if not change.destructive:
        return ""
    if change.action is Action.DATA:  # a DELETE or TRUNCATE (core.row_loss.deleted_rows)
        how = "; ".join(clause(loss) for loss in change.rows_lost)
        return f"{change.verb or 'SQL'} on table {change.table or change.object}: {how}"
    lost = ", ".join(change.lost_columns)
    how = _ways(change)
    if change.rows_lost and not change.lost_columns:  # every column copied, some rows
        match change.action:
            case Action.REBUILD_TABLE:
                return f"rebuilds table {change.object} but copies only some of its rows ({how})"
            case Action.DROP_TABLE:
                return f"drops table {change.object}; only some of its rows were copied ({how})"
            case Action.DROP_COLUMN:
                return f"drops column {change.object}; only some rows were copied ({how})"
    # columns lost, and rows too: said both ways, as the page lists both
    rows = f"; only some of its rows were copied ({how})" if change.rows_lost else ""
    if change.action is Action.DROP_TABLE:
        if not change.copied_to:
            return f"drops table {change.object}{rows}"
        renumbered = change.before is not None and change.lost_columns == (
            change.before.rowid_alias,
        )
        why = " (the copied rows get new rowids)" if renumbered else ""
        return f"drops table {change.object}; column(s) {lost} are copied nowhere{why}{rows}"
    if change.action is Action.DROP_COLUMN:
        return f"drops column {change.object}"
    return f"rebuilds table {change.object} without column(s) {lost}{rows}"


def _ways(change: Change, shown: int = 3) -> str:
    """How the rows were lost, in the statements' words: the first few, then how many."""
    ways = [clause(loss) for loss in change.rows_lost]
    more = f", … ({len(ways)} in all)" if len(ways) > shown else ""
    return ", ".join(ways[:shown]) + more


def sqlite_not_null_without_default(subject: Subject) -> Iterator[Report]:
    """SQLite's and libSQL's half of ``not-null-column-without-default`` (registered with the
    PostgreSQL half in ``postgres_rules``): ``ADD COLUMN z ... NOT NULL`` with no default
    (``DEFAULT NULL`` is none), not generated, on a table that existed before the migration
    and that it did not empty first. SQLite refuses it on a table with a row ("Cannot add a
    NOT NULL column with default value NULL", ``sqlite3AlterFinishAddColumn``), so it
    passes on an empty development database and fails in production."""
    names = subject.history.names
    before: frozenset[str] = frozenset()
    for step in subject.history.steps:
        emptied: set[str] = set()
        made: set[str] = set()
        for change in step.changes:
            table = names.key(change.table or change.object)
            if change.action is Action.CREATE_TABLE:
                made.add(table)
            elif change.action is Action.DATA and any(
                loss.kind == "deleted_all" for loss in change.rows_lost
            ):
                emptied.add(table)
            elif change.action is Action.ADD_COLUMN and table in before - made - emptied:
                column = _added_column(change)
                if column is not None and _refused_on_rows(column):
                    named = " ".join(part for part in (column.name, column.type) if part)
                    yield Report(
                        change.location,
                        f"ADD COLUMN {named} NOT NULL without a DEFAULT: "
                        f'SQLite refuses it as soon as {change.table} has a row ("Cannot add a '
                        'NOT NULL column with default value NULL"): add a DEFAULT, or rebuild '
                        "the table with the new column filled",
                    )
        before = frozenset(names.key(t.name) for t in step.schema.tables)


def _added_column(change: Change) -> Column | None:
    name = change.object[len(change.table) + 1 :] if change.table else change.object
    return change.after.column(name) if change.after is not None else None


def _refused_on_rows(column: Column) -> bool:
    default = (column.default or "").strip()
    while default.startswith("(") and default.endswith(")"):  # (NULL) is NULL too
        default = default[1:-1].strip()
    no_default = not default or re.fullmatch("NULL", default, re.IGNORECASE) is not None
    return column.not_null and no_default and column.generated is None


_TIMESTAMP_VERSION = 10**9  # 20220505083406-style versions are dates, not a sequence


@project_rule("migration-numbering-gap", W, "sequential migration numbers skip a number")
def migration_numbering_gap(subject: Subject) -> Iterator[Report]:
    """Gaps between consecutive numbers: only where every label starts with a number of a
    dense sequence (0001, 0002, ...; wrangler's shared numbers are no gap), never for
    timestamps, dotted versions, tags or names."""
    migrations = subject.history.migrations
    numbers = [_leading_number(m.shown) for m in migrations]
    if not numbers or None in numbers or (numbers[-1] or 0) >= _TIMESTAMP_VERSION:
        return
    for (previous, before), (current, after) in pairwise(zip(migrations, numbers, strict=True)):
        if before is not None and after is not None and after > before + 1:
            width = len(str(current.shown).split("_", 1)[0])
            missing = _missing_range(before, after, width)
            yield Report(
                _first_statement(current),
                f"migration {current.shown} follows {previous.shown}: {missing} missing",
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


@project_rule("statement-not-understood", W, "erdgen could not understand a statement")
def statement_not_understood(subject: Subject) -> Iterator[Report]:
    for diagnostic in subject.history.diagnostics:
        if is_about_a_statement(diagnostic):
            yield Report(diagnostic.location, f"{diagnostic.message} [{diagnostic.code}]")


@project_rule("layout-warning", W, "the folder differs from what its migration tool runs")
def layout_warning(subject: Subject) -> Iterator[Report]:
    """What discovery noticed: a file the tool would not run, an ``atlas.sum`` that does
    not match, markers of another tool, folders whose order the tool may see otherwise."""
    for diagnostic in subject.history.diagnostics:
        if is_about_the_folder(diagnostic):
            yield Report(diagnostic.location, diagnostic.message)


@project_rule("fails-on-fresh-database", E, "a fresh database refuses a statement (--keep-going)")
def fails_on_fresh_database(subject: Subject) -> Iterator[Report]:
    """Each statement ``--keep-going`` skipped: the folder cannot be built from empty."""
    for skip in subject.history.skipped:
        yield Report(
            skip.location,
            "; ".join(
                (
                    f"a fresh database refuses this statement ({skip.reason}); "
                    "--keep-going skipped it",
                    *skip.causes,
                )
            ),
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


@project_rule(
    "d1-transaction-statement", E, "Cloudflare D1 rejects BEGIN, COMMIT, SAVEPOINT ...",
    dialects=("sqlite", "libsql"),  # D1 is SQLite; a numbered PostgreSQL folder is no D1 folder
)  # fmt: skip
def d1_transaction_statement(subject: Subject) -> Iterator[Report]:
    """Transaction control in a Cloudflare D1 (wrangler) folder, which D1 rejects."""
    migrations, layout = subject.history.migrations, subject.history.layout
    if layout and layout not in _D1_LAYOUTS:
        return
    if not layout and not all(_D1_FILE.match(Path(m.path).name) for m in migrations):
        return
    for migration in migrations:
        for statement in scan(migration.sql).statements:
            if _D1_REJECTED.match(statement.text) is None:
                continue
            shown = " ".join(statement.text.rstrip(";").split())
            yield Report(
                Location(migration.path, statement.line, statement.column),
                f"Cloudflare D1 rejects `{shown}`: wrangler runs each migration in D1's own "
                "transaction, and D1 refuses SQL transaction control; remove it",
            )


def at_configured_levels(
    diagnostics: Iterable[Diagnostic], levels: Mapping[str, str]
) -> tuple[Diagnostic, ...]:
    """The history's diagnostics at the level the project gives the rule that reports them
    in ``erdgen check``, for ``build`` and the MkDocs plugin: dropped at ``off``, so
    ``statement-not-understood: off`` lets ``mkdocs build --strict`` pass on a folder whose
    ``DO`` blocks erdgen cannot read."""
    kept = []
    for diagnostic in diagnostics:
        level = levels.get(_reporting_rule(diagnostic) or "")
        if level == "off":
            continue
        kept.append(diagnostic if level is None else replace(diagnostic, severity=Severity(level)))
    return tuple(kept)


def _reporting_rule(diagnostic: Diagnostic) -> str | None:
    if is_about_the_folder(diagnostic):
        return id_of(layout_warning)
    return id_of(statement_not_understood) if is_about_a_statement(diagnostic) else None
