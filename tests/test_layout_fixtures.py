"""One small synthetic folder per rule of LAYOUTS.md §4, generated here, read as the tool reads it.

Where a fixture has SQL worth replaying, the model is also compared with SQLite's replay in
the tool's own order (``verify``), not with hand-typed schemas.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.sqlite.split import scan
from erdgen.errors import DiscoveryError
from erdgen.layouts import Discovery, discover
from erdgen.layouts.atlas import sum_lines
from erdgen.model import Kind, Transaction

SQL = "CREATE TABLE t{n} (id INTEGER);\n"


def make(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (paths relative to ``root``/migrations, or to ``root`` with ``../``)."""
    folder = root / "migrations"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        path = (folder / name).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def found(root: Path, files: dict[str, str], layout: str | None = None) -> Discovery:
    return discover(make(root, files), root, layout)


def refused(root: Path, files: dict[str, str], layout: str | None = None) -> str:
    with pytest.raises(DiscoveryError) as raised:
        found(root, files, layout)
    return raised.value.format()


def tables(count: int) -> list[str]:
    return [SQL.format(n=n) for n in range(count)]


# 1 ---------------------------------------------------------------------------------------------
def test_flat_numbers_repeat_and_skip_as_in_wrangler(tmp_path: Path) -> None:
    names = ["0001_a.sql", "0003_b.sql", "0003_c.sql", "0005_x.sql", "0005_x_copy.sql"]
    files = dict(zip(names, tables(5), strict=True)) | {"README.md": "# notes\n"}
    result = found(tmp_path, files)
    assert [m.name for m in result.migrations] == ["a", "b", "c", "x", "x_copy"]
    assert [m.id for m in result.migrations] == names  # what d1_migrations records
    assert verify(load_history(tmp_path / "migrations", tmp_path)).agrees


# 2 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("layout", "head", "expected"),
    [
        ("flat", "", ["1", "9", "10"]),
        ("sqlx", "", ["1", "9", "10"]),
        ("goose", "-- +goose Up\n", ["1", "9", "10"]),
        # by file name: "10_b.sql" < "1_a.sql" since "0" < "_" (LAYOUTS.md §4 #2 says
        # 1, 10, 9, which holds for the numbers alone, not for the names the tools sort)
        ("dbmate", "-- migrate:up\n", ["10", "1", "9"]),
        ("atlas", "", ["10", "1", "9"]),
    ],
)
def test_numeric_or_string_order_is_the_tools(
    tmp_path: Path, layout: str, head: str, expected: list[str]
) -> None:
    tail = "-- migrate:down\n" if layout == "dbmate" else ""
    files = {name: head + SQL.format(n=i) + tail for i, name in enumerate(["1_a", "9_c", "10_b"])}
    result = found(tmp_path, {f"{k}.sql": v for k, v in files.items()}, layout)
    assert [m.path.split("/")[-1].split("_")[0] for m in result.migrations] == expected


# 3, 4 ------------------------------------------------------------------------------------------
def test_flyway_versions_repeatables_undo_and_baseline(tmp_path: Path) -> None:
    names = ["V1__a.sql", "V1_1__b.sql", "V13__c.sql", "V13.1__d.sql", "R__views.sql",
             "U1__a.sql", "B2__base.sql", "V2__e.SQL"]  # fmt: skip
    result = found(tmp_path, dict(zip(names, tables(len(names)), strict=True)))
    assert result.layout == "flyway"
    assert [m.id for m in result.migrations] == ["1", "1.1", "2", "13", "13.1", "views"]
    assert [m.name for m in result.migrations][3:5] == ["c", "d"]
    assert result.migrations[-1].kind is Kind.REPEATABLE
    assert [s.id for s in result.snapshots] == ["2"]
    assert result.listed == ("migrations/U1__a.sql",)


def test_flyway_1_and_1_0_are_one_version(tmp_path: Path) -> None:
    text = refused(tmp_path, {"V1__a.sql": SQL.format(n=1), "V1.0__b.sql": SQL.format(n=2)})
    assert "duplicate migration version 1" in text
    assert "V1__a.sql" in text and "V1.0__b.sql" in text


