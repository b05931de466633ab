"""`erdgen init` in another team's repository: a working site, nothing overwritten."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.errors import ConfigError
from erdgen.site.init import find_migrations_dir, init_project

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ATUIN = CORPUS / "atuin-client"

pytestmark = pytest.mark.skipif(not ATUIN.is_dir(), reason=f"corpus not found at {CORPUS}")


@pytest.fixture
def atuin_repo(tmp_path: Path) -> Path:
    """A repository that keeps its migrations in db/migrations, as some teams do."""
    repo = tmp_path / "atuin"
    shutil.copytree(ATUIN, repo / "db" / "migrations")
    return repo


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_init_then_mkdocs_build_shows_the_teams_tables(atuin_repo: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(atuin_repo)])
    assert result.exit_code == 0, result.output
    assert "db/migrations" in result.output
    assert "mkdocs serve" in result.output

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=atuin_repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    overview_de = (atuin_repo / "site" / "schema" / "index.html").read_text(encoding="utf-8")
    overview_en = (atuin_repo / "site" / "en" / "schema" / "index.html").read_text(encoding="utf-8")
    for page in (overview_de, overview_en):
        assert "history" in page  # atuin's main table
    assert (atuin_repo / "site" / "schema" / "tables" / "history" / "index.html").is_file()
    assert (atuin_repo / "site" / "en" / "schema" / "tables" / "history" / "index.html").is_file()


def test_every_command_after_init_finds_the_folder_init_wrote_down(
    atuin_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # mkdocs.yml names db/migrations: no command may look in ./migrations instead
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(atuin_repo)]).exit_code == 0
    monkeypatch.chdir(atuin_repo)
    verify = runner.invoke(main, ["verify"])
    assert verify.exit_code == 0, verify.output
    assert verify.stdout.endswith("12 migrations, 1 table: the model agrees with SQLite\n")
    export = runner.invoke(main, ["export", "--format", "dbml"])
    assert export.exit_code == 0, export.output


def test_init_names_the_next_command_as_it_can_be_typed(
    atuin_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spaced = atuin_repo.parent / "my docs"
    atuin_repo.rename(spaced)
    monkeypatch.chdir(spaced.parent)
    there = CliRunner().invoke(main, ["init", "my docs"])
    assert "next: cd 'my docs' && mkdocs serve\n" in there.output
    monkeypatch.chdir(spaced)
    shutil.rmtree(spaced / "docs")
    here = CliRunner().invoke(main, ["init", "."])
    assert "next: mkdocs serve\n" in here.output


def test_init_twice_changes_nothing(atuin_repo: Path) -> None:
    first = init_project(atuin_repo)
    before = snapshot(atuin_repo)
    second = init_project(atuin_repo)
    assert snapshot(atuin_repo) == before
    assert second.created == ()
    assert set(second.kept) == set(first.created)


def test_existing_files_are_never_overwritten(atuin_repo: Path) -> None:
    own_config = "site_name: Our own site\n"
    (atuin_repo / "mkdocs.yml").write_text(own_config, encoding="utf-8")
    (atuin_repo / "docs").mkdir()
    (atuin_repo / "docs" / "index.md").write_text("# Ours\n", encoding="utf-8")

    result = init_project(atuin_repo)

    assert (atuin_repo / "mkdocs.yml").read_text(encoding="utf-8") == own_config
    assert (atuin_repo / "docs" / "index.md").read_text(encoding="utf-8") == "# Ours\n"
    assert result.kept == ("mkdocs.yml", "docs/index.md")
    assert "docs/index.en.md" in result.created
    assert any("- erdgen" in hint for hint in result.hints)


def test_descriptions_file_lists_every_table_and_column(atuin_repo: Path) -> None:
    init_project(atuin_repo)
    descriptions = yaml.safe_load((atuin_repo / "docs" / "schema.yml").read_text(encoding="utf-8"))
    history = descriptions["tables"]["history"]
    assert set(history) >= {"de", "en", "columns"}
    assert {"id", "timestamp", "command"} <= set(history["columns"])


def test_generated_mkdocs_yml_names_the_migrations_folder(atuin_repo: Path) -> None:
    init_project(atuin_repo)
    text = (atuin_repo / "mkdocs.yml").read_text(encoding="utf-8")
    # mkdocs.yml carries !!python tags in some setups; this one must be plain YAML.
    config = yaml.safe_load(text)
    erdgen_block = next(
        p["erdgen"] for p in config["plugins"] if isinstance(p, dict) and "erdgen" in p
    )
    assert erdgen_block["migrations_dir"] == "db/migrations"
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    assert [lang["locale"] for lang in i18n["languages"]] == ["de", "en"]


def test_migrations_folder_is_found_in_the_usual_places(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()  # empty: not the one
    (tmp_path / "migrations" / "sqlite").mkdir()
    (tmp_path / "migrations" / "sqlite" / "0001_init.sql").write_text("CREATE TABLE t (x);\n")
    assert find_migrations_dir(tmp_path) == "migrations/sqlite"


def test_no_migrations_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--migrations-dir"):
        init_project(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_explicit_migrations_dir(tmp_path: Path) -> None:
    shutil.copytree(ATUIN, tmp_path / "sql" / "atuin")
    result = init_project(tmp_path, "sql/atuin")
    assert result.migrations_dir == "sql/atuin"
    assert "sql/atuin" in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_ignores_the_cache_and_the_site_and_keeps_an_existing_gitignore(
    atuin_repo: Path,
) -> None:
    (atuin_repo / ".gitignore").write_text("node_modules/\n/site/", encoding="utf-8")
    result = init_project(atuin_repo)
    lines = (atuin_repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines == ["node_modules/", "/site/", ".erdgen-cache/"]
    assert any(".erdgen-cache/" in hint for hint in result.hints)
    init_project(atuin_repo)  # a second run adds nothing
    assert (atuin_repo / ".gitignore").read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.parametrize("language", ["de", "en"])
def test_init_language_names_the_language_of_the_sql_comments(
    atuin_repo: Path, language: str
) -> None:
    from erdgen.config import config_from_options, project_options

    result = CliRunner().invoke(main, ["init", str(atuin_repo), "--language", language])
    assert result.exit_code == 0, result.output
    config = config_from_options(atuin_repo, project_options(atuin_repo))
    assert config.comments_language == language


# --- the folder and its tool, from the project's own files (LAYOUTS.md §3.2 rule 2) ----------

# Each corpus folder where its project keeps it (corpus README: "path in that repository"),
# with the tool config that names it where the project has one.
DIESEL_TOML = '[migrations_directory]\ndir = "migrations/sqlite"\n'
DRIZZLE_CONFIG = 'export default { out: "./migrations/sqlite", dialect: "sqlite" };\n'
PLACED = {
    "plume-sqlite": ("migrations/sqlite", {"diesel.toml": DIESEL_TOML}, "diesel"),
    "pingvin-share-sqlite": ("prisma/migrations", {"prisma/schema.prisma": "x\n"}, "prisma"),
    "homarr-sqlite": ("migrations/sqlite", {"drizzle.config.ts": DRIZZLE_CONFIG}, "drizzle"),
    "filbeam-d1": ("db/migrations", {"db/wrangler.toml": "[[d1_databases]]\n"}, "wrangler"),
    "ncps-sqlite": ("db/migrations/sqlite", {}, "dbmate"),
    "ncps-goose-atlas-sqlite": ("migrations/sqlite", {}, "goose"),
    "conductor-sqlite": ("src/main/resources/db/migration", {}, "flyway"),
    "pocket-id-sqlite": ("migrations/sqlite", {}, "golang-migrate"),
}


@pytest.mark.parametrize("name", list(PLACED))
def test_init_finds_the_folder_and_its_tool_and_writes_them_down(tmp_path: Path, name: str) -> None:
    where, configs, layout = PLACED[name]
    shutil.copytree(CORPUS / name, tmp_path / where)
    for path, text in configs.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    result = init_project(tmp_path)
    assert (result.migrations_dir, result.layout) == (where, layout)
    block = next(
        p["erdgen"]
        for p in yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
        if isinstance(p, dict) and "erdgen" in p
    )
    assert (block["migrations_dir"], block["layout"]) == (where, layout)
    if configs:
        config = next(iter(configs)).split("/")[-1]
        assert any(line.startswith(config) for line in result.evidence), result.evidence


ALL_SQLITE = {**PLACED, "atuin-client": ("migrations", {}, "flat"),
              "authelia-sqlite": ("internal/storage/migrations/sqlite", {}, "authelia"),
              "gophish-sqlite": ("db/db_sqlite3/migrations", {}, "goose")}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ALL_SQLITE))
def test_init_then_build_documents_every_table_sqlite_builds(tmp_path: Path, name: str) -> None:
    """Each SQLite corpus folder where its project keeps it: `erdgen init` (with
    --migrations-dir where the place is not a usual one) then `erdgen build`; every table
    of SQLite's own replay gets a page."""
    from erdgen.core.history import load_history
    from erdgen.dialects.sqlite.engine import replay_final

    where, configs, _ = ALL_SQLITE[name]
    shutil.copytree(CORPUS / name, tmp_path / where)
    for path, text in configs.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    runner = CliRunner()
    init = runner.invoke(main, ["init", str(tmp_path), "--migrations-dir", where])
    assert init.exit_code == 0, init.output
    build = runner.invoke(main, ["build", "--project-dir", str(tmp_path), "--quiet"])
    assert build.exit_code == 0, build.output
    history = load_history(tmp_path / where, tmp_path)
    tables = replay_final(history.migrations).tables
    overview = (tmp_path / "docs" / "schema" / "index.md").read_text(encoding="utf-8")
    assert tables
    assert [t.name for t in tables if f"`{t.name}`" not in overview] == []


