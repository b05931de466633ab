"""Build the repository's docs site once per test session (test_site.py and test_browser.py).

The repository's docs/, mkdocs.yml and migrations/ are copied into a temporary folder
first, so the tests never write into the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class BuiltSite:
    project: Path  # the copy of the repository
    site: Path  # mkdocs' output
    erdgen_output: str  # what `erdgen build` printed
    mkdocs_log: str  # what `mkdocs build --strict` printed on stderr


def build_once(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The built site, shared by every test of the session (the build takes a while)."""
    project = tmp_path_factory.getbasetemp() / "erdgen-site-project"
    done, failed = project / "built.txt", project.with_name("erdgen-site-failed.txt")
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"))  # do not retry a slow, failed build
    if not done.exists():
        _copy_repository(project)
        try:
            erdgen = _run([sys.executable, "-m", "erdgen.cli", "build"], project)
            mkdocs = _run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], project
            )
        except SiteBuildError as error:
            failed.write_text(str(error), encoding="utf-8")
            pytest.fail(str(error))
        (project / "erdgen.log").write_text(erdgen.stdout + erdgen.stderr, encoding="utf-8")
        (project / "mkdocs.log").write_text(mkdocs.stderr, encoding="utf-8")
        done.write_text("ok\n", encoding="utf-8")
    return BuiltSite(
        project=project,
        site=project / "site",
        erdgen_output=(project / "erdgen.log").read_text(encoding="utf-8"),
        mkdocs_log=(project / "mkdocs.log").read_text(encoding="utf-8"),
    )


def _copy_repository(project: Path) -> None:
    if project.exists():
        shutil.rmtree(project)  # an earlier attempt in this session failed half-way
    project.mkdir(parents=True)
    for folder in ("docs", "migrations"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    # Start from scratch: whatever an earlier `erdgen build` left in the working tree goes.
    shutil.rmtree(project / "docs" / "schema", ignore_errors=True)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        what = " ".join(command[1:])
        raise SiteBuildError(f"{what} failed ({result.returncode}):\n{result.stderr}")
    return result


class SiteBuildError(Exception):
    pass
