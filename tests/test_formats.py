"""The output formats: the registry both commands choose from, and each format's promises."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.config import Config, config_from_options, project_options
from erdgen.core.history import load_history
from erdgen.errors import ConfigError
from erdgen.formats import formats, get_format, names
from erdgen.formats.mermaid import mermaid_er
from erdgen.formats.registry import Kind, diagram_format
from erdgen.model import Column, ForeignKey, History, Schema, Table
from erdgen.render.diagrams import diagram_output, no_links, overview_diagrams, table_diagram

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(ROOT / "migrations", ROOT)


def test_mermaid_draws_a_key_to_a_missing_table() -> None:
    schema = Schema(
        (
            Table(
                "kid", (Column("x", "INT", not_null=True),), (ForeignKey(("x",), "Gone", ("id",)),)
            ),
            Table("pet", (Column("y", "INT"),), (ForeignKey(("y",), "gone", ()),)),
            Table("odd", (Column("z", "INT"),), (ForeignKey(("z",), "no such", ("id",)),)),
        )
    )
    lines = mermaid_er(schema).splitlines()
    assert '    Gone["Gone ?"] {' in lines  # one entity for both spellings, shown as missing
    assert not any(line.startswith('    gone["') for line in lines)
    assert '    Gone ||--o{ kid : "x = id"' in lines
    assert '    Gone |o--o{ pet : "y"' in lines
    odd = next(line for line in lines if line.endswith('["no such ?"] {'))
    assert f"{odd.split('[')[0].strip()} |o--o{{ odd" in "\n".join(lines)
    relations = [line for line in lines if "--" in line]
    assert len(relations) == sum(len(t.foreign_keys) for t in schema.tables)


# -- the registry ------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "kind"), [("export", "schema"), ("diagram", "diagram")])
def test_each_command_offers_exactly_the_registered_formats(command: str, kind: Kind) -> None:
    loaded = main.get_command(click.Context(main), command)
    assert loaded is not None
    option = next(p for p in loaded.params if p.name == "output_format")
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == names(kind)
    usage = CliRunner().invoke(main, [command, "--help"]).output
    for entry in formats(kind):
        assert entry.name in usage and entry.suffix.startswith(".")


def test_a_format_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        diagram_format("svg", ".svg", "again")(lambda request: b"")


def test_unknown_or_wrong_kind_of_format_is_bad_input(history: History) -> None:
    with pytest.raises(ConfigError, match=r"unknown diagram format 'json' \(known: "):
        diagram_output(history, Config(), "json")
    with pytest.raises(ConfigError, match="unknown schema format 'svg'"):
        get_format("svg", "schema")


# -- erdgen diagram reads the project's options, like build -------------------------------

MKDOCS = """\
site_name: t
plugins:
  - erdgen:
      split_threshold: 3
      neighbour_depth: 2
      groups:
        - name: Accounts
          prefixes: [user]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_diagram_draws_what_build_draws_with_the_project_options(
    project: Path, history: History
) -> None:
    config = config_from_options(project, project_options(project))
    assert config.split_threshold == 3 and config.groups  # the options are really there
    overview = CliRunner().invoke(main, ["diagram", "--format", "dot"])
    assert overview.exit_code == 0, overview.output
    assert overview.stdout == overview_diagrams(history.schema, config, no_links)[0].dot
    assert overview.stdout != overview_diagrams(history.schema, Config(), no_links)[0].dot
    around = CliRunner().invoke(main, ["diagram", "--format", "dot", "--table", "sessions"])
    expected = table_diagram(history.schema, "sessions", config, no_links).dot
    assert around.stdout == expected
    assert expected != table_diagram(history.schema, "sessions", Config(), no_links).dot


@pytest.mark.parametrize("page", ["formats.md", "formats.en.md"])
def test_the_formats_page_lists_every_registered_format(page: str) -> None:
    text = (ROOT / "docs" / "erdgen" / page).read_text(encoding="utf-8")
    commands = {"schema": "erdgen export", "diagram": "erdgen diagram"}
    for kind in ("schema", "diagram"):
        for entry in formats(kind):
            assert f"| `{entry.name}` | `{commands[kind]}` | `{entry.suffix}` |" in text, entry
