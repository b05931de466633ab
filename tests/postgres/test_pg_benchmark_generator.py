"""The benchmark's synthetic PostgreSQL folder: PostgreSQL itself replays it and erdgen's
model agrees with the catalog after every migration (so the generator is a property test
of the reader too); same arguments give the same bytes; it has the statement kinds real
PostgreSQL folders have. And the reader's shortcut for speed, handing out the same frozen
table while nothing changed it, hands out exactly what a fresh build makes."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen import dialects
from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.postgres.dialect import PostgresReader
from erdgen.dialects.postgres.server import Server
from erdgen.layouts import discover
from erdgen.model import Migration

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
CORPUS = Path("/work/shared/corpus")


def load_generator() -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # its sibling module pg_schema
    spec = importlib.util.spec_from_file_location(
        "benchmark_generate_postgres", BENCHMARKS / "generate_postgres.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


generator = load_generator()


def agrees_with_postgresql(root: Path) -> None:
    history = load_history(root / "migrations", root, dialect="postgres")
    assert history.diagnostics == ()  # every statement read
    report = verify(history, dialects.get("postgres"))
    assert report.agrees, "\n".join(report.lines())


def test_the_medium_folder_replays_in_postgresql_and_the_model_agrees(
    tmp_path: Path, pg_server: Server
) -> None:
    folder = generator.generate(tmp_path, *generator.SIZES["medium"], seed=0)
    assert folder.migrations == 200
    agrees_with_postgresql(tmp_path)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(1, 10_000), migrations=st.integers(12, 50))
def test_folders_of_any_seed_and_size_agree_with_postgresql(
    tmp_path_factory: pytest.TempPathFactory, pg_server: Server, seed: int, migrations: int
) -> None:
    root = tmp_path_factory.mktemp("pg")
    generator.generate(root, migrations, migrations // 3, seed=seed)
    agrees_with_postgresql(root)


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generator.generate(first, 60, 20, seed=3)
    generator.generate(second, 60, 20, seed=3)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_the_medium_folder_has_the_statements_real_postgresql_folders_have(
    tmp_path: Path,
) -> None:
    folder = generator.generate(tmp_path, *generator.SIZES["medium"], seed=0)
    root = folder.path
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*/up.sql")))
    kinds = {
        "serial": r"\bSERIAL PRIMARY KEY|\bserial PRIMARY KEY",
        "identity": r"GENERATED ALWAYS AS IDENTITY",
        "uuid": r"uuid PRIMARY KEY DEFAULT gen_random_uuid\(\)",
        "schema-qualified": r"CREATE TABLE \w+\.\w+",
        "search path": r"SET LOCAL search_path TO",
        "enum": r"CREATE TYPE \S+ AS ENUM",
        "enum value": r"ALTER TYPE \S+ ADD VALUE",
        "add column": r"ADD COLUMN",
        "drop column": r"DROP COLUMN",
        "rename column": r"RENAME (COLUMN )?\w+ TO",
        "column type": r"ALTER COLUMN \w+ TYPE",
        "set not null": r"SET NOT NULL",
        "set default": r"SET DEFAULT",
        "foreign key": r"ADD CONSTRAINT \w+\s+FOREIGN KEY",
        "unique": r"ADD CONSTRAINT \w+ UNIQUE",
        "check": r"ADD CONSTRAINT \w+ CHECK",
        "partial index": r"CREATE INDEX .* WHERE",
        "gin": r"USING gin",
        "include": r"INCLUDE \(",
        "concurrently": r"CREATE INDEX CONCURRENTLY",
        "view": r"CREATE VIEW",
        "plpgsql": r"LANGUAGE plpgsql",
        "dollar quotes": r"\$\$",
        "trigger": r"CREATE TRIGGER",
        "comment": r"COMMENT ON (TABLE|COLUMN|VIEW)",
        "rename table": r"ALTER TABLE \S+ RENAME TO",
        "drop table": r"DROP TABLE",
    }
    missing = [kind for kind, pattern in kinds.items() if not re.search(pattern, text)]
    assert missing == []
    assert (root / "00000000000000_diesel_initial_setup" / "up.sql").is_file()
    assert any(root.glob("*/metadata.toml"))  # CONCURRENTLY outside a transaction
    assert len(list(root.glob("*/up.sql"))) == folder.migrations == 200


def corpus_folders() -> list[Path]:
    return sorted(CORPUS.glob("*-postgres")) if CORPUS.is_dir() else []


def _folder_migrations(tmp_path: Path, name: str, seed: int) -> tuple[Migration, ...]:
    """A medium generated folder ("generated") or a PostgreSQL corpus folder, in order."""
    if name == "generated":
        root = generator.generate(tmp_path, *generator.SIZES["medium"], seed=seed).path.parent
        return discover(root / "migrations", root, None).migrations
    return discover(CORPUS / name, CORPUS / name, None).migrations


@pytest.mark.parametrize("name", ["generated", *(p.name for p in corpus_folders())])
def test_a_table_handed_out_unchanged_is_what_a_fresh_build_makes(
    tmp_path: Path, name: str
) -> None:
    """The reader freezes a table again only after a change to it marked it; a change
    that did not mark it would leave an old table in the model. After every migration,
    every table must equal the one built from scratch."""
    reader = PostgresReader()
    for migration in _folder_migrations(tmp_path, name, seed=1):
        reader.read(migration)
        stale = [
            key for key, table in reader.state.tables.items() if table.freeze() != table._build()
        ]
        assert stale == [], f"{migration.path}: stale frozen tables {stale}"


@pytest.mark.parametrize("name", ["generated", *(p.name for p in corpus_folders())])
def test_the_name_and_reference_lookup_equals_a_scan_of_every_table(
    tmp_path: Path, name: str
) -> None:
    """Index and constraint names and the tables referencing each table come from a lookup
    that looks again only at tables a change marked; after every migration it must hold
    what a scan of every table finds (a missed mark would let a name be chosen twice or a
    foreign key outlive its table)."""
    reader = PostgresReader()
    for migration in _folder_migrations(tmp_path, name, seed=2):
        reader.read(migration)
        tables = list(reader.state.tables.values())
        referencing: dict[str, set[int]] = {}
        for table in tables:
            for constraint in table.constraints:
                if constraint.foreign_key is not None:
                    referencing.setdefault(constraint.foreign_key.ref_table, set()).add(id(table))
        lookup = reader.state.lookup()
        held = {key: {id(t) for t in lookup.referencing(key)} for key in lookup._referencing}
        where = f"{migration.path}: the lookup differs from a scan"
        assert set(lookup._indexes) == {i.name for t in tables for i in t.indexes}, where
        assert set(lookup._constraints) == {
            (t.namespace, c.name) for t in tables for c in t.constraints
        }, where
        assert held == referencing, where


def test_every_kind_of_change_to_a_table_drops_its_frozen_table() -> None:
    """Whatever way the reader changes a table (a list changed in place or replaced, a
    constraint changed after it was added), the next freeze shows the change."""
    from erdgen.dialects.postgres.state import TableConstraint, TableState
    from erdgen.model import Column

    table = TableState("public", "t")
    constraint = TableConstraint("t_pkey", "p", ["a"])
    changes = [
        lambda: table.columns.append(Column("b", "integer")),
        lambda: table.columns.append(Column("a", "integer")),
        lambda: table.columns.sort(key=lambda c: c.name),
        lambda: table.constraints.append(constraint),
        lambda: setattr(constraint, "name", "t_key"),
        lambda: setattr(constraint, "validated", False),
        lambda: constraint.columns.append("b"),
        lambda: setattr(table, "columns", [*table.columns, Column("c", "text")]),
        lambda: table.columns.__delitem__(0),
        lambda: setattr(table, "description", "rows"),
        lambda: setattr(table, "name", "u"),
    ]
    for change in changes:
        before = table.freeze()
        change()
        assert table.freeze() is not before
        assert table.freeze() == table._build()
        assert table.freeze() is table.freeze()  # unchanged: the same object again


def test_the_postgresql_results_and_the_sqlite_results_keep_each_other() -> None:
    """results.md holds both runs: a PostgreSQL run replaces only its own section at the
    end, and a SQLite run (which rewrites the file) keeps that section."""
    import run_postgres  # on sys.path through load_generator

    first = run_postgres.merged("# SQLite\n\nold numbers\n", f"{run_postgres.MARKER}\npg 1\n")
    second = run_postgres.merged(first, f"{run_postgres.MARKER}\npg 2\n")
    assert second == f"# SQLite\n\nold numbers\n\n{run_postgres.MARKER}\npg 2\n"
    rewritten = run_postgres.keep_postgres_section(second, "# SQLite\n\nnew numbers\n")
    assert rewritten == f"# SQLite\n\nnew numbers\n\n{run_postgres.MARKER}\npg 2\n"
    assert run_postgres.keep_postgres_section("# SQLite only\n", "# new\n") == "# new\n"
