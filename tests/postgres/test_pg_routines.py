"""Overloaded functions: DROP, COMMENT ON and ALTER FUNCTION name one overload by its
argument types, as PostgreSQL resolves them; PostgreSQL judges the model after every
migration (``erdgen verify``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pg_findings import PG_SETTINGS

from erdgen import dialects
from erdgen.core.compare import verify
from erdgen.core.history import build_history
from erdgen.dialects.postgres.server import Server
from erdgen.model import History

from folders import migrations  # isort: skip

POSTGRES = dialects.get("postgres")


def _function(name: str, arguments: str, body: str = "SELECT 1") -> str:
    return f"CREATE FUNCTION {name}({arguments}) RETURNS integer LANGUAGE sql AS $$ {body} $$;\n"


def _agrees(history: History) -> None:
    report = verify(history, POSTGRES)
    assert report.agrees, "\n".join(report.lines())


def _signatures(history: History) -> list[tuple[str, str]]:
    return [(f.signature, f.description) for f in history.schema.functions]


def test_drop_function_with_arguments_drops_that_overload_only(pg_server: Server) -> None:
    history = build_history(
        migrations(
            _function("f", "a integer") + _function("f", "a text") + _function("f", ""),
            "DROP FUNCTION f(int4);\nDROP FUNCTION public.f();\n",
        ),
        POSTGRES,
    )
    assert _signatures(history) == [("f(a text)", "")]
    _agrees(history)


def test_type_modifiers_and_names_do_not_tell_overloads_apart(pg_server: Server) -> None:
    history = build_history(
        migrations(
            _function("f", "a varchar(10), b numeric(5,2) DEFAULT 1") + _function("f", "a text"),
            "DROP FUNCTION f(character varying, OUT integer, numeric);\n",
        ),
        POSTGRES,
    )
    assert _signatures(history) == [("f(a text)", "")]
    _agrees(history)


def test_comment_on_one_overload_describes_that_one(pg_server: Server) -> None:
    history = build_history(
        migrations(
            _function("f", "a integer") + _function("f", "a text"),
            "COMMENT ON FUNCTION public.f(text) IS 'the text one';\n",
        ),
        POSTGRES,
    )
    assert _signatures(history) == [("f(a integer)", ""), ("f(a text)", "the text one")]
    _agrees(history)


def test_alter_function_rename_and_set_schema_move_one_overload(pg_server: Server) -> None:
    history = build_history(
        migrations(
            "CREATE SCHEMA util;\n" + _function("f", "a integer") + _function("f", "a text"),
            "ALTER FUNCTION f(integer) RENAME TO g;\nALTER FUNCTION g(integer) SET SCHEMA util;\n",
        ),
        POSTGRES,
    )
    assert _signatures(history) == [("f(a text)", ""), ("util.g(a integer)", "")]
    _agrees(history)


def test_a_trigger_follows_its_renamed_function(pg_server: Server) -> None:
    history = build_history(
        migrations(
            "CREATE TABLE t (id int);\n"
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN RETURN NEW; END; $$;\n"
            "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();\n",
            "ALTER FUNCTION touch() RENAME TO set_updated_at;\n",
        ),
        POSTGRES,
    )
    assert [t.function for t in history.schema.triggers] == ["set_updated_at"]
    _agrees(history)


def test_a_name_without_arguments_must_be_unique() -> None:
    history = build_history(
        migrations(_function("f", "a integer") + _function("f", "a text"), "DROP FUNCTION f;\n"),
        POSTGRES,
    )
    [diagnostic] = [d for d in history.diagnostics if "not unique" in d.message]
    assert diagnostic.location.line == 1 and 'function name "f" is not unique' in diagnostic.message


# --- generated: overloads created, dropped, commented and renamed ----------------------

# each type with the spellings PostgreSQL takes for it in an argument list
_SPELLINGS = {
    "integer": ("integer", "int", "int4"),
    "text": ("text",),
    "boolean": ("boolean", "bool"),
    "character varying": ("varchar(20)", "character varying", "varchar"),
    "numeric": ("numeric(8,2)", "decimal", "numeric"),
    "integer[]": ("int[]", "integer[]"),
    "double precision": ("double precision", "float8"),
}


@st.composite
def _written(draw: st.DrawFn, types: tuple[str, ...]) -> str:
    """An argument list naming ``types``, each spelled one way, some with a name."""
    parts = []
    for position, type_name in enumerate(types):
        spelled = draw(st.sampled_from(_SPELLINGS[type_name]))
        named = draw(st.booleans())
        parts.append(f"p{position} {spelled}" if named else spelled)
    return ", ".join(parts)


@st.composite
def _overload_folders(draw: st.DrawFn) -> list[str]:
    existing: set[tuple[str, tuple[str, ...]]] = set()
    files = []
    for _ in range(draw(st.integers(1, 4))):
        lines = []
        for _ in range(draw(st.integers(1, 4))):
            name = draw(st.sampled_from(("f", "g")))
            types = tuple(draw(st.lists(st.sampled_from(sorted(_SPELLINGS)), max_size=2)))
            key = (name, types)
            written = draw(_written(types))
            action = draw(st.sampled_from(("create", "drop", "comment", "rename")))
            if action == "create" and key not in existing:
                lines.append(_function(name, written).rstrip("\n"))
                existing.add(key)
            elif action == "drop":
                lines.append(f"DROP FUNCTION IF EXISTS {name}({written});")
                existing.discard(key)
            elif action == "comment" and key in existing:
                text = draw(st.sampled_from(("one", "it's two", "")))
                value = "NULL" if not text else "'" + text.replace("'", "''") + "'"
                lines.append(f"COMMENT ON FUNCTION {name}({written}) IS {value};")
            elif action == "rename" and key in existing:
                other = "g" if name == "f" else "f"
                if (other, types) not in existing:
                    lines.append(f"ALTER FUNCTION {name}({written}) RENAME TO {other};")
                    existing.discard(key)
                    existing.add((other, types))
        files.append("\n".join(lines) + "\n")
    return files


@PG_SETTINGS
@given(files=_overload_folders())
def test_generated_overloads_agree_with_postgresql(pg_server: Server, files: list[str]) -> None:
    history = build_history(migrations(*files), POSTGRES)
    assert history.diagnostics == ()
    _agrees(history)
