"""Items in canonical order, bucketed by (currency, amount) and dated, and each item's candidates.

Why it scales (O(n log n), never a scan of every pair): items are bucketed by (currency,
amount) and sorted by date inside a bucket, so an item's candidates come from a bisect of its
date window, capped at `max_candidates`. Only those pairs are ever scored.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from bo.matching.model import Item, MatchParams
from bo.matching.text import _is_check, _same_sign, normalize_ref, normalize_text


def _key_order(key: Hashable) -> tuple:
    """A total order over the usual keys (ints, strings, tuples of them) for stable output."""
    kind = type(key)
    if kind is int:  # the common case, first: callers mostly key items by position
        return (0, key)
    if kind is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is int:
        return (2, ((1, key[0]), (0, key[1])))  # (file, line): the next most common
    if isinstance(key, int | float | Decimal):
        return (0, key)
    if isinstance(key, str):
        return (1, key)
    if isinstance(key, tuple):
        return (2, tuple(_key_order(part) for part in key))
    return (3, repr(key))


def _order(item: Item) -> tuple:
    """Sort key (date, amount, key); the rest only breaks ties between identical-looking items."""
    return (
        item.date,
        item.amount,
        item.currency,
        _key_order(item.key),
        item.text,
        item.kind,
        tuple(sorted(item.refs)) if item.refs else (),
    )


_BY_DATE = operator.attrgetter("date")
_BY_AMOUNT = operator.attrgetter("amount", "currency")


def _canonical(items: Iterable[Item]) -> list[Item]:
    """Items sorted by `_order`: by date, then each day by amount, the full order only among
    items of one day and amount.

    A million postings sort several times faster this way: a ledger comes in date order,
    which sorting by date alone sees in one pass; most of a day's items differ in amount;
    and building the full sort key is most of the cost of sorting.
    """
    ordered = sorted(items, key=_BY_DATE)
    dates = list(map(_BY_DATE, ordered))
    start, count = 0, len(ordered)
    while start < count:
        end = bisect_right(dates, dates[start], start)
        if end - start > 1:
            ordered[start:end] = _by_amount_then_order(ordered[start:end])
        start = end
    return ordered


def _by_amount_then_order(day: list[Item]) -> list[Item]:
    """One day's items by amount, and by the full `_order` among equal amounts."""
    day.sort(key=_BY_AMOUNT)
    keys = list(map(_BY_AMOUNT, day))
    at = 1
    while at < len(day):
        if keys[at] != keys[at - 1]:
            at += 1
            continue
        lo = at - 1
        while at < len(day) and keys[at] == keys[lo]:
            at += 1
        day[lo:at] = sorted(day[lo:at], key=_order)
    return day


@dataclass
class _Bucket:
    """Items of one (currency, amount), in date order."""

    dates: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    has_check: bool = False
    # Members by reference (check number, bank id): built on first need, for a bucket too
    # full to compare every member.
    by_ref: dict[str, list[int]] | None = None
    # For each member, the slot of its partner in the other side's bucket of the same amount
    # when both are paired in date order (-1: none in reach); built on first need.
    partners: list[int] | None = None

    def referring(self, side: _Side) -> dict[str, list[int]]:
        if self.by_ref is None:
            self.by_ref = {}
            for j in self.members:
                for ref in side.refs[j]:
                    self.by_ref.setdefault(ref, []).append(j)
        return self.by_ref


@dataclass
class _Side:
    """One side's items in canonical order, with what matching reads from them precomputed."""

    items: list[Item]
    ords: list[int]
    texts: list[str]
    refs: list[frozenset[str]]
    checks: list[bool]
    rank: list[int]  # position among items of the same (currency, amount, date)
    slot: list[int]  # position inside its bucket
    buckets: dict[tuple[str, Decimal], _Bucket]
    amounts: dict[str, list[Decimal]]  # distinct amounts per currency, sorted


