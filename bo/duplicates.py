"""Duplicate entries and duplicate payments: found by the shared matcher, explained, remembered.

Five kinds, each from buckets (by amount through `bo.matching`, or by reference through a
hash), never from a scan of every pair:

- **same bank line imported twice**: two entries carrying one `import-id`;
- **duplicate payment**: a vendor paid twice for one bill. Either the same vendor (payee
  spelled any way) and the same invoice number (`INV-0042`, `inv 42`, `0042`), paid more than
  the bill or, with no bill booked, the same amount twice; or the same vendor and amount within
  days with no invoice number telling the payments apart;
- **same reference paid to two vendors**: one invoice number and amount, two different payees;
- **same transaction entered twice**: one movement of a bank or card account booked twice
  (typed twice, or imported and typed), on close dates with a similar payee;
- **transfer booked from both sides**: one transfer between two cash accounts booked once from
  each account's statement (or once as a transfer and once to the uncategorized account).

The statements decide what the books alone cannot: when the bank printed as many lines as
the books hold entries (matched one-to-one), those are honest repeats (two coffees, two
transfers); when it printed one line for two entries, one entry is a duplicate. A statement
never excuses a duplicate *payment*: it shows the money really left twice.

Honest repeats are not findings: two statement lines, payments on a weekly or monthly cadence,
refunds (opposite signs never pair), bills paid in parts that add up to the bill.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from beancount.core import data
from pydantic import BaseModel, ConfigDict, Field

from bo.close.record import entry_text
from bo.matching import (
    Item,
    Match,
    MatchParams,
    find_similar_pairs,
    match_items,
    normalize_ref,
    normalize_text,
    text_similarity,
)
from bo.paths import entry_place
from bo.periods import Period
from bo.settings import CASH_ROLES, Settings
from bo.yamlfile import read_text, validate_yaml

DISMISSED_FILE = "dupes/dismissed.yaml"

IMPORTED_TWICE = "same bank line imported twice"
PAID_TWICE = "duplicate payment"
TWO_VENDORS = "same reference paid to two vendors"
ENTERED_TWICE = "same transaction entered twice"
TRANSFER_TWICE = "transfer booked from both sides"

# Payees at least this similar are one vendor: "ACME SUPPLY INC" and "Acme Supply" are 100%,
# a typo ("Acme Suply") about 95%, two vendors sharing a word ("Acme Supply", "Acme Legal")
# about 70%.
SAME_VENDOR = 0.8
# Entered twice needs the text to agree unless the statement shows the movement once.
SAME_TEXT = 0.6
MIN_SCORE = 0.6
# A statement showing one line for two entries is the strongest evidence there is.
PRINTED_ONCE_BONUS = 0.1
REF_KEYS = ("invoice", "check", "reference")
ID_KEY, SOURCE_KEY = "import-id", "import-source"
# Statement lines against book postings: the reconciliation's own defaults.
STATEMENT_PARAMS = MatchParams()


@dataclass(frozen=True)
class Duplicate:
    """One possible duplicate: the entries (file:line), why, and how sure (0..1)."""

    id: str
    kind: str
    score: float
    entries: tuple[str, ...]  # file:line
    dates: tuple[date, ...]
    reasons: tuple[str, ...]


class PrintedLine(NamedTuple):
    """One line of a bank or card statement, as duplicate detection reads it."""

    account: str
    date: date
    amount: Decimal
    currency: str
    text: str = ""
    refs: frozenset[str] = frozenset()  # the line's import id, check number, bank id
    kind: str = ""  # "check" when the bank printed a check number


@dataclass(frozen=True)
class Printed:
    """What the statements printed, and the dates each account's statements cover."""

    lines: tuple[PrintedLine, ...] = ()
    spans: tuple[tuple[str, date, date], ...] = ()

    @classmethod
    def of(cls, lines: Iterable[PrintedLine]) -> Printed:
        """Lines whose statements cover each account from its first line to its last."""
        lines = tuple(lines)
        first: dict[str, date] = {}
        last: dict[str, date] = {}
        for line in lines:
            first[line.account] = min(first.get(line.account, line.date), line.date)
            last[line.account] = max(last.get(line.account, line.date), line.date)
        return cls(lines, tuple((a, first[a], last[a]) for a in sorted(first)))

    def covers(self, account: str, day: date) -> bool:
        return any(a == account and start <= day <= end for a, start, end in self.spans)


