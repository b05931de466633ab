"""The MkDocs plugin: ``plugins: - erdgen`` in mkdocs.yml.

A thin edge around erdgen's build. The generated pages are written as real files into the
docs folder (mkdocs-static-i18n 1.3.1 crashes on in-memory pages), only when their content
changed, so ``mkdocs serve`` does not rebuild in a loop. Their diagrams go around MkDocs'
HTML parsers (see erdgen.site.raw_diagrams). Then each language gets its own search index (see
erdgen.site.search_index).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from erdgen.config import OPTION_NAMES, Config, config_from_options, parse_rules, project_options
from erdgen.errors import ErdgenError, Severity
from erdgen.plural import counted
from erdgen.site.build import build, input_stamp
from erdgen.site.nav import expand_folders
from erdgen.site.raw_diagrams import put_back, set_aside
from erdgen.site.search_index import (
    add_column_entries,
    language_of,
    point_search_at_language,
    split_search_index,
)
from erdgen.site.write import MANIFEST_NAME

log = logging.getLogger("mkdocs.plugins.erdgen")

Stamp = tuple[str, tuple[int, int] | None]  # input stamp, manifest mtime and size


class ErdgenPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The same option names as erdgen's Config and the CLI flags; unset means default."""

    migrations_dir = c.Optional(c.Type(str))
    layout = c.Optional(c.Type(str))  # a migration tool (erdgen.layouts); unset: detected
    docs_dir = c.Optional(c.Type(str))  # default: MkDocs' own docs_dir
    output_dir = c.Optional(c.Type(str))
    descriptions_file = c.Optional(c.Type(str))
    languages = c.Optional(c.ListOfItems(c.Type(str)))
    default_language = c.Optional(c.Type(str))
    title = c.Optional(c.Type(str))
    neighbour_depth = c.Optional(c.Type(int))
    split_threshold = c.Optional(c.Type(int))
    groups = c.Optional(c.ListOfItems(c.Type(dict)))
    layout_timeout = c.Optional(c.Type((int, float)))
    jobs = c.Optional(c.Type(int))
    verify = c.Optional(c.Type(bool))
    keep_going = c.Optional(c.Type(bool))  # skip what a fresh database refuses, list it
    dialect = c.Optional(c.Type(str))  # a registered dialect (erdgen.dialects); unset: detected
    quiet = c.Optional(c.Type(bool))
    rules = c.Optional(c.Type(dict))
    comments_language = c.Optional(c.Type(str))
    git_dates = c.Optional(c.Type(bool))  # commit dates on the timeline (a git work tree)


class ErdgenPlugin(BasePlugin[ErdgenPluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.erdgen: Config | None = None
        self._last_input: tuple[Config, Stamp] | None = None
        self._generated_root: Path | None = None  # erdgen's output folder, symlinks resolved
        self._diagrams: dict[str, list[str]] = {}  # set aside, by page URL

    # Before mkdocs-static-i18n (-100) so it sees the generated files and the expanded nav.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.erdgen = self._erdgen_config(config)
        self._generate(self.erdgen)
        self._generated_root = self.erdgen.output_path.resolve()
        if config.nav:
            docs_dir = Path(config.docs_dir)
            config.nav = expand_folders(config.nav, docs_dir, self.erdgen.languages)
        return config

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        assert self.erdgen is not None
        server.watch(str(self.erdgen.migrations_path))
        if self.erdgen.descriptions_path.exists():
            server.watch(str(self.erdgen.descriptions_path))
        return server

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self._generated_root is not None
        source = page.file.abs_src_path
        if source is None or not Path(source).resolve().is_relative_to(self._generated_root):
            return markdown  # only erdgen's own pages: a hand-written page may quote the markup
        markdown, self._diagrams[page.url] = set_aside(markdown)
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        assert self.erdgen is not None
        language = language_of(page.url, self.erdgen.languages, self.erdgen.default_language)
        if language != self.erdgen.default_language:
            output = point_search_at_language(output, language)
        return put_back(output, self._diagrams.pop(page.url, []))

    # After mkdocs-static-i18n (-100) has merged the languages into one index.
    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.erdgen is not None
        languages, default = self.erdgen.languages, self.erdgen.default_language
        output = Path(os.path.relpath(self.erdgen.output_path, config.docs_dir)).as_posix()
        add_column_entries(Path(config.site_dir), f"{output}/tables/")
        split_search_index(Path(config.site_dir), languages, default)

    def _erdgen_config(self, config: MkDocsConfig) -> Config:
        """The same Config `erdgen build` uses (pyproject.toml, then this block), so the CLI
        and the plugin write identical files instead of rewriting each other's."""
        project_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            options = project_options(project_dir)
            given = {name: self.config[name] for name in OPTION_NAMES}
            options.update({k: v for k, v in given.items() if v is not None and k != "rules"})
            options["rules"] = {**parse_rules(options.get("rules") or {}),
                                **parse_rules(given["rules"] or {})}  # fmt: skip
            if given["docs_dir"] is None:
                options["docs_dir"] = Path(os.path.relpath(config.docs_dir, project_dir)).as_posix()
            return config_from_options(project_dir, options)
        except ErdgenError as error:
            raise PluginError(error.format()) from error

    def _generate(self, erdgen: Config) -> None:
        """Render and write the generated pages (``build`` returns at once when nothing they
        are made from changed)."""
        if (erdgen, _stamp(erdgen)) == self._last_input:
            return  # mkdocs-static-i18n runs on_config again for every language: log once
        try:
            result = build(erdgen)
        except ErdgenError as error:
            raise PluginError(error.format()) from error
        self._last_input = (erdgen, _stamp(erdgen))
        for diagnostic in result.diagnostics:  # warnings fail `mkdocs build --strict`
            report = log.info if diagnostic.severity == Severity.INFO else log.warning
            report(diagnostic.format())
        if result.written or result.deleted:
            written, deleted = len(result.written), len(result.deleted)
            log.info(f"erdgen: wrote {written}, deleted {counted(deleted, 'file')}")


def _stamp(erdgen: Config) -> Stamp:
    """erdgen's input stamp, and the output's manifest (a deleted output folder is written
    again)."""
    manifest = erdgen.output_path / MANIFEST_NAME
    seen = (manifest.stat().st_mtime_ns, manifest.stat().st_size) if manifest.is_file() else None
    return input_stamp(erdgen), seen
