"""``erdgen export --format json`` of a PostgreSQL folder: what it adds for PostgreSQL
(enums, sequences, functions, schemas, extensions, constraint names and kinds, view
columns, trigger functions) equals PostgreSQL's catalog after replaying the same folder.

The catalog side is read here with queries of its own, not with erdgen's catalog reader.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from corpus_order import CORPUS, migrations
from hypothesis import HealthCheck, given, settings
from pg_strategies import migrations as migrations_strategy

from erdgen.cli import main
from erdgen.core.history import load_history
from erdgen.dialects.postgres.replay import execute, replay
from erdgen.dialects.postgres.server import Cluster, Server
from erdgen.dialects.postgres.split import split
from erdgen.formats.json import export_data
from erdgen.model import Transaction

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

# What PostgreSQL-only objects a folder of generated migrations does not make.
ROUTINES = """\
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA app;
CREATE TYPE app.level AS ENUM ('low', 'high');
ALTER TYPE app.level ADD VALUE 'mid' BEFORE 'high';
COMMENT ON TYPE app.level IS 'How urgent a ticket is';
CREATE SEQUENCE app.ticket_seq AS integer START 5 INCREMENT BY 2;
CREATE SEQUENCE countdown INCREMENT -3;
CREATE TABLE app.ticket (
  id integer PRIMARY KEY DEFAULT nextval('app.ticket_seq'),
  level app.level NOT NULL DEFAULT 'low',
  code citext UNIQUE,
  touched timestamptz,
  CONSTRAINT ticket_code_length CHECK (length(code) < 20)
);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.touched := now(); RETURN NEW; END $$;
COMMENT ON FUNCTION app.touch() IS 'Stamps the row';
CREATE PROCEDURE app.close_all(before timestamptz) LANGUAGE sql
  AS $$ DELETE FROM app.ticket WHERE touched < before $$;
