"""Rule 5: a bill entered twice, one vendor's invoice owed twice in the payables.

Two bills (credits to a payables account, no money moved) from one vendor, under any of its
names, for one invoice number however written ("INV-1042", "1042"); or for the same amount
within days when no invoice number tells them apart. Left alone, the payables are overstated
and the bill is paid twice.

Honest look-alikes: a monthly bill at one price (weeks apart, or a cadence), instalments of
one contract ("3 of 48"), two vendors' bills of one amount, bills carrying different numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from bo.duplicates.books import _Books, _compare, _days, _item, _same_postings
from bo.duplicates.evidence import _Series
from bo.duplicates.marked import marked_copy
from bo.duplicates.model import ENTERED_TWICE, MIN_SCORE, NO_EVIDENCE_FACTOR, Windows, _Candidate
from bo.duplicates.payments import _by_vendor, _invoice_params, _Invoiced, _without_reference
from bo.duplicates.periods import named_periods_apart
from bo.duplicates.wording import different_parts, named_apart
from bo.matching import Item, MatchParams


def _billed_twice(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    owed: list[_Invoiced] = []
    for i in sorted(books.bills, key=books.rank):
        if near(books.txns[i].date):
            owed += [_Invoiced(i, amount, currency) for currency, amount in _owed(books, i)]
    by_number: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    by_amount: dict[tuple[str, Decimal], list[_Invoiced]] = defaultdict(list)
    for bill in owed:
        ref = books.refs(bill.index).get("invoice")
        if ref is not None:
            by_number[(bill.currency, ref)].append(bill)
        by_amount[(bill.currency, bill.amount)].append(bill)
    for (_, ref), bills in by_number.items():
        if len(bills) > 1:
            clusters = _by_vendor(books, bills)
            for cluster in clusters:
                yield from _same_number(books, ref, cluster, windows)
            for pair in _one_bill_two_names(books, clusters):
                yield from _same_number(books, ref, pair, windows)
    for bills in by_amount.values():
        if len(bills) > 1:
            yield from _same_amount(books, bills, windows)


def _one_bill_two_names(
    books: _Books, clusters: list[list[_Invoiced]]
) -> Iterable[list[_Invoiced]]:
    """Bills under one number, written with the same letters, whose every posting is alike,
    filed under two names bo cannot tie (the vendor's name in two scripts: "Mashiko Todo
    Ltd", "益子陶土"): one bill, whatever each was called."""
    for n, left in enumerate(clusters):
        for right in clusters[n + 1 :]:
            for first in left:
                for second in right:
                    if books.invoice_letters(first.index) != books.invoice_letters(second.index):
                        continue  # "SA-202505" and "YA-202505": two vendors' numbers
                    if _same_postings(books.txns[first.index], books.txns[second.index]):
                        yield [first, second]


def _owed(books: _Books, i: int) -> Iterable[tuple[str, Decimal]]:
    """What a bill credits to the payables, per currency."""
    owed: dict[str, Decimal] = {}
    for p in books.txns[i].postings:
        if p.account in books.payables and p.units is not None and p.units.number < 0:
            owed[p.units.currency] = owed.get(p.units.currency, Decimal(0)) - p.units.number
    return owed.items()


def _same_number(
    books: _Books, ref: str, cluster: list[_Invoiced], windows: Windows
) -> Iterable[_Candidate]:
    for n, first in enumerate(cluster):
        for second in cluster[n + 1 :]:
            if first.index == second.index:
                continue
            # A number named as an invoice's is the vendor's one bill, months apart too; an
            # id read from other text may recur on every month's bill.
            named = books.invoice_named(first.index) and books.invoice_named(second.index)
            days = windows.invoice if named else windows.payment
            if _days(books, first.index, second.index) > days:
                continue
            if different_parts(books.narration(first.index), books.narration(second.index)):
                continue  # instalment 3 and 4 of one contract
            pair = _compare(
                _item(books, first.index, first.amount, first.currency, [ref]),
                _item(books, second.index, second.amount, second.currency, [ref]),
                _invoice_params(books, [first, second], days),
            )
            if pair is None:
                continue
            shown = books.invoice_shown(first.index), books.invoice_shown(second.index)
            number = shown[0] if shown[0] == shown[1] else f"{shown[0]} and {shown[1]}"
            reasons = [
                f"same bill entered twice: {books.text(first.index)}, invoice {number}",
                _owed_words(first, second),
                *_without_reference(pair),
            ]
            yield _Candidate(
                ENTERED_TWICE, (first.index, second.index), pair.score, tuple(reasons), True
            )


def _same_amount(books: _Books, bills: list[_Invoiced], windows: Windows) -> Iterable[_Candidate]:
    """Bills of one amount (in book order) from one vendor within days, no number apart."""
    series = _Series(_as_item(books, bill) for bill in bills)
    params = MatchParams(
        date_window=windows.payment, check_date_window=windows.payment, min_score=MIN_SCORE
    )
    for n, first in enumerate(bills):
        for second in bills[n + 1 :]:
            if _days(books, first.index, second.index) > windows.payment:
                break
            if first.index == second.index:
                continue
            a, b = books.refs(first.index).get("invoice"), books.refs(second.index).get("invoice")
            shown = books.invoice_shown(first.index), books.invoice_shown(second.index)
            if a is not None and b is not None and not marked_copy(*shown):
                continue  # two numbers: two bills; one number twice is the rule above's
            texts = books.text(first.index), books.text(second.index)
            if not books.names.same(*texts):
                continue
            narrations = books.narration(first.index), books.narration(second.index)
            if different_parts(*narrations) or named_apart(*narrations):
                continue
            if named_periods_apart(*narrations):
                continue  # week 50's settlement and week 52's
            one, two = _as_item(books, first), _as_item(books, second)
            if series.regular(one, two):
                continue  # a weekly bill at one price
            pair = _compare(one, two, params)
            if pair is None:
                continue
            reasons = [f"same bill entered twice: {texts[0]}", _owed_words(first, second)]
            missing: tuple[str, ...] = ()
            score = pair.score
            if a is not None and b is not None:
                reasons.append(
                    f"one invoice number, the copy's with a mark ({shown[0]}, {shown[1]})"
                )
            elif a is None and b is None:
                reasons.append("no invoice number tells the bills apart")
                missing = ("neither bill carries an invoice number",)
                score *= NO_EVIDENCE_FACTOR
            else:
                reasons.append(f"only one names an invoice ({a or b})")
            reasons += pair.reasons
            yield _Candidate(
                ENTERED_TWICE,
                (first.index, second.index),
                score,
                tuple(reasons),
                True,
                missing,
            )


def _as_item(books: _Books, bill: _Invoiced) -> Item:
    return Item(
        bill.index, books.txns[bill.index].date, bill.amount, bill.currency, books.text(bill.index)
    )


def _owed_words(first: _Invoiced, second: _Invoiced) -> str:
    if first.amount == second.amount:
        return f"the payables owe {first.amount:,} {first.currency} twice"
    return f"billed {first.amount:,} and {second.amount:,} {first.currency}"
