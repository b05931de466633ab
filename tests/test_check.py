"""`erdgen check`, `erdgen lock` and their configuration, run as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from erdgen.cli import main
from erdgen.config import config_from_options, project_options
from erdgen.errors import Location, Severity
from erdgen.rules.check import ALL_RULES, CheckReport, format_github, run_check
from erdgen.rules.lint import Finding

ROOT = Path(__file__).parents[1]
NO_DRIFT = ("--rule", "docs-stale=off")  # drift has its own tests below


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the bundled project (migrations, lock file, sidecar, mkdocs.yml), as cwd."""
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations")
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "schema.yml", tmp_path / "docs" / "schema.yml")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


def erdgen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def add_migration(project: Path, name: str, sql: str) -> None:
    (project / "migrations" / name).write_text(sql, encoding="utf-8")


def test_the_bundled_project_passes(project: Path) -> None:
    result = erdgen("check", *NO_DRIFT)
    assert result.exit_code == 0, result.output
    assert "error]" not in result.output
    # Every table of Evolution Hub has a TEXT primary key without NOT NULL (SQLite stores
    # NULL there); the one other warning is a foreign key without an index.
    lines = result.output.splitlines()
    assert sum(": primary-key-allows-null: " in line for line in lines) == 10
    assert sum(": foreign-key-without-index: " in line for line in lines) == 1
    assert result.output.endswith("0 errors, 11 warnings\n")


def test_an_error_finding_fails_with_exit_1(project: Path) -> None:
    add_migration(project, "0011_log.sql", "-- A log.\n\nCREATE TABLE log (at INTERGER);\n")
    result = erdgen("check", *NO_DRIFT)
    assert result.exit_code == 1
    assert (
        "migrations/0011_log.sql:3: misspelled-column-type: column log.at has type INTERGER, "
        "which SQLite accepts silently with INTEGER affinity: did you mean INTEGER? [error]\n"
    ) in result.output
    assert "migrations/0011_log.sql:1: migration-not-locked:" in result.output
    assert result.output.endswith("1 error, 15 warnings\n")  # 10 of primary-key-allows-null


def test_editing_a_locked_migration_fails(project: Path) -> None:
    path = project / "migrations" / "0001_add_sessions_table.sql"
    path.write_text(path.read_text() + "\n-- one more comment\n")
    result = erdgen("check", *NO_DRIFT)
    assert result.exit_code == 1
    assert "0001_add_sessions_table.sql:1: locked-migration-changed:" in result.output


def test_lock_command_locks_new_migrations(project: Path) -> None:
    add_migration(project, "0011_tags.sql", "-- Tags.\nCREATE TABLE tags (id TEXT PRIMARY KEY);\n")
    assert "migration-not-locked" in erdgen("check", *NO_DRIFT).output
    result = erdgen("lock")
    assert result.exit_code == 0
    assert result.output.startswith("wrote ") and "(12 migrations)" in result.output
    assert "migration-not-locked" not in erdgen("check", *NO_DRIFT).output
    assert erdgen("lock").output.startswith("up to date: ")


def test_rule_levels_from_the_command_line(project: Path) -> None:
    result = erdgen("check", *NO_DRIFT, "--rule", "foreign-key-without-index=error")
    assert result.exit_code == 1
    assert "foreign-key-without-index: foreign key download_audit(user_id)" in result.output
    assert "[error]" in result.output
    quiet = erdgen("check", *NO_DRIFT, "--rule", "foreign-key-without-index=off")
    assert "foreign-key-without-index" not in quiet.output