@dataclass(frozen=True)
class Windows:
    """How many days apart duplicates may be, from bo.yaml's thresholds."""

    entry: int = 7
    payment: int = 14
    invoice: int = 120

    @classmethod
    def of(cls, settings: Settings) -> Windows:
        thresholds = settings.thresholds
        return cls(
            thresholds.duplicate_entry_days,
            thresholds.duplicate_payment_days,
            thresholds.duplicate_invoice_days,
        )


def entry_key(entry: data.Transaction) -> str:
    return hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()[:16]


def finding_id(entries: Iterable[data.Transaction]) -> str:
    """Stable while the entries stay as they are: a dismissal then keeps holding."""
    keys = sorted(entry_key(e) for e in entries)
    return "d-" + hashlib.sha256("|".join(keys).encode()).hexdigest()[:12]


def _where(entry: data.Transaction, root: Path | None) -> str:
    return entry_place(entry, root)


# --- The books as duplicate detection sees them -------------------------------------------------


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


class _Candidate(NamedTuple):
    kind: str
    members: tuple[int, ...]  # indexes into _Books.txns
    score: float
    reasons: tuple[str, ...]
    pairwise: bool  # a pair judged on its own (one-to-one), not a group by reference


# --- The core -----------------------------------------------------------------------------------


def find_duplicates(
    entries: Sequence[data.Directive],
    settings: Settings,
    *,
    period: str | None = None,
    account: str | None = None,
    dismissed: frozenset[str] = frozenset(),
    statements: Printed | None = None,
    root: Path | None = None,
) -> list[Duplicate]:
    """Duplicates among the entries: those with an entry in the period, and touching the
    account, if given; all entries are read, so a filter never hides a duplicate's partner."""
    span = Period.parse(period) if period else None
    windows = Windows.of(settings)
    roles = settings.accounts
    # By date (buckets then list their members in date order); ties between look-alikes are
    # broken by `_Books.rank`, so the answer never depends on the order entries came in.
    txns = sorted((e for e in entries if type(e) is data.Transaction), key=attrgetter("date"))
    books = _Books(
        txns,
        frozenset(a for a, c in roles.items() if c.role in CASH_ROLES),
        frozenset(a for a, c in roles.items() if c.role == "payable"),
        frozenset(a for a, c in roles.items() if c.role == "receivable"),
        frozenset(a for a, c in roles.items() if c.role == "uncategorized"),
        tuple(
            ((c.statement.dir or f"statements/{_slug(a)}").rstrip("/") + "/", a)
            for a, c in roles.items()
            if c.statement is not None
        ),
    )
    # Pairs are within days of each other and cadences within two windows: entries further
    # from the period than that cannot be part of one of its findings.
    near: Callable[[date], bool] = lambda day: True  # noqa: E731
    if span is not None:
        reach = timedelta(days=2 * max(windows.entry, windows.payment) + 1)
        low, high = span.start - reach, span.end + reach
        near = lambda day: low <= day <= high  # noqa: E731
    verdicts = _Verdicts(books, statements or Printed(), near)
    candidates = [
        *_imported_twice(books),
        *_paid_by_reference(books, windows),
        *_entered_twice(books, windows, verdicts, near),
        *_paid_twice_without_reference(books, windows, verdicts, near),
    ]
    found: dict[str, Duplicate] = {}
    for candidate in _one_to_one(books, candidates):
        group = [books.txns[i] for i in candidate.members]
        if span is not None and not any(span.start <= e.date <= span.end for e in group):
            continue
        if account is not None and not any(
            _under(p.account, account) for e in group for p in e.postings
        ):
            continue
        ident = finding_id(group)
        if ident in dismissed or ident in found:
            continue
        group.sort(key=lambda e: (e.date, e.meta.get("lineno", 0)))
        found[ident] = Duplicate(
            ident,
            candidate.kind,
            round(min(1.0, candidate.score), 2),
            tuple(_where(e, root) for e in group),
            tuple(e.date for e in group),
            candidate.reasons,
        )
    return sorted(found.values(), key=lambda d: (d.dates, d.kind, d.entries))


