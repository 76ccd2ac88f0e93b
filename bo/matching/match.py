"""`match_items` and `find_similar_pairs`: the stages in order, the output in canonical order."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import timedelta
from decimal import Decimal

from bo.matching.assign import _PY_COMPONENTS_LIMIT, _assign, _candidate_edges
from bo.matching.explain import _evidence_reasons, _unmatched_reasons
from bo.matching.groups import _Free, _match_groups
from bo.matching.index import _build_side, _canonical, _nearby_amounts, _Side, _window
from bo.matching.large import _match_large_groups
from bo.matching.model import Item, Match, MatchParams, MatchResult, Unmatched
from bo.matching.near import _near_misses
from bo.matching.regroup import _regroup
from bo.matching.score import _evidence, _pair_evidence, _Pairing


def match_items(
    left: Iterable[Item],
    right: Iterable[Item],
    params: MatchParams = MatchParams(),
    *,
    labels: tuple[str, str] = ("line", "posting"),
    explain: bool = True,
) -> MatchResult:
    """Match `left` against `right`: one-to-one, then groups, then near-misses, with reasons.

    `labels` name the items of each side in the reasons ("no posting with amount ...").
    `explain=False` leaves the reasons of unmatched items empty, for callers that only act
    on the matches (an import of 100,000 new lines need not say why each is new).
    """
    left, right = list(left), list(right)
    # Items dated beyond reach of every item of the other side cannot match anything: a
    # month's statement against ten years of postings is a month's work, not ten years'.
    outside: tuple[list[Item], list[Item]] = ([], [])
    if left and right:
        reach = timedelta(days=max(params.date_window, params.check_date_window))
        left, right, outside = _within_reach(left, right, reach)
    result = _match(left, right, params, labels, explain)
    if not outside[0] and not outside[1]:
        return result
    far = "no {} within {} days of its date".format
    return MatchResult(
        result.matches,
        _merged(result.left_only, outside[0], (far(labels[1], reach.days),) if explain else ()),
        _merged(result.right_only, outside[1], (far(labels[0], reach.days),) if explain else ()),
        result.near_misses,
    )


def _merged(
    inside: tuple[Unmatched, ...], outside: list[Item], reasons: tuple[str, ...]
) -> tuple[Unmatched, ...]:
    """`inside` (in canonical order) and the items beyond reach, in canonical order.

    Whether an item is within reach depends on its date alone, so the two never share a
    date: merging by date keeps the order, and only the items beyond reach (ten years of
    postings, against a month's statement) need sorting among themselves.
    """
    if not outside:
        return inside
    far = [Unmatched(item, reasons) for item in _canonical(outside)]
    if not inside:
        return tuple(far)
    # A few items matched against hundreds of thousands beyond reach: find each one's place.
    far_dates = [unmatched.item.date for unmatched in far]
    merged: list[Unmatched] = []
    taken = 0
    for unmatched in inside:
        at = bisect_left(far_dates, unmatched.item.date, taken)
        merged += far[taken:at]
        merged.append(unmatched)
        taken = at
    merged += far[taken:]
    return tuple(merged)


def _within_reach(
    left: list[Item], right: list[Item], reach: timedelta
) -> tuple[list[Item], list[Item], tuple[list[Item], list[Item]]]:
    """Split each side into items with some item of the other side within `reach` days,
    and the rest (bisection over the other side's sorted dates: n log m, not n x m)."""

    def near(items: list[Item], others: list[Item]) -> tuple[list[Item], list[Item]]:
        days = sorted({o.date.toordinal() for o in others})
        limit = reach.days
        if len(items) > _PY_COMPONENTS_LIMIT:
            # Ten years of postings: the same bisection, a million at a time in numpy.
            import numpy as np

            known = np.asarray(days, dtype=np.int64)
            ords = np.fromiter(
                (item.date.toordinal() for item in items), dtype=np.int64, count=len(items)
            )
            at = np.searchsorted(known, ords - limit)
            hit = (at < len(known)) & (known[np.minimum(at, len(known) - 1)] <= ords + limit)
            hits = hit.tolist()
            return (
                list(itertools.compress(items, hits)),
                list(itertools.compress(items, [not h for h in hits])),
            )
        close, far = [], []
        for item in items:
            at = bisect_left(days, item.date.toordinal() - limit)
            hit = at < len(days) and days[at] <= item.date.toordinal() + limit
            (close if hit else far).append(item)
        return close, far

    near_right, far_right = near(right, left)
    near_left, far_left = near(left, near_right)
    return near_left, near_right, (far_left, far_right)


def _match(
    left: list[Item],
    right: list[Item],
    params: MatchParams,
    labels: tuple[str, str],
    explain: bool,
) -> MatchResult:
    a, b = _build_side(left), _build_side(right)
    edges = _candidate_edges(a, b, params)
    used_a, used_b = [False] * len(a.items), [False] * len(b.items)
    pairings = []
    for i, j in _assign(*edges, len(a.items), len(b.items)):
        used_a[i] = used_b[j] = True
        ev = _evidence(a, i, b, j, params)
        assert ev is not None  # an edge was scored from the same evidence
        reasons = tuple(_evidence_reasons(a.items[i], b.items[j], ev, params))
        pairings.append(_Pairing((i,), (j,), round(ev.score, 4), reasons))
    free = _Free(a, b, used_a, used_b)
    pairings += _match_groups(a, b, used_a, used_b, params, labels, free)
    pairings = _regroup(a, b, used_a, used_b, pairings, params, labels, free)
    group_notes: dict[tuple[int, int], str] = {}
    pairings += _match_large_groups(a, b, used_a, used_b, params, labels, group_notes, free)
    near = _near_misses(a, b, used_a, used_b, params)
    near_a = {i: (b.items[j], miss) for i, j, miss in near}
    near_b = {j: (a.items[i], miss) for i, j, miss in near}
    pairing_a = {i: pairing for pairing in pairings for i in pairing.left}
    pairing_b = {j: pairing for pairing in pairings for j in pairing.right}
    left_only = [
        Unmatched(
            item,
            _unmatched_reasons(a, x, b, pairing_b, near_a, params, labels[1], True)
            + _note(group_notes, 0, x)
            if explain
            else (),
        )
        for x, item in enumerate(a.items)
        if not used_a[x]
    ]
    right_only = [
        Unmatched(
            item,
            _unmatched_reasons(b, x, a, pairing_a, near_b, params, labels[0], False)
            + _note(group_notes, 1, x)
            if explain
            else (),
        )
        for x, item in enumerate(b.items)
        if not used_b[x]
    ]
    # Positions follow the canonical (date, amount, key) order: sorting them sorts the output.
    pairings.sort(key=lambda pairing: (pairing.left[0], pairing.right[0]))
    matches = tuple(
        Match(
            tuple(a.items[i] for i in pairing.left),
            tuple(b.items[j] for j in pairing.right),
            pairing.score,
            pairing.reasons,
        )
        for pairing in pairings
    )
    near.sort(key=lambda entry: entry[:2])
    near_misses = tuple(miss for *_, miss in near)
    return MatchResult(matches, tuple(left_only), tuple(right_only), near_misses)


def _note(notes: dict[tuple[int, int], str], side: int, x: int) -> tuple[str, ...]:
    note = notes.get((side, x))
    return (f"group search: {note}",) if note else ()


def _later_candidates(side: _Side, i: int, params: MatchParams) -> Iterator[tuple[int, Decimal]]:
    """Items after side.items[i] (canonical order) that could be the same: each pair once."""
    item, ordinal, cap = side.items[i], side.ords[i], params.max_candidates
    for amount in _nearby_amounts(side, item.currency, item.amount, params.amount_tolerance):
        bucket = side.buckets[(item.currency, amount)]
        window = _window(params, side.checks[i] or bucket.has_check)
        hi = bisect_right(bucket.dates, ordinal + window)
        if amount == item.amount:
            start = side.slot[i] + 1
            later = bucket.members[start : min(hi, start + cap)]
        else:
            lo = bisect_left(bucket.dates, ordinal - window)
            later = [j for j in bucket.members[lo:hi] if j > i][:cap]
        difference = abs(item.amount - amount)
        for j in later:
            yield j, difference


def find_similar_pairs(
    items: Iterable[Item],
    params: MatchParams = MatchParams(),
) -> tuple[Match, ...]:
    """Pairs within one set that could be the same (possible duplicates), scored with reasons.

    Each unordered pair appears once (earlier item on the left), an item never pairs with
    itself, and signs must agree. Only pairs scoring at least `min_score` are returned; the
    caller decides which are duplicates.
    """
    side = _build_side(items)
    found = []
    for i in range(len(side.items)):
        for j, difference in _later_candidates(side, i, params):
            ev = _pair_evidence(side, i, side, j, params, difference)
            if ev is not None and ev.score >= params.min_score:
                found.append((i, j, ev))
    found.sort(key=lambda entry: entry[:2])  # positions follow the canonical order
    pairs = []
    for i, j, ev in found:
        first, second = side.items[i], side.items[j]
        reasons = tuple(_evidence_reasons(first, second, ev, params))
        pairs.append(Match((first,), (second,), round(ev.score, 4), reasons))
    return tuple(pairs)
