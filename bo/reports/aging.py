"""AR and AP aging from `invoice:` and `due:` metadata, as of any date.

An invoice (or bill) is every posting to the receivable (payable) account carrying the same
`invoice:` value (per vendor for payables: two vendors may both send "1043"). Payments,
partial payments and credit notes carry it too, so the open amount is simply the sum. The
`due:` date comes from the entry that has one (the invoice itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from bo.settings import Settings

ZERO = Decimal(0)
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


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
    where: str


@dataclass(frozen=True)
class PartyTotal:
    party: str
    buckets: dict[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class Aging:
    side: str  # receivable | payable
    as_of: date
    currency: str
    accounts: tuple[str, ...]
    items: tuple[OpenItem, ...]
    parties: tuple[PartyTotal, ...]
    totals: dict[str, Decimal]
    total: Decimal
    unapplied: Decimal  # postings to the account without an invoice reference
    balance: Decimal  # the accounts' balance, which total + unapplied must equal

    @property
    def ties(self) -> bool:
        return self.total + self.unapplied == self.balance


def aging(
    entries: Sequence[data.Directive],
    settings: Settings,
    side: str,
    as_of: date,
    root: Path | None = None,
) -> Aging:
    currency = settings.entity.currency
    accounts = tuple(sorted(a for a, c in settings.accounts.items() if c.role == side))
    sign = 1 if side == "receivable" else -1  # payables print what is owed as positive
    amounts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    first: dict[tuple[str, str], data.Transaction] = {}
    due: dict[tuple[str, str], date] = {}
    unapplied = balance = ZERO
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > as_of:
            continue
        for posting in entry.postings:
            if posting.account not in accounts or posting.units is None:
                continue
            if posting.units.currency != currency:
                continue
            number = posting.units.number
            balance += number
            invoice = entry.meta.get("invoice")
            if invoice is None:
                unapplied += number
                continue
            party = entry.payee or ""
            key = (str(invoice), party if side == "payable" else "")
            amounts[key] += number
            if "due" in entry.meta and key not in due:
                due[key] = entry.meta["due"]
                first[key] = entry
            first.setdefault(key, entry)
    items = []
    for key, amount in amounts.items():
        if amount == 0:
            continue
        entry = first[key]
        due_date = due.get(key)
        late = (as_of - due_date).days if due_date else 0
        items.append(
            OpenItem(
                entry.payee or "",
                key[0],
                entry.date,
                due_date,
                sign * amount,
                late,
                bucket(late),
                _where(entry, root),
            )
        )
    items.sort(key=lambda i: (i.party, i.issued, i.invoice))
    by_party: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, ZERO))
    for item in items:
        by_party[item.party][item.bucket] += item.amount
    parties = tuple(
        PartyTotal(party, buckets, sum(buckets.values(), ZERO))
        for party, buckets in sorted(by_party.items())
    )
    totals = {b: sum((p.buckets[b] for p in parties), ZERO) for b in BUCKETS}
    return Aging(
        side,
        as_of,
        currency,
        accounts,
        tuple(items),
        parties,
        totals,
        sum(totals.values(), ZERO),
        sign * unapplied,
        sign * balance,
    )


def _where(entry: data.Transaction, root: Path | None) -> str:
    name = str(entry.meta.get("filename", ""))
    path = Path(name)
    if root is not None and path.is_absolute() and path.is_relative_to(root):
        name = str(path.relative_to(root))
    line = entry.meta.get("lineno")
    return f"{name}:{line}" if line else name
