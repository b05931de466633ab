"""The rule registry: each rule registered once, by one decorated function, listed by
``erdgen check --list-rules`` and in the docs index with its default severity."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.errors import Severity
from erdgen.rules.registry import all_rules, id_of, project_rule, schema_rule

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "erdgen"
INDEX_ROW = re.compile(r"^\| \[`(?P<id>[a-z0-9-]+)`\]\((?P=id)\.md\) \| (?P<severity>\w+) \|", re.M)


def test_a_rule_id_is_written_once_in_the_code() -> None:
    """The decorator is the only place an id is spelled; code refers to the function."""
    ids = {rule.id for rule in all_rules()}
    seen: dict[str, list[str]] = {rule_id: [] for rule_id in ids}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                seen[node.value].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert {rule_id: places for rule_id, places in seen.items() if len(places) != 1} == {}


def test_registering_an_id_twice_fails() -> None:
    taken = all_rules()[0].id
    with pytest.raises(ValueError, match="registered twice"):
        schema_rule(taken, Severity.ERROR, "again")(lambda schema, texts: ())
    with pytest.raises(ValueError, match="registered twice"):
        project_rule(taken, Severity.ERROR, "again")(lambda subject: ())
    assert [rule.id for rule in all_rules()].count(taken) == 1


def test_each_rule_function_knows_its_id() -> None:
    for rule in all_rules():
        check = rule.schema_check or rule.project_check
        assert check is not None and id_of(check) == rule.id


@pytest.mark.parametrize("page", ["index.md", "index.en.md"])
def test_docs_index_lists_every_rule_with_its_default_severity(page: str) -> None:
    text = (ROOT / "docs" / "erdgen" / "rules" / page).read_text(encoding="utf-8")
    rows = [(m["id"], m["severity"]) for m in INDEX_ROW.finditer(text)]
    assert rows == [(rule.id, str(rule.severity)) for rule in all_rules()]


def test_list_rules_shows_each_rule_and_its_level_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.erdgen.rules]\nredundant-index = "off"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)  # no migrations needed: nothing is checked
    result = CliRunner().invoke(
        main, ["check", "--list-rules", "--rule", "missing-description=error"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split(None, 3) for line in result.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == [rule.id for rule in all_rules()]
    levels = {row[0]: row[1] for row in rows}
    assert levels["redundant-index"] == "off" and levels["missing-description"] == "error"
    assert levels["table-without-primary-key"] == "warning"
    silenceable = {row[0]: row[2] == "yes" for row in rows}
    assert silenceable == {rule.id: rule.silenceable for rule in all_rules()}
    assert {row[3] for row in rows} == {rule.summary for rule in all_rules()}


def test_a_schema_problem_is_about_a_table_of_the_schema() -> None:
    """The contract that placing relies on: the last object names a table."""
    from erdgen.core.history import load_history
    from erdgen.rules.registry import Texts

    history = load_history(ROOT / "migrations")
    schema = history.schema
    for rule in all_rules():
        if rule.schema_check is None:
            continue
        for problem in rule.schema_check(schema, Texts()):
            assert schema.table(problem.objects[-1]) is not None, (rule.id, problem)
