"""Markdown made from data: escaping filters for text, cells, code spans, fences and slugs.

Names and comments from SQL are data; every template value passes through one of these.
"""

from __future__ import annotations

import hashlib
import json
import re
from itertools import pairwise
from urllib.parse import quote

# Characters Python-Markdown lets a backslash escape (plus "|" from the tables extension).
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]!|])")
_LINE_START_SPECIALS = re.compile(r"^([#+\-=]|\d+[.)])")


def md_text(text: str) -> str:
    """Plain text (an SQL comment) as Markdown that renders literally; keeps line breaks."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _INLINE_SPECIALS.sub(r"\\\1", escaped)
    # Leading spaces would make a code block; a leading "-", "#", "1." a list or heading.
    lines = [
        _LINE_START_SPECIALS.sub(_escape_line_start, line.strip()) for line in escaped.split("\n")
    ]
    # a line break inside a paragraph is a hard one ("<br>"): Markdown would read it as a
    # space and run two sentences of a comment header together
    broken = [f"{line}<br>" if line and after else line for line, after in pairwise(lines)]
    return "\n".join([*broken, *lines[-1:]]).strip("\n")


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    return f"&#{ord(marker[0])};{marker[1:]}"


# A link destination (inline ``](...)`` or a reference ``[x]: ...``) with a scheme that
# runs or embeds code when clicked; browsers ignore ASCII whitespace and controls in it.
_SCRIPT_LINK = re.compile(
    r"(\]\(\s*|^\s*\[[^\]]*\]:\s*)((?:[\x00-\x20]*[a-z]){2,}?[\x00-\x20]*script|data)[\x00-\x20]*:",
    re.IGNORECASE | re.MULTILINE,
)


def md_markdown(text: str) -> str:
    """Markdown written by the docs' author (the sidecar): kept, but no raw HTML and no
    ``javascript:``, ``vbscript:`` or ``data:`` link (their ":" becomes "%3A", which makes
    them harmless relative links). Numeric character references stay text, so none can
    spell such a scheme in a link."""
    safe = text.replace("<", "&lt;").replace("&#", "&amp;#")
    return _SCRIPT_LINK.sub(r"\1\2%3A", safe).strip()


def md_cell(markdown: str) -> str:
    """Markdown made safe for one table cell: "|" outside code spans escaped, one line."""
    parts = re.split(r"(`+)", markdown)
    out: list[str] = []
    fence: str | None = None
    for part in parts:
        if part.startswith("`"):
            fence = None if fence == part else (fence or part)
            out.append(part)
        elif fence is None:
            out.append(re.sub(r"(?<!\\)\|", r"\\|", part))
        else:
            out.append(part)
    lines = [line.strip() for line in "".join(out).splitlines() if line.strip()]
    return "".join(line if line.endswith("<br>") else f"{line}<br>" for line in lines[:-1]) + (
        lines[-1] if lines else ""
    )


def code(text: str) -> str:
    """An inline code span showing ``text`` literally, whatever backticks it contains."""
    flat = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fence(source: str, language: str = "sql") -> str:
    """A fenced code block that no backtick run inside ``source`` can close early."""
    body = "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").split("\n"))
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{body.strip(chr(10))}\n{ticks}"


def indent(text: str, width: int = 4) -> str:
    """Indent every non-empty line (for the body of an admonition or a nested list)."""
    pad = " " * width
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def title(text: str) -> str:
    """Text for a quoted admonition title."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def front_matter(
    title: str, boost: float | None = None, tag: str | None = None, nav: str | None = None
) -> str:
    """A YAML front matter block that sets the page's title to the plain text ``title``.

    MkDocs takes a page's title from ``title:`` (else from the first heading's text, where a
    code span's ``&lt;`` is already decoded); Material prints it unescaped into ``<title>``,
    the header, the navigation and the footer. So the value is HTML-escaped here, then
    quoted as a YAML string (a JSON string, with every non-printable character escaped).
    ``boost`` raises (above 1) or lowers the page in Material's search results.
    """
    quoted = _yaml_quoted(html_escape(title))  # one line: no YAML folding, no heading breaks
    # Material's search ranks a page's entries by ``search.boost``.
    search = f"search:\n  boost: {boost}\n" if boost is not None else ""
    # A tag is indexed with a far higher weight than titles (Material: tags 1e6, title 1e3):
    # a table's page carries its name so that it comes first for that name. Without the
    # tags plugin, Material shows no tags on the page.
    tags = f"tags:\n  - {_yaml_quoted(html_escape(tag))}\n" if tag is not None else ""
    # The navigation lists a table by its name alone (erdgen.site.nav reads ``nav_title``);
    # MkDocs prints it as HTML, so it is escaped like the title.
    nav_title = f"nav_title: {_yaml_quoted(nav)}\n" if nav is not None else ""
    return f"---\ntitle: {quoted}\n{nav_title}{search}{tags}---\n"


