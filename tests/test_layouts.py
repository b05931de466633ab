"""Discovery: which files of a folder are migrations, in which order they are applied, and
which key the tool records for each (LAYOUTS.md §3.3)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from erdgen.errors import DiscoveryError
from erdgen.layouts import discover_migrations as discover

SQL = "CREATE TABLE t (id INTEGER);\n"


def folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for name, content in files.items():
        path = migrations / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return migrations


def ids(migrations_dir: Path) -> list[str]:
    return [m.id for m in discover(migrations_dir, migrations_dir.parent)]


def labels(migrations_dir: Path) -> list[str]:
    return [m.shown for m in discover(migrations_dir, migrations_dir.parent)]


def test_d1_files_are_ordered_by_number_and_keyed_by_file_name(tmp_path: Path) -> None:
    migrations = folder(tmp_path, {"0010_last.sql": SQL, "0002_b.sql": SQL, "0007_a.sql": SQL})
    found = discover(migrations, tmp_path)
    assert [m.id for m in found] == ["0002_b.sql", "0007_a.sql", "0010_last.sql"]
    assert [m.label for m in found] == ["0002", "0007", "0010"]
    assert [m.name for m in found] == ["b", "a", "last"]
    assert found[0].path == "migrations/0002_b.sql"


def test_flyway_v10_comes_after_v2(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path, {"V10__ten.sql": SQL, "V2__two.sql": SQL, "V1__one.sql": SQL, "U2__two.sql": SQL}
    )
    found = discover(migrations, tmp_path)
    assert [(m.id, m.name) for m in found] == [("1", "one"), ("2", "two"), ("10", "ten")]


def test_dotted_up_files_are_migrations_and_down_files_are_not(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path,
        {
            "V0001.Create_users.up.sql": SQL,
            "V0001.Create_users.down.sql": "DROP TABLE t;",
            "V0002.Add_index.up.sql": SQL,
            "V0002.Add_index.down.sql": "DROP TABLE t;",
        },
    )
    found = discover(migrations, tmp_path)
    assert [(m.id, m.name) for m in found] == [("0001", "Create_users"), ("0002", "Add_index")]


def test_sqlx_timestamps_are_versions(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path,
        {"20220505083406_users.sql": SQL, "20211231235959_first.sql": SQL},
    )
    assert labels(migrations) == ["20211231235959", "20220505083406"]


def test_golang_migrate_up_and_down_pairs(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path,
        {
            "1_init.up.sql": SQL,
            "1_init.down.sql": "DROP TABLE t;",
            "2_more.up.sql": SQL,
            "2_more.down.sql": "DROP TABLE t;",
            "10_late.up.sql": SQL,
        },
    )
    found = discover(migrations, tmp_path)
    assert [(m.id, m.name) for m in found] == [("1", "init"), ("2", "more"), ("10", "late")]


def test_a_shared_number_is_fine_in_a_flat_folder_as_in_wrangler(tmp_path: Path) -> None:
    migrations = folder(tmp_path, {"0003_a.sql": SQL, "3_b.sql": SQL, "0001_x.sql": SQL})
    assert ids(migrations) == ["0001_x.sql", "0003_a.sql", "3_b.sql"]
    assert labels(migrations) == ["0001", "0003_a", "3_b"]  # unique page names


def test_duplicate_goose_version_names_both_files(tmp_path: Path) -> None:
    up = "-- +goose Up\n" + SQL
    migrations = folder(tmp_path, {"0003_a.sql": up, "3_b.sql": up, "0001_x.sql": up})
    with pytest.raises(DiscoveryError) as raised:
        discover(migrations, tmp_path)
    text = raised.value.format()
    assert "0003_a.sql" in text
    assert "3_b.sql" in text
    assert "duplicate" in text


def test_sql_file_without_version_is_an_error_naming_it(tmp_path: Path) -> None:
    migrations = folder(tmp_path, {"0001_ok.sql": SQL, "seed_data.sql": SQL})
    with pytest.raises(DiscoveryError) as raised:
        discover(migrations, tmp_path)
    assert "seed_data.sql" in raised.value.format()
    assert raised.value.location is not None
    assert raised.value.location.path.endswith("seed_data.sql")


def test_non_utf8_file_is_an_error_naming_it(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path, {"0001_ok.sql": SQL, "0002_latin1.sql": "-- Größe\n".encode("latin-1") + b"x;"}
    )
    with pytest.raises(DiscoveryError) as raised:
        discover(migrations, tmp_path)
    text = raised.value.format()
    assert "0002_latin1.sql" in text
    assert "UTF-8" in text


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError) as raised:
        discover(tmp_path / "nope", tmp_path)
    assert "nope" in raised.value.format()


def test_files_that_are_not_sql_are_ignored(tmp_path: Path) -> None:
    migrations = folder(
        tmp_path,
        {
            "0001_a.sql": SQL,
            "erdgen.lock": "0001 abc\n",
            "README.md": "# migrations\n",
            ".gitkeep": "",
            "notes.txt": "x",
        },
    )
    assert ids(migrations) == ["0001_a.sql"]


def test_header_comment_becomes_the_description(tmp_path: Path) -> None:
    text = (
        "-- Adds the users table.\n"
        "-- One row per account.\n"
        "\n"
        "-- The users.\n"
        "CREATE TABLE users (id INTEGER);\n"
    )
    migrations = folder(tmp_path, {"0001_users.sql": text, "0002_none.sql": SQL})
    first, second = discover(migrations, tmp_path)
    # a line that ends a sentence stays a line of its own
    assert first.description == "Adds the users table.\nOne row per account."
    assert second.description == ""


def test_block_header_comment_becomes_the_description(tmp_path: Path) -> None:
    text = "/*\n * Creates t.\n * Nothing else.\n */\nCREATE TABLE t (id INTEGER);\n"
    migrations = folder(tmp_path, {"0001_t.sql": text})
    (migration,) = discover(migrations, tmp_path)
    assert migration.description == "Creates t.\nNothing else."


def test_sha256_is_of_the_file_bytes_and_sql_is_the_text(tmp_path: Path) -> None:
    raw = b"-- crlf file\r\nCREATE TABLE t (id INTEGER);\r\n"
    migrations = folder(tmp_path, {"0001_t.sql": raw})
    (migration,) = discover(migrations, tmp_path)
    assert migration.sha256 == hashlib.sha256(raw).hexdigest()
    assert "CREATE TABLE t" in migration.sql


def test_bundled_migrations_are_found_in_order() -> None:
    root = Path(__file__).resolve().parent.parent
    found = discover(root / "migrations", root)
    assert [m.id for m in found] == sorted(p.name for p in (root / "migrations").glob("*.sql"))
    assert [m.label for m in found] == [f"{n:04d}" for n in range(11)]
    assert found[7].name == "add_email_verification"
    assert all(m.description for m in found)
    assert all(m.path.startswith("migrations/") for m in found)


@pytest.mark.parametrize("count", [1, 2])
def test_the_evidence_counts_files_in_words(tmp_path: Path, count: int) -> None:
    from erdgen.layouts.detect import detect

    folder = tmp_path / "migrations"
    folder.mkdir()
    for number in range(1, count + 1):
        (folder / f"{number:04}_t{number}.sql").write_text("CREATE TABLE t (a INT);\n")
    noun = "file" if count == 1 else "files"
    evidence = detect(folder, tmp_path).evidence
    assert evidence == (f"{count} numbered *.sql {noun}: wrangler's rules",)
