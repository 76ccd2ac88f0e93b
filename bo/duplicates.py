"""Duplicate entries and duplicate payments: found by hashing, explained, remembered.

Four kinds, each from a bucket built in one pass (never a scan of every pair):

- **same bank line imported twice**: two entries carrying one `import-id`;
- **duplicate payment**: one vendor's bill (same normalized `invoice:`) paid more than the
  bill, or a vendor paid the same amount twice within days from a bank account with no
  reference telling the payments apart;
- **same transaction entered twice**: identical postings (accounts and amounts) on close
  dates with similar payee and narration;
- **transfer booked from both sides**: the same kind, between two bank or card accounts.

Honest repeats are not findings: entries from two distinct statement lines (two import
ids, or two lines on the statement itself), regular payments on a cadence, refunds
(opposite signs never share a bucket), bills paid in parts that sum to the bill.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from beancount.core import data

from bo.close.record import entry_text
from bo.matching import normalize_ref, text_similarity
from bo.periods import Period
from bo.settings import Settings
from bo.yamlfile import FAST_LOADER

WINDOW = 4  # days: a duplicate is entered within days of the original
PAYMENT_WINDOW = 10  # days: a bill paid twice usually is, within a fortnight
MIN_TEXT = 0.6
DISMISSED_FILE = "dupes/dismissed.yaml"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Duplicate:
    id: str
    kind: str
    score: float
    entries: tuple[str, ...]  # file:line
    dates: tuple[date, ...]
    reasons: tuple[str, ...]


def entry_key(entry: data.Transaction) -> str:
    return hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()[:16]


def finding_id(entries: Iterable[data.Transaction]) -> str:
    """Stable while the entries stay as they are: a dismissal then keeps holding."""
    keys = sorted(entry_key(e) for e in entries)
    return "d-" + hashlib.sha256("|".join(keys).encode()).hexdigest()[:12]


def _where(entry: data.Transaction, root: Path | None) -> str:
    name = str(entry.meta.get("filename", ""))
    path = Path(name)
    if root is not None and path.is_absolute() and path.is_relative_to(root):
        name = str(path.relative_to(root))
    return f"{name}:{entry.meta.get('lineno')}"


def statement_counts(lines: Iterable[tuple[str, date, Decimal]]) -> Counter:
    """(account, amount) -> Counter of dates: how often the bank printed that amount when."""
    counts: Counter = Counter()
    for account, day, amount in lines:
        counts[(account, amount, day)] += 1
    return counts


def _printed_twice(
    counts: Counter | None, account: str, amount: Decimal, first: date, last: date
) -> bool:
    if counts is None:
        return False
    total = 0
    day = first - timedelta(days=WINDOW)
    while day <= last + timedelta(days=WINDOW):
        total += counts.get((account, amount, day), 0)
        day += timedelta(days=1)
    return total >= 2


def find_duplicates(
    entries: Sequence[data.Directive],
    settings: Settings,
    *,
    period: str | None = None,
    account: str | None = None,
    dismissed: frozenset[str] = frozenset(),
    statements: Counter | None = None,
    root: Path | None = None,
) -> list[Duplicate]:
    """Duplicates among the entries (those touching the period, if one is given)."""
    span = Period.parse(period) if period else None
    cash = {a for a, c in settings.accounts.items() if c.role in ("bank", "card", "processor")}
    banks = {a for a, c in settings.accounts.items() if c.role == "bank"}
    payables = {a for a, c in settings.accounts.items() if c.role == "payable"}
    receivables = {a for a, c in settings.accounts.items() if c.role == "receivable"}
    txns = [
        e
        for e in entries
        if type(e) is data.Transaction
        and (account is None or any(p.account == account for p in e.postings))
    ]
    found: dict[str, Duplicate] = {}

    def in_scope(group: Sequence[data.Transaction]) -> bool:
        return span is None or any(span.start <= e.date <= span.end for e in group)

    def add(kind: str, group: Sequence[data.Transaction], score: float, reasons: list[str]):
        if not in_scope(group):
            return
        ident = finding_id(group)
        if ident in dismissed or ident in found:
            return
        group = sorted(group, key=lambda e: (e.date, e.meta.get("lineno", 0)))
        found[ident] = Duplicate(
            ident,
            kind,
            round(score, 2),
            tuple(_where(e, root) for e in group),
            tuple(e.date for e in group),
            tuple(reasons),
        )

    # 1. One statement line imported twice.
    by_import: dict[str, list[data.Transaction]] = defaultdict(list)
    for entry in txns:
        if "import-id" in entry.meta:
            by_import[str(entry.meta["import-id"])].append(entry)
    for line_id, group in by_import.items():
        if len(group) > 1:
            add("same bank line imported twice", group, 1.0, [f"same import-id {line_id}"])

    # 2. A bill paid more than once: payments and the bill share the vendor and invoice.
    paid: dict[tuple[str, str], list[tuple[data.Transaction, Decimal]]] = defaultdict(list)
    shown: dict[tuple[str, str], str] = {}
    billed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in txns:
        invoice = entry.meta.get("invoice")
        if invoice is None:
            continue
        key = ((entry.payee or "").casefold(), normalize_ref(str(invoice)))
        shown.setdefault(key, str(invoice))
        for posting in entry.postings:
            if posting.account in payables and posting.units is not None:
                if posting.units.number > 0:
                    paid[key].append((entry, posting.units.number))
                else:
                    billed[key] += -posting.units.number
    for (vendor, ref), payments in paid.items():
        total = sum((amount for _, amount in payments), ZERO)
        if len(payments) > 1 and total > billed.get((vendor, ref), ZERO) > 0:
            over = total - billed[(vendor, ref)]
            group = [entry for entry, _ in payments]
            add(
                "duplicate payment",
                group,
                0.95,
                [
                    f"same vendor {group[0].payee}, same invoice {shown[(vendor, ref)]}",
                    f"paid {total:,} against a bill of {billed[(vendor, ref)]:,} "
                    f"({over:,} too much)",
                    f"paid on {', '.join(str(e.date) for e in group)}",
                ],
            )

    # 3. The same postings twice on close dates: entered twice, or a transfer from both sides.
    by_postings: dict[tuple, list[data.Transaction]] = defaultdict(list)
    for entry in txns:
        signature = tuple(
            sorted(
                (p.account, p.units.number, p.units.currency)
                for p in entry.postings
                if p.units is not None
            )
        )
        by_postings[signature].append(entry)
    for signature, group in by_postings.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda e: e.date)
        accounts = {a for a, _, _ in signature}
        for first, second in itertools.pairwise(group):
            days = (second.date - first.date).days
            if days > WINDOW:
                continue
            if (
                "invoice" in first.meta
                and "invoice" in second.meta
                and accounts & (payables | receivables)
            ):
                continue  # payments against one bill: part payments, or case 2's to judge
            both_cash = len(accounts & cash) >= 2
            ids = {first.meta.get("import-id"), second.meta.get("import-id")}
            if None not in ids and len(ids) == 2 and not both_cash:
                # Two statement lines of one account said so: two real transactions. A
                # transfer, though, is on both accounts' statements, and so imported twice.
                continue
            # Payees first: two vendors billing the same amount with the same narration
            # ("Subscription") are two transactions.
            if first.payee and second.payee:
                text = text_similarity(first.payee, second.payee)
            else:
                text = text_similarity(first.narration or "", second.narration or "")
            if not both_cash and text < MIN_TEXT:
                continue
            if not both_cash and any(
                _printed_twice(statements, a, n, first.date, second.date)
                for a, n, _ in signature
                if a in cash
            ):
                continue  # the bank printed the amount twice: two real purchases
            refs = {
                normalize_ref(str(e.meta[k]))
                for e in (first, second)
                for k in ("invoice", "check")
                if k in e.meta
            }
            if len(refs) > 1:
                continue  # different invoice or check numbers: two real transactions
            kind = (
                "transfer booked from both sides" if both_cash else "same transaction entered twice"
            )
            amount = max(abs(n) for _, n, _ in signature)
            add(
                kind,
                [first, second],
                0.6 + 0.4 * text if not both_cash else 0.9,
                [
                    f"same postings ({', '.join(sorted(accounts))}), {amount:,}",
                    "same day" if days == 0 else f"dates {days} days apart",
                    f"payee {text:.0%} similar",
                ],
            )

    # 4. A vendor paid the same amount twice within days, with no reference to tell apart.
    by_vendor: dict[tuple[str, Decimal], list[data.Transaction]] = defaultdict(list)
    for entry in txns:
        if "invoice" in entry.meta or "check" in entry.meta or not entry.payee:
            continue
        for posting in entry.postings:
            if posting.account in banks and posting.units is not None and posting.units.number < 0:
                by_vendor[(entry.payee.casefold(), posting.units.number)].append(entry)
    for (_vendor, amount), group in by_vendor.items():
        group.sort(key=lambda e: e.date)
        for first, second in itertools.pairwise(group):
            days = (second.date - first.date).days
            if days > PAYMENT_WINDOW or entry_text(first) == entry_text(second):
                continue  # identical entries are case 3's to judge
            if _printed_twice(statements, _bank_of(first, banks), amount, first.date, second.date):
                continue
            add(
                "duplicate payment",
                [first, second],
                0.7,
                [
                    f"same vendor {first.payee} paid {-amount:,} twice",
                    f"{days} days apart",
                    "no invoice or check number tells the payments apart",
                ],
            )
    return sorted(found.values(), key=lambda d: (d.dates, d.kind))


def _bank_of(entry: data.Transaction, banks: set[str]) -> str:
    return next((p.account for p in entry.postings if p.account in banks), "")


def load_dismissed(root: Path) -> frozenset[str]:
    path = root / DISMISSED_FILE
    if not path.is_file():
        return frozenset()
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
    except yaml.YAMLError:
        return frozenset()
    return frozenset(str(d.get("id")) for d in loaded.get("dismissed") or [] if isinstance(d, dict))
