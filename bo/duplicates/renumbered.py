"""One document entered twice under its own number written two ways: an insurer's claim
raised from the practice software as `claim: "KPI-204819"` and typed again as "204819",
"KPI 204819" or only in the narration ("Claim 204819 Daisy gap"); a work order recharged
from the order (`arbetsorder: "AO-1545"`) and again from the month's list ("AO 1545").

Which metadata names a document by its own number the books show: a key (not a bank line's
id) on several entries, most of them holding a value no other entry holds, with a number of
four digits or more in it (a claim's, an order's, a run's; a year is no document's number).
Another entry naming those digits (under the key written otherwise, or in its narration),
owing the same amount on the same balance sheet account the same way, within the invoice
window, for the same party (payees that may be one, or none to compare), is that document
again. People write one number with other letters and separators; its digits stay.

Honest look-alikes: two documents of equal amount under two numbers (two pets' claims the
same day, two work orders of one price); a document reversed and booked again under its
number, or taken back and resubmitted under a new one; a payment naming the document it
pays (it moves the account the other way); parts of one document ("1 of 3").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from itertools import chain
from operator import methodcaller

from beancount.core import data

from bo.duplicates.books import _Books, _compare_document, _days
from bo.duplicates.model import ENTERED_TWICE, Windows, _Candidate
from bo.duplicates.reversals import taken_back
from bo.duplicates.wording import different_parts, numbers_in
from bo.lineids import key_name

_DIGITS = re.compile(r"\d+")
_LEAST_DIGITS = 4  # fewer are a count, a flat, a small reference shared by many
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# A key names each document by its own number when this many entries hold it and this share
# of them hold a value no other entry holds (not a customer's, a project's, a period's).
_MIN_DOCUMENTS = 5
_OWN = 0.75
_PLACE = frozenset({"filename", "lineno"})
_Posted = tuple[str, str, Decimal]  # (account, currency, signed number)


def document_number(value: str) -> str | None:
    """The digits a document's number is known by: its longest group of four digits or
    more, without leading zeros ("KPI-204819", "KPI 204819", "204819" are 204819); None
    for none, or for a year."""
    groups = [g.lstrip("0") for g in _DIGITS.findall(value)]
    groups = [g for g in groups if len(g) >= _LEAST_DIGITS and not _YEAR.match(g)]
    return max(groups, key=len) if groups else None


def numbered_documents(books: _Books) -> dict[int, dict[str, str]]:
    """The entries holding a document's own number, with its digits by key: read with the
    ledger (while `_Books.described` lists the entries with metadata) and kept with it."""
    keys = _own_number_keys(books)
    if not keys:
        return {}
    found = {}
    for i in books.described:
        numbered = _own_numbers(books.txns[i].meta, keys)
        if numbered:
            found[i] = numbered
    return found


def _renumbered_twice(
    books: _Books,
    windows: Windows,
    near: Callable[[date], bool],
    banks: frozenset[str],
    numbered: dict[int, dict[str, str]],
) -> Iterable[_Candidate]:
    """`banks`: the accounts bo.yaml names bank, card or processor (a movement there is a
    bank line, not a document), or none to take the accounts money moves between.
    `numbered`: `numbered_documents`'s answer."""
    if not numbered:
        return
    keys = frozenset(key for numbers in numbered.values() for key in numbers)
    banks = banks or books.cash
    txns = books.txns
    # (account, currency, signed number, digits) -> the documents holding that number
    held: dict[tuple, list[int]] = defaultdict(list)
    amounts: set[Decimal] = set()
    own: dict[int, dict[str, str]] = {}  # document -> its numbers' digits by key
    for i in sorted(numbered):
        entry = txns[i]
        if not near(entry.date) or _moves_money(books, i, banks):
            continue
        own[i] = numbered[i]
        for posted in _balance_sheet(books, entry):
            amounts.add(posted[2])
            for digits in sorted(set(numbered[i].values())):
                held[(*posted, digits)].append(i)
    if not held:
        return
    seen: set[tuple[int, int]] = set()
    for j, entry in enumerate(txns):
        postings = [p for p in entry.postings if p.units is not None and p.units.number in amounts]
        if not postings or not near(entry.date) or _moves_money(books, j, banks):
            continue
        named = None
        for p in postings:
            if not p.account.startswith(books.balance_sheet):
                continue
            posted = (p.account, p.units.currency, p.units.number)
            named = named if named is not None else _numbers_named(entry, keys)
            for digits in sorted(named):
                for i in held.get((*posted, digits), ()):
                    pair = tuple(sorted((i, j), key=lambda k: (books.rank(k), k)))
                    if i == j or pair in seen:
                        continue
                    seen.add(pair)
                    found = _judge(books, windows, own, pair, i, digits, posted)
                    if found is not None:
                        yield found


