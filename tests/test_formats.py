"""The output formats: the registry both commands choose from, and each format's promises."""

from __future__ import annotations

from erdgen.formats.mermaid import mermaid_er
from erdgen.model import Column, ForeignKey, Schema, Table


def test_mermaid_draws_a_key_to_a_missing_table() -> None:
    schema = Schema(
        (
            Table(
                "kid", (Column("x", "INT", not_null=True),), (ForeignKey(("x",), "Gone", ("id",)),)
            ),
            Table("pet", (Column("y", "INT"),), (ForeignKey(("y",), "gone", ()),)),
            Table("odd", (Column("z", "INT"),), (ForeignKey(("z",), "no such", ("id",)),)),
        )
    )
    lines = mermaid_er(schema).splitlines()
    assert '    Gone["Gone ?"] {' in lines  # one entity for both spellings, shown as missing
    assert not any(line.startswith('    gone["') for line in lines)
    assert '    Gone ||--o{ kid : "x = id"' in lines
    assert '    Gone |o--o{ pet : "y"' in lines
    odd = next(line for line in lines if line.endswith('["no such ?"] {'))
    assert f"{odd.split('[')[0].strip()} |o--o{{ odd" in "\n".join(lines)
    relations = [line for line in lines if "--" in line]
    assert len(relations) == sum(len(t.foreign_keys) for t in schema.tables)
