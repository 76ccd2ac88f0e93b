"""Locked periods, and the evidence a lock is checked against.

A close that locks a period writes the lock (a fingerprint of every entry in it) into its
record and into the message of the annotated git tag it makes, `close/2025-09` (or
`close/quarterly/2025-Q3` for another checklist). The record is a file in the working
tree that anyone can rewrite; the tag is not, so in git the tag is the evidence: a record
rewritten to match an edited entry, or stripped of its `locked:`, is itself a finding, and
the entries are checked against the tag. Only `bo reopen` removes a tag. A tag made by an
older bo without the lock in its message is read from the record of the commit it tags.
Outside git, or with the tags not fetched (a shallow CI checkout), the record is what
there is, and the missing tag is a warning.

`bo check` and the beancount plugin (`bo.plugins.lock`) both call `lock_violations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from bo.close.git import TAG_PREFIX, in_git
from bo.close.record import Lock, describe, fingerprints, period_entries, read_record
from bo.errors import BadInputError, Finding, RefusedError, SettingsError, Source
from bo.io import git
from bo.paths import MONTH_END, record_files, record_path
from bo.periods import Period
from bo.yamlfile import FAST_DUMPER, load_fast

if TYPE_CHECKING:
    from beancount.core import data

_EVIDENCE = "Bo-Lock:"  # the line after which a tag's message holds the lock, as YAML


@dataclass(frozen=True)
class Dates:
    """The dates a lock covers, as `period_entries` asks of a period."""

    start: date
    end: date


@dataclass(frozen=True)
class LockedPeriod:
    label: str  # `2025-09`, or `quarterly 2025-Q3`
    checklist: str
    key: str
    path: Path  # its record
    lock: Lock
    evidence: str  # "tag" or "record"

    @property
    def dates(self) -> Dates:
        start = self.lock.start or str(Period.parse(self.key).start)
        end = self.lock.end or str(Period.parse(self.key).end)
        return Dates(date.fromisoformat(start), date.fromisoformat(end))


def tag_name(period: Any, checklist: str = MONTH_END) -> str:
    """The tag of a locked close: `close/2025-09`, `close/quarterly/2025-Q3`."""
    if checklist == MONTH_END:
        return f"{TAG_PREFIX}{period}"
    return f"{TAG_PREFIX}{checklist}/{period}"


def _from_tag(name: str) -> tuple[str, str]:
    rest = name.removeprefix(TAG_PREFIX)
    checklist, _, key = rest.rpartition("/")
    return checklist or MONTH_END, key


def lock_message(subject: str, period: Any, checklist: str, lock: dict[str, Any]) -> str:
    """An annotated tag's message: a subject line, then the lock as YAML."""
    evidence = {"period": str(period), "checklist": checklist, **lock}
    body = yaml.dump(evidence, Dumper=FAST_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    return f"{subject}\n\n{_EVIDENCE}\n{body}"


def _parse_evidence(text: str) -> Lock | None:
    _, found, body = text.partition(f"{_EVIDENCE}\n")
    if not found:
        return None
    try:
        loaded = load_fast(body, "tag message")
        fields = {k: v for k, v in loaded.items() if k in Lock.model_fields}
        return Lock.model_validate(fields)
    except (SettingsError, AttributeError, ValidationError):
        return None


def tagged_locks(root: Path) -> dict[tuple[str, str], Lock | None]:
    """Every close tag of the books' repository: (checklist, period) -> the lock it holds
    (None for a tag whose lock cannot be read). Empty outside git."""
    if not in_git(root):
        return {}
    listed = git(
        root, "for-each-ref", "--format=%(refname:strip=2)%00%(objecttype)%00%(contents)%1e",
        f"refs/tags/{TAG_PREFIX}", check=False,
    )  # fmt: skip
    found: dict[tuple[str, str], Lock | None] = {}
    for block in listed.split("\x1e"):
        name, _, rest = block.strip("\n").partition("\0")
        if not name:
            continue
        kind, _, message = rest.partition("\0")
        where = _from_tag(name)
        lock = _parse_evidence(message) if kind == "tag" else None
        if lock is None:
            lock = _committed_lock(root, name, *where)
        found[where] = lock
    return found


def _committed_lock(root: Path, tag: str, checklist: str, key: str) -> Lock | None:
    """The lock in the record of the commit `tag` (a tag or a commit) points at."""
    path = record_path(Path(), key, checklist).as_posix()
    text = git(root, "show", f"{tag}^{{commit}}:./{path}", check=False)
    try:
        loaded = load_fast(text, path) or {}
        return Lock.model_validate(loaded.get("locked")) if loaded.get("locked") else None
    except (SettingsError, AttributeError, ValidationError):
        return None


def locked_periods(root: Path) -> tuple[list[LockedPeriod], list[Finding]]:
    """Every locked period with the lock to check it against, and findings: a record that
    does not read, a record that disagrees with its tag, a lock without its tag."""
    tags = tagged_locks(root)
    tracked = bool(tags) or in_git(root)
    locks: dict[tuple[str, str], LockedPeriod] = {}
    problems: list[Finding] = []
    for checklist, key, path in record_files(root):
        if checklist == MONTH_END:
            try:
                Period.parse(key)
            except BadInputError:
                continue
        try:
            record = read_record(path)
        except SettingsError as exc:
            problems.extend(
                Finding(p.source, f"close record: {p.message}", "close-record")
                for p in exc.problems
            )
            continue
        label = key if checklist == MONTH_END else f"{checklist} {key}"
        tagged = (checklist, key) in tags
        if record.get("locked"):
            lock = Lock.model_validate(record["locked"])
            if not tagged and tracked:
                problems.append(
                    Finding(
                        Source(str(path)),
                        f"{label} is locked, but its tag {tag_name(key, checklist)} is "
                        f"missing (fetch the tags; bo close {_command(key, checklist)} "
                        "makes it again)",
                        "locked-period",
                        "warning",
                    )
                )
            locks[(checklist, key)] = LockedPeriod(label, checklist, key, path, lock, "record")
    for (checklist, key), lock in tags.items():
        label = key if checklist == MONTH_END else f"{checklist} {key}"
        path = record_path(root, key, checklist)
        shown = Source(str(path))
        held = locks.get((checklist, key))
        if lock is None:
            problems.append(
                Finding(
                    shown,
                    f"tag {tag_name(key, checklist)} holds no lock bo can read; "
                    "the record's lock is checked instead",
                    "locked-period",
                )
            )
            continue
        if held is None:
            problems.append(
                Finding(
                    shown,
                    f"{label} is locked by tag {tag_name(key, checklist)}, but "
                    f"{path.relative_to(root).as_posix()} does not say so: a lock is undone "
                    f"only by bo reopen (the tag's lock is checked)",
                    "locked-period",
                )
            )
        elif held.lock.digest != lock.digest or held.lock.entries != lock.entries:
            problems.append(
                Finding(
                    shown,
                    f"{path.relative_to(root).as_posix()}: its lock differs from the one in "
                    f"tag {tag_name(key, checklist)}, which is what is checked (the record "
                    "was edited outside bo)",
                    "locked-period",
                )
            )
        locks[(checklist, key)] = LockedPeriod(label, checklist, key, path, lock, "tag")
    return list(locks.values()), problems


def _command(key: str, checklist: str) -> str:
    return key if checklist == MONTH_END else f"{key} --checklist {checklist}"


def lock_violations(
    entries: list[data.Directive], root: Path, *, strict: bool = True
) -> list[Finding]:
    """Entries added, changed or removed in locked periods, each named, and the findings
    about the locks themselves.

    A close record that does not read is bad input (raised) when `strict`; the beancount
    plugin passes `strict=False` and gets it as one more finding, since a plugin that
    raises takes bean-check and fava down with it.
    """
    locks, problems = locked_periods(root)
    unreadable = [p for p in problems if p.check == "close-record"]
    if unreadable and strict:
        raise SettingsError(unreadable)
    findings = list(problems)
    for held in locks:
        current = fingerprints(period_entries(entries, held.dates))
        keys = {key for key, _ in current}
        lock = held.lock
        label = held.label
        reopen = f"bo reopen {_command(held.key, held.checklist)} --reason ..."
        for key, entry in current:
            if key not in lock.entries:
                findings.append(
                    Finding(
                        Source.from_meta(entry.meta),
                        f"entry in locked period {label} was added or changed after the "
                        f"close: {describe(entry)} ({reopen} to change it)",
                        "locked-period",
                        entry=entry,
                    )
                )
        for key, what in lock.entries.items():
            if key not in keys:
                findings.append(
                    Finding(
                        Source(str(held.path)),
                        f"entry in locked period {label} was removed or changed after the "
                        f"close: {what}",
                        "locked-period",
                    )
                )
    return findings


def repair_tag(root: Path, period: Any, checklist: str = MONTH_END) -> str | None:
    """Tag a locked period whose tag is missing (a run killed between its commit and its
    tag, a tag deleted by hand), on the commit that locked it and with that commit's lock;
    what was done, in a line (None when the tag is there or there is nothing to tag)."""
    from bo.close.record import load_record

    if not in_git(root) or not (load_record(root, period, checklist).get("locked")):
        return None
    name = tag_name(period, checklist)
    if git(root, "rev-parse", "-q", "--verify", f"refs/tags/{name}", check=False).strip():
        return None
    path = record_path(Path(), period, checklist).as_posix()
    commit = git(root, "log", "-1", "--format=%H", "--", f"./{path}", check=False).strip()
    lock = _committed_lock(root, commit, checklist, str(period)) if commit else None
    if lock is None:
        return None
    current = Lock.model_validate(load_record(root, period, checklist)["locked"])
    if current.digest != lock.digest or current.entries != lock.entries:
        raise RefusedError(
            f"{path}: its lock differs from the one committed in {commit[:10]}, which locked "
            f"{period}; restore it (git checkout -- {path}) and run again"
        )
    label = str(period) if checklist == MONTH_END else f"{checklist} {period}"
    message = lock_message(f"close {label}: locked", period, checklist, lock.model_dump())
    git(root, "tag", "-a", "-F", "-", name, commit, input=message)
    return f"tagged {name} on {commit[:10]}, the commit that locked {label} (the tag was missing)"
