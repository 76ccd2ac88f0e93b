"""`bo audit`: who changed which entries when, from git history; read only.

Each commit's changes to ledger files are reported as entries (added, removed, changed with
the fields that changed), not lines. A commit is diffed once: the result is kept in bo's
cache (outside the books, where a clone cannot plant a forged history) by commit id, so a
history of thousands of commits is read again in seconds; the first read parses only the part
of each file a commit changed.

Flags: changes to entries inside a period that was locked when the commit was made (the
lock history comes from the close records as git holds them at each commit, not from
dates), hand edits to files bo owns (closing entries, close records), close records git
holds that are not valid YAML, and sign-offs made over entries that have changed since.
A commit is bo's when its `Bo-Command:` trailer says so and its content is what that
command writes (bo.provenance): a typed trailer alone hides nothing. Each commit shows
whether it was signed (git's `commit.gpgsign`) and how its signature checked out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

from bo import cache
from bo.close.record import period_digest
from bo.errors import BadInputError, SettingsError
from bo.fingerprint import HIDDEN_META
from bo.io import NO_BLOB, GitBlobs, GitError, git, git_blobs, has_git
from bo.paths import CLOSES_DIR
from bo.periods import Period
from bo.yamlfile import load_fast, read_text

BO_OWNED = ("ledgers/closing/", f"{CLOSES_DIR}/")  # written by bo alone
# The diff format is part of the key: a cache written by an older bo is not read.
CACHE = "audit-2"
SEP = "\x1f"
TRAILER = "Bo-Command"
# bo's own commits carry a `Bo-Command:` trailer; closes committed before the trailer
# existed are known by their exact subject, never by a subject that merely starts "close ".
LEGACY_CLOSE = re.compile(r"close \d{4}-\d{2}: \d+/\d+ steps, (?:locked|open)")
RECORD = re.compile(rf"{CLOSES_DIR}/(\d{{4}}-\d{{2}})\.yaml")
DISMISSALS = "dupes/dismissed.yaml"
# git's %G?: G good, U good but of unknown validity, X/Y expired, R revoked, E cannot be
# checked (no key or allowed-signers file here), B bad, N none.
SIGNATURES = {"G": "good", "U": "unverified", "X": "good", "Y": "good", "E": "unverified",
              "R": "bad", "B": "bad", "N": "unsigned", "": "unsigned"}  # fmt: skip


@dataclass
class EntryChange:
    change: str  # added | removed | changed
    where: str  # file:line (in the commit's version; the parent's for removed)
    date: str
    what: str
    fields: list[str] = field(default_factory=list)
    was: str = ""  # a changed entry's date before the change, when it moved


@dataclass
class CommitAudit:
    commit: str
    author: str
    email: str
    when: str
    subject: str
    changes: list[EntryChange]
    flags: list[str] = field(default_factory=list)
    by_bo: bool = False
    command: str = ""  # the bo command that made it (its trailer), when it is bo's
    signature: str = "unsigned"  # good | unverified | bad | unsigned


@dataclass
class AuditResult:
    commits: list[CommitAudit]
    stale_signoffs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.stale_signoffs) or any(c.flags for c in self.commits)


# --- entries as content ----------------------------------------------------------------------


def _meta(meta: dict[str, Any] | None) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in (meta or {}).items() if k not in HIDDEN_META))


def _plain(value: Any) -> Any:
    if isinstance(value, data.Posting):
        return (
            value.account,
            str(value.units),
            str(value.cost),
            str(value.price),
            value.flag,
            _meta(value.meta),
        )
    if isinstance(value, dict):
        return _meta(value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(str(v) for v in value))
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return tuple(_plain(v) for v in value)
    return str(value)


def _content(entry: data.Directive) -> dict[str, Any]:
    """Every field of a directive as comparable text; `meta` without where it sits."""
    found = {name: _plain(getattr(entry, name)) for name in entry._fields if name != "meta"}
    found["meta"] = _meta(entry.meta)
    return found


def _key(entry: data.Directive) -> str:
    return repr((type(entry).__name__, sorted(_content(entry).items())))


def _describe(entry: data.Directive) -> str:
    if isinstance(entry, data.Transaction):
        amount = next((str(p.units) for p in entry.postings if p.units is not None), "")
        return " ".join(t for t in (entry.payee, entry.narration, amount) if t)
    kind = type(entry).__name__.lower()
    parts = [
        str(getattr(entry, name))
        for name in ("account", "currency", "amount", "comment", "filename", "type")
        if getattr(entry, name, None) is not None and name in entry._fields
    ]
    return " ".join([kind, *parts])


def _changed_fields(old: data.Directive, new: data.Directive) -> list[str]:
    before, after = _content(old), _content(new)
    return [name for name in after if before.get(name) != after[name]]


def _postings(entry: data.Directive) -> tuple:
    if isinstance(entry, data.Transaction):
        return tuple(sorted((p.account, str(p.units)) for p in entry.postings))
    return tuple(
        str(getattr(entry, name))
        for name in ("account", "currency", "amount")
        if name in entry._fields
    )


def _text(entry: data.Directive) -> tuple:
    return (getattr(entry, "payee", None), getattr(entry, "narration", None))


# A removed and an added entry are one entry changed in place when they agree on one of these,
# tried from the strictest down: same date and text (amounts changed), same date and one of
# payee or narration, same text and postings (the date moved), same date and postings (the
# text was reworded), and last the same postings (both moved and reworded).
_PAIRINGS: tuple[Callable[[data.Directive], tuple], ...] = (
    lambda e: (type(e), e.date, _text(e), getattr(e, "account", None)),
    lambda e: (type(e), e.date, _text(e)[0] or _text(e)[1], getattr(e, "account", None)),
    lambda e: (type(e), _text(e), _postings(e)),
    lambda e: (type(e), e.date, _postings(e)),
    lambda e: (type(e), _postings(e)),
)


def _parse(text: str) -> list[data.Directive]:
    entries, _, _ = parser.parse_string(text)
    return [e for e in entries if hasattr(e, "date")]


def diff_entries(
    path: str, old: list[data.Directive], new: list[data.Directive], line_offset: int = 0
) -> list[EntryChange]:
    """The entries added, removed and changed between two lists of one file's directives.

    Entries are counted, not keyed: a verbatim copy of an entry added next to it is an
    addition, the commonest duplicate of all.
    """
    have = Counter(_key(e) for e in old)
    removed, added = [], []
    for entry in new:
        key = _key(entry)
        if have[key]:
            have[key] -= 1
        else:
            added.append(entry)
    for entry in reversed(old):  # the later copies of identical entries are the ones gone
        key = _key(entry)
        if have[key]:
            have[key] -= 1
            removed.append(entry)
    removed.reverse()

    def where(entry: data.Directive) -> str:
        return f"{path}:{entry.meta['lineno'] + line_offset}"

    pairs: list[tuple[data.Directive, data.Directive]] = []
    for pairing in _PAIRINGS:
        pending: dict[tuple, list[data.Directive]] = defaultdict(list)
        for entry in removed:
            pending[pairing(entry)].append(entry)
        unmatched = []
        for entry in added:
            bucket = pending.get(pairing(entry))
            if bucket:
                pairs.append((bucket.pop(0), entry))
            else:
                unmatched.append(entry)
        added = unmatched
        removed = [e for bucket in pending.values() for e in bucket]
    changes = [
        EntryChange(
            "changed",
            where(after),
            str(after.date),
            _describe(after),
            _changed_fields(before, after),
            str(before.date) if before.date != after.date else "",
        )
        for before, after in pairs
    ]
    changes += [EntryChange("added", where(e), str(e.date), _describe(e)) for e in added]
    changes += [EntryChange("removed", where(e), str(e.date), _describe(e)) for e in removed]
    changes.sort(key=lambda c: (int(c.where.rsplit(":", 1)[1]), c.change))
    return changes


def _common_prefix(a: str, b: str) -> int:
    n, i, step = min(len(a), len(b)), 0, 8192
    while i + step <= n and a[i : i + step] == b[i : i + step]:
        i += step
    low, high = i, min(i + step, n)  # the longest equal head is in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if a[i:mid] == b[i:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    la, lb, i, step = len(a), len(b), 0, 8192
    while i + step <= limit and a[la - i - step : la - i] == b[lb - i - step : lb - i]:
        i += step
    low, high = i, min(i + step, limit)  # the longest equal tail is in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if a[la - mid : la - i] == b[lb - mid : lb - i]:
            low = mid
        else:
            high = mid - 1
    return low


def _indented(text: str, at: int) -> bool:
    return at < len(text) and text[at] in " \t"


def changed_span(before: str, after: str) -> tuple[int, int, int]:
    """(start, end in before, end in after): the smallest run of whole directives that holds
    every difference. Both texts agree outside it, so only it needs parsing."""
    prefix = _common_prefix(before, after)
    suffix = _common_suffix(before, after, min(len(before), len(after)) - prefix)
    # Back to the start of a directive: a line that is not indented in either version.
    start = before.rfind("\n", 0, prefix) + 1
    while start > 0 and (_indented(before, start) or _indented(after, start)):
        start = before.rfind("\n", 0, start - 1) + 1
    # On to the start of the next directive inside the common tail.
    tail_a, tail_b = len(before) - suffix, len(after) - suffix
    offset = 0
    while True:
        at_a, at_b = tail_a + offset, tail_b + offset
        if at_a >= len(before):
            offset = suffix
            break
        line_start = (at_a == 0 or before[at_a - 1] == "\n") and (
            at_b == 0 or after[at_b - 1] == "\n"
        )
        if line_start and not _indented(before, at_a):
            break
        found = before.find("\n", at_a)
        offset = suffix if found < 0 else found + 1 - tail_a
    return start, tail_a + offset, tail_b + offset


def diff_file(path: str, before: str, after: str) -> list[EntryChange]:
    """The entries added, removed and changed between two versions of one ledger file."""
    if before == after:
        return []
    start, end_before, end_after = changed_span(before, after)
    offset = before.count("\n", 0, start)
    return diff_entries(
        path, _parse(before[start:end_before]), _parse(after[start:end_after]), offset
    )


# --- git --------------------------------------------------------------------------------------


@dataclass
class _FileChange:
    path: str
    old: str  # blob ids; NO_BLOB when absent
    new: str


@dataclass
class _Commit:
    sha: str
    parent: str | None
    author: str
    email: str
    when: str
    subject: str
    by_bo: bool
    files: list[_FileChange]
    command: str = ""  # what its trailer (or a legacy close subject) says bo did
    signature: str = "unsigned"


def _rev(root: Path, rev: str) -> str | None:
    found = git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
        check=False,
    )  # fmt: skip
    return found.strip() or None


def _git_log(root: Path, *args: str) -> str:
    """`git log ARGS`; a failure says what git said, not the format string it was given."""
    try:
        return git(root, "-c", "core.quotepath=off", "log", *args)
    except GitError as exc:
        said = exc.message.partition(" failed: ")[2] or exc.message
        raise GitError(f"{root}: reading git history failed: {said}") from None


def _history(root: Path) -> list[_Commit]:
    """Every first-parent commit touching ledger files or close records, oldest first."""
    trailer = f"%(trailers:key={TRAILER},valueonly,separator=%x1d)"
    fmt = SEP.join(("%H", "%P", "%an", "%ae", "%aI", "%s", trailer, "%G?"))
    log = _git_log(
        root, "--reverse", "--first-parent", "-m", "--raw", "--no-abbrev", "--no-renames",
        "--relative", f"--format=%x1e{fmt}", "HEAD", "--", "*.beancount", f"{CLOSES_DIR}/",
        DISMISSALS,
    )  # fmt: skip
    commits = []
    for block in log.split("\x1e"):
        if not block.strip():
            continue
        head, *lines = block.strip("\n").split("\n")
        sha, parents, author, email, when, subject, trailer, signed = head.split(SEP)
        files = []
        for line in lines:
            if not line.startswith(":"):
                continue
            meta, _, path = line.partition("\t")
            _, _, old, new, _ = meta.split(" ", 4)
            files.append(_FileChange(path, old, new))
        command = trailer.split("\x1d")[0].strip()
        if not command and LEGACY_CLOSE.fullmatch(subject):
            command = subject.split(":")[0]
        parent = parents.split()[0] if parents else None
        commits.append(
            _Commit(
                sha, parent, author, email, when, subject, bool(command), files, command,
                SIGNATURES.get(signed.strip(), "unverified"),
            )
        )  # fmt: skip
    return commits


def _commit_changes(root: Path, commit: _Commit, blobs: GitBlobs) -> list[EntryChange]:
    folder = cache.books_folder(root) / CACHE
    known = cache.load(folder, commit.sha, commit.sha)
    if isinstance(known, list):
        return known
    changes = []
    for change in commit.files:
        if change.path.endswith(".beancount"):
            before, after = blobs.text(change.old), blobs.text(change.new)
            changes += diff_file(change.path, before, after)
    cache.store(folder, commit.sha, commit.sha, changes)
    return changes


def _not_bo(root: Path, commit: _Commit, blobs: GitBlobs) -> str | None:
    """Why a commit that says bo made it is not bo's work (bo.provenance); None when it is."""
    from bo.provenance import not_bo_because

    def schedules() -> list[Any]:
        from bo.close.schedules import SCHEDULES_DIR, ScheduleFile

        found = []
        names = git(root, "ls-tree", "--name-only", commit.sha, "--", f"{SCHEDULES_DIR}/")
        for name in names.split():
            if name.endswith(".yaml"):
                loaded = _yaml_or_none(blobs.text(f"{commit.sha}:./{name}"))
                try:
                    found += ScheduleFile.model_validate(loaded or {}).schedules
                except ValueError:
                    continue
        return found

    files = [(f.path, f.old, f.new) for f in commit.files]
    return not_bo_because(commit.command, files, commit.email, blobs.text, schedules)


