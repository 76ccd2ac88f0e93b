"""What speaks for two entries being one beyond the entries themselves: the statements (how
often the bank printed the movement) and the calendar (a weekly or monthly cadence).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from bo.booked import find_booked, holder
from bo.duplicates.books import _Books
from bo.matching import (
    Item,
    MatchParams,
    normalize_text,
)
from bo.statements.printed import Printed, PrintedLine

# Statement lines against book postings: the reconciliation's own defaults.
STATEMENT_PARAMS = MatchParams()


class _Verdicts:
    """Per account, which postings the statements account for, matched one-to-one."""

    def __init__(
        self,
        books: _Books,
        printed: Printed,
        near: Callable[[date], bool],
        params: MatchParams = STATEMENT_PARAMS,
    ) -> None:
        self.printed = printed
        self.params = params
        self.matched: set[tuple[int, str]] = set()
        by_account: dict[str, list[PrintedLine]] = defaultdict(list)
        for line in printed.lines:
            by_account[line.account].append(line)
        postings: dict[str, list[tuple[int, Decimal, str]]] = defaultdict(list)
        for (account, currency, amount), members in books.buckets.items():
            if account in by_account:
                postings[account] += [
                    (i, amount, currency) for i in members if near(books.txns[i].date)
                ]
        for account, lines in by_account.items():
            self._match(books, account, lines, postings[account])

    def _match(
        self,
        books: _Books,
        account: str,
        lines: list[PrintedLine],
        postings: list[tuple[int, Decimal, str]],
    ) -> None:
        # Which postings hold a line: `bo.booked`'s decision, the one import and reconcile
        # make (an entry imported from a line is that line, joined by id, not scored).
        holders = []
        for i, amount, currency in postings:
            entry = books.txns[i]
            posting = next(
                p
                for p in entry.postings
                if p.account == account
                and p.units is not None
                and p.units.number == amount
                and p.units.currency == currency
            )
            holders.append(
                holder((books.rank(i), i, account), entry, posting, books.identity, account)
            )
        bank = [
            Item(n, ln.date, ln.amount, ln.currency, ln.text, ln.refs, ln.kind)
            for n, ln in enumerate(lines)
        ]
        booked = find_booked(bank, [ln.refs for ln in lines], holders, self.params)
        self.matched.update(key[1:] for pair in booked.pairs for key in pair.postings)

    def of(self, account: str, first: int, second: int, books: _Books) -> str:
        """ "twice", "once" or "unknown": how often the statement printed this movement."""
        if not all(self.printed.covers(account, books.txns[i].date) for i in (first, second)):
            return "unknown"
        count = ((first, account) in self.matched) + ((second, account) in self.matched)
        return ("unknown", "once", "twice")[count]


def _with_neighbour(
    books: _Books, members: list[int], window: int, near: Callable[[date], bool]
) -> list[int]:
    """Members of a bucket (in date order) with another member within `window` days."""
    days = [books.txns[i].date.toordinal() for i in members]
    keep = []
    for k, i in enumerate(members):
        close = (k > 0 and days[k] - days[k - 1] <= window) or (
            k + 1 < len(days) and days[k + 1] - days[k] <= window
        )
        if close and near(books.txns[i].date):
            keep.append(i)
    return keep


def _combined(
    verdicts: _Verdicts, accounts: Iterable[str], first: int, second: int, books: _Books
) -> str:
    """A transfer is on two statements: printed twice on either means two transfers."""
    found = {verdicts.of(account, first, second, books) for account in accounts}
    for verdict in ("twice", "once"):
        if verdict in found:
            return verdict
    return "unknown"


def _statement_of(accounts: Iterable[str]) -> str:
    return " and ".join(sorted(accounts))


class _Series:
    """Same amount and payee, by date: tells a weekly repeat from a payment made twice."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.days: dict[tuple, list[int]] = defaultdict(list)
        for item in items:
            self.days[self._key(item)].append(item.date.toordinal())
        for days in self.days.values():
            days.sort()

    @staticmethod
    def _key(item: Item) -> tuple:
        return (item.currency, item.amount, normalize_text(item.text))

    def regular(self, one: Item, two: Item) -> bool:
        """Whether the pair is part of a cadence rather than one payment made twice: another
        payment lies between them, or the gap repeats (within days) before or after them."""
        d1, d2 = sorted((one.date.toordinal(), two.date.toordinal()))
        gap = d2 - d1
        if gap == 0:
            return False
        days = self.days.get(self._key(one), [])
        if bisect_left(days, d2) - bisect_right(days, d1) > 0:
            return True  # not neighbours: the pairs of neighbours speak for them
        # A weekly payment moves a day or two for a weekend or a holiday.
        slack = 2 if gap >= 5 else 1 if gap >= 3 else 0
        at = bisect_left(days, d1)
        before = d1 - days[at - 1] if at > 0 else None
        at = bisect_right(days, d2)
        after = days[at] - d2 if at < len(days) else None
        return any(step is not None and abs(step - gap) <= slack for step in (before, after))
