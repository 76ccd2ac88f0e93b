"""An invoice or a credit note entered twice in the receivables, by its amount.

What the bills' rule says of the payables holds of the receivables: a customer's document
(a debit to the receivables, or a credit note crediting them, no money moved) entered again
for the same amount within days, the same accounts, no number telling the two apart, is one
document twice: a quarter's rebate credited at quarter end and again from the customer's
credit advice ("Gutschrift Quartalsbonus Q1", "Gutschriftsanzeige Bonus Q1").

Honest look-alikes: documents of one amount under two numbers; two customers' (or two
patients', two properties': named apart) documents of one amount; a monthly fee at one price
(a cadence); parts of one invoice ("1 of 3"); a document reversed and booked again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from bo.duplicates.books import _Books, _compare, _days, _item
from bo.duplicates.evidence import _Series
from bo.duplicates.model import ENTERED_TWICE, MIN_SCORE, NO_EVIDENCE_FACTOR, Windows, _Candidate
from bo.duplicates.reversals import taken_back
from bo.duplicates.wording import different_parts, named_apart
from bo.matching import Item, MatchParams


def _credited_twice(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    params = MatchParams(
        date_window=windows.payment, check_date_window=windows.payment, min_score=MIN_SCORE
    )
    receivables = books.receivables
    for key, members in books.buckets.items():
        # An entry moving no money is filed by its signed accounts and largest amount: one
        # bucket holds the documents posted alike.
        if len(members) < 2 or key[0] in books.cash:
            continue
        documents = [
            i
            for i in members
            if near(books.txns[i].date)
            and i not in books.ids
            and any(p.account in receivables for p in books.txns[i].postings)
        ]
        if len(documents) < 2:
            continue
        _, currency, amount = key
        items = [_item(books, i, amount, currency) for i in documents]
        series = _Series(items)
        for n, first in enumerate(documents):
            for m in range(n + 1, len(documents)):
                second = documents[m]
                if _days(books, first, second) > windows.payment:
                    break
                found = _judge(books, windows, params, series, items[n], items[m])
                if found is not None:
                    yield found


def _judge(
    books: _Books, windows: Windows, params: MatchParams, series: _Series, one: Item, two: Item
) -> _Candidate | None:
    first, second = one.key, two.key
    refs = books.refs(first).get("invoice"), books.refs(second).get("invoice")
    if refs[0] is not None and refs[1] is not None:
        return None  # two numbers: two documents; one number twice is the number's rules
    texts = books.text(first), books.text(second)
    if not books.names.same(*texts):
        return None
    narrations = books.narration(first), books.narration(second)
    if different_parts(*narrations) or named_apart(*narrations):
        return None
    if series.regular(one, two) or taken_back(books, (first, second), windows.entry):
        return None  # a monthly fee at one price; one of them reversed
    pair = _compare(one, two, params)
    if pair is None:
        return None
    side = "credit note" if _credits(books, first) else "invoice"
    reasons = [
        f"same {side} entered twice: {texts[0]}",
        f"{one.amount:,} {one.currency} on the receivables twice, the same accounts",
    ]
    score, missing = pair.score, ()
    if refs[0] is None and refs[1] is None:
        reasons.append(f"no number tells the {side}s apart")
        missing = (f"neither {side} carries a number",)
        score *= NO_EVIDENCE_FACTOR
    else:
        reasons.append(f"only one names a number ({refs[0] or refs[1]})")
    reasons += pair.reasons
    return _Candidate(ENTERED_TWICE, (first, second), score, tuple(reasons), True, missing)


def _credits(books: _Books, i: int) -> bool:
    """Whether a document credits the receivables (a credit note) rather than debits them."""
    return any(
        p.account in books.receivables and p.units is not None and p.units.number < 0
        for p in books.txns[i].postings
    )
