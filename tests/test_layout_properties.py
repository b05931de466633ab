"""Properties of the layouts, over generated names and files (LAYOUTS.md §2, §3.3, §3.6)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import Folder, folders

from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.layouts import discover
from erdgen.layouts.atlas import sum_lines
from erdgen.layouts.base import Source
from erdgen.layouts.flat import wrangler_sort_key
from erdgen.layouts.sections import dbmate_up, goose_up
from erdgen.layouts.versioned import flyway_version

names = st.text("abcxyz_", min_size=1, max_size=6)
numbers = st.integers(0, 10**6)


@given(st.lists(st.tuples(numbers, st.sampled_from(["", "0", "00"]), names), min_size=1,
                max_size=8, unique_by=lambda t: (t[1] + str(t[0]), t[2])))  # fmt: skip
def test_numbered_files_run_by_number_then_name_and_keep_their_names(
    files: list[tuple[int, str, str]],
) -> None:
    """wrangler's order: the leading integer (zeros ignored), then the path as a string;
    a number may repeat; the id is the file name (helpers.ts)."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = root / "migrations"
        folder.mkdir()
        written = {f"{pad}{n}_{name}.sql" for n, pad, name in files}
        for file in written:
            (folder / file).write_text("SELECT 1;\n", encoding="utf-8")
        found = discover(folder, root)
    expected = sorted(written, key=lambda file: (int(file.split("_")[0]), file))
    assert [m.id for m in found.migrations] == expected
    assert [m.sort_key for m in found.migrations] == [wrangler_sort_key(f) for f in expected]
    assert len({m.shown for m in found.migrations}) == len(expected)  # one page each


parts = st.lists(st.integers(0, 30), min_size=1, max_size=4)


@given(parts, st.integers(0, 3), st.sampled_from([".", "_"]))
def test_flyway_trailing_zeros_and_separators_do_not_change_a_version(
    version: list[int], zeros: int, separator: str
) -> None:
    """``1 == 1.0 == 001``, ``V1_1`` is 1.1 (MigrationVersion.java)."""
    plain = ".".join(map(str, version))
    padded = separator.join([*(f"0{p}" for p in version), *("0" * zeros)])
    assert flyway_version(padded) == flyway_version(plain)


@given(parts, parts)
def test_flyway_versions_order_as_number_tuples(a: list[int], b: list[int]) -> None:
    """13 < 13.1 < 14: compared part by part as numbers, missing parts are 0."""
    first, second = flyway_version(".".join(map(str, a))), flyway_version(".".join(map(str, b)))
    width = max(len(first), len(second))
    padded = (first + (0,) * width)[:width], (second + (0,) * width)[:width]
    assert (first < second) == (padded[0] < padded[1])
    assert (first == second) == (padded[0] == padded[1])


lines = st.lists(st.sampled_from(["CREATE TABLE t (a);", "", "-- note", "DROP TABLE t;"]),
                 max_size=5)  # fmt: skip


@given(st.lists(st.tuples(lines, lines), min_size=1, max_size=3))
def test_masking_keeps_every_line_where_it_was(sections: list[tuple[list[str], list[str]]]) -> None:
    """Up lines stay on their line, everything else is blank (LAYOUTS.md §3.6)."""
    for up_marker, down_marker, unmask in (
        ("-- migrate:up", "-- migrate:down", dbmate_up),
        ("-- +goose Up", "-- +goose Down", goose_up),
    ):
        text_lines, kept = [], []
        for up, down in sections:
            text_lines += [up_marker, *up, down_marker, *down]
            kept += [False, *(True for _ in up), False, *(False for _ in down)]
        text = "\n".join(text_lines)
        masked = unmask(Source(text.encode(), text), "x.sql").split("\n")
        assert len(masked) == len(text_lines)
        for line, original, keep in zip(masked, text_lines, kept, strict=True):
            assert line == (original if keep else "")


@settings(deadline=None, max_examples=40)  # SQLite replays each example: no per-call deadline
@given(folders(max_files=3, max_groups=3), st.data())
def test_dbmate_files_give_the_model_sqlite_builds_from_their_up_sections(
    folder: Folder, data: st.DataObject
) -> None:
    """The same random SQL written as dbmate files with down sections: the model agrees
    with SQLite replaying the up sections only."""
    files = folder.files
    assume(files)  # an empty folder is refused, not documented (test_layout_fixtures)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        migrations = root / "migrations"
        migrations.mkdir()
        for number, text in enumerate(files, start=1):
            down = data.draw(st.sampled_from(["DROP TABLE nowhere;", "SELECT 1;", ""]))
            wrapped = f"-- migrate:up\n{text}\n-- migrate:down\n{down}\n"
            (migrations / f"{number:014d}_m.sql").write_text(wrapped, encoding="utf-8")
        history = load_history(migrations, root)
        report = verify(history)
    assert report.agrees, "\n".join(report.lines())
    assert len(history.steps) == len(files)


contents = st.binary(min_size=0, max_size=40)


@given(st.lists(contents, min_size=1, max_size=6), st.data())
def test_an_edit_changes_its_atlas_sum_line_and_every_later_one(
    files: list[bytes], data: st.DataObject
) -> None:
    """atlas.sum chains one SHA-256 through the files in name order (sql/migrate/dir.go)."""
    named = [(f"{n:04d}_m.sql", raw) for n, raw in enumerate(files)]
    edited_at = data.draw(st.integers(0, len(named) - 1))
    edited = list(named)
    edited[edited_at] = (named[edited_at][0], named[edited_at][1] + b";")
    before, after = sum_lines(named), sum_lines(edited)
    assert before[0] != after[0]  # the total line
    lines = list(zip(before[1:], after[1:], strict=True))
    assert all(a == b for a, b in lines[:edited_at])
    assert all(a != b for a, b in lines[edited_at:])
