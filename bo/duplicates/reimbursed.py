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

Not looked for: a purchase by debit card from the very account the claim is paid from (one
account's equal payments are many; the two routes are told apart by their accounts).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
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
# A shop's first word this long names it alone ("Booker" for BOOKER WHOLESALE READING).
_DISTINCT = 4
# "14/04", "14/04/2024", "14.04.24", "2024-04-14": the receipt's date as people write it.
_DAY_MONTH = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _reimbursed_twice(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    """Pairs of money out of two accounts, one amount, the later one naming the earlier's
    payee while paid to someone else."""
    cash, buckets = books.cash, books.buckets
    # Each money account's amounts, the smaller account's looked up in the larger ones': an
    # index of every amount by value would cost a second pass over every amount in the books.
    keys: dict[str, list[tuple]] = defaultdict(list)
    for key in buckets:
        if key[0] in cash:
            keys[key[0]].append(key)
    by_size = sorted(keys, key=lambda a: (len(keys[a]), a))
    for n, account in enumerate(by_size[:-1]):
        others = by_size[n + 1 :]
        for key in keys[account]:
            if not key[2].is_signed():
                continue  # money in: a receipt, no claim
            paid = [buckets[key]]
            for other in others:
                found = buckets.get((other, key[1], key[2]))
                if found:
                    paid.append(found)
            if len(paid) > 1:
                yield from _claims(books, paid, key[1], -key[2], windows.payment, near)


def _claims(
    books: _Books,
    paid: list[list[int]],
    currency: str,
    amount: Decimal,
    window: int,
    near: Callable[[date], bool],
) -> Iterable[_Candidate]:
    """Each payment of one amount (lists of entries by date, one per account) as a claim
    against the other accounts' purchases of the window before it."""
    txns = books.txns
    # The shops a claim could name: the first word of each payee's name (most amounts are
    # paid to one payee only, and no claim is among them).
    heads = {
        words[0] for members in paid for i in members if (words := vendor_words(books.text(i)))
    }
    if len(heads) < 2:
        return
    for members in paid:
        for claim in members:
            entry = txns[claim]
            if not (entry.payee and entry.narration):
                continue  # a claim names who is paid, and what for
            said = entry.narration.casefold()
            if not any(head in said for head in heads):
                continue
            day = entry.date.toordinal()
            for bought_in in paid:
                if bought_in is members:
                    continue  # the same account: two payments of one route
                for bought in _window(txns, bought_in, day - window, day):
                    found = _claimed(books, bought, claim, said, currency, amount)
                    if found is not None and near(entry.date):
                        yield found


# A bucket this long is searched by date; a shorter one read through.
_SEARCHED = 8


def _window(txns: list, members: list[int], low: int, high: int) -> list[int]:
    """The members (by date) dated from day `low` to day `high` (ordinals)."""
    if len(members) > _SEARCHED:
        start = bisect_left(members, low, key=lambda i: _day(txns, i))
        members = members[start : bisect_right(members, high, key=lambda i: _day(txns, i))]
        return members
    return [i for i in members if low <= txns[i].date.toordinal() <= high]


def _day(txns: list, i: int) -> int:
    return txns[i].date.toordinal()


def _claimed(
    books: _Books, bought: int, claim: int, said: str, currency: str, amount: Decimal
) -> _Candidate | None:
    """The candidate when the claim (its narration casefolded: `said`) names the purchase's
    shop, is paid to someone else, and books the same cost."""
    shop = books.text(bought)
    words = vendor_words(shop)
    if not words or words[0] not in said:
        return None
    named = set(_WORD.findall(said))
    if not all(word in named for word in words) and not (
        len(words[0]) >= _DISTINCT and words[0] in named
    ):
        return None  # the claim names the shop: all its words, or its first whole
    person = books.txns[claim].payee or ""
    if books.names.related(shop, person):
        return None  # the shop paid twice under its name: the rules of payments
    narration = books.narration(claim)
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