def test_flyway_locations_of_one_config_merge_into_one_sequence(tmp_path: Path) -> None:
    (tmp_path / "flyway.conf").write_text(
        "flyway.locations=filesystem:sql/core,filesystem:sql/extra\n", encoding="utf-8"
    )
    for folder, name in (("core", "V1__a.sql"), ("extra", "V2__b.sql"), ("core", "V3__c.sql")):
        (tmp_path / "sql" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "sql" / folder / name).write_text(SQL.format(n=name[1]), encoding="utf-8")
    result = discover(tmp_path / "sql" / "core", tmp_path)
    assert result.layout == "flyway"
    assert [m.path for m in result.migrations] == [
        "sql/core/V1__a.sql", "sql/extra/V2__b.sql", "sql/core/V3__c.sql"
    ]  # fmt: skip


# 5 ---------------------------------------------------------------------------------------------
GOOSE = (
    "-- +goose Up\n"
    "CREATE TABLE t (a INT, b INT);\n"
    "-- +goose StatementBegin\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  UPDATE t SET b = 1;\n"
    "END;\n"
    "-- +goose StatementEnd\n"
    "-- +goose Down\n"
    "DROP TABLE t;\n"
)


def test_goose_down_is_masked_and_the_trigger_is_one_statement(tmp_path: Path) -> None:
    (migration,) = found(tmp_path, {"00001_t.sql": GOOSE}).migrations
    assert migration.sql.count("\n") == GOOSE.count("\n")  # same lines
    assert "DROP TABLE" not in migration.sql
    assert len(scan(migration.sql).statements) == 2
    assert migration.sql.split("\n")[3] == GOOSE.split("\n")[3]  # line 4 is line 4
    assert verify(load_history(tmp_path / "migrations", tmp_path)).agrees


def test_goose_file_without_up_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, {"00001_t.sql": GOOSE, "00002_u.sql": "SELECT 1;\n"})
    assert "00002_u.sql" in text and "+goose Up" in text


def test_goose_go_migrations_are_named_as_gaps(tmp_path: Path) -> None:
    files = {"00001_t.sql": GOOSE, "00002_backfill.go": "package migrations\n",
             "migrations_test.go": "package migrations\n"}  # fmt: skip
    (warning,) = found(tmp_path, files).warnings
    assert warning.message.startswith("00002_backfill.go: Go migrations are code")


def test_goose_no_transaction(tmp_path: Path) -> None:
    files = {"1_t.sql": "-- +goose NO TRANSACTION\n-- +goose Up\n" + SQL.format(n=1)}
    (migration,) = found(tmp_path, files).migrations
    assert migration.transaction is Transaction.NONE


# 6 ---------------------------------------------------------------------------------------------
DBMATE = (
    "-- migrate:up\nCREATE TABLE a (x INT);\n-- migrate:down\nDROP TABLE a;\n"
    "-- migrate:up transaction:false\nCREATE TABLE b (y INT);\n-- migrate:down\nDROP TABLE b;\n"
)


def test_dbmate_keeps_up_blocks_only_with_exact_lines(tmp_path: Path) -> None:
    (migration,) = found(tmp_path, {"20240101000000_ab.sql": DBMATE}).migrations
    lines = migration.sql.split("\n")
    assert (lines[1], lines[5]) == ("CREATE TABLE a (x INT);", "CREATE TABLE b (y INT);")
    assert "DROP" not in migration.sql and len(lines) == len(DBMATE.split("\n"))
    assert migration.id == "20240101000000"
    assert migration.transaction is Transaction.NONE
    history = load_history(tmp_path / "migrations", tmp_path)
    assert [t.name for t in history.schema.tables] == ["a", "b"]
    assert verify(history).agrees


def test_dbmate_sql_before_the_first_up_is_refused_at_its_line(tmp_path: Path) -> None:
    files = {"1_a.sql": DBMATE, "2_b.sql": "-- note\nSELECT 1;\n" + DBMATE}
    assert "migrations/2_b.sql:2:1: error: statement before" in refused(tmp_path, files)


