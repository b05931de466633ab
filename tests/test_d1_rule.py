"""d1-transaction-statement: transaction control that Cloudflare D1 rejects, in wrangler folders."""

from __future__ import annotations

from pathlib import Path

from folders import migrations
from msgspec.structs import replace

from erdgen.core.history import build_history, load_history
from erdgen.rules.lint import lint

D1_FILE = (
    "-- wrap it, as one would for SQLite\n"
    "BEGIN TRANSACTION;\n"
    "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT);\n"
    "CREATE TRIGGER t_n AFTER INSERT ON t BEGIN\n"
    "  UPDATE t SET n = 1 WHERE id = new.id;\n"
    "END;\n"
    "SAVEPOINT before_index;\n"
    "  CREATE INDEX ix_t_n ON t(n);\n"
    "RELEASE before_index;\n"
    "commit;\n"
    "BEGIN; ROLLBACK; BEGIN; END TRANSACTION;\n"
)


def d1_findings(*files: str, names: tuple[str, ...] = ()) -> list[str]:
    folder = migrations(*files)
    if names:
        folder = [
            replace(m, paths=(f"migrations/{n}",)) for m, n in zip(folder, names, strict=True)
        ]
    history = build_history(folder)
    return [f.format() for f in lint(history) if f.rule == "d1-transaction-statement"]


def test_each_transaction_statement_is_flagged_where_it_starts() -> None:
    rejects = "Cloudflare D1 rejects `{}`: wrangler runs each migration in D1's own " \
        "transaction, and D1 refuses SQL transaction control; remove it [error]"  # fmt: skip
    place = "migrations/0000_m0.sql:{}: d1-transaction-statement: "
    assert d1_findings(D1_FILE) == [
        place.format(2) + rejects.format("BEGIN TRANSACTION"),
        place.format(7) + rejects.format("SAVEPOINT before_index"),
        place.format(9) + rejects.format("RELEASE before_index"),
        place.format(10) + rejects.format("commit"),
        place.format(11) + rejects.format("BEGIN"),
        place.format(11) + rejects.format("ROLLBACK"),
        place.format(11) + rejects.format("BEGIN"),
        place.format(11) + rejects.format("END TRANSACTION"),
    ]


def test_a_trigger_body_is_not_transaction_control() -> None:
    trigger = D1_FILE.split("SAVEPOINT")[0].replace("BEGIN TRANSACTION;\n", "")
    assert d1_findings(trigger) == []


def test_folders_of_other_tools_are_not_d1_folders() -> None:
    assert d1_findings(D1_FILE, names=("V1__init.sql",)) == []
    assert d1_findings(D1_FILE, names=("20240101120000_init.sql",)) == []


def test_the_layout_decides_when_discovery_knows_it(tmp_path: Path) -> None:
    """A wrangler folder (its config names it) is D1's; a goose folder is not."""
    (tmp_path / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "x"\n'
    )
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_init.sql").write_text(
        "BEGIN TRANSACTION;\nCREATE TABLE t (id INTEGER PRIMARY KEY);\nCOMMIT;\n"
    )
    history = load_history(folder, tmp_path)
    assert history.layout == "wrangler"
    found = [f.location.line for f in lint(history) if f.rule == "d1-transaction-statement"]
    assert found == [1, 3]
    goose = tmp_path / "goose"
    goose.mkdir()
    (goose / "00001_init.sql").write_text(
        "-- +goose Up\nBEGIN TRANSACTION;\nCREATE TABLE t (id INTEGER PRIMARY KEY);\nCOMMIT;\n"
    )
    history = load_history(goose, tmp_path, layout="goose")
    assert [f for f in lint(history) if f.rule == "d1-transaction-statement"] == []