def _slug(account: str) -> str:
    """The default statement folder's name, as reconciliation and import spell it."""
    return account.replace(":", "-").lower()


def _under(name: str, account: str) -> bool:
    return name == account or name.startswith(account + ":")


def _one_to_one(books: _Books, candidates: list[_Candidate]) -> list[_Candidate]:
    """Group findings first; then pairs, best first, each entry in at most one pair.

    Three entries of one coffee are two findings at most, and a weekly payment paid twice
    pairs its extra payment with the nearer of its two neighbours, not with both.
    """
    groups = [c for c in candidates if not c.pairwise]
    kept, seen = [], set()
    for candidate in groups:
        if frozenset(candidate.members) not in seen:
            seen.add(frozenset(candidate.members))
            kept.append(candidate)
    groups_of: dict[int, set[int]] = defaultdict(set)  # entry -> the groups holding it
    for n, candidate in enumerate(kept):
        for i in candidate.members:
            groups_of[i].add(n)
    taken: set[int] = set()
    pairs = sorted(
        (c for c in candidates if c.pairwise),
        key=lambda c: (-c.score, sorted(books.rank(i) for i in c.members)),
    )
    for candidate in pairs:
        members = frozenset(candidate.members)
        if members & taken or set.intersection(*(groups_of.get(i, set()) for i in members)):
            continue  # an entry already paired, or a pair a group finding already holds
        taken |= members
        kept.append(candidate)
    return kept


def _compare(first: Item, second: Item, params: MatchParams) -> Match | None:
    """The matcher's score and reasons for one pair already chosen by reference."""
    pairs = find_similar_pairs([first, second], params)
    return pairs[0] if pairs else None


def _item(books: _Books, i: int, amount: Decimal, currency: str, refs=()) -> Item:
    return Item(i, books.txns[i].date, amount, currency, books.text(i), frozenset(refs))


# --- 1. One statement line imported twice -------------------------------------------------------


def _imported_twice(books: _Books) -> Iterable[_Candidate]:
    for line_id, members in books.imported.items():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda i: (books.rank(i), i))
        reasons = [f"same {ID_KEY} {line_id}: one statement line, {len(members)} entries"]
        first, second = members[0], members[1]
        postings = [p for p in books.txns[first].postings if p.units is not None]
        legs = [p for p in postings if p.account in books.cash] or postings
        if legs:
            units = legs[0].units
            wide = MatchParams(date_window=366, check_date_window=366, min_score=0.0)
            pair = _compare(
                _item(books, first, units.number, units.currency),
                _item(books, second, units.number, units.currency),
                wide,
            )
            if pair is not None:
                reasons += pair.reasons
        # The same id is the bank's (or the row's) identity twice over: certain.
        yield _Candidate(IMPORTED_TWICE, tuple(members), 1.0, tuple(reasons), False)


# --- 2. Payments that share an invoice number ---------------------------------------------------


class _Invoiced(NamedTuple):
    index: int
    amount: Decimal  # positive: what was paid, or billed
    currency: str


def _paid_by_reference(books: _Books, windows: Windows) -> Iterable[_Candidate]:
    """Same vendor and invoice paid more than billed (or twice, with no bill); same invoice
    and amount paid to two vendors."""
    payments: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    bills: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    payables, cash = books.payables, books.cash
    for i in books.invoiced:
        entry = books.txns[i]
        ref = normalize_ref(str(entry.meta["invoice"]))
        if not ref or ref == "0":
            continue
        paid: dict[str, Decimal] = {}
        billed: dict[str, Decimal] = {}
        out: dict[str, Decimal] = {}
        for p in entry.postings:
            units = p.units
            if units is None:
                continue
            if p.account in payables:
                into = paid if units.number > 0 else billed
                into[units.currency] = into.get(units.currency, 0) + abs(units.number)
            elif p.account in cash and units.number < 0:
                out[units.currency] = out.get(units.currency, 0) - units.number
        # A payment debits the payable; one paid straight from the bank or card (no bill
        # booked) is a payment too. A bill credits the payable and moves no cash.
        for currency, amount in (paid or out).items():
            payments[(currency, ref)].append(_Invoiced(i, amount, currency))
        if not paid and not out:
            for currency, amount in billed.items():
                bills[(currency, ref)].append(_Invoiced(i, amount, currency))
    for key, paying in payments.items():
        if len(paying) < 2:
            continue
        clusters = _by_vendor(books, paying)
        for cluster in clusters:
            if len(cluster) > 1:
                yield from _overpaid(books, key, cluster, bills.get(key, []), windows)
        if len(clusters) > 1:
            billed = sum((b.amount for b in bills.get(key, [])), Decimal(0))
            if sum((p.amount for p in paying), Decimal(0)) > billed:
                # Paid beyond what was billed under the number: not parts of one bill.
                yield from _two_vendors(books, key[1], clusters, windows)