# 7 ---------------------------------------------------------------------------------------------
def test_diesel_versions_metadata_and_duplicates(tmp_path: Path) -> None:
    files = {
        "2024-03-13_170000_x/up.sql": SQL.format(n=1),
        "2024-03-13_170000_x/down.sql": "DROP TABLE t1;\n",
        "2024-03-14-000000_y/up.sql": SQL.format(n=2),
        "2024-03-14-000000_y/metadata.toml": "run_in_transaction = false\n",
    }
    first, second = found(tmp_path, files).migrations
    assert (first.id, first.name, second.id) == ("20240313", "170000_x", "20240314000000")
    assert second.transactional is False and first.transactional is True
    assert "migrations/2024-03-13_170000_x/down.sql" in first.paths  # listed, never applied
    duplicate = {"2024-03-13_170001_z/up.sql": SQL.format(n=3)}
    assert "duplicate migration version 20240313" in refused(tmp_path, duplicate)


# 8 ---------------------------------------------------------------------------------------------
def test_prisma_provider_and_checksums(tmp_path: Path) -> None:
    files = {
        "migration_lock.toml": 'provider = "sqlite"\n',
        "20240101000000_init/migration.sql": SQL.format(n=1),
        "20240102000000_more/migration.sql": SQL.format(n=2),
    }
    result = found(tmp_path, files)
    assert (result.layout, result.dialect) == ("prisma", "sqlite")
    assert [m.id for m in result.migrations] == ["20240101000000_init", "20240102000000_more"]
    expected = hashlib.sha256(SQL.format(n=1).encode()).hexdigest()
    assert result.migrations[0].tool_checksum == expected
    assert result.warnings == ()
    text = refused(tmp_path, {"20240103000000_broken/notes.txt": "x"})
    assert "without migration.sql: 20240103000000_broken" in text


def test_prisma_folders_sharing_a_timestamp_are_flagged(tmp_path: Path) -> None:
    files = {"20240101000000_b/migration.sql": SQL.format(n=1),
             "20240101000000_A/migration.sql": SQL.format(n=2)}  # fmt: skip
    result = found(tmp_path, files, layout="prisma")
    assert [m.id for m in result.migrations] == ["20240101000000_A", "20240101000000_b"]
    assert any("share the timestamp 20240101000000" in w.message for w in result.warnings)


# 9, 10, 14 -------------------------------------------------------------------------------------
def journal(*tags: str) -> str:
    entries = [
        {"idx": i, "version": "6", "when": 1700000000000 + i, "tag": t, "breakpoints": True}
        for i, t in enumerate(tags)
    ]
    return json.dumps({"version": "7", "dialect": "sqlite", "entries": entries})


def test_drizzle_journal_decides_and_unlisted_files_are_flagged(tmp_path: Path) -> None:
    files = {f"000{n}_{c}.sql": SQL.format(n=n) for n, c in enumerate("abcd")}
    files["meta/_journal.json"] = journal("0000_a", "0002_c", "0001_b")
    result = found(tmp_path, files)
    assert [m.id for m in result.migrations] == ["0000_a", "0002_c", "0001_b"]
    assert all(m.transaction is Transaction.SHARED for m in result.migrations)
    assert [w.location.path for w in result.warnings] == ["migrations/0003_d.sql"]
    assert "drizzle will not run this" in result.warnings[0].message


def test_a_drizzle_file_may_commit_the_shared_transaction_and_reopen_it(tmp_path: Path) -> None:
    # homarr's files do this to switch foreign keys off between drizzle's BEGIN and COMMIT
    cut = "--> statement-breakpoint\n"
    reopened = cut.join(
        ["COMMIT TRANSACTION;\n", "PRAGMA foreign_keys = OFF;\n", "BEGIN TRANSACTION;\n",
         SQL.format(n=1), "COMMIT TRANSACTION;\n", "PRAGMA foreign_keys = ON;\n",
         "BEGIN TRANSACTION;\n"]
    )  # fmt: skip
    files = {"0000_a.sql": SQL.format(n=0), "0001_b.sql": reopened}
    files["meta/_journal.json"] = journal("0000_a", "0001_b")
    make(tmp_path, files)
    history = load_history(tmp_path / "migrations", tmp_path)
    assert [d.format() for d in history.diagnostics] == []
    assert [t.name for t in history.schema.tables] == ["t0", "t1"]
    assert verify(history).agrees


