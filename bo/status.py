"""`bo status`: who does what by when, across checklists and books; `bo kpi`: close metrics.

Read only. A month-end step's state comes from the close record of the period (not
started, failing, waiting, passed awaiting sign-off, signed off); its due date from the
checklist's business-day offset and the entity's holidays. A step overdue by more than
its escalation window (the step's, else the checklist's) goes to the reviewer's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bo.books import Books
from bo.close.checklist import load_checklists
from bo.close.record import load_record
from bo.periods import Period


@dataclass(frozen=True)
class Task:
    books: str
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


def _state(entry: dict[str, Any] | None, signed: dict[str, Any], digest: str | None) -> str:
    if entry is None:
        return "not started"
    status = entry.get("status")
    both = all(
        isinstance(signed.get(r), dict) and signed[r].get("digest") == digest
        for r in ("preparer", "reviewer")
    )
    if status in ("passed", "manual"):
        return "signed off" if both else "awaiting sign-off"
    if status == "blocked":
        return "waiting"
    return "failing"


def tasks(books: Books, as_of: date, name: str | None = None) -> list[Task]:
    settings = books.settings
    calendar = settings.entity.calendar(books.root)
    holders = {
        role: ", ".join(p.name for p in settings.people if role in p.roles)
        for role in settings.roles
    }
    mine = None
    if name is not None:
        person = next((p for p in settings.people if p.name == name), None)
        mine = set(person.roles) if person else set()
    found = []
    for list_name, checklist in load_checklists(books.root, settings).items():
        if checklist.cadence == "monthly":
            period = Period.containing(as_of).previous
        elif checklist.cadence == "yearly" and as_of.month <= 3:
            period = Period(as_of.year - 1, 12)
        else:
            continue  # daily and weekly checklists run from cron, not from a record
        record = load_record(books.root, period) if list_name == "month-end" else {}
        if record.get("locked"):
            continue
        steps = record.get("steps") or {}
        signoffs = record.get("signoffs") or {}
        for step in checklist.steps:
            due = calendar.due_date(period.end, step.due)
            state = _state(steps.get(step.id), signoffs.get(step.id) or {}, record.get("digest"))
            if state == "signed off":
                continue
            late = calendar.business_days_between(due, as_of) if as_of > due else 0
            window = step.escalate_after
            if window is None:
                window = checklist.escalate_after
            escalated = window is not None and late > window
            role = step.reviewer if escalated else step.owner
            if mine is not None and not ({step.owner, step.reviewer} & mine):
                continue
            found.append(
                Task(
                    books.settings.entity.name,
                    list_name,
                    str(period),
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
    found.sort(key=lambda t: (not t.overdue, t.due, t.books, t.step))
    return found


@dataclass(frozen=True)
class PeriodKpi:
    period: str
    locked: bool
    days_to_close: int | None  # business days from period end to the lock
    failed_first_run: int
    steps: int
    open_reconciling_items: int
    uncategorized_share: str


def kpis(books: Books, periods: int) -> list[PeriodKpi]:
    from bo.close.record import CLOSES_DIR
    from bo.commands.reconcile import load_record as load_rec

    settings = books.settings
    calendar = settings.entity.calendar(books.root)
    uncategorized = set(settings.accounts_with_role("uncategorized"))
    rows = []
    for path in sorted((books.root / CLOSES_DIR).glob("*.yaml"))[-periods:]:
        try:
            period = Period.parse(path.stem)
        except Exception:
            continue
        record = load_record(books.root, period)
        lock = record.get("locked")
        days = None
        if isinstance(lock, dict) and lock.get("at"):
            locked_on = datetime.fromisoformat(str(lock["at"])).date()
            days = calendar.business_days_between(period.end, locked_on)
        first = record.get("first_run") or {}
        open_items = 0
        for rec in (books.root / "recs" / str(period)).glob("*.yaml"):
            data_ = load_rec(rec) or {}
            opened = data_.get("open") or {}
            open_items += sum(len(opened.get(k) or []) for k in ("missing", "amount_differs"))
        total = hits = 0
        for entry in books.ledger.entries:
            if getattr(entry, "postings", None) and period.start <= entry.date <= period.end:
                total += 1
                hits += any(p.account in uncategorized for p in entry.postings)
        share = f"{hits / total:.1%}" if total else "0.0%"
        rows.append(
            PeriodKpi(
                str(period),
                isinstance(lock, dict),
                days,
                sum(1 for s in first.values() if s == "failed"),
                len(record.get("steps") or {}),
                open_items,
                share,
            )
        )
    return rows