def test_rule_levels_from_mkdocs_yml_and_pyproject(project: Path) -> None:
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text().replace(
        "      default_language: de\n",
        "      default_language: de\n      rules:\n        foreign-key-without-index: off\n",
    )
    mkdocs.write_text(text)
    (project / "pyproject.toml").write_text(
        '[tool.erdgen.rules]\nforeign-key-without-index = "error"\nredundant-index = "error"\n'
    )
    options = project_options(project)
    assert options["rules"] == {"foreign-key-without-index": "off", "redundant-index": "error"}
    assert "foreign-key-without-index" not in erdgen("check", *NO_DRIFT).output
    override = erdgen("check", *NO_DRIFT, "--rule", "foreign-key-without-index=warning")
    assert "foreign-key-without-index" in override.output


def test_bad_configuration_exits_2(project: Path) -> None:
    unknown = erdgen("check", "--rule", "no-such-rule=off")
    assert unknown.exit_code == 2
    assert "unknown rule id(s) no-such-rule" in unknown.output
    level = erdgen("check", "--rule", "redundant-index=loud")
    assert level.exit_code == 2
    assert "rule redundant-index: level must be error, warning or off, got 'loud'" in level.output
    shape = erdgen("check", "--rule", "redundant-index")
    assert shape.exit_code == 2


def test_broken_lock_file_exits_2(project: Path) -> None:
    lock = project / "migrations" / "erdgen.lock"
    lock.write_text(lock.read_text().replace("0003 ", "0033 "))
    result = erdgen("check", *NO_DRIFT)
    assert result.exit_code == 2
    assert "the total does not match the lines" in result.output


def test_json_format(project: Path) -> None:
    result = erdgen("check", *NO_DRIFT, "--format", "json")
    data = json.loads(result.output)
    assert data["errors"] == 0 and data["warnings"] == 11
    keys = [f for f in data["findings"] if f["rule"] == "primary-key-allows-null"]
    assert len(keys) == 10 and all(f["line"] >= 1 and f["column"] == 1 for f in keys)
    assert [f for f in data["findings"] if f not in keys] == [
        {
            "path": "migrations/0006_create_download_audit.sql",
            "line": 5,
            "column": 1,
            "rule": "foreign-key-without-index",
            "severity": "warning",
            "message": "foreign key download_audit(user_id) -> users has no index starting with "
            "(user_id): deleting or updating a users row scans all of download_audit",
        }
    ]


def test_github_annotations_escape_their_data() -> None:
    finding = Finding(
        Location("migrations/a,b:c.sql", 3), "invalid-ignore", "100% bad\nsecond line"
    )
    assert format_github(CheckReport((finding,))) == (
        "::error file=migrations/a%2Cb%3Ac.sql,line=3,title=invalid-ignore::"
        "100%25 bad%0Asecond line\n"
        "1 error, 0 warnings\n"
    )


def test_every_rule_can_be_configured(project: Path) -> None:
    rules = {rule.id: "off" for rule in ALL_RULES}
    report = run_check(config_from_options(project, {"rules": rules}))
    assert report.findings == ()
    assert {rule.severity for rule in ALL_RULES} == {Severity.ERROR, Severity.WARNING}


def test_pre_commit_hooks_file_runs_check() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"]: hook["entry"] for hook in hooks}["erdgen-check"] == "erdgen check"


# --- drift: generated pages under docs/ out of date ---------------------------------------


def test_stale_docs_are_named(project: Path) -> None:
    build = pytest.importorskip("erdgen.site.build", reason="the pages helper's build.py")
    config = config_from_options(project, project_options(project))
    build.build(config)
    assert erdgen("check", "--rule", "foreign-key-without-index=off").exit_code == 0
    add_migration(project, "0011_tags.sql", "-- Tags.\nCREATE TABLE tags (id TEXT PRIMARY KEY);\n")
    result = erdgen("check", "--format", "json")
    stale = [f for f in json.loads(result.output)["findings"] if f["rule"] == "docs-stale"]
    assert result.exit_code == 1
    assert stale, result.output
    tags_pages = {f["path"]: f["message"] for f in stale if f["path"].endswith("tags.md")}
    tags_pages |= {f["path"]: f["message"] for f in stale if f["path"].endswith("tags.en.md")}
    # The table's diagram is a file of its own as well (the "open full size" link).
    assert {
        "docs/schema/tables/tags/table-tags.svg",
        "docs/schema/tables/tags/table-tags.en.svg",
    } <= {f["path"] for f in stale}
    assert tags_pages == {
        "docs/schema/tables/tags.md": "docs/schema/tables/tags.md is missing: run `erdgen build` "
        "and commit the result",
        "docs/schema/tables/tags.en.md": "docs/schema/tables/tags.en.md is missing: run "
        "`erdgen build` and commit the result",
    }
    timeline = "docs/schema/timeline.md is out of date with the migrations: run `erdgen build`"
    assert f"{timeline} and commit the result" in {f["message"] for f in stale}


