"""The checks of ``erdgen check``: one registered function per rule (``registry``).

Importing this package imports every module that registers rules, in the order the rules
are listed (``erdgen check --list-rules``, the docs index), so the registry is complete
wherever a rule id is looked up. A new module of rules is one more name here.
"""

from __future__ import annotations

from importlib import import_module

RULE_MODULES = (
    "schema_rules", "migration_rules", "postgres_rules", "ignores", "lock", "drift",
    "descriptions_file",
)  # fmt: skip

for _module in RULE_MODULES:
    import_module(f"erdgen.rules.{_module}")
