"""Comments that migration tools write into the files they generate.

They are the tool's words, not a description of a migration, table or column: a comment
line that is one of them is left out of a description (``split._as_paragraph``), and a
human line next to it still counts. Each pattern is the tool's own template, with where
it comes from; a line must match a whole template, so a human sentence that merely starts
like one stays.
"""

from __future__ import annotations

import re

_NAME = r'"[^"]*"'  # Atlas quotes names with Go's %q

_TEMPLATES = (
    # Cloudflare wrangler, `wrangler d1 migrations create`: the new file's only line is
    # `-- Migration number: ${nextMigrationNumber} \t ${new Date().toISOString()}`
    # (workers-sdk, packages/wrangler/src/d1/migrations/create.ts; wrangler 4.86's cli.js)
    r"Migration number: \d+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z",
    # diesel CLI: `diesel setup` writes 00000000000000_diesel_initial_setup/up.sql with
    # this header (diesel_cli/src/setup_sql/postgres/initial_setup/up.sql), and
    # `diesel migration generate` writes "-- Your SQL goes here" into up.sql and the
    # down.sql line (diesel_cli/src/migrations/mod.rs)
    r"This file was automatically created by Diesel to setup helper functions",
    r"and other internal bookkeeping\. This file is safe to edit, any future",
    r"changes will be added to existing projects as new migrations\.",
    r"Your SQL goes here",
    r"This file should undo anything in `up\.sql`",
    # sqlx-cli, `sqlx migrate add` (sqlx-core/src/migrate/migration_type.rs, file_content)
    r"Add (?:up |down )?migration script here",
    # goose, `goose create NAME sql`: pressly/goose's template (create.go,
    # sqlMigrationTemplate) and the older liamstask/goose one
    r"SQL in this section is executed when the migration is (?:applied|rolled back)\.",
    r"SQL in section 'Up' is executed when this migration is applied",
    r"SQL section 'Down' is executed when this migration is rolled back",
    # drizzle-kit: `drizzle-kit generate --custom` and the breakpoint it writes between
    # statements (both in drizzle-kit 0.31's bin.cjs; drizzle-orm's migrator splits on it)
    r"Custom SQL migration file, put your code below! --",
    r"> statement-breakpoint",
    # sqitch, `sqitch add`: etc/templates/deploy/<engine>.tmpl
    r"Deploy [^\s:]+:\S+ to \w+",
    r"(?:requires|conflicts): \S+",
    r"XXX Add DDLs here\.",
    # sqitch plan pragmas ("%project=registry") and dependencies ("%requires: a b") copied
    # into a script's header (registry's fix-waitlist-reorder): the plan's, not a description
    r"%\s*(?:syntax-version|project|uri)\s*=\s*\S*",
    r"%\s*(?:requires|conflicts)\s*:.*",
    # Prisma Migrate: the step headers of prisma-engines' SQL renderer ("-- CreateTable")
    r"(?:Create|Alter|Drop|Add|Rename|Redefine)"
    r"(?:Schema|Extension|Enum|Tables?|Index|ForeignKey|PrimaryKey|View|UserDefinedType|Sequence)",
    # Atlas, `atlas migrate diff`: the comment of each planned change
    # (ariga.io/atlas sql/sqlite/migrate.go and sql/postgres/migrate.go, "create %q table"
    # ...; newer versions capitalise the first letter), "reverse: " on the down side
    rf"(?i:(?:reverse: )?(?:"
    rf"create {_NAME} table|drop {_NAME} table(?: after copying rows)?|modify {_NAME} table"
    rf"|rename temporary table {_NAME} to {_NAME}|rename a column from {_NAME} to {_NAME}"
    rf"|copy rows from old table {_NAME} to new temporary table {_NAME}"
    rf"|(?:add|drop) column {_NAME} (?:to|from) table: {_NAME}"
    rf"|create index {_NAME} to table: {_NAME}|drop index {_NAME} from table: {_NAME}"
    rf"|create enum type {_NAME}"
    rf"|set comment to (?:table: {_NAME}|column: {_NAME} on table: {_NAME})"
    rf"|(?:disable|enable back) the enforcement of foreign-keys constraints))",
)
_GENERATED = re.compile("|".join(f"(?:{template})" for template in _TEMPLATES))


def is_generated_line(line: str) -> bool:
    """Whether a comment line is a migration tool's template line."""
    return _GENERATED.fullmatch(line.strip()) is not None


def is_prisma_warnings(text: str) -> bool:
    """Whether a ``/* */`` comment's words are Prisma Migrate's warnings atop a migration it
    generated: "Warnings:", then "- " items (prisma-engines' schema engine lists the
    destructive change checker's warnings and unexecutable steps so, one item a line,
    long ones wrapped in older versions)."""
    lines = text.strip().split("\n")
    return len(lines) > 1 and lines[0].strip() == "Warnings:" and lines[1].startswith("- ")
