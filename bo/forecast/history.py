"""What the books show through a day, arranged for the forecast: cash by currency, invoices and
bills with their payments, what cards and taxes withheld owe, and every other movement of cash.

Everything here is read from entries dated on or before the day and nothing else, so a
forecast made from it cannot see what happened later (the backtest relies on it).
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from beancount.core import account_types, data
from beancount.parser import options as beancount_options

from bo.reports.aging import _due_of, document_postings
from bo.settings import Settings

ZERO = Decimal(0)


def entries_through(entries: Sequence[data.Directive], day: date) -> Sequence[data.Directive]:
    """The entries dated on or before `day` (beancount's loader keeps them sorted by date)."""
    return entries[: bisect.bisect_right(entries, day, key=lambda e: e.date)]


@dataclass(frozen=True)
class Document:
    """An invoice (receivable) or a bill (payable) and what settled it."""

    side: str  # receivable | payable
    party: str
    number: str
    currency: str
    issued: date
    due: date | None
    charged: tuple[tuple[date, Decimal], ...]  # as issued (and added to later), positive
    paid: tuple[tuple[date, Decimal], ...]  # settled through a cash account, positive
    credits: tuple[tuple[date, Decimal], ...] = ()  # settled otherwise: credit notes, a card
    due_seen: date | None = None  # the day the due date was written

    @functools.cached_property
    def amount(self) -> Decimal:
        return sum((a for _, a in self.charged), ZERO)

    @functools.cached_property
    def open(self) -> Decimal:
        paid = sum((a for _, a in self.paid), ZERO)
        return self.amount - paid - sum((a for _, a in self.credits), ZERO)

    @functools.cached_property
    def last_written(self) -> date:
        """The day of its latest posting (or of its due date)."""
        return max(d for d, _ in (*self.charged, *self.paid, *self.credits))

    def through(self, day: date) -> Document | None:
        """The document as the books showed it at the end of `day`."""
        if self.issued > day:
            return None
        if self.last_written <= day and (self.due_seen is None or self.due_seen <= day):
            return self
        charged = tuple(c for c in self.charged if c[0] <= day)
        if sum((a for _, a in charged), ZERO) <= 0:
            return None
        return replace(
            self,
            due=self.due if self.due_seen and self.due_seen <= day else None,
            due_seen=self.due_seen if self.due_seen and self.due_seen <= day else None,
            charged=charged,
            paid=tuple(p for p in self.paid if p[0] <= day),
            credits=tuple(c for c in self.credits if c[0] <= day),
        )


@dataclass(frozen=True)
class Movement:
    """One transaction's cash into (or out of, negative) the cash accounts, in one currency,
    that settles no invoice or bill and pays off no card: payroll, rent, a loan, interest."""

    date: date
    currency: str
    amount: Decimal
    payee: str
    counter: str  # the account on the other side (the largest)


@dataclass(frozen=True)
class Owed:
    """A liability the cash accounts pay off (a card, payroll taxes withheld): its balance day
    by day, what was added to it, and the payments from cash."""

    account: str
    currency: str
    days: tuple[date, ...]  # the days its balance changed
    balances: tuple[Decimal, ...]  # its balance at the end of each (negative: owed)
    charges: tuple[tuple[date, Decimal], ...]  # everything but the payments from cash
    payments: tuple[tuple[date, Decimal, str], ...]  # (day, amount paid (positive), payee)

    def balance(self, day: date) -> Decimal:
        """The balance at the end of `day`."""
        index = bisect.bisect_right(self.days, day)
        return self.balances[index - 1] if index else ZERO

    def through(self, day: date) -> Owed | None:
        end = bisect.bisect_right(self.days, day)
        if not end:
            return None
        return replace(
            self,
            days=self.days[:end],
            balances=self.balances[:end],
            charges=tuple(c for c in self.charges if c[0] <= day),
            payments=tuple(p for p in self.payments if p[0] <= day),
        )


@dataclass(frozen=True)
class History:
    as_of: date
    start: date  # the first transaction in the books
    accounts: dict[str, tuple[str, ...]]  # currency -> the cash accounts holding it
    cash: dict[str, Decimal]  # currency -> cash at the end of as_of
    documents: tuple[Document, ...]
    movements: tuple[Movement, ...]
    owed: tuple[Owed, ...]  # liabilities paid from cash: cards, taxes withheld
    loans: dict[str, Decimal]  # loan accounts -> what is owed on them
    # account on the other side -> (its role in bo.yaml or "", its type by beancount's options)
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)
    # What `through` needs to go back in time: each currency's cash and each loan day by
    # day, and the day each cash account first held a currency.
    cash_days: dict[str, tuple[list[date], list[Decimal]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    loan_days: dict[str, tuple[list[date], list[Decimal]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    first_held: dict[tuple[str, str], date] = field(default_factory=dict, repr=False, compare=False)

    def through(self, day: date) -> History:
        """The history as `read_history` would read it from the entries dated on or before
        `day` (earlier than `as_of`): the band's past forecasts, without reading the books
        again for each."""
        if day >= self.as_of:
            return self
        holders: dict[str, list[str]] = defaultdict(list)
        for (currency, account), first in sorted(self.first_held.items()):
            if first <= day:
                holders[currency].append(account)
        loans = {a: -_on(s, day) for a, s in self.loan_days.items()}
        movements = tuple(m for m in self.movements if m.date <= day)
        owed = tuple(found for o in self.owed if (found := o.through(day)) is not None)
        counters = {m.counter for m in movements} | {o.account for o in owed}
        return replace(
            self,
            as_of=day,
            accounts={c: tuple(a) for c, a in sorted(holders.items())},
            cash={c: _on(self.cash_days[c], day) for c in sorted(holders)},
            documents=tuple(found for d in self.documents if (found := d.through(day)) is not None),
            movements=movements,
            owed=owed,
            loans={a: o for a, o in sorted(loans.items()) if o > 0},
            kinds={a: k for a, k in self.kinds.items() if a in counters},
        )


def _on(series: tuple[list[date], list[Decimal]], day: date) -> Decimal:
    days, values = series
    index = bisect.bisect_right(days, day)
    return values[index - 1] if index else ZERO


def read_history(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    options: dict | None = None,
) -> History:
    """The books through `as_of`, for the forecast."""
    entries = entries_through(entries, as_of)
    banks = frozenset(settings.accounts_with_role("bank"))
    payable_off = _payable_off(settings, options)
    documents, paying_documents = _documents(entries, settings, as_of, banks)
    loans = frozenset(settings.accounts_with_role("loan"))
    cash: dict[str, Decimal] = defaultdict(Decimal)
    holders: dict[str, set[str]] = defaultdict(set)
    loan_owed: dict[str, Decimal] = defaultdict(Decimal)
    cash_days: dict[str, tuple[list[date], list[Decimal]]] = defaultdict(lambda: ([], []))
    loan_days: dict[str, tuple[list[date], list[Decimal]]] = defaultdict(lambda: ([], []))
    first_held: dict[tuple[str, str], date] = {}
    movements: list[Movement] = []
    # (account, currency) -> day -> change; additions; payments from cash
    owed_days: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(dict)
    owed_charges: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    owed_payments: dict[tuple[str, str], list[tuple[date, Decimal, str]]] = defaultdict(list)
    start = None
    for entry in entries:
        if type(entry) is not data.Transaction:
            continue
        start = start or entry.date
        into: dict[str, Decimal] = defaultdict(Decimal)
        on_owed = []
        for posting in entry.postings:
            if posting.units is None:
                continue
            if posting.account in banks:
                into[posting.units.currency] += posting.units.number
                holders[posting.units.currency].add(posting.account)
                first_held.setdefault((posting.units.currency, posting.account), entry.date)
            elif payable_off(posting.account):
                on_owed.append(posting)
            if posting.account in loans:
                loan_owed[posting.account] -= posting.units.number
                _record(loan_days[posting.account], entry.date, -loan_owed[posting.account])
        for currency, amount in into.items():
            cash[currency] += amount
            _record(cash_days[currency], entry.date, cash[currency])
        others = [p for p in entry.postings if p.account not in banks and p.units is not None]
        paying = bool(into) and len(others) == 1 and len(on_owed) == 1
        for posting in on_owed:
            key = (posting.account, posting.units.currency)
            days = owed_days[key]
            days[entry.date] = days.get(entry.date, ZERO) + posting.units.number
            if not paying:
                owed_charges[key].append((entry.date, posting.units.number))
        if paying:
            key = (on_owed[0].account, on_owed[0].units.currency)
            paid = on_owed[0].units.number
            owed_payments[key].append((entry.date, paid, entry.payee or entry.narration or ""))
            continue
        if not into or id(entry) in paying_documents:
            continue
        payee = entry.payee or entry.narration or ""
        for currency, amount in into.items():
            counter = [p for p in others if p.units.currency == currency]
            if not amount or not counter:
                continue  # money moving between cash accounts of one currency
            main = max(counter, key=lambda p: abs(p.units.number)).account
            movements.append(Movement(entry.date, currency, amount, payee, main))
    return History(
        as_of,
        start or as_of,
        {c: tuple(sorted(a)) for c, a in sorted(holders.items())},
        {c: a for c, a in sorted(cash.items())},
        tuple(documents),
        tuple(movements),
        tuple(
            _owed(key, owed_days[key], owed_charges[key], owed_payments[key])
            for key in sorted(owed_days)
        ),
        {a: o for a, o in sorted(loan_owed.items()) if o > 0},
        counter_kinds(
            settings, options, {m.counter for m in movements} | {a for a, _ in owed_days}
        ),
        dict(cash_days),
        dict(loan_days),
        first_held,
    )


def _record(series: tuple[list[date], list[Decimal]], day: date, value: Decimal) -> None:
    days, values = series
    if days and days[-1] == day:
        values[-1] = value
    else:
        days.append(day)
        values.append(value)


@dataclass
class _Open:
    """A document while its postings are read."""

    party: str
    currency: str
    issued: date
    due: date | None = None
    due_seen: date | None = None
    charged: list[tuple[date, Decimal]] = field(default_factory=list)
    paid: list[tuple[date, Decimal]] = field(default_factory=list)
    credits: list[tuple[date, Decimal]] = field(default_factory=list)


def _payable_off(settings: Settings, options: dict | None):
    """Whether an account is one the cash accounts may pay off: a card, or any liability by
    beancount's account types (root names may be renamed) other than bills payable, which
    are paid bill by bill."""
    types = beancount_options.get_account_types(options or beancount_options.OPTIONS_DEFAULTS)
    cards = set(settings.accounts_with_role("card"))
    bills = set(settings.accounts_with_role("payable", "receivable"))
    known: dict[str, bool] = {}

    def payable_off(account: str) -> bool:
        if account not in known:
            known[account] = account in cards or (
                account not in bills and account_types.is_account_type(types.liabilities, account)
            )
        return known[account]

    return payable_off


def _owed(
    key: tuple[str, str],
    days: dict[date, Decimal],
    charges: list[tuple[date, Decimal]],
    payments: list[tuple[date, Decimal, str]],
) -> Owed:
    running, balances = ZERO, []
    for day in sorted(days):
        running += days[day]
        balances.append(running)
    return Owed(*key, tuple(sorted(days)), tuple(balances), tuple(charges), tuple(payments))


def _documents(
    entries: Sequence[data.Directive], settings: Settings, as_of: date, banks: frozenset[str]
) -> tuple[list[Document], set[int]]:
    """Invoices and bills with what paid them, and the ids of the entries that paid one
    through a cash account (those are not movements of their own)."""
    documents: list[Document] = []
    paying: set[int] = set()
    for side in ("receivable", "payable"):
        accounts = frozenset(settings.accounts_with_role(side))
        if not accounts:
            continue
        sign = 1 if side == "receivable" else -1
        found: dict[tuple[str, str], _Open] = {}
        for entry, posting, key in document_postings(entries, accounts, side, as_of):
            if key is None:
                continue
            doc = found.setdefault(
                key, _Open(entry.payee or "", posting.units.currency, entry.date)
            )
            if doc.due is None and (due := _due_of(entry, posting)) is not None:
                doc.due, doc.due_seen = due, entry.date
            amount = sign * posting.units.number
            if amount > 0:
                doc.charged.append((entry.date, amount))
            elif any(p.account in banks for p in entry.postings):
                doc.paid.append((entry.date, -amount))
                paying.add(id(entry))
            else:
                doc.credits.append((entry.date, -amount))
        documents += [
            Document(
                side,
                d.party,
                key[0],
                d.currency,
                d.issued,
                d.due,
                tuple(d.charged),
                tuple(d.paid),
                tuple(d.credits),
                d.due_seen,
            )
            for key, d in found.items()
            if sum((a for _, a in d.charged), ZERO) > 0
        ]
    return documents, paying


def counter_kinds(
    settings: Settings, options: dict | None, accounts: set[str]
) -> dict[str, tuple[str, str]]:
    """What each account on the other side of a cash movement is: its role in bo.yaml, and its
    type by beancount's options (root names may be renamed)."""
    types = beancount_options.get_account_types(options or beancount_options.OPTIONS_DEFAULTS)
    names = {
        types.income: "income",
        types.expenses: "expense",
        types.assets: "asset",
        types.liabilities: "liability",
        types.equity: "equity",
    }
    return {
        account: (
            settings.accounts[account].role or "" if account in settings.accounts else "",
            names.get(account_types.get_account_type(account), "other"),
        )
        for account in accounts
    }


def cash_by_day(
    entries: Sequence[data.Directive], settings: Settings, currencies: set[str] | None = None
) -> dict[str, tuple[list[date], list[Decimal]]]:
    """Each currency's cash (the bank accounts together) at the end of every day it changed,
    to read the actual balance on any day with `cash_on`."""
    banks = frozenset(settings.accounts_with_role("bank"))
    running: dict[str, Decimal] = defaultdict(Decimal)
    series: dict[str, tuple[list[date], list[Decimal]]] = defaultdict(lambda: ([], []))
    for entry in entries:
        if type(entry) is not data.Transaction:
            continue
        for posting in entry.postings:
            if posting.account not in banks or posting.units is None:
                continue
            currency = posting.units.currency
            if currencies is not None and currency not in currencies:
                continue
            running[currency] += posting.units.number
            days, values = series[currency]
            if days and days[-1] == entry.date:
                values[-1] = running[currency]
            else:
                days.append(entry.date)
                values.append(running[currency])
    return dict(series)


def cash_on(series: tuple[list[date], list[Decimal]] | None, day: date) -> Decimal:
    """The cash at the end of `day` from a `cash_by_day` series."""
    if series is None:
        return ZERO
    days, values = series
    index = bisect.bisect_right(days, day)
    return values[index - 1] if index else ZERO
