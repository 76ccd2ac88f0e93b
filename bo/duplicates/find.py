"""`find_duplicates`: every rule's candidates, one finding per set of entries, sorted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path

from beancount.core import data
from beancount.core.account_types import DEFAULT_ACCOUNT_TYPES
from beancount.parser.options import get_account_types

from bo.booked import match_params
from bo.duplicates.bills import _billed_twice
from bo.duplicates.books import _Books, money_accounts
from bo.duplicates.credited import _credited_twice
from bo.duplicates.entered import _entered_twice
from bo.duplicates.evidence import _Verdicts
from bo.duplicates.imported import _imported_twice
from bo.duplicates.invoiced import _documents_twice
from bo.duplicates.ledgers import documents_and_moves
from bo.duplicates.model import (
    ENTERED_TWICE,
    IMPORTED_TWICE,
    PAID_TWICE,
    TRANSFER_TWICE,
    TWO_VENDORS,
    Duplicate,
    Windows,
    _Candidate,
    _where,
    finding_id,
)
from bo.duplicates.owed import _paid_beyond_owed
from bo.duplicates.payments import (
    _by_invoice,
    _ByInvoice,
    _paid_by_reference,
    _paid_twice_without_reference,
)
from bo.duplicates.received import _Receipts, _receipts, _received_twice
from bo.duplicates.records import _recorded_twice
from bo.duplicates.referenced import _documents_by_reference
from bo.duplicates.reimbursed import _reimbursed_twice
from bo.duplicates.renumbered import _renumbered_twice, numbered_documents
from bo.duplicates.reversals import rebooked, takes_back
from bo.duplicates.statemented import _statements_as_bills
from bo.duplicates.wages import _net_pay_twice, pay_accounts
from bo.lineids import LineIds
from bo.paths import account_slug
from bo.periods import Period
from bo.settings import CASH_ROLES, Settings
from bo.statements.printed import Printed


def find_duplicates(
    entries: Sequence[data.Directive],
    settings: Settings,
    *,
    period: str | None = None,
    account: str | None = None,
    dismissed: frozenset[str] = frozenset(),
    statements: Printed | None = None,
    root: Path | None = None,
    options: dict | None = None,
    remember: Callable[[Callable[[], LedgerPart]], LedgerPart] | None = None,
) -> list[Duplicate]:
    """Duplicates among the entries: those with an entry in the period, and touching the
    account, if given; all entries are read, so a filter never hides a duplicate's partner.

    `options` are the ledger's (its root account names); beancount's defaults without them.
    `remember(compute)` gives what `compute()` gave before over the same entries and
    settings (a cache keyed on them), or computes it: the part of the scan that reads the
    ledger alone, whatever the period, statements and dismissals.
    """
    span = Period.parse(period) if period else None
    windows = Windows.of(settings)
    # By date (buckets then list their members in date order); ties between look-alikes are
    # broken by `_Books.rank`, so the answer never depends on the order entries came in.
    txns = sorted((e for e in entries if type(e) is data.Transaction), key=attrgetter("date"))
    if remember is None:
        ledger = _read_ledger(txns, settings, options)
    else:
        ledger = remember(lambda: _read_ledger(txns, settings, options))
        ledger.books.txns = txns
    books = ledger.books
    # Pairs are within days of each other and cadences within two windows: entries further
    # from the period than that cannot be part of one of its findings.
    near: Callable[[date], bool] = lambda day: True  # noqa: E731
    if span is not None:
        reach = timedelta(days=2 * max(windows.entry, windows.payment) + 1)
        low, high = span.start - reach, span.end + reach
        near = lambda day: low <= day <= high  # noqa: E731
    verdicts = _Verdicts(books, statements or Printed(), near, match_params(settings))
    candidates = [
        *ledger.imported,
        *_paid_by_reference(books, windows, ledger.invoices, verdicts),
        *_billed_twice(books, windows, near),
        *_statements_as_bills(books, near),
        *_documents_by_reference(books, windows, near),
        *_documents_twice(books, windows, near),
        *_entered_twice(books, windows, verdicts, near),
        *_paid_twice_without_reference(books, windows, verdicts, near),
        *_paid_beyond_owed(books, windows, verdicts, near),
        *_received_twice(books, windows, verdicts, near, ledger.receipts),
        *_reimbursed_twice(books, windows, near),
        *_net_pay_twice(books, pay_accounts(_roles(settings)), near),
        *_renumbered_twice(books, windows, near, _banks(settings), ledger.numbered),
        *_credited_twice(books, windows, near),
    ]
    # A bill reversed before it was booked again is out of every pair: the books hold it once.
    # One bank line's id twice is a copy whatever bank line stands between them (a refund).
    # A reversal pays nothing: no payment pair holds one.
    candidates = [
        c
        for c in candidates
        if not rebooked(books, c.members, lines=c.kind != IMPORTED_TWICE)
        and not (
            c.kind in (PAID_TWICE, TWO_VENDORS) and any(takes_back(books, i) for i in c.members)
        )
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
            candidate.missing,
        )
    return sorted(found.values(), key=lambda d: (d.dates, d.kind, d.entries))


@dataclass
class LedgerPart:
    """What the scan learns from the entries and settings alone, which no period, statement
    or dismissal changes: the indexes over every entry, the findings by line id, and the
    payments and receipts of invoices by number. Kept between runs without the entries
    (`_Books` leaves them out)."""

    books: _Books
    imported: list[_Candidate]
    invoices: _ByInvoice
    receipts: _Receipts
    # Entries holding a document's own number (a claim's, a work order's), by key.
    numbered: dict[int, dict[str, str]] = field(default_factory=dict)


def _read_ledger(
    txns: list[data.Transaction], settings: Settings, options: dict | None
) -> LedgerPart:
    roles = settings.accounts
    windows = Windows.of(settings)
    types = get_account_types(options) if options else DEFAULT_ACCOUNT_TYPES
    matching = settings.matching
    # Books whose bo.yaml names no payables (or receivables) have them found by their bills.
    payables, receivables, moves = documents_and_moves(txns, settings, types)
    payables |= frozenset(a for a, c in roles.items() if c.role == "payable")
    receivables |= frozenset(a for a, c in roles.items() if c.role == "receivable")
    books = _Books(
        txns,
        money_accounts(txns if moves is None else moves, settings, types, payables | receivables),
        payables,
        receivables,
        frozenset(a for a, c in roles.items() if c.role == "uncategorized"),
        tuple(
            ((c.statement.dir or f"statements/{account_slug(a)}").rstrip("/") + "/", a)
            for a, c in roles.items()
            if c.statement is not None
        ),
        LineIds.of(matching.line_id_keys, matching.line_id_links),
        (types.assets + ":", types.liabilities + ":"),
        _banks(settings),
    )
    return LedgerPart(
        books,
        [*_imported_twice(books, windows), *_recorded_twice(books, windows)],
        _by_invoice(books),
        _receipts(books),
        numbered_documents(books),
    )


def _banks(settings: Settings) -> frozenset[str]:
    return frozenset(a for a, role in _roles(settings) if role in CASH_ROLES)


def _roles(settings: Settings) -> list[tuple[str, str]]:
    return [(account, config.role) for account, config in settings.accounts.items()]


def _under(name: str, account: str) -> bool:
    return name == account or name.startswith(account + ":")


# Kinds of evidence: one movement booked twice (the statement's question), one obligation
# paid twice (the invoice's), one line imported twice (the id's). An entry typed again the
# next day and paid again weeks later is in one finding of each.
_FAMILY = {
    ENTERED_TWICE: "booked",
    TRANSFER_TWICE: "booked",
    PAID_TWICE: "paid",
    TWO_VENDORS: "paid",
    IMPORTED_TWICE: "imported",
}


def _one_to_one(books: _Books, candidates: list[_Candidate]) -> list[_Candidate]:
    """Group findings first; then pairs, best first, each entry in at most one pair of each
    kind of evidence.

    Three entries of one coffee are two findings at most, and a weekly payment paid twice
    pairs its extra payment with the nearer of its two neighbours, not with both; but the
    same entry may be booked twice and paid twice, two findings.
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
    taken: dict[str, set[int]] = defaultdict(set)
    pairs = sorted(
        (c for c in candidates if c.pairwise),
        key=lambda c: (-c.score, sorted(books.rank(i) for i in c.members)),
    )
    for candidate in pairs:
        members = frozenset(candidate.members)
        family = taken[_FAMILY[candidate.kind]]
        if members in seen or members & family:
            continue  # the same entries found already, or an entry already paired this way
        if set.intersection(*(groups_of.get(i, set()) for i in members)):
            continue  # a pair a group finding already holds
        seen.add(members)
        family |= members
        kept.append(candidate)
    return kept
