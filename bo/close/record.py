"""The close record `closes/P.yaml`, the period digest, and the lock data it keeps.

A locked period's record keeps one fingerprint per entry dated in the period: transactions
(with their postings' metadata) and every other directive (balance assertions, prices,
notes, documents, pads, custom directives...). bo.close.locks holds the evidence where a
working-tree edit cannot rewrite it (the close's git tag) and names every entry added,
changed or removed since: the books can still be edited, but never silently.

Records: `closes/P.yaml` for the month-end close, `closes/<checklist>/<period>.yaml` for the
other checklists (`closes/quarterly/2025-Q3.yaml`, `closes/weekly-invoices/2026-W49.yaml`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bo.fingerprint import HIDDEN_META, entry_text
from bo.paths import MONTH_END, record_path
from bo.settings import ReviewKind
from bo.yamlfile import FAST_DUMPER, load_fast, parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from beancount.core import data

# Posting metadata a lock does not cover: marks bo writes on postings of closed periods
# after the lock (`bo reconcile --accept` marks a posting `reconciled:` when its statement
# line clears, often months later). Metadata never changes an amount, an account or a date,
# so leaving these keys out cannot hide a change to what the books say; every other key is
# in the fingerprint.
LOCK_IGNORED_META = frozenset({"reconciled"})
# Filled in by beancount's own plugins after the lock plugin has run (`ops.pad` makes the
# padding transactions, `ops.balance` sets a failed assertion's difference): what the lock
# plugin sees and what a full load sees must fingerprint the same.
_DERIVED_FIELDS = {"meta", "diff_amount"}

StepStatus = Literal["passed", "failed", "blocked", "manual", "error", "skipped", "n/a"]
# A step whose inputs these books do not have (no payroll, no loan): it neither passes nor
# blocks the close, and there is nothing to sign.
NOT_APPLICABLE = "n/a"


class _Record(BaseModel):
    # Unknown keys are errors, as in bo.yaml: a misspelt `explanation:` must not vanish.
    # Built on first use: a first close has no record to read, and bo starts faster.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Signed(_Record):
    name: str
    at: str
    digest: str
    email: str | None = None  # the address git named, which bo matched to `name`
    by: str | None = None  # a delegate who signed in `name`'s place
    review: ReviewKind | None = None  # the policy it was under


class StepSignoffs(_Record):
    preparer: Signed | None = None
    reviewer: Signed | None = None


class StepRecord(_Record):
    title: str
    status: StepStatus
    summary: str
    details: list[str] = []
    owner: str
    reviewer: str
    due: str
    at: str | None = None  # when this result was first seen (kept while it stays the same)
    by: str | None = None


class Explanation(_Record):
    """Why a flagged flux line moved, and the figures it was written for: when the
    figures change afterwards, the line is flagged again."""

    text: str = Field(min_length=1)
    figures: dict[str, str] = {}


class Started(_Record):
    at: str
    by: str | None = None
    commit: str | None = None  # HEAD when the close first ran: where cutoff looks from


class Lock(_Record):
    at: str
    by: str
    digest: str
    entries: dict[str, str]
    # The dates the lock covers; a month's record may leave them out (its name says them).
    start: str | None = None
    end: str | None = None


class Event(_Record):
    event: Literal["reopened"]
    reason: str
    by: str
    at: str
    digest: str | None = None
    email: str | None = None


class Review(_Record):
    policy: ReviewKind
    reviewer: str | None = None
    note: str | None = None


class Done(_Record):
    at: str
    by: str
    digest: str


class Run(_Record):
    at: str | None = None
    by: str
    bo: str


class CloseRecord(_Record):
    period: str | None = None
    checklist: str | None = None
    review: Review | None = None  # the review policy the close ran under (bo.yaml's)
    started: Started | None = None
    explanations: dict[str, str | Explanation] = {}
    digest: str | None = None
    steps: dict[str, StepRecord] = {}
    first_run: dict[str, StepStatus] = {}
    signoffs: dict[str, StepSignoffs] = {}
    locked: Lock | None = None
    done: Done | None = None  # a routine checklist (daily, weekly) signed off: nothing locks
    run: Run | None = None
    history: list[Event] = []


def read_record(path: Path) -> dict[str, Any]:
    """A close record as plain data, validated: a wrong type or key is bad input naming the
    file, line and field; a missing file is an empty record.

    Kept in bo's cache under the file's digest: `bo check` reads every record for its locks,
    and a close reads its own several times; a record read before costs no YAML parse and
    no validator (each caller gets its own copy to change)."""
    from bo import cache

    slot = f"record-{cache.key_of(str(path))[:24]}"
    folder = cache.books_folder(path.parent)
    return cache.file_result(folder, slot, path, lambda: _read_record(path), cache.code_version())


def _read_record(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    text = read_text(path)
    try:
        loaded = load_fast(text, str(path))
        CloseRecord.model_validate({} if loaded is None else loaded)
        return loaded or {}
    except ValidationError:
        pass
    # Only a bad record pays for the line-tracking parse that names where it is wrong.
    parsed, lines = parse_yaml(text, str(path))
    validate_data(CloseRecord, parsed, lines, str(path))
    return parsed or {}


def load_record(root: Path, period: Any, checklist: str = MONTH_END) -> dict[str, Any]:
    return read_record(record_path(root, period, checklist))


def record_text(period: Any, record: dict[str, Any]) -> str:
    return (
        f"# Close record of {period}, written by `bo close` and `bo signoff`. bo rewrites it;\n"
        "# `explanations:` is yours too (bo close --explain ACCOUNT=TEXT adds to it).\n"
        + yaml.dump(
            Dumper=FAST_DUMPER, data=_plain(record), sort_keys=False, allow_unicode=True, width=100
        )
    )


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _posting_meta(entry: data.Transaction) -> list[tuple[int, list[tuple[str, str]]]]:
    found = []
    for i, posting in enumerate(entry.postings):
        own = sorted(
            (k, str(v))
            for k, v in (posting.meta or {}).items()
            if k not in HIDDEN_META and k not in LOCK_IGNORED_META and not k.startswith("__")
        )
        if own:
            found.append((i, own))
    return found


def directive_text(entry: data.Directive) -> str:
    """What any directive says, as a lock fingerprints it: a transaction as `entry_text`
    and its postings' metadata, others by their fields."""
    # beancount where entries are looked at: `bo check` over unchanged books reads close
    # records with this module and no entry at all.
    from beancount.core import data

    if type(entry) is data.Transaction:
        # Added only when there is some, so an entry without keeps its fingerprint.
        meta = _posting_meta(entry)
        return entry_text(entry) + (repr(meta) if meta else "")
    meta = sorted((k, str(v)) for k, v in (entry.meta or {}).items() if k not in HIDDEN_META)
    fields = [
        (name, str(getattr(entry, name))) for name in entry._fields if name not in _DERIVED_FIELDS
    ]
    return repr((type(entry).__name__, fields, meta))


