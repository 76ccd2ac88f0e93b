"""`bo status`: who does what by when, across checklists and books; `bo kpi`: close metrics.

Read only. A step's state comes from its checklist's record (not started, failing,
waiting, passed awaiting sign-off, signed off): `closes/P.yaml` for the month-end close,
`closes/<checklist>/<key>.yaml` for the others (year-end keyed by the fiscal year's last
month, weekly by ISO week, daily by day). Its due date comes from the checklist's offset
and the entity's holidays. A step overdue by more than its escalation window (the
step's, else the checklist's) goes to the reviewer's role.

Which instances are current: every month from the first one with a close record (else the
latest one whose checklist has come due) up to the latest one due, unless locked; the
latest ended fiscal year; this week's and today's routines. A routine nobody keeps a
record of is shown with its due dates, as "no record": bo cannot tell whether it was done,
so it is never counted overdue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data

from bo.books import Books
from bo.calendar import BusinessCalendar
from bo.close.checklist import Checklist, load_checklists
from bo.close.record import CLOSES_DIR, record_path
from bo.errors import BadInputError, Source
from bo.periods import Period
from bo.yamlfile import load_record_file

MONTH_END = "month-end"
_PERIOD_FILE = re.compile(r"\d{4}-\d{2}\.yaml")
DONE = ("passed", "manual")


@dataclass(frozen=True)
class Task:
    books: str  # the entity
    folder: str  # the books repo's folder, which tells two clients of one name apart
    checklist: str
    period: str
    step: str
    title: str
    owner: str
    reviewer: str
    people: str  # who holds the role the task sits with now
    due: date
    state: str
    overdue_days: int
    escalated: bool

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def checklist_record_path(root: Path, checklist: str, key: str) -> Path:
    """Where a checklist instance's record lives."""
    if checklist == MONTH_END:
        return record_path(root, Period.parse(key))
    return root / CLOSES_DIR / checklist / f"{key}.yaml"


def load_checklist_record(path: Path) -> dict[str, Any] | None:
    """A close record, its shape checked where status reads it; None when there is none."""
    record = load_record_file(path)
    if record is None:
        return None
    for name in ("steps", "signoffs"):
        value = record.get(name)
        if value is not None and not isinstance(value, dict):
            raise BadInputError(
                f"`{name}` should map step ids to their results, not a "
                f"{type(value).__name__}; bo close rewrites it",
                source=Source(str(path)),
            )
        for step, entry in (value or {}).items():
            if not isinstance(entry, dict):
                raise BadInputError(
                    f"`{name}.{step}` should be a mapping, not a {type(entry).__name__}",
                    source=Source(str(path)),
                )
    return record


def _state(entry: dict[str, Any] | None, signed: dict[str, Any], digest: str | None) -> str:
    if entry is None:
        return "not started"
    status = entry.get("status")
    both = all(
        isinstance(signed.get(r), dict) and signed[r].get("digest") == digest
        for r in ("preparer", "reviewer")
    )
    if status in DONE:
        return "signed off" if both else "awaiting sign-off"
    if status == "blocked":
        return "waiting"
    return "failing"


@dataclass(frozen=True)
class _Instance:
    key: str  # the period, week or day shown
    end: date  # what due offsets count from
    tracked: bool  # a record is kept (or, for the close, expected)


def _first_due(checklist: Checklist, calendar: BusinessCalendar, end: date) -> date:
    return min(calendar.due_date(end, step.due) for step in checklist.steps)


def _last_due(checklist: Checklist, calendar: BusinessCalendar, end: date) -> date:
    return max(calendar.due_date(end, step.due) for step in checklist.steps)


def _month_instances(
    root: Path, name: str, checklist: Checklist, calendar: BusinessCalendar, as_of: date
) -> list[_Instance]:
    latest = Period.containing(as_of)
    while _first_due(checklist, calendar, latest.end) > as_of:
        latest = latest.previous
    folder = root / CLOSES_DIR if name == MONTH_END else root / CLOSES_DIR / name
    recorded = sorted(
        Period.parse(p.stem) for p in folder.glob("*.yaml") if _PERIOD_FILE.fullmatch(p.name)
    )
    period = recorded[0] if recorded and recorded[0] < latest else latest
    found = []
    while period <= latest:
        # bo close keeps the month-end's record; another monthly list is tracked once it has one.
        tracked = name == MONTH_END or checklist_record_path(root, name, str(period)).is_file()
        found.append(_Instance(str(period), period.end, tracked))
        period = period.next
    return found


