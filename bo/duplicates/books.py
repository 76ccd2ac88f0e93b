"""The transactions as duplicate detection sees them, computed in one pass, and what every rule
asks of an entry or a pair (references, payee similarity, postings).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from bo.duplicates.model import ID_KEY, REF_KEYS, SOURCE_KEY
from bo.matching import (
    Item,
    Match,
    MatchParams,
    find_similar_pairs,
    normalize_ref,
    normalize_text,
    text_similarity,
)

# (account, currency, amount) -> entries with that posting: an entry's cash postings, or
# for an entry that moves no cash (a bill, an accrual), its signed accounts and largest amount.
_Key = tuple[str, str, Decimal]


@dataclass
class _Books:
    """The transactions with what every rule asks of them, computed in one pass."""

    txns: list[data.Transaction]
    cash: frozenset[str]
    payables: frozenset[str]
    receivables: frozenset[str]
    uncategorized: frozenset[str]
    statement_dirs: tuple[tuple[str, str], ...]  # (folder/, account)
    buckets: dict[_Key, list[int]] = field(default_factory=dict)
    invoiced: list[int] = field(default_factory=list)  # entries with `invoice:`
    imported: dict[str, list[int]] = field(default_factory=dict)  # import-id -> entries
    pays_bill: set[int] = field(default_factory=set)  # entries debiting a payable
    vendors: set[str] = field(default_factory=set)  # normalized payees the payables know
    _refs: dict[int, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The one pass over every posting: 100,000s of entries, so plain loops and locals.
        cash, payables, pays_bill = self.cash, self.payables, self.pays_bill
        buckets: dict[_Key, list[int]] = defaultdict(list)
        imported: dict[str, list[int]] = defaultdict(list)
        vendors: dict[str, None] = {}
        no_cash = []
        for i, entry in enumerate(self.txns):
            meta = entry.meta
            if "invoice" in meta:
                self.invoiced.append(i)
            if ID_KEY in meta:
                imported[str(meta[ID_KEY])].append(i)
            moved = touches_payables = False
            for p in entry.postings:
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
            if not moved:
                no_cash.append(i)
            if touches_payables:
                vendors[entry.payee or entry.narration or ""] = None
        for i in no_cash:
            postings = [p for p in self.txns[i].postings if p.units is not None]
            largest = max(postings, key=lambda p: p.units.number, default=None)
            if largest is None or largest.units.number <= 0:
                continue
            # Signed: an accrual and its reversal move the same accounts the other way.
            signature = " ".join(
                sorted({f"{p.account}{'+' if p.units.number > 0 else '-'}" for p in postings})
            )
            buckets[(signature, largest.units.currency, largest.units.number)].append(i)
        self.buckets = buckets
        self.imported = imported
        self.vendors = {normalize_text(name) for name in vendors} - {""}

    def rank(self, i: int) -> tuple:
        """Where an entry sits in the books: the canonical order for breaking ties."""
        entry = self.txns[i]
        meta = entry.meta
        return (entry.date, str(meta.get("filename", "")), meta.get("lineno") or 0)

    def text(self, i: int) -> str:
        entry = self.txns[i]
        return entry.payee or entry.narration or ""

    def refs(self, i: int) -> dict[str, str]:
        """An entry's invoice, check and other references, normalized (asked of few)."""
        found = self._refs.get(i)
        if found is None:
            found = self._refs[i] = _refs(self.txns[i])
        return found

    def statement_account(self, i: int) -> str | None:
        """The account whose statement an imported entry came from; None if typed."""
        entry = self.txns[i]
        if ID_KEY not in entry.meta:
            return None
        source = str(entry.meta.get(SOURCE_KEY, ""))
        for folder, account in self.statement_dirs:
            if source.startswith(folder):
                return account
        # bo import writes the statement's account first; a cash account, in any case.
        return next((p.account for p in entry.postings if p.account in self.cash), None)


def _refs(entry: data.Transaction) -> dict[str, str]:
    found = {}
    for key in REF_KEYS:
        if key in entry.meta and entry.meta[key] is not None:
            ref = normalize_ref(str(entry.meta[key]))
            if ref and ref != "0":
                found[key] = ref
    return found


def payee_similarity(first: str, second: str) -> float:
    """The matcher's text similarity, also with the words run together: banks print
    "HARBORCLEANING" for Harbor Cleaning, which shares no word with it."""
    similarity = text_similarity(first, second)
    if similarity < 1.0:
        glued = normalize_text(first).replace(" ", ""), normalize_text(second).replace(" ", "")
        similarity = max(similarity, text_similarity(*glued))
    return similarity


def _conflict(first: dict[str, str], second: dict[str, str]) -> str | None:
    """A reference both carry with different values: two invoices, two checks."""
    for key in REF_KEYS:
        if key in first and key in second and first[key] != second[key]:
            return key
    return None


def _compare(first: Item, second: Item, params: MatchParams) -> Match | None:
    """The matcher's score and reasons for one pair already chosen by reference."""
    pairs = find_similar_pairs([first, second], params)
    return pairs[0] if pairs else None


def _item(books: _Books, i: int, amount: Decimal, currency: str, refs=()) -> Item:
    return Item(i, books.txns[i].date, amount, currency, books.text(i), frozenset(refs))


def _days(books: _Books, i: int, j: int) -> int:
    return abs((books.txns[i].date - books.txns[j].date).days)


def _cash_accounts(entry: data.Transaction, books: _Books) -> list[str]:
    return [p.account for p in entry.postings if p.account in books.cash]


def _touches(a: data.Transaction, b: data.Transaction, accounts: frozenset[str]) -> bool:
    return any(p.account in accounts for e in (a, b) for p in e.postings)


def _same_postings(a: data.Transaction, b: data.Transaction) -> bool:
    def signature(entry: data.Transaction) -> list:
        return sorted((p.account, p.units) for p in entry.postings if p.units is not None)

    return signature(a) == signature(b)
