"""One document entered twice under its payment reference: a QR bill scanned in the banking
app and typed again from paper, the same 27-digit QR reference on both.

A reference a vendor prints for its one bill (a QR or creditor reference, an OCR number, an
e-invoice's id) names that bill whatever name the person typing gave the vendor ("SAK" for
St.Gallisch-Appenzellische Kraftwerke AG). Two documents (no money moved: bills credited to
the payables, invoices debited to the receivables) owing the same amount under one such
reference, within the invoice window, are one document twice.

Honest look-alikes: payments of one bill in instalments carry its reference too, but move
money; two bills sharing an order's number carry two invoice numbers of their own; a
reference most documents share (a customer number) names what they have in common.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from bo.duplicates.books import _DOCUMENT_KEY, _Books, _days
from bo.duplicates.invoiced import _owed
from bo.duplicates.marked import marked_copy
from bo.duplicates.model import ENTERED_TWICE, Windows, _Candidate
from bo.duplicates.records import metadata_keys
from bo.duplicates.wording import different_parts
from bo.lineids import key_name

# A reference: six characters or more, a digit among them, no space.
_REFERENCE = re.compile(r"(?=\S*\d)\S{6,}")
# More documents than this under one reference name what they share, not one document.
_MOST_SHARING = 3
_SCORE = 0.95  # a vendor's reference, not the bank's line id


def _documents_by_reference(
    books: _Books, windows: Windows, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    """Pairs of documents owing one amount under one reference."""
    line_keys = books.identity.keys
    txns = books.txns
    # The keys first: most books name few documents by reference.
    named = {
        k for k in metadata_keys(books) if _DOCUMENT_KEY.search(k) and key_name(k) not in line_keys
    }
    if not named:
        return
    by_reference: dict[tuple, list[int]] = defaultdict(list)
    for i in books.described:
        entry = txns[i]
        meta = entry.meta
        keys = [
            key
            for key in named.intersection(meta)
            if type(meta[key]) is str and _REFERENCE.fullmatch(meta[key].strip())
        ]
        if not keys or not near(entry.date):
            continue
        owed = _owed(books, i)
        if owed is None:
            continue
        for key in keys:
            by_reference[(key_name(key), entry.meta[key].strip(), *owed)].append(i)
    for (key, value, side, currency, amount), members in by_reference.items():
        if not 1 < len(members) <= _MOST_SHARING:
            continue
        members.sort(key=lambda i: (books.rank(i), i))
        for n, first in enumerate(members):
            for second in members[n + 1 :]:
                if _apart(books, windows, first, second):
                    continue
                reasons = (
                    f"same {side} entered twice: {books.text(first)} and {books.text(second)}, "
                    f"both {key} {value}",
                    f"{amount:,} {currency} owed twice",
                    f"{_days(books, first, second)} days apart",
                )
                yield _Candidate(ENTERED_TWICE, (first, second), _SCORE, reasons, True)


def _apart(books: _Books, windows: Windows, first: int, second: int) -> bool:
    """Whether something tells the two documents apart: dates beyond the invoice window,
    parts of one bill, or two invoice numbers of their own."""
    if _days(books, first, second) > windows.invoice:
        return True
    if different_parts(books.narration(first), books.narration(second)):
        return True
    numbers = books.refs(first).get("invoice"), books.refs(second).get("invoice")
    if None in numbers or numbers[0] == numbers[1]:
        return False
    return not marked_copy(books.invoice_shown(first), books.invoice_shown(second))
