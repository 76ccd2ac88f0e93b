"""A supplier's statement entered as a bill on top of the invoices it lists.

A supplier sends its invoices through the month and, at the end, a statement listing them
with the total due. The statement is no bill: it asks for the invoices' money once more in
one sum. Entered as a bill, the payables owe the month twice. A bookkeeper recognises it
by what it lacks and what it adds up to: no invoice number of its own, an amount equal to
two or more of that vendor's invoices of the weeks before it taken together (a statement's
narration often names them: "Statement August - CG-50314, CG-50319").

Honest look-alikes: a vendor's recurring equal bills (a monthly rental), each carrying its
own number; a bill without a number that adds up to nothing the vendor billed before; a bill
whose narration names a number of its own, equal to a sum of other bills by chance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from bo.duplicates.bills import _owed
from bo.duplicates.books import _Books
from bo.duplicates.clues import posted_invoice
from bo.duplicates.model import ENTERED_TWICE, _Candidate
from bo.duplicates.vendors import vendor_words

# A statement covers a month: the invoices it lists are dated within this many days before
# it (a statement of the 2nd lists the month before).
STATEMENT_DAYS = 35
# A statement lists a few invoices; more than this many of one vendor in a month are not
# searched for a sum (a weekly supplier's statement is judged by its named numbers alone).
_MOST_LISTED = 4
_MOST_SEARCHED = 8


def _statements_as_bills(books: _Books, near: Callable[[date], bool]) -> Iterable[_Candidate]:
    """Bills without a number of their own equal to two or more earlier bills of their
    vendor together: one group finding of the statement and the bills it sums."""
    # The few bills without a number first: only their vendors' bills are read.
    txns = books.txns
    vendors = {
        vendor_words(books.text(i))
        for i in books.bills
        if txns[i].meta.get("invoice") is None and not _numbered(books, i) and near(txns[i].date)
    }
    if not vendors:
        return
    by_vendor: dict[tuple[tuple[str, ...], str], list[tuple[date, int, Decimal]]] = defaultdict(
        list
    )
    wanted = [i for i in books.bills if vendor_words(books.text(i)) in vendors]
    for i in sorted(wanted, key=books.rank):
        owed = _owed_once(books, i)
        if owed is not None:
            currency, amount = owed
            by_vendor[(vendor_words(books.text(i)), currency)].append(
                (books.txns[i].date, i, amount)
            )
    for (_, currency), billed in by_vendor.items():
        if len(billed) < 3:
            continue
        days = [day for day, _, _ in billed]
        for day, i, amount in billed:
            if not near(day) or _numbered(books, i):
                continue
            start = bisect_left(days, day - timedelta(days=STATEMENT_DAYS))
            listed = [
                (j, owed)
                for _, j, owed in billed[start:]
                if j != i and books.txns[j].date <= day and owed < amount and _numbered(books, j)
            ]
            found = _listed(books, i, amount, listed)
            if found is not None and not _own_number(books, i, found):
                yield _finding(books, i, amount, currency, found)


def _owed_once(books: _Books, i: int) -> tuple[str, Decimal] | None:
    """(currency, amount) a bill credits to the payables, in one currency."""
    owed = list(_owed(books, i))
    return owed[0] if len(owed) == 1 else None


def _numbered(books: _Books, i: int) -> bool:
    """Whether a bill carries its own invoice number in metadata (the entry's or the
    payable's posting): a statement has none; a number in its narration may be a listed
    invoice's."""
    entry = books.txns[i]
    return entry.meta.get("invoice") is not None or posted_invoice(entry) is not None


def _listed(
    books: _Books, statement: int, amount: Decimal, bills: list[tuple[int, Decimal]]
) -> tuple[int, ...] | None:
    """The earlier bills the statement's amount sums: those its narration names, else the
    first set of two to four (of the month's few) adding up to it."""
    narration = books.narration(statement).casefold()
    named = [(j, owed) for j, owed in bills if _number(books, j) in narration]
    if len(named) > 1 and sum(owed for _, owed in named) == amount:
        return tuple(j for j, _ in named)
    if len(bills) > _MOST_SEARCHED:
        return None
    for size in range(2, min(_MOST_LISTED, len(bills)) + 1):
        for chosen in combinations(bills, size):
            if sum(owed for _, owed in chosen) == amount:
                return tuple(j for j, _ in chosen)
    return None


def _own_number(books: _Books, statement: int, listed: tuple[int, ...]) -> bool:
    """Whether the bill's narration names an invoice number none of the bills it sums
    carries: a bill of its own ("Faktura 5123 extra cleaning"), equal to a sum by chance."""
    own = books.refs(statement).get("invoice")
    return own is not None and own not in {books.refs(j).get("invoice") for j in listed}


def _number(books: _Books, i: int) -> str:
    entry = books.txns[i]
    number = entry.meta.get("invoice") or posted_invoice(entry) or ""
    return str(number).strip().casefold() or "\0"


def _finding(
    books: _Books, statement: int, amount: Decimal, currency: str, listed: tuple[int, ...]
) -> _Candidate:
    numbers = " and ".join(str(books.txns[j].meta.get("invoice") or "?") for j in listed)
    reasons = (
        f"a statement entered as a bill: {books.text(statement)}, {amount:,} {currency} is "
        f"invoices {numbers} together",
        "the statement carries no invoice number of its own",
        f"the payables owe {amount:,} {currency} twice",
    )
    members = tuple(sorted((statement, *listed), key=books.rank))
    return _Candidate(ENTERED_TWICE, members, 0.9, reasons, False)