def period_entries(entries: Iterable[data.Directive], period: Any) -> list[data.Directive]:
    """Every directive dated in the period, less what beancount derives from others."""
    from beancount.core import data, flags

    start, end = period.start, period.end  # once: asked of every entry otherwise
    return [
        e
        for e in entries
        if start <= e.date <= end
        and not (type(e) is data.Transaction and e.flag == flags.FLAG_PADDING)
    ]


def fingerprints(entries: Iterable[data.Directive]) -> list[tuple[str, data.Directive]]:
    """A short hash per entry (with its occurrence among identical ones)."""
    seen: Counter[str] = Counter()
    out = []
    for entry in entries:
        digest = hashlib.sha256(directive_text(entry).encode("utf-8")).hexdigest()[:16]
        seen[digest] += 1
        out.append((f"{digest}:{seen[digest]}", entry))
    return out


def period_fingerprints(entries: Iterable[data.Directive], period: Any) -> list[str]:
    """The fingerprint of every entry of the period: what its lock records."""
    return [key for key, _ in fingerprints(period_entries(entries, period))]


def period_digest(entries: Iterable[data.Directive], period: Any) -> str:
    """One digest of every entry of the period: what a sign-off is made over."""
    return digest_of(period_fingerprints(entries, period))


def digest_of(prints: Iterable[str]) -> str:
    """The period digest of these fingerprints."""
    return hashlib.sha256("\n".join(sorted(prints)).encode()).hexdigest()


def describe(entry: data.Directive) -> str:
    from beancount.core import data

    if type(entry) is data.Transaction:
        amount = next((str(p.units) for p in entry.postings if p.units is not None), "")
        text = f"{entry.date} {entry.payee or ''} {entry.narration} {amount}"
    else:
        kind = type(entry).__name__.lower()
        what = [
            str(getattr(entry, name))
            for name in ("account", "currency", "amount", "comment", "filename", "type")
            if getattr(entry, name, None) is not None
        ]
        text = f"{entry.date} {kind} {' '.join(what)}"
    return " ".join(text.split())


def lock_data(entries: Iterable[data.Directive], period: Any) -> dict[str, Any]:
    """The lock of `period` (a month, quarter, year...): its digest, the dates it covers,
    and one fingerprint per entry in it, with what the entry said."""
    entries = list(entries)
    prints = fingerprints(period_entries(entries, period))
    return {
        "digest": period_digest(entries, period),
        "start": str(period.start),
        "end": str(period.end),
        "entries": {key: describe(entry) for key, entry in sorted(prints, key=lambda p: p[0])},
    }


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
