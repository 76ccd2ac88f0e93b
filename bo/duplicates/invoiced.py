"""One document entered twice under its number written two ways: an invoice to a customer
entered from our claim ("PC-250-05") and again from the architect's payment certificate for
it ("250-5"), or a vendor's bill "SMB-2025-03" entered again as "2025/03".

People and their tools write one number with other letters, separators and leading zeros;
its groups of digits stay: (250, 5) in both. Two documents (a debit to the receivables, or a
credit to the payables, no money moved) of one customer or vendor, under any of its names,
owing the same amount under numbers with the same groups of digits, within the invoice
window, are one document twice. Equal documents carrying their own numbers (a fixed-price
contract's monthly claims, PC-255-07 and PC-255-08) are not; nor are parts ("1 of 3").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from bo.duplicates.books import _Books, _compare_document, _days, _document_ids_differ
from bo.duplicates.model import ENTERED_TWICE, Windows, _Candidate
from bo.duplicates.wording import different_parts

_DIGITS = re.compile(r"\d+")
_LEAST_GROUPS = 2  # one group of digits alone is the number itself, the reference's rule


def digit_groups(number: str) -> tuple[int, ...]:
    """A document number's groups of digits: "PC-250-05" and "250-5" are (250, 5)."""
    return tuple(int(group) for group in _DIGITS.findall(number))


def _documents_twice(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    by_groups: dict[tuple, list[tuple[int, Decimal]]] = defaultdict(list)
    for i in books.invoiced:
        if not near(books.txns[i].date):
            continue
        owed = _owed(books, i)
        if owed is None:
            continue
        side, currency, amount = owed
        groups = digit_groups(books.invoice_shown(i))
        if len(groups) >= _LEAST_GROUPS:
            by_groups[(side, currency, amount, groups)].append((i, amount))
    for (side, currency, _, groups), members in by_groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (books.rank(m[0]), m[0]))
        for n, (first, amount) in enumerate(members):
            for second, _ in members[n + 1 :]:
                found = _judge(books, windows, side, currency, amount, groups, first, second)
                if found is not None:
                    yield found


def _owed(books: _Books, i: int) -> tuple[str, str, Decimal] | None:
    """("invoice" or "bill", currency, amount) of a document that moves no money: what it
    debits to the receivables or credits to the payables, in one currency."""
    entry = books.txns[i]
    found: dict[tuple[str, str], Decimal] = {}
    for p in entry.postings:
        units = p.units
        if units is None:
            continue
        if p.account in books.cash:
            return None  # money moved: a payment or a receipt
        if p.account in books.receivables and units.number > 0:
            key = ("invoice", units.currency)
        elif p.account in books.payables and units.number < 0:
            key = ("bill", units.currency)
        else:
            continue
        found[key] = found.get(key, Decimal(0)) + abs(units.number)
    if len(found) != 1:
        return None
    ((side, currency), amount), *_ = found.items()
    return side, currency, amount


def _judge(
    books: _Books,
    windows: Windows,
    side: str,
    currency: str,
    amount: Decimal,
    groups: tuple[int, ...],
    first: int,
    second: int,
) -> _Candidate | None:
    refs = books.refs(first).get("invoice"), books.refs(second).get("invoice")
    if side == "bill" and refs[0] == refs[1]:
        return None  # one number written alike: the bills' own rule
    if _days(books, first, second) > windows.invoice:
        return None
    names = books.text(first), books.text(second)
    if not books.names.related(*names):
        return None
    if different_parts(books.narration(first), books.narration(second)):
        return None
    metas = books.txns[first].meta, books.txns[second].meta
    if _document_ids_differ(*metas, books.identity.keys):
        return None  # another number tells them apart (a job, an order: two documents)
    key = "-".join(map(str, groups))
    pair = _compare_document(books, (first, second), amount, currency, key, windows.invoice)
    if pair is None:
        return None
    shown = books.invoice_shown(first), books.invoice_shown(second)
    whose = "customer" if side == "invoice" else "vendor"
    reasons = [
        f"same {side} entered twice: {whose} {names[0]}, {side} {shown[0]} and {shown[1]} "
        "(one number written two ways)",
        f"{amount:,} {currency} owed twice",
        *(r for r in pair.reasons if not r.startswith("same reference")),
    ]
    return _Candidate(ENTERED_TWICE, (first, second), pair.score, tuple(reasons), True)
