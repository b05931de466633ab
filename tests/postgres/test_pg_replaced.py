"""An object dropped and made again under the same name with another definition in one
migration is a change: a constraint reads as replaced (old definition -> new), an index
or a trigger as dropped and created. PostgreSQL decides what changed: its catalog's
definitions (``pg_get_constraintdef``, ``pg_get_indexdef``, ``pg_get_triggerdef``) before
and after the migration, compared by name, must name the same objects as the change list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_order import CORPUS
from hypothesis import given
from hypothesis import strategies as st
from pg_findings import PG_SETTINGS

from erdgen import dialects
from erdgen.config import Config
from erdgen.core.compare import compare
from erdgen.core.history import build_history, load_history
from erdgen.dialects.postgres.server import Server
from erdgen.model import Action, History, Schema, Step
from erdgen.render.catalog import load_catalog
from erdgen.render.key_lines import ChangeLine, table_altered
from erdgen.site.build import render_site

from folders import migrations  # isort: skip

POSTGRES = dialects.get("postgres")

BASE = """\
CREATE TABLE r (id int PRIMARY KEY, k int UNIQUE);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE TABLE t (a int NOT NULL, b int NOT NULL, c text, d int,
  CONSTRAINT t_pk PRIMARY KEY ({pk}), CONSTRAINT t_chk CHECK ({check}),
  CONSTRAINT t_uq UNIQUE ({unique}),
  CONSTRAINT t_fk FOREIGN KEY (d) REFERENCES r ({ref}) ON DELETE {action});
