"""``erdgen check``: docs drift, the lock file and the lint rules, as findings for CI.

Findings print as ``file:line: rule-id: message [severity]`` (text), as JSON for tools,
or as GitHub workflow commands that annotate the pull request. The run fails when an
error-severity finding remains after the configured rule levels (``rules:`` in the
erdgen block of mkdocs.yml, ``--rule id=level`` on the command line) and inline ignores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Literal

from msgspec import Struct
from msgspec.structs import replace

from erdgen.config import Config
from erdgen.descriptions import load_descriptions
from erdgen.errors import ConfigError, Severity
from erdgen.model import History
from erdgen.plural import counted
from erdgen.rules.lint import run_rules
from erdgen.rules.registry import Finding, Rule, Subject, Texts, all_rules

ALL_RULES: tuple[Rule, ...] = all_rules()  # erdgen.rules has registered every rule
RULE_IDS = frozenset(rule.id for rule in ALL_RULES)

OutputFormat = Literal["text", "json", "github"]
FORMATS: tuple[OutputFormat, ...] = ("text", "json", "github")


class CheckReport(Struct, frozen=True):
    """What ``erdgen check`` found, sorted, at the configured levels (rules set to ``off`` left
    out)."""

    findings: tuple[Finding, ...]
    columns: bool = False  # text output gives file:line:column (PostgreSQL folders)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)

    @property
    def failed(self) -> bool:
        return self.errors > 0


def run_check(config: Config, history: History | None = None) -> CheckReport:
    """Run every enabled check on the project described by ``config``."""
    levels = rule_levels(config.rules)
    if history is None:
        from erdgen.core.history import project_history

        history = project_history(config)
    texts = Texts(load_descriptions(config.descriptions_path), config.languages)
    subject = Subject(history, texts, config)
    findings = run_rules(subject, enabled=lambda rule_id: levels.get(rule_id) != "off")
    # SQLite folders keep their file:line output; PostgreSQL findings sit at a statement
    columns = history.dialect == "postgres"
    return CheckReport(tuple(sorted(apply_levels(findings, levels))), columns)


def list_rules_text(config: Config) -> str:
    """``erdgen check --list-rules``: each rule's id, its level in this project (the default
    unless configured), whether an ignore comment can silence it, and its summary."""
    levels = rule_levels(config.rules)
    width = max(len(rule.id) for rule in ALL_RULES)
    lines = [f"{'rule':<{width}}  level    ignore  summary"]
    for rule in ALL_RULES:
        level = levels.get(rule.id, str(rule.severity))
        ignore = "yes" if rule.silenceable else "no"
        lines.append(f"{rule.id:<{width}}  {level:<7}  {ignore:<6}  {rule.summary}")
    return "\n".join(lines) + "\n"


def rule_levels(rules: Mapping[str, str]) -> dict[str, str]:
    """The configured level per rule id; unknown ids are a configuration error."""
    unknown = sorted(set(rules) - RULE_IDS)
    if unknown:
        known = ", ".join(sorted(RULE_IDS))
        raise ConfigError(f"unknown rule id(s) {', '.join(unknown)} (known: {known})")
    return dict(rules)


def apply_levels(findings: Iterable[Finding], levels: Mapping[str, str]) -> list[Finding]:
    """Drop findings of rules set to ``off``; give the others their configured severity."""
    kept = []
    for finding in findings:
        level = levels.get(finding.rule)
        if level == "off":
            continue
        kept.append(finding if level is None else replace(finding, severity=Severity(level)))
    return kept


# --- output formats -----------------------------------------------------------------------


def format_report(report: CheckReport, output: OutputFormat) -> str:
    """The report as text to print; every format ends with a newline."""
    if output == "json":
        return format_json(report)
    if output == "github":
        return format_github(report)
    return format_text(report)


def format_text(report: CheckReport) -> str:
    lines = [finding.format(report.columns) for finding in report.findings]
    lines.append(f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def _count(number: int, word: str) -> str:
    return counted(number, word)


def format_json(report: CheckReport) -> str:
    data = {
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [
            {
                "path": f.location.path,
                "line": f.location.line,
                "column": f.location.column,
                "rule": f.rule,
                "severity": str(f.severity),
                "message": f.message,
            }
            for f in report.findings
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def format_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...,title=...::message``)."""
    lines = []
    for f in report.findings:
        command = "error" if f.severity == Severity.ERROR else "warning"
        properties = (
            f"file={_property(f.location.path)},line={f.location.line},title={_property(f.rule)}"
        )
        lines.append(f"::{command} {properties}::{_data(f.message)}")
    lines.append(f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
