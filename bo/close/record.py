"""The close record `closes/P.yaml`, the period digest, and the lock it guards.

A locked period's record keeps one fingerprint per entry dated in the period. `bo check`
and the beancount plugin (`bo.plugins.lock`) recompute them and name every entry added,
changed or removed since: the books can still be edited, but never silently.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from beancount.core import data

from bo.errors import BadInputError, Finding, Source
from bo.io import atomic_write
from bo.periods import Period
from bo.yamlfile import FAST_DUMPER, FAST_LOADER, load_record_file

CLOSES_DIR = "closes"
HIDDEN_META = {"filename", "lineno", "__tolerances__", "__automatic__"}


def record_path(root: Path, period: Period) -> Path:
    return root / CLOSES_DIR / f"{period}.yaml"


def load_record(root: Path, period: Period) -> dict[str, Any]:
    return load_record_file(record_path(root, period)) or {}


def save_record(root: Path, period: Period, record: dict[str, Any]) -> bool:
    """Write the record if its content changed; True when written."""
    path = record_path(root, period)
    text = (
        f"# Close record of {period}, written by `bo close` and `bo signoff`. bo rewrites it;\n"
        "# `explanations:` is yours too (bo close --explain ACCOUNT=TEXT adds to it).\n"
        + yaml.dump(
            Dumper=FAST_DUMPER, data=_plain(record), sort_keys=False, allow_unicode=True, width=100
        )
    )
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write(path, text)
    return True


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def entry_text(entry: data.Transaction) -> str:
    """What an entry says, without where it sits: the content a lock protects."""
    meta = {k: v for k, v in sorted(entry.meta.items()) if k not in HIDDEN_META}
    postings = [
        (p.account, str(p.units), str(p.cost), str(p.price), p.flag) for p in entry.postings
    ]
    return repr(
        (
            str(entry.date),
            entry.flag,
            entry.payee,
            entry.narration,
            sorted(entry.tags or ()),
            sorted(entry.links or ()),
            [(k, str(v)) for k, v in meta.items()],
            postings,
        )
    )


def period_entries(entries: Iterable[data.Directive], period: Period) -> list[data.Transaction]:
    return [
        e for e in entries if type(e) is data.Transaction and period.start <= e.date <= period.end
    ]


def fingerprints(entries: Iterable[data.Transaction]) -> list[tuple[str, data.Transaction]]:
    """A short hash per entry (with its occurrence among identical ones)."""
    seen: Counter[str] = Counter()
    out = []
    for entry in entries:
        digest = hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()[:16]
        seen[digest] += 1
        out.append((f"{digest}:{seen[digest]}", entry))
    return out


def period_digest(entries: Iterable[data.Directive], period: Period) -> str:
    prints = sorted(key for key, _ in fingerprints(period_entries(entries, period)))
    return hashlib.sha256("\n".join(prints).encode()).hexdigest()


def describe(entry: data.Transaction) -> str:
    amount = next((str(p.units) for p in entry.postings if p.units is not None), "")
    return f"{entry.date} {entry.payee or ''} {entry.narration} {amount}".replace("  ", " ")


def lock_data(entries: Iterable[data.Directive], period: Period) -> dict[str, Any]:
    prints = fingerprints(period_entries(entries, period))
    return {
        "digest": period_digest(entries, period),
        "entries": {key: describe(entry) for key, entry in sorted(prints, key=lambda p: p[0])},
    }


def lock_violations(entries: list[data.Directive], root: Path) -> list[Finding]:
    """Entries added, changed or removed in locked periods, each named."""
    findings = []
    for path in sorted((root / CLOSES_DIR).glob("*.yaml")):
        try:
            period = Period.parse(path.stem)
        except BadInputError:
            continue
        try:
            record = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
        except yaml.YAMLError:
            findings.append(Finding(Source(str(path)), "close record is not valid YAML", "lock"))
            continue
        lock = record.get("locked") if isinstance(record, dict) else None
        if not isinstance(lock, dict) or "entries" not in lock:
            continue
        locked = dict(lock["entries"])
        current = fingerprints(period_entries(entries, period))
        keys = {key for key, _ in current}
        for key, entry in current:
            if key not in locked:
                findings.append(
                    Finding(
                        Source.from_meta(entry.meta),
                        f"entry in locked period {period} was added or changed after the "
                        f"close: {describe(entry)} (bo reopen {period} --reason ... to change it)",
                        "locked-period",
                        entry=entry,
                    )
                )
        for key, what in locked.items():
            if key not in keys:
                findings.append(
                    Finding(
                        Source(str(path)),
                        f"entry in locked period {period} was removed or changed after the "
                        f"close: {what}",
                        "locked-period",
                    )
                )
    return findings
