"""Entries dated in a period that were added or changed after its close started, from git.

The close record keeps the commit that was HEAD when the close first ran. The ledger files
as they were at that commit are compared with the files now, entry by entry: entries are
compared as parsed (before beancount fills in elided amounts), so the two sides are read
the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from beancount.core import data
from beancount.parser import parser

from bo.books import Books
from bo.fingerprint import entry_text
from bo.io import git, git_toplevel
from bo.periods import Period


@dataclass(frozen=True)
class LateEntries:
    added: list[data.Transaction] = field(default_factory=list)
    changed: list[data.Transaction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def late_entries(books: Books, period: Period, commit: str | None) -> LateEntries:
    """Transactions dated in `period` that are not in the ledger as of `commit`."""
    if commit is None:
        return LateEntries()
    top = git_toplevel(books.root)
    if top is None:
        return LateEntries(
            notes=["not in git: entries added after the close started cannot be told"]
        )
    files = {}
    for name in books.ledger.files:
        path = Path(name).resolve()
        if path.is_relative_to(top):
            files[path.relative_to(top).as_posix()] = path
    if not files:
        return LateEntries()
    known = git(top, "rev-parse", "-q", "--verify", f"{commit}^{{commit}}", check=False).strip()
    if not known:
        return LateEntries(
            notes=[f"commit {commit[:12]} (where the close started) is not in this repository"]
        )
    changed_files = git(top, "diff", "--name-only", commit, "--", *files, check=False).split()
    added, changed = [], []
    for name in sorted(set(changed_files) & set(files)):
        before = git(top, "show", f"{commit}:{name}", check=False)
        path = files[name]
        now = _in_period(_parse(path.read_text(encoding="utf-8"), path), period)
        then = _in_period(_parse(before, path), period)
        old_texts = {entry_text(e) for e in then}
        new_texts = {entry_text(e) for e in now}
        gone = {_key(e) for e in then if entry_text(e) not in new_texts}
        for entry in now:
            if entry_text(entry) in old_texts or "schedule" in entry.meta:
                continue
            (changed if _key(entry) in gone else added).append(entry)
    return LateEntries(added, changed)


def _parse(text: str, path: Path) -> list[data.Directive]:
    entries, _, _ = parser.parse_string(text, report_filename=str(path))
    return entries


def _in_period(entries: Iterable[data.Directive], period: Period) -> list[data.Transaction]:
    return [
        e for e in entries if type(e) is data.Transaction and period.start <= e.date <= period.end
    ]


def _key(entry: data.Transaction) -> tuple:
    # The same date and payee (or narration) on both sides: one entry changed in place.
    return (entry.date, entry.payee or entry.narration)
