"""What tells two look-alike movements apart when no statement counts them: two documents'
ids, two payers named, two parties typed.

- **Two documents.** Two entries carrying one metadata key with two ids whose digits differ
  (the end-of-day reports EOD-241011 and EOD-241012, the bankgiro files BGM250102-002 and
  BGM250106-004) post two documents. One number written two ways ("KPI-204819", "204819")
  keeps its digits, and stays one.
- **A payer named in a batch.** A batch of receipts (a bankgiro file, a deposit slip) names
  each payer on its posting (`hyresgast: "Andersson lgh 1111"`). An entry typed for another
  payer ("Öberg") at the same amount is another payment, not that posting typed again.
- **Two balances.** Two typed entries of one amount whose other sides are balance sheet
  accounts with none in common (a tenant's deposit held, her first rent owed to the owner)
  are two amounts owed to two parties; a copy may code an expense otherwise, never a balance.
- **Two parties typed.** Two entries typed by hand (no bank line id on either) moving the
  same accounts by the same amount for two payees sharing no word and no one vendor's names
  ("Engström", "Danielsson": two tenants on equal rent) are two payments. A copy typed again
  names the same party, in full, shortened or in the bank's words ("Familjen Wiklund",
  "Wiklund Anders"); "Transfer" names no party.
"""

from __future__ import annotations

import re
from decimal import Decimal

from beancount.core import data

from bo.duplicates.books import _Books, _cash_accounts, _same_postings
from bo.duplicates.invoiced import digit_groups
from bo.duplicates.model import ID_KEY, REF_KEYS, SOURCE_KEY
from bo.duplicates.vendors import vendor_words
from bo.duplicates.wording import says_transfer
from bo.lineids import key_name

# An id under a key of the entry's metadata: one token holding a number of three digits or
# more ("EOD-241011"; not a label's "coffee-1"), not a file's path and line
# ("statements/checking/2025-03.csv:3": where it came from).
_ID_VALUE = re.compile(r"(?=[^\s/\\]*\d{3})[^\s/\\]+")
_PLACE = frozenset({"filename", "lineno"})
# Judged by their own rules: where an entry sits and came from, invoice and check numbers.
_OWN_RULES = _PLACE | frozenset(REF_KEYS) | {ID_KEY, SOURCE_KEY}
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def documents_apart(first: dict, second: dict, line_keys: frozenset[str]) -> str | None:
    """A metadata key both entries carry with two ids of different digits: two documents
    posted (two days' reports, two bankgiro files), not one posted twice. None if none.
    Invoice and check numbers (a copy may write them otherwise) and bank line ids (one
    transfer is a line on each of two statements) are judged by their own rules."""
    if len(first) <= 2 or len(second) <= 2:
        return None
    for key, value in first.items():
        other = second.get(key)
        if key in _OWN_RULES or type(value) is not str or type(other) is not str:
            continue
        if key_name(key) in line_keys:
            continue
        a, b = value.strip(), other.strip()
        if (
            a != b
            and _ID_VALUE.fullmatch(a)
            and _ID_VALUE.fullmatch(b)
            and digit_groups(a) != digit_groups(b)
        ):
            return key
    return None


def told_apart(
    books: _Books, account: str, amount: Decimal, first: int, second: int, *, typed: bool
) -> str | None:
    """Why two look-alike entries are two movements, in words; None if nothing says so."""
    a, b = books.txns[first], books.txns[second]
    # Lines of a bank's statement are told apart by their line ids; a run's metadata on two
    # downloads of one line (a timestamp, a batch) tells nothing apart.
    banked = bool(books.line_ids(first) or books.line_ids(second))
    key = None if banked else documents_apart(a.meta, b.meta, books.identity.keys)
    if key is not None:
        return f"two documents: {key} {a.meta[key]} and {b.meta[key]}"
    for batch, other in ((a, b), (b, a)):
        named = _payer_named(batch, account, amount)
        if named and other.payee and not _names_payee(named, other.payee):
            return f"the batch names {named}, not {other.payee}"
    if (
        typed
        and _parties(a, b)
        and not banked
        and not _between_money(books, a)
        and _cash_accounts(a, books)  # a journal's payee ("Payroll", "給与") is a label
        and _same_postings(a, b)
        and not books.names.related(a.payee, b.payee)
        and not set(vendor_words(a.payee)) & set(vendor_words(b.payee))
    ):
        return f"two payees: {a.payee} and {b.payee}"
    if typed:
        owed = _owed_apart(books, a, b)
        if owed is not None:
            return owed
    return None


