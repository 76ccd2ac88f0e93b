"""An entry taken back by a reversing entry before its look-alike was booked: a re-booking.

A bookkeeper who finds a bill coded to the wrong account, or dated in the wrong month,
reverses it (the same postings, every amount the other way) and books it again. The first
entry no longer counts: it and the re-booking are not one bill entered twice, whatever their
number, vendor and amount say. Once the reversal stands between them, the books hold the
bill once.

A reversal that comes after both (a month-end accrual posted twice, then reversed once on the
first of the month) takes back only one of them: the other is still there twice, and stays a
duplicate. A correction follows what it takes back, so the reversed entry is the earlier one.
On the day of the re-booking the order of the two is the bookkeeper's whim (the new booking
typed first, then the reversal of the old one): either way the books hold it once.

A reversal takes back a booking; it pays nothing, even when it debits the payables the
bill credited. Nor is a bank's line a correction: a refund carrying its own line id between
two copies of one imported line leaves both copies standing.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from beancount.core import data

from bo.duplicates.books import _Books, journal_bucket


def rebooked(books: _Books, pair: tuple[int, ...], *, lines: bool = True) -> bool:
    """Whether the earlier of two entries was reversed no later than the other was booked.
    With `lines` false, only by a person's correction (a reversal carrying no line id)."""
    if len(pair) != 2:
        return False
    first, second = sorted(pair, key=books.rank)
    later = books.txns[second]
    return any(
        books.txns[first].date <= books.txns[r].date <= later.date
        for r in _reversals(books, first)
        if r not in pair and (lines or not books.line_ids(r))
    )


def takes_back(books: _Books, i: int) -> bool:
    """Whether entry i is a person's reversal of an entry booked before it (or the same
    day): a correction, not a payment or a receipt. A bank's line is never one."""
    if books.line_ids(i):
        return False
    day = books.txns[i].date
    return any(books.txns[r].date <= day for r in _reversals(books, i))


def taken_back(books: _Books, pair: tuple[int, ...], days: int) -> bool:
    """Whether either entry was reversed between the first's date and `days` after the
    other's: a document booked again and the wrong one reversed the same day ("booked in the
    wrong month", "on the wrong owner") is held once, whichever was written first."""
    low = min(books.txns[i].date for i in pair)
    high = max(books.txns[i].date for i in pair) + timedelta(days=days)
    return any(
        low <= books.txns[r].date <= high
        for i in pair
        for r in _reversals(books, i)
        if r not in pair
    )


def _reversals(books: _Books, i: int) -> list[int]:
    """Entries whose postings are entry i's, every amount the other way: found in the bucket
    the reversal falls in (a cash posting's, or a journal's signed accounts), never by a scan."""
    moved = _postings(books.txns[i])
    if not moved:
        return []
    taken_back = Counter({(a, c, -n): k for (a, c, n), k in moved.items()})
    found = books.buckets.get(_bucket(books, taken_back), ())
    return [r for r in found if r != i and _postings(books.txns[r]) == taken_back]


def _postings(entry: data.Transaction) -> Counter:
    return Counter(
        (p.account, p.units.currency, p.units.number) for p in entry.postings if p.units is not None
    )


def _bucket(books: _Books, postings: Counter) -> tuple | None:
    """The key `_Books` files an entry with these postings under."""
    for account, currency, number in postings:
        if account in books.cash:
            return (account, currency, number)
    return journal_bucket(postings)