DYNAMIC_DDL = (
    "CREATE TABLE t (id integer PRIMARY KEY);\nDO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$;\n"
)


@pytest.mark.parametrize("level", [None, "off", "error"])
def test_build_reports_what_erdgen_cannot_read_at_its_rules_level(
    tmp_path: Path, level: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The level a project gives `statement-not-understood` holds for `erdgen build` (and so
    for `mkdocs build --strict`) as for `erdgen check`. Without a PostgreSQL server to
    show what the DO block did (with one, it is a note: tests/postgres/test_pg_dynamic.py)."""
    from erdgen.config import Config
    from erdgen.site.build import build

    monkeypatch.setenv("ERDGEN_PG_BINDIR", str(tmp_path))  # no server programs there
    monkeypatch.delenv("ERDGEN_PG_URL", raising=False)

    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_dynamic.sql").write_text(DYNAMIC_DDL, encoding="utf-8")
    rules = {} if level is None else {"statement-not-understood": level}
    config = Config(project_dir=tmp_path, dialect="postgres", verify=False, rules=rules)
    found = [d for d in build(config).diagnostics if d.code == "pg-do"]
    checked = [
        f
        for f in run_check(config).findings
        if f.rule == "statement-not-understood" and f.message.startswith("DDL inside a DO")
    ]
    assert [d.severity for d in found] == [f.severity for f in checked]
    assert len(found) == (0 if level == "off" else 1)
    if level == "error":
        assert found[0].severity is Severity.ERROR


# --- destructive-change-without-note and the lock ------------------------------------------


def test_a_destructive_migration_is_flagged_only_until_it_is_locked(tmp_path: Path) -> None:
    """A note added to a locked migration would change it (locked-migration-changed): the
    rule speaks about the migrations that are not locked yet, and about all without a lock."""
    (tmp_path / "migrations").mkdir()
    add_migration(tmp_path, "0001_t.sql", "-- Table t.\n\nCREATE TABLE t (a, b, c);\n")
    add_migration(tmp_path, "0002_tidy.sql", "-- Tidy up.\n\nALTER TABLE t DROP COLUMN b;\n")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        flagged = "migrations/0002_tidy.sql:3: destructive-change-without-note: drops column t.b"
        result = erdgen("check", *NO_DRIFT)  # no lock file: every migration is new
        assert result.exit_code == 1 and flagged in result.output, result.output

        assert erdgen("lock").exit_code == 0
        result = erdgen("check", *NO_DRIFT)
        assert result.exit_code == 0, result.output
        assert "destructive-change-without-note" not in result.output

        add_migration(tmp_path, "0003_more.sql", "-- More.\n\nALTER TABLE t DROP COLUMN a;\n")
        result = erdgen("check", *NO_DRIFT)
        assert result.exit_code == 1
        assert [line for line in result.output.splitlines() if "destructive" in line] == [
            "migrations/0003_more.sql:3: destructive-change-without-note: drops column t.a, "
            "but the header comment of 0003_more.sql does not say so (mention the drop, or add "
            "`-- erdgen: destructive`) [error]"
        ]
    finally:
        os.chdir(cwd)
