"""The comments of real folders that are not descriptions (../shared/corpus): each tool's
generated lines and the change notes of a re-created table, one test per case found, with
the human text beside them kept."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from folders import migrations

from erdgen import dialects
from erdgen.core.history import build_history, load_history
from erdgen.layouts import discover
from erdgen.model import History, Table

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


@cache
def described(folder: str) -> dict[str, str]:
    """Migration id -> description, as discovery reads them (no SQL is read)."""
    return {m.id: m.description for m in discover(CORPUS / folder, CORPUS).migrations}


@cache
def history(folder: str) -> History:
    return load_history(CORPUS / folder, CORPUS)


def table_at(folder: str, table: str, migration: str = "") -> Table:
    """The table after ``migration`` ("" for the last)."""
    steps = history(folder).steps
    step = next((s for s in steps if s.migration.id == migration), steps[-1])
    found = step.schema.table(table)
    assert found is not None
    return found


def column_texts(folder: str, table: str, migration: str = "") -> dict[str, str]:
    return {c.name: c.description for c in table_at(folder, table, migration).columns}


def test_wrangler_d1_migration_number_header() -> None:
    texts = described("filbeam-d1")  # "-- Migration number: 0001 \t 2025-05-23T08:31:24.810Z"
    assert texts["0001_create_retrieval_logs_table.sql"] == ""
    assert texts["0005_add_fetch_time_to_last_byte.sql"] == ""
    assert texts["0008_add_bad_bits_table.sql"] == "Create table for storing bad bits"


def test_diesel_setup_header_and_generated_up_sql() -> None:
    crates = described("crates-io-postgres")
    assert crates["00000000000000"] == ""  # "This file was automatically created by Diesel ..."
    assert crates["20170804200817"] == ""  # "-- Your SQL goes here"
    assert crates["20240304092044"] == "Create the `crate_downloads` table."
    plume = described("plume-sqlite")
    assert plume["20180422093322"] == ""
    assert plume["20181006161156"] == (  # the human lines after diesel's stay
        "SQLite is great, we can't just change the default value, we have to clone the table "
        "with the new value."
    )


def test_sqlx_add_migration_script_here() -> None:
    assert described("atuin-client")["20210422143411_create_history.sql"] == ""
    svix = described("svix-postgres")
    assert svix["20221104170041"] == ""  # "-- Add up migration script here"
    assert svix["20220125145204"].startswith("For performance reasons we only add foreign keys")


def test_goose_section_comments() -> None:
    gophish = described("gophish-sqlite")
    assert gophish["20160118194630"] == ""  # liamstask/goose's template
    assert gophish["20180830215615"] == ""  # pressly/goose's
    assert gophish["20160227180335"] == (
        "Move the relationship between campaigns and smtp to campaigns"
    )


def test_drizzle_custom_header_and_breakpoints() -> None:
    texts = described("homarr-sqlite")
    assert texts["0023_fix_on_delete_actions"] == ""
    # "--> statement-breakpoint" right above a CREATE TABLE described every table
    assert {t.description for t in history("homarr-sqlite").schema.tables} == {""}


def test_sqitch_deploy_template() -> None:
    texts = described("registry-postgres")
    assert texts["users"] == ""  # "-- Deploy registry:users to pg"
    assert texts["tenant-on-boarding"] == ""  # ... "-- requires: workflows" "-- requires: users"
    assert (
        texts["auth-notification-types"]
        == "ALTER TYPE ... ADD VALUE cannot run inside a transaction."
    )


def test_atlas_planned_change_comments() -> None:
    texts = described("ncps-goose-atlas-sqlite")
    assert texts["20260607182925"] == ""  # '-- create "staging_states" table'
    assert texts["20260607034027"] == ""  # '-- add column "upstream_url" to table: "narinfos"'
    ncps = "ncps-goose-atlas-sqlite"
    assert table_at(ncps, "build_trace_entries", "20260525175108").description == ""
    references = table_at(ncps, "narinfo_references", "20260117195000")
    assert references.description == "Create references table"  # a person's words


def test_prisma_warnings_block() -> None:
    texts = described("pingvin-share-sqlite")
    assert texts["20221230120407_category_attribute_config"] == ""
    assert texts["20240803232708_ldap_support"] == ""


def test_change_notes_of_a_re_created_table() -> None:
    # 0024: DROP TABLE pieces; CREATE TABLE pieces (... cid TEXT, -- Remove NOT NULL
    # constraint ... is_deleted BOOLEAN NOT NULL DEFAULT false, -- Add column ...)
    pieces = column_texts("filbeam-d1", "pieces")
    assert pieces["cid"] == pieces["is_deleted"] == ""
    data_sets = column_texts("filbeam-d1", "data_sets")
    assert data_sets["service_provider_id"] == data_sets["payer_address"] == ""
    # 0010: RENAME TO retrieval_logs_old, CREATE TABLE retrieval_logs (... -- DROP NOT NULL
    # constraint ...), copy, drop
    logs = column_texts("filbeam-d1", "retrieval_logs", "0010_update_retrieval_logs_null.sql")
    assert logs["owner_address"] == logs["response_status"] == logs["cache_miss"] == ""
    # a first CREATE TABLE: every comment on it counts
    rails = column_texts("filbeam-d1", "indexer_proof_set_rails", "0004_add_indexer.sql")
    assert rails["with_cdn"] == "Enforce once event contains this field"


def test_a_libsql_alter_column_comment_narrates_the_step() -> None:
    pytest.importorskip("libsql", reason="the libsql extra: pip install -e '.[libsql]'")
    folder = migrations(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, age INTEGER -- in years\n);\n",
        "ALTER TABLE t ALTER COLUMN age TO age INTEGER NOT NULL DEFAULT 18 -- make it required\n;",
    )
    table = build_history(folder, dialects.get("libsql")).schema.table("t")
    assert table is not None
    assert [c.description for c in table.columns] == ["", "in years"]
