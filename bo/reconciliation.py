"""A bank reconciliation as bo keeps it: the result, in plain values, and the record's shape.

The result (`Reconciliation`) holds only Decimals, dates, text and places: `bo reconcile`
over unchanged books answers from its cache with this module, and imports neither beancount
nor the matcher. `bo.reconcile` computes it; `bo.recs` reads and writes the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bo.errors import Source

# Where `bo reconcile --accept` keeps the balances it asserts: beside the main ledger,
# ledgers/recs/<account>.beancount.
CLEARED_DIR = "recs"
# Posting metadata `bo reconcile --accept` writes on the postings a reconciliation matched:
# `reconciled: "2025-09"`. Such a posting holds a line of that period's statement only.
RECONCILED_KEY = "reconciled"


# --- The record's shape, as bo reads it back ---------------------------------------------------


class _Read(BaseModel):
    """A part of the record bo wrote: what bo reads back is typed; the rest is left alone."""

    # Validators built on first use: a record answered from bo's cache needs none.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class Pin(BaseModel):
    """A person's "this statement line is that entry", written in the record's `pins:`."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    line: str
    entry: str


class TransitRecord(_Read):
    kind: str
    date: date
    amount: Decimal
    text: str = ""
    where: str = ""
    entry: str
    since: str = ""


class MissingRecord(_Read):
    kind: str
    date: date
    amount: Decimal
    text: str = ""
    where: str = ""
    line: str
    since: str = ""


class DiffersRecord(_Read):
    kind: str
    date: date
    amount: Decimal  # the correction: statement minus books
    text: str = ""
    where: str = ""
    line: str
    entry: str
    line_amount: Decimal | None = None  # the statement's amount (records before it: absent)
    since: str = ""


class OpenRecord(_Read):
    in_transit: list[TransitRecord] = []
    missing: list[MissingRecord] = []
    amount_differs: list[DiffersRecord] = []


class BalancesRecord(_Read):
    bank: Decimal | None = None
    bank_from: str = ""
    statement: Decimal | None = None  # the figure given with --statement-balance


class MatchRecord(_Read):
    lines: list[str] = []
    entries: list[str] = []


class RecRecord(_Read):
    """`recs/P/<account>.yaml` as bo reads it: last month's open items, this month's pins."""

    balances: BalancesRecord = Field(default_factory=BalancesRecord)
    open: OpenRecord = Field(default_factory=OpenRecord)
    matches: list[MatchRecord] = []
    pins: list[Pin] = []

    @field_validator("pins", "matches", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return [] if value is None else value  # `pins:` with nothing after it


def pin_problems(pins: Sequence[Pin]) -> list[tuple[int, str]]:
    """(index, message) for each pin that reuses a line or an entry an earlier pin took."""
    problems = []
    lines: dict[str, int] = {}
    entries: dict[str, int] = {}
    for index, pin in enumerate(pins):
        if pin.line in lines:
            problems.append((index, f"line {pin.line} is pinned twice (pins[{lines[pin.line]}])"))
        elif pin.entry in entries:
            problems.append(
                (index, f"entry {pin.entry} is pinned twice (pins[{entries[pin.entry]}])")
            )
        lines.setdefault(pin.line, index)
        entries.setdefault(pin.entry, index)
    return problems


# --- The result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookItem:
    """A posting of the reconciled account, with a key that survives edits elsewhere."""

    key: str
    date: date
    amount: Decimal
    currency: str
    payee: str
    narration: str
    source: Source | None
    check: str | None = None
    carried: bool = False  # dated before the period: open last period, or added since
    refs: tuple[str, ...] = ()
    nearby: bool = False  # dated outside the period, known to no record: a candidate only
    at: Source | None = None  # where the posting itself is: `--accept` marks it there

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.payee, self.narration) if t)


@dataclass(frozen=True)
class RecMatch:
    """Statement lines (by their ids) and the entries that book them."""

    lines: tuple[str, ...]  # the statement lines' ids
    entries: tuple[BookItem, ...]
    score: float
    reasons: tuple[str, ...]
    how: str = "matched"  # or "pinned": a person said so in the record
    lines_at: tuple[str, ...] = ()  # file:line of each statement line, from the books root
    entries_at: tuple[str, ...] = ()  # and of each entry


@dataclass(frozen=True)
class OpenItem:
    """Something that keeps the statement and the books apart this period."""

    kind: str  # outstanding check | outstanding payment | deposit in transit |
    #            missing from the books | amount differs
    date: date
    amount: Decimal  # what it adds to the side it adjusts
    text: str
    where: str  # file:line of the entry, or statement file:row
    reasons: tuple[str, ...] = ()
    age_days: int = 0
    stale: bool = False
    suggestion: str = ""  # the entry bo would add for a line missing from the books
    line_id: str = ""
    entry_key: str = ""
    line_amount: Decimal | None = None  # amount differs: the statement's amount
    since: str = ""  # open since this earlier period ("" when it is this period's)


@dataclass(frozen=True)
class Reconciliation:
    account: str
    period: str
    currency: str
    statements: tuple[tuple[str, str], ...]  # (file, sha256)
    bank_balance: Decimal | None  # None: no balance column, no figure given
    bank_balance_from: str
    deposits_in_transit: Decimal
    outstanding: Decimal
    adjusted_bank: Decimal | None
    book_balance: Decimal
    bank_only: Decimal
    corrections: Decimal
    adjusted_books: Decimal
    difference: Decimal | None
    matches: tuple[RecMatch, ...]
    in_transit: tuple[OpenItem, ...]
    missing: tuple[OpenItem, ...]
    near: tuple[OpenItem, ...]
    notes: tuple[str, ...] = field(default=())
    pins: tuple[Pin, ...] = field(default=())
    booked_later: tuple[OpenItem, ...] = field(default=())  # bank lines booked next period
    statement_balance: Decimal | None = None  # the figure a person gave, kept in the record

    @property
    def stale(self) -> list[OpenItem]:
        return [item for item in self.in_transit if item.stale]

    @property
    def reconciled(self) -> bool:
        """The bank's balance known, difference zero, and nothing that needs an entry or a
        look."""
        return self.difference == 0 and not self.missing and not self.near and not self.stale

    @property
    def state(self) -> str:
        """In words: reconciled, or why not."""
        if self.reconciled:
            return "reconciled"
        if self.bank_balance is None:
            return "NOT reconciled: statement balance unknown"
        return "NOT reconciled"

    @property
    def matched_lines(self) -> int:
        return sum(len(m.lines) for m in self.matches)

    @property
    def line_count(self) -> int:
        return self.matched_lines + len(self.missing) + len(self.near)
