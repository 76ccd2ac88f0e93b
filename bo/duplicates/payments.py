"""Rules 2 and 4: a vendor paid twice, by invoice number or by amount within days, and one
invoice paid to two vendors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from bo.duplicates.books import _Books, _compare, _days, _item
from bo.duplicates.clues import two_importers
from bo.duplicates.copies import split_copies
from bo.duplicates.evidence import _combined, _Series, _Verdicts, _with_neighbour
from bo.duplicates.model import (
    MIN_SCORE,
    PAID_TWICE,
    TWO_VENDORS,
    Windows,
    _Candidate,
)
from bo.duplicates.periods import named_periods_apart, same_period_named
from bo.duplicates.wording import different_parts, named_apart
from bo.lineids import same_kind_differs, shared_id
from bo.matching import (
    Item,
    Match,
    MatchParams,
    find_similar_pairs,
)


class _Invoiced(NamedTuple):
    index: int
    amount: Decimal  # positive: what was paid, or billed
    currency: str


# By (currency, invoice number): the payments of invoices paid more than once, and the bills
# and the other movements of the balance owed (`settled`) under those numbers.
_ByInvoice = tuple[
    dict[tuple[str, str], list[_Invoiced]],
    dict[tuple[str, str], list[_Invoiced]],
    dict[tuple[str, str], list[_Invoiced]],
]


def _paid_by_reference(
    books: _Books,
    windows: Windows,
    invoices: _ByInvoice,
    verdicts: _Verdicts | None = None,
) -> Iterable[_Candidate]:
    """Same vendor and invoice paid more than billed (or twice, with no bill); same invoice
    and amount paid to two vendors."""
    payments, bills, settled = invoices
    for key, all_paying in payments.items():
        for letters, paying in _by_letters(books, all_paying).items():
            if len(paying) < 2:
                continue
            owed = tuple(
                [b for b in items.get(key, []) if _letters_fit(books, b.index, letters)]
                for items in (bills, settled)
            )
            clusters = _by_vendor(books, paying)
            for cluster in clusters:
                if len(cluster) > 1:
                    yield from _overpaid(books, key, cluster, owed, windows, verdicts)
            if len(clusters) > 1:
                billed = sum((b.amount for b in owed[0]), Decimal(0))
                if sum((p.amount for p in paying), Decimal(0)) > billed:
                    # Paid beyond what was billed under the number: not parts of one bill.
                    yield from _two_vendors(books, key[1], clusters, windows)


def _by_letters(books: _Books, paying: list[_Invoiced]) -> dict[str, list[_Invoiced]]:
    """Payments under one number split by the vendor's letters written before it: "SA-202501"
    and "YA-202501" are two vendors' invoices of one month, never one paid twice. A number
    written bare ("202501") is any of them, so it stays with the lettered ones when they
    agree, and apart when two sets of letters leave it unclear whose it is."""
    split: dict[str, list[_Invoiced]] = defaultdict(list)
    for item in paying:
        split[books.invoice_letters(item.index)].append(item)
    lettered = [letters for letters in split if letters]
    if len(lettered) == 1 and "" in split:
        split[lettered[0]].extend(split.pop(""))
    return split


def _letters_fit(books: _Books, i: int, letters: str) -> bool:
    own = books.invoice_letters(i)
    return not own or not letters or own == letters


def _by_invoice(books: _Books) -> _ByInvoice:
    """Payments, bills and settlements by invoice number where it was paid more than once:
    read over every entry naming an invoice once, whatever the period (kept with the
    ledger's part of the scan)."""
    payments: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    bills: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    # What else moves the balance owed under a number: a credit note (the payable debited,
    # no money moved) lowers it, a vendor's refund (the payable credited, money in) raises it.
    settled: dict[tuple[str, str], list[_Invoiced]] = defaultdict(list)
    payables, cash = books.payables, books.cash
    for i in books.invoiced:
        entry = books.txns[i]
        ref = books.refs(i).get("invoice")
        if ref is None:
            continue
        paid: dict[str, Decimal] = {}
        billed: dict[str, Decimal] = {}
        out: dict[str, Decimal] = {}
        moved = False
        for p in entry.postings:
            units = p.units
            if units is None:
                continue
            if p.account in payables:
                into = paid if units.number > 0 else billed
                into[units.currency] = into.get(units.currency, 0) + abs(units.number)
            elif p.account in cash:
                moved = True
                if units.number < 0:
                    out[units.currency] = out.get(units.currency, 0) - units.number
        # A payment debits the payable and moves money out; one paid straight from the bank
        # or card (no bill booked) is a payment too. A bill credits the payable and moves no
        # money. A credit note debits the payable and moves none: no payment.
        if out or (paid and not _credit_note(books, i)):
            for currency, amount in (paid or out).items():
                payments[(currency, ref)].append(_Invoiced(i, amount, currency))
        elif paid:
            for currency, amount in paid.items():
                settled[(currency, ref)].append(_Invoiced(i, -amount, currency))
        if billed and not moved:
            for currency, amount in billed.items():
                bills[(currency, ref)].append(_Invoiced(i, amount, currency))
        elif billed and not paid:
            for currency, amount in billed.items():
                settled[(currency, ref)].append(_Invoiced(i, amount, currency))
    twice = {key: paying for key, paying in payments.items() if len(paying) > 1}
    return (
        twice,
        {key: bills[key] for key in twice if key in bills},
        {key: settled[key] for key in twice if key in settled},
    )


def _credit_note(books: _Books, i: int) -> bool:
    """Whether an entry debiting the payables without moving money is a credit note (its
    other side an expense or income account) rather than a payment through an account bo
    does not know as money (a clearing or loan account)."""
    roots = books.balance_sheet
    return all(
        p.account in books.payables or not p.account.startswith(roots)
        for p in books.txns[i].postings
    )


def _by_vendor(books: _Books, items: list[_Invoiced]) -> list[list[_Invoiced]]:
    """Items grouped by vendor (a reference's bucket is small: a few payments); the invoice
    number agrees, so names of one family are one vendor's."""
    clusters: list[list[_Invoiced]] = []
    # Each cluster's names, one per key: a payment compared with each name once, not with
    # every payment (large books hold a hundred payments under one short number).
    names: list[dict[tuple[str, ...], str]] = []
    vendors = books.names
    for item in sorted(items, key=lambda x: books.rank(x.index)):
        text = books.text(item.index)
        for cluster, known in zip(clusters, names, strict=True):
            if any(vendors.related(name, text) for name in known.values()):
                cluster.append(item)
                known.setdefault(vendors.key(text), text)
                break
        else:
            clusters.append([item])
            names.append({vendors.key(text): text})
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
    owed: tuple[list[_Invoiced], list[_Invoiced]],
    windows: Windows,
    verdicts: _Verdicts | None = None,
) -> Iterable[_Candidate]:
    currency, ref = key
    vendor = books.text(cluster[0].index)
    bills, settled = (
        [b for b in items if books.names.related(books.text(b.index), vendor)] for items in owed
    )
    # One vendor's invoice number is owed once: a bill entered twice under it (the same
    # amount again) does not make room for a second payment.
    # Credit notes and refunds under the number move what is owed.
    billed = sum({b.amount for b in bills}, Decimal(0)) + sum(
        (s.amount for s in settled), Decimal(0)
    )
    shown = books.invoice_shown(cluster[0].index)
    if bills:
        total = sum((p.amount for p in cluster), Decimal(0))
        if total <= billed:
            return  # paid in parts that add up to the bill: honest
        # Beyond the bill: first the payments that are one entered twice, then the rest.
        beyond = f"paid {total:,} against a bill of {billed:,} ({total - billed:,} too much)"
        copies, cluster = split_copies(books, cluster, windows, verdicts, "payment", beyond)
        yield from copies
        total = sum((p.amount for p in cluster), Decimal(0))
        if len(cluster) < 2 or total <= billed:
            return
        # The payments that most look alike carry the score: usually the same amount twice.
        first, second = _closest(books, cluster)
        days = max(windows.invoice, _days(books, first.index, second.index))
        pair = _compare(
            _item(books, first.index, first.amount, currency, [ref]),
            _item(books, second.index, second.amount, currency, [ref]),
            _invoice_params(books, cluster, days),
        )
        reasons = [
            f"same vendor {vendor}, same invoice {shown}",
            f"paid {total:,} against a bill of {billed:,} ({total - billed:,} too much)",
            _paid_on(books, cluster),
        ]
        # The matcher's words on the closest two, only when they are the whole finding: with
        # three payments its amounts and gaps would read as everyone's.
        if len(cluster) == 2:
            reasons += _without_reference(pair)
        score = pair.score if pair else 0.9
        yield _Candidate(PAID_TWICE, tuple(p.index for p in cluster), score, tuple(reasons), False)
        return
    # No bill booked: two payments of the same amount for one invoice, within the window,
    # are one bill paid twice (or one payment entered twice); different amounts are parts.
    copies, cluster = split_copies(books, cluster, windows, verdicts, "payment")
    yield from copies
    for n, first in enumerate(cluster):
        for second in cluster[n + 1 :]:
            if first.amount != second.amount:
                continue
            # An id read from other text ("Payment J-77434") may be an account's, on every
            # month's payment: it pairs payments days apart only. Against an invoice named as
            # one it is that invoice when both settle a bill in the payables; paid straight
            # from the bank, the same payment typed again is rule 3's to judge.
            named = books.invoice_named(first.index), books.invoice_named(second.index)
            settle = first.index in books.pays_bill and second.index in books.pays_bill
            if named[0] != named[1] and not settle:
                continue
            if _days(books, first.index, second.index) > (
                windows.invoice if all(named) else windows.payment
            ):
                continue
            if different_parts(books.narration(first.index), books.narration(second.index)):
                continue  # part 1 and part 2: a bill paid in equal instalments
            if not all(named) and same_kind_differs(
                books.line_ids(first.index), books.line_ids(second.index)
            ):
                continue  # two bank lines whose text repeats a merchant's code
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