def _yaml_or_none(text: str) -> Any:
    try:
        return load_fast(text, "<git>")
    except SettingsError:
        return None


def _record_lock(text: str) -> bool | None:
    """Whether a close record's text says its period is locked; None when it is not YAML."""
    try:
        loaded = load_fast(text, "close record")
    except SettingsError:
        return None
    return isinstance(loaded, dict) and isinstance(loaded.get("locked"), dict)


def _in_period(change: EntryChange, period: Period) -> bool:
    days = [change.date, change.was] if change.was else [change.date]
    return any(period.start <= date.fromisoformat(d) <= period.end for d in days)


def audit(root: Path, since: str | None = None, period: Period | None = None) -> AuditResult:
    """Every commit since `since` (first-parent), its entry changes and flags."""
    if not has_git():
        raise BadInputError("git is not installed; bo audit reads the books' git history")
    if not git(root, "rev-parse", "--git-dir", check=False).strip():
        raise BadInputError(f"{root}: not a git repository; bo audit reads its history")
    if _rev(root, "HEAD") is None:
        return AuditResult([], notes=["no commits yet: nothing to audit"])
    in_range: set[str] | None = None
    if since is not None:
        start = _rev(root, since)
        if start is None:
            raise BadInputError(
                f"--since {since}: no such commit, branch or tag in this repository"
            )
        listed = git(root, "rev-list", "--first-parent", f"{start}..HEAD")
        in_range = set(listed.split())
    locked: dict[Period, str] = {}  # period -> the commit that locked it, as history stands
    commits = []
    with git_blobs(root) as blobs:
        for commit in _history(root):
            wanted = in_range is None or commit.sha in in_range
            flags: list[str] = []
            changes = _commit_changes(root, commit, blobs) if wanted else []
            if period is not None:
                changes = [c for c in changes if _in_period(c, period)]
            for change in changes:
                for day in {change.date, change.was} - {""}:
                    holder = locked.get(Period.containing(date.fromisoformat(day)))
                    if holder:
                        flags.append(
                            f"{change.change} an entry in locked period "
                            f"{Period.containing(date.fromisoformat(day))} (locked by "
                            f"{holder[:10]}): {change.where} {change.what}"
                        )
            if commit.command and commit.parent is not None:
                why = _not_bo(root, commit, blobs)
                if why:
                    commit.by_bo = False
                    flags.append(f"says `{TRAILER}: {commit.command}`, but {why}")
            # The first commit brings the books as they were: nothing in it is an edit.
            if commit.parent is not None and not commit.by_bo:
                for name in sorted({f.path for f in commit.files}):
                    if name.startswith(BO_OWNED):
                        flags.append(f"{name}: bo's file, edited outside bo")
            # The lock a commit's record sets holds from the next commit on: the close commit
            # that locks a period may post into it.
            for change in commit.files:
                match = RECORD.fullmatch(change.path)
                if not match or change.new == NO_BLOB:
                    continue
                the_period = Period.parse(match.group(1))
                state = _record_lock(blobs.text(change.new))
                if state is None:
                    flags.append(
                        f"{change.path} is not valid YAML in this commit; its lock is "
                        "taken as it was"
                    )
                elif state and the_period not in locked:
                    locked[the_period] = commit.sha
                elif not state:
                    locked.pop(the_period, None)
            if wanted and (changes or flags or period is None):
                commits.append(
                    CommitAudit(
                        commit.sha,
                        commit.author,
                        commit.email,
                        commit.when,
                        commit.subject,
                        changes,
                        flags,
                        commit.by_bo,
                        commit.command if commit.by_bo else "",
                        commit.signature,
                    )
                )
    return AuditResult(commits)


