"""Rule 6: one customer's payment of an invoice booked twice (the bank feed's line and the
remittance advice typed by hand), found as a bookkeeper finds it: the receivable of that
invoice goes below nothing, the customer having paid more than was invoiced.

Receipts of one invoice number (however written) from one customer are summed against the
invoices under that number, less credit notes, plus refunds paid back. Parts that add up to
the invoice are instalments; two receipts of one amount with no invoice booked, within days,
are one receipt twice. The statement tells a receipt booked twice (one line) from a customer
who really paid twice (two lines): both are findings, under different names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from bo.duplicates.bills import _as_item
from bo.duplicates.books import _Books, _compare, _days, _item
from bo.duplicates.copies import split_copies
from bo.duplicates.evidence import _combined, _Series, _Verdicts
from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE, Windows, _Candidate
from bo.duplicates.payments import (
    _by_vendor,
    _closest,
    _invoice_params,
    _Invoiced,
    _without_reference,
)
from bo.duplicates.wording import different_parts
from bo.lineids import same_kind_differs

_Key = tuple[str, str]  # (currency, invoice number)


def _received_twice(
    books: _Books,
    windows: Windows,
    verdicts: _Verdicts,
    near: Callable[[date], bool],
    receipts: _Receipts,
) -> Iterable[_Candidate]:
    received_by, owed = receipts
    for key, received in received_by.items():
        if not any(near(books.txns[r.index].date) for r in received):
            continue
        for cluster in _by_vendor(books, received):
            if len(cluster) > 1:
                yield from _overreceived(books, key, cluster, owed.get(key, []), windows, verdicts)


# Receipts of an invoice received more than once, and what is owed under those invoices.
_Receipts = tuple[dict[_Key, list[_Invoiced]], dict[_Key, list[_Invoiced]]]


def _receipts(books: _Books) -> _Receipts:
    """Receipts by invoice where there are two or more, and what is owed under each: read
    over every entry naming an invoice once, whatever the period (kept with the ledger)."""
    if not books.receivables:
        return {}, {}
    receipts: dict[_Key, list[_Invoiced]] = defaultdict(list)
    owed: dict[_Key, list[_Invoiced]] = defaultdict(list)  # invoices, less credit notes
    for i in books.invoiced:
        ref = books.refs(i).get("invoice")
        if ref is None:
            continue
        into, came_in = _receivable_and_cash(books, i)
        for currency, amount in into.items():
            if amount < 0 and came_in.get(currency, 0) > 0:
                receipts[(currency, ref)].append(_Invoiced(i, -amount, currency))
            elif amount:
                # An invoice (or money paid back) raises what is owed; a credit note lowers it.
                owed[(currency, ref)].append(_Invoiced(i, amount, currency))
    twice = {key: found for key, found in receipts.items() if len(found) > 1}
    return twice, {key: owed[key] for key in twice if key in owed}


def _receivable_and_cash(books: _Books, i: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """What an entry moves on the receivables and on money accounts, per currency."""
    into: dict[str, Decimal] = {}
    cash: dict[str, Decimal] = {}
    for p in books.txns[i].postings:
        if p.units is None:
            continue
        if p.account in books.receivables:
            into[p.units.currency] = into.get(p.units.currency, Decimal(0)) + p.units.number
        elif p.account in books.cash:
            cash[p.units.currency] = cash.get(p.units.currency, Decimal(0)) + p.units.number
    return into, cash


def _overreceived(
    books: _Books,
    key: _Key,
    cluster: list[_Invoiced],
    owed: list[_Invoiced],
    windows: Windows,
    verdicts: _Verdicts,
) -> Iterable[_Candidate]:
    currency, ref = key
    customer = books.text(cluster[0].index)
    mine = [o for o in owed if books.names.related(books.text(o.index), customer)]
    invoiced = sum((o.amount for o in mine), Decimal(0))
    total = sum((r.amount for r in cluster), Decimal(0))
    shown = books.invoice_shown(cluster[0].index)
    if mine and total <= invoiced:
        return  # received in parts that add up to the invoice
    # Beyond the invoice: first the receipts that are one entered twice, then the rest.
    beyond = (
        f"received {total:,} against an invoice of {invoiced:,} ({total - invoiced:,} too much)"
        if mine
        else ""
    )
    copies, cluster = split_copies(books, cluster, windows, verdicts, "receipt", beyond)
    yield from copies
    total = sum((r.amount for r in cluster), Decimal(0))
    if len(cluster) < 2 or (mine and total <= invoiced):
        return
    # The two receipts that most look alike speak for the finding.
    first, second = _closest(books, cluster)
    days = _days(books, first.index, second.index)
    if not mine:
        # No invoice booked: one amount twice within days is one receipt twice; other
        # amounts, or weeks apart, are parts of it or another month's.
        if first.amount != second.amount or days > windows.payment:
            return
        if different_parts(books.narration(first.index), books.narration(second.index)):
            return
        items = [_as_item(books, r) for r in cluster]
        if _Series(items).regular(_as_item(books, first), _as_item(books, second)):
            return  # a weekly retainer under the customer's one reference
    pair = _compare(
        _item(books, first.index, first.amount, currency, [ref]),
        _item(books, second.index, second.amount, currency, [ref]),
        _invoice_params(books, cluster, max(days, windows.invoice)),
    )
    accounts = {
        p.account
        for r in (first, second)
        for p in books.txns[r.index].postings
        if p.account in books.cash
    }
    verdict = _combined(verdicts, accounts, first.index, second.index, books)
    # Two lines of the bank under ids of one kind are two receipts too.
    lines = same_kind_differs(books.line_ids(first.index), books.line_ids(second.index))
    paid_twice = verdict == "twice" or (verdict == "unknown" and lines is not None)
    reasons = [
        f"same customer {customer}, same invoice {shown}",
        f"received {total:,} against an invoice of {invoiced:,} ({total - invoiced:,} too much)"
        if mine
        else f"received {first.amount:,} {currency} twice, no invoice booked for it",
    ]
    if paid_twice:
        reasons.append("the bank shows both: the customer paid twice")
    elif mine:
        reasons.append("booked twice: the receivable of the invoice goes below nothing")
    if len(cluster) == 2:
        reasons += _without_reference(pair)
    kind = PAID_TWICE if paid_twice else ENTERED_TWICE
    score = pair.score if pair else 0.9
    yield _Candidate(kind, tuple(r.index for r in cluster), score, tuple(reasons), False)
