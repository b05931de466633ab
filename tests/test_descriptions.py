"""The descriptions sidecar: reading it and adding missing keys without touching the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.descriptions import (
    add_missing_keys,
    load_descriptions,
    parse_descriptions,
    skeleton,
)
from erdgen.errors import ConfigError
from erdgen.model import Column, Migration, Table

BUNDLED = Path(__file__).resolve().parent.parent / "docs" / "schema.yml"


def migration(id: str, name: str = "m") -> Migration:
    return Migration(
        id=f"{id}_{name}.sql",
        sort_key=(int(id),),
        name=name,
        paths=(f"{id}_{name}.sql",),
        sha256="",
        sql="",
        label=id,
    )


def table(name: str, *columns: str) -> Table:
    return Table(name=name, columns=tuple(Column(c) for c in columns))


def test_keys_are_read_as_written_and_names_match_case_insensitively() -> None:
    descriptions = parse_descriptions(
        'migrations:\n  0010: {de: Zehn, en: Ten}\n  "0002": {de: Zwei}\n'
        "tables:\n  Users:\n    de: Benutzer\n    columns:\n      EMAIL: {en: Login address}\n"
    )
    assert descriptions.migration(migration("0010"), "en") == "Ten"
    assert descriptions.migration(migration("0002"), "de") == "Zwei"
    assert descriptions.migration(migration("0002"), "en") == ""
    assert descriptions.table("users", "de") == "Benutzer"
    assert descriptions.column("USERS", "email", "en") == "Login address"
    assert descriptions.column("users", "id", "en") == ""


def test_empty_values_count_as_missing() -> None:
    descriptions = parse_descriptions('tables:\n  users:\n    de:\n    en: ""\n    columns:\n')
    assert descriptions.table("users", "de") == ""
    assert descriptions.table("users", "en") == ""


def test_a_missing_file_means_no_descriptions(tmp_path: Path) -> None:
    assert load_descriptions(tmp_path / "nope.yml").table("users", "de") == ""


def test_wrong_shapes_are_reported_with_their_location() -> None:
    with pytest.raises(ConfigError) as error:
        parse_descriptions("tables:\n  users:\n    - a\n", "docs/schema.yml")
    assert error.value.format() == "docs/schema.yml:3:5: error: table users must be a mapping"


def test_nothing_missing_leaves_the_bundled_file_byte_for_byte() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    migrations = [migration(f"{n:04d}") for n in range(11)]
    tables = [table(name, *spec["columns"]) for name, spec in raw["tables"].items()]

    assert add_missing_keys(text, skeleton(migrations, tables, ("de", "en"))) == text


def test_missing_keys_are_added_in_place_and_existing_lines_survive() -> None:
    text = (
        "# my comment\n"
        "migrations:\n"
        '  "0001":\n'
        "    de: 'Eins'   # keep me\n"
        '  "0003": {de: Drei, en: Three}\n'
        "tables:\n"
        "  users:\n"
        "    de: |\n"
        "      Benutzer\n"
        "      mit Zeilen\n"
        "    columns:\n"
        "      id: {de: Kennung, en: Id}\n"
        "  # about projects\n"
        "  projects:\n"
        "    en: Projects\n"
    )
    wanted = skeleton(
        [migration("0001"), migration("0002"), migration("0003"), migration("0004")],
        [table("users", "id", "email"), table("sessions", "id"), table("projects", "id")],
        ("de", "en"),
    )

    updated = add_missing_keys(text, wanted)

    assert updated == (
        "# my comment\n"
        "migrations:\n"
        '  "0001":\n'
        "    de: 'Eins'   # keep me\n"
        '    en: ""\n'
        '  "0002":\n'
        '    de: ""\n'
        '    en: ""\n'
        '  "0003": {de: Drei, en: Three}\n'
        '  "0004":\n'
        '    de: ""\n'
        '    en: ""\n'
        "tables:\n"
        "  users:\n"
        "    de: |\n"
        "      Benutzer\n"
        "      mit Zeilen\n"
        '    en: ""\n'
        "    columns:\n"
        "      id: {de: Kennung, en: Id}\n"
        "      email:\n"
        '        de: ""\n'
        '        en: ""\n'
        "  sessions:\n"
        '    de: ""\n'
        '    en: ""\n'
        "    columns:\n"
        "      id:\n"
        '        de: ""\n'
        '        en: ""\n'
        "  # about projects\n"
        "  projects:\n"
        '    de: ""\n'
        "    en: Projects\n"
        "    columns:\n"
        "      id:\n"
        '        de: ""\n'
        '        en: ""\n'
    )
    assert add_missing_keys(updated, wanted) == updated


def test_an_empty_file_gets_the_whole_skeleton() -> None:
    wanted = skeleton([migration("0001")], [table("a b", "x")], ("de", "en"))
    updated = add_missing_keys("", wanted)
    assert yaml.safe_load(updated) == {
        "migrations": {"0001": {"de": "", "en": ""}},
        "tables": {"a b": {"de": "", "en": "", "columns": {"x": {"de": "", "en": ""}}}},
    }


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)


@settings(max_examples=60, deadline=None)
@given(
    existing=st.lists(names, unique_by=str.lower, max_size=4),
    wanted=st.lists(names, unique_by=str.lower, max_size=4),
)
def test_added_keys_keep_every_existing_value(existing: list[str], wanted: list[str]) -> None:
    start = yaml.safe_dump(
        {"tables": {name: {"de": f"text {i}"} for i, name in enumerate(existing)}},
        allow_unicode=True,
        default_flow_style=False,
        sort_keys=False,
    )
    tables = [table(name, "c") for name in wanted]
    updated = add_missing_keys(start, skeleton([], tables, ("de", "en")))
    loaded = yaml.safe_load(updated)["tables"] or {}
    for i, name in enumerate(existing):
        assert loaded[name]["de"] == f"text {i}"
    lowered = {key.lower() for key in loaded}
    assert all(name.lower() in lowered for name in wanted)
    assert add_missing_keys(updated, skeleton([], tables, ("de", "en"))) == updated