def _yaml_quoted(text: str) -> str:
    return "".join(_yaml_char(c) for c in json.dumps(" ".join(text.split()), ensure_ascii=False))


def html_escape(text: str) -> str:
    """Text for HTML (element content and quoted attributes)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _yaml_char(char: str) -> str:
    # YAML 1.1 (PyYAML) accepts printable characters only; line and paragraph separators
    # would break the line.
    if char.isprintable() and char not in "\u2028\u2029\ufeff":
        return char
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


# A name or expression this short stays on one line: breaking `created_at` or
# `CURRENT_TIMESTAMP` saves little width and makes it hard to read; the column's width then
# follows its longest short name.
UNBROKEN_LENGTH = 24
# after "_" (escaped) or "."; between a lower-case letter and a capital (camelCase humps)
_NAME_BREAK = re.compile(r"(?<=\\_)|(?<=\.)|(?<=[a-z])(?=[A-Z])")


def breakable_code(text: str) -> str:
    """Inline code as raw HTML that a line may break only after "_" or "." or between the
    words of a camelCase name (a long ``table.column`` in a narrow cell), never inside a
    word, and not at all when it has at most ``UNBROKEN_LENGTH`` characters. ``|`` is
    escaped for tables."""
    flat = " ".join(text.split())
    escaped = html_escape(flat).replace("|", "&#124;")
    # Markdown still reads the text between raw tags: its specials are escaped too.
    escaped = _INLINE_SPECIALS.sub(r"\\\1", escaped)
    if len(flat) <= UNBROKEN_LENGTH:
        return "<code>" + escaped + "</code>"
    return "<code>" + _NAME_BREAK.sub("<wbr>", escaped) + "</code>"


# after "_" (escaped), ".", "," or an opening parenthesis with something in it; before "::"
_EXPRESSION_BREAK = re.compile(r"(?<=\\_)|(?<=[.,])|(?<=\()(?!\))|(?=::)")


def breakable_expression(text: str) -> str:
    """Inline code for an SQL expression (a column's default) that a narrow cell may wrap
    after "_", ".", "(" or ",", or before "::", never inside a word:
    ``nextval('a_long_seq'::regclass)`` alone made the column table wider than the page;
    one of at most ``UNBROKEN_LENGTH`` characters does not break. ``|`` is escaped for
    tables."""
    flat = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    content = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # quotes kept
    escaped = _INLINE_SPECIALS.sub(r"\\\1", content.replace("|", "&#124;"))
    if len(flat) <= UNBROKEN_LENGTH:
        return "<code>" + escaped + "</code>"
    return "<code>" + _EXPRESSION_BREAK.sub("<wbr>", escaped) + "</code>"


def link_target(path: str) -> str:
    """A relative link target, percent-encoded where Markdown or URLs need it."""
    return quote(path, safe="/#.-_~")


_PLAIN_SLUG = re.compile(r"[a-z0-9_]{1,80}")


def slug(key: str) -> str:
    """A file-name-safe, deterministic and collision-free slug: texts that differ in any
    character get different slugs. For an SQL name pass its key under the dialect's
    identifier rule (``rule.key(name)``), so that every spelling of one name shares a
    page: SQLite's key folds A-Z, PostgreSQL's keeps "Users" apart from "users".

    Plain keys (lower-case ASCII letters, digits, "_") are their own slug. Any other key
    gets a lower-case base and a short hash of its exact spelling, and only those slugs
    contain "-": a slug is lower case, so it also names a file on a case-insensitive disk.
    """
    if _PLAIN_SLUG.fullmatch(key):
        return key
    base = re.sub(r"[^a-z0-9_]+", "-", _ascii_lower(key)).strip("-_")[:60] or "x"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{digest}"


def _ascii_lower(name: str) -> str:
    return name.translate({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})


FENCE = re.compile(r"\s*(`{3,})")


def tidy(markdown: str) -> str:
    """No trailing spaces, no runs of blank lines outside code fences, one final newline."""
    lines: list[str] = []
    fence_marker: str | None = None
    for line in markdown.split("\n"):
        line = line.rstrip()
        opening = FENCE.match(line) if "```" in line else None
        if opening and (fence_marker is None or opening.group(1) == fence_marker):
            fence_marker = opening.group(1) if fence_marker is None else None
        elif fence_marker is None and not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"