def test_drizzle_v1_folders_are_not_prisma(tmp_path: Path) -> None:
    files = {
        "20240101000000_a/migration.sql": SQL.format(n=1),
        "20240101000000_a/snapshot.json": "{}",
    }
    assert found(tmp_path, files).layout == "drizzle-v1"


def test_wrangler_config_over_a_drizzle_journal(tmp_path: Path) -> None:
    (tmp_path / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "migrations"\n', encoding="utf-8"
    )
    files = {"0000_a.sql": SQL.format(n=0), "0001_b.sql": SQL.format(n=1)}
    files["meta/_journal.json"] = journal("0001_b", "0000_a")
    result = found(tmp_path, files)
    assert result.layout == "wrangler"
    assert [m.id for m in result.migrations] == ["0000_a.sql", "0001_b.sql"]
    assert "meta/_journal.json" in result.warnings[0].message


def test_wrangler_pattern_per_environment(tmp_path: Path) -> None:
    (tmp_path / "wrangler.jsonc").write_text(
        '{ // comment\n "env": {"dev": {"d1_databases": [{"binding": "DB", "migrations_dir":'
        ' "drizzle", "migrations_pattern": "drizzle/*/migration.sql",},]}}}\n',
        encoding="utf-8",
    )
    folder = tmp_path / "drizzle"
    for name in ("0001_b", "0000_a"):
        (folder / name).mkdir(parents=True)
        (folder / name / "migration.sql").write_text(SQL.format(n=name[-1]), encoding="utf-8")
    result = discover(folder, tmp_path)
    assert result.layout == "wrangler"
    assert [m.id for m in result.migrations] == ["0000_a/migration.sql", "0001_b/migration.sql"]


# 11 --------------------------------------------------------------------------------------------
def test_atlas_sum_passes_then_reports_the_edited_file(tmp_path: Path) -> None:
    files = {"20240101000000_a.sql": SQL.format(n=1), "20240102000000_b.sql": SQL.format(n=2)}
    lines = sum_lines([(k, v.encode()) for k, v in files.items()])
    files["atlas.sum"] = "\n".join(lines) + "\n"
    result = found(tmp_path, files)
    assert (result.layout, result.warnings) == ("atlas", ())
    assert [m.id for m in result.migrations] == ["20240101000000", "20240102000000"]
    (tmp_path / "migrations" / "20240102000000_b.sql").write_text(SQL.format(n=9))
    (warning,) = discover(tmp_path / "migrations", tmp_path).warnings
    assert str(warning.location) == "migrations/atlas.sum:3:1"
    assert "checksum mismatch at 20240102000000_b.sql" in warning.message


def test_atlas_sum_of_a_real_folder_checks_out() -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    folder = corpus / "ncps-goose-atlas-sqlite"
    if not folder.is_dir():
        pytest.skip("no corpus")
    result = discover(folder, corpus)
    assert result.layout == "goose" and result.warnings == ()
    assert "atlas.sum" in " ".join(result.evidence)


# 12 --------------------------------------------------------------------------------------------
def test_golang_migrate_ups_only_and_zero_padded_duplicates(tmp_path: Path) -> None:
    files = {
        "1_a.up.sql": SQL.format(n=1), "1_a.down.sql": "DROP TABLE t1;\n",
        "9_b.up.sql": SQL.format(n=9), "10_c.up.sql": SQL.format(n=10),
        "7_x.up..sql": SQL.format(n=7),
    }  # fmt: skip
    result = found(tmp_path, files)
    assert [(m.id, m.name) for m in result.migrations] == [
        ("1", "a"), ("7", "x"), ("9", "b"), ("10", "c")
    ]  # fmt: skip
    assert "duplicate migration version 1" in refused(tmp_path, {"001_b.up.sql": SQL})