def record_history(root: Path) -> dict[Period, list[tuple[datetime, dict[str, Any]]]]:
    """Each close record as every first-parent commit left it, oldest first, with the
    commit's time; versions that are not valid YAML are left out. Empty outside git."""
    if not git(root, "rev-parse", "--git-dir", check=False).strip() or not _rev(root, "HEAD"):
        return {}
    log = _git_log(
        root, "--reverse", "--first-parent", "-m", "--raw", "--no-abbrev", "--no-renames",
        "--relative", "--format=%x1e%cI", "HEAD", "--", f"{CLOSES_DIR}/",
    )  # fmt: skip
    found: dict[Period, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    with git_blobs(root) as blobs:
        for block in log.split("\x1e"):
            if not block.strip():
                continue
            head, *lines = block.strip("\n").split("\n")
            committed = datetime.fromisoformat(head.strip())
            for line in lines:
                meta, _, path = line.partition("\t")
                match = RECORD.fullmatch(path)
                if not line.startswith(":") or not match:
                    continue
                new = meta.split(" ")[3]
                if new == NO_BLOB:
                    continue
                try:
                    loaded = load_fast(blobs.text(new), path)
                except SettingsError:
                    continue
                if isinstance(loaded, dict):
                    found[Period.parse(match.group(1))].append((committed, loaded))
    return dict(found)


def _close_records(root: Path) -> list[tuple[Period, dict[str, Any]]]:
    """Every close record `closes/YYYY-MM.yaml` that reads; a broken one is flagged by the
    walk over history and by bo check."""
    found = []
    for path in sorted((root / CLOSES_DIR).glob("*.yaml")):
        match = RECORD.fullmatch(f"{CLOSES_DIR}/{path.name}")
        if not match:
            continue
        try:
            loaded = load_fast(read_text(path), str(path))
        except (SettingsError, OSError):
            continue
        if isinstance(loaded, dict):
            found.append((Period.parse(match.group(1)), loaded))
    return found


def stale_signoffs(root: Path, entries: list[data.Directive]) -> list[str]:
    """Sign-offs whose digest no longer matches the period's entries."""
    found = []
    for period, record in _close_records(root):
        digest = period_digest(entries, period)
        signoffs = record.get("signoffs")
        for step, signed in (signoffs if isinstance(signoffs, dict) else {}).items():
            for role, sign in (signed if isinstance(signed, dict) else {}).items():
                if isinstance(sign, dict) and sign.get("digest") != digest:
                    found.append(
                        f"{period} {step}: {role} sign-off by {sign.get('name')} was made over "
                        "entries that have changed since"
                    )
    return found


def as_json(result: AuditResult) -> dict[str, Any]:
    return {
        "commits": [asdict(c) for c in result.commits],
        "stale_signoffs": result.stale_signoffs,
        "notes": result.notes,
    }
