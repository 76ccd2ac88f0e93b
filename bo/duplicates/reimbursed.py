"""One cost paid twice through two routes: bought with the business's card (or from any of
its accounts) and reimbursed again to a person on an expense claim.

A bookkeeper checking a claim asks whether the receipt it covers was already paid by the
business: the same cost (booked to the same expense, for the same amount), the shop the
claim names, the receipt's date. The claim is paid to someone else than the shop (the
person who says they paid), from another account, on or after the purchase and within the
payment window. Both payments are real (a statement shows each), so no statement excuses
them: the money left twice.

Honest look-alikes: claims that name no shop (mileage, a per diem), a claim naming a receipt
of another date, the same shop paid from two accounts under its own name (the rules of
payments judge those), two purchases at one shop.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from bo.duplicates.books import _Books
from bo.duplicates.model import PAID_TWICE, Windows, _Candidate
from bo.duplicates.vendors import vendor_words

# The claim names the shop and the receipt's date: as sure as a statement.
NAMED_RECEIPT = 0.95
# The claim names the shop, and no date: the same cost, very likely the same receipt.
NAMED_SHOP = 0.8

_WORD = re.compile(r"[^\W_]+")
# "14/04", "14/04/2024", "14.04.24", "2024-04-14": the receipt's date as people write it.
_DAY_MONTH = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _reimbursed_twice(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    """Pairs of money out of two accounts, one amount, the later one naming the earlier's
    payee while paid to someone else."""
    # Money out, by amount across the money accounts: only an amount two accounts both paid
    # can be one cost paid twice.
    accounts: dict[tuple[str, Decimal], list[tuple[str, list[int]]]] = defaultdict(list)
    cash = books.cash
    for (account, currency, amount), members in books.buckets.items():
        if amount < 0 and account in cash:
            accounts[(currency, amount)].append((account, members))
    txns = books.txns
    for (currency, amount), paid in accounts.items():
        if len(paid) < 2:
            continue
        out = sorted(
            (txns[i].date.toordinal(), i, account) for account, members in paid for i in members
        )
        for n, (day, claim, account) in enumerate(out):
            if not near(txns[claim].date) or not _may_name_a_shop(books, claim):
                continue
            for back in range(n - 1, -1, -1):
                bought_day, bought, other = out[back]
                if day - bought_day > windows.payment:
                    break
                if other == account or bought == claim:
                    continue
                found = _claimed(books, bought, claim, currency, -amount)
                if found is not None:
                    yield found


def _may_name_a_shop(books: _Books, i: int) -> bool:
    entry = books.txns[i]
    return bool(entry.payee and entry.narration)


def _claimed(
    books: _Books, bought: int, claim: int, currency: str, amount: Decimal
) -> _Candidate | None:
    shop = books.text(bought)
    words = vendor_words(shop)
    person = books.txns[claim].payee or ""
    if not words or books.names.related(shop, person):
        return None  # the shop paid twice under its name: the rules of payments
    narration = books.narration(claim)
    said = set(_WORD.findall(narration.casefold()))
    if not all(word in said for word in words):
        return None
    cost = _cost(books, bought, currency, amount) & _cost(books, claim, currency, amount)
    if not cost:
        return None  # two things of one price, booked to two expenses
    receipt = books.txns[bought].date
    written = _dates_in(narration, receipt)
    if written and receipt not in written:
        return None  # the claim is for a receipt of another day
    score = NAMED_RECEIPT if written else NAMED_SHOP
    reasons = [
        f"one cost paid twice: {shop} on {_account(books, bought)}, and reimbursed to "
        f"{person} on {_account(books, claim)}",
        f"both book {amount:,} {currency} to {', '.join(sorted(cost))}",
        f"the claim names {shop}"
        + (f" and the receipt of {receipt.isoformat()}" if written else ""),
    ]
    return _Candidate(PAID_TWICE, (bought, claim), score, tuple(reasons), True)


def _cost(books: _Books, i: int, currency: str, amount: Decimal) -> set[str]:
    """The accounts outside the money accounts an entry debits by the amount."""
    return {
        p.account
        for p in books.txns[i].postings
        if p.units is not None
        and p.account not in books.cash
        and p.units.currency == currency
        and p.units.number == amount
    }


def _account(books: _Books, i: int) -> str:
    return next((p.account for p in books.txns[i].postings if p.account in books.cash), "")


def _dates_in(text: str, near: date) -> set[date]:
    """The dates a narration writes, read with the year of `near` when it gives none, day
    first or month first (a claim's "14/04" and "04/14" are both the 14th of April)."""
    found: set[date] = set()
    for year, month, day in _ISO.findall(text):
        found |= _valid(int(year), int(month), int(day))
    for first, second, year in _DAY_MONTH.findall(text):
        y = int(year) if year else near.year
        if year and len(year) == 2:
            y += 2000
        found |= _valid(y, int(second), int(first)) | _valid(y, int(first), int(second))
    return found


def _valid(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)}
    except ValueError:
        return set()