def _between_money(books: _Books, entry: data.Transaction) -> bool:
    """Whether an entry only moves money between the books' own accounts: a transfer typed
    from each account's statement names the other side there ("Danske Bank", "Salon
    Fyrtårn"), so two payees tell nothing apart. The accounts bo.yaml names as money when it
    names any: a client's funds held in the books are no bank account."""
    money = books.banks or books.cash
    return all(p.account in money for p in entry.postings)


def _owed_apart(books: _Books, a: data.Transaction, b: data.Transaction) -> str | None:
    """Words for two typed entries of one amount whose other sides are two balances, no
    account in common (a tenant's deposit held and her first rent owed to the owner); None
    otherwise. A copy typed again may code an expense otherwise, never move a balance
    owed to someone else."""
    first, second = {p.account for p in a.postings}, {p.account for p in b.postings}
    common = first & second
    first, second = first - common, second - common
    roots = books.balance_sheet
    if not first or not second or not all(x.startswith(roots) for x in first | second):
        return None
    return f"two balances: {', '.join(sorted(first))} and {', '.join(sorted(second))}"


def _parties(a: data.Transaction, b: data.Transaction) -> bool:
    """Whether both entries name a party as payee: "Transfer" names a movement, no one."""
    return bool(a.payee and b.payee) and not (says_transfer(a.payee) or says_transfer(b.payee))


def _payer_named(batch: data.Transaction, account: str, amount: Decimal) -> str | None:
    """The words a batch's one posting of this account and amount names its payer with, in
    its own metadata; None for an entry of two postings or a posting naming no one."""
    if len(batch.postings) <= 2:
        return None
    found = [
        p
        for p in batch.postings
        if p.account == account and p.units is not None and p.units.number == amount
    ]
    if len(found) != 1 or not found[0].meta:
        return None
    words = [
        str(value)
        for key, value in found[0].meta.items()
        if key not in _PLACE and type(value) is str and _LETTERS.search(value)
    ]
    return "; ".join(words) or None


def _names_payee(named: str, payee: str) -> bool:
    """Whether a payee's name is among the words a posting names its payer with."""
    words = set(vendor_words(named))
    return any(word in words for word in vendor_words(payee))


_WORD = re.compile(r"[^\W\d_]{3,}")
# Words saying where an entry was typed from or what it is, not what was bought.
_NO_GOODS = frozenset(
    {
        *("the", "for", "from", "and", "our", "with", "per", "via", "see", "copy", "again"),
        *("statement", "receipt", "invoice", "bill", "card", "purchase", "payment", "order"),
    }
)
_LEAST_GOODS = 2


def two_things_bought(a: data.Transaction, b: data.Transaction, known: frozenset[str]) -> bool:
    """Whether two purchases typed for one vendor each name what was bought in two words or
    more, and no word of one is the other's ("kennel latches", "run gate hinges"): a person
    describing two purchases. A copy typed again repeats a word, names a category ("stock")
    or says where it came from ("from the Amex statement"). Words of the payee's name or the
    accounts' (`known`) say nothing of what was bought."""
    first, second = _goods(a.narration or ""), _goods(b.narration or "")
    if len(first) < _LEAST_GOODS or len(second) < _LEAST_GOODS or first & second:
        return False
    return bool(_unknown(first, known)) and bool(_unknown(second, known))


def _goods(narration: str) -> set[str]:
    return {w for w in _WORD.findall(narration.casefold()) if w not in _NO_GOODS}


def _unknown(words: set[str], known: frozenset[str]) -> set[str]:
    return {w for w in words if not any(k.startswith(w) or w.startswith(k) for k in known)}