def _fiscal_instance(
    root: Path, name: str, checklist: Checklist, calendar: BusinessCalendar, as_of: date, first: int
) -> list[_Instance]:
    # The fiscal year ends the month before it starts; its year-end runs after that.
    end = Period(as_of.year, first).previous
    while end.end >= as_of:
        end = Period(end.year - 1, end.month)
    key = str(end)
    tracked = checklist_record_path(root, name, key).is_file()
    if not tracked and as_of > _last_due(checklist, calendar, end.end):
        return []
    return [_Instance(key, end.end, tracked)]


def _routine_instance(root: Path, name: str, cadence: str, as_of: date) -> list[_Instance]:
    if cadence == "daily":
        key, end = as_of.isoformat(), as_of
    else:  # the week that ended last Sunday: this week's routine works through it
        end = as_of - timedelta(days=as_of.weekday() + 1)
        year, week, _ = end.isocalendar()
        key = f"{year}-W{week:02d}"
    return [_Instance(key, end, checklist_record_path(root, name, key).is_file())]


class UnknownPersonError(BadInputError):
    """`--as NAME` names nobody in the books' people."""


def person_roles(books: Books, name: str) -> set[str]:
    """The roles NAME holds in these books; bad input when nobody there has that name."""
    person = next((p for p in books.settings.people if p.name == name), None)
    if person is None:
        known = ", ".join(p.name for p in books.settings.people) or "nobody"
        raise UnknownPersonError(f"--as {name}: not in bo.yaml people ({known})")
    return set(person.roles)


def tasks(books: Books, as_of: date, name: str | None = None) -> list[Task]:
    """Open tasks of every current checklist instance, overdue first."""
    settings = books.settings
    calendar = settings.entity.calendar()
    holders = {
        role: ", ".join(p.name for p in settings.people if role in p.roles)
        for role in settings.roles
    }
    mine = person_roles(books, name) if name is not None else None
    found = []
    for list_name, checklist in load_checklists(books.root, settings).items():
        if checklist.cadence == "monthly":
            instances = _month_instances(books.root, list_name, checklist, calendar, as_of)
        elif checklist.cadence == "yearly":
            first = settings.entity.fiscal_year_start
            instances = _fiscal_instance(books.root, list_name, checklist, calendar, as_of, first)
        else:
            instances = _routine_instance(books.root, list_name, checklist.cadence, as_of)
        for instance in instances:
            path = checklist_record_path(books.root, list_name, instance.key)
            record = load_checklist_record(path) or {}
            if record.get("locked"):
                continue
            steps = record.get("steps") or {}
            signoffs = record.get("signoffs") or {}
            for step in checklist.steps:
                if mine is not None and not ({step.owner, step.reviewer} & mine):
                    continue
                due = calendar.due_date(instance.end, step.due)
                if instance.tracked:
                    state = _state(
                        steps.get(step.id), signoffs.get(step.id) or {}, record.get("digest")
                    )
                else:
                    state = "no record"
                if state == "signed off":
                    continue
                late = 0
                if instance.tracked and as_of > due:
                    late = calendar.business_days_between(due, as_of)
                window = step.escalate_after
                if window is None:
                    window = checklist.escalate_after
                escalated = window is not None and late > window
                role = step.reviewer if escalated else step.owner
                found.append(
                    Task(
                        settings.entity.name,
                        books.root.name,
                        list_name,
                        instance.key,
                        step.id,
                        step.title,
                        step.owner,
                        step.reviewer,
                        holders.get(role, ""),
                        due,
                        state,
                        late,
                        escalated,
                    )
                )
    return sort_tasks(found)


def sort_tasks(found: list[Task]) -> list[Task]:
    """Overdue first, then by due date; across books, stable."""
    return sorted(found, key=lambda t: (not t.overdue, t.due, t.folder, t.checklist, t.step))


# --- bo kpi ------------------------------------------------------------------------------------


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
