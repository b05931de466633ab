"""Long builds report progress: every laid-out diagram is counted once."""

from __future__ import annotations

from pathlib import Path

from erdgen.config import Config
from erdgen.diagrams import Diagram, render_svgs


def test_render_svgs_reports_each_finished_diagram(tmp_path: Path) -> None:
    diagrams = [Diagram(f"d{n}", f"d{n}", f'digraph {{ "t{n}" }}') for n in range(5)]
    heard: list[tuple[int, int]] = []
    svgs = render_svgs(diagrams, Config(jobs=2), tmp_path, lambda *p: heard.append(p))
    assert sorted(svgs) == [f"d{n}" for n in range(5)]
    assert heard == [(n, 5) for n in range(1, 6)]