# 13 --------------------------------------------------------------------------------------------
def test_sqlx_no_transaction_and_reversible_pairs(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text('[dependencies]\nsqlx = "0.8"\n', encoding="utf-8")
    files = {
        "1_a.sql": "-- no-transaction\n" + SQL.format(n=1),
        "2_b.up.sql": SQL.format(n=2),
        "2_b.down.sql": "DROP TABLE t2;\n",
    }
    result = found(tmp_path, files)
    assert result.layout == "sqlx"
    assert [(m.id, m.transactional) for m in result.migrations] == [("1", False), ("2", True)]
    raw = ("-- no-transaction\n" + SQL.format(n=1)).encode()
    assert result.migrations[0].tool_checksum == hashlib.sha384(raw).hexdigest()


@pytest.mark.parametrize(
    ("cargo", "layout"),
    [("[dependencies.sqlx]\nversion = '0.8'\n", "sqlx"), ("sqlx-core = '0.8'\n", "flat")],
)
def test_only_a_sqlx_dependency_makes_a_numbered_folder_sqlx(
    tmp_path: Path, cargo: str, layout: str
) -> None:
    (tmp_path / "Cargo.toml").write_text(cargo, encoding="utf-8")
    assert found(tmp_path, {"1_a.sql": SQL.format(n=1)}).layout == layout


# 15 --------------------------------------------------------------------------------------------
def test_refinery_runs_u_files_flyway_skips_them(tmp_path: Path) -> None:
    files = {"V1__a.sql": SQL.format(n=1), "U2__b.sql": SQL.format(n=2)}
    assert [m.id for m in found(tmp_path, files).migrations] == ["1"]
    (tmp_path / "Cargo.toml").write_text('[dependencies]\nrefinery = "0.8"\n', encoding="utf-8")
    result = discover(tmp_path / "migrations", tmp_path)
    assert (result.layout, [m.id for m in result.migrations]) == ("refinery", ["1", "2"])


# 16 --------------------------------------------------------------------------------------------
def test_version_folders_in_numeric_order_with_a_snapshot(tmp_path: Path) -> None:
    files = {"0.1/00_a.sql": SQL.format(n=1), "0.2/00_b.sql": SQL.format(n=2),
             "0.10/00_c.sql": SQL.format(n=3), "schema.sql": SQL.format(n=4)}  # fmt: skip
    result = found(tmp_path, files)
    assert result.layout == "version-dirs"
    assert [m.id for m in result.migrations] == ["0.1/00_a.sql", "0.2/00_b.sql", "0.10/00_c.sql"]
    assert [s.id for s in result.snapshots] == ["schema.sql"]


# 17 --------------------------------------------------------------------------------------------
def test_yoyo_depends_reorders_and_rollbacks_are_skipped(tmp_path: Path) -> None:
    files = {"a.sql": SQL.format(n=1), "b.sql": "-- depends: c\n" + SQL.format(n=2),
             "c.sql": SQL.format(n=3), "a.rollback.sql": "DROP TABLE t1;\n"}  # fmt: skip
    result = found(tmp_path, files)
    assert (result.layout, [m.id for m in result.migrations]) == ("yoyo", ["a", "c", "b"])


# 18 --------------------------------------------------------------------------------------------
def test_sqitch_rework_reads_the_older_script_by_tag(tmp_path: Path) -> None:
    plan = (
        "%syntax-version=1.0.0\n%project=demo\n\n"
        "users 2024-01-01T00:00:00Z A <a@x> # first\n"
        "@v1 2024-01-02T00:00:00Z A <a@x> # tag\n"
        "users [users@v1] 2024-01-03T00:00:00Z A <a@x> # reworked\n"
    )
    files = {"sqitch.plan": plan, "deploy/users@v1.sql": "CREATE TABLE users (id INT);\n",
             "deploy/users.sql": "ALTER TABLE users ADD COLUMN name TEXT;\n",
             "revert/users.sql": "DROP TABLE users;\n"}  # fmt: skip
    result = found(tmp_path, files)
    assert [(m.id, m.path) for m in result.migrations] == [
        ("users@v1", "migrations/deploy/users@v1.sql"), ("users", "migrations/deploy/users.sql")
    ]  # fmt: skip
    assert verify(load_history(tmp_path / "migrations", tmp_path)).agrees


# 19 --------------------------------------------------------------------------------------------
def test_liquibase_rollback_masked_and_other_dbms_skipped(tmp_path: Path) -> None:
    changelog = (
        "--liquibase formatted sql\n"
        "--changeset ann:1\n"
        "CREATE TABLE t (id INT);\n"
        "--rollback DROP TABLE t;\n"
        "--changeset ann:2 dbms:postgresql\n"
        "CREATE TABLE p (id INT);\n"
    )
    result = found(tmp_path, {"changelog.sql": changelog})
    (migration,) = result.migrations
    assert migration.id == "1::ann::changelog.sql"
    assert (
        "DROP" not in migration.sql and migration.sql.split("\n")[2] == "CREATE TABLE t (id INT);"
    )
    assert "CREATE TABLE p" not in migration.sql
    assert "postgresql: skipped" in result.warnings[0].message


def test_liquibase_master_changelog_orders_the_included_files(tmp_path: Path) -> None:
    master = (
        '<databaseChangeLog>\n  <include file="changes/b.sql"/>\n'
        '  <include file="changes/a.sql"/>\n</databaseChangeLog>\n'
    )
    changelog = "--liquibase formatted sql\n--changeset ann:{n}\nCREATE TABLE t{n} (id INT);\n"
    files = {"master.xml": master, "changes/a.sql": changelog.format(n=1),
             "changes/b.sql": changelog.format(n=2)}  # fmt: skip
    result = found(tmp_path, files)
    assert result.layout == "liquibase"
    assert [m.id for m in result.migrations] == ["2::ann::changes/b.sql", "1::ann::changes/a.sql"]


# 20 --------------------------------------------------------------------------------------------
def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    assert "the folder is empty" in refused(tmp_path, {})


def test_one_folder_per_database_asks_which_one(tmp_path: Path) -> None:
    files = {"sqlite/1_a.up.sql": SQL.format(n=1), "postgres/1_a.up.sql": SQL.format(n=1)}
    text = refused(tmp_path, files)
    assert "one folder per database (postgres/, sqlite/)" in text


def test_sub_folders_of_up_sql_without_a_version_still_say_diesel(tmp_path: Path) -> None:
    files = {f"{name}/up.sql": SQL.format(n=i) for i, name in enumerate(["a", "b", "c"])}
    result = found(tmp_path, files)
    assert result.layout == "diesel" and "3 sub-folder(s) hold up.sql" in result.evidence[0]


def test_two_structural_markers_contradict(tmp_path: Path) -> None:
    files = {"migration_lock.toml": 'provider = "sqlite"\n', "meta/_journal.json": journal()}
    text = refused(tmp_path, files)
    assert "migration_lock.toml" in text and "meta/_journal.json" in text


def test_two_markers_under_a_config_that_names_the_folder_only_warn(tmp_path: Path) -> None:
    (tmp_path / "wrangler.toml").write_text("[[d1_databases]]\n", encoding="utf-8")
    files = {"migration_lock.toml": "", "meta/_journal.json": journal(), "0001_a.sql": SQL}
    result = found(tmp_path, files)
    assert result.layout == "wrangler"
    assert len([w for w in result.warnings if "wrangler.toml names wrangler" in w.message]) == 2


def test_a_contradiction_is_reported_at_the_folder_naming_both(tmp_path: Path) -> None:
    files = {"V1__a.sql": SQL.format(n=1), "2_b.sql": SQL.format(n=2)}
    assert refused(tmp_path, files) == (
        "migrations:1:1: error: contradicting evidence: V1__a.sql is a Flyway name, 2_b.sql is not"
    )


def test_goose_and_dbmate_markers_contradict(tmp_path: Path) -> None:
    files = {"1_a.sql": "-- +goose Up\n" + SQL.format(n=1), "2_b.sql": DBMATE}
    text = refused(tmp_path, files)
    assert "1_a.sql:1: -- +goose Up" in text and "2_b.sql:1: -- migrate:up" in text


def test_export_in_a_project_root_finds_the_folder_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"2024-01-01-000000_a/up.sql": SQL.format(n=1)})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--verbose", "."])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["layout"] == "diesel"
    assert data["evidence"][0].startswith("migrations/ found")
    assert "layout: diesel" in result.stderr


