"""What a close step sees and returns: the books at this point of the close, and its result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.books import Books
from bo.errors import Source
from bo.paths import entry_place, place
from bo.periods import Period

if TYPE_CHECKING:
    from beancount.core import data

    from bo.statements import Statement

ZERO = Decimal(0)


@dataclass
class StepResult:
    status: str  # passed | failed | error | manual | blocked | skipped | n/a
    summary: str
    details: list[str] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)  # files to write
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class CloseContext:
    books: Books
    period: Period
    today: date
    record: dict[str, Any]  # this period's close record so far (explanations, sign-offs)
    previous: dict[str, Any] | None = None
    # Shared by the steps while the entries stay the same (balances by day).
    cache: dict[Any, Any] = field(default_factory=dict)
    steps: list[Any] = field(default_factory=list)  # the checklist's steps (the calendar's)

    @property
    def entries(self) -> list[data.Directive]:
        return self.books.ledger.entries

    def where(self, entry: Any) -> str:
        """Where `entry` sits, as `file:line` from the books root."""
        return entry_place(entry, self.books.root)

    def shown(self, source: Source | None) -> str:
        """`file:line` from the books root, as a reader looks for it."""
        return place(source, self.books.root)

    def accounts(self, *roles: str) -> list[str]:
        return sorted(a for a, conf in self.books.settings.accounts.items() if conf.role in roles)

    def balances(self, day: date) -> dict[str, dict[str, Decimal]]:
        """Every account's balance in each currency at the end of `day`, in one pass."""
        from beancount.core import data

        key = ("balances", day)
        if key not in self.cache:
            totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
            for entry in self.entries:
                if type(entry) is data.Transaction and entry.date <= day:
                    for posting in entry.postings:
                        units = posting.units
                        if units is not None:
                            totals[posting.account][units.currency] += units.number
            self.cache[key] = totals
        return self.cache[key]

    def balance(self, account: str, day: date) -> Decimal:
        """`account`'s balance in the books' currency at the end of `day`."""
        return self.held(account, day).get(self.books.settings.entity.currency, ZERO)

    def money(self, number: Decimal, currency: str) -> str:
        """`5,000.00` in the books' own currency (as the close has always said it),
        `5,000.00 EUR` in another; with the currency's places, so a zero reads `0.00`."""
        from bo.reports.model import rounder

        shown = f"{rounder(self.books.ledger.options, currency)(number):,}"
        return shown if currency == self.books.settings.entity.currency else f"{shown} {currency}"

    def held(self, account: str, day: date) -> dict[str, Decimal]:
        """`account`'s balance at the end of `day`, each currency apart, zeros left out."""
        if account not in self.books.settings.accounts:
            found = self.balances(day).get(account, {})
            return {currency: number for currency, number in sorted(found.items()) if number}
        # An account bo.yaml names: summed over its own entries (`touching`, shared by the
        # steps), not over every posting of the books for each day a step asks about.
        key = ("held", account, day)
        if key not in self.cache:
            from beancount.core import data

            totals: dict[str, Decimal] = defaultdict(Decimal)
            for entry in self.touching(account):
                if type(entry) is data.Transaction and entry.date <= day:
                    for posting in entry.postings:
                        units = posting.units
                        if posting.account == account and units is not None:
                            totals[units.currency] += units.number
            self.cache[key] = {c: n for c, n in sorted(totals.items()) if n}
        return dict(self.cache[key])

    def statement(self, path: Path, account: str) -> Statement:
        """The statement file `path` of `account`, read once for every step that reads it
        (bank-rec reads the period's, duplicates those around it); a file that cannot be read
        raises its error each time."""
        from bo.errors import BoError
        from bo.statements import read_statement

        key = ("statement", path, account)
        if key not in self.cache:
            try:
                self.cache[key] = read_statement(path, account, self.books.settings)
            except BoError as exc:
                self.cache[key] = exc
        found = self.cache[key]
        if isinstance(found, BoError):
            raise found
        return found

    def touching(self, *accounts: str) -> list[data.Directive]:
        """The transactions posting to any of `accounts` and their balance assertions, in
        ledger order: all that the reconciliation and the agings read of the ledger. One pass
        finds them for every account bo.yaml names, shared by those steps."""
        from beancount.core import data

        key = ("touching",)
        if key not in self.cache:
            named = self.books.settings.accounts
            at: dict[str, list[int]] = defaultdict(list)
            for i, entry in enumerate(self.entries):
                kind = type(entry)
                if kind is data.Transaction:
                    for posting in entry.postings:
                        if posting.account in named:
                            found = at[posting.account]
                            if not found or found[-1] != i:  # an entry once per account
                                found.append(i)
                elif kind is data.Balance and entry.account in named:
                    at[entry.account].append(i)
            self.cache[key] = at
        at = self.cache[key]
        if any(account not in self.books.settings.accounts for account in accounts):
            wanted = set(accounts)  # an account bo.yaml does not name: look for it apart
            return [e for e in self.entries if _touches(e, wanted)]
        if len(accounts) == 1:
            return [self.entries[i] for i in at.get(accounts[0], ())]
        found = sorted({i for account in accounts for i in at.get(account, ())})
        return [self.entries[i] for i in found]

    def in_period(self) -> list[data.Transaction]:
        from beancount.core import data

        key = ("in-period",)
        if key not in self.cache:
            start, end = self.period.start, self.period.end
            self.cache[key] = [
                e for e in self.entries if type(e) is data.Transaction and start <= e.date <= end
            ]
        return self.cache[key]


def _touches(entry: data.Directive, accounts: set[str]) -> bool:
    from beancount.core import data

    if type(entry) is data.Transaction:
        return any(p.account in accounts for p in entry.postings)
    return type(entry) is data.Balance and entry.account in accounts
