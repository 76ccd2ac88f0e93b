"""A vendor paid what the books no longer owed it: the vendor's own balance on a payables
account, read as a bookkeeper reads the vendor's ledger card.

Bills credit what is owed to a vendor (on the payables, and on the liabilities bills credit
beside them: a holdback kept back from each progress invoice); payments debit it. A payment
of the same amount as an earlier payment to the vendor, made when little or nothing was owed
any more, that leaves the vendor owing the business most of it with no bills coming in to
fill it within the invoice window, is that payment made again: a holdback released by trust
cheque and again by EFT from the operating account three weeks later, no invoice named.

Honest payments before their bill (a standing order, a deposit) are filled by the bill
within the invoice window; a vendor whose bills the books do not hold (paid before the books
start) is owed less than nothing from its first payment on, never nothing before one.
Payments naming invoices are the invoice rules' to judge, payments within days of each
other the rule of payments without a reference's; a monthly payment at one price whose bills
are not booked is a cadence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import account_types

from bo.duplicates.books import _Books, _compare, _item
from bo.duplicates.evidence import _combined, _Series, _Verdicts
from bo.duplicates.model import PAID_TWICE, Windows, _Candidate
from bo.duplicates.vendors import vendor_words
from bo.lineids import shared_id
from bo.matching import Item, MatchParams

_CENT = Decimal("0.01")
_HEAD = 3  # vendors' names are compared within the first letters of their first word


def _paid_beyond_owed(
    books: _Books, windows: Windows, verdicts: _Verdicts, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    ledgers = _vendor_ledgers(books)
    for (account, currency, _), moves in sorted(ledgers.items(), key=lambda kv: kv[0][:2]):
        yield from _overpaid(books, windows, verdicts, near, account, currency, moves)


# (account, currency, vendor) -> [(entry, signed amount: + paid, - billed, paid out: bool)]
_Ledgers = dict[tuple[str, str, tuple[str, ...]], list[tuple[int, Decimal, bool]]]


def _vendor_ledgers(books: _Books) -> _Ledgers:
    accounts = _owing_accounts(books)
    if not accounts:
        return {}
    vendor_of = _Names(books)
    ledgers: _Ledgers = defaultdict(list)
    txns = books.txns
    # A holdback beside the payables moves on its own too (its release): every entry then.
    owing = _owing_entries(books) if accounts == books.payables else range(len(txns))
    cash = books.cash
    for i in owing:
        legs = []
        out = False  # money paid out of a bank's account
        for p in txns[i].postings:
            units = p.units
            if units is None:
                continue
            if p.account in accounts:
                legs.append((p.account, units))
            elif p.account in cash and units.number < 0:
                out = True
        if not legs:
            continue
        vendor = vendor_of(books.text(i))
        if not vendor:
            continue
        for account, units in legs:
            ledgers[(account, units.currency, vendor)].append((i, units.number, out))
    return ledgers


def _owing_accounts(books: _Books) -> frozenset[str]:
    """The payables, and the liabilities bills credit beside them (a holdback, a retainage:
    money bo may take for a bank's, since its release moves it to one)."""
    payables = books.payables
    if not payables:
        return frozenset()
    found = set(payables)
    liabilities = books.balance_sheet[1].rstrip(":")
    for i in _owing_entries(books):  # a bill credits a payable
        postings = books.txns[i].postings
        if len(postings) < 3 or not any(
            p.account in payables and p.units is not None and p.units.number < 0 for p in postings
        ):
            continue
        for p in postings:
            if (
                p.units is not None
                and p.units.number < 0
                and p.account not in found
                and account_types.get_account_type(p.account) == liabilities
            ):
                found.add(p.account)
    return frozenset(found)


def _owing_entries(books: _Books) -> Sequence[int]:
    """The entries posting to a payable, by index: `_Books.owing`, which reads a posting to a
    money account as the bank's, so every entry when a payable is one."""
    if books.payables & books.cash:
        return range(len(books.txns))
    return books.owing


class _Names:
    """One key per vendor, whichever of its names an entry gives (`Vendors.same`)."""

    def __init__(self, books: _Books) -> None:
        self.names = books.names
        self.by_head: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self.seen: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.text: dict[tuple[str, ...], str] = {}

    def __call__(self, name: str) -> tuple[str, ...]:
        words = vendor_words(name)
        if not words:
            return ()
        found = self.seen.get(words)
        if found is None:
            heads = self.by_head[words[0][:_HEAD]]
            found = next((k for k in heads if self.names.same(self.text[k], name)), words)
            if found == words:
                heads.append(words)
                self.text[words] = name
            self.seen[words] = found
        return found


def _overpaid(
    books: _Books,
    windows: Windows,
    verdicts: _Verdicts,
    near: Callable[[date], bool],
    account: str,
    currency: str,
    moves: list[tuple[int, Decimal, bool]],
) -> Iterable[_Candidate]:
    if not any(out for _, _, out in moves) or not any(amount < 0 for _, amount, _ in moves):
        return  # never billed, or never paid: nothing to read
    moves = _by_rank(books, moves)
    owed = Decimal(0)
    balances = []  # owed after each move
    for _, amount, _ in moves:
        owed -= amount
        balances.append(owed)
    window = timedelta(days=windows.invoice)
    series: _Series | None = None
    for n, (i, amount, out) in enumerate(moves):
        if not out or amount <= 0:
            continue
        before = balances[n - 1] if n else Decimal(0)
        if before <= -_CENT or balances[n] > -amount / 2:
            continue  # already paid ahead, or paying what was owed (most of it)
        day = books.txns[i].date
        if not near(day):
            continue
        # No bill fills the gap within the window: the vendor keeps owing it back.
        if _filled(books, moves, balances, n, day + window):
            continue
        earlier = _earlier_payment(books, moves, n, day - window)
        if earlier is None or (day - books.txns[earlier].date).days <= windows.payment:
            continue  # none, or within days: the rule of payments without a reference's
        if series is None:
            series = _Series(
                Item(k, books.txns[k].date, paid, currency, "")
                for k, paid, out in moves
                if out and paid > 0
            )
        one, two = (Item(k, books.txns[k].date, amount, currency, "") for k in (earlier, i))
        if series.regular(one, two):
            continue  # a monthly payment at one price, its bills not booked
        found = _judge(books, windows, verdicts, account, currency, earlier, i, amount)
        if found is not None:
            yield found


def _by_rank(
    books: _Books, moves: list[tuple[int, Decimal, bool]]
) -> list[tuple[int, Decimal, bool]]:
    """Moves in index order sorted by (rank, index): the entries are in date order, so only
    the moves of one day are ranked (a vendor's ledger holds 100,000s on large books)."""
    txns, found, day_of = books.txns, [], None
    start = 0
    for n, move in enumerate(moves):
        day = txns[move[0]].date
        if day != day_of:
            found += _ranked(books, moves[start:n])
            start, day_of = n, day
    found += _ranked(books, moves[start:])
    return found


def _ranked(books: _Books, moves: list) -> list:
    if len(moves) < 2:
        return moves
    return sorted(moves, key=lambda m: (books.rank(m[0]), m[0]))


def _filled(
    books: _Books,
    moves: list[tuple[int, Decimal, bool]],
    balances: list[Decimal],
    n: int,
    until: date,
) -> bool:
    """Whether bills come in by `until` for what the vendor was paid beyond its balance
    after move `n` (a payment ahead of its bill)."""
    for k in range(n + 1, len(moves)):
        if books.txns[moves[k][0]].date > until:
            return False
        if balances[k] > -_CENT:
            return True
    return False


def _earlier_payment(
    books: _Books, moves: list[tuple[int, Decimal, bool]], n: int, since: date
) -> int | None:
    amount = moves[n][1]
    for k in range(n - 1, -1, -1):
        j, paid, out = moves[k]
        if books.txns[j].date < since:
            return None
        if out and paid == amount:
            return j
    return None


def _judge(
    books: _Books,
    windows: Windows,
    verdicts: _Verdicts,
    account: str,
    currency: str,
    first: int,
    second: int,
    amount: Decimal,
) -> _Candidate | None:
    if "invoice" in books.refs(first) and "invoice" in books.refs(second):
        return None  # the invoice rules judge payments naming their bills
    if shared_id(books.line_ids(first), books.line_ids(second)) is not None:
        return None  # one bank line twice: rule 1's
    cash = [
        {p.account for p in books.txns[i].postings if p.account in books.cash} - {account}
        for i in (first, second)
    ]
    shared = cash[0] & cash[1]
    if shared and _combined(verdicts, shared, first, second, books) == "once":
        return None  # the money left once: one payment booked twice, rule 3's
    pair = _compare(
        _item(books, first, amount, currency),
        _item(books, second, amount, currency),
        MatchParams(date_window=windows.invoice, check_date_window=windows.invoice, min_score=0),
    )
    where = " and ".join(sorted(cash[0] | cash[1])) or "the books"
    reasons = [
        f"same vendor {books.text(first)} paid {amount:,} {currency} twice on {account}",
        f"less than half of it was owed when the second payment left {where}: the vendor "
        f"owes money back, and no bills make up for it within {windows.invoice} days",
        *(pair.reasons if pair else ()),
    ]
    score = pair.score if pair else 0.8
    return _Candidate(PAID_TWICE, (first, second), score, tuple(reasons), True)