def _by_vendor(books: _Books, items: list[_Invoiced]) -> list[list[_Invoiced]]:
    """Items grouped by payee similarity (a reference's bucket is small: a few payments)."""
    clusters: list[list[_Invoiced]] = []
    for item in sorted(items, key=lambda x: books.rank(x.index)):
        text = books.text(item.index)
        for cluster in clusters:
            if payee_similarity(books.text(cluster[0].index), text) >= SAME_VENDOR:
                cluster.append(item)
                break
        else:
            clusters.append([item])
    return clusters


def _invoice_params(books: _Books, items: Sequence[_Invoiced], days: int) -> MatchParams:
    # Payments of one invoice are compared whatever their amounts: the amount difference
    # weighs in the score rather than keeping them apart.
    spread = max(x.amount for x in items)
    return MatchParams(
        date_window=days, check_date_window=days, amount_tolerance=spread, min_score=0.0
    )


def _overpaid(
    books: _Books,
    key: tuple[str, str],
    cluster: list[_Invoiced],
    bills: list[_Invoiced],
    windows: Windows,
) -> Iterable[_Candidate]:
    currency, ref = key
    vendor = books.text(cluster[0].index)
    billed = sum(
        (b.amount for b in bills if payee_similarity(books.text(b.index), vendor) >= SAME_VENDOR),
        Decimal(0),
    )
    shown = str(books.txns[cluster[0].index].meta["invoice"])
    if billed:
        total = sum((p.amount for p in cluster), Decimal(0))
        if total <= billed:
            return  # paid in parts that add up to the bill: honest
        # The payments that most look alike carry the score: usually the same amount twice.
        first, second = min(
            ((a, b) for n, a in enumerate(cluster) for b in cluster[n + 1 :]),
            key=lambda pair: (
                abs(pair[0].amount - pair[1].amount),
                books.rank(pair[0].index),
                books.rank(pair[1].index),
            ),
        )
        days = max(windows.invoice, _days(books, first.index, second.index))
        pair = _compare(
            _item(books, first.index, first.amount, currency, [ref]),
            _item(books, second.index, second.amount, currency, [ref]),
            _invoice_params(books, cluster, days),
        )
        reasons = [
            f"same vendor {vendor}, same invoice {shown}",
            f"paid {total:,} against a bill of {billed:,} ({total - billed:,} too much)",
            f"paid on {', '.join(str(books.txns[p.index].date) for p in cluster)}",
            *_without_reference(pair),
        ]
        score = pair.score if pair else 0.9
        yield _Candidate(PAID_TWICE, tuple(p.index for p in cluster), score, tuple(reasons), False)
        return
    # No bill booked: two payments of the same amount for one invoice, within the window,
    # are one bill paid twice; different amounts are parts of it.
    for n, first in enumerate(cluster):
        for second in cluster[n + 1 :]:
            if first.amount != second.amount:
                continue
            if _days(books, first.index, second.index) > windows.invoice:
                continue
            pair = _compare(
                _item(books, first.index, first.amount, currency, [ref]),
                _item(books, second.index, second.amount, currency, [ref]),
                _invoice_params(books, cluster, windows.invoice),
            )
            if pair is None:
                continue
            reasons = [
                f"same vendor {vendor}, same invoice {shown}, paid {first.amount:,} twice",
                "no bill booked for it",
                *_without_reference(pair),
            ]
            yield _Candidate(
                PAID_TWICE, (first.index, second.index), pair.score, tuple(reasons), True
            )


def _without_reference(pair: Match | None) -> list[str]:
    """The matcher's reasons but its "same reference", which names the invoice normalized
    (PP20250016) where the finding already names it as written."""
    return [r for r in pair.reasons if not r.startswith("same reference")] if pair else []


