"""`bo kpi`: close metrics per locked month (days to close, first-run failures and their
fix time, duplicates, reconciliation exceptions, uncategorized share, reopens, how each
close was reviewed) and their trend. Read only."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data

from bo.books import Books
from bo.calendar import BusinessCalendar
from bo.close.policy import recorded_policy
from bo.paths import CLOSES_DIR
from bo.periods import Period
from bo.status import DONE, load_checklist_record
from bo.yamlfile import load_record_file

_PERIOD_FILE = re.compile(r"\d{4}-\d{2}\.yaml")


@dataclass(frozen=True)
class PeriodKpi:
    period: str
    locked_on: date | None
    locked_from: str  # "git" (the commit that locked it), "record" (its `locked.at`) or ""
    days_to_close: int | None  # business days from period end to the lock
    steps: int
    failed_first_run: int
    failed_steps: tuple[str, ...]
    longest_fix: int | None  # business days the slowest first-run failure took to pass
    duplicates_found: int | None  # what the first run's duplicate scan found
    open_reconciling_items: int
    unexplained_differences: int  # accounts whose reconciliation leaves a difference
    uncategorized_share: Decimal  # of the period's transactions, a fraction
    reopened: int
    review: str = ""  # how the close was reviewed: separate, outside: NAME, self-review


@dataclass(frozen=True)
class Trend:
    metric: str
    earlier: Decimal
    later: Decimal
    direction: str  # improving | worsening | steady


@dataclass(frozen=True)
class KpiReport:
    periods: tuple[PeriodKpi, ...]
    trend: tuple[Trend, ...]
    average_days_to_close: Decimal | None


@dataclass(frozen=True)
class RecordVersion:
    """A close record as one commit left it."""

    committed: datetime
    record: dict[str, Any]


def _as_date(value: Any) -> date | None:
    """A date from a record's timestamp; None for text that is not one (`at: yesterday`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


def _first_run_fixes(
    versions: list[RecordVersion], failed: list[str], calendar: BusinessCalendar
) -> int | None:
    if not versions or not failed:
        return None
    start = versions[0].committed.date()
    longest = 0
    for step in failed:
        fixed = next(
            (
                v.committed.date()
                for v in versions
                if ((v.record.get("steps") or {}).get(step) or {}).get("status") in DONE
            ),
            None,
        )
        if fixed is None:
            return None
        longest = max(longest, calendar.business_days_between(start, fixed))
    return longest


def _duplicates_found(versions: list[RecordVersion], scans: list[str]) -> int | None:
    if not versions or not scans:
        return None
    steps = versions[0].record.get("steps") or {}
    found = 0
    for step in scans:
        entry = steps.get(step) or {}
        if entry.get("status") == "failed":
            # One line per finding, its reasons indented below it (bo.close.checks).
            found += sum(1 for line in entry.get("details") or [] if not str(line).startswith(" "))
    return found


def _recs(root: Path, period: Period) -> tuple[int, int]:
    open_items = differences = 0
    for path in sorted((root / "recs" / str(period)).glob("*.yaml")):
        rec = load_record_file(path) or {}
        opened = rec.get("open") if isinstance(rec.get("open"), dict) else {}
        open_items += sum(len(opened.get(k) or []) for k in ("missing", "amount_differs"))
        balances = rec.get("balances") if isinstance(rec.get("balances"), dict) else {}
        try:
            differences += Decimal(str(balances.get("difference") or 0)) != 0
        except InvalidOperation:
            differences += 1
    return open_items, differences


def _uncategorized(
    entries: list[data.Directive], accounts: set[str]
) -> dict[Period, tuple[int, int]]:
    counts: dict[Period, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        if type(entry) is data.Transaction:
            bucket = counts[Period.containing(entry.date)]
            bucket[0] += 1
            bucket[1] += any(p.account in accounts for p in entry.postings)
    return {p: (c[0], c[1]) for p, c in counts.items()}


def _trend(metric: str, values: list[int | None]) -> Trend | None:
    known = [Decimal(v) for v in values if v is not None]
    if len(known) < 2:
        return None
    half = len(known) // 2
    earlier = sum(known[:half]) / half
    later = sum(known[-half:]) / half
    direction = "steady" if later == earlier else "improving" if later < earlier else "worsening"
    return Trend(
        metric, earlier.quantize(Decimal("0.1")), later.quantize(Decimal("0.1")), direction
    )


def kpis(
    books: Books,
    periods: int,
    history: dict[Period, list[RecordVersion]],
    scans: list[str],
) -> KpiReport:
    """Metrics of the last `periods` locked closes.

    `history` holds each record's committed versions, oldest first (empty outside git):
    the lock's commit is when the period closed (a record's `locked.at` is the clock of
    whoever ran bo, and back-closing old months makes it meaningless); the first version is
    the first run. `scans` are the step ids of the duplicate scan.
    """
    settings = books.settings
    calendar = settings.entity.calendar()
    records = []
    for path in sorted((books.root / CLOSES_DIR).glob("*.yaml")):
        if not _PERIOD_FILE.fullmatch(path.name):
            continue  # notes and other checklists' records are not month-end closes
        record = load_checklist_record(path) or {}
        if isinstance(record.get("locked"), dict):
            records.append((Period.parse(path.stem), record))
    shares = _uncategorized(books.ledger.entries, set(settings.accounts_with_role("uncategorized")))
    rows = []
    for period, record in records[-periods:]:
        versions = history.get(period, [])
        locked_on, source = None, ""
        was_locked = False
        for version in versions:
            now_locked = isinstance(version.record.get("locked"), dict)
            if now_locked and not was_locked:
                locked_on, source = version.committed.date(), "git"
            was_locked = now_locked
        if not was_locked:  # the lock is not committed (or there is no git): the record says
            locked_on = _as_date(record["locked"].get("at"))
            source = "record" if locked_on else ""
        first = record.get("first_run") if isinstance(record.get("first_run"), dict) else {}
        failed = sorted(step for step, status in first.items() if status in ("failed", "error"))
        open_items, differences = _recs(books.root, period)
        total, hits = shares.get(period, (0, 0))
        history_events = record.get("history") if isinstance(record.get("history"), list) else []
        rows.append(
            PeriodKpi(
                str(period),
                locked_on,
                source,
                None
                if locked_on is None
                else calendar.business_days_between(period.end, locked_on),
                len(record.get("steps") or {}),
                len(failed),
                tuple(failed),
                _first_run_fixes(versions, failed, calendar),
                _duplicates_found(versions, scans),
                open_items,
                differences,
                (Decimal(hits) / Decimal(total)).quantize(Decimal("0.001"))
                if total
                else Decimal(0),
                sum(
                    1
                    for e in history_events
                    if isinstance(e, dict) and e.get("event") == "reopened"
                ),
                policy.short() if (policy := recorded_policy(record)) else "",
            )
        )
    trends = [
        _trend("days to close", [r.days_to_close for r in rows]),
        _trend("steps failed on the first run", [r.failed_first_run for r in rows]),
        _trend("open reconciling items", [r.open_reconciling_items for r in rows]),
    ]
    days = [r.days_to_close for r in rows if r.days_to_close is not None]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
    return KpiReport(tuple(rows), tuple(t for t in trends if t), average)