CREATE {ix_unique}INDEX t_ix ON t ({ix});
CREATE TRIGGER t_tr {timing} {event} ON t FOR EACH ROW EXECUTE FUNCTION touch();
"""
CONSTRAINTS = {
    "t_pk": ("pk", "PRIMARY KEY ({pk})"),
    "t_chk": ("check", "CHECK ({check})"),
    "t_uq": ("unique", "UNIQUE ({unique})"),
    "t_fk": ("fk", "FOREIGN KEY (d) REFERENCES r ({ref}) ON DELETE {action}"),
}


def _definitions() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {
            # never the UNIQUE's columns: CREATE TABLE folds such a UNIQUE into the key
            "pk": st.sampled_from(["a", "a, b", "a, d", "b, a"]),
            "check": st.sampled_from(["a > 0", "a > 1", "c <> ''", "a > 0 AND b > 0"]),
            "unique": st.sampled_from(["b", "c", "b, c"]),
            "ref": st.sampled_from(["id", "k"]),
            "action": st.sampled_from(["NO ACTION", "CASCADE", "SET NULL"]),
            "ix_unique": st.sampled_from(["", "UNIQUE "]),
            "ix": st.sampled_from(["a", "b", "a, b", "a DESC", "lower(c)", "c text_pattern_ops"]),
            "timing": st.sampled_from(["BEFORE", "AFTER"]),
            "event": st.sampled_from(["INSERT", "UPDATE", "INSERT OR DELETE"]),
        }
    )


@st.composite
def replacing(draw: st.DrawFn) -> tuple[str, str]:
    """A first migration, and a second that drops some of its objects and makes them
    again under their names, with a definition drawn anew (sometimes the same)."""
    old, new = draw(_definitions()), draw(_definitions())
    chosen = draw(st.lists(st.sampled_from([*CONSTRAINTS, "t_ix", "t_tr"]), unique=True))
    statements = []
    for name in chosen:
        if name in CONSTRAINTS:
            added = CONSTRAINTS[name][1].format(**new)
            if draw(st.booleans()):  # one ALTER TABLE or two
                statements.append(
                    f"ALTER TABLE t DROP CONSTRAINT {name}, ADD CONSTRAINT {name} {added}"
                )
            else:
                statements.append(f"ALTER TABLE t DROP CONSTRAINT {name}")
                statements.append(f"ALTER TABLE t ADD CONSTRAINT {name} {added}")
        elif name == "t_ix":
            statements.append("DROP INDEX t_ix")
            statements.append(f"CREATE {new['ix_unique']}INDEX t_ix ON t ({new['ix']})")
        else:
            statements.append("DROP TRIGGER t_tr ON t")
            statements.append(
                f"CREATE TRIGGER t_tr {new['timing']} {new['event']} ON t"
                " FOR EACH ROW EXECUTE FUNCTION touch()"
            )
    return BASE.format(**old), "".join(f"{s};\n" for s in statements) or "SELECT 1;\n"


def _catalog_definitions(schema: Schema) -> dict[str, str]:
    """Name -> definition of t's constraints, its created index and its trigger, as
    PostgreSQL prints them."""
    table = schema.table("t")
    assert table is not None
    found = {c.name: c.definition for c in table.constraints}
    found.update({i.name: i.sql or "" for i in table.indexes if i.origin == "c"})
    found.update({t.name: t.sql for t in schema.triggers_on("t")})
    return found


def _named_by_changes(step: Step) -> set[str]:
    """The objects the change list says were made anew: constraints in a replaced line,
    indexes and triggers both dropped and created."""
    named: set[str] = set()
    for change in step.changes:
        if change.action is Action.ALTER_TABLE:
            line = table_altered(change, step.schema)
            for detail in line.details:
                assert detail.kind != "primary_key_dropped", detail  # replaced, not dropped
                if detail.kind == "constraint_replaced":
                    named.add(detail.params["constraint"].strip("`"))
    for drop, create in ((Action.DROP_INDEX, Action.CREATE_INDEX),
                         (Action.DROP_TRIGGER, Action.CREATE_TRIGGER)):  # fmt: skip
        dropped = {c.object for c in step.changes if c.action is drop}
        named |= dropped & {c.object for c in step.changes if c.action is create}
    return named


@PG_SETTINGS
@given(files=replacing())
def test_what_postgresql_changed_under_one_name_is_in_the_change_list(
    files: tuple[str, str], pg_server: Server
) -> None:
    history = build_history(migrations(*files), POSTGRES)
    replayed = [schema for _, schema in POSTGRES.replay(history.migrations)]
    for step, actual in zip(history.steps, replayed, strict=True):
        assert not compare(step.schema, actual, POSTGRES), files  # the model is right
    before, after = (_catalog_definitions(schema) for schema in replayed)
    changed = {name for name, text in after.items() if before.get(name) != text}
    assert _named_by_changes(history.steps[1]) == changed, files


@pytest.mark.parametrize(
    ("form", "pk"),
    [("ALTER TABLE t DROP CONSTRAINT t_pk, ADD CONSTRAINT t_pk PRIMARY KEY (a, n)", "a, n"),
     ("ALTER TABLE t DROP CONSTRAINT t_pk;\nALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (n)",
      "n")],
)  # fmt: skip
def test_a_primary_key_that_takes_a_new_column_is_replaced(form: str, pk: str) -> None:
    # crates.io's 2021-07-18-125813: ADD COLUMN, then the key swapped to take it
    history = build_history(
        migrations(
            "CREATE TABLE t (a int, CONSTRAINT t_pk PRIMARY KEY (a));\n",
            f"ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0;\n{form};\n",
        ),
        POSTGRES,
    )
    lines = _lines(history, 1, "t")
    assert [(d.kind, dict(d.params)) for d in lines] == [
        ("constraint_replaced",
         {"constraint": "`t_pk`", "before": "`PRIMARY KEY (a)`", "after": f"`PRIMARY KEY ({pk})`"})
    ]  # fmt: skip


def test_a_rename_alone_replaces_nothing() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE t (a int, CONSTRAINT t_c CHECK (a > 0), CONSTRAINT t_pk PRIMARY KEY (a));"
            "\n"
            "CREATE INDEX t_ix ON t (a);\n",
            "ALTER TABLE t RENAME a TO b;\n",
        ),
        POSTGRES,
    )
    assert [(c.action, c.object) for c in history.steps[1].changes] == [
        (Action.RENAME_COLUMN, "t.b")
    ]


def test_renames_beside_a_replaced_constraint_change_no_other_constraint() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE r (id int PRIMARY KEY);\n"
            "CREATE TABLE b (a int, c int, d int REFERENCES r, CONSTRAINT b_pkey PRIMARY KEY (a),"
            " CONSTRAINT c1 CHECK (a > 0), CONSTRAINT u1 UNIQUE (c));\n",
            "ALTER TABLE b RENAME a TO x;\nALTER TABLE r RENAME TO rr;\n"
            "ALTER TABLE b DROP CONSTRAINT u1, ADD CONSTRAINT u1 UNIQUE (c, d);\n",
        ),
        POSTGRES,
    )
    assert [(d.kind, dict(d.params)) for d in _lines(history, 1, "b")] == [
        ("constraint_replaced",
         {"constraint": "`u1`", "before": "`UNIQUE (c)`", "after": "`UNIQUE (c, d)`"})
    ]  # fmt: skip


def test_a_dropped_unique_constraint_is_named(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    folder = tmp_path / "migrations"
    (folder / "0001_init.sql").write_text(
        "CREATE TABLE t (a int, n text, CONSTRAINT t_n_key UNIQUE (n));\n"
        "CREATE UNIQUE INDEX t_a ON t (a);\n"
        "CREATE EXTENSION pg_trgm;\nCREATE INDEX t_trgm ON t USING gin (n gin_trgm_ops);\n",
        encoding="utf-8",
    )
    (folder / "0002_drop.sql").write_text(
        "ALTER TABLE t DROP CONSTRAINT t_n_key;\nDROP INDEX t_a;\n", encoding="utf-8"
    )
    site = render_site(Config(project_dir=tmp_path, verify=False, dialect="postgres"))
    english, german = site.text("migrations/0002.en.md"), site.text("migrations/0002.md")
    assert "        - unique constraint `t_n_key` on `n` dropped\n" in english
    assert "        - UNIQUE-Einschränkung `t_n_key` auf `n` entfernt\n" in german
    assert "    - unique index `t_a` on `a` dropped\n" in english
    assert "UNIQUE`" not in english
    table = site.text("tables/t.en.md")
    assert "new unique index `t_a` on `a`" in table  # the history says so
    assert "| <code>t\\_trgm</code> | `n gin_trgm_ops` · `USING gin` | no |  |" in table
    assert "CREATE INDEX t_trgm ON t USING gin (n gin_trgm_ops);" in table


def _lines(history: History, position: int, table: str) -> list[ChangeLine]:
    step = history.steps[position]
    altered = [c for c in step.changes if c.action is Action.ALTER_TABLE and c.table == table]
    assert len(altered) == 1, step.changes
    return list(table_altered(altered[0], step.schema).details)


def _corpus_step(name: str, migration: str) -> tuple[History, int]:
    history = load_history(CORPUS / name, CORPUS / name)
    position = next(i for i, s in enumerate(history.steps) if s.migration.id == migration)
    return history, position


def test_registry_waitlist_accepted_status_replaces_its_check() -> None:
    history, position = _corpus_step("registry-postgres", "waitlist-accepted-status")
    lines = _lines(history, position, "registry.waitlist")
    assert [d.kind for d in lines] == ["constraint_replaced"]
    params = lines[0].params
    assert params["constraint"] == "`waitlist_status_check`"
    assert "'accepted'" not in params["before"] and "'accepted'" in params["after"]
    for language in ("de", "en"):
        text = load_catalog(language).t("change.constraint_replaced", **params)
        assert "`waitlist_status_check`" in text and params["after"] in text


def test_crates_io_swaps_the_primary_keys_to_take_the_action_column() -> None:
    history, position = _corpus_step("crates-io-postgres", "20210718125813")
    for table in ("publish_limit_buckets", "publish_rate_overrides"):
        assert [dict(d.params) for d in _lines(history, position, table)] == [
            {"constraint": f"`{table}_pkey`", "before": "`PRIMARY KEY (user_id)`",
             "after": "`PRIMARY KEY (user_id, action)`"}
        ]  # fmt: skip
