"""The page templates compiled ahead of time (erdgen.render.precompiled): current, used, and
the same pages as templates compiled at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.render import pages, precompiled

ROOT = Path(__file__).resolve().parent.parent


def test_the_compiled_modules_match_the_templates() -> None:
    stale = precompiled.stale_modules(pages.environment(None))
    assert stale == [], (
        f"erdgen/render/compiled/ is stale ({', '.join(stale)}): "
        "run `python -m erdgen.render.precompiled` and commit the result"
    )


def test_every_template_comes_from_its_compiled_module() -> None:
    environment = pages.environment(None)
    for name in environment.list_templates():
        template = environment.get_template(name)
        assert template.filename is not None
        assert Path(template.filename).parent == precompiled.COMPILED_DIR, name


def test_a_module_is_used_only_for_the_source_it_was_made_from() -> None:
    environment = pages.environment(None)
    loader = environment.loader
    assert loader is not None
    source, _, _ = loader.get_source(environment, "index.md.j2")
    edited = source + "{# a reviewer's note #}\n"
    made_from = precompiled.source_key(environment, source)
    assert precompiled._compiled_namespace("index.md.j2", made_from) is not None
    edited_key = precompiled.source_key(environment, edited)
    assert precompiled._compiled_namespace("index.md.j2", edited_key) is None


def test_stale_missing_and_left_over_modules_are_named(tmp_path: Path) -> None:
    environment = pages.environment(None)
    folder = tmp_path / "compiled"
    precompiled.write_compiled(environment, folder)
    assert precompiled.stale_modules(environment, folder) == []
    (folder / "index_md.py").write_text("# edited\n", encoding="utf-8")
    (folder / "table_md.py").unlink()
    (folder / "gone_md.py").write_text("# a template since deleted\n", encoding="utf-8")
    stale = ["gone_md.py", "index_md.py", "table_md.py"]
    assert precompiled.stale_modules(environment, folder) == stale
    assert precompiled.write_compiled(environment, folder) == stale
    assert precompiled.stale_modules(environment, folder) == []


def test_precompiled_and_run_time_compiled_templates_write_the_same_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = load_history(ROOT / "migrations", ROOT)
    descriptions = load_descriptions(ROOT / "docs" / "schema.yml")
    config = Config(project_dir=ROOT, title="Evolution Hub")
    with_modules = pages.render_pages(history, descriptions, config)

    pages.environment.cache_clear()
    monkeypatch.setattr(precompiled, "COMPILED_PACKAGE", "erdgen.render.no_such_package")
    try:
        compiled_now = pages.render_pages(history, descriptions, config)
        template = pages.environment(None).get_template("table.md.j2")
        assert template.filename is not None and template.filename.endswith("table.md.j2")
    finally:
        pages.environment.cache_clear()

    assert compiled_now == with_modules
