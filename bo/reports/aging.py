"""AR and AP aging from `invoice:` and `due:` metadata or links, as of any date.

An invoice (or bill) is every posting to the receivable (payable) account that refers to
it (per vendor for payables: two vendors may both send "1043"). A posting refers to an
invoice by an `invoice:` on the posting, else on its entry, else by a link: a link that
an invoice's own entry carries (`^pixel-print-co-pp-2025-0016`), or one spelling the
invoice number itself (`^INV-1112`). Payments, partial payments and credit notes refer to
it too, so the open amount is simply the sum. The `due:` date comes from the posting or
entry that has one (the invoice itself).

An invoice paid more than in full is a credit balance on a receivable (a debit balance on
a payable): it is not aged with what is owed but shown apart and flagged, as close
practice asks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bo.paths import entry_place
from bo.reports.model import Notes, extra, rounder
from bo.settings import Settings

if TYPE_CHECKING:
    from beancount.core import data

ZERO = Decimal(0)
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")

Key = tuple[str, str]  # (invoice, vendor for payables or "" for receivables)


def bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True)
class OpenItem:
    party: str
    invoice: str
    issued: date
    due: date | None
    amount: Decimal
    days_past_due: int
    bucket: str
    where: str  # the invoice's entry; for a credit, the entry that overpaid it
    credit: bool = False  # paid beyond what was owed: a credit (AR) or debit (AP) balance


@dataclass(frozen=True)
class PartyTotal:
    party: str
    buckets: dict[str, Decimal]  # what is owed, by age; credits are not aged
    total: Decimal  # buckets plus credit
    credit: Decimal = ZERO  # overpaid items, negative


@dataclass(frozen=True)
class Aging(Notes):
    side: str  # receivable | payable
    as_of: date
    currency: str
    accounts: tuple[str, ...]
    items: tuple[OpenItem, ...]
    parties: tuple[PartyTotal, ...]
    totals: dict[str, Decimal]  # by bucket, credits excluded
    total: Decimal  # everything open: the buckets plus credits
    unapplied: Decimal  # postings to the account that refer to no invoice
    balance: Decimal  # the accounts' balance, which total must equal
    credits: Decimal = ZERO
    ties: bool = False  # nothing unapplied, and the open items add up to the balance
    other_currencies: tuple[str, ...] = ()  # the currencies aged apart, in `others`
    others: tuple[Aging, ...] = extra()  # the same aging in each other currency, never mixed

    @property
    def credit_items(self) -> list[OpenItem]:
        return [item for item in self.items if item.credit]

    @property
    def problems(self) -> list[str]:
        """What a reader must look at: a difference to the balance, and credit balances."""
        found = []
        if self.unapplied:
            found.append(f"{self.unapplied:,} posted without an invoice reference")
        if self.total + self.unapplied != self.balance:
            found.append(f"open items {self.total:,} differ from the balance {self.balance:,}")
        kind = "credit" if self.side == "receivable" else "debit"
        found += [
            f"{item.party} {item.invoice}: a {kind} balance of {-item.amount:,} ({item.where})"
            for item in self.credit_items
        ]
        for other in self.others:
            found += [f"{other.currency}: {problem}" for problem in other.problems]
        return found + self._noted_problems()


def _invoice_of(entry: data.Transaction, posting: data.Posting) -> str | None:
    # A deposit paying several invoices names each on its own posting.
    value = (posting.meta or {}).get("invoice")
    if value is None:
        value = entry.meta.get("invoice")
    return None if value is None else str(value)


def _due_of(entry: data.Transaction, posting: data.Posting) -> date | None:
    value = (posting.meta or {}).get("due")
    if value is None:
        value = entry.meta.get("due")
    return value if isinstance(value, date) else None


def document_postings(
    entries: Sequence[data.Directive], accounts: frozenset[str], side: str, as_of: date
) -> list[tuple[data.Transaction, data.Posting, Key | None]]:
    """Every posting to `accounts` through `as_of`, in every currency, with the invoice (or
    bill) it refers to: by `invoice:` metadata, else through a link; None when it names none."""
    from beancount.core import data

    pairs = [
        (entry, posting)
        for entry in entries
        if type(entry) is data.Transaction and entry.date <= as_of
        for posting in entry.postings
        if posting.account in accounts and posting.units is not None
    ]
    return _keyed(pairs, side)


def _keyed(
    pairs: Sequence[tuple[data.Transaction, data.Posting]], side: str
) -> list[tuple[data.Transaction, data.Posting, Key | None]]:
    """Each posting with the invoice (or bill) it refers to, by metadata or through a link
    to one: a payable's key holds its vendor (two vendors may number alike)."""

    def key_for(invoice: str, party: str) -> Key:
        return (invoice, party if side == "payable" else "")

    postings: list[tuple[data.Transaction, data.Posting, Key | None]] = []
    by_link: dict[str, Key | None] = {}  # None: the link names two invoices, so neither
    known: set[Key] = set()
    for entry, posting in pairs:
        invoice = _invoice_of(entry, posting)
        key = key_for(invoice, entry.payee or "") if invoice is not None else None
        postings.append((entry, posting, key))
        if key is None:
            continue
        known.add(key)
        for link in entry.links:
            if by_link.setdefault(link, key) != key:
                by_link[link] = None

    def from_links(entry: data.Transaction) -> Key | None:
        found = set()
        for link in entry.links:
            if link in by_link:
                found.add(by_link[link])
            elif key_for(link, entry.payee or "") in known:
                found.add(key_for(link, entry.payee or ""))
        return found.pop() if len(found) == 1 else None

    return [
        (entry, posting, key if key is not None or not entry.links else from_links(entry))
        for entry, posting, key in postings
    ]


