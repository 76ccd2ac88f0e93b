"""`bo status`: who does what by when, across checklists and books.

Read only. A step's state comes from its checklist's record (not started, failing,
waiting, passed awaiting sign-off, signed off): `closes/P.yaml` for the month-end close,
`closes/<checklist>/<period>.yaml` for the others (`2025-Q3`, the fiscal year `2025`, the
ISO week `2026-W49`, the day `2026-12-01`: what `bo close` names them). Its due date comes
from the checklist's offset and the entity's holidays. A step overdue by more than its
escalation window (the step's, else the checklist's) goes to the reviewer's role.

Which instances are current: every month, quarter or fiscal year from the first one with
a record (else the latest one whose checklist has come due) up to the latest one due,
unless locked; this week's and today's routines. Nothing is due before the books' first
month (that of their first transaction): new books owe nothing. A checklist the books
have never kept a record of is shown with its due dates, as "no record": bo cannot tell
whether it was done, so it is never counted overdue. Each checklist's latest locked or
done record is listed too, with how it was reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.books import Books
from bo.errors import BadInputError, Source
from bo.paths import CLOSES_DIR, MONTH_END, SOPS_DIR, record_path
from bo.periods import CADENCE_KINDS, AnyPeriod, parse_period, span_containing
from bo.tasks import Task

if TYPE_CHECKING:
    # Imported where records and checklists are read: a status answered from bo's cache
    # (every morning, over books nobody touched) builds none of their models.
    from bo.calendar import BusinessCalendar
    from bo.close.checklist import Checklist

DONE = ("passed", "manual")


def checklist_record_path(root: Path, checklist: str, key: str) -> Path:
    """Where a checklist instance's record lives."""
    return record_path(root, key, checklist)


def load_checklist_record(path: Path) -> dict[str, Any] | None:
    """A close record, its shape checked where status reads it; None when there is none."""
    from bo.yamlfile import load_record_file

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
    from bo.close.record import NOT_APPLICABLE

    if entry is None:
        return "not started"
    status = entry.get("status")
    if status == NOT_APPLICABLE:
        return "n/a"  # nothing to do: the step does not apply to these books
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


@dataclass(frozen=True)
class CloseState:
    """Where one checklist instance stands, as `bo status` lists it."""

    checklist: str
    period: str
    state: str  # locked | done | open | not started | no record
    signed_off: int  # steps signed off
    steps: int
    review: str  # how it was reviewed (the record's policy), when it says


@dataclass(frozen=True)
class Status:
    tasks: list[Task]
    closes: list[CloseState]
    notes: list[str]


def _first_due(checklist: Checklist, calendar: BusinessCalendar, end: date) -> date:
    return min(calendar.due_date(end, step.due) for step in checklist.steps)


def _last_due(checklist: Checklist, calendar: BusinessCalendar, end: date) -> date:
    return max(calendar.due_date(end, step.due) for step in checklist.steps)


def _recorded(root: Path, name: str, kind: str, fiscal_start: int) -> list[AnyPeriod]:
    """The periods of `name`'s records, oldest first."""
    folder = root / CLOSES_DIR if name == MONTH_END else root / CLOSES_DIR / name
    found = []
    for path in folder.glob("*.yaml"):
        try:
            period = parse_period(path.stem, fiscal_start)
        except BadInputError:
            continue
        if period.kind == kind:
            found.append(period)
    return sorted(found, key=lambda p: p.start)


def _instances(
    root: Path,
    name: str,
    checklist: Checklist,
    calendar: BusinessCalendar,
    as_of: date,
    fiscal_start: int,
    first: date,
) -> list[_Instance]:
    """The current instances of one checklist, none ending before the books' first day."""
    kind = CADENCE_KINDS[checklist.cadence]
    recorded = _recorded(root, name, kind, fiscal_start)
    # bo close keeps the month-end's record; another list is tracked once the books keep one.
    keeps = name == MONTH_END or bool(recorded)
    if kind == "day":
        periods: list[AnyPeriod] = [span_containing(as_of, kind)]
    elif kind == "week":  # the week that ended last Sunday: this week's routine works on it
        periods = [span_containing(as_of - timedelta(days=as_of.weekday() + 1), kind)]
    else:
        latest = span_containing(as_of, kind, fiscal_start)
        while _first_due(checklist, calendar, latest.end) > as_of:
            latest = latest.previous
        period = recorded[0] if recorded and recorded[0].start < latest.start else latest
        periods = []
        while period.start <= latest.start:
            periods.append(period)
            period = period.next
    found = []
    for period in periods:
        if period.end < first:
            continue  # before the books began: nothing was due
        tracked = keeps or record_path(root, period, name).is_file()
        if not tracked and kind == "year" and as_of > _last_due(checklist, calendar, period.end):
            continue  # a year-end nobody records leaves once its last step's date has passed
        found.append(_Instance(str(period), period.end, tracked))
    return found


