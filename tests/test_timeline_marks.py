"""The timeline's rows: their marks say what became of each table, column, index, view and
trigger, the legend above them explains every mark they use, and a column whose values
were copied names where they went (and how, where not as they were from every row)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from folders import migrations
from hypothesis import HealthCheck, given, settings
from strategies import Folder, folders

from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.descriptions import Descriptions
from erdgen.model import Action
from erdgen.render import timeline_lines
from erdgen.render.catalog import load_catalog
from erdgen.render.markdown import code
from erdgen.render.pages import render_pages
from erdgen.site.build import render_site

NB = "\N{NO-BREAK SPACE}"
PM = "\N{PLUS-MINUS SIGN}"
OBJECTS = {
    Action.CREATE_INDEX: "index", Action.DROP_INDEX: "index", Action.CREATE_VIEW: "view",
    Action.DROP_VIEW: "view", Action.CREATE_TRIGGER: "trigger", Action.DROP_TRIGGER: "trigger",
}  # fmt: skip
LEGEND = re.compile(r"^<small>(?:Legend|Legende): (.*)</small>$", re.M)


def timeline_of(project: Path, files: dict[str, str], language: str = "en") -> str:
    (project / "migrations").mkdir()
    for name, sql in files.items():
        (project / "migrations" / name).write_text(sql, encoding="utf-8")
    site = render_site(Config(project_dir=project, verify=False))
    return site.text("timeline.en.md" if language == "en" else "timeline.md")


def changed_cells(timeline: str) -> dict[str, str]:
    """Migration key -> its "what it changed" cell (names here hold no " | ")."""
    rows = re.findall(r'^\| <a id="m-(\d+)"></a>.*? \| (.*) \| .* \|$', timeline, re.M)
    return dict(rows)


def legend_symbols(timeline: str) -> list[str]:
    (legend,) = LEGEND.findall(timeline)
    return re.findall(r"`([^`]+)` ", legend)


def marks_in(cell: str) -> set[str]:
    """The marks a cell uses: each before a name (kept to it by a no-break space) and the
    arrow between a removed column or table and where its values went."""
    marks = set(re.findall(rf"(?:^|<br>|: |, )([^\s`\[<]){NB}", cell))
    return marks | ({"\N{RIGHTWARDS ARROW}"} if f"{NB}\N{RIGHTWARDS ARROW} " in cell else set())


MIGRATIONS = {
    "0001_init.sql": "CREATE TABLE logs (id INTEGER PRIMARY KEY, owner TEXT);\n",
    # filbeam's 0014: the table is dropped and created again with another shape
    "0002_renew.sql": "DROP TABLE logs;\nCREATE TABLE logs (id INTEGER PRIMARY KEY, size INT);\n",
    "0003_gone.sql": "DROP TABLE logs;\n",
}


def test_a_table_dropped_and_created_again_is_not_marked_gone(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    for name, sql in MIGRATIONS.items():
        (tmp_path / "migrations" / name).write_text(sql, encoding="utf-8")
    timeline = render_site(Config(project_dir=tmp_path, verify=False)).text("timeline.en.md")
    rows = dict(re.findall(r'^\| <a id="m-(\d+)">(.*)$', timeline, re.M))
    logs = "\N{NO-BREAK SPACE}[`logs`](tables/logs.md)"
    assert f"| \N{PLUS-MINUS SIGN}{logs} |" in rows["0002"]
    assert f"| \N{MINUS SIGN}{logs} |" in rows["0003"]
    # the table 0001 created is the one 0002 dropped: its own page, not the new one's
    assert "| +\N{NO-BREAK SPACE}[`logs`](tables/logs--0002.md) |" in rows["0001"]


def test_every_mark_the_rows_can_use_is_in_the_legend() -> None:
    """The legend is written from ``MARKS``; each symbol ``compact`` can set is one of them."""
    symbols = {symbol for _key, symbol in timeline_lines.MARKS}
    can_set = {
        *timeline_lines._TABLE.values(), *timeline_lines._COLUMN.values(),
        *(mark for _kind, mark in timeline_lines._OBJECTS.values()),
        timeline_lines.CHANGED, timeline_lines.REMADE, timeline_lines.MOVED,
    }  # fmt: skip
    assert can_set == symbols and len(timeline_lines.MARKS) == len(symbols)


def test_the_rows_know_every_kind_of_change_line_that_names_a_part_of_a_table() -> None:
    """Each kind ``compact`` reads is a change line of the catalog, and every change line of
    an index, view or trigger is one it reads: a new kind of line cannot vanish from the
    timeline unnoticed."""
    kinds = {
        key.removeprefix("change.")
        for key in load_catalog("en").entries
        if key.startswith("change.")
    }
    read = {
        *timeline_lines._TABLE, *timeline_lines._COLUMN, *timeline_lines._COPIED,
        *timeline_lines._OBJECTS,
    }  # fmt: skip
    assert read <= kinds
    objects = {kind for kind in kinds if re.match(r"(unique_)?(index|view|trigger)_", kind)}
    assert objects == set(timeline_lines._OBJECTS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folders())
def test_rows_name_every_index_view_and_trigger_and_use_only_marks_of_the_legend(
    folder: Folder,
) -> None:
    history = build_history(migrations(*folder.files))
    config = Config(project_dir=Path(__file__).parent, languages=("en",))
    timeline = render_pages(history, Descriptions(), config)["timeline.en.md"].decode()
    legend = legend_symbols(timeline)
    assert legend == [symbol for _key, symbol in timeline_lines.MARKS]
    cells = changed_cells(timeline)
    assert list(cells) == [step.migration.label for step in history.steps]
    for step in history.steps:
        cell = cells[step.migration.label]
        assert marks_in(cell) <= set(legend), cell
        if any(c.action is Action.REBUILD_TABLE for c in step.changes):
            continue  # an index a rebuild made again as it was is no change of the table
        for change in step.changes:
            if change.action in OBJECTS:
                assert f"{OBJECTS[change.action]}{NB}{code(change.object)}" in cell, cell


def test_a_migration_of_one_index_view_or_trigger_names_it(tmp_path: Path) -> None:
    files = {
        "0001_init.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, at TEXT);\n",
        "0002_index.sql": "CREATE INDEX idx_users_email ON users (email);\n",
        "0003_unindex.sql": "DROP INDEX idx_users_email;\n",
        "0004_trigger.sql": (
            "CREATE TRIGGER t_touch AFTER UPDATE ON users BEGIN\n"
            "  UPDATE users SET at = 'now' WHERE id = NEW.id;\nEND;\n"
        ),
        "0005_view.sql": "CREATE VIEW v_active AS SELECT id, email FROM users;\n",
        "0006_untrigger.sql": "DROP TRIGGER t_touch;\n",
        "0007_unview.sql": "DROP VIEW v_active;\n",
        "0008_views.sql": (
            "CREATE VIEW v1 AS SELECT id FROM users;\nCREATE VIEW v2 AS SELECT email FROM users;\n"
            "CREATE INDEX i ON users (at);\nDROP INDEX i;\nCREATE INDEX i ON users (at, id);\n"
        ),
    }
    files["0009_again.sql"] = (
        "DROP VIEW v1;\nCREATE VIEW v1 AS SELECT id FROM users;\n"
        "DROP INDEX i;\nCREATE INDEX i ON users (at, id);\n"
    )
    cells = changed_cells(timeline_of(tmp_path, files))
    users = "[`users`](tables/users.md)"
    assert cells == {
        "0001": f"+{NB}{users}",
        "0002": f"{users}: +{NB}index{NB}`idx_users_email`",
        "0003": f"{users}: \N{MINUS SIGN}{NB}index{NB}`idx_users_email`",
        "0004": f"{users}: +{NB}trigger{NB}`t_touch`",
        "0005": f"+{NB}view{NB}`v_active`",
        "0006": f"{users}: \N{MINUS SIGN}{NB}trigger{NB}`t_touch`",
        "0007": f"\N{MINUS SIGN}{NB}view{NB}`v_active`",
        # as its page says: made, then made again with another definition
        "0008": (
            f"{users}: +{NB}index{NB}`i`, ~{NB}index{NB}`i`<br>+{NB}view{NB}`v1`, +{NB}view{NB}`v2`"
        ),
        # made again as they were
        "0009": f"{users}: {PM}{NB}index{NB}`i`<br>{PM}{NB}view{NB}`v1`",
    }
    page = render_site(Config(project_dir=tmp_path, verify=False)).text("migrations/0008.en.md")
    assert "**Summary:** +1 index · 1 index replaced · +2 views" in page  # each view counted
    german = changed_cells(
        render_site(Config(project_dir=tmp_path, verify=False)).text("timeline.md")
    )
    assert german["0004"] == f"{users}: +{NB}Trigger{NB}`t_touch`"


def test_a_copied_column_names_where_its_values_went_and_how(tmp_path: Path) -> None:
    def rebuild(columns: str, select: str) -> str:
        return (
            f"CREATE TABLE t_new ({columns});\nINSERT INTO t_new SELECT {select};\n"
            "DROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n"
        )

    files = {
        "0001_init.sql": "CREATE TABLE t (a TEXT, b TEXT, c TEXT);\n",
        "0002_copy.sql": rebuild("a TEXT, b2 TEXT, c2 TEXT", "a, b, upper(c) FROM t"),
        "0003_where.sql": rebuild("a TEXT, x TEXT", "a, b2 FROM t WHERE a IS NOT NULL"),
        "0004_limit.sql": rebuild("a TEXT, y TEXT", "a, lower(x) FROM t LIMIT 5"),
        "0005_keep.sql": (
            "CREATE TABLE keep (a TEXT, y TEXT);\n"
            "INSERT INTO keep SELECT a, y FROM t WHERE a > 1;\nDROP TABLE t;\n"
        ),
    }
    timeline = timeline_of(tmp_path, files)
    cells, t, arrow = changed_cells(timeline), "[`t`](tables/t.md)", f"{NB}\N{RIGHTWARDS ARROW}"
    assert (
        cells["0002"]
        == f"~{NB}{t}: +{NB}`b2`, +{NB}`c2`, `b`{arrow} `b2`, `c`{arrow} `c2` (converted)"
    )
    assert cells["0003"] == (
        f"~{NB}{t}: +{NB}`x`, `b2`{arrow} `x` (only some rows), \N{MINUS SIGN}{NB}`c2`"
    )
    assert cells["0004"] == f"~{NB}{t}: +{NB}`y`, `x`{arrow} `y` (converted, only some rows)"
    assert cells["0005"] == (
        f"+{NB}[`keep`](tables/keep.md)<br>\N{MINUS SIGN}{NB}{t}{arrow} `keep` (only some rows)"
    )
    german = changed_cells(
        render_site(Config(project_dir=tmp_path, verify=False)).text("timeline.md")
    )
    assert (
        german["0004"]
        == f"~{NB}{t}: +{NB}`y`, `x`{arrow} `y` (umgerechnet, nur ein Teil der Zeilen)"
    )


def test_names_from_sql_stay_code_in_the_rows(tmp_path: Path) -> None:
    """Names are data: each is a code span (``code``), whatever it holds, and the row keeps
    its three cells when Python-Markdown reads it."""
    names = {"index": "i|<b>x</b>", "view": "*v*`|", "trigger": "[t](javascript:x)"}
    quoted = {kind: '"' + name + '"' for kind, name in names.items()}
    files = {
        "0001_init.sql": "CREATE TABLE t (a TEXT);\n",
        "0002_objects.sql": (
            f"CREATE INDEX {quoted['index']} ON t (a);\n"
            f"CREATE VIEW {quoted['view']} AS SELECT a FROM t;\n"
            f"CREATE TRIGGER {quoted['trigger']} AFTER INSERT ON t BEGIN SELECT 1; END;\n"
        ),
    }
    timeline = timeline_of(tmp_path, files)
    (row,) = [line for line in timeline.splitlines() if line.startswith('| <a id="m-0002">')]
    for kind, name in names.items():
        assert f"{kind}{NB}{code(name)}" in row
    assert "<b>" not in row.replace(code(names["index"]), "")
    table = markdown.markdown(timeline, extensions=["tables", "md_in_html", "attr_list"])
    (cells,) = [
        re.findall(r"<td>(.*?)</td>", tr, re.S)
        for tr in re.findall(r"<tr>.*?</tr>", table, re.S)
        if 'id="m-0002"' in tr
    ]
    assert len(cells) == 3
    for kind, name in names.items():
        assert f"{kind}{NB}<code>{html.escape(name, quote=False)}</code>" in cells[1]
