"""Inline ignores: ``-- erdgen: ignore[rule-id, ...] reason`` silences a finding of a rule
at the statement the comment sits on or just above (comment lines between are fine). The
reason is required: an ignore without one silences nothing and is itself a finding."""

from __future__ import annotations

import re
from collections.abc import Iterator

from msgspec import Struct, field

from erdgen.dialects.sqlite.split import scan
from erdgen.errors import Location, Severity
from erdgen.model import Migration
from erdgen.rules.comments import comments_of
from erdgen.rules.registry import Finding, Report, Subject, all_rules, project_rule

E = Severity.ERROR

_IGNORE = re.compile(r"^erdgen:\s*ignore\s*\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*)$", re.DOTALL)


class Ignore(Struct, frozen=True):
    """An ``-- erdgen: ignore[rule, ...] reason`` comment and the lines it covers."""

    location: Location
    rules: tuple[str, ...]
    reason: str
    lines: frozenset[int] = field(default_factory=frozenset)  # statement lines it applies to

    def silences(self, finding: Finding) -> bool:
        return (
            bool(self.reason)
            and finding.location.path == self.location.path
            and finding.location.line in self.lines
            and finding.rule in self.rules
        )


def ignore_comments(migration: Migration, dialect: str = "sqlite") -> Iterator[Ignore]:
    scanned = scan(migration.sql)
    lines = migration.sql.split("\n")
    for start, text in comments_of(migration.sql, dialect):
        match = _IGNORE.match(text)
        if match is None:
            continue
        line, column = scanned.position(start)
        rules = tuple(r.strip() for r in match["rules"].split(",") if r.strip())
        reason = " ".join(match["reason"].split())
        covered = _covered_lines(lines, line)
        yield Ignore(Location(migration.path, line, column), rules, reason, covered)


def _covered_lines(lines: list[str], line: int) -> frozenset[int]:
    """The comment's own line, and the next code line if only comments lie in between."""
    covered = {line}
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if not text.startswith("--"):
            if text:
                covered.add(number)
            break
    return frozenset(covered)


def ignores_of(subject: Subject) -> list[Ignore]:
    """Every ignore comment of the migrations, read once per run."""
    if "ignores" not in subject.memo:
        history = subject.history
        subject.memo["ignores"] = [
            i for m in history.migrations for i in ignore_comments(m, history.dialect)
        ]
    found: list[Ignore] = subject.memo["ignores"]
    return found


@project_rule(
    "invalid-ignore", E, "an erdgen: ignore comment has no reason or an unknown rule id",
    silenceable=False,
)  # fmt: skip
def invalid_ignore(subject: Subject) -> Iterator[Report]:
    rule_ids = {rule.id for rule in all_rules()}
    for ignore in ignores_of(subject):
        unknown = [rule for rule in ignore.rules if rule not in rule_ids]
        if not ignore.rules:
            message = "erdgen: ignore[...] names no rule"
        elif unknown:
            message = f"erdgen: ignore names unknown rule(s) {', '.join(unknown)}"
        elif not ignore.reason:
            message = "erdgen: ignore needs a reason after the ] (it silences nothing without one)"
        else:
            continue
        yield Report(ignore.location, message)
