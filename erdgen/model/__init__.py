"""The schema model: plain, frozen, typed data. Renderers only read it.

Values follow SQLite's own view of a schema (what ``PRAGMA table_xinfo``,
``foreign_key_list``, ``index_list`` and ``index_xinfo`` report), so that the model can be
compared with a database built from the same migrations. No parser objects live here,
only SQL text.

The records here and across erdgen are msgspec ``Struct`` classes (frozen where they are
values): ``dataclass(frozen=True, slots=True)`` compiles six methods per class at import,
about 0.6 ms each class on CPython 3.11; erdgen's 140 records took 67 ms, a seventh of a
cold build of the bundled project. A ``Struct`` class is made in C in microseconds and
compares, hashes and pickles by its fields as a frozen dataclass does; change one with
``msgspec.structs.replace``.
"""

from erdgen.model.history import (
    DESTRUCTIVE_ACTIONS,
    Action,
    Change,
    ColumnCopy,
    History,
    HistoryEntry,
    Kind,
    Migration,
    RowLoss,
    Session,
    SkippedStatement,
    Step,
    Transaction,
)
from erdgen.model.names import (
    ASCII_FOLD,
    DEFAULT_RULE,
    EXACT,
    IdentifierRule,
    ascii_fold,
    exact,
)
from erdgen.model.schema import (
    CONSTRAINT_KIND_NAMES,
    Check,
    Column,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    EnumType,
    ForeignKey,
    Function,
    Hidden,
    Index,
    IndexColumn,
    IndexOrigin,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
)

__all__ = [
    "ASCII_FOLD",
    "CONSTRAINT_KIND_NAMES",
    "DEFAULT_RULE",
    "DESTRUCTIVE_ACTIONS",
    "EXACT",
    "Action",
    "Change",
    "Check",
    "Column",
    "ColumnCopy",
    "CompositeType",
    "Constraint",
    "ConstraintKind",
    "Domain",
    "EnumType",
    "ForeignKey",
    "Function",
    "Hidden",
    "History",
    "HistoryEntry",
    "IdentifierRule",
    "Index",
    "IndexColumn",
    "IndexOrigin",
    "Kind",
    "Migration",
    "RowLoss",
    "Schema",
    "Sequence",
    "Session",
    "SkippedStatement",
    "Step",
    "Table",
    "Transaction",
    "Trigger",
    "View",
    "ascii_fold",
    "exact",
]
