"""UI strings by dotted key from ``locales/<lang>.yml``, with plural forms and numbers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml
from msgspec import Struct

# libyaml's loader where PyYAML was built with it: the pure-Python one took a tenth of a
# cold build of the bundled project for the two locale files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PluralForms = Mapping[str, str]


class Catalog(Struct, frozen=True):
    """UI strings of one language by dotted key; plural entries have "one" / "other"."""

    language: str
    entries: Mapping[str, str | PluralForms]

    def t(self, key: str, /, n: int | None = None, **params: object) -> str:
        entry = self.entries.get(key)
        if entry is None:
            raise KeyError(f"no {self.language!r} text for {key!r}")
        if not isinstance(entry, str):
            if n is None:
                raise KeyError(f"{key!r} needs a count")
            entry = entry["one"] if n == 1 else entry["other"]
        values = {name: self._value(value) for name, value in params.items()}
        if n is not None:
            values["n"] = self.number(n)
        return entry.format_map(values)

    def number(self, n: int) -> str:
        grouped = f"{n:,}"
        separator = self.entries.get("format.thousands", ",")
        return grouped.replace(",", separator if isinstance(separator, str) else ",")

    def _value(self, value: object) -> str:
        return self.number(value) if isinstance(value, int) else str(value)


@cache
def load_catalog(language: str) -> Catalog:
    text = (
        resources.files("erdgen.render").joinpath("locales", f"{language}.yml").read_text("utf-8")
    )
    return Catalog(language, flatten_catalog(yaml.load(text, Loader=_LOADER)))


def flatten_catalog(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str | PluralForms]:
    flat: dict[str, str | PluralForms] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and "other" in value:
            flat[dotted] = {form: str(text) for form, text in value.items()}
        elif isinstance(value, Mapping):
            flat.update(flatten_catalog(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat
