"""Every PostgreSQL folder of the corpus, read as it sits (layout and dialect detected),
agrees with PostgreSQL after every migration: ``erdgen verify``'s check, as
``tests/test_corpus.py`` holds the SQLite folders to SQLite."""

from __future__ import annotations

import pytest
from corpus_order import CORPUS, EXPECTED

from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.postgres.server import Server

# migrations whose state is in part read from PostgreSQL's catalog: registry's deploy
# scripts run DDL built by EXECUTE format(...) in DO blocks
FROM_THE_CATALOG = {"registry-postgres": ["summer-camp-module", "fix-waitlist-reorder-v3"]}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_folder_agrees_with_postgresql_after_every_migration(
    name: str, pg_server: Server
) -> None:
    history = load_history(CORPUS / name, CORPUS / name)
    assert history.dialect == "postgres"
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
    assert len(report.checks) == EXPECTED[name]["migrations"]
    assert len(report.schema.tables) == EXPECTED[name]["tables"]
    taken = [step.migration.name for step in report.from_engine]
    assert taken == FROM_THE_CATALOG.get(name, [])