CREATE FUNCTION plus(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql
  IMMUTABLE RETURN a + b;
CREATE TRIGGER ticket_touch BEFORE INSERT OR UPDATE ON app.ticket
  FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE MATERIALIZED VIEW app.ticket_levels AS
  SELECT level, count(*) AS n FROM app.ticket GROUP BY level;
CREATE DOMAIN app.code AS character varying(12) NOT NULL DEFAULT 'none'
  CONSTRAINT "b|upper" CHECK (VALUE = upper(VALUE)) CONSTRAINT a_short CHECK (length(VALUE) < 9);
CREATE DOMAIN "Pos`itive" AS numeric(10,2) CHECK (VALUE > 0);
COMMENT ON DOMAIN app.code IS 'A ticket code';
CREATE TYPE app.price AS (amount "Pos`itive", currency character(3), tags text[]);
ALTER TYPE app.price ADD ATTRIBUTE code app.code;
COMMENT ON TYPE app.price IS 'An amount with its currency';
CREATE TABLE app.offer (id integer PRIMARY KEY, price app.price, codes app.code[]);
"""

_USER = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
_NOT_EXTENSION = (
    "NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
    " AND d.objid = {oid} AND d.deptype = 'e')"
)
KINDS = {"p": "primary_key", "u": "unique", "c": "check", "f": "foreign_key", "x": "exclusion"}
ROUTINE_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}


def qualified(namespace: str, name: str) -> str:
    return name if namespace == "public" else f"{namespace}.{name}"


def rows(pg: Connection, sql: str) -> list[tuple[Any, ...]]:
    return list(pg.execute(sql).fetchall())


def catalog(pg: Connection) -> dict[str, Any]:
    """The export's PostgreSQL keys as the catalog gives them, keyed by name."""
    not_ext = _NOT_EXTENSION.format
    enums = rows(
        pg,
        f"""
        SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel::text FROM pg_enum e
          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
          coalesce(obj_description(t.oid, 'pg_type'), '')
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND {_USER} AND {not_ext(catalog="pg_type", oid="t.oid")}""",
    )
    functions = rows(
        pg,
        f"""
        SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
          coalesce(CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, ''),
          l.lanname, p.prokind, coalesce(obj_description(p.oid, 'pg_proc'), '')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE {_USER} AND {not_ext(catalog="pg_proc", oid="p.oid")}""",
    )
    sequences = rows(
        pg,
        f"""
        SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER}""",
    )
    constraints = rows(
        pg,
        f"""
        SELECT n.nspname, c.relname, k.conname, k.contype, k.convalidated,
          ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                ORDER BY u.i)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER}""",
    )
    view_columns = rows(
        pg,
        f"""
        SELECT n.nspname, c.relname, c.relkind = 'm',
          ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid
                AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND {_USER}""",
    )
    triggers = rows(
        pg,
        f"""
        SELECT t.tgname, pn.nspname, p.proname FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
        WHERE NOT t.tgisinternal AND {_USER}""",
    )
    domains = rows(
        pg,
        f"""
        SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull,
          t.typdefault, ARRAY(SELECT k.conname::text FROM pg_constraint k
            WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname COLLATE "C"),
          coalesce(obj_description(t.oid, 'pg_type'), '')
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'd' AND {_USER} AND {not_ext(catalog="pg_type", oid="t.oid")}""",
    )
    composites = rows(
        pg,
        f"""
        SELECT n.nspname, t.typname,
          ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid
                AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
          ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum),
          coalesce(obj_description(t.oid, 'pg_type'), '')
        FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE c.relkind = 'c' AND {_USER} AND {not_ext(catalog="pg_type", oid="t.oid")}""",
    )
    schemas = rows(pg, f"SELECT nspname FROM pg_namespace n WHERE {_USER} AND nspname <> 'public'")
    extensions = rows(pg, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")
    return {
        "enums": {qualified(s, n): {"values": v, "description": d} for s, n, v, d in enums},
        "domains": {
            qualified(s, n): {"base_type": base, "not_null": nn, "default": default,
                              "checks": checks, "description": d}
            for s, n, base, nn, default, checks, d in domains
        },
        "composite_types": {
            qualified(s, n): {
                "attributes": [{"name": a, "type": t} for a, t in zip(names, types, strict=True)],
                "description": d}
            for s, n, names, types, d in composites
        },
        "functions": {
            f"{qualified(s, n)}({a})": {"returns": r, "language": lang,
                                        "kind": ROUTINE_KINDS[k], "description": d}
            for s, n, a, r, lang, k, d in functions
        },
        "sequences": {
            qualified(s, n): {"type": t, "start": start, "increment": step}
            for s, n, t, start, step in sequences
        },
        "constraints": {
            (qualified(s, t), name): {"kind": KINDS[kind], "columns": cols, "validated": ok}
            for s, t, name, kind, ok, cols in constraints
        },
        "views": {
            qualified(s, n): {"materialized": m, "columns": c} for s, n, m, c in view_columns
        },
        "triggers": {name: qualified(s, f) for name, s, f in triggers},
        "schemas": {name for (name,) in schemas},
        "extensions": {name for (name,) in extensions},
    }  # fmt: skip


def exported(data: dict[str, Any]) -> dict[str, Any]:
    """The same shape from the export."""
    return {
        "enums": {
            e["name"]: {"values": e["values"], "description": e["description"]}
            for e in data["enums"]
        },
        "domains": {
            d["name"]: {"base_type": d["base_type"], "not_null": d["not_null"],
                        "default": d["default"], "checks": d["checks"],
                        "description": d["description"]}
            for d in data["domains"]
        },
        "composite_types": {
            c["name"]: {"attributes": c["attributes"], "description": c["description"]}
            for c in data["composite_types"]
        },
        "functions": {
            f"{f['name']}({f['arguments']})": {"returns": f["returns"], "language": f["language"],
                                               "kind": f["kind"], "description": f["description"]}
            for f in data["functions"]
        },
        "sequences": {
            s["name"]: {"type": s["type"], "start": s["start"], "increment": s["increment"]}
            for s in data["sequences"]
        },
        "constraints": {
            (t["name"], c["name"]): {"kind": c["kind"], "columns": c["columns"],
                                     "validated": c["validated"]}
            for t in data["tables"] for c in t["constraints"]
        },
        "views": {
            v["name"]: {"materialized": v["materialized"], "columns": v["columns"]}
            for v in data["views"]
        },
        "triggers": {t["name"]: t["function"] for t in data["triggers"]},
        "schemas": set(data["schemas"]),
        "extensions": set(data["extensions"]),
    }  # fmt: skip


def export_folder(files: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "migrations"
        folder.mkdir()
        for number, text in enumerate(files, start=1):
            (folder / f"{number:04d}_step.sql").write_text(text, encoding="utf-8")
        result = CliRunner().invoke(
            main, ["export", "--format", "json", "--dialect", "postgres", "--no-verify",
                   str(folder)],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def replayed(pg: Connection, files: list[str]) -> dict[str, Any]:
    for text in files:
        rejection = replay(pg, split(text).statements, Transaction.FILE)
        assert rejection is None, rejection.format()
        execute(pg, "RESET search_path")
    return catalog(pg)


def fresh_database(pg: Connection) -> None:
    for (name,) in rows(pg, f"SELECT nspname FROM pg_namespace n WHERE {_USER}"):
        execute(pg, f'DROP SCHEMA "{name}" CASCADE')
    execute(pg, "DROP EXTENSION IF EXISTS citext")
    execute(pg, "CREATE SCHEMA public")


def test_routines_types_and_schemas_equal_the_catalog(pg: Connection) -> None:
    files = ["CREATE TABLE person (id serial PRIMARY KEY, name text NOT NULL);", ROUTINES]
    data = export_folder(files)
    assert exported(data) == replayed(pg, files)
    level = next(e for e in data["enums"] if e["name"] == "app.level")
    assert level == {"name": "app.level", "values": ["low", "mid", "high"],
                     "description": "How urgent a ticket is"}  # fmt: skip
    ticket = next(t for t in data["tables"] if t["name"] == "app.ticket")
    assert ticket["schema"] == "app"
    assert [c["type"] for c in ticket["columns"]][1] == "app.level"
    assert {f["kind"] for f in data["functions"]} == {"function", "procedure"}
    assert [d["name"] for d in data["domains"]] == ["app.code", "Pos`itive"]
    assert data["domains"][0]["checks"] == ["a_short", "b|upper"]
    price = next(c for c in data["composite_types"] if c["name"] == "app.price")
    assert [a["name"] for a in price["attributes"]] == ["amount", "currency", "tags", "code"]
    offer = next(t for t in data["tables"] if t["name"] == "app.offer")
    assert [c["type"] for c in offer["columns"]] == ["integer", "app.price", "app.code[]"]


@settings(
    max_examples=int(os.environ.get("ERDGEN_PG_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(files=migrations_strategy())
def test_generated_folders_export_what_the_catalog_holds(pg: Connection, files: list[str]) -> None:
    try:
        assert exported(export_folder(files)) == replayed(pg, files)
    finally:
        fresh_database(pg)


# The corpus folders whose model equals PostgreSQL after every migration (test_pg_ddl's
# FIRST_DIFFERENCE); crates.io is left to that test, which is marked slow.
EQUAL_FOLDERS = ["dittofeed-postgres", "ente-postgres", "kestra-postgres", "svix-postgres",
                 "umami-postgres"]  # fmt: skip


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("name", EQUAL_FOLDERS)
def test_real_folders_export_what_the_catalog_holds(pg: Connection, name: str) -> None:
    history = load_history(CORPUS / name, CORPUS, dialect="postgres")
    for migration in migrations(name):
        text = migration.path.read_text(encoding="utf-8")
        rejection = replay(pg, split(text, migration.label).statements, migration.transaction)
        assert rejection is None, rejection.format()
        execute(pg, "RESET search_path")
    assert exported(export_data(history)) == catalog(pg)


def test_a_sqlite_export_has_no_postgresql_keys() -> None:
    root = Path(__file__).parents[2]
    result = CliRunner().invoke(main, ["export", "--format", "json", str(root / "migrations")])
    data = json.loads(result.stdout)
    assert not {"enums", "domains", "composite_types", "sequences", "functions", "schemas",
                "extensions"} & set(data)  # fmt: skip
    assert all("from_engine" not in entry for entry in data["timeline"])
    assert all("constraints" not in table for table in data["tables"])


DYNAMIC = [
    "CREATE SCHEMA a; CREATE TABLE a.events (id int); CREATE TABLE plain (id int);",
    "DO $$ BEGIN EXECUTE 'ALTER TABLE a.events ADD COLUMN kind text NOT NULL DEFAULT ''x''';"
    " END $$;",
    "ALTER TABLE plain ADD COLUMN n int;",
]


def test_the_timeline_names_what_was_read_from_the_catalog(
    pg: Connection, pg_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from_engine`` of each timeline entry: the objects whose DDL the text cannot show;
    what the export says of them equals the catalog after the same migrations."""
    if isinstance(pg_server, Cluster):
        monkeypatch.setenv("ERDGEN_PG_URL", pg_server.conninfo("postgres"))
    folder = tmp_path / "migrations"
    folder.mkdir()
    for number, text in enumerate(DYNAMIC, start=1):
        (folder / f"{number:04d}_step.sql").write_text(text + "\n", encoding="utf-8")
    data = export_data(load_history(folder, tmp_path, dialect="postgres"))
    assert [entry["from_engine"] for entry in data["timeline"]] == [[], ["table a.events"], []]
    replayed(pg, DYNAMIC)
    columns = rows(
        pg,
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d"
        " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " WHERE a.attrelid = 'a.events'::regclass AND a.attnum > 0 ORDER BY a.attnum",
    )
    events = next(t for t in data["tables"] if t["name"] == "a.events")
    exported_columns = [
        (c["name"], c["type"], c["not_null"], c["default"]) for c in events["columns"]
    ]
    assert exported_columns == [tuple(row) for row in columns]
