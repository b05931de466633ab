"""What a cold ``erdgen build`` loads: the commands it does not run stay unimported."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from erdgen.cli import main
from erdgen.cli.base import COMMAND_MODULES

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_found_by_its_module() -> None:
    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(f"erdgen.cli.{module}")
    assert set(main.commands) == set(COMMAND_MODULES)
    listed = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMAND_MODULES), listed


def test_a_build_loads_neither_export_formats_nor_lint_rules(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations")
    (tmp_path / "docs").mkdir()
    script = (
        "import sys\n"
        "from erdgen.cli import main\n"
        "try:\n"
        f"    main(['build', '--quiet', '--project-dir', {str(tmp_path)!r}])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert (tmp_path / "docs" / "schema" / "index.md").is_file()
    unused = ("erdgen.cli.ci_commands", "erdgen.cli.schema_commands", "erdgen.formats.dbml",
              "erdgen.formats.tbls", "erdgen.rules.lint")  # fmt: skip
    assert [name for name in unused if name in loaded] == []


def test_sqlglot_version_is_what_its_distribution_says() -> None:
    from importlib import metadata

    from erdgen.site.cache import sqlglot_version

    assert sqlglot_version() == metadata.version("sqlglot")


def test_mkdocs_tags_are_read_as_none_with_either_yaml_loader(tmp_path: Path) -> None:
    """mkdocs.yml of a Material site holds !!python/name and !ENV tags; the erdgen block is
    still read (with libyaml's loader where PyYAML has it)."""
    from erdgen.config import project_options

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  home: !ENV [HOME, x]\nplugins:\n  - erdgen:\n      title: Tagged\n",
        encoding="utf-8",
    )
    assert project_options(tmp_path) == {"title": "Tagged"}
