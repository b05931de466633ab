"""Counts in words: "1 table", "2 tables", "0 tables", in the CLI's messages (erdgen.plural)
and on the pages (the catalogs' plural forms), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.plural import counted
from erdgen.render.catalog import load_catalog


def test_a_count_takes_the_noun_in_its_form() -> None:
    assert [counted(n, "table") for n in (0, 1, 2)] == ["0 tables", "1 table", "2 tables"]
    assert counted(1, "index", "indexes") == "1 index"
    assert counted(2, "index", "indexes") == "2 indexes"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_count_of_the_catalogs_has_plural_forms(language: str) -> None:
    catalog = load_catalog(language)
    counts = [key for key, entry in catalog.entries.items() if "{n}" in str(entry)]
    assert counts, "the catalogs count things"
    for key in counts:
        entry = catalog.entries[key]
        assert not isinstance(entry, str), f"{language}: {key} counts without plural forms"
        assert catalog.t(key, n=1) != catalog.t(key, n=2) or key.endswith("foreign_keys"), key
    columns = [catalog.t("count.columns", n=n) for n in (0, 1, 2)]
    assert columns == (
        ["0 columns", "1 column", "2 columns"]
        if language == "en"
        else ["0 Spalten", "1 Spalte", "2 Spalten"]
    )


@pytest.mark.parametrize("tables", [0, 1, 2])
def test_the_build_and_lock_summaries_count_in_words(
    tmp_path: Path, tables: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No mkdocs.yml: the folder is named on the command line."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text(
        "".join(f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY);\n" for i in range(tables))
        or "-- nothing yet\n"
    )
    args = ["--project-dir", str(tmp_path), "--migrations-dir", "migrations"]
    built = CliRunner().invoke(main, ["build", *args])
    assert built.exit_code == 0, built.output
    noun = "table" if tables == 1 else "tables"
    assert built.output.rstrip().endswith(f"({tables} {noun}, 1 migration)"), built.output

    monkeypatch.chdir(tmp_path)
    locked = CliRunner().invoke(main, ["lock", "migrations"])
    assert locked.output == "wrote migrations/erdgen.lock (1 migration)\n", locked.output
    (migrations / "0002_second.sql").write_text("CREATE TABLE more (id INTEGER PRIMARY KEY);\n")
    locked = CliRunner().invoke(main, ["lock", "migrations"])
    assert locked.output == "wrote migrations/erdgen.lock (2 migrations)\n", locked.output
