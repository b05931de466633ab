"""A data statement with its names as the model names them, for ``core.lineage``
(``Change.lineage_sql``).

Lineage reads ``INSERT ... SELECT`` and ``UPDATE ... SET ... FROM`` as text, the same for
every dialect, and takes a name as written. PostgreSQL folds an unquoted name to lower
case and finds a table by the search path (``SET search_path TO registry``), and the
model names a table outside ``public`` ``schema.name``: here each table a ``FROM``,
``JOIN``, ``INTO`` or ``UPDATE`` names is written as the one quoted name the model has
(``"registry.pricing_plans"``, keeping what the text called it as its alias), and an
unquoted name with capitals that names one of those tables or their columns is written
folded. The text shown on the pages stays as written.
"""

from __future__ import annotations

from erdgen.dialects.postgres.state import PgState, TableState
from erdgen.dialects.postgres.tokens import Token

# words after which a table is named; ONLY may stand between
_BEFORE_TABLE = frozenset({"from", "join", "into", "update"})
# words that start a clause: a FROM list's commas end with them
_CLAUSES = frozenset({"select", "from", "where", "set", "group", "order", "having", "limit",
                      "returning", "values", "on", "using", "window", "union", "into"})  # fmt: skip
# words that may follow a table where it has no alias
_NO_ALIAS = _CLAUSES | {"join", "inner", "left", "right", "full", "cross", "natural", "default",
                        "overriding", "offset", "for", "except", "intersect"}  # fmt: skip


def lineage_sql(state: PgState, text: str, tokens: list[Token]) -> str:
    """``text`` (whose first token is ``tokens[0]``) with its names as the model names
    them; "" when that is ``text`` itself (most statements: prisma quotes every name)."""
    base = tokens[0].start
    edits: list[tuple[int, int, str]] = []  # start, end, new text
    named: list[TableState] = []  # the tables it names
    capitals: list[Token] = []  # unquoted words with capitals: names, or key words
    clause: dict[int, str] = {}  # depth -> the last clause word there
    depth, expect, into, position = 0, False, False, 0
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "punct":
            depth += (token.text in "([") - (token.text in ")]")
            expect = token.text == "," and clause.get(depth) == "from"
            position += 1
            continue
        if token.kind == "word" and token.value in _CLAUSES:
            clause[depth] = token.value
        if expect and token.is_("only") and position + 1 < len(tokens):  # children: no matter
            edits.append((token.start, tokens[position + 1].start, ""))
            position += 1
            continue
        if expect and token.kind in ("word", "quoted"):
            # INSERT INTO t (a) SELECT: an alias there is no longer lineage's INSERT
            position = _table(state, tokens, position, edits, named, alias=not into)
            expect = False
            continue
        expect = token.kind == "word" and token.value in _BEFORE_TABLE
        into = token.is_("into")
        if token.kind == "word" and token.text != token.value:
            capitals.append(token)
        position += 1
    if capitals:  # a name of the tables it names, or of their columns: folded
        known = {t.name for t in named} | {c.name for t in named for c in t.columns}
        edits += [(t.start, t.start + len(t.text), t.value) for t in capitals if t.value in known]
        edits.sort()
    if not edits:
        return ""
    out, at = [], 0
    for start, end, new in edits:
        out += [text[at : start - base], new]
        at = end - base
    return "".join([*out, text[at:]])


def _table(
    state: PgState,
    tokens: list[Token],
    position: int,
    edits: list[tuple[int, int, str]],
    named: list[TableState],
    alias: bool,
) -> int:
    """Write the ``[schema.]name`` at ``position`` as the model's name where lineage would
    read another; the position after it."""
    first = tokens[position]
    namespace, name, end = None, first.value, position + 1
    if end + 1 < len(tokens) and tokens[end].text == "." and tokens[end + 1].kind != "punct":
        namespace, name, end = first.value, tokens[end + 1].value, end + 2
    table = state.find_table(namespace, name)
    named += [table] if table is not None else []
    last = tokens[end - 1]
    as_read = last.value if last.kind == "quoted" else last.text  # lineage: as written
    if table is None or table.qualified == as_read:
        return end
    new = '"' + table.qualified.replace('"', '""') + '"'
    after = tokens[end] if end < len(tokens) else None
    has_alias = after is not None and (
        after.kind == "quoted" or (after.kind == "word" and after.value not in _NO_ALIAS)
    )
    if alias and not has_alias:  # qualified columns (session.hostname) name it so
        new += ' "' + name.replace('"', '""') + '"'
    edits.append((first.start, last.start + len(last.text), new))
    return end
