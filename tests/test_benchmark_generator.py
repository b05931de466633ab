"""The benchmark's synthetic migration folders: they replay in SQLite, are deterministic,
have the promised sizes and contain the mix of statements real folders have."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GENERATOR_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


generator = load_generator()


def replay(folder: Path) -> sqlite3.Connection:
    """Apply every file in order, the way a migration runner would."""
    connection = sqlite3.connect(":memory:")
    for path in sorted(folder.glob("*.sql")):
        try:
            connection.executescript(path.read_text(encoding="utf-8"))
        except sqlite3.Error as error:
            pytest.fail(f"{path.name}: {error}")
    return connection


def read_all(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql")))


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("medium")
    generator.generate(folder, *generator.SIZES["medium"], seed=0)
    return folder


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("large")
    result = generator.generate(folder, *generator.SIZES["large"], seed=0)
    return folder, result.statements


def test_medium_folder_replays_in_sqlite_with_consistent_foreign_keys(medium: Path) -> None:
    connection = replay(medium)

    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    targets = {
        target
        for table in tables
        for (target,) in connection.execute(
            'SELECT "table" FROM pragma_foreign_key_list(?)', (table,)
        )
    }
    assert 40 <= len(tables) <= 61  # 60 created, a few dropped again
    assert targets and targets <= tables  # every foreign key points at a live table
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    migrations=st.integers(min_value=1, max_value=60),
    tables=st.integers(min_value=1, max_value=25),
)
def test_any_seed_and_size_replays_in_sqlite(
    tmp_path_factory: pytest.TempPathFactory, seed: int, migrations: int, tables: int
) -> None:
    folder = tmp_path_factory.mktemp("any")
    result = generator.generate(folder, migrations, tables, seed=seed)

    replay(folder)
    assert result.files == len(list(folder.glob("*.sql"))) == migrations
    created = re.findall(r"^CREATE TABLE IF NOT EXISTS ", read_all(folder), re.MULTILINE)
    assert len(created) == tables


def test_same_seed_gives_byte_identical_files(medium: Path, tmp_path: Path) -> None:
    generator.generate(tmp_path / "again", *generator.SIZES["medium"], seed=0)
    generator.generate(tmp_path / "other", *generator.SIZES["medium"], seed=1)

    def contents(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    assert contents(tmp_path / "again") == contents(medium)
    assert contents(tmp_path / "other") != contents(medium)


def test_files_are_named_ordered_and_headed_like_migrations(medium: Path) -> None:
    paths = sorted(medium.iterdir())

    assert [p.name[:4] for p in paths] == [f"{n:04d}" for n in range(200)]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", path.name)
        assert text.startswith(f"-- Migration {path.name[:4]}: ")
        assert text.endswith(";\n") and "\r" not in text


def test_large_folder_has_the_promised_size(large: tuple[Path, int]) -> None:
    folder, statements = large
    text = read_all(folder)

    assert len(list(folder.glob("*.sql"))) == 2000
    assert 8_000 <= statements <= 15_000
    assert len(re.findall(r"^CREATE TABLE IF NOT EXISTS ", text, re.MULTILINE)) == 500


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("table with FK", r"FOREIGN KEY \(\w+\) REFERENCES \w+\(\w+\) ON DELETE CASCADE"),
        ("inline FK", r"\w+ (INTEGER|TEXT) (NOT NULL )?REFERENCES \w+\(id\)"),
        ("CHECK", r"CHECK \(\w+ IN \('"),
        ("named CHECK", r"CONSTRAINT \w+_check CHECK"),
        ("UNIQUE", r" UNIQUE[ ,]"),
        ("default", r"DEFAULT CURRENT_TIMESTAMP"),
        ("composite PK", r"PRIMARY KEY \(\w+, \w+\)"),
        ("WITHOUT ROWID", r"\) WITHOUT ROWID;"),
        ("column comment", r", -- \w+"),
        ("add column", r"ALTER TABLE \w+ ADD COLUMN"),
        ("drop column", r"ALTER TABLE \w+ DROP COLUMN"),
        ("rename column", r"ALTER TABLE \w+ RENAME COLUMN \w+ TO \w+;"),
        ("rebuild", r"CREATE TABLE (\w+)_new \((?s:.)*?DROP TABLE \1;\n\nALTER TABLE \1_new"),
        ("partial index", r"CREATE INDEX IF NOT EXISTS \w+ ON \w+ \([\w, ]+\) WHERE"),
        ("unique index", r"CREATE UNIQUE INDEX"),
        ("expression index", r"\(lower\(\w+\)\)"),
        ("drop index", r"DROP INDEX IF EXISTS"),
        ("view with join", r"CREATE VIEW IF NOT EXISTS \w+ AS\nSELECT .*\nFROM \w+ AS t\n  JOIN"),
        ("trigger, several ;", r"CREATE TRIGGER(?:(?!END;)(?s:.))*;(?:(?!END;)(?s:.))*;\nEND;"),
        ("backfill", r"UPDATE \w+\nSET \w+ = '\w+-r' \|\| \w+\nWHERE"),
        ("seed rows", r"INSERT INTO \w+ \([\w, ]+\) VALUES\n"),
        ("drop table", r"DROP TABLE IF EXISTS"),
    ],
)
def test_medium_folder_has_the_realistic_mix(medium: Path, what: str, pattern: str) -> None:
    assert re.search(pattern, read_all(medium)), what
