"""`bo audit`: who changed which entries when, from git history; read only.

Each commit's changes to ledger files are reported as entries (added, removed, changed with
the fields that changed), not lines. A commit is diffed once: the result is cached by
commit id in `.bo/cache/audit/`, so a history of thousands of commits is read again in
seconds. Flags: changes to entries inside a period that was locked when the commit was
made, hand edits to files bo owns (closing entries, close records), and sign-offs made over
entries that have changed since.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

from bo.close.record import CLOSES_DIR, entry_text
from bo.io import BO_DIR, atomic_write, git
from bo.periods import Period

BO_OWNED = ("ledgers/closing/", "closes/")  # written by bo close alone
CACHE = f"{BO_DIR}/cache/audit"
SEP = "\x1f"


@dataclass
class EntryChange:
    change: str  # added | removed | changed
    where: str  # file:line (in the commit's version; the parent's for removed)
    date: str
    what: str
    fields: list[str] = field(default_factory=list)


@dataclass
class CommitAudit:
    commit: str
    author: str
    email: str
    when: str
    subject: str
    changes: list[EntryChange]
    flags: list[str] = field(default_factory=list)


def _describe(entry: data.Transaction) -> str:
    amount = next((str(p.units) for p in entry.postings if p.units is not None), "")
    return " ".join(t for t in (entry.payee, entry.narration, amount) if t)


def _entries(text: str) -> list[data.Transaction]:
    entries, _, _ = parser.parse_string(text)
    return [e for e in entries if isinstance(e, data.Transaction)]


def _fields(old: data.Transaction, new: data.Transaction) -> list[str]:
    changed = [
        name
        for name in ("date", "flag", "payee", "narration", "tags", "links")
        if getattr(old, name) != getattr(new, name)
    ]
    hidden = {"filename", "lineno", "__tolerances__", "__automatic__"}
    if {k: v for k, v in old.meta.items() if k not in hidden} != {
        k: v for k, v in new.meta.items() if k not in hidden
    }:
        changed.append("meta")
    if [(p.account, str(p.units)) for p in old.postings] != [
        (p.account, str(p.units)) for p in new.postings
    ]:
        changed.append("postings")
    return changed


def diff_file(path: str, before: str, after: str) -> list[EntryChange]:
    """The entries added, removed and changed between two versions of one ledger file."""
    old, new = _entries(before), _entries(after)
    old_keys = {entry_text(e): e for e in old}
    new_keys = {entry_text(e): e for e in new}
    removed = [e for k, e in old_keys.items() if k not in new_keys]
    added = [e for k, e in new_keys.items() if k not in old_keys]
    # A removed and an added entry on one date with one payee (or narration) is one entry
    # changed in place.
    pending: dict[tuple, list[data.Transaction]] = defaultdict(list)
    for entry in removed:
        pending[(entry.date, entry.payee or entry.narration)].append(entry)
    changes = []
    for entry in added:
        key = (entry.date, entry.payee or entry.narration)
        if pending.get(key):
            before_entry = pending[key].pop(0)
            changes.append(
                EntryChange("changed", f"{path}:{entry.meta['lineno']}", str(entry.date),
                            _describe(entry), _fields(before_entry, entry))
            )  # fmt: skip
        else:
            changes.append(
                EntryChange("added", f"{path}:{entry.meta['lineno']}", str(entry.date),
                            _describe(entry))
            )  # fmt: skip
    for left in pending.values():
        for entry in left:
            changes.append(
                EntryChange("removed", f"{path}:{entry.meta['lineno']}", str(entry.date),
                            _describe(entry))
            )  # fmt: skip
    return changes


def _show(root: Path, rev: str, path: str) -> str:
    return git(root, "show", f"{rev}:{path}", check=False)


def _commit_changes(root: Path, commit: str, parent: str | None, files: list[str]) -> dict:
    cache = root / CACHE / f"{commit}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    changes = []
    for path in files:
        if not path.endswith(".beancount"):
            continue
        before = _show(root, parent, path) if parent else ""
        after = _show(root, commit, path)
        changes += [asdict(c) for c in diff_file(path, before, after)]
    result = {"changes": changes, "files": files}
    with contextlib.suppress(OSError):
        atomic_write(cache, json.dumps(result), durable=False)
    return result


def _close_records(root: Path) -> list[tuple[Period, dict[str, Any]]]:
    """Every close record at HEAD that reads; a broken one is bo check's to report."""
    from bo.errors import BoError
    from bo.yamlfile import load_record_file

    found = []
    for path in sorted((root / CLOSES_DIR).glob("*.yaml")):
        try:
            found.append((Period.parse(path.stem), load_record_file(path) or {}))
        except BoError:
            continue
    return found


