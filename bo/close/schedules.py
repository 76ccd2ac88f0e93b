"""`schedules/*.yaml`: recurring closing entries, and the `post-schedules` action.

A schedule posts from one account to another every month from `from` to `to`: a fixed
`amount` (prepaid amortization, a fixed depreciation charge), or straight-line depreciation
of a `cost` less its `salvage` over `life` months (`to` then follows from the life; the
cents left over by rounding go in the last month, so the months add up to the cost). With
`reverse: true` it is an accrual, reversed on the first day of the next period. Each posted
entry carries `schedule:` and `period:` metadata: that pair is how bo knows it is posted, so
posting twice changes nothing.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, PrivateAttr, field_validator, model_validator

from bo.beanfile import append_entries, format_transaction
from bo.errors import BoError, Finding, SettingsError, Source
from bo.periods import Period
from bo.settings import Money, Strict, _account
from bo.yamlfile import parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from beancount.core import data

SCHEDULES_DIR = "schedules"
CLOSING_DIR = "closing"  # beside the main ledger: ledgers/closing/<period>.beancount
CLOSING_INCLUDE = f'include "{CLOSING_DIR}/*.beancount"'
CENT = Decimal("0.01")


class Schedule(Strict):
    id: str
    title: str
    debit: str
    credit: str
    amount: Money | None = None
    cost: Money | None = Field(None, description="straight-line: what the asset cost")
    salvage: Money | None = Field(None, description="straight-line: what it is worth at the end")
    life: int | None = Field(None, ge=1, description="straight-line: months of use")
    from_: str = Field(alias="from")
    to: str | None = None
    reverse: bool = False
    _source: Source | None = PrivateAttr(None)  # its file and line, for findings

    @field_validator("debit", "credit")
    @classmethod
    def _accounts(cls, value: str) -> str:
        return _account(value)

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _month(cls, value: object) -> str:
        text = str(value)
        try:
            Period.parse(text)
        except BoError as exc:
            raise ValueError(exc.message) from None
        return text

    @model_validator(mode="after")
    def _one_way(self) -> Schedule:
        straight = self.cost is not None or self.life is not None
        if straight == (self.amount is not None):
            raise ValueError(
                f"schedule `{self.id}`: give either `amount` (the same every month) or "
                "`cost` and `life` (straight-line, optionally with `salvage`)"
            )
        if straight:
            if self.cost is None or self.life is None:
                raise ValueError(f"schedule `{self.id}`: straight-line needs `cost` and `life`")
            salvage = self.salvage.number if self.salvage else Decimal(0)
            if self.salvage and self.salvage.currency != self.cost.currency:
                raise ValueError(f"schedule `{self.id}`: `salvage` is in another currency")
            if not 0 <= salvage < self.cost.number:
                raise ValueError(f"schedule `{self.id}`: `salvage` must be below `cost`")
            last = self._month_after(self.life - 1)
            if self.to is not None and self.to != str(last):
                raise ValueError(
                    f"schedule `{self.id}`: `to: {self.to}` but {self.life} months from "
                    f"{self.from_} end in {last}; leave `to` out"
                )
        elif self.to is None:
            raise ValueError(f"schedule `{self.id}`: `to` is required with `amount`")
        elif Period.parse(self.to) < Period.parse(self.from_):
            raise ValueError(
                f"schedule `{self.id}`: `from: {self.from_}` is after `to: {self.to}`, so it "
                "would never post: swap them or correct one"
            )
        if self._month_after((self.life or 1) - 1).year > 2199:
            raise ValueError(f"schedule `{self.id}`: `life` runs past 2199")
        return self

    def _month_after(self, months: int) -> Period:
        start = Period.parse(self.from_)
        index = start.year * 12 + start.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    @property
    def last(self) -> Period:
        return Period.parse(self.to) if self.to else self._month_after(self.life - 1)

    def due_in(self, period: Period) -> bool:
        return Period.parse(self.from_).start <= period.start <= self.last.start

    def amount_in(self, period: Period) -> Money:
        """What the schedule posts in `period` (a month it is due in)."""
        if self.amount is not None:
            return self.amount
        salvage = self.salvage.number if self.salvage else Decimal(0)
        base = self.cost.number - salvage
        monthly = (base / self.life).quantize(CENT, rounding=ROUND_HALF_UP)
        if period == self.last:
            monthly = base - monthly * (self.life - 1)
        return Money(number=monthly, currency=self.cost.currency)


class ScheduleFile(Strict):
    schedules: list[Schedule] = Field([])


def load_schedules(root: Path) -> list[Schedule]:
    """Every schedule in `schedules/*.yaml`; all problems of all files reported together.

    Each file kept in bo's cache under its digest, as validated: every close and `bo check`
    read them, and a file read before costs no YAML parse and no validator."""
    from bo import cache

    found, problems = [], []
    folder = cache.books_folder(root)
    for path in sorted((root / SCHEDULES_DIR).glob("*.yaml")):
        slot = f"schedules-{cache.key_of(str(path))[:24]}"
        read = functools.partial(_read_schedules, path)
        try:
            found.extend(cache.file_result(folder, slot, path, read, cache.code_version()))
        except SettingsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SettingsError(problems)
    ids = [s.id for s in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise SettingsError(
            [Finding(None, f"schedules/: schedule ids used twice: {', '.join(twice)}")]
        )
    return found


def _read_schedules(path: Path) -> list[Schedule]:
    data_, lines = parse_yaml(read_text(path), str(path))
    schedules = validate_data(ScheduleFile, data_ or {}, lines, str(path)).schedules
    for i, schedule in enumerate(schedules):
        schedule._source = Source(str(path), lines.get(("schedules", i)))
    return schedules


def posted(entries: list[data.Directive]) -> set[tuple[str, str, bool]]:
    """(schedule id, period, is reversal) of every schedule entry in the books."""
    from beancount.core import data

    found = set()
    for entry in entries:
        if type(entry) is data.Transaction and "schedule" in entry.meta:
            meta = entry.meta
            found.add((str(meta["schedule"]), str(meta.get("period")), bool(meta.get("reversal"))))
    return found


def due_entries(
    schedules: list[Schedule], period: Period, entries: list[data.Directive]
) -> tuple[list[tuple[data.Transaction, dict]], int]:
    """The schedule entries the period still needs, and how many are posted already."""
    done = posted(entries)
    needed, already = [], 0
    for schedule in schedules:
        if not schedule.due_in(period):
            continue
        for reversal in (False, True) if schedule.reverse else (False,):
            if (schedule.id, str(period), reversal) in done:
                already += 1
                continue
            needed.append(_entry(schedule, period, reversal))
    return needed, already


def _entry(schedule: Schedule, period: Period, reversal: bool) -> tuple[data.Transaction, dict]:
    from beancount.core import data
    from beancount.core.amount import Amount

    money = schedule.amount_in(period)
    amount, currency = money.number, money.currency
    day: date = period.end + timedelta(days=1) if reversal else period.end
    debit, credit = (
        (schedule.credit, schedule.debit) if reversal else (schedule.debit, schedule.credit)
    )
    meta: dict[str, object] = {"schedule": schedule.id, "period": str(period)}
    if reversal:
        meta["reversal"] = True
    postings = [
        data.Posting(debit, Amount(amount, currency), None, None, None, None),
        data.Posting(credit, Amount(-amount, currency), None, None, None, None),
    ]
    title = f"Reversal: {schedule.title}" if reversal else schedule.title
    txn = data.Transaction({}, day, "*", None, title, frozenset(), frozenset(), postings)
    return txn, meta


def closing_text(path: Path, period: Period, needed: list[tuple[data.Transaction, dict]]) -> str:
    """`ledgers/closing/<period>.beancount` with the needed entries appended."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    header = (
        f"; Entries posted by the close of {period}: the schedules in schedules/*.yaml.\n"
        "; bo writes this file; change the schedules, not these lines."
    )
    blocks = [format_transaction(txn, meta) for txn, meta in needed]
    return append_entries(old, header, blocks)


def schedule_total(needed: list[tuple[data.Transaction, dict]]) -> Decimal:
    return sum((txn.postings[0].units.number for txn, _ in needed), Decimal(0))