def _build_side(items: Iterable[Item]) -> _Side:
    ordered = _canonical(items)
    # Once per item of 100,000s: what does not depend on other items first, a list at a time.
    ords = [item.date.toordinal() for item in ordered]
    texts = list(map(normalize_text, [item.text for item in ordered]))
    no_refs: frozenset[str] = frozenset()
    refs = [
        frozenset(normalize_ref(r) for r in item.refs) - {""} if item.refs else no_refs
        for item in ordered
    ]
    checks = [bool(item.kind) and _is_check(item) for item in ordered]
    side = _Side(ordered, ords, texts, refs, checks, [], [], {}, {})
    buckets, ranks, slots = side.buckets, side.rank, side.slot
    for index, item in enumerate(ordered):
        ordinal = ords[index]
        amount_key = (item.currency, item.amount)
        bucket = buckets.get(amount_key)
        rank = 0
        if bucket is None:
            bucket = buckets[amount_key] = _Bucket()
        else:
            # Same amount and day as earlier items: they are adjacent in the bucket.
            for earlier in reversed(bucket.dates):
                if earlier != ordinal:
                    break
                rank += 1
        ranks.append(rank)
        slots.append(len(bucket.members))
        bucket.dates.append(ordinal)
        bucket.members.append(index)
        if checks[index]:
            bucket.has_check = True
    for currency, amount in side.buckets:
        side.amounts.setdefault(currency, []).append(amount)
    for amounts in side.amounts.values():
        amounts.sort()
    return side


def _window(params: MatchParams, check: bool) -> int:
    return params.check_date_window if check else params.date_window


def _date_order_partners(a: _Side, own: _Bucket, other: _Bucket, params: MatchParams) -> list[int]:
    """Each member of `own` paired with a slot of `other` (same amount) in date order.

    Earliest deadline first: each item takes the earliest item of the other side still free
    and not too early for it. With one window for all this pairs up as many as any matching
    can, so offering every item its partner keeps a full matching among the candidates
    however many equal amounts crowd the window (a thousand coffees over three days).
    """
    partners = []
    dates, j = other.dates, 0
    for x, ordinal in zip(own.members, own.dates, strict=True):
        window = _window(params, a.checks[x] or other.has_check)
        while j < len(dates) and dates[j] < ordinal - window:
            j += 1
        if j < len(dates) and dates[j] <= ordinal + window:
            partners.append(j)
            j += 1
        else:
            partners.append(-1)
    return partners


def _nearby_amounts(side: _Side, currency: str, amount: Decimal, tolerance: Decimal) -> list:
    """Amounts of `side` within `tolerance` of `amount`, same sign, the exact amount first."""
    found = [amount] if (currency, amount) in side.buckets else []
    if tolerance > 0:
        amounts = side.amounts.get(currency, [])
        lo = bisect_left(amounts, amount - tolerance)
        hi = bisect_right(amounts, amount + tolerance)
        found += [a for a in amounts[lo:hi] if a != amount and _same_sign(a, amount)]
    return found


def _candidates(a: _Side, x: int, b: _Side, params: MatchParams) -> Iterator[tuple[int, Decimal]]:
    """Items of `b` that could match a[x], with their amount difference: same currency and
    sign, amount within the tolerance, date within the window; at most max_candidates per
    amount."""
    item, ordinal, cap = a.items[x], a.ords[x], params.max_candidates
    for amount in _nearby_amounts(b, item.currency, item.amount, params.amount_tolerance):
        bucket = b.buckets[(item.currency, amount)]
        window = _window(params, a.checks[x] or bucket.has_check)
        lo = bisect_left(bucket.dates, ordinal - window)
        hi = bisect_right(bucket.dates, ordinal + window)
        if hi - lo > cap:
            # Many equal amounts (daily coffees): keep the cap nearest by date, centred on the
            # item's own rank among same-day equals, so the k-th of ten identical coffees sees
            # the k-th on the other side and identical days still pair up one-to-one.
            centre = bisect_left(bucket.dates, ordinal) + (
                a.rank[x] if amount == item.amount else 0
            )
            full_lo, full_hi = lo, hi
            lo = min(max(lo, centre - cap // 2), hi - cap)
            hi = lo + cap
            difference = abs(item.amount - amount)
            # A shared check number outranks nearness: a check that cleared days later,
            # among dozens of checks of the same amount, still meets its bank line.
            extra = {
                j
                for ref in a.refs[x]
                for j in bucket.referring(b).get(ref, ())
                if full_lo <= b.slot[j] < full_hi and not lo <= b.slot[j] < hi
            }
            if amount == item.amount:
                # The date-order partner and its neighbours too: nearness alone sends the
                # lines of a crowded day to the same few postings and strands the rest.
                own = a.buckets[(item.currency, amount)]
                if own.partners is None:
                    own.partners = _date_order_partners(a, own, bucket, params)
                partner = own.partners[a.slot[x]]
                if partner >= 0:
                    extra.update(
                        bucket.members[k]
                        for k in range(max(full_lo, partner - 1), min(full_hi, partner + 2))
                        if not lo <= k < hi
                    )
            yield from ((j, difference) for j in sorted(extra))
        difference = abs(item.amount - amount)
        for j in bucket.members[lo:hi]:
            yield j, difference
