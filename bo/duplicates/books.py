"""The transactions as duplicate detection sees them, computed in one pass, and what every rule
asks of an entry or a pair (references, line ids, vendors, postings).

Which accounts' movements are bank lines: those bo.yaml gives the role bank, card or
processor, and any asset or liability account an entry moves money to or from another one
(a transfer to a savings account bo.yaml does not mention is still one transfer).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account_types, data

from bo.duplicates.clues import posted_invoice
from bo.duplicates.model import ID_KEY, REF_KEYS, SOURCE_KEY
from bo.duplicates.vendors import KnownVendors, Vendors, learned_aliases
from bo.duplicates.wording import invoice_in, invoice_reference, numbers_in
from bo.lineids import LineId, LineIds, key_name
from bo.matching import (
    Item,
    Match,
    MatchParams,
    find_similar_pairs,
    normalize_ref,
    normalize_text,
    text_similarity,
)
from bo.settings import CASH_ROLES, Settings

# Roles of balance sheet accounts that hold no money of the business's own: a movement
# between them and a bank account is a payment or a receipt, not a transfer.
NOT_MONEY_ROLES = frozenset(
    {
        *("receivable", "payable", "payroll_liabilities", "sales_tax", "prepaid"),
        *("fixed_asset", "accumulated_depreciation", "deferred_revenue", "accrued_liabilities"),
        *("uncategorized", "suspense", "clearing"),
    }
)
_HAS_DIGIT = re.compile(r"\d")

# (account, currency, amount) -> entries with that posting: an entry's cash postings, or
# for an entry that moves no cash (a bill, an accrual), its signed accounts and largest amount.
_Key = tuple[str, str, Decimal]


def money_accounts(
    txns: Sequence[data.Transaction],
    settings: Settings,
    types: account_types.AccountTypes,
    documents: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """The accounts whose movements a statement prints: bank, card and processor roles, and
    every asset or liability account (by the ledger's own root names) that an entry moves
    money to or from another such account, unless bo.yaml gives it a role that holds none
    or it is a ledger of `documents` (payables, receivables found by their bills), whose
    payments name the money accounts they move."""
    roles = settings.accounts
    found = {a for a, c in roles.items() if c.role in CASH_ROLES}
    other = {a for a, c in roles.items() if c.role not in CASH_ROLES} | documents
    balance_sheet = (types.assets, types.liabilities)
    is_money: dict[str, bool] = {}
    for entry in txns:
        postings = entry.postings
        if len(postings) < 2:
            continue
        accounts = []
        settles = False
        for posting in postings:
            account = posting.account
            money = is_money.get(account)
            if money is None:
                money = is_money[account] = (
                    account not in other
                    and account_types.get_account_type(account) in balance_sheet
                )
            if not money:
                if account in documents and _settles(posting, balance_sheet):
                    settles = True
                    continue
                # A bill on account (a fixed asset and its input tax against the payables)
                # moves no money: what it debits is what was bought.
                break
            accounts.append(account)
        else:
            # The account bills are paid from (invoices paid into) is a bank's, too.
            if len(set(accounts)) > 1 or (settles and accounts):
                found.update(accounts)
    return frozenset(found)


def _settles(posting: data.Posting, balance_sheet: tuple[str, str]) -> bool:
    """Whether a posting to a payables (receivables) ledger settles a document: a payable
    debited, a receivable credited; a bill or an invoice goes the other way."""
    units = posting.units
    if units is None:
        return False
    liability = account_types.get_account_type(posting.account) == balance_sheet[1]
    return (units.number > 0) == liability


@dataclass
class _Books:
    """The transactions with what every rule asks of them, computed in one pass."""

    txns: list[data.Transaction]
    cash: frozenset[str]
    payables: frozenset[str]
    receivables: frozenset[str]
    uncategorized: frozenset[str]
    statement_dirs: tuple[tuple[str, str], ...]  # (folder/, account)
    identity: LineIds = field(default_factory=LineIds)
    balance_sheet: tuple[str, ...] = ("Assets:", "Liabilities:")  # the ledger's root names
    banks: frozenset[str] = frozenset()  # the accounts bo.yaml gives a bank, card... role
    buckets: dict[_Key, list[int]] = field(default_factory=dict)
    invoiced: list[int] = field(default_factory=list)  # entries naming an invoice
    ids: dict[int, tuple[LineId, ...]] = field(default_factory=dict)  # entries with line ids
    pays_bill: set[int] = field(default_factory=set)  # entries debiting a payable
    bills: set[int] = field(default_factory=set)  # entries crediting a payable, no cash
    owing: list[int] = field(default_factory=list)  # entries posting to a payable, in order
    vendors: KnownVendors | None = None  # payees the payables know, by any name
    names: Vendors = field(default_factory=Vendors)  # which payee names are one vendor
    _refs: dict[int, dict[str, str]] = field(default_factory=dict)
    _read: set[int] = field(default_factory=set)  # invoice numbers only looking like one
    # Entries with metadata beyond where they sit (ids, invoices), while the ledger is read.
    described: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The one pass over every posting: 100,000s of entries, so plain loops and locals.
        cash, payables, pays_bill = self.cash, self.payables, self.pays_bill
        buckets: dict[_Key, list[int]] = defaultdict(list)
        vendors: dict[str, None] = {}
        links = self.identity.links
        has_digit = _HAS_DIGIT.search
        holds_id = _IdKeys(self.identity).holds
        described = self.described
        linked: dict[frozenset[str], tuple[LineId, ...]] = {}  # the ids of links, by links
        no_cash = []
        invoiced, bills, owing, ids = self.invoiced, self.bills, self.owing, self.ids
        identity = self.identity
        for i, entry in enumerate(self.txns):
            meta = entry.meta
            narration = entry.narration
            named = "invoice" in meta or bool(
                narration and has_digit(narration) and invoice_in(narration)
            )
            if named:
                invoiced.append(i)
            # Only metadata beyond where the entry sits can hold a line id.
            held = False
            if len(meta) > 2:
                described.append(i)
                held = holds_id(meta)
            moved = touches_payables = billed = posted = False
            for p in entry.postings:
                posting_meta = p.meta
                if posting_meta and len(posting_meta) > 2:
                    held = held or holds_id(posting_meta)
                    posted = posted or "invoice" in posting_meta
                units = p.units
                if units is None:
                    continue
                account = p.account
                if account in cash:
                    moved = True
                    buckets[(account, units.currency, units.number)].append(i)
                elif account in payables:
                    touches_payables = True
                    if units.number > 0:
                        pays_bill.add(i)
                    else:
                        billed = True
            if posted and not named:
                invoiced.append(i)  # the invoice on the payable's posting
            if not moved:
                no_cash.append(i)
                if billed:
                    bills.add(i)
            if touches_payables:
                owing.append(i)
                vendors[entry.payee or narration or ""] = None
            if held:
                found = identity.entry_ids(entry)
            elif links and entry.links:
                # Most entries carrying an id carry links alone: read only those, unless a
                # short metadata holds an id too.
                short = any(
                    m and len(m) <= 2 and ("lineno" not in m or "filename" not in m) and holds_id(m)
                    for m in (meta, *[p.meta for p in entry.postings])
                )  # a longer metadata was read above; one only saying where holds no id
                if short:
                    found = identity.entry_ids(entry)
                else:  # a bill, its payment and its credit note share their links
                    found = linked.get(entry.links)
                    if found is None:
                        found = linked[entry.links] = tuple(identity.link_ids(entry.links))
            else:
                continue
            if found:
                ids[i] = found
        for i in no_cash:
            key = journal_bucket(
                (p.account, p.units.currency, p.units.number)
                for p in self.txns[i].postings
                if p.units is not None
            )
            if key is not None:
                buckets[key].append(i)
        self.buckets = buckets
        self.names = Vendors(learned_aliases(self._settled()))
        self.vendors = KnownVendors(vendors, self.names)
        self._numbers_the_books_know()

    def __getstate__(self) -> dict:
        # Kept between runs without the entries: the ledger's own cache holds those, and
        # `find_duplicates` puts them back.
        return {**self.__dict__, "txns": [], "described": []}

    def _numbers_the_books_know(self) -> None:
        """A payment of a bill whose narration holds a number the vendor's bill or another
        payment carries as its invoice ("Check 2132 - 20430" for FS-20430) names that
        invoice. Read only against numbers the books know: a bare number alone may be a
        check's, an account's, anything."""
        invoiced = set(self.invoiced)
        known: dict[str, list[int]] = defaultdict(list)
        for i in self.invoiced:
            ref = self.refs(i).get("invoice")
            if ref is not None:
                known[ref].append(i)
        if not known:
            return
        for i in sorted(self.pays_bill - invoiced):
            narration = self.txns[i].narration
            if not narration or not _HAS_DIGIT.search(narration):
                continue
            for token in numbers_in(narration):
                ref = invoice_number(normalize_ref(token))
                holders = known.get(ref, ())
                if any(self.names.related(self.text(j), self.text(i)) for j in holders):
                    self._refs[i] = {**self.refs(i), "invoice": ref}
                    self._read.add(i)
                    invoiced.add(i)
                    break
        self.invoiced = sorted(invoiced)

    def _settled(self) -> Iterable[tuple[str, str, str]]:
        """(bill's payee, payment's payee, invoice) for bills paid in full by one payment."""
        bills: dict[tuple[str, Decimal], list[int]] = defaultdict(list)
        paid: dict[tuple[str, Decimal], list[int]] = defaultdict(list)
        payables = self.payables
        for i in self.invoiced:
            legs = [p for p in self.txns[i].postings if p.account in payables and p.units]
            if not legs:
                continue
            ref = self.refs(i).get("invoice")
            if ref is None:
                continue
            for p in legs:
                into = paid if p.units.number > 0 else bills
                into[(ref, abs(p.units.number))].append(i)
        for key, billed in bills.items():
            payments = paid.get(key, ())
            if len(billed) == 1 and len(payments) == 1:
                names = self.text(billed[0]), self.text(payments[0])
                if names[0] != names[1]:
                    yield names[0], names[1], key[0]

    def rank(self, i: int) -> tuple:
        """Where an entry sits in the books: the canonical order for breaking ties."""
        entry = self.txns[i]
        meta = entry.meta
        return (entry.date, str(meta.get("filename", "")), meta.get("lineno") or 0)

    def text(self, i: int) -> str:
        entry = self.txns[i]
        return entry.payee or entry.narration or ""

    def narration(self, i: int) -> str:
        return self.txns[i].narration or ""

    def refs(self, i: int) -> dict[str, str]:
        """An entry's invoice, check and other references, normalized (asked of few)."""
        found = self._refs.get(i)
        if found is None:
            found, named = _refs(self.txns[i])
            self._refs[i] = found
            if not named:
                self._read.add(i)
        return found

    def invoice_named(self, i: int) -> bool:
        """Whether an entry's invoice number is one by its key or word ("Invoice 4471"),
        rather than an id that only looks like one ("Payment J-77434")."""
        return "invoice" in self.refs(i) and i not in self._read

    def invoice_letters(self, i: int) -> str:
        """The vendor's letters before an entry's invoice number as written ("SA" of
        "SA-202501"), "" for none."""
        return invoice_letters(self.invoice_shown(i))

    def invoice_shown(self, i: int) -> str:
        """An entry's invoice number as written (metadata, else the narration)."""
        entry = self.txns[i]
        if entry.meta.get("invoice") is not None:
            return str(entry.meta["invoice"])
        return posted_invoice(entry) or invoice_in(entry.narration or "") or ""

    def line_ids(self, i: int) -> tuple[LineId, ...]:
        return self.ids.get(i, ())

    def statement_account(self, i: int) -> str | None:
        """The account whose statement an imported entry came from; None if typed.

        An entry is imported when it carries a line id under a metadata key (a link alone
        may be a person's); the statement is its account's whose posting holds the id, else
        the first posting's (importers write the statement's account first)."""
        entry = self.txns[i]
        if ID_KEY in entry.meta:
            source = str(entry.meta.get(SOURCE_KEY, ""))
            for folder, account in self.statement_dirs:
                if source.startswith(folder):
                    return account
        ids = self.ids.get(i)
        if not ids or all(line_id.is_link for line_id in ids):
            return None
        keys = self.identity.keys
        for p in entry.postings:
            if p.meta and any(key_name(k) in keys for k in p.meta):
                return p.account
        first = entry.postings[0].account if entry.postings else None
        if first in self.cash:
            return first
        return next((p.account for p in entry.postings if p.account in self.cash), first)


class _IdKeys:
    """Whether metadata holds a line id's key, each key name read once (the one pass asks
    it of every entry with metadata: invoices, notes, due dates)."""

    def __init__(self, identity: LineIds) -> None:
        self.keys = identity.keys
        self.seen: dict[str, bool] = {"filename": False, "lineno": False}

    def holds(self, meta: dict) -> bool:
        seen = self.seen
        for key in meta:
            known = seen.get(key)
            if known is None:
                known = seen[key] = key_name(key) in self.keys
            if known:
                return True
        return False


# A vendor's letters before an invoice's number are formatting too: "MW-8939" on the bill,
# "8939" on the copy, "J77434" and "77434".
_VENDOR_PREFIX = re.compile(r"^[A-Z]{1,4}(?=\d{3,}$)")


def invoice_number(ref: str) -> str:
    """An invoice number normalized, without the vendor's letters before its digits."""
    return _VENDOR_PREFIX.sub("", ref).lstrip("0") or ref


def invoice_letters(shown: str) -> str:
    """The vendor's letters before an invoice's digits as written ("SA" of "SA-202501"), ""
    for none: "SA-202501" and "YA-202501" are two vendors' invoices, "202501" either."""
    letters = _VENDOR_PREFIX.match(normalize_ref(shown)) if shown else None
    return letters.group(0) if letters else ""


def _refs(entry: data.Transaction) -> tuple[dict[str, str], bool]:
    """The references, and whether the invoice's is named as one (True when there is none)."""
    found = {}
    meta = entry.meta
    for key in REF_KEYS:
        if key in meta and meta[key] is not None:
            ref = _invoice(str(meta[key])) if key == "invoice" else _reference(str(meta[key]))
            if ref:
                found[key] = ref
    posted = posted_invoice(entry) if "invoice" not in found else None
    ref = _invoice(posted) if posted is not None else ""
    if ref:
        found["invoice"] = ref
    if "invoice" not in found:
        written = invoice_reference(entry.narration or "")
        ref = _reference(written.text) if written else ""
        if ref:
            found["invoice"] = invoice_number(ref)
            return found, written.named
    return found, True


@functools.lru_cache(maxsize=1 << 17)
def _invoice(text: str) -> str:
    """An invoice number as written, normalized; "" for none. Kept: a bill and its payments
    write one number, and large books hold 100,000s."""
    ref = _reference(text)
    return invoice_number(ref) if ref else ""


def _reference(text: str) -> str:
    """A reference normalized; "" for none, or for a bare zero (a placeholder, not a number)."""
    ref = normalize_ref(text)
    return ref if ref != "0" else ""


def payee_similarity(first: str, second: str) -> float:
    """The matcher's text similarity, also with the words run together: banks print
    "HARBORCLEANING" for Harbor Cleaning, which shares no word with it."""
    similarity = text_similarity(first, second)
    if similarity < 1.0:
        glued = normalize_text(first).replace(" ", ""), normalize_text(second).replace(" ", "")
        similarity = max(similarity, text_similarity(*glued))
    return similarity


def _conflict(books: _Books, i: int, j: int) -> str | None:
    """A reference both carry with different values: two invoices, two checks. An invoice
    number named as one against an id read from bank text is no conflict: the bank's words
    and the bookkeeper's name different things."""
    first, second = books.refs(i), books.refs(j)
    for key in REF_KEYS:
        if key in first and key in second and first[key] != second[key]:
            if key == "invoice" and books.invoice_named(i) != books.invoice_named(j):
                continue
            return key
    return _document_ids_differ(books.txns[i].meta, books.txns[j].meta, books.identity.keys)


# Keys that name a document or a line by its number, whatever tool wrote them: `receipt_id`,
# `order-no`, `bank_ref`, `uuid`. Two entries holding one such key with two values are two
# documents: two receipts, two orders, two bank lines.
_DOCUMENT_KEY = re.compile(
    r"(?:^|[_-])(?:id|ref|reference|no|nr|num|number)$|^(?:uuid|guid|fitid)$", re.IGNORECASE
)


def _document_ids_differ(first: dict, second: dict, line_keys: frozenset[str]) -> str | None:
    """A document key both carry with two values. Bank line ids are left to the rules of
    lines (one transfer is a line on each of two statements, under two ids)."""
    if len(first) <= 2 or len(second) <= 2:  # only where the entry sits
        return None
    for key, value in first.items():
        other = second.get(key)
        if other is None or value is None or not _DOCUMENT_KEY.search(key):
            continue
        if key_name(key) in line_keys:
            continue
        if str(value).strip().casefold() != str(other).strip().casefold():
            return key
    return None


def _compare(first: Item, second: Item, params: MatchParams) -> Match | None:
    """The matcher's score and reasons for one pair already chosen by reference."""
    pairs = find_similar_pairs([first, second], params)
    return pairs[0] if pairs else None


def _item(books: _Books, i: int, amount: Decimal, currency: str, refs=()) -> Item:
    return Item(i, books.txns[i].date, amount, currency, books.text(i), frozenset(refs))


def _compare_document(
    books: _Books, pair: tuple[int, int], amount: Decimal, currency: str, ref: str, days: int
) -> Match | None:
    """Two entries already tied by one document's number, scored by the matcher within
    `days`: however low the score, the number decides."""
    first, second = pair
    return _compare(
        _item(books, first, amount, currency, [ref]),
        _item(books, second, amount, currency, [ref]),
        MatchParams(date_window=days, check_date_window=days, min_score=0.0),
    )


def _days(books: _Books, i: int, j: int) -> int:
    return abs((books.txns[i].date - books.txns[j].date).days)


def _cash_accounts(entry: data.Transaction, books: _Books) -> list[str]:
    return [p.account for p in entry.postings if p.account in books.cash]


def _touches(a: data.Transaction, b: data.Transaction, accounts: frozenset[str]) -> bool:
    return any(p.account in accounts for e in (a, b) for p in e.postings)


def journal_bucket(legs: Iterable[tuple[str, str, Decimal]]) -> tuple | None:
    """The key `_Books.buckets` files an entry that moves no money under, from its postings'
    (account, currency, number): its accounts signed (an accrual and its reversal move the
    same accounts the other way) and its largest amount; None without a positive amount."""
    legs = list(legs)
    largest = max(legs, key=lambda leg: leg[2], default=None)
    if largest is None or largest[2] <= 0:
        return None
    signature = " ".join(sorted({f"{a}{'+' if n > 0 else '-'}" for a, _, n in legs}))
    return (signature, largest[1], largest[2])


def _same_postings(a: data.Transaction, b: data.Transaction) -> bool:
    def signature(entry: data.Transaction) -> list:
        return sorted((p.account, p.units) for p in entry.postings if p.units is not None)

    return signature(a) == signature(b)
