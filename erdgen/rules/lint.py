"""Running the rules of ``erdgen.rules`` over a history: ``lint`` and ``run_rules``.

A schema rule's problem is placed at the statement that introduced it: the first migration
from which the problem stays until the end, and there the change that touched the object.
A finding of a silenceable rule is silenced by a SQL comment on the statement's first line
or in the comment lines just above it (``erdgen.rules.ignores``)::

    -- erdgen: ignore[table-without-primary-key] append-only log, rows are never updated

The reason is required: an ignore without one silences nothing and is itself a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from msgspec.structs import replace

from erdgen.errors import Location
from erdgen.model import Change, History, IdentifierRule, Schema, Table
from erdgen.rules.ignores import ignores_of
from erdgen.rules.registry import Finding, Problem, Rule, Subject, Texts, all_rules, get_rule


def lint(history: History, texts: Texts | None = None) -> list[Finding]:
    """Every finding of the rules that read the migrations and descriptions only (not the
    lock file or the generated pages), with default severities, inline ignores applied."""
    return run_rules(Subject(history, texts or Texts()))


def run_rules(subject: Subject, enabled: Callable[[str], bool] = lambda _: True) -> list[Finding]:
    """The findings of every registered rule that ``enabled`` accepts, sorted by place.

    Project rules that need the project (lock file, docs) find nothing without
    ``subject.config``.
    """
    dialect = subject.history.dialect
    rules = [rule for rule in all_rules() if enabled(rule.id) and rule.applies_to(dialect)]
    findings = list(placed_findings(subject, [r for r in rules if r.schema_check]))
    for rule in rules:
        if rule.project_check is not None:
            findings.extend(
                Finding(report.location, rule.id, report.message, rule.severity)
                for report in rule.project_check(subject)
            )
    ignores = ignores_of(subject)
    return sorted(
        finding
        for finding in findings
        if not (get_rule(finding.rule).silenceable and any(i.silences(finding) for i in ignores))
    )


def placed_findings(subject: Subject, rules: Sequence[Rule]) -> Iterator[Finding]:
    """The problems of the last schema, each at the migration that introduced it."""
    history = subject.history
    if not history.steps or not rules:
        return
    cache: dict[int, frozenset[tuple[str, Problem]]] = {}

    def problems_at(position: int) -> frozenset[tuple[str, Problem]]:
        if position not in cache:
            schema = history.steps[position].schema
            cache[position] = frozenset(
                (rule.id, problem)
                for rule in rules
                if rule.schema_check is not None
                for problem in rule.schema_check(schema, subject.texts)
            )
        return cache[position]

    last = len(history.steps) - 1
    ordered = sorted(
        problems_at(last), key=lambda found: (found[0], found[1].objects, found[1].message)
    )
    checks = {rule.id: rule.schema_check for rule in rules if rule.schema_check is not None}
    near: dict[tuple[str, int, str], frozenset[Problem]] = {}

    def there(rule_id: str, problem: Problem, position: int) -> bool:
        """The problem at an earlier step, checked on its table and the tables beside it."""
        key = (rule_id, position, problem.objects[-1])
        if key not in near:
            schema = history.steps[position].schema
            if _near(schema, problem.objects[-1]) is None:
                return False  # a problem about a table that is not there yet
            near[key] = frozenset(checks[rule_id](_around(schema, key[2]), subject.texts))
        return problem in near[key]

    placed: list[tuple[str, Problem, int]] = []
    for rule_id, problem in ordered:
        position, table = last, problem.objects[-1]
        while position > 0 and (
            _unchanged(history.steps[position - 1].schema, history.steps[position].schema, table)
            or there(rule_id, problem, position - 1)
        ):
            position -= 1
        placed.append((rule_id, problem, position))
    exact = _statement_places(subject, rules, placed) if history.dialect == "postgres" else {}
    for rule_id, problem, position in placed:
        step = history.steps[position]
        location = exact.get((rule_id, problem)) or _introducing_location(
            step.changes, problem.objects, history.names
        )
        if location is None:
            location = Location(step.migration.path, 1)
        yield Finding(location, rule_id, problem.message, get_rule(rule_id).severity)


def _statement_places(
    subject: Subject, rules: Sequence[Rule], placed: list[tuple[str, Problem, int]]
) -> dict[tuple[str, Problem], Location]:
    """PostgreSQL: the statement of the introducing migration after which each problem is
    there (a constraint added by a later ALTER TABLE, an index dropped), from a replay
    statement by statement; the migration's changes name objects, not statements."""
    from erdgen.rules.pg_statements import walk

    positions = frozenset(position for _, _, position in placed)
    walked = walk(subject.history, positions)
    subject.memo["pg-walk"] = walked  # the PostgreSQL rules read its statements
    snapshots = walked.snapshots
    checks = {rule.id: rule.schema_check for rule in rules if rule.schema_check is not None}
    seen: dict[tuple[str, int, int, str], frozenset[Problem]] = {}

    def problems(rule_id: str, position: int, index: int, table: str) -> frozenset[Problem]:
        key = (rule_id, position, index, table)
        if key not in seen:
            schema = snapshots[position][index].schema
            if _near(schema, table) is None:  # a table that is not there yet
                seen[key] = frozenset()
            else:
                seen[key] = frozenset(checks[rule_id](_around(schema, table), subject.texts))
        return seen[key]

    found: dict[tuple[str, Problem], Location] = {}
    for rule_id, problem, position in placed:
        count, table = len(snapshots.get(position, ())), problem.objects[-1]
        if not count or problem not in problems(rule_id, position, count - 1, table):
            continue
        # the first statement from which it is there: a bisection, as a problem that
        # appears within a migration rarely goes and comes back in the same one
        low, high = 0, count - 1
        while low < high:
            middle = (low + high) // 2
            if problem in problems(rule_id, position, middle, table):
                high = middle
            else:
                low = middle + 1
        found[(rule_id, problem)] = snapshots[position][low].location
    return found


def _unchanged(before: Schema, after: Schema, name: str) -> bool:
    """The table and the tables beside it are the very same objects in both schemas (a
    step that did not touch them hands them on): every rule finds the same about it."""
    near, earlier = _near(after, name), _near(before, name)
    if near is None or earlier is None:
        return before is after
    return len(near) == len(earlier) and all(a is b for a, b in zip(near, earlier, strict=True))


def _near(schema: Schema, name: str) -> tuple[Table, ...] | None:
    """The table called ``name`` and the tables its rules read beside it (parents,
    referenced tables), None when there is no such table."""
    table = schema.table(name)
    if table is None:
        return None
    near = [table]
    for other in (*table.inherits, *(key.ref_table for key in table.foreign_keys)):
        found = schema.table(other)
        if found is not None and all(found is not t for t in near):
            near.append(found)
    return tuple(near)


def _around(schema: Schema, name: str) -> Schema:
    """The table a problem is about (its last object) with the tables its rules read beside
    it. A schema rule reports the same problems for that table here, at a fraction of the
    cost of the whole schema (the registry's contract: a rule's problem about a table
    depends on no other tables); the whole schema without it."""
    near = _near(schema, name)
    return schema if near is None else replace(schema, tables=near)


def _introducing_location(
    changes: tuple[Change, ...], objects: tuple[str, ...], names: IdentifierRule
) -> Location | None:
    for name in objects:
        for change in changes:
            if names.same(change.object, name):
                return change.location
    for name in objects:
        for change in changes:
            if change.table is not None and names.same(change.table, name):
                return change.location
    return changes[0].location if changes else None
