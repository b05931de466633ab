"""The PostgreSQL folders of the corpus in their tools' order, for the tests only.

Each folder is ordered by its tool's rule as the corpus README records it, until
erdgen's layouts read these tools (issue 11): golang-migrate and sqlx by numeric
version, Flyway by version, Prisma and diesel by directory name, drizzle by its journal,
sqitch by its plan.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from erdgen.model import Transaction

CORPUS = Path(__file__).parents[3] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")


@dataclass(frozen=True)
class CorpusMigration:
    path: Path
    transaction: Transaction  # how the tool runs it

    @property
    def label(self) -> str:
        return self.path.relative_to(CORPUS).as_posix()


def _numeric(pattern: str, folder: Path, transaction: Transaction) -> list[CorpusMigration]:
    found = [(int(p.name.split("_")[0]), p) for p in folder.glob(pattern)]
    return [CorpusMigration(p, transaction) for _, p in sorted(found)]


def _flyway(folder: Path) -> list[CorpusMigration]:
    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.name[1:].split("__")[0].split("_"))

    return [
        CorpusMigration(p, Transaction.FILE) for p in sorted(folder.glob("V*__*.sql"), key=version)
    ]


def _prisma(folder: Path) -> list[CorpusMigration]:
    dirs = sorted(d for d in folder.iterdir() if (d / "migration.sql").is_file())
    return [CorpusMigration(d / "migration.sql", Transaction.IMPLICIT) for d in dirs]


def _diesel(folder: Path) -> list[CorpusMigration]:
    # diesel's version is the name up to the first "_" without its dashes, compared as text
    def version(path: Path) -> str:
        return path.name.split("_")[0].replace("-", "")

    dirs = sorted((d for d in folder.iterdir() if (d / "up.sql").is_file()), key=version)
    return [CorpusMigration(d / "up.sql", _diesel_transaction(d)) for d in dirs]


def _diesel_transaction(folder: Path) -> Transaction:
    metadata = folder / "metadata.toml"
    text = metadata.read_text() if metadata.exists() else ""
    outside = re.search(r"run_in_transaction\s*=\s*false", text)
    return Transaction.NONE if outside else Transaction.FILE


def _drizzle(folder: Path) -> list[CorpusMigration]:
    journal = json.loads((folder / "meta" / "_journal.json").read_text())
    return [
        CorpusMigration(folder / f"{entry['tag']}.sql", Transaction.FILE)
        for entry in journal["entries"]
    ]


def _sqitch(folder: Path) -> list[CorpusMigration]:
    plan = (folder / "sql" / "sqitch.plan").read_text().splitlines()
    changes = [line.split()[0] for line in plan if line.strip() and line[0] not in "%#@"]
    return [
        CorpusMigration(folder / "sql" / "deploy" / f"{c}.sql", Transaction.NONE) for c in changes
    ]


ORDERS = {
    "crates-io-postgres": _diesel,
    # sqlx wraps each migration in a transaction; golang-migrate sends the file as one
    # simple-query message
    "svix-postgres": lambda f: _numeric("*.up.sql", f, Transaction.FILE),
    "ente-postgres": lambda f: _numeric("*.up.sql", f, Transaction.IMPLICIT),
    "kestra-postgres": _flyway,
    "umami-postgres": _prisma,
    "dittofeed-postgres": _drizzle,
    "registry-postgres": _sqitch,
}
# What PostgreSQL 15 holds after the replay, from the corpus README (tool tables left out).
EXPECTED = {
    "crates-io-postgres": {
        "migrations": 285, "tables": 35, "materialized views": 1, "functions": 31, "triggers": 25,
        "comments": 99,
    },
    "svix-postgres": {"migrations": 16, "tables": 9},
    "ente-postgres": {"migrations": 124, "tables": 67, "enums": 6, "functions": 13, "triggers": 36},
    "kestra-postgres": {"migrations": 26, "tables": 18, "enums": 3, "functions": 9, "triggers": 2},
    "umami-postgres": {"migrations": 19, "tables": 17},
    "dittofeed-postgres": {"migrations": 11, "tables": 31, "enums": 16},
    # The README says 10 functions; the catalog holds 9 after the plan: fix-waitlist-reorder
    # drops reorder_waitlist_positions() through EXECUTE format(...) in a DO block.
    "registry-postgres": {
        "migrations": 67, "tables": 40, "views": 1, "enums": 2, "functions": 9, "triggers": 13,
        "comments": 11,
    },
}  # fmt: skip


def migrations(name: str) -> list[CorpusMigration]:
    return ORDERS[name](CORPUS / name)
