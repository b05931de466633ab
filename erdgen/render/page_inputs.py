"""What every page context is made of: the inputs of one language, descriptions, and the
rows of a history (shared by table pages and the objects page)."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct, field
from msgspec.structs import replace

from erdgen.descriptions import Descriptions
from erdgen.model import History
from erdgen.render.change_lines import (
    ChangeLine,
)
from erdgen.render.markdown import md_markdown, md_text
from erdgen.render.siteplan import SitePlan, diagram_file, relative_link


class Description(Struct, frozen=True):
    """A description and where it came from: the descriptions file ("sidecar") or an SQL
    comment ("comment"), which is marked untranslated on pages of another language than
    the one the comments are written in (``comments_language``)."""

    markdown: str = ""
    untranslated: bool = False
    source: str = ""  # "sidecar", "comment", "comment_on" (PostgreSQL's COMMENT ON) or ""


def describe(
    sidecar: str, comment: str, comment_translated: bool = False, elsewhere: str = ""
) -> Description:
    """The sidecar's text first, else the SQL comment as plain text, else the sidecar's
    text in another language (``elsewhere``, marked untranslated): a description written
    once never silently leaves a page empty."""
    if sidecar.strip():
        return Description(md_markdown(sidecar), source="sidecar")
    if comment.strip():
        return Description(md_text(comment), untranslated=not comment_translated, source="comment")
    if elsewhere.strip():
        return Description(md_markdown(elsewhere), untranslated=True, source="sidecar")
    return Description()


class HistoryRow(Struct, frozen=True):
    """A row of a history table: the migration as a Markdown link, and the lines of what it
    changed there."""

    migration: str
    lines: tuple[ChangeLine, ...]

    @property
    def destructive(self) -> bool:
        return any(line.destructive for top in self.lines for line in top.all())


class EmbeddedDiagram(Struct, frozen=True):
    """A diagram of a page: its key (also its file's stem) and its SVG markup."""

    key: str
    svg: str
    title: str = ""  # the diagram's subject ("ER \u00b7 <group>" for a group's diagram)


Embeds = Mapping[str, tuple[EmbeddedDiagram, ...]]  # page (default-language path) -> diagrams


class DiagramView(Struct, frozen=True):
    """A diagram as a page shows it: inline, and linked to its own SVG file."""

    svg: str
    file: str  # Markdown link target of the SVG file, relative to the page
    key: str = ""
    heading: str = ""  # Markdown: a group's name above its diagram (its anchor is ``key``)


def diagram_views(inputs: Inputs, page: str) -> tuple[DiagramView, ...]:
    return tuple(
        DiagramView(
            d.svg,
            relative_link(page, diagram_file(page, d.key)),
            d.key,
            md_text(d.title.removeprefix("ER \u00b7 ")) if d.key.startswith("group-") else "",
        )
        for d in inputs.embeds.get(page, ())
    )


class Inputs(Struct, frozen=True):
    """Everything the pages of one language are made of."""

    plan: SitePlan
    descriptions: Descriptions
    language: str
    embeds: Embeds
    comments_language: str = ""  # the language the SQL comments are in ("" unknown)
    # migration id -> the date (YYYY-MM-DD) of the commit that added it (``git_dates``)
    commit_dates: Mapping[str, str] = field(default_factory=dict)

    def describe(
        self, sidecar: str, comment: str, of_object: bool = True, elsewhere: str = ""
    ) -> Description:
        """A description on a page of this language (see ``describe``). A PostgreSQL
        object's description comes from ``COMMENT ON`` (the reader takes no ``--`` comments
        for objects); a migration's (``of_object`` False) is the comment atop its file."""
        translated = self.comments_language == self.language
        found = describe(sidecar, comment, translated, elsewhere)
        if found.source == "comment" and of_object and self.plan.postgres:
            return replace(found, source="comment_on")
        return found

    @property
    def history(self) -> History:
        return self.plan.history
