"""The page templates compiled ahead of time, so that a cold build does not compile them.

``python -m erdgen.render.precompiled`` writes each template of ``templates/`` as the
Python module Jinja would compile it into (``Environment.compile(..., raw=True)``), into
the package ``erdgen.render.compiled``; pip byte-compiles those modules at install. Each
module records a key of what it was made from: the template's source, Jinja's version and
the environment's syntax options. ``PrecompiledLoader`` uses a module only when that key
matches the template it would read, and compiles the template as usual otherwise, so a
stale module costs time, never a wrong page (``tests/test_precompiled.py`` fails when one
is stale).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import re
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2

from erdgen.plural import counted

COMPILED_PACKAGE = "erdgen.render.compiled"
COMPILED_DIR = Path(__file__).with_name("compiled")
_HEADER = "# Made by `python -m erdgen.render.precompiled` from templates/{name}: do not edit.\n"


def module_name(template: str) -> str:
    """``table.md.j2`` -> ``table_md`` (the module below ``erdgen.render.compiled``)."""
    return re.sub(r"\W", "_", template.removesuffix(".j2"))


def source_key(environment: jinja2.Environment, source: str) -> str:
    """SHA-256 (hex) of what the compiled code depends on besides the filters' code."""
    options = (
        jinja2.__version__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.keep_trailing_newline,
        environment.newline_sequence,
        sorted(environment.extensions),
        environment.autoescape,
        environment.optimized,
    )
    return hashlib.sha256(repr((options, source)).encode()).hexdigest()


class PrecompiledLoader(jinja2.PackageLoader):
    """``PackageLoader`` that takes a template from ``erdgen.render.compiled`` when the
    module there was made from the same source and options."""

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        source, _filename, _uptodate = self.get_source(environment, name)
        namespace = _compiled_namespace(name, source_key(environment, source))
        if namespace is None:
            return super().load(environment, name, globals)
        return environment.template_class.from_module_dict(environment, namespace, globals or {})


def _compiled_namespace(name: str, key: str) -> dict[str, Any] | None:
    """The compiled module run in a namespace of its own (its code from the ``.pyc`` pip
    wrote): the template's functions read ``environment`` from their globals, so two
    environments must not share one module."""
    try:
        spec = importlib.util.find_spec(f"{COMPILED_PACKAGE}.{module_name(name)}")
    except ModuleNotFoundError:  # no compiled package: an install without it
        return None
    if spec is None or not isinstance(spec.loader, importlib.abc.InspectLoader):
        return None
    code = spec.loader.get_code(spec.name)
    if code is None:
        return None
    namespace: dict[str, Any] = {"__name__": spec.name, "__file__": spec.origin}
    try:
        exec(code, namespace)  # our own generated module, as an import would run it
    except ImportError:  # made for another Jinja: SOURCE_KEY would not match either
        return None
    return namespace if namespace.get("SOURCE_KEY") == key else None


def compiled_sources(environment: jinja2.Environment) -> dict[str, str]:
    """File name below ``compiled/`` -> the module's text, for every template."""
    loader = environment.loader
    assert loader is not None
    files = {"__init__.py": '"""Page templates compiled by erdgen.render.precompiled."""\n'}
    for name in environment.list_templates():
        source, filename, _ = loader.get_source(environment, name)
        code = environment.compile(source, name, filename, raw=True, defer_init=True)
        assert isinstance(code, str)
        key = source_key(environment, source)
        files[f"{module_name(name)}.py"] = (
            f"{_HEADER.format(name=name)}{code.rstrip()}\nSOURCE_KEY = {key!r}\n"
        )
    return files


def stale_modules(environment: jinja2.Environment, folder: Path = COMPILED_DIR) -> list[str]:
    """The files of ``folder`` that differ from what the generator writes now, or are
    missing, or are left over."""
    wanted = compiled_sources(environment)
    present = {p.name for p in folder.glob("*.py")} if folder.is_dir() else set()
    stale = [
        name
        for name, text in wanted.items()
        if not (folder / name).is_file() or (folder / name).read_text("utf-8") != text
    ]
    return sorted(set(stale) | (present - wanted.keys()))


def write_compiled(environment: jinja2.Environment, folder: Path = COMPILED_DIR) -> list[str]:
    """(Re)write the compiled modules; the names of the files written or deleted."""
    folder.mkdir(exist_ok=True)
    changed = stale_modules(environment, folder)
    wanted = compiled_sources(environment)
    for name in changed:
        if name in wanted:
            (folder / name).write_text(wanted[name], encoding="utf-8")
        else:
            (folder / name).unlink()
    return changed


def main() -> int:
    from erdgen.render import pages  # pages imports this module: its loader

    changed = write_compiled(pages.environment(None))
    print(f"{COMPILED_DIR}: {counted(len(changed), 'file')} written or deleted", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
