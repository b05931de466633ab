"""Generate a seeded synthetic PostgreSQL migration folder in diesel's layout.

    python benchmarks/generate.py OUT_DIR --dialect postgres --migrations 2000 --tables 500

Writes ``migrations/00000000000000_diesel_initial_setup/up.sql`` (diesel's own helper
functions) and one ``YYYY-MM-DD-HHMMSS_<name>/up.sql`` + ``down.sql`` per migration, with
the statements real PostgreSQL folders have: tables in ``public`` and in module schemas
with serial, identity and uuid keys, enums and ``ALTER TYPE ... ADD VALUE``, every common
``ALTER TABLE`` form, named and unnamed constraints, partial / GIN / INCLUDE / expression
indexes (``CONCURRENTLY`` in a migration whose ``metadata.toml`` says
``run_in_transaction = false``), views, plpgsql functions with ``$$`` bodies, triggers and
``COMMENT ON``. The simulation keeps every statement valid in PostgreSQL 15: a column a
view, index, key, constraint or function uses is never dropped, renamed or retyped, a
table is dropped only when nothing reads or references it, and names are never reused.
Tables stay empty, so data statements (backfills) always succeed.

Same arguments, byte-identical files (one seeded ``random.Random``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from pg_schema import (
    ATTRIBUTES,
    DIESEL_SETUP,
    KEY_TYPES,
    RENAMES,
    RETYPES,
    SIZES,
    Col,
    Migration,
    Writer,
    literal,
)

__all__ = ["SIZES", "Folder", "generate"]


class Changes(Writer):
    """The migrations after the first tables: each kind changes the simulated schema and
    returns its statements, or None when the schema offers nothing to change."""

    def add_columns(self) -> Migration | None:
        table = self.pick()
        if table is None:
            return None
        have = {c.name for c in table.columns}
        free = [a for a in ATTRIBUTES if a[0] not in have and RENAMES.get(a[0], "-") not in have]
        if not free:
            return None
        m = Migration(f"add_columns_to_{table.name}")
        for attribute in self.rng.sample(free, min(len(free), self.rng.randint(1, 2))):
            column, sql = self.attribute(attribute, creating=False)
            table.columns.append(column)
            m.statements.append(f"ALTER TABLE {table.qname} ADD COLUMN {sql}")
            if column.default is None and attribute[3] is not None and self.rng.random() < 0.6:
                m.statements.append(
                    f"UPDATE {table.qname} SET {column.name} = {attribute[3]} "
                    f"WHERE {column.name} IS NULL"
                )
                m.statements.append(
                    f"ALTER TABLE {table.qname} ALTER COLUMN {column.name} SET NOT NULL"
                )
                column.not_null = True
        return m

    def change_column(self) -> Migration | None:
        table = self.pick()
        columns = table.free_columns() if table else []
        if table is None or not columns:
            return None
        column = self.rng.choice(columns)
        alter = f"ALTER TABLE {table.qname}"
        choice = self.rng.randrange(5)
        if choice == 0:
            m = Migration(f"drop_{column.name}_from_{table.name}")
            table.columns.remove(column)
            m.statements.append(f"{alter} DROP COLUMN {column.name}")
        elif choice == 1 and column.name in RENAMES:
            new = self.fresh_column(table, RENAMES[column.name])
            m = Migration(f"rename_{table.name}_{column.name}")
            word = "COLUMN " if self.rng.random() < 0.7 else ""
            m.statements.append(f"{alter} RENAME {word}{column.name} TO {new}")
            column.name = new
        elif choice == 2 and column.type in RETYPES and column.default is None:
            m = Migration(f"change_type_of_{table.name}_{column.name}")
            column.type = RETYPES[column.type]
            using = f" USING {column.name}::{column.type}" if self.rng.random() < 0.5 else ""
            m.statements.append(f"{alter} ALTER COLUMN {column.name} TYPE {column.type}{using}")
        elif choice == 3:
            m = Migration(f"relax_{table.name}_{column.name}")
            if column.not_null:
                m.statements.append(f"{alter} ALTER COLUMN {column.name} DROP NOT NULL")
                column.not_null = False
            if column.default is not None:
                m.statements.append(f"{alter} ALTER COLUMN {column.name} DROP DEFAULT")
                column.default = None
            if not m.statements:
                return None
        else:
            default = next((a[3] for a in ATTRIBUTES if a[2] == column.type and a[3]), None)
            if default is None or column.default is not None:
                return None
            m = Migration(f"default_for_{table.name}_{column.name}")
            m.statements.append(f"{alter} ALTER COLUMN {column.name} SET DEFAULT {default}")
            column.default = default
        return m

    def add_constraint(self) -> Migration | None:
        table = self.pick()
        if table is None:
            return None
        rng = self.rng
        m = Migration(f"constrain_{table.name}")
        choice = rng.randrange(3)
        parents = [
            t for t in self.tables if t is not table and t.schema in ("public", table.schema)
        ]
        if choice == 0 and parents:
            parent = rng.choice(parents)
            name = self.fresh_column(table, f"{parent.singular}_id")
            type_ = KEY_TYPES[parent.key]
            table.columns.append(Col(name, "key", type_, pinned=True))
            table.parents.append(parent)
            parent.referenced += 1
            m.statements.append(f"ALTER TABLE {table.qname} ADD COLUMN {name} {type_}")
            constraint = self.unique(f"fk_{table.name}_{name}")
            valid = " NOT VALID" if rng.random() < 0.3 else ""
            m.statements.append(
                f"ALTER TABLE {table.qname} ADD CONSTRAINT {constraint}\n"
                f"    FOREIGN KEY ({name}) REFERENCES {parent.qname} (id) ON DELETE CASCADE{valid}"
            )
            if valid:
                m.statements.append(f"ALTER TABLE {table.qname} VALIDATE CONSTRAINT {constraint}")
            return m
        numbers = [c for c in table.columns if c.kind in ("int", "money")]
        column = rng.choice(numbers if choice == 2 and numbers else table.columns)
        column.pinned = True
        if choice == 1 or column.kind not in ("int", "money"):
            name = self.fresh(table.schema, self.unique(f"uq_{table.name}_{column.name}"))
            m.statements.append(
                f"ALTER TABLE {table.qname} ADD CONSTRAINT {name} UNIQUE ({column.name})"
            )
            return m
        name = self.unique(f"ck_{table.name}_{column.name}")
        m.statements.append(
            f"ALTER TABLE {table.qname} ADD CONSTRAINT {name} CHECK ({column.name} >= 0)"
        )
        return m

    def create_index(self) -> Migration | None:
        table = self.pick()
        if table is None:
            return None
        concurrently = self.rng.random() < 0.2
        m = Migration(f"index_{table.name}", in_transaction=not concurrently)
        m.statements.append(self.index_sql(table, concurrently))
        return m

    def drop_index(self) -> Migration | None:
        table = self.pick()
        if table is None or not table.indexes:
            return None
        name = table.indexes.pop(0)
        schema = "" if table.schema == "public" else f"{table.schema}."
        return Migration(f"drop_{name}", [f"DROP INDEX IF EXISTS {schema}{name}"])

    def create_view(self) -> Migration | None:
        table = self.pick()
        if table is None:
            return None
        columns = self.rng.sample(table.columns, min(3, len(table.columns)))
        for column in columns:
            column.pinned = True
        name = self.fresh(table.schema, f"{table.name}_overview")
        table.views.append(name)
        qname = name if table.schema == "public" else f"{table.schema}.{name}"
        select = ", ".join(f"t.{c.name}" for c in columns)
        return Migration(
            f"create_{name}",
            [
                f"CREATE VIEW {qname} AS\n    SELECT {select}\n    FROM {table.qname} t",
                f"COMMENT ON VIEW {qname} IS 'Overview of {table.name}'",
            ],
        )

    def create_function(self) -> Migration | None:
        table = self.pick()
        amount = next((c for c in table.columns if c.kind == "int"), None) if table else None
        if table is None or amount is None:
            return None
        amount.pinned = True
        name = self.unique(f"{table.name}_guard")
        return Migration(
            f"guard_{table.name}",
            [
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {amount.name} ON {table.qname}"
                f"\n    FOR EACH ROW EXECUTE FUNCTION raise_if_negative('{amount.name}')",
                f"CREATE OR REPLACE FUNCTION {table.schema}.{name}_total() RETURNS bigint\n"
                f"    LANGUAGE plpgsql STABLE AS $$\nDECLARE\n  total bigint;\nBEGIN\n"
                f"  SELECT sum({amount.name}) INTO total FROM {table.qname};\n"
                f"  RETURN coalesce(total, 0);\nEND;\n$$",
            ],
        )

    def add_enum_value(self) -> Migration:
        enum = self.rng.choice(self.enums)
        label = self.unique("state")
        where = self.rng.choice(("", f" BEFORE {literal(enum.labels[-1])}", " AFTER 'draft'"))
        if where.startswith(" BEFORE"):
            enum.labels.insert(len(enum.labels) - 1, label)
        elif where:
            enum.labels.insert(enum.labels.index("draft") + 1, label)
        else:
            enum.labels.append(label)
        return Migration(
            f"add_{label}", [f"ALTER TYPE {enum.name} ADD VALUE IF NOT EXISTS '{label}'{where}"]
        )

    def rename_table(self) -> Migration | None:
        table = self.pick()
        if table is None:
            return None
        new = self.fresh(table.schema, f"{table.name}_v2" if "_v" not in table.name else table.name)
        old, table.name = table.qname, new
        return Migration(f"rename_{new}", [f"ALTER TABLE {old} RENAME TO {new}"])

    def drop_view(self) -> Migration | None:
        table = self.pick()
        if table is None or not table.views:
            return None
        name = table.views.pop(0)
        qname = name if table.schema == "public" else f"{table.schema}.{name}"
        return Migration(f"drop_{name}", [f"DROP VIEW {qname}"])

    def drop_table(self) -> Migration | None:
        leaves = [t for t in self.tables if not t.referenced and not t.views]
        if len(self.tables) < 8 or not leaves:
            return None
        table = self.rng.choice(leaves)
        self.tables.remove(table)
        for parent in table.parents:
            parent.referenced -= 1
        return Migration(f"drop_{table.name}", [f"DROP TABLE {table.qname}"])

    # -- the plan --------------------------------------------------------------------
    def merges(self, last: Migration, migration: Migration) -> bool:
        """Whether a change goes into the file before it (real files often hold several)."""
        return (
            len(last.statements) < 8
            and last.in_transaction
            and migration.in_transaction
            and last.name != "diesel_initial_setup"
            and not any(sql.startswith("SET ") for sql in last.statements)  # its search path
            and self.rng.random() < 0.7
        )

    def migrations(self, count: int) -> list[Migration]:
        kinds = (
            (self.add_columns, 6), (self.change_column, 8), (self.add_constraint, 4),
            (self.create_index, 4), (self.drop_index, 1), (self.create_view, 2),
            (self.drop_view, 1), (self.create_function, 2), (self.add_enum_value, 1),
            (self.rename_table, 1), (self.drop_table, 1),
        )  # fmt: skip
        actions, weights = zip(*kinds, strict=True)
        found = [Migration("diesel_initial_setup", [DIESEL_SETUP]), self.setup_schemas()]
        while len(found) < count:
            left = count - len(found)
            if self.created < self.table_budget and (
                self.created < 3 or self.rng.random() < (self.table_budget - self.created) / left
            ):
                found.append(self.create_tables())
                continue
            migration = self.rng.choices(actions, weights)[0]()
            if migration is None:
                continue
            last = found[-1]
            if self.merges(last, migration):
                last.statements += migration.statements  # one file, several changes
                continue
            found.append(migration)
        return found


@dataclass(frozen=True)
class Folder:
    path: Path  # the migrations folder (diesel's default: migrations/)
    migrations: int
    statements: int
    tables: int  # tables created over the whole history


BASE_DAY = (2020, 1, 1)


def directory_name(number: int, name: str) -> str:
    """diesel's ``YYYY-MM-DD-HHMMSS_name``; one migration every 3 h 7 min from 2020-01-01."""
    start = datetime.datetime(*BASE_DAY)
    stamp = start + datetime.timedelta(minutes=187 * number)
    return f"{stamp:%Y-%m-%d-%H%M%S}_{name[:50]}"


def render(migration: Migration) -> str:
    if migration.name == "diesel_initial_setup":
        return DIESEL_SETUP
    header = f"-- {migration.name.replace('_', ' ')}\n"
    return header + "".join(f"{sql};\n\n" for sql in migration.statements).rstrip() + "\n"


def generate(out_dir: Path, migrations: int, tables: int, seed: int = 0) -> Folder:
    """Write ``out_dir/migrations/<version>_<name>/{up,down}.sql`` (diesel's layout)."""
    writer = Changes(seed, tables)
    plan = writer.migrations(migrations)
    root = out_dir / "migrations"
    root.mkdir(parents=True, exist_ok=True)
    statements = 0
    for number, migration in enumerate(plan):
        if number == 0:
            folder = root / "00000000000000_diesel_initial_setup"
            statements += 2
        else:
            folder = root / directory_name(number, migration.name)
            statements += len(migration.statements)
        folder.mkdir(exist_ok=True)
        (folder / "up.sql").write_text(render(migration), encoding="utf-8")
        (folder / "down.sql").write_text("-- This file should undo anything in `up.sql`\n")
        if not migration.in_transaction:
            (folder / "metadata.toml").write_text("run_in_transaction = false\n")
    return Folder(root, len(plan), statements, writer.created)