def _two_vendors(
    books: _Books, ref: str, clusters: list[list[_Invoiced]], windows: Windows
) -> Iterable[_Candidate]:
    """One invoice number and amount paid to two payees: a payment sent to the wrong vendor,
    or a bill keyed under the wrong one. Different amounts are two vendors' own numbering."""
    heads = [(c[0], c) for c in clusters]
    for n, (_, left) in enumerate(heads):
        for _, right in heads[n + 1 :]:
            for first in left:
                for second in right:
                    if first.amount != second.amount:
                        continue
                    if _days(books, first.index, second.index) > windows.invoice:
                        continue
                    pair = _compare(
                        _item(books, first.index, first.amount, first.currency, [ref]),
                        _item(books, second.index, second.amount, second.currency, [ref]),
                        _invoice_params(books, [first], windows.invoice),
                    )
                    if pair is None:
                        continue
                    a, b = books.txns[first.index], books.txns[second.index]
                    reasons = [
                        f"invoice {a.meta['invoice']} and {b.meta['invoice']} paid to two payees: "
                        f"{books.text(first.index)} and {books.text(second.index)}",
                        *pair.reasons,
                    ]
                    yield _Candidate(
                        TWO_VENDORS, (first.index, second.index), pair.score, tuple(reasons), True
                    )


def _days(books: _Books, i: int, j: int) -> int:
    return abs((books.txns[i].date - books.txns[j].date).days)


# --- 3. One movement booked twice ---------------------------------------------------------------


class _Verdicts:
    """Per account, which postings the statements account for, matched one-to-one."""

    def __init__(self, books: _Books, printed: Printed, near: Callable[[date], bool]) -> None:
        self.printed = printed
        self.matched: set[tuple[int, str]] = set()
        by_account: dict[str, list[PrintedLine]] = defaultdict(list)
        for line in printed.lines:
            by_account[line.account].append(line)
        postings: dict[str, list[tuple[int, Decimal, str]]] = defaultdict(list)
        for (account, currency, amount), members in books.buckets.items():
            if account in by_account:
                postings[account] += [
                    (i, amount, currency) for i in members if near(books.txns[i].date)
                ]
        for account, lines in by_account.items():
            self._match(books, account, lines, postings[account])

    def _match(
        self,
        books: _Books,
        account: str,
        lines: list[PrintedLine],
        postings: list[tuple[int, Decimal, str]],
    ) -> None:
        # An entry imported from a line is that line: joined by id, not scored (the score of
        # a typed copy can equal it, and the id is proof).
        by_id: dict[str, list[int]] = defaultdict(list)
        for n, line in enumerate(lines):
            for ref in line.refs:
                by_id[ref].append(n)
        claimed: set[int] = set()
        book = []
        for i, amount, currency in postings:
            entry = books.txns[i]
            if books.statement_account(i) == account:
                free = [n for n in by_id.get(str(entry.meta[ID_KEY]), ()) if n not in claimed]
                if free:
                    claimed.add(free[0])
                    self.matched.add((i, account))
                    continue
            check = books.refs(i).get("check")
            book.append(
                Item(
                    (books.rank(i), i, account),
                    entry.date,
                    amount,
                    currency,
                    books.text(i),
                    frozenset([check]) if check else frozenset(),
                    "check" if check else "",
                )
            )
        bank = [
            Item(n, ln.date, ln.amount, ln.currency, ln.text, ln.refs, ln.kind)
            for n, ln in enumerate(lines)
            if n not in claimed
        ]
        result = match_items(bank, book, STATEMENT_PARAMS, explain=False)
        self.matched.update(item.key[1:] for m in result.matches for item in m.right)

    def of(self, account: str, first: int, second: int, books: _Books) -> str:
        """ "twice", "once" or "unknown": how often the statement printed this movement."""
        if not all(self.printed.covers(account, books.txns[i].date) for i in (first, second)):
            return "unknown"
        count = ((first, account) in self.matched) + ((second, account) in self.matched)
        return ("unknown", "once", "twice")[count]