def _closest(books: _Books, cluster: list[_Invoiced]) -> tuple[_Invoiced, _Invoiced]:
    """The two of a cluster closest in amount (in book order among equals)."""
    ranks = [books.rank(p.index) for p in cluster]  # once: a cluster can hold 100s
    at, to = min(
        ((n, m) for n in range(len(cluster)) for m in range(n + 1, len(cluster))),
        key=lambda nm: (
            abs(cluster[nm[0]].amount - cluster[nm[1]].amount),
            ranks[nm[0]],
            ranks[nm[1]],
        ),
    )
    return cluster[at], cluster[to]


def _paid_on(books: _Books, cluster: list[_Invoiced]) -> str:
    """When the payments were made; how much each, when they differ."""
    if len({p.amount for p in cluster}) == 1:
        return f"paid on {', '.join(str(books.txns[p.index].date) for p in cluster)}"
    return "paid " + ", ".join(f"{p.amount:,} on {books.txns[p.index].date}" for p in cluster)


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
                    shown = books.invoice_shown(first.index), books.invoice_shown(second.index)
                    reasons = [
                        f"invoice {shown[0]} and {shown[1]} paid to two payees: "
                        f"{books.text(first.index)} and {books.text(second.index)}",
                        *pair.reasons,
                    ]
                    yield _Candidate(
                        TWO_VENDORS, (first.index, second.index), pair.score, tuple(reasons), True
                    )


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
                vendor = is_vendor[text] = text in books.vendors
            if (vendor or i in books.pays_bill) and near(books.txns[i].date):
                by_amount[(currency, amount)].append((i, account))
    for key, paid in _paid_in_another_currency(books, near):
        by_amount[key].append(paid)
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
        ids = books.line_ids(first), books.line_ids(second)
        if shared_id(*ids) is not None:
            continue  # one bank line: rule 1's
        if cash_a == cash_b and two_importers(*ids):
            continue  # one bank line brought in by two importers: rule 3's
        if not books.names.same(books.text(first), books.text(second)):
            continue
        ref_a, ref_b = books.refs(first).get("invoice"), books.refs(second).get("invoice")
        if ref_a and ref_b:
            continue  # distinct invoices are two bills; the same one is rule 2's
        narrations = books.narration(first), books.narration(second)
        if series.regular(one, two) and not same_period_named(*narrations):
            continue  # a weekly payment at one amount, unless both pay one week
        if different_parts(*narrations) or named_apart(*narrations):
            continue  # part 1 and part 2 of one bill; two people or things paid
        if named_periods_apart(*narrations):
            continue  # July's balance and August's advance; week 30's and week 32's
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


def _paid_in_another_currency(
    books: _Books, near: Callable[[date], bool]
) -> Iterable[tuple[tuple[str, Decimal], tuple[int, str]]]:
    """A bill settled from an account of another currency (a EUR bill paid by a USD card at
    a price) is paid in the bill's currency: keyed by what it takes off the payables, so it
    pairs with the bill's other payment, from the EUR account."""
    for i in sorted(books.pays_bill):
        entry = books.txns[i]
        if not near(entry.date):
            continue
        postings = [p for p in entry.postings if p.units is not None]
        cash = {p.units.currency: p.account for p in postings if p.account in books.cash}
        if not cash:
            continue
        for p in postings:
            units = p.units
            if p.account in books.payables and units.number > 0 and units.currency not in cash:
                yield (units.currency, -units.number), (i, next(iter(cash.values())))
