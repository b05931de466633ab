"""A migration's title names its key, then its name only where the name says more: no
page, link or diagram reads "x · x" (sqitch's change name is its id; wrangler's key for a
number used twice is the whole file name)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.model import Migration
from erdgen.site.build import render_site

_WORD = st.text("abcdefghij_-0123456789", min_size=1, max_size=12)


def migration(key: str, name: str, label: str = "") -> Migration:
    return Migration(key, (0,), name, ("m.sql",), "", "", label=label)


@given(number=st.from_regex(r"\d{1,4}", fullmatch=True), name=_WORD, joiner=st.sampled_from("_-"))
def test_a_key_that_holds_the_name_is_shown_alone(number: str, name: str, joiner: str) -> None:
    assert migration(name, name).name_beyond_key == ""  # sqitch: the id is the name
    assert migration(f"{number}{joiner}{name}", name).name_beyond_key == ""  # wrangler
    # a short label ("0007") leaves the name to say what the migration is
    labelled = migration(f"{number}{joiner}{name}", name, label=number)
    assert labelled.name_beyond_key == ("" if number == name else name)


@given(key=_WORD, name=_WORD)
def test_a_name_the_key_does_not_end_with_is_shown(key: str, name: str) -> None:
    shown = migration(key, name).name_beyond_key
    assert shown == ("" if key == name or key.endswith(("_" + name, "-" + name)) else name)


def test_pages_of_a_sqitch_folder_do_not_repeat_the_name(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    (folder / "deploy").mkdir(parents=True)
    (folder / "sqitch.plan").write_text(
        "%syntax-version=1.0.0\n%project=demo\n\nusers 2024-01-01T00:00:00Z Ann <a@x> # Users\n",
        encoding="utf-8",
    )
    (folder / "deploy" / "users.sql").write_text("CREATE TABLE users (id INT);\n", "utf-8")
    site = render_site(Config(project_dir=tmp_path, verify=False, jobs=1))
    page = site.text("migrations/users.md")
    assert page.split("\n# ", 1)[1].splitlines()[0] == "users"
    assert 'title: "users"' in page
    timeline = site.text("timeline.md")
    assert "users](" in timeline and "`users` `users`" not in timeline
    assert "[users](migrations/users.md) `users`" not in timeline
