"""A movement typed by hand into an account an importer feeds, beside the feed's own line.

An account whose lines a script or an export brings in (entries carrying the bank's line id,
or the processor's id of the record) holds each movement once from the feed. An entry typed
into that account by hand (from a receipt, a paying-in book, a letter, an e-mail) beside an
imported entry moving the very same accounts by the very same amounts within days is the
feed's line booked again, when something beyond the amount says it is one: a number both
carry (the paying-in slip, a ticket), a split alike to the penny over three accounts or more
(a chargeback and its fee), the one party under the bank's short name and the person's full
one ("Tilehurst WI" for Tilehurst Women's Institute; "St Luke's, Tilehurst", the church and
where it is), or the institution whose feed it is named as the payee ("Stripe" on Stripe's
balance: its own movement, a fee or a dispute). The bank's words and a person's differ
("Cheques paid in, slip 100278" and "St Luke's Church"; "Dispute" and "Chargeback and fee");
two merchants' names beginning alike ("Whole Foods", "WHOLESALE FLOORS") do not say one.
Without a statement to count the lines this is the feed's word; two lines the narrations
tell apart (parts of a bill, two people's pay, two invoices) stay apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bo.duplicates.books import _Books, _same_postings
from bo.duplicates.records import record_key
from bo.duplicates.vendors import LEGAL_WORDS, vendor_words
from bo.duplicates.wording import check_in, numbers_in
from bo.matching import normalize_ref

if TYPE_CHECKING:
    from beancount.core import data

_WORD = re.compile(r"[^\W_]+")
# A number shared by two entries' words names one document when it has this many digits or
# more (a slip, a ticket, an order; "2025" alone is a year).
_DOCUMENT_DIGITS = 5
# A cheque's number, after its word ("Cheque 1042", "CHQ 001042"), is one from three digits.
_CHECK_DIGITS = 3
# An institution's name in an account: a word this long ("Stripe", "Unity", not "AP").
_NAME = 4
# Postings alike over this many accounts are a split, not an amount that recurs.
_SPLIT = 3


def typed_beside_feed(books: _Books, first: int, second: int) -> str | None:
    """Words for one entry imported and one typed, moving the same accounts by the same
    amounts, with something beyond the amount saying they are one; else None."""
    imported = [_imported(books, i) for i in (first, second)]
    if imported[0] == imported[1]:
        return None
    typed, fed = (second, first) if imported[0] else (first, second)
    if books.line_ids(typed):
        return None  # a link of a person's or a feed's: not plainly typed
    a, b = books.txns[first], books.txns[second]
    if not _same_postings(a, b):
        return None
    account = books.statement_account(fed) or next(
        (p.account for p in books.txns[fed].postings if p.account in books.cash), None
    )
    why = (
        _one_document(books, first, second)
        or _one_split(books, first)
        or _one_party(a, b)
        or _the_feeds_own(books.txns[typed], account)
    )
    if why is None:
        return None
    return f"one typed by hand, one brought in by the feed of {account or 'its account'}: {why}"


def _imported(books: _Books, i: int) -> bool:
    ids = books.line_ids(i)
    if ids and not all(line_id.is_link for line_id in ids):
        return True
    return record_key(books.txns[i].meta, books.identity.keys) is not None


def imported_by_record(books: _Books, first: int, second: int) -> str | None:
    """Words for one entry a script imported under another system's id (no bank line's) and
    one typed, no id at all: two sources of one movement, as a bank's line beside a typed
    entry is, not two entries typed alike."""
    if books.line_ids(first) or books.line_ids(second):
        return None
    keys = [record_key(books.txns[i].meta, books.identity.keys) for i in (first, second)]
    if (keys[0] is None) == (keys[1] is None):
        return None
    return f"one typed by hand, one imported with its {keys[0] or keys[1]}"


def _one_document(books: _Books, first: int, second: int) -> str | None:
    shared = _numbers(books, first) & _numbers(books, second)
    return f"both name {min(shared)}" if shared else None


def _numbers(books: _Books, i: int) -> set[str]:
    """The document numbers an entry names: in its words (a cheque's after its word, any
    other of five digits or more), in its references (`invoice:`, `check:`), and the line's
    own number a feed imported it under when it is one a person can read off the paper (a
    fuel docket's "04104362", typed into the narration of the copy)."""
    entry = books.txns[i]
    found = set(books.refs(i).values())
    for line_id in books.line_ids(i):
        if not line_id.is_link and _printed_number(line_id.value):
            found.add(normalize_ref(line_id.value))
    for text in (entry.payee, entry.narration):
        if not text:
            continue
        check = check_in(text)
        if check is not None and len(check) >= _CHECK_DIGITS:
            found.add(check)
        for token in numbers_in(text):
            if sum(ch.isdigit() for ch in token) >= _DOCUMENT_DIGITS:
                found.add(normalize_ref(token))
    return found


def _printed_number(value: str) -> bool:
    """Whether an id is a number printed on a document (digits, perhaps a few letters), not
    a feed's opaque key ("trans_hpgxshchpa720g9x4iukavsgl", a hash)."""
    digits = sum(ch.isdigit() for ch in value)
    return digits >= _DOCUMENT_DIGITS and len(value) - digits <= 3


def _one_split(books: _Books, i: int) -> str | None:
    legs = [p for p in books.txns[i].postings if p.units is not None]
    return f"the same split over {len(legs)} accounts" if len(legs) >= _SPLIT else None


def _one_party(a: data.Transaction, b: data.Transaction) -> str | None:
    """The one party under two names a bank and a person give it, when both name one."""
    if not a.payee or not b.payee:
        return None
    for named, other in ((a.payee, b.payee), (b.payee, a.payee)):
        if _initials_after(_spelled(named), _spelled(other)):
            return f"{named} is {other} shortened"
        head, comma, _ = named.partition(",")
        if comma and "," not in other and _leads(vendor_words(head), vendor_words(other)):
            return f"{named} is {other} and where it is"
    return None


def _the_feeds_own(typed: data.Transaction, account: str | None) -> str | None:
    """Whether the typed entry names the institution whose feed it is ("Stripe" on
    Assets:Stripe:Balance, "Unity Trust" on Assets:Bank:Unity): its own movement (a fee, a
    dispute, interest), which its feed brings in, under words of its own ("Dispute")."""
    if not typed.payee or account is None:
        return None
    words = vendor_words(typed.payee)
    names = {part.casefold() for part in account.split(":")[1:]}
    if words and len(words[0]) >= _NAME and words[0] in names:
        return f"{typed.payee} is the institution of {account}"
    return None


def _initials_after(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether a name is the other's first words then the initials of the rest ("Tilehurst
    WI", Tilehurst Women's Institute; "Reading FC", Reading Football Club)."""
    if len(short) < 2 or len(long) <= len(short):
        return False
    kept = len(short) - 1
    rest = long[kept:]
    return (
        short[:kept] == long[:kept]
        and len(rest) >= 2
        and short[-1] == "".join(word[0] for word in rest)
    )


def _spelled(name: str) -> tuple[str, ...]:
    """A name's words as written, casefolded, without legal words, initials written apart
    run together ("W.I.", "W I": `wi`); abbreviations are left as they are ("W" is no
    West here)."""
    words = [w for w in _WORD.findall(name.casefold().replace("'", "")) if w not in LEGAL_WORDS]
    at = len(words)
    while at > 0 and len(words[at - 1]) == 1:
        at -= 1
    if len(words) - at >= 2:
        words[at:] = ["".join(words[at:])]
    return tuple(words)


def _leads(head: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether a name before its comma opens the other name ("St Luke's" of St Luke's
    Church): the words in order, two at least (one word is a family name: "Smith, J")."""
    return len(head) >= 2 and other[: len(head)] == head
