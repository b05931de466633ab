"""One frozen configuration, shared by the CLI flags and the ``erdgen`` block in mkdocs.yml.

Option names are the same in both places (``migrations_dir`` in mkdocs.yml is
``--migrations-dir`` on the command line).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import fields, replace

from erdgen.errors import ConfigError


class GroupSpec(Struct, frozen=True):
    """An explicit diagram group for large schemas: a name and the tables or prefixes in it."""

    name: str
    tables: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


class Config(Struct, frozen=True):
    """One run's options, from the CLI flags or the ``erdgen`` block in mkdocs.yml (the same
    names); user docs: ``docs/erdgen/index.md``, section "Einstellungen"."""

    project_dir: Path = field(default_factory=Path.cwd)
    migrations_dir: str = "migrations"  # relative to project_dir
    layout: str | None = None  # a migration tool's layout (erdgen.layouts); None: detected
    docs_dir: str = "docs"  # relative to project_dir
    output_dir: str = "schema"  # generated pages and diagrams, relative to docs_dir
    descriptions_file: str = "docs/schema.yml"  # relative to project_dir
    languages: tuple[str, ...] = ("de", "en")
    default_language: str = "de"
    title: str = ""  # empty: derived from the project folder's name
    neighbour_depth: int = 1  # hops shown in a table's neighbourhood diagram
    split_threshold: int = 40  # tables above which the overview diagram is split into groups
    groups: tuple[GroupSpec, ...] = ()
    layout_timeout: float = 60.0  # seconds Graphviz may take for one diagram
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    verify: bool = True  # cross-check the model against SQLite during build and export
    # skip the statements the engine refuses (listed on the pages) instead of exit 2
    keep_going: bool = False
    dialect: str = ""  # a registered dialect ("sqlite", "libsql"); "" = from the folder
    quiet: bool = False
    rules: Mapping[str, str] = field(default_factory=dict)  # lint rule id -> error|warning|off
    # The language the SQL comments are written in: shown as written on its pages, marked
    # untranslated on the others ("": unknown, marked on every page).
    comments_language: str = ""
    # the date of the commit that added each migration, on the timeline (a git work tree)
    git_dates: bool = False

    @property
    def migrations_path(self) -> Path:
        return self.project_dir / self.migrations_dir

    @property
    def docs_path(self) -> Path:
        return self.project_dir / self.docs_dir

    @property
    def output_path(self) -> Path:
        return self.docs_path / self.output_dir

    @property
    def descriptions_path(self) -> Path:
        return self.project_dir / self.descriptions_file

    @property
    def site_title(self) -> str:
        return self.title or self.project_dir.resolve().name


OPTION_NAMES = frozenset(f.name for f in fields(Config)) - {"project_dir"}


def config_from_options(project_dir: Path, options: Mapping[str, Any]) -> Config:
    """Build a Config from a mapping of option names (mkdocs.yml block or CLI flags).

    ``None`` values mean "not given" and keep the default.
    """
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise ConfigError(f"unknown erdgen option(s): {', '.join(unknown)}")
    values: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    if "languages" in values:
        values["languages"] = tuple(values["languages"])
    if "groups" in values:
        values["groups"] = tuple(_group(g) for g in values["groups"])
    if "rules" in values:
        values["rules"] = parse_rules(values["rules"])
    config = replace(Config(project_dir=project_dir), **values)
    _check_dialect(config.dialect)
    if config.default_language not in config.languages:
        raise ConfigError(
            f"default_language {config.default_language!r} is not one of {config.languages}"
        )
    if config.comments_language and config.comments_language not in config.languages:
        raise ConfigError(
            f"comments_language {config.comments_language!r} is not one of {config.languages}"
        )
    return config


def _check_dialect(name: str) -> None:
    from erdgen import dialects  # the registry only: no parser is loaded

    if name and name not in dialects.names():
        known = ", ".join(dialects.names())
        raise ConfigError(f"unknown dialect {name!r} (known: {known})")


def _group(raw: Any) -> GroupSpec:
    if isinstance(raw, GroupSpec):
        return raw
    if not isinstance(raw, Mapping) or "name" not in raw:
        raise ConfigError(f"a group needs a name and tables or prefixes, got {raw!r}")
    return GroupSpec(
        name=str(raw["name"]),
        tables=tuple(str(t) for t in raw.get("tables", ())),
        prefixes=tuple(str(p) for p in raw.get("prefixes", ())),
    )


RULE_LEVELS = ("error", "warning", "off")


def parse_rules(raw: Any) -> dict[str, str]:
    """Rule levels from a mapping (mkdocs.yml) or ``id=level`` strings (``--rule``)."""
    pairs = raw.items() if isinstance(raw, Mapping) else (_rule_pair(item) for item in raw)
    # YAML 1.1 reads a bare `off` as false.
    rules = {str(rule): "off" if level is False else str(level).lower() for rule, level in pairs}
    for rule, level in rules.items():
        if level not in RULE_LEVELS:
            raise ConfigError(f"rule {rule}: level must be error, warning or off, got {level!r}")
    return rules


def _rule_pair(item: Any) -> tuple[str, str]:
    rule, separator, level = str(item).partition("=")
    if not separator:
        raise ConfigError(
            f"a rule setting looks like id=level (e.g. missing-description=off), got {item!r}"
        )
    return rule.strip(), level.strip()


# --- options written down in the project: mkdocs.yml's erdgen block, pyproject's [tool.erdgen]


def project_options(project_dir: Path) -> dict[str, Any]:
    """The erdgen options of a project: pyproject.toml's ``[tool.erdgen]``, then the
    ``erdgen`` plugin block of mkdocs.yml over it (``rules`` are merged per rule id).

    Commands put their own flags over these and call ``config_from_options``.
    """
    options: dict[str, Any] = {}
    for source in (_pyproject_options(project_dir), _mkdocs_options(project_dir)):
        rules = {
            **parse_rules(options.get("rules") or {}),
            **parse_rules(source.get("rules") or {}),
        }
        options.update(source)
        if rules:
            options["rules"] = rules
    return options


def _pyproject_options(project_dir: Path) -> dict[str, Any]:
    import tomllib

    path = project_dir / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    section = data.get("tool", {}).get("erdgen", {})
    return {key.replace("-", "_"): value for key, value in section.items()}


def _mkdocs_options(project_dir: Path) -> dict[str, Any]:
    import yaml

    path = project_dir / "mkdocs.yml"
    if not path.is_file():
        return {}

    # libyaml's loader where PyYAML has it (a tenth of the time of the pure-Python one)
    base = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

    class _Loader(base):  # type: ignore[valid-type,misc]
        """mkdocs.yml may hold tags such as !ENV or !!python/name: read them as None."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    for plugin in (data or {}).get("plugins") or ():
        if isinstance(plugin, Mapping) and "erdgen" in plugin:
            return dict(plugin["erdgen"] or {})
    return {}