class UnknownPersonError(BadInputError):
    """`--as NAME` names nobody in the books' people."""


def person_roles(books: Books, name: str) -> set[str]:
    """The roles NAME holds in these books; bad input when nobody there has that name."""
    person = next((p for p in books.settings.people if p.name == name), None)
    if person is None:
        known = ", ".join(p.name for p in books.settings.people) or "nobody"
        raise UnknownPersonError(f"--as {name}: not in bo.yaml people ({known})")
    return set(person.roles)


def first_day(books: Books) -> date | None:
    """The date of the books' first transaction (None: there is none yet)."""

    def compute() -> date | None:
        from beancount.core import data

        return min(
            (e.date for e in books.ledger.entries if type(e) is data.Transaction), default=None
        )

    return books.result("first-transaction", compute)


def tasks(books: Books, as_of: date, name: str | None = None) -> list[Task]:
    """Open tasks of every current checklist instance, overdue first."""
    return status(books, as_of, name).tasks


def status(books: Books, as_of: date, name: str | None = None) -> Status:
    """Open tasks of every current checklist instance, overdue first; where each
    checklist's instances stand; and what is missing, said once.

    Kept in bo's cache, keyed on what it reads besides the ledger and bo.yaml: the
    checklists and every close record (their files and folders). A morning's `bo status`
    over books nobody touched since reads no record and validates nothing."""
    root = books.root
    closes = root / CLOSES_DIR
    folders = [root / SOPS_DIR, closes, *sorted(p for p in closes.rglob("*") if p.is_dir())]
    files = [*sorted((root / SOPS_DIR).glob("*.yaml")), *sorted(closes.rglob("*.yaml"))]
    return books.result(
        "status",
        lambda: _status(books, as_of, name),
        files=files,
        folders=folders,
        params=[str(as_of), name],
    )


def _status(books: Books, as_of: date, name: str | None) -> Status:
    from bo.close.checklist import load_checklists

    settings = books.settings
    calendar = settings.entity.calendar()
    holders = {
        role: ", ".join(p.name for p in settings.people if role in p.roles)
        for role in settings.roles
    }
    mine = person_roles(books, name) if name is not None else None
    first = first_day(books)
    if first is None:
        note = (
            f"{settings.entity.name}: no transactions yet; checklists come due from the "
            "books' first month"
        )
        return Status([], [], [note])
    found, closes = [], []
    fiscal_start = settings.entity.fiscal_year_start
    for list_name, checklist in load_checklists(books.root, settings).items():
        instances = _instances(
            books.root, list_name, checklist, calendar, as_of, fiscal_start, first
        )
        latest = _latest_signed_off(books.root, list_name, checklist, fiscal_start)
        if latest is not None and latest.period not in {i.key for i in instances}:
            closes.append(latest)
        for instance in instances:
            path = checklist_record_path(books.root, list_name, instance.key)
            record = load_checklist_record(path) or {}
            closes.append(_close_state(list_name, instance, record, len(checklist.steps)))
            if record.get("locked") or record.get("done"):
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
                if state in ("signed off", "n/a"):
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
    from bo.payables.pending import approval_tasks

    found += approval_tasks(books, as_of, mine)
    return Status(sort_tasks(found), closes, [])


def _close_state(name: str, instance: _Instance, record: dict[str, Any], total: int) -> CloseState:
    from bo.close.policy import recorded_policy

    steps = record.get("steps") or {}
    signoffs = record.get("signoffs") or {}
    states = [_state(e, signoffs.get(sid) or {}, record.get("digest")) for sid, e in steps.items()]
    signed = states.count("signed off")
    if record.get("locked"):
        state = "locked"
    elif record.get("done"):
        state = "done"
    elif steps:
        state = "open"
    else:
        state = "not started" if instance.tracked else "no record"
    policy = recorded_policy(record)
    review = policy.short() if policy else ""
    # Of the steps that apply: one that does not (n/a) has nothing to sign.
    applying = len(steps) - states.count("n/a")
    return CloseState(name, instance.key, state, signed, applying or total, review)


def _latest_signed_off(
    root: Path, name: str, checklist: Checklist, fiscal_start: int
) -> CloseState | None:
    """The checklist's latest locked or done record: what `bo status` shows as its last."""
    kind = CADENCE_KINDS[checklist.cadence]
    for period in reversed(_recorded(root, name, kind, fiscal_start)):
        record = load_checklist_record(record_path(root, period, name)) or {}
        if record.get("locked") or record.get("done"):
            return _close_state(name, _Instance(str(period), period.end, True), record, 0)
    return None


def sort_tasks(found: list[Task]) -> list[Task]:
    """Overdue first, then by due date; across books, stable."""
    return sorted(found, key=lambda t: (not t.overdue, t.due, t.folder, t.checklist, t.step))