def _locks(root: Path) -> dict[Period, datetime]:
    """When each period was locked (from the close records at HEAD)."""
    found = {}
    for period, record in _close_records(root):
        lock = record.get("locked")
        if isinstance(lock, dict) and lock.get("at"):
            found[period] = datetime.fromisoformat(str(lock["at"]))
    return found


def audit(root: Path, since: str | None = None, period: Period | None = None) -> list[CommitAudit]:
    spec = f"{since}..HEAD" if since else "HEAD"
    log = git(
        root, "log", "--reverse", "--first-parent", "-m",
        f"--format=%x1e%H{SEP}%P{SEP}%an{SEP}%ae{SEP}%aI{SEP}%s",
        "--name-only", spec, "--", "ledgers", "closes",
    )  # fmt: skip
    locks = _locks(root)
    # A period is locked for every commit after the close commit that locked it; a range
    # that starts later sees it locked by the record's time.
    locked_by_commit: set[Period] = set()
    commits = []
    for block in log.split("\x1e"):
        if not block.strip():
            continue
        head, *names = block.strip("\n").split("\n")
        sha, parents, author, email, when, subject = head.split(SEP)
        files = [n for n in names if n.strip()]
        parent = parents.split()[0] if parents else None
        result = _commit_changes(root, sha, parent, files)
        changes = [EntryChange(**c) for c in result["changes"]]
        made = datetime.fromisoformat(when)
        if period is not None:
            changes = [
                c for c in changes if period.start <= date.fromisoformat(c.date) <= period.end
            ]
        flags = []
        for change in changes:
            day = date.fromisoformat(change.date)
            where = Period.containing(day)
            locked_at = locks.get(where)
            locked = where in locked_by_commit or (locked_at is not None and made > locked_at)
            if locked and not subject.startswith("close "):
                flags.append(
                    f"{change.change} an entry in locked period {Period.containing(day)}: "
                    f"{change.where} {change.what}"
                )
        # The first commit brings the books as they were: nothing in it is an edit.
        if parent is not None and not subject.startswith("close "):
            for name in files:
                if name.startswith(BO_OWNED):
                    flags.append(f"{name}: bo's file, edited outside bo close")
        closed = re.match(r"close (\d{4}-\d{2}): .*locked$", subject)
        if closed:
            locked_by_commit.add(Period.parse(closed.group(1)))
        if changes or flags or period is None:
            commits.append(CommitAudit(sha, author, email, when, subject, changes, flags))
    return commits


def stale_signoffs(root: Path, entries: list[data.Directive]) -> list[str]:
    """Sign-offs whose digest no longer matches the period's entries."""
    from bo.close.record import period_digest

    found = []
    for period, record in _close_records(root):
        digest = period_digest(entries, period)
        for step, signed in (record.get("signoffs") or {}).items():
            for role, sign in (signed or {}).items():
                if isinstance(sign, dict) and sign.get("digest") != digest:
                    found.append(
                        f"{period} {step}: {role} sign-off by {sign.get('name')} was made over "
                        "entries that have changed since"
                    )
    return found


def as_json(commits: list[CommitAudit], stale: list[str]) -> dict[str, Any]:
    return {"commits": [asdict(c) for c in commits], "stale_signoffs": stale}
