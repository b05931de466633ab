"""Long builds report progress: every laid-out diagram is counted once."""

from __future__ import annotations

import shutil
from pathlib import Path

from erdgen.config import Config
from erdgen.render.diagrams import Diagram, render_svgs
from erdgen.site.build import build
from erdgen.site.cache import Entries

ROOT = Path(__file__).resolve().parent.parent


def test_render_svgs_reports_each_finished_batch(tmp_path: Path) -> None:
    """Small diagrams share a ``dot`` (one start-up, not one each); every diagram is
    counted once, as its batch finishes."""
    diagrams = [Diagram(f"d{n}", f"d{n}", f'digraph {{ "t{n}" }}') for n in range(5)]
    heard: list[tuple[int, int]] = []
    svgs = render_svgs(diagrams, Config(jobs=2), Entries(tmp_path), lambda *p: heard.append(p))
    assert sorted(svgs) == [f"d{n}" for n in range(5)]
    counts = [done for done, _ in heard]
    assert counts == sorted(set(counts)) and heard[-1] == (5, 5)
    assert len(heard) <= 2  # at most one batch per thread for five tiny diagrams


def test_a_build_reports_each_step_in_order(tmp_path: Path) -> None:
    """The bar names what a long build is doing, also while it waits for SQLite."""
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations")
    heard: list[tuple[str, int, int]] = []
    build(Config(project_dir=tmp_path, jobs=2), progress=lambda *p: heard.append(p))
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == ["migrations", "diagrams", "pages", "sqlite"]
    layouts = [(done, total) for step, done, total in heard if step == "diagrams"]
    assert layouts[-1][0] == layouts[-1][1] > 0 and layouts == sorted(layouts)
    # Nothing changed: the build returns at once and reports nothing.
    heard.clear()
    build(Config(project_dir=tmp_path, jobs=2), progress=lambda *p: heard.append(p))
    assert heard == []