# A monorepo: the migrations live in one package, at any depth, under a usual name; next to
# them what holds no project migrations (a dependency's, build output, a hidden folder).
PACKAGES = st.lists(st.sampled_from(["packages", "apps", "services", "db", "api"]), max_size=3)
USUAL = st.sampled_from(["migrations", "db/migrations", "prisma/migrations", "drizzle"])
DECOYS = st.lists(
    st.sampled_from(["node_modules/lib/migrations", "dist/migrations", ".cache/migrations"]),
    unique=True,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(package=PACKAGES, usual=USUAL, decoys=DECOYS, second=st.booleans())
def test_a_monorepos_package_with_migrations_is_found(
    tmp_path_factory: pytest.TempPathFactory,
    package: list[str],
    usual: str,
    decoys: list[str],
    second: bool,
) -> None:
    repo = tmp_path_factory.mktemp("monorepo")
    wanted = "/".join([*package, "web", usual])  # "web": never a usual folder at the top
    for folder in (wanted, *decoys, *(["tools/other/migrations"] if second else [])):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "0001_init.sql").write_text("CREATE TABLE t (x);\n", encoding="utf-8")
    if second:  # two packages with migrations: erdgen names both and writes nothing
        with pytest.raises(ConfigError) as error:
            init_project(repo)
        assert f"{wanted}/" in str(error.value) and "tools/other/migrations/" in str(error.value)
        assert not (repo / "mkdocs.yml").exists()
        return
    assert find_migrations_dir(repo) == wanted
    result = init_project(repo)
    assert result.migrations_dir == wanted
    assert any("the only migrations folder" in line for line in result.evidence)