def test_nothing_found_is_exit_2_with_what_was_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.sql").write_text("SELECT 1;\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "."])
    assert result.exit_code == 2
    assert "no *.sql at the top, but 1 below it (e.g. src/app.sql)" in result.stderr
    assert "Traceback" not in result.output


# --- choosing the layout by hand ----------------------------------------------------------------
def test_a_forced_layout_that_finds_nothing_says_what_it_saw(tmp_path: Path) -> None:
    files = {f"2024-01-0{n}-000000_m/up.sql": SQL.format(n=n) for n in (1, 2, 3)}
    text = refused(tmp_path, files, layout="flat")
    assert "3 sub-folders hold up.sql: this looks like diesel; try --layout diesel" in text


def test_an_unknown_layout_lists_the_known_ones(tmp_path: Path) -> None:
    text = refused(tmp_path, {"0001_a.sql": SQL}, layout="rails")
    assert "unknown layout 'rails'" in text and "diesel" in text and "wrangler" in text


def test_the_layout_option_of_the_project_overrides_detection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"20240101_a.sql": DBMATE})
    (tmp_path / "pyproject.toml").write_text('[tool.erdgen]\nlayout = "flat"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    as_flat = CliRunner().invoke(main, ["export", "--no-verify"])
    assert as_flat.exit_code == 0, as_flat.output
    data = json.loads(as_flat.stdout)
    assert (data["layout"], data["tables"]) == ("flat", [])  # the down sections ran too
    forced = CliRunner().invoke(main, ["export", "--no-verify", "--layout", "dbmate"])
    assert forced.exit_code == 0, forced.output
    data = json.loads(forced.stdout)
    assert (data["layout"], [t["name"] for t in data["tables"]]) == ("dbmate", ["a", "b"])


def test_verify_builds_each_snapshot_and_compares_it_with_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0.1/00_a.sql": "CREATE TABLE a (x INT);\n", "0.2/00_b.sql": "CREATE TABLE b (y);\n",
             "schema.sql": "CREATE TABLE a (x INT);\nCREATE TABLE b (y);\n",
             "B1__base.sql": "CREATE TABLE a (x INT);\n"}  # fmt: skip
    make(tmp_path, {k: v for k, v in files.items() if k != "B1__base.sql"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 0, result.output
    assert "snapshot migrations/schema.sql: matches the model after 0.2/00_b.sql b" in result.stdout
    (tmp_path / "migrations" / "schema.sql").write_text("CREATE TABLE a (x INT, z TEXT);\n")
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 1
    assert "snapshot migrations/schema.sql: 2 differences" in result.stdout


def test_a_flyway_baseline_is_compared_at_its_own_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"V1__a.sql": "CREATE TABLE a (x INT);\n", "V2__b.sql": "CREATE TABLE b (y);\n",
                    "B1__base.sql": "CREATE TABLE a (x INT);\n"})  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 0, result.output
    assert "snapshot migrations/B1__base.sql: matches the model after 1 a" in result.stdout


