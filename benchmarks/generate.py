"""Generate realistic, seeded synthetic migration folders for benchmarking erdgen.

    python benchmarks/generate.py OUT_DIR --migrations 2000 --tables 500 [--seed 7]

The generator simulates the schema while it writes SQL, so every file replays cleanly in
SQLite in order (tested in tests/test_benchmark_generator.py). It knows the rules SQLite
enforces and avoids breaking them: ADD COLUMN never adds PRIMARY KEY / UNIQUE or a
non-constant default, DROP COLUMN only drops columns that no index, view, trigger, key or
constraint uses, views that read a table are dropped before it is rebuilt or dropped (a
broken view makes every later ALTER TABLE fail), unique indexes only go on columns whose
data is known to be unique, and inserted rows satisfy NOT NULL and CHECK constraints.

Same arguments, byte-identical files: all randomness comes from one seeded
``random.Random`` and nothing depends on time or hash order.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import zlib
from dataclasses import dataclass, field
from enum import Enum, auto
from pathlib import Path

# Sizes named by the benchmark: (migrations, tables). "small" is the bundled folder.
SIZES: dict[str, tuple[int, int]] = {"medium": (200, 60), "large": (2000, 500)}

MODULES = (
    "auth", "billing", "catalog", "crm", "inventory", "shipping", "support", "analytics",
    "content", "hr", "finance", "sales", "marketing", "projects", "forum", "events",
    "booking", "media", "learning", "fleet", "legal", "procurement", "survey", "wiki",
)  # fmt: skip

# (plural table noun, singular used for foreign key columns)
NOUNS = (
    ("accounts", "account"), ("users", "user"), ("orders", "order"), ("invoices", "invoice"),
    ("products", "product"), ("categories", "category"), ("customers", "customer"),
    ("addresses", "address"), ("payments", "payment"), ("items", "item"), ("notes", "note"),
    ("tags", "tag"), ("teams", "team"), ("members", "member"), ("tickets", "ticket"),
    ("messages", "message"), ("documents", "document"), ("attachments", "attachment"),
    ("contracts", "contract"), ("suppliers", "supplier"), ("warehouses", "warehouse"),
    ("shipments", "shipment"), ("campaigns", "campaign"), ("reports", "report"),
    ("sessions", "session"), ("settings", "setting"), ("locations", "location"),
    ("vehicles", "vehicle"), ("courses", "course"), ("lessons", "lesson"),
)  # fmt: skip


class Kind(Enum):
    """What values a column holds; decides its checks, defaults and sample data."""

    IDENT = auto()  # unique-capable text: emails, slugs, codes
    TEXT = auto()
    ENUM = auto()
    FLAG = auto()
    COUNT = auto()  # non-negative integer
    PERCENT = auto()  # integer 0..100
    REAL = auto()
    MONEY = auto()
    TIME = auto()
    JSON = auto()
    BLOB = auto()
    KEY = auto()  # primary or foreign key values


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    kind: Kind
    types: tuple[str, ...]
    comment: str
    values: tuple[str, ...] = ()  # ENUM choices


ATTRIBUTES = (
    Attribute("email", Kind.IDENT, ("TEXT", "VARCHAR(320)"), "e-mail address, unique per row"),
    Attribute("slug", Kind.IDENT, ("TEXT",), "URL slug (a-z, 0-9 and '-')"),
    Attribute("code", Kind.IDENT, ("TEXT", "VARCHAR(32)"), "short business code"),
    Attribute("external_ref", Kind.IDENT, ("TEXT",), "id in the external system | source"),
    Attribute("name", Kind.TEXT, ("TEXT", "VARCHAR(255)"), "display name"),
    Attribute("title", Kind.TEXT, ("TEXT",), "title shown in lists"),
    Attribute("description", Kind.TEXT, ("TEXT",), "free text; may contain *Markdown*"),
    Attribute("notes", Kind.TEXT, ("TEXT",), "internal notes <not shown to customers>"),
    Attribute("url", Kind.TEXT, ("TEXT",), "absolute URL"),
    Attribute("phone", Kind.TEXT, ("TEXT", "VARCHAR(40)"), "phone number (E.164)"),
    Attribute("status", Kind.ENUM, ("TEXT",), "lifecycle status", ("active", "paused", "archived")),
    Attribute("state", Kind.ENUM, ("TEXT",), "review state", ("pending", "approved", "rejected")),
    Attribute("priority", Kind.ENUM, ("TEXT",), "priority", ("low", "medium", "high")),
    Attribute("visibility", Kind.ENUM, ("TEXT",), "who can see it", ("private", "team", "public")),
    Attribute("is_active", Kind.FLAG, ("INTEGER", "BOOLEAN"), "1 while active, else 0"),
    Attribute("is_public", Kind.FLAG, ("INTEGER", "BOOLEAN"), "1 if visible without login"),
    Attribute("quantity", Kind.COUNT, ("INTEGER", "INT"), "number of units"),
    Attribute("sort_order", Kind.COUNT, ("INTEGER",), "position in lists, ascending"),
    Attribute("attempts", Kind.COUNT, ("INTEGER", "SMALLINT"), "number of attempts so far"),
    Attribute("progress", Kind.PERCENT, ("INTEGER",), "progress in percent (0-100)"),
    Attribute("score", Kind.REAL, ("REAL", "DOUBLE", "FLOAT"), "relevance score"),
    Attribute("weight_kg", Kind.REAL, ("REAL", "NUMERIC"), "weight in kilograms"),
    Attribute("amount_cents", Kind.MONEY, ("INTEGER", "BIGINT"), "amount in cents; >= 0"),
    Attribute("price", Kind.MONEY, ("DECIMAL(10,2)", "NUMERIC(12, 2)"), "price in EUR (net)"),
    Attribute("starts_at", Kind.TIME, ("TEXT", "DATETIME"), "start time (ISO 8601, UTC)"),
    Attribute("ends_at", Kind.TIME, ("TEXT", "DATETIME"), "end time (ISO 8601, UTC)"),
    Attribute("published_at", Kind.TIME, ("TEXT", "TIMESTAMP"), "when it was published"),
    Attribute("deleted_at", Kind.TIME, ("TEXT",), "soft delete time; NULL while the row is live"),
    Attribute("expires_at", Kind.TIME, ("INTEGER",), "expiry (Unix seconds)"),
    Attribute("metadata", Kind.JSON, ("TEXT", "JSON"), "extra attributes as JSON"),
    Attribute("settings_json", Kind.JSON, ("TEXT",), "per-row settings (JSON object)"),
    Attribute("checksum", Kind.BLOB, ("BLOB",), "SHA-256 of the content"),
)

RENAMES = {
    "title": "headline", "notes": "remarks", "name": "label", "description": "summary",
    "url": "link", "phone": "phone_number", "score": "rank_score", "quantity": "qty",
    "metadata": "meta", "code": "short_code", "price": "unit_price", "state": "review_state",
}  # fmt: skip

TYPE_CHANGES = {
    "TEXT": "VARCHAR(255)", "VARCHAR(255)": "TEXT", "INTEGER": "BIGINT", "INT": "INTEGER",
    "REAL": "NUMERIC", "BOOLEAN": "INTEGER", "DATETIME": "TEXT", "FLOAT": "REAL",
}  # fmt: skip


# ---------------------------------------------------------------------------
# Simulation state. Mutable on purpose: it is the generator's scratch pad, not the model.
# Views, triggers, indexes and keys hold object references, so renames need no bookkeeping.


@dataclass(eq=False)
class Col:
    name: str
    type: str
    kind: Kind
    comment: str = ""
    not_null: bool = False
    default: str | None = None
    primary_key: bool = False
    autoincrement: bool = False
    unique: bool = False
    check: bool = False  # a column-level CHECK derived from the kind
    references: Tbl | None = None
    on_delete: str = ""
    values: tuple[str, ...] = ()
    may_duplicate: bool = False  # data may repeat: no unique index on it


@dataclass(eq=False)
class Tbl:
    name: str
    singular: str
    columns: list[Col]
    composite_pk: tuple[Col, ...] = ()
    without_rowid: bool = False
    table_fks: bool = True  # foreign keys as table constraints (else inline REFERENCES)
    table_check: Col | None = None  # a named table-level CHECK on this column
    unique_pair: tuple[Col, Col] | None = None
    comment: str = ""
    frozen: bool = False  # the audit log: never altered

    def pk(self) -> Col | None:
        return next((c for c in self.columns if c.primary_key), None)

    def col(self, name: str) -> Col | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(eq=False)
class Idx:
    name: str
    table: Tbl
    columns: list[Col]
    unique: bool = False
    where: Col | None = None  # partial index: WHERE <col> IS NULL / IS NOT NULL / = ...
    where_sql: str = ""  # condition template with {c} for the column name
    expression: str = ""  # expression index template with {c}
    descending: bool = False


@dataclass(eq=False)
class ViewDef:
    name: str
    table: Tbl
    columns: list[Col]
    parent: Tbl | None = None
    via: Col | None = None  # the foreign key column joined on
    parent_columns: list[Col] = field(default_factory=list)
    filter: Col | None = None


@dataclass(eq=False)
class TrigDef:
    name: str
    table: Tbl
    event: str  # "INSERT", "DELETE", "UPDATE", "GUARD"
    columns: list[Col]  # columns the body reads


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------------------


class Generator:
    def __init__(self, migrations: int, tables: int, seed: int) -> None:
        if migrations < 1 or tables < 1:
            raise ValueError("need at least one migration and one table")
        self.rng = random.Random(seed)
        self.total_migrations = migrations
        self.total_tables = tables
        self.tables: list[Tbl] = []
        self.indexes: list[Idx] = []
        self.views: list[ViewDef] = []
        self.triggers: list[TrigDef] = []
        self.used_names: set[str] = set()
        self.table_names = [f"{m}_{n}" for m in MODULES for n, _ in NOUNS]
        self.rng.shuffle(self.table_names)
        self.counter = 0

    # -- helpers ------------------------------------------------------------

    def next_value(self) -> int:
        self.counter += 1
        return self.counter

    def unique_name(self, base: str) -> str:
        name, n = base, 2
        while name in self.used_names:
            name, n = f"{base}_{n}", n + 1
        self.used_names.add(name)
        return name

    def live(self) -> list[Tbl]:
        return [t for t in self.tables if not t.frozen]

    def pinned_columns(self) -> set[Col]:
        """Columns SQLite would refuse to drop, or that views, triggers or keys rely on."""
        pinned: set[Col] = set()
        for table in self.tables:
            pinned.update(c for c in table.columns if c.primary_key or c.unique or c.references)
            pinned.update(table.composite_pk)
            pinned.update(table.unique_pair or ())
            if table.table_check is not None:
                pinned.add(table.table_check)
        for index in self.indexes:
            pinned.update(index.columns)
            if index.where is not None:
                pinned.add(index.where)
        for view in self.views:
            pinned.update(view.columns + view.parent_columns)
            pinned.update(c for c in (view.via, view.filter) if c is not None)
        for trigger in self.triggers:
            pinned.update(trigger.columns)
        return pinned

    def referenced(self, table: Tbl) -> bool:
        return any(c.references is table for t in self.tables if t is not table for c in t.columns)

    # -- SQL rendering ------------------------------------------------------

    def check_sql(self, col: Col) -> str:
        c = col.name
        match col.kind:
            case Kind.ENUM:
                return f"{c} IN ({', '.join(quote(v) for v in col.values)})"
            case Kind.FLAG:
                return f"{c} IN (0, 1)"
            case Kind.COUNT | Kind.MONEY:
                return f"{c} >= 0"
            case Kind.PERCENT:
                return f"{c} BETWEEN 0 AND 100"
            case Kind.IDENT | Kind.TEXT:
                return f"length({c}) > 0"
            case Kind.JSON:
                return f"{c} IS NULL OR json_valid({c})"
            case _:
                return f"{c} IS NOT NULL OR {c} IS NULL"

    def column_sql(self, col: Col, inline_fk: bool) -> str:
        parts = [col.name, col.type]
        if col.primary_key:
            parts.append("PRIMARY KEY AUTOINCREMENT" if col.autoincrement else "PRIMARY KEY")
        if col.not_null:
            parts.append("NOT NULL")
        if col.unique:
            parts.append("UNIQUE")
        if col.default is not None:
            parts.append(f"DEFAULT {col.default}")
        if col.check:
            parts.append(f"CHECK ({self.check_sql(col)})")
        if inline_fk and col.references is not None:
            parts.append(self.references_sql(col))
        return " ".join(p for p in parts if p)

    def references_sql(self, col: Col) -> str:
        assert col.references is not None
        parent = col.references
        target = parent.pk()
        target_sql = f"({target.name})" if target is not None else ""
        action = f" ON DELETE {col.on_delete}" if col.on_delete else ""
        return f"REFERENCES {parent.name}{target_sql}{action}"

    def create_table_sql(self, table: Tbl, name: str | None = None) -> str:
        items = [
            (self.column_sql(col, inline_fk=not table.table_fks), col.comment)
            for col in table.columns
        ]
        if table.composite_pk:
            keys = ", ".join(c.name for c in table.composite_pk)
            items.append((f"PRIMARY KEY ({keys})", ""))
        if table.unique_pair is not None:
            first, second = table.unique_pair
            items.append((f"UNIQUE ({first.name}, {second.name})", ""))
        if table.table_check is not None:
            col = table.table_check
            check = f"CONSTRAINT {table.name}_{col.name}_check CHECK ({self.check_sql(col)})"
            items.append((check, ""))
        if table.table_fks:
            items += [
                (f"FOREIGN KEY ({c.name}) {self.references_sql(c)}", "")
                for c in table.columns
                if c.references is not None
            ]
        lines = []
        constraints_from = len(table.columns)
        # SQLite's grammar lets whitespace alone separate table constraints, and hand-edited
        # folders do it; decided by the name, so the random draws stay as they were.
        bare = zlib.crc32(table.name.encode()) % 4 == 0
        for position, (sql, comment) in enumerate(items):
            last = position == len(items) - 1
            between_constraints = position >= constraints_from and not last
            comma = "" if last or (bare and between_constraints) else ","
            lines.append(f"  {sql}{comma}" + (f" -- {comment}" if comment else ""))
        suffix = " WITHOUT ROWID" if table.without_rowid else ""
        exists = "" if name else "IF NOT EXISTS "
        return f"CREATE TABLE {exists}{name or table.name} (\n" + "\n".join(lines) + f"\n){suffix};"

    def index_sql(self, index: Idx) -> str:
        keys = []
        for col in index.columns:
            key = index.expression.format(c=col.name) if index.expression else col.name
            keys.append(key + (" DESC" if index.descending else ""))
        unique = "UNIQUE " if index.unique else ""
        where = ""
        if index.where is not None:
            where = " WHERE " + index.where_sql.format(c=index.where.name)
        return (
            f"CREATE {unique}INDEX IF NOT EXISTS {index.name} "
            f"ON {index.table.name} ({', '.join(keys)}){where};"
        )

    def view_sql(self, view: ViewDef) -> str:
        t = view.table
        select = [f"t.{c.name}" for c in view.columns]
        source = f"{t.name} AS t"
        if view.parent is not None and view.via is not None:
            parent_pk = view.parent.pk()
            assert parent_pk is not None
            select += [
                f"p.{c.name} AS {view.parent.singular}_{c.name}" for c in view.parent_columns
            ]
            source += f"\n  JOIN {view.parent.name} AS p ON p.{parent_pk.name} = t.{view.via.name}"
        where = ""
        if view.filter is not None:
            where = f"\nWHERE {self.filter_sql(view.filter, 't.')}"
        return (
            f"CREATE VIEW IF NOT EXISTS {view.name} AS\n"
            f"SELECT {', '.join(select)}\nFROM {source}{where};"
        )

    def filter_sql(self, col: Col, prefix: str) -> str:
        match col.kind:
            case Kind.FLAG:
                return f"{prefix}{col.name} = 1"
            case Kind.ENUM:
                return f"{prefix}{col.name} = {quote(col.values[0])}"
            case Kind.TIME:
                return f"{prefix}{col.name} IS NULL"
            case _:
                return f"{prefix}{col.name} IS NOT NULL"

    def trigger_sql(self, trig: TrigDef) -> str:
        t = trig.table
        pk = t.pk()
        assert pk is not None
        audit = "INSERT INTO audit_log (table_name, row_id, action, details)\n    VALUES "
        if trig.event == "UPDATE":
            touched = trig.columns[1]
            return (
                f"CREATE TRIGGER IF NOT EXISTS {trig.name}\n"
                f"AFTER UPDATE ON {t.name}\nFOR EACH ROW\n"
                f"WHEN NEW.{touched.name} = OLD.{touched.name}\nBEGIN\n"
                f"  UPDATE {t.name} SET {touched.name} = CURRENT_TIMESTAMP"
                f" WHERE {pk.name} = NEW.{pk.name};\n"
                f"  {audit}({quote(t.name)}, NEW.{pk.name}, 'update', 'touched; row changed');\n"
                "END;"
            )
        if trig.event == "GUARD":
            guarded = trig.columns[1]
            message = f"{guarded.name} cannot change once set"
            return (
                f"CREATE TRIGGER IF NOT EXISTS {trig.name}\n"
                f"BEFORE UPDATE OF {guarded.name} ON {t.name}\nFOR EACH ROW\n"
                f"WHEN OLD.{guarded.name} IS NOT NULL\n"
                f"  AND NEW.{guarded.name} IS NOT OLD.{guarded.name}\n"
                f"BEGIN\n  SELECT RAISE(ABORT, {quote(message)});\n"
                f"  {audit}({quote(t.name)}, OLD.{pk.name}, 'update', 'blocked');\nEND;"
            )
        row = "NEW" if trig.event == "INSERT" else "OLD"
        action = trig.event.lower()
        return (
            f"CREATE TRIGGER IF NOT EXISTS {trig.name}\n"
            f"AFTER {trig.event} ON {t.name}\nFOR EACH ROW\nBEGIN\n"
            f"  {audit}({quote(t.name)}, {row}.{pk.name}, {quote(action)}, NULL);\n"
            "  UPDATE audit_log SET details = 'row ' || "
            f"{row}.{pk.name} WHERE id = last_insert_rowid();\nEND;"
        )

    # -- sample data --------------------------------------------------------

    def sample(self, col: Col) -> str:
        n = self.next_value()
        match col.kind:
            case Kind.IDENT | Kind.KEY:
                if col.type.upper().startswith("INT") and col.kind is Kind.KEY:
                    return str(n)
                return quote(f"{col.name}-{n}")
            case Kind.TEXT:
                return quote(self.rng.choice(("Müller's order", "Sample", "A | B", "x * y")))
            case Kind.ENUM:
                return quote(self.rng.choice(col.values))
            case Kind.FLAG:
                return str(n % 2)
            case Kind.COUNT | Kind.MONEY:
                return str(n % 1000)
            case Kind.PERCENT:
                return str(n % 101)
            case Kind.REAL:
                return f"{n % 97}.5"
            case Kind.TIME:
                if col.type == "INTEGER":
                    return str(1_700_000_000 + n)
                return quote(f"2024-{1 + n % 12:02d}-{1 + n % 28:02d} 12:00:00")
            case Kind.JSON:
                return quote(f'{{"seq": {n}}}')
            case Kind.BLOB:
                return f"X'{n:08x}'"

    def default_for(self, col: Col) -> str:
        match col.kind:
            case Kind.ENUM:
                return quote(col.values[0])
            case Kind.FLAG | Kind.COUNT | Kind.PERCENT | Kind.MONEY | Kind.KEY:
                return "0"
            case Kind.REAL:
                return "0.0"
            case Kind.JSON:
                return "'{}'"
            case Kind.BLOB:
                return "X''"
            case Kind.TIME:
                return "0" if col.type == "INTEGER" else "'1970-01-01 00:00:00'"
            case _:
                return "'unknown'"

    def insert_sql(self, table: Tbl, rows: int) -> str:
        needed = [
            c
            for c in table.columns
            if (c.not_null and c.default is None)
            or (c.primary_key and c.type != "INTEGER")  # INTEGER PRIMARY KEY numbers itself
            or c.kind is Kind.IDENT  # always given, so that unique columns stay unique
            or c in table.composite_pk
        ]
        optional = [c for c in table.columns if c not in needed and not c.primary_key]
        chosen = needed + [c for c in optional if self.rng.random() < 0.3]
        ordered = [c for c in table.columns if c in chosen]
        if not ordered:
            return f"INSERT INTO {table.name} DEFAULT VALUES;"
        rows_sql = ",\n  ".join(
            "(" + ", ".join(self.sample(c) for c in ordered) + ")" for _ in range(rows)
        )
        names = ", ".join(c.name for c in ordered)
        return f"INSERT INTO {table.name} ({names}) VALUES\n  {rows_sql};"

    # -- building blocks ------------------------------------------------------

    def new_attribute(self, table: Tbl, in_create: bool) -> Col:
        existing = {c.name for c in table.columns}
        choices = [a for a in ATTRIBUTES if a.name not in existing]
        if not choices:
            attribute = self.rng.choice(ATTRIBUTES)
            name = f"{attribute.name}_{self.next_value()}"
        else:
            attribute = self.rng.choice(choices)
            name = attribute.name
        col = Col(
            name=name,
            type=self.rng.choice(attribute.types),
            kind=attribute.kind,
            comment=attribute.comment if self.rng.random() < 0.8 else "",
            values=attribute.values,
        )
        roll = self.rng.random()
        match col.kind:
            case Kind.IDENT:
                col.not_null = in_create and roll < 0.6
                col.unique = in_create and roll < 0.4
                col.check = roll > 0.8
            case Kind.ENUM | Kind.FLAG | Kind.COUNT | Kind.PERCENT | Kind.MONEY:
                col.not_null = roll < 0.7
                col.default = self.default_for(col) if col.not_null or roll < 0.85 else None
                col.check = roll < 0.8
                col.may_duplicate = True
            case Kind.TEXT:
                col.not_null = in_create and roll < 0.4
                col.check = col.not_null and roll < 0.15
                col.may_duplicate = True
            case Kind.JSON:
                col.check = roll < 0.3
                col.may_duplicate = True
            case _:
                col.may_duplicate = True
        return col

    def timestamps(self) -> list[Col]:
        return [
            Col(
                name,
                "TEXT",
                Kind.TIME,
                comment=f"when the row was {verb} (UTC)",
                not_null=True,
                default="CURRENT_TIMESTAMP",
                may_duplicate=True,
            )
            for name, verb in (("created_at", "created"), ("updated_at", "last changed"))
        ]

    def foreign_key(self, table: Tbl, parent: Tbl, not_null: bool) -> Col:
        parent_pk = parent.pk()
        assert parent_pk is not None
        name = f"{parent.singular}_id"
        if table.col(name) is not None:
            name = f"{parent.singular}_{self.next_value()}_id"
        on_delete = self.rng.choice(("CASCADE", "SET NULL", "RESTRICT", "", "CASCADE"))
        if on_delete == "SET NULL":
            not_null = False
        return Col(
            name,
            parent_pk.type,
            Kind.KEY,
            comment=f"the {parent.singular} this row belongs to",
            not_null=not_null,
            references=parent,
            on_delete=on_delete,
            may_duplicate=True,
        )

    def parents(self) -> list[Tbl]:
        return [t for t in self.live() if t.pk() is not None]

    def new_table(self) -> Tbl:
        base = self.table_names.pop() if self.table_names else f"extra_{self.next_value()}"
        noun = base.split("_", 1)[1]
        singular = dict(NOUNS).get(noun, noun)
        table = Tbl(self.unique_name(base), singular, [], table_fks=self.rng.random() < 0.7)
        table.comment = f"{noun.capitalize()} of the {base.split('_')[0]} module."
        parents = self.parents()
        if len(parents) >= 2 and self.rng.random() < 0.06:
            return self.junction_table(table, self.rng.sample(parents[-40:], 2))
        roll = self.rng.random()
        if roll < 0.65:
            auto = self.rng.random() < 0.3
            pk = Col("id", "INTEGER", Kind.KEY, "row id", primary_key=True, autoincrement=auto)
        else:
            pk = Col("id", "TEXT", Kind.KEY, "row id (UUID string)", primary_key=True)
        table.columns.append(pk)
        for parent in self.rng.sample(
            parents[-60:], min(len(parents), self.rng.choice((0, 1, 1, 2)))
        ):
            table.columns.append(self.foreign_key(table, parent, self.rng.random() < 0.6))
        for _ in range(self.rng.randint(2, 7)):
            table.columns.append(self.new_attribute(table, in_create=True))
        if self.rng.random() < 0.7:
            table.columns += [c for c in self.timestamps() if table.col(c.name) is None]
        self.table_constraints(table)
        return table

    def junction_table(self, table: Tbl, parents: list[Tbl]) -> Tbl:
        for parent in parents:
            key = self.foreign_key(table, parent, True)
            key.on_delete, key.not_null = "CASCADE", True
            table.columns.append(key)
        keys = list(table.columns)
        table.columns.append(self.timestamps()[0])
        table.composite_pk = tuple(keys)
        table.without_rowid = self.rng.random() < 0.5
        table.comment = f"Links {parents[0].name} and {parents[1].name} (many-to-many)."
        return table

    def table_constraints(self, table: Tbl) -> None:
        checkable = [c for c in table.columns if c.kind in (Kind.ENUM, Kind.COUNT) and not c.check]
        if checkable and self.rng.random() < 0.3:
            table.table_check = self.rng.choice(checkable)
        keys = [c for c in table.columns if c.references is not None]
        idents = [c for c in table.columns if c.kind is Kind.IDENT and not c.unique]
        if keys and idents and self.rng.random() < 0.3:
            table.unique_pair = (keys[0], idents[0])

    def new_index(self, table: Tbl) -> Idx | None:
        candidates = [c for c in table.columns if not c.primary_key and c.kind is not Kind.BLOB]
        if not candidates:
            return None
        col = self.rng.choice(candidates)
        roll = self.rng.random()
        index = Idx("", table, [col])
        if col.kind is Kind.IDENT and not col.may_duplicate and roll < 0.5:
            index.unique = True
            if not col.not_null and roll < 0.25:
                index.where, index.where_sql = col, "{c} IS NOT NULL"
        elif col.kind in (Kind.IDENT, Kind.TEXT) and roll < 0.2:
            index.expression = "lower({c})"
        elif roll < 0.35:
            flags = [c for c in table.columns if c.kind in (Kind.FLAG, Kind.TIME, Kind.ENUM)]
            if flags:
                flag = self.rng.choice(flags)
                index.where = flag
                index.where_sql = self.filter_sql(flag, "").replace(flag.name, "{c}", 1)
        elif roll < 0.55:
            others = [c for c in candidates if c is not col and c.kind is not Kind.JSON]
            if others:
                index.columns.append(self.rng.choice(others))
        index.descending = col.kind is Kind.TIME and roll > 0.8
        suffix = "lower_" if index.expression else ""
        prefix = "uq" if index.unique else "idx"
        names = "_".join(c.name for c in index.columns)
        index.name = self.unique_name(f"{prefix}_{table.name}_{suffix}{names}")
        return index

    def new_view(self) -> ViewDef | None:
        tables = [t for t in self.live() if len(t.columns) > 2]
        if not tables:
            return None
        table = self.rng.choice(tables[-80:])
        cols = self.rng.sample(table.columns, min(len(table.columns), self.rng.randint(2, 5)))
        cols = [c for c in table.columns if c in cols]
        view = ViewDef(
            self.unique_name(
                f"v_{table.name}_{self.rng.choice(('list', 'active', 'summary', 'report'))}"
            ),
            table,
            cols,
        )
        keys = [c for c in table.columns if c.references is not None and c.references.pk()]
        if keys and self.rng.random() < 0.6:
            view.via = self.rng.choice(keys)
            view.parent = view.via.references
            assert view.parent is not None
            plain = [c for c in view.parent.columns if not c.primary_key][:2]
            view.parent_columns = plain
        filters = [c for c in table.columns if c.kind in (Kind.FLAG, Kind.ENUM, Kind.TIME)]
        if filters and self.rng.random() < 0.6:
            view.filter = self.rng.choice(filters)
        return view

    def new_trigger(self) -> TrigDef | None:
        tables = [t for t in self.live() if t.pk() is not None]
        if not tables:
            return None
        table = self.rng.choice(tables[-100:])
        pk = table.pk()
        assert pk is not None
        touch = table.col("updated_at")
        guarded = [c for c in table.columns if c.kind is Kind.IDENT]
        options = ["INSERT", "DELETE"]
        if touch is not None:
            options.append("UPDATE")
        if guarded:
            options.append("GUARD")
        event = self.rng.choice(options)
        columns = [pk]
        if event == "UPDATE" and touch is not None:
            columns.append(touch)
        elif event == "GUARD":
            columns.append(self.rng.choice(guarded))
        label = {"INSERT": "audit_insert", "DELETE": "audit_delete", "UPDATE": "touch_updated_at"}
        suffix = label.get(event, f"guard_{columns[-1].name}")
        return TrigDef(self.unique_name(f"trg_{table.name}_{suffix}"), table, event, columns)


# ---------------------------------------------------------------------------
# Migrations: each returns (file name slug, description, statements with comments).


@dataclass
class Migration:
    slug: str
    description: str
    statements: list[str] = field(default_factory=list)


class Writer(Generator):
    def audit_log(self) -> Tbl:
        cols = [
            Col("id", "INTEGER", Kind.KEY, "row id", primary_key=True),
            Col("table_name", "TEXT", Kind.TEXT, "table the change happened in", not_null=True),
            Col("row_id", "TEXT", Kind.IDENT, "primary key of the changed row"),
            Col("action", "TEXT", Kind.ENUM, "insert | update | delete", not_null=True,
                check=True, values=("insert", "update", "delete")),
            Col("details", "TEXT", Kind.TEXT, "free text"),
            *self.timestamps()[:1],
        ]  # fmt: skip
        self.used_names.add("audit_log")
        return Tbl(
            "audit_log", "audit_entry", cols, comment="Audit log written by triggers.", frozen=True
        )

    def create_tables(self, count: int, first: bool) -> Migration:
        m = Migration("", "")
        created: list[Tbl] = []
        if first:
            audit = self.audit_log()
            self.tables.append(audit)
            created.append(audit)
            m.statements.append(f"-- {audit.comment}\n{self.create_table_sql(audit)}")
            count -= 1
        for _ in range(count):
            table = self.new_table()
            self.tables.append(table)
            created.append(table)
            m.statements.append(f"-- {table.comment}\n{self.create_table_sql(table)}")
            for col in table.columns:
                if col.references is not None and self.rng.random() < 0.8:
                    self.add_index(
                        m, Idx(self.unique_name(f"idx_{table.name}_{col.name}"), table, [col])
                    )
            for _ in range(self.rng.choice((0, 1, 1, 2))):
                index = self.new_index(table)
                if index is not None:
                    self.add_index(m, index)
            if self.rng.random() < 0.25:
                m.statements.append(
                    f"-- Seed data.\n{self.insert_sql(table, self.rng.randint(1, 3))}"
                )
        names = [t.name for t in created]
        m.slug = f"create_{names[0]}" if len(names) == 1 else f"create_{names[0]}_etc"
        m.description = "Creates " + ", ".join(names) + "."
        return m

    def add_index(self, m: Migration, index: Idx) -> None:
        self.indexes.append(index)
        m.statements.append(self.index_sql(index))

    def add_columns(self) -> Migration | None:
        tables = self.live()
        if not tables:
            return None
        table = self.rng.choice(tables)
        m = Migration(f"add_columns_to_{table.name}", f"Adds columns to {table.name}.")
        for _ in range(self.rng.randint(1, 3)):
            if self.rng.random() < 0.15 and self.parents():
                parent = self.rng.choice(self.parents())
                col = self.foreign_key(table, parent, False)
                col.on_delete = self.rng.choice(("SET NULL", ""))
                table.columns.append(col)
                m.statements.append(
                    f"-- {col.name}: {col.comment}\n"
                    f"ALTER TABLE {table.name} ADD COLUMN {col.name} {col.type} "
                    f"{self.references_sql(col)};"
                )
                continue
            col = self.new_attribute(table, in_create=False)
            table.columns.append(col)
            comment = f"-- {col.name}: {col.comment}\n" if col.comment else ""
            m.statements.append(
                f"{comment}ALTER TABLE {table.name} ADD COLUMN {self.column_sql(col, True)};"
            )
            pk = table.pk()
            if col.kind is Kind.IDENT and pk is not None and self.rng.random() < 0.6:
                m.statements.append(
                    f"-- Backfill: derive {col.name} from the primary key.\n"
                    f"UPDATE {table.name}\nSET {col.name} = {quote(col.name + '-r')} || {pk.name}\n"
                    f"WHERE {col.name} IS NULL;"
                )
            elif col.kind in (Kind.ENUM, Kind.FLAG) and self.rng.random() < 0.4:
                value = self.sample(col)
                m.statements.append(f"UPDATE {table.name} SET {col.name} = {value};")
        if self.rng.random() < 0.3:
            index = self.new_index(table)
            if index is not None:
                self.add_index(m, index)
        return m

    def create_indexes(self) -> Migration | None:
        tables = self.live()
        if not tables:
            return None
        table = self.rng.choice(tables)
        m = Migration(f"index_{table.name}", f"Adds indexes to {table.name} for frequent queries.")
        for _ in range(self.rng.randint(1, 2)):
            index = self.new_index(table)
            if index is not None:
                self.add_index(m, index)
        return m if m.statements else None

    def drop_index(self) -> Migration | None:
        droppable = [i for i in self.indexes if not i.table.frozen]
        if not droppable:
            return None
        index = self.rng.choice(droppable)
        self.indexes.remove(index)
        m = Migration(f"drop_{index.name}", f"Drops the unused index {index.name}.")
        m.statements.append(f"DROP INDEX IF EXISTS {index.name};")
        if self.rng.random() < 0.4:  # replaced by a better one
            replacement = self.new_index(index.table)
            if replacement is not None:
                self.add_index(m, replacement)
        return m

    def drop_columns(self) -> Migration | None:
        pinned = self.pinned_columns()
        # Never the last column: SQLite 3.40 cuts a last column's text back to the previous
        # column's end, and a `-- comment` left there then swallows the closing parenthesis
        # ("error in table ... after drop column: incomplete input"; seed 2948, 17, 5).
        options = [
            (t, c)
            for t in self.live()
            if len(t.columns) > 3
            for c in t.columns[:-1]
            if c not in pinned
        ]
        if not options:
            return None
        table, col = self.rng.choice(options)
        table.columns.remove(col)
        m = Migration(
            f"drop_{table.name}_{col.name}",
            f"DESTRUCTIVE: drops {table.name}.{col.name} and its data; it is no longer used.",
        )
        m.statements.append(f"ALTER TABLE {table.name} DROP COLUMN {col.name};")
        return m

    def rename_column(self) -> Migration | None:
        options = [
            (t, c)
            for t in self.live()
            for c in t.columns
            if not c.primary_key and c.kind is not Kind.KEY
        ]
        if not options:
            return None
        table, col = self.rng.choice(options)
        new = RENAMES.get(col.name, f"{col.name}_v2")
        if table.col(new) is not None:
            return None
        m = Migration(
            f"rename_{table.name}_{col.name}", f"Renames {table.name}.{col.name} to {new}."
        )
        m.statements.append(f"ALTER TABLE {table.name} RENAME COLUMN {col.name} TO {new};")
        col.name = new
        return m

    def rename_table(self) -> Migration | None:
        tables = self.live()
        if not tables:
            return None
        table = self.rng.choice(tables)
        new = self.unique_name(
            f"{table.name}_archive" if self.rng.random() < 0.5 else f"{table.name}_v2"
        )
        m = Migration(f"rename_{table.name}", f"Renames {table.name} to {new}.")
        m.statements.append(f"ALTER TABLE {table.name} RENAME TO {new};")
        table.name = new
        return m

    def backfill(self) -> Migration | None:
        tables = self.live()
        if not tables:
            return None
        table = self.rng.choice(tables)
        m = Migration(f"backfill_{table.name}", f"Data fix in {table.name}.")
        enums = [c for c in table.columns if c.kind in (Kind.ENUM, Kind.FLAG, Kind.COUNT)]
        times = [c for c in table.columns if c.kind is Kind.TIME and not c.not_null]
        if enums and times and self.rng.random() < 0.5:
            target, when = self.rng.choice(enums), self.rng.choice(times)
            m.statements.append(
                f"-- Rows marked as deleted get a neutral value.\nUPDATE {table.name}\n"
                f"SET {target.name} = {self.sample(target)}\nWHERE {when.name} IS NOT NULL;"
            )
        if self.rng.random() < 0.6:
            m.statements.append(self.insert_sql(table, self.rng.randint(1, 4)))
        if times and self.rng.random() < 0.3:
            when = self.rng.choice(times)
            m.statements.append(f"DELETE FROM {table.name} WHERE {when.name} < '2000-01-01';")
        if not m.statements:
            m.statements.append(self.insert_sql(table, 1))
        return m

    def create_view(self) -> Migration | None:
        view = self.new_view()
        if view is None:
            return None
        m = Migration(f"create_{view.name}", f"Adds the view {view.name} for reports.")
        replaced = [v for v in self.views if v.table is view.table]
        if replaced and self.rng.random() < 0.5:
            old = replaced[0]
            self.views.remove(old)
            m.statements.append(f"DROP VIEW IF EXISTS {old.name};")
        self.views.append(view)
        m.statements.append(f"-- {view.table.name} for lists and reports.\n{self.view_sql(view)}")
        return m

    def create_trigger(self) -> Migration | None:
        trig = self.new_trigger()
        if trig is None:
            return None
        m = Migration(f"create_{trig.name}", f"Adds the trigger {trig.name}.")
        existing = [t for t in self.triggers if t.table is trig.table]
        if existing and self.rng.random() < 0.3:
            old = existing[0]
            self.triggers.remove(old)
            m.statements.append(f"DROP TRIGGER IF EXISTS {old.name};")
        self.triggers.append(trig)
        m.statements.append(self.trigger_sql(trig))
        return m

    def drop_table(self) -> Migration | None:
        leaves = [t for t in self.live() if not self.referenced(t)]
        if len(leaves) < 5:
            return None
        table = self.rng.choice(leaves)
        m = Migration(f"drop_{table.name}", f"DESTRUCTIVE: drops {table.name} with its data.")
        for view in [v for v in self.views if table in (v.table, v.parent)]:
            self.views.remove(view)
            m.statements.append(f"DROP VIEW IF EXISTS {view.name};")
        m.statements.append(f"DROP TABLE IF EXISTS {table.name};")
        self.tables.remove(table)
        self.indexes = [i for i in self.indexes if i.table is not table]
        self.triggers = [t for t in self.triggers if t.table is not table]
        return m

    def rebuild(self) -> Migration | None:
        tables = [t for t in self.live() if len(t.columns) > 2 and not t.composite_pk]
        if not tables:
            return None
        table = self.rng.choice(tables)
        old_columns = list(table.columns)
        changes, copy_exprs = self.rebuild_changes(table)
        m = Migration(
            f"rebuild_{table.name}",
            f"Rebuilds {table.name} (create new table, copy, drop, rename): {'; '.join(changes)}.",
        )
        views = [v for v in self.views if table in (v.table, v.parent)]
        if self.rng.random() < 0.5:
            m.statements.append("PRAGMA defer_foreign_keys = on;")
        m.statements += [f"DROP VIEW IF EXISTS {v.name};" for v in views]
        kept = [c for c in table.columns if c in old_columns]
        targets = ", ".join(c.name for c in kept)
        sources = ", ".join(copy_exprs.get(c, c.name) for c in kept)
        if zlib.crc32(f"{table.name} {len(self.tables)}".encode()) % 3 == 0:
            m.statements += self.legacy_rebuild_sql(table, targets, sources)
        else:
            temp = f"{table.name}_new"
            m.statements.append(
                f"-- {table.comment} (rebuilt)\n{self.create_table_sql(table, name=temp)}"
            )
            m.statements.append(
                f"INSERT INTO {temp} ({targets})\nSELECT {sources}\nFROM {table.name};"
            )
            m.statements.append(f"DROP TABLE {table.name};")
            m.statements.append(f"ALTER TABLE {temp} RENAME TO {table.name};")
        m.statements += [self.index_sql(i) for i in self.indexes if i.table is table]
        m.statements += [self.trigger_sql(t) for t in self.triggers if t.table is table]
        m.statements += [self.view_sql(v) for v in views]
        return m

    def legacy_rebuild_sql(self, table: Tbl, targets: str, sources: str) -> list[str]:
        """The older idiom: rename the table away with ``legacy_alter_table=ON``, so that the
        foreign keys of other tables keep naming it, then create it anew and copy."""
        old = f"{table.name}_old"
        return [
            "PRAGMA legacy_alter_table = ON;",
            f"ALTER TABLE {table.name} RENAME TO {old};",
            f"-- {table.comment} (rebuilt)\n{self.create_table_sql(table, name=table.name)}",
            f"INSERT INTO {table.name} ({targets})\nSELECT {sources}\nFROM {old};",
            f"DROP TABLE {old};",
            "PRAGMA legacy_alter_table = OFF;",
        ]

    def rebuild_changes(self, table: Tbl) -> tuple[list[str], dict[Col, str]]:
        """Change the simulated table in place; return what changed and how to copy columns
        whose old values would break the new constraints."""
        copy: dict[Col, str] = {}
        changes: list[str] = []
        for _ in range(self.rng.randint(1, 3)):
            roll = self.rng.random()
            plain = [c for c in table.columns if not c.primary_key and c.references is None]
            unique_cols = {
                c for i in self.indexes if i.table is table and i.unique for c in i.columns
            }
            if roll < 0.3 and plain:
                col = self.rng.choice(plain)
                new_type = TYPE_CHANGES.get(col.type)
                if new_type:
                    changes.append(f"{col.name} becomes {new_type}")
                    col.type = new_type
            elif roll < 0.55:
                paired = table.unique_pair or ()
                loose = [
                    c
                    for c in plain
                    if not (c.not_null or c.unique or c in unique_cols or c in paired)
                ]
                if loose:
                    col = self.rng.choice(loose)
                    col.not_null, col.default = True, self.default_for(col)
                    col.may_duplicate = True
                    copy[col] = f"COALESCE({col.name}, {col.default})"
                    changes.append(f"{col.name} becomes NOT NULL")
            elif roll < 0.75:
                droppable = [c for c in plain if c not in self.pinned_columns()]
                if droppable and len(table.columns) > 3:
                    col = self.rng.choice(droppable)
                    table.columns.remove(col)
                    changes.append(f"{col.name} is dropped")
            elif roll < 0.9:
                col = self.new_attribute(table, in_create=True)
                col.unique = False
                if col.not_null and col.default is None:
                    col.default = self.default_for(col)
                    col.may_duplicate = True
                table.columns.append(col)
                changes.append(f"new column {col.name}")
            else:
                checkable = [c for c in plain if not c.check and c.kind in (Kind.ENUM, Kind.FLAG)]
                if checkable:
                    col = self.rng.choice(checkable)
                    col.check = True
                    if not col.not_null:
                        copy[col] = f"CASE WHEN {self.check_sql(col)} THEN {col.name} END"
                    else:
                        copy[col] = (
                            f"CASE WHEN {self.check_sql(col)} THEN {col.name}"
                            f" ELSE {col.default} END"
                        )
                    changes.append(f"CHECK on {col.name}")
        return changes or ["no visible change"], copy

    # -- schedule -------------------------------------------------------------

    def plan(self) -> list[int]:
        """How many tables each migration creates: a larger first one, the rest spread."""
        counts = [0] * self.total_migrations
        counts[0] = min(self.total_tables, max(2, self.total_tables // 40 + 3))
        for _ in range(self.total_tables - counts[0]):
            if self.total_migrations == 1:
                counts[0] += 1
            else:
                counts[self.rng.randrange(1, self.total_migrations)] += 1
        return counts

    def migrations(self) -> list[Migration]:
        kinds = (
            (self.add_columns, 30), (self.create_indexes, 12), (self.backfill, 10),
            (self.create_view, 8), (self.create_trigger, 8), (self.rebuild, 8),
            (self.rename_column, 6), (self.drop_columns, 6), (self.drop_index, 5),
            (self.drop_table, 3), (self.rename_table, 2),
        )  # fmt: skip
        actions = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        result = []
        for position, creates in enumerate(self.plan()):
            parts = []
            if creates:
                parts.append(self.create_tables(creates, first=position == 0))
            # A feature migration often touches several tables at once.
            for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3, 4)) - bool(creates)):
                for _ in range(100):
                    part = self.rng.choices(actions, weights)[0]()
                    if part is not None:
                        parts.append(part)
                        break
            if not parts:  # nothing to alter yet: only the audit log exists
                parts.append(Migration("log_event", "Records a maintenance event."))
                parts[0].statements.append(self.insert_sql(self.tables[0], 1))
            result.append(merge(parts))
        return result


def merge(parts: list[Migration]) -> Migration:
    merged = Migration(parts[0].slug, " ".join(part.description for part in parts))
    if len(parts) > 1:
        merged.slug += "_and_more"
    for part in parts:
        merged.statements += part.statements
    return merged


def render(number: str, migration: Migration) -> str:
    header = f"-- Migration {number}: {migration.slug.replace('_', ' ')}.\n"
    header += f"-- {migration.description}\n"
    return header + "\n" + "\n\n".join(migration.statements) + "\n"


@dataclass(frozen=True, slots=True)
class Folder:
    path: Path
    files: int
    statements: int


def count_statements(sql: str) -> int:
    """Top-level statements, split the way SQLite does (a trigger counts once)."""
    count, buffer = 0, ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            count += 1
            buffer = ""
    return count


def generate(out_dir: Path, migrations: int, tables: int, seed: int = 0) -> Folder:
    """Write ``migrations`` files creating ``tables`` tables into ``out_dir`` (created)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(migrations - 1)))
    statements = 0
    for position, migration in enumerate(Writer(migrations, tables, seed).migrations()):
        number = f"{position:0{width}d}"
        text = render(number, migration)
        statements += count_statements(text)
        (out_dir / f"{number}_{migration.slug}.sql").write_text(text, encoding="utf-8")
    return Folder(out_dir, migrations, statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--migrations", type=int, default=200)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--dialect",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="postgres: a diesel folder (OUT_DIR/migrations), see generate_postgres.py",
    )
    args = parser.parse_args()
    if args.dialect == "postgres":
        import generate_postgres  # the sibling module (this script's folder is on sys.path)

        made = generate_postgres.generate(args.out_dir, args.migrations, args.tables, args.seed)
        print(f"{made.migrations} migrations, {made.statements} statements in {made.path}")
        return
    folder = generate(args.out_dir, args.migrations, args.tables, args.seed)
    print(f"{folder.files} migrations, {folder.statements} statements in {folder.path}")


if __name__ == "__main__":
    main()
