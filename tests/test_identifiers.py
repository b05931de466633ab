"""Names are compared by the dialect's identifier rule, never by Python's case mapping.

SQLite folds A-Z only (``"Äpfel"`` and ``"äpfel"`` are two tables); ``str.lower`` folds
every letter and changes some lengths. Outside ``erdgen/dialects/`` a name is compared
through ``IdentifierRule.key`` / ``.same`` (of a Table, Schema or History); this test
fails on any new ``.lower()``, ``.upper()``, ``.casefold()`` or ``str.lower`` there
unless it is listed below with the reason it does not touch a name.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "erdgen"
CASE_MAPPINGS = frozenset({"lower", "upper", "casefold", "swapcase", "capitalize", "title"})

# (module, source text of the call) -> why it is not a comparison of identifiers
ALLOWED: dict[tuple[str, str], str] = {
    ("config.py", "str(level).lower()"): "a lint level from the configuration",
    ("layouts/base.py", "p.suffix.lower()"): "a file suffix (.sql in any case)",
    ("layouts/detect.py", "p.suffix.lower()"): "a file suffix",
    ("layouts/detect.py", "n.lower()"): "a file name's suffix",
    ("layouts/registry.py", "p.suffix.lower()"): "a file suffix",
    ("layouts/plans.py", "match.group(1).lower()"): "a yoyo directive's key",
    ("layouts/plans.py", "directives[stem].get('transactional', 'true').lower()"): "its value",
    ("layouts/plans.py", "dbms.lower()"): "a Liquibase dbms attribute",
    ("layouts/sections.py", "marker.group(1).lower()"): "a goose annotation (any case)",
    ("layouts/detect.py", "path.suffix.lower()"): "a file suffix (master changelog)",
    ("layouts/detect.py", "p.name.lower()"): "a folder named after a database (sqlite/)",
    ("layouts/plans.py", "p.suffix.lower()"): "a file suffix (includeAll)",
    ("site/nav.py", "title.lower()"): "a page title's spelling",
    ("site/nav.py", "title.capitalize()"): "a page title's spelling",
    ("render/overview.py", "name.lower()"): "a group's diagram key (made unique by a counter)",
    ("render/overview.py", "name.split('_', 1)[0].lower()"): "a group's label",
    ("render/migration_diagram.py", "(change.verb or 'SQL').upper()"): "an SQL verb for a note",
    (
        "render/migration_diagram.py",
        "change.action.value.split('_')[1].upper()",
    ): "an action's word",
    ("render/overview.py", "str.lower"): "sort order of names shown (not equality)",
    ("render/table_page.py", "action.upper()"): "ON DELETE / ON UPDATE keywords",
    ("rules/migration_rules.py", "text.lower()"): "the text of a comment",
    ("rules/schema_rules.py", "declared.upper()"): "declared type (type affinity), not a name",
    ("rules/schema_rules.py", "declared.split('(', 1)[0].upper()"): "declared type, not a name",
    ("rules/schema_rules.py", "' '.join((a.where or '').split()).lower()"): "expression text",
    ("rules/schema_rules.py", "' '.join((b.where or '').split()).lower()"): "expression text",
    ("descriptions.py", "name.lower()"): "a YAML reserved word (yes/no/null)",
    ("core/compare_tables.py", "collation.upper()"): "a collation name as shown in a difference",
    ("core/compare_tables.py", "real_key.collation.upper()"): "the same, SQLite's side",
    ("model/schema.py", "column.type.upper()"): "declared type INTEGER (rowid alias rule)",
    ("model/names.py", "name.lower()"): "ascii_fold itself, for ASCII-only text",
    ("model/names.py", "a.lower()"): "the ASCII-fold rule's fast comparison, ASCII text only",
    ("model/names.py", "b.lower()"): "the same",
}


def calls(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in CASE_MAPPINGS and not node.args:
                found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in CASE_MAPPINGS
            and isinstance(node.value, ast.Name)
            and node.value.id == "str"
        ):
            found.append((node.lineno, "str." + node.attr))
    return found


def test_no_case_mapping_of_names_outside_the_dialects() -> None:
    offending = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("dialects/"):
            continue
        for line, text in calls(path):
            if (module, text) not in ALLOWED:
                offending.append(f"erdgen/{module}:{line}: {text}")
    assert not offending, "compare names with IdentifierRule.key, not:\n" + "\n".join(offending)


def test_every_allowed_use_still_exists() -> None:
    present = {
        (path.relative_to(PACKAGE).as_posix(), text)
        for path in PACKAGE.rglob("*.py")
        for _, text in calls(path)
    }
    assert not sorted(set(ALLOWED) - present), "remove stale entries from ALLOWED"