def test_a_baseline_below_every_migration_is_compared_with_the_empty_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No migration comes at or before B1: the model at its point holds nothing (not the
    final schema, whose later tables would show up as differences of the baseline)."""
    make(tmp_path, {"V2__b.sql": "CREATE TABLE b (y);\n", "B1__base.sql": "CREATE TABLE a (x);\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 1, result.output
    report = result.stdout[result.stdout.index("snapshot migrations/B1__base.sql") :]
    assert report.startswith(
        "snapshot migrations/B1__base.sql: 1 difference from the model after no migration"
    )
    assert "a" in report.splitlines()[1] and " b" not in report


def test_check_reports_what_discovery_noticed_as_layout_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0000_a.sql": SQL.format(n=0), "0001_b.sql": SQL.format(n=1)}
    files["meta/_journal.json"] = journal("0000_a")
    make(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    layout = [(f["path"], f["message"]) for f in findings if f["rule"] == "layout-warning"]
    assert layout == [
        ("migrations/0001_b.sql", "not in meta/_journal.json: drizzle will not run this")
    ]
    assert not [f for f in findings if f["rule"] == "statement-not-understood"]


def test_export_carries_the_tools_checksum_kind_and_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Cargo.toml").write_text('sqlx = "0.8"\n', encoding="utf-8")
    raw = "-- no-transaction\n" + SQL.format(n=1)
    make(tmp_path, {"1_a.sql": raw})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--no-verify"])
    (migration,) = json.loads(result.stdout)["migrations"]
    assert migration["tool_checksum"] == hashlib.sha384(raw.encode()).hexdigest()
    assert (migration["kind"], migration["transaction"]) == ("versioned", "none")
