"""Layouts ordered by a plan or by declarations: sqitch, yoyo, Liquibase formatted SQL, and
an application's version folders with a snapshot (LAYOUTS.md §2.12, §2.14-§2.16).

sqitch (``App/Sqitch/Plan.pm``): the plan's change lines in order, ``deploy/<change>.sql``;
a change reworked after a tag keeps its older script as ``deploy/<change>@<tag>.sql``.
yoyo (``yoyo/migrations.py``): ``*.sql`` minus ``*.rollback.sql`` and ``post-apply``
hooks, topologically ordered on ``-- depends:`` over sorted paths. Liquibase
(``AbstractFormattedChangeLogParser``): ``--changeset author:id`` blocks in file order,
``--rollback`` lines masked, ``dbms:`` other than SQLite skipped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from msgspec.structs import replace

from erdgen.errors import DiscoveryError, Location
from erdgen.layouts.base import Entry, Folder, Found, Source, load, mask
from erdgen.model import Kind, Transaction

_CHANGE = re.compile(r"^(?P<conflict>!?)(?P<name>[^\s\[@#:\\]+)")


def _sqitch_top(folder: Folder) -> Path:
    conf = folder.path / "sqitch.conf"
    if conf.is_file():
        match = re.search(r"^\s*top_dir\s*=\s*(\S+)", conf.read_text("utf-8"), re.M)
        if match and (folder.path / match.group(1) / "sqitch.plan").is_file():
            return folder.path / match.group(1)
    return folder.path


def collect_sqitch(folder: Folder) -> Found:
    """One migration per plan line; id = change name (``name@tag`` for reworked ones)."""
    top = _sqitch_top(folder)
    plan = top / "sqitch.plan"
    lines = plan.read_text(encoding="utf-8").splitlines()
    changes: list[tuple[str, int, str]] = []  # (name, line number, note)
    tags: list[tuple[int, str]] = []  # (position in changes, tag)
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith(("%", "#")):
            continue
        if text.startswith("@"):
            tags.append((len(changes), text[1:].split()[0]))
            continue
        match = _CHANGE.match(text)
        if match and not match["conflict"]:
            changes.append((match["name"], number, plan_note(text)))
    found = Found()
    for position, (name, number, note) in enumerate(changes):
        later = any(other == name for other, _, _ in changes[position + 1 :])
        tag = next((t for p, t in tags if p > position), "") if later else ""
        key = f"{name}@{tag}" if tag else name
        path = top / "deploy" / f"{key}.sql"
        if not path.is_file():
            raise DiscoveryError(
                f"sqitch plan names {key} but deploy/{key}.sql is missing",
                Location(folder.shown(plan), number),
            )
        entry = Entry(path, key, (position,), name, transaction=Transaction.NONE)
        found.migrations.append(replace(load(folder, entry, checksum=_sha1), note=note))
    return found


# A change line's note: after the planner's "<email>", " # " and the text, with newlines
# and backslashes escaped (App::Sqitch::Plan's grammar; "sqitch add -n" writes it).
_NOTE = re.compile(r"<[^>]*>\s+#\s?(?P<note>.*)$")


def plan_note(line: str) -> str:
    """The note of a sqitch plan's change line, unescaped ("" for none): the tool's own
    description of the change."""
    match = _NOTE.search(line)
    if match is None:
        return ""
    note = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], match["note"])
    return note.strip()


def _sha1(raw: bytes) -> str:
    return hashlib.sha1(raw).hexdigest()


_YOYO_DIRECTIVE = re.compile(r"^\s*--\s*(transactional|depends)\s*:\s*(.*)$", re.I)


def _yoyo_directives(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("--"):
            break
        match = _YOYO_DIRECTIVE.match(line)
        if match:
            key = match.group(1).lower()
            found[key] = f"{found.get(key, '')} {match.group(2)}".strip()
    return found


def collect_yoyo(folder: Folder) -> Found:
    found = Found()
    files = {}
    for path in folder.files():
        if path.name.endswith(".rollback.sql"):
            found.listed.append(folder.shown(path))
        elif path.name.startswith("post-apply"):
            found.warn(folder.shown(path), "a yoyo post-apply hook: not part of the history")
        else:
            files[path.stem] = path
    for path in sorted(folder.path.glob("*.py")):
        found.warn(folder.shown(path), "a yoyo migration in Python: erdgen cannot read it")
    directives = {
        stem: _yoyo_directives(path.read_text(encoding="utf-8-sig", errors="replace"))
        for stem, path in files.items()
    }
    for position, stem in enumerate(_topological(files, directives, folder)):
        transactional = directives[stem].get("transactional", "true").lower() != "false"
        transaction = Transaction.FILE if transactional else Transaction.NONE
        entry = Entry(files[stem], stem, (position,), stem, transaction=transaction)
        found.migrations.append(load(folder, entry))
    return found


def _topological(
    files: dict[str, Path], directives: dict[str, dict[str, str]], folder: Folder
) -> list[str]:
    done: list[str] = []
    visiting: set[str] = set()

    def visit(stem: str) -> None:
        if stem in done:
            return
        if stem in visiting:
            raise DiscoveryError("yoyo -- depends: cycle", Location(folder.shown(files[stem])))
        visiting.add(stem)
        for dependency in directives[stem].get("depends", "").split():
            if dependency not in files:
                raise DiscoveryError(
                    f"yoyo -- depends: {dependency} is not in the folder",
                    Location(folder.shown(files[stem])),
                )
            visit(dependency)
        visiting.discard(stem)
        done.append(stem)

    for stem in sorted(files):
        visit(stem)
    return done


_CHANGESET = re.compile(r'^\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+)(.*)$', re.I)
_ROLLBACK = re.compile(r"^\s*--\s*rollback\b", re.I)
_LIQUIBASE = re.compile(r"^\s*--\s*liquibase\s+formatted", re.I)


def collect_liquibase(folder: Folder) -> Found:
    """Every changeset of the formatted-SQL changelogs, in the order a master changelog
    includes them (``include file``: as listed; ``includeAll path``: by path), else the
    folder's changelogs by path; changesets in file order."""
    found = Found()
    for path in _changelogs(folder):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        if _LIQUIBASE.match(text.split("\n", 1)[0]):
            _changesets(folder, path, text, found)
    return found


