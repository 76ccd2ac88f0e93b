"""A movement typed by hand into an account an importer feeds, and the feed's own line of it.

An account whose lines a script or an export brings in (entries carrying the bank's line id,
or the processor's id of the record) holds each movement once from the feed. An entry typed
into that account by hand (from a receipt, a paying-in book, a letter, an e-mail) beside an
imported entry moving the very same accounts by the very same amounts within days is the
feed's line booked again: the bank's words for it and a person's differ ("Cheques paid in,
slip 100278" and "St Luke's Church, harvest collection"; "Dispute" and "Chargeback and
fee"), the postings do not. Without a statement to count the lines this is the feed's word,
weighed below a statement's; two lines the feed told apart (parts of a bill, two people's
pay, two invoices) stay apart.
"""

from __future__ import annotations

from bo.duplicates.books import _Books, _same_postings
from bo.duplicates.records import holds_record_id


def typed_beside_feed(books: _Books, first: int, second: int) -> str | None:
    """Words for one entry imported and one typed, moving the same accounts by the same
    amounts; else None."""
    imported = [_imported(books, i) for i in (first, second)]
    if imported[0] == imported[1]:
        return None
    typed = second if imported[0] else first
    if books.line_ids(typed):
        return None  # a link of a person's or a feed's: not plainly typed
    a, b = books.txns[first], books.txns[second]
    if not _same_postings(a, b):
        return None
    fed = first if imported[0] else second
    account = books.statement_account(fed) or next(
        (p.account for p in books.txns[fed].postings if p.account in books.cash), "its account"
    )
    return f"one typed by hand, one brought by the feed of {account}, the same postings"


def _imported(books: _Books, i: int) -> bool:
    ids = books.line_ids(i)
    if ids and not all(line_id.is_link for line_id in ids):
        return True
    return holds_record_id(books.txns[i].meta, books.identity.keys)
