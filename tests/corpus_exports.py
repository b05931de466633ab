"""The real migration folders of ``../shared/corpus`` as SchemaExports, for the format tests:
every SQLite folder and every PostgreSQL folder, read once per test run."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from erdgen.core.history import load_history
from erdgen.formats.registry import SchemaExport

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
SQLITE = ("atuin-client", "authelia-sqlite", "conductor-sqlite", "filbeam-d1", "gophish-sqlite",
          "homarr-sqlite", "ncps-goose-atlas-sqlite", "ncps-sqlite", "pingvin-share-sqlite",
          "plume-sqlite", "pocket-id-sqlite")  # fmt: skip
POSTGRES = ("crates-io-postgres", "dittofeed-postgres", "ente-postgres", "kestra-postgres",
            "registry-postgres", "svix-postgres", "umami-postgres")  # fmt: skip
FOLDERS = [
    pytest.param(name, id=name, marks=pytest.mark.slow if name == "crates-io-postgres" else ())
    for name in (*SQLITE, *POSTGRES)
]
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"no corpus of real migration folders at {CORPUS}"
)


@cache
def corpus_export(name: str) -> SchemaExport:
    """The folder's model after its last migration; the folder's name is the title."""
    dialect = "postgres" if name in POSTGRES else None
    history = load_history(CORPUS / name, CORPUS, dialect=dialect)
    assert history.schema.tables, name
    return SchemaExport(history, None, "en", name)
