"""--keep-going on real folders that a fresh database builds: nothing is skipped, and the
statement-by-statement replay (inside each tool's own transactions) agrees with the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from erdgen.core.compare import verify
from erdgen.core.history import load_history

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SQLITE_FOLDERS = (
    "atuin-client", "authelia-sqlite", "conductor-sqlite", "filbeam-d1", "gophish-sqlite",
    "homarr-sqlite", "ncps-goose-atlas-sqlite", "ncps-sqlite", "pingvin-share-sqlite",
    "plume-sqlite", "pocket-id-sqlite",
)  # fmt: skip

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}"),
    pytest.mark.slow,
]


@pytest.mark.parametrize("name", SQLITE_FOLDERS)
def test_keep_going_skips_nothing_where_a_fresh_database_builds_the_folder(name: str) -> None:
    history = load_history(CORPUS / name, CORPUS, keep_going=True)
    assert history.skipped == ()
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