def _moves_money(books: _Books, i: int, banks: frozenset[str]) -> bool:
    """A bank line (an id, or a bank's account moved): a payment, a receipt, a return."""
    return i in books.ids or any(p.account in banks for p in books.txns[i].postings)


def _own_number_keys(books: _Books) -> frozenset[str]:
    """The metadata keys naming each document by its own number (see the module's words):
    most of their values, and most of their values' digits, on one entry only (a milk
    statement's "MA-2504-FAS" holds April's 2504, shared by every farmer's)."""
    line_keys = books.identity.keys
    metas = [books.txns[i].meta for i in books.described]
    # The keys first, a set filled in C; then each key's values counted in C, and only the
    # values of a key most of whose values are each one entry's read for their digits.
    keys = set(chain.from_iterable(metas)) - _PLACE
    found = []
    for key in sorted(keys):
        if key_name(key) in line_keys:
            continue
        values = Counter(v for v in map(methodcaller("get", key), metas) if type(v) is str)
        if values.total() < _MIN_DOCUMENTS or not _mostly_own(values):
            continue
        digits: Counter[str] = Counter()
        numbered = 0
        for value, n in values.items():
            number = document_number(value)
            if number is not None:
                digits[number] += n
                numbered += n
        if numbered >= _MIN_DOCUMENTS and _mostly_own(digits):
            found.append(key)
    return frozenset(found)


def _mostly_own(counts: dict[str, int]) -> bool:
    held = sum(counts.values())
    return sum(n for n in counts.values() if n == 1) >= _OWN * held


def _own_numbers(meta: dict, keys: frozenset[str]) -> dict[str, str]:
    """The document numbers (digits) an entry holds, by key."""
    found = {}
    for key in sorted(keys.intersection(meta)):
        value = meta[key]
        digits = document_number(value) if type(value) is str else None
        if digits is not None:
            found[key] = digits
    return found


def _numbers_named(entry: data.Transaction, keys: frozenset[str]) -> set[str]:
    """The document numbers an entry names: under a document key, or in its narration."""
    found = set(_own_numbers(entry.meta, keys).values())
    for token in numbers_in(entry.narration or ""):
        digits = document_number(token)
        if digits is not None:
            found.add(digits)
    return found


def _balance_sheet(books: _Books, entry: data.Transaction) -> list[_Posted]:
    return [
        (p.account, p.units.currency, p.units.number)
        for p in entry.postings
        if p.units is not None and p.account.startswith(books.balance_sheet)
    ]


def _judge(
    books: _Books,
    windows: Windows,
    own: dict[int, dict[str, str]],
    pair: tuple[int, ...],
    document: int,
    digits: str,
    posted: _Posted,
) -> _Candidate | None:
    first, second = pair
    if _days(books, first, second) > windows.invoice:
        return None
    if _numbered_apart(books, pair, own):
        return None  # each its own number under one key: two documents
    if taken_back(books, pair, windows.entry):
        return None  # one of them reversed: the books hold the document once
    if books.line_ids(first) and books.line_ids(second):
        return None  # two bank lines: the rules of lines judge them
    payees = books.txns[first].payee, books.txns[second].payee
    if payees[0] and payees[1] and not books.names.related(*payees):
        return None  # two parties under one number
    if different_parts(books.narration(first), books.narration(second)):
        return None
    account, currency, number = posted
    match = _compare_document(books, (first, second), number, currency, digits, windows.invoice)
    if match is None:
        return None
    key = next(k for k, v in own[document].items() if v == digits)
    shown = [_shown(books, i, key) for i in pair]
    reasons = [
        f"one document entered twice: {key} {shown[0]} and {shown[1]} (one number written "
        "two ways)",
        f"{abs(number):,} {currency} on {account} twice",
        *(r for r in match.reasons if not r.startswith("same reference")),
    ]
    return _Candidate(ENTERED_TWICE, (first, second), match.score, tuple(reasons), True)


def _numbered_apart(books: _Books, pair: tuple[int, ...], own: dict[int, dict[str, str]]) -> bool:
    """Whether both hold a number under one key, and two numbers: other digits, or other
    letters where both write some ("MA-2504-FAS" and "MA-2504-FAT" are two farmers'
    statements; "PC-204524" and "204524" one claim)."""
    first, second = (own.get(i, {}) for i in pair)
    for key in sorted(first.keys() & second.keys()):
        if first[key] != second[key]:
            return True
        letters = [_LETTERS.sub("", str(books.txns[i].meta[key])).casefold() for i in pair]
        if letters[0] and letters[1] and letters[0] != letters[1]:
            return True
    return False


_LETTERS = re.compile(r"[^A-Za-z]+")


def _shown(books: _Books, i: int, key: str) -> str:
    """The number as the entry writes it: under the key, else its narration."""
    entry = books.txns[i]
    value = entry.meta.get(key)
    return str(value) if value is not None else f'"{entry.narration}"'