def aging(
    entries: Sequence[data.Directive],
    settings: Settings,
    side: str,
    as_of: date,
    root: Path | None = None,
    options: dict | None = None,
) -> Aging:
    """Open invoices (receivable) or bills (payable) at `as_of`, by days past due: in the
    base currency, and apart in each other currency the accounts hold (never added up)."""
    from beancount.core import data

    base = settings.entity.currency
    accounts = frozenset(a for a, c in settings.accounts.items() if c.role == side)
    by_currency: dict[str, list[tuple[data.Transaction, data.Posting]]] = defaultdict(list)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > as_of:
            continue
        for posting in entry.postings:
            if posting.account in accounts and posting.units is not None:
                by_currency[posting.units.currency].append((entry, posting))
    others = tuple(
        _age(side, as_of, currency, accounts, by_currency[currency], root, options)
        for currency in sorted(set(by_currency) - {base})
    )
    own = _age(side, as_of, base, accounts, by_currency.get(base, []), root, options)
    return replace(own, other_currencies=tuple(a.currency for a in others), others=others)


def _age(
    side: str,
    as_of: date,
    currency: str,
    accounts: frozenset[str],
    pairs: list[tuple[data.Transaction, data.Posting]],
    root: Path | None,
    options: dict | None,
) -> Aging:
    """The aging of the postings `pairs` to the accounts, all in `currency`."""
    round_money = rounder(options, currency)
    sign = 1 if side == "receivable" else -1  # payables print what is owed as positive

    postings = _keyed(pairs, side)
    amounts: dict[Key, Decimal] = defaultdict(Decimal)
    first: dict[Key, data.Transaction] = {}
    last: dict[Key, data.Transaction] = {}  # the entry that left an overpaid item overpaid
    due: dict[Key, date] = {}
    unapplied = balance = ZERO
    for entry, posting, key in postings:
        number = posting.units.number
        balance += number
        if key is None:
            unapplied += number
            continue
        amounts[key] += number
        when = _due_of(entry, posting)
        if when is not None and key not in due:
            due[key] = when
            first[key] = entry
        first.setdefault(key, entry)
        last[key] = entry

    items = []
    for key, amount in amounts.items():
        if amount == 0:
            continue
        entry = first[key]
        due_date = due.get(key)
        late = (as_of - due_date).days if due_date else 0
        owed = _signed(sign, amount)
        items.append(
            OpenItem(
                entry.payee or "",
                key[0],
                entry.date,
                due_date,
                owed,
                late,
                bucket(late),
                _where(last[key] if owed < 0 else entry, root),
                owed < 0,
            )
        )
    items.sort(key=lambda i: (i.party, i.issued, i.invoice))
    by_party: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, ZERO))
    credit_of: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        buckets = by_party[item.party]  # a party with only a credit still gets its row
        if item.credit:
            credit_of[item.party] += item.amount
        else:
            buckets[item.bucket] += item.amount
    parties = tuple(
        PartyTotal(
            party,
            buckets,
            sum(buckets.values(), ZERO) + credit_of[party],
            credit_of[party] + ZERO,
        )
        for party, buckets in sorted(by_party.items())
    )
    totals = {b: round_money(sum((p.buckets[b] for p in parties), ZERO)) for b in BUCKETS}
    credits = round_money(sum((p.credit for p in parties), ZERO))
    total = round_money(sum(totals.values(), ZERO) + credits)
    shown_unapplied = round_money(_signed(sign, unapplied))
    shown_balance = round_money(_signed(sign, balance))
    return Aging(
        side,
        as_of,
        currency,
        tuple(sorted(accounts)),
        tuple(items),
        parties,
        totals,
        total,
        shown_unapplied,
        shown_balance,
        credits,
        not shown_unapplied and total == shown_balance,
    )


def _signed(sign: int, number: Decimal) -> Decimal:
    # `+ ZERO` turns the -0 that negating a zero gives into 0.
    return sign * number + ZERO


def _where(entry: data.Transaction, root: Path | None) -> str:
    return entry_place(entry, root)