def _entered_twice(
    books: _Books, windows: Windows, verdicts: _Verdicts, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    params = MatchParams(
        date_window=windows.entry, check_date_window=windows.entry, min_score=MIN_SCORE
    )
    # Only an amount an account holds twice can be a duplicate: the hash first, so the
    # matcher indexes the few postings that repeat rather than every one.
    repeated: dict[str, list[Item]] = defaultdict(list)
    for (account, currency, amount), members in books.buckets.items():
        if len(members) > 1:
            repeated[account] += [
                Item(i, books.txns[i].date, amount, currency, books.text(i))
                for i in _with_neighbour(books, members, windows.entry, near)
            ]
    seen: set[tuple[int, int]] = set()
    for account in sorted(repeated):
        items = repeated[account]
        series = _Series(items)
        for pair in find_similar_pairs(items, params):
            one, two = pair.left[0], pair.right[0]
            first, second = sorted((one.key, two.key), key=lambda i: (books.rank(i), i))
            if first == second or (first, second) in seen:
                continue
            seen.add((first, second))
            if _reversed(books, account, one, (first, second), verdicts, windows.entry):
                continue  # one of them was taken back: the books hold it once
            candidate = _judge_entered_twice(
                books, account, first, second, pair, verdicts, series, one, two
            )
            if candidate is not None:
                yield candidate


def _with_neighbour(
    books: _Books, members: list[int], window: int, near: Callable[[date], bool]
) -> list[int]:
    """Members of a bucket (in date order) with another member within `window` days."""
    days = [books.txns[i].date.toordinal() for i in members]
    keep = []
    for k, i in enumerate(members):
        close = (k > 0 and days[k] - days[k - 1] <= window) or (
            k + 1 < len(days) and days[k + 1] - days[k] <= window
        )
        if close and near(books.txns[i].date):
            keep.append(i)
    return keep


def _reversed(
    books: _Books,
    account: str,
    item: Item,
    pair: tuple[int, int],
    verdicts: _Verdicts,
    window: int,
) -> bool:
    """Whether another entry takes one of the pair back: the same amount the other way, same
    payee, within days, and not a line of the statement (a refund is one; a correction is
    the bookkeeper's)."""
    txns = books.txns
    low = min(txns[i].date for i in pair) - timedelta(days=window)
    high = max(txns[i].date for i in pair) + timedelta(days=window)
    for entry in books.buckets.get((account, item.currency, -item.amount), ()):
        if (
            entry not in pair
            and low <= txns[entry].date <= high
            and (entry, account) not in verdicts.matched
            and any(payee_similarity(books.text(entry), books.text(i)) >= SAME_TEXT for i in pair)
        ):
            return True
    return False


def _judge_entered_twice(
    books: _Books,
    account: str,
    first: int,
    second: int,
    pair: Match,
    verdicts: _Verdicts,
    series: _Series,
    one: Item,
    two: Item,
) -> _Candidate | None:
    a, b = books.txns[first], books.txns[second]
    if ID_KEY in a.meta and a.meta.get(ID_KEY) == b.meta.get(ID_KEY):
        return None  # rule 1's
    if _conflict(books.refs(first), books.refs(second)):
        return None  # two invoices or two check numbers: two transactions
    shared = set(_cash_accounts(a, books)) & set(_cash_accounts(b, books))
    verdict = _combined(verdicts, shared or {account}, first, second, books)
    if verdict == "twice":
        return None  # the bank printed each: two real movements
    origin_a, origin_b = books.statement_account(first), books.statement_account(second)
    if origin_a is not None and origin_a == origin_b and verdict != "once":
        return None  # two lines of one statement: two real movements
    both_invoiced = "invoice" in books.refs(first) and "invoice" in books.refs(second)
    if both_invoiced and verdict != "once" and _touches(a, b, books.payables | books.receivables):
        return None  # payments of one bill: parts, or rule 2's to judge against the bill
    if account not in books.cash and not _same_postings(a, b):
        return None  # no cash moved: entered twice means the very same postings
    transfer = _transfer_twice(books, account, a, b)
    text = payee_similarity(books.text(first), books.text(second))
    reasons = []
    if transfer:
        kind = TRANSFER_TWICE
        reasons.append(transfer)
    else:
        kind = ENTERED_TWICE
        lenient = verdict == "once" and (
            _same_postings(a, b) or _touches(a, b, books.uncategorized)
        )
        if text < SAME_TEXT and not lenient:
            return None
        if not _same_postings(a, b):
            reasons.append("booked to different accounts: " + _counter_words(a, b, account))
    if verdict == "unknown" and series.regular(one, two):
        return None  # a weekly or monthly repeat at the same price
    reasons.append(_provenance(books, first, second, origin_a, origin_b))
    score = pair.score
    if verdict == "once":
        score += PRINTED_ONCE_BONUS  # kept above 1 for ranking; shown capped
        reasons.append(f"the statement of {_statement_of(shared or {account})} shows it once")
    reasons += pair.reasons
    return _Candidate(kind, (first, second), score, tuple(reasons), True)


def _cash_accounts(entry: data.Transaction, books: _Books) -> list[str]:
    return [p.account for p in entry.postings if p.account in books.cash]


def _combined(
    verdicts: _Verdicts, accounts: Iterable[str], first: int, second: int, books: _Books
) -> str:
    """A transfer is on two statements: printed twice on either means two transfers."""
    found = {verdicts.of(account, first, second, books) for account in accounts}
    for verdict in ("twice", "once"):
        if verdict in found:
            return verdict
    return "unknown"


def _statement_of(accounts: Iterable[str]) -> str:
    return " and ".join(sorted(accounts))


def _touches(a: data.Transaction, b: data.Transaction, accounts: frozenset[str]) -> bool:
    return any(p.account in accounts for e in (a, b) for p in e.postings)


def _same_postings(a: data.Transaction, b: data.Transaction) -> bool:
    def signature(entry: data.Transaction) -> list:
        return sorted((p.account, p.units) for p in entry.postings if p.units is not None)

    return signature(a) == signature(b)


def _counter_words(a: data.Transaction, b: data.Transaction, account: str) -> str:
    def others(entry: data.Transaction) -> str:
        return ", ".join(sorted({p.account for p in entry.postings if p.account != account}))

    return f"{others(a)} vs {others(b)}"


def _transfer_twice(
    books: _Books, account: str, a: data.Transaction, b: data.Transaction
) -> str | None:
    """Words for one transfer booked twice, or None: one entry moves money between two cash
    accounts, and the other holds the same movement's other side or parks it uncategorized."""
    for transfer, other in ((a, b), (b, a)):
        cash = set(_cash_accounts(transfer, books))
        if len(cash) < 2 or account not in cash:
            continue
        far = cash - {account}
        rest = {p.account for p in other.postings} - {account}
        if rest and rest <= far | books.uncategorized:
            where = ", ".join(sorted(rest))
            return f"one transfer {account} / {', '.join(sorted(far))}, booked again ({where})"
    return None


def _provenance(
    books: _Books, first: int, second: int, origin_a: str | None, origin_b: str | None
) -> str:
    def words(origin: str | None) -> str:
        return "typed by hand" if origin is None else f"imported from the {origin} statement"

    if origin_a == origin_b:
        return "both " + words(origin_a)
    return f"one {words(origin_a)}, one {words(origin_b)}"


class _Series:
    """Same amount and payee, by date: tells a weekly repeat from a payment made twice."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.days: dict[tuple, list[int]] = defaultdict(list)
        for item in items:
            self.days[self._key(item)].append(item.date.toordinal())
        for days in self.days.values():
            days.sort()

    @staticmethod
    def _key(item: Item) -> tuple:
        return (item.currency, item.amount, normalize_text(item.text))

    def regular(self, one: Item, two: Item) -> bool:
        """Whether the pair is part of a cadence rather than one payment made twice: another
        payment lies between them, or the gap repeats (within days) before or after them."""
        d1, d2 = sorted((one.date.toordinal(), two.date.toordinal()))
        gap = d2 - d1
        if gap == 0:
            return False
        days = self.days.get(self._key(one), [])
        if bisect_left(days, d2) - bisect_right(days, d1) > 0:
            return True  # not neighbours: the pairs of neighbours speak for them
        # A weekly payment moves a day or two for a weekend or a holiday.
        slack = 2 if gap >= 5 else 1 if gap >= 3 else 0
        at = bisect_left(days, d1)
        before = d1 - days[at - 1] if at > 0 else None
        at = bisect_right(days, d2)
        after = days[at] - d2 if at < len(days) else None
        return any(step is not None and abs(step - gap) <= slack for step in (before, after))


# --- 4. A vendor paid the same amount twice, no invoice number to tell them apart ---------------


def _paid_twice_without_reference(
    books: _Books, windows: Windows, verdicts: _Verdicts, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    # A vendor is a payee the payables know: paying one is settling a bill, where two coffees
    # at one café are two coffees.
    is_vendor: dict[str, bool] = {}
    by_amount: dict[tuple[str, Decimal], list[tuple[int, str]]] = defaultdict(list)
    for (account, currency, amount), members in books.buckets.items():
        if amount >= 0 or account not in books.cash:
            continue
        for i in members:
            text = books.text(i)
            vendor = is_vendor.get(text)
            if vendor is None:
                vendor = is_vendor[text] = normalize_text(text) in books.vendors
            if (vendor or i in books.pays_bill) and near(books.txns[i].date):
                by_amount[(currency, amount)].append((i, account))
    payments: list[tuple[int, str]] = []  # (entry, cash account)
    items = []
    for (currency, amount), paid in by_amount.items():
        if len(paid) < 2:
            continue  # paid once at this amount: nothing to pair it with
        paid.sort()
        close = set(_with_neighbour(books, [i for i, _ in paid], windows.payment, near))
        for i, account in paid:
            if i not in close:
                continue
            items.append(Item(len(payments), books.txns[i].date, -amount, currency, books.text(i)))
            payments.append((i, account))
    if not items:
        return
    series = _Series(items)
    params = MatchParams(
        date_window=windows.payment, check_date_window=windows.payment, min_score=MIN_SCORE
    )
    for pair in find_similar_pairs(items, params):
        one, two = pair.left[0], pair.right[0]
        (first, cash_a), (second, cash_b) = sorted(
            (payments[one.key], payments[two.key]), key=lambda p: (books.rank(p[0]), p[0])
        )
        if first == second:
            continue
        a, b = books.txns[first], books.txns[second]
        if ID_KEY in a.meta and a.meta.get(ID_KEY) == b.meta.get(ID_KEY):
            continue  # rule 1's
        if payee_similarity(books.text(first), books.text(second)) < SAME_VENDOR:
            continue
        ref_a, ref_b = books.refs(first).get("invoice"), books.refs(second).get("invoice")
        if ref_a and ref_b:
            continue  # distinct invoices are two bills; the same one is rule 2's
        if series.regular(one, two):
            continue
        shared = {cash_a, cash_b} if cash_a == cash_b else set()
        verdict = _combined(verdicts, shared, first, second, books) if shared else "unknown"
        if verdict == "once":
            continue  # the money left once: rule 3's (entered twice)
        reasons = [
            f"same vendor paid {one.amount:,} {one.currency} twice: "
            f"{books.text(first)} and {books.text(second)}",
            "no invoice number tells the payments apart"
            if not (ref_a or ref_b)
            else f"only one names an invoice ({ref_a or ref_b})",
        ]
        if verdict == "twice":
            reasons.append(f"the statement of {cash_a} shows both: the money left twice")
        reasons += pair.reasons
        yield _Candidate(PAID_TWICE, (first, second), pair.score, tuple(reasons), True)


# --- Dismissals ---------------------------------------------------------------------------------


class Dismissal(BaseModel):
    """One finding a person said is not a duplicate."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^d-[0-9a-f]{12}$")
    reason: str = Field(min_length=1)
    by: str | None = None
    at: datetime | date | str | None = None


class DismissedFile(BaseModel):
    """dupes/dismissed.yaml: written by `bo dupes --dismiss`, committed with the books."""

    model_config = ConfigDict(extra="forbid")

    dismissed: list[Dismissal] = []


def load_dismissals(root: Path) -> DismissedFile:
    """The dismissals on file; a file that cannot be trusted is bad input naming its line."""
    path = root / DISMISSED_FILE
    if not path.is_file():
        return DismissedFile()
    return validate_yaml(DismissedFile, read_text(path, DISMISSED_FILE), DISMISSED_FILE)


def load_dismissed(root: Path) -> frozenset[str]:
    """The ids of dismissed findings."""
    return frozenset(d.id for d in load_dismissals(root).dismissed)
