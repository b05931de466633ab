"""Every corpus folder, pointed at as it sits: the layout its README names, as many
migrations as the README counts, and for the PostgreSQL folders the same files in the same
order as the independent ordering the PostgreSQL tests use (``tests/postgres/corpus_order``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from erdgen.layouts import discover

sys.path.insert(0, str(Path(__file__).parent / "postgres"))
from corpus_order import ORDERS
from corpus_order import migrations as ordered

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# (layout erdgen detects, migrations): from the corpus README. Without the project's
# Cargo.toml, atuin's sqlx folder and svix's reversible sqlx folder read as numbered and
# golang-migrate names: the same order.
FOLDERS = {
    "atuin-client": ("flat", 12),
    "authelia-sqlite": ("authelia", 26),
    "conductor-sqlite": ("flyway", 7),
    "filbeam-d1": ("flat", 30),
    "gophish-sqlite": ("goose", 25),
    "homarr-sqlite": ("drizzle", 42),
    "ncps-goose-atlas-sqlite": ("goose", 21),
    "ncps-sqlite": ("dbmate", 14),
    "pingvin-share-sqlite": ("prisma", 24),
    "plume-sqlite": ("diesel", 37),
    "pocket-id-sqlite": ("golang-migrate", 72),
    "crates-io-postgres": ("diesel", 285),
    "svix-postgres": ("golang-migrate", 16),
    "ente-postgres": ("golang-migrate", 124),
    "kestra-postgres": ("flyway", 26),
    "umami-postgres": ("prisma", 19),
    "dittofeed-postgres": ("drizzle", 11),
    "registry-postgres": ("sqitch", 67),
    "kestra-mysql": ("flyway", 24),
}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


@pytest.mark.parametrize("name", list(FOLDERS))
def test_each_folder_is_read_as_its_tool_reads_it(name: str) -> None:
    found = discover(CORPUS / name, CORPUS)
    assert (found.layout, len(found.migrations)) == FOLDERS[name], found.evidence
    assert found.evidence
    assert not [w for w in found.warnings if w.code == "atlas-sum"]


@pytest.mark.parametrize("name", list(ORDERS))
def test_postgres_folders_in_the_same_order_as_the_replay_tests(name: str) -> None:
    found = discover(CORPUS / name, CORPUS)
    expected = [f"{m.label}" for m in ordered(name)]
    assert [m.path for m in found.migrations] == expected


def test_the_corpus_readme_lists_every_folder() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(FOLDERS)