# <include file="x.sql"/>, - include: {file: x.sql}, and the same for includeAll path
_INCLUDE = re.compile(
    r"""(?P<kind>includeAll|include)\b[^>\n]*?\b(?P<key>file|path)\s*[=:]\s*["']?(?P<where>[^"'\s}>]+)"""
)


def _changelogs(folder: Folder) -> list[Path]:
    for master in folder.files(".xml") + folder.files(".yaml") + folder.files(".yml"):
        text = master.read_text(encoding="utf-8", errors="replace")
        included = [_included(master, m) for m in _INCLUDE.finditer(text)]
        if included:
            return [path for paths in included for path in paths]
    return folder.files()


def _included(master: Path, match: re.Match[str]) -> list[Path]:
    """The files one include names, relative to the master (or its folder's parent)."""
    where = match["where"]
    candidates = (master.parent / where, master.parent.parent / where)
    target = next((c for c in candidates if c.exists()), candidates[0])
    if match["kind"] == "includeAll":
        return sorted(p for p in target.rglob("*") if p.suffix.lower() == ".sql")
    return [target] if target.is_file() else []


def _changesets(folder: Folder, path: Path, text: str, found: Found) -> None:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _CHANGESET.match(line)]
    for order, start in enumerate(starts):
        end = starts[order + 1] if order + 1 < len(starts) else len(lines)
        match = _CHANGESET.match(lines[start])
        assert match is not None
        author, ident, rest = match.group(1).strip('"'), match.group(2).strip('"'), match.group(3)
        attributes = dict(re.findall(r"(\w+):(\S+)", rest))
        dbms = attributes.get("dbms", "")
        if dbms and not {"sqlite", "all"} & set(dbms.lower().split(",")):
            found.warn(
                f"{folder.shown(path)}:{start + 1}", f"changeset {ident} is for {dbms}: skipped"
            )
            continue
        keep = [start < i < end and not _ROLLBACK.match(line) for i, line in enumerate(lines)]
        repeatable = (
            attributes.get("runAlways") == "true" or attributes.get("runOnChange") == "true"
        )
        transaction = (
            Transaction.NONE if attributes.get("runInTransaction") == "false" else Transaction.FILE
        )
        key = f"{ident}::{author}::{folder.inner(path)}"

        def up(source: Source, shown: str, keep: list[bool] = keep) -> str:
            return mask(source.text, keep)

        entry = Entry(
            path,
            key,
            (folder.inner(path), order),
            ident,
            label=ident,
            transaction=transaction,
            kind=Kind.REPEATABLE if repeatable else Kind.VERSIONED,
        )
        found.migrations.append(load(folder, entry, up=up))


_VERSION_DIR = re.compile(r"^\d+(\.\d+)+$")


def collect_version_dirs(folder: Folder) -> Found:
    """Deltas in (dir version, file number) order; the top-level unnumbered ``.sql`` is a
    snapshot of the whole schema, not a step."""
    found = Found()
    for subdir in folder.subdirs():
        if not _VERSION_DIR.match(subdir.name):
            continue
        version = [int(part) for part in subdir.name.split(".")]
        for path in sorted(subdir.glob("*.sql")):
            number = re.match(r"\d+", path.name)
            key = f"{subdir.name}/{path.name}"
            padded = (version + [0] * 6)[:6]
            order: tuple[int | str, ...] = (
                *padded,
                int(number.group(0)) if number else 10**9,
                path.name,
            )
            name = path.stem.split("_", 1)[-1]
            found.migrations.append(load(folder, Entry(path, key, order, name)))
    found.migrations.sort(key=lambda m: m.sort_key)
    for path in folder.files():
        if not re.match(r"\d", path.name):
            found.snapshots.append(load(folder, Entry(path, path.name, (0,), path.stem)))
    return found
