"""Stage 2b: a one-to-one pair given up for a group, when its other item is explained again."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from bo.matching.explain import _evidence_reasons
from bo.matching.groups import (
    _Free,
    _FreeList,
    _group_candidates,
    _group_options,
    _group_pairing,
    _sign,
    _with_company,
)
from bo.matching.index import _Side
from bo.matching.model import MatchParams
from bo.matching.score import _Evidence, _Pairing, _scored_candidates

# A group's new members, and for each pair it breaks: (pairing index, item, new members, score).
_Redone = list[tuple[int, int, tuple[tuple[int, "_Evidence"], ...], float]]


def _regroup(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    pairings: list[_Pairing],
    params: MatchParams,
    labels: tuple[str, str],
    free_items: _Free | None = None,
) -> list[_Pairing]:
    """Explain an item left over because a one-to-one pair holds an item its group needs.

    A deposit slip of 6,550 + 6,900 is left over when the one-to-one stage paired the 6,900
    check with another slip of 6,900 four days later, which is in truth two other checks.
    When the pair's other item can be explained again by free items (one of the same amount,
    or a group), the pair gives way: one item more explained, none less. Only items with a
    free item of the other side nearby are looked at, so a statement of new lines costs
    next to nothing here.
    """
    if params.max_group < 2:
        return pairings
    sides = ((left, used_left), (right, used_right))
    single: dict[tuple[int, int], int] = {}  # (side, item) -> index of its one-to-one pairing
    for k, pairing in enumerate(pairings):
        if len(pairing.left) == 1 and len(pairing.right) == 1:
            single[0, pairing.left[0]] = k
            single[1, pairing.right[0]] = k
    if not single:
        return pairings
    free = (free_items or _Free(left, right, used_left, used_right)).refresh()
    kept: list[_Pairing | None] = list(pairings)
    for side in (0, 1):
        (a, used_a), (b, used_b) = sides[side], sides[1 - side]
        # Items are only used as the loop goes: one without a free item near it now never
        # gets one.
        for x in _with_company(free[side], free[1 - side], params.group_date_window, 1):
            item = a.items[x]
            if used_a[x]:
                continue
            free_b = free[1 - side].get((item.currency, _sign(item.amount)))
            if free_b is None or not _free_near(free_b, used_b, a.ords[x], params):
                continue
            pool = _regroup_candidates(a, x, b, used_b, single, kept, 1 - side, params)
            if not any(used_b[j] for j in pool):
                continue  # all free: stage 2 weighed these already
            for members, score in _group_options(a, x, b, pool, params):
                blocked = [j for j, _ in members if used_b[j]]
                if not blocked or len(blocked) > 2:
                    continue
                redone = _explain_again(a, b, used_b, free_b, members, single, side, kept, params)
                if redone is None:
                    continue
                used_a[x] = True
                for j, _ in members:
                    used_b[j] = True
                kept.append(_group_pairing(a, x, b, members, score, side, labels))
                for k, q, again, again_score in redone:
                    kept[k] = None
                    for j, _ in again:
                        used_b[j] = True
                    if len(again) > 1:
                        kept.append(_group_pairing(a, q, b, again, again_score, side, labels))
                        continue
                    ((j, ev),) = again
                    i, i_right = (q, j) if side == 0 else (j, q)
                    reasons = tuple(
                        _evidence_reasons(left.items[i], right.items[i_right], ev, params)
                    )
                    kept.append(_Pairing((i,), (i_right,), round(ev.score, 4), reasons))
                break
    return [pairing for pairing in kept if pairing is not None]


def _free_near(free: _FreeList, used: list[bool], ordinal: int, params: MatchParams) -> bool:
    lo = bisect_left(free.dates, ordinal - params.group_date_window)
    hi = bisect_right(free.dates, ordinal + params.group_date_window)
    return any(not used[j] for j in free.members[lo:hi])


def _regroup_candidates(
    a: _Side,
    x: int,
    b: _Side,
    used_b: list[bool],
    single: dict[tuple[int, int], int],
    pairings: list[_Pairing | None],
    b_side: int,
    params: MatchParams,
) -> list[int]:
    """Items of `b` that could be part of a[x]: free, or held by a one-to-one pair.

    Nearest first; on one day, free items, then the held ones whose pairs are weakest (a
    check paired four days away gives way sooner than an ACH receipt paired by its name).
    """
    item, ordinal = a.items[x], a.ords[x]
    currency, target, negative = item.currency, abs(item.amount), item.amount < 0
    found: list[tuple[int, int, float, int]] = []
    # Outward a day at a time: nearer days rank first, so once enough are found the farther
    # days cannot change the answer (a busy day has hundreds of lines to look at).
    for days in range(params.group_date_window + 1):
        if len(found) >= params.max_group_candidates:
            break
        for day in {ordinal - days, ordinal + days}:
            for j in range(bisect_left(b.ords, day), bisect_right(b.ords, day)):
                other = b.items[j]
                amount = other.amount
                if other.currency != currency or (amount < 0) != negative or not amount:
                    continue
                if abs(amount) >= target:
                    continue
                if not used_b[j]:
                    found.append((days, 0, 0.0, j))
                elif (k := single.get((b_side, j))) is not None and (held := pairings[k]):
                    found.append((days, 1, held.score, j))
    found.sort()
    return [j for *_, j in found[: params.max_group_candidates]]


def _explain_again(
    a: _Side,
    b: _Side,
    used_b: list[bool],
    free_b: _FreeList,
    members: tuple[tuple[int, _Evidence], ...],
    single: dict[tuple[int, int], int],
    side: int,
    pairings: list[_Pairing | None],
    params: MatchParams,
) -> _Redone | None:
    """For each held member, its pair's other item explained by free items instead, or None.

    Leaves `used_b` as it found it; the caller marks what it takes.
    """
    marked = [j for j, _ in members if not used_b[j]]
    for j in marked:
        used_b[j] = True  # the new group's members are not free for the others
    redone: _Redone = []
    try:
        for j, _ in members:
            k = single.get((1 - side, j))
            if k is None or not used_b[j] or j in marked:
                continue
            pairing = pairings[k]
            if pairing is None:
                return None
            q = pairing.left[0] if side == 0 else pairing.right[0]
            again = _single_again(a, q, b, used_b, params)
            if again is None:
                pool = _group_candidates(a, q, b, free_b, used_b, params)
                options = _group_options(a, q, b, pool, params)
                if not options:
                    return None
                again = options[0]
            for taken, _ in again[0]:
                used_b[taken] = True
                marked.append(taken)
            redone.append((k, q, again[0], again[1]))
        return redone
    finally:
        for j in marked:
            used_b[j] = False


def _single_again(
    a: _Side, q: int, b: _Side, used_b: list[bool], params: MatchParams
) -> tuple[tuple[tuple[int, _Evidence], ...], float] | None:
    """The best free item of `b` that matches a[q] one-to-one, if any."""
    best: tuple[tuple[tuple[int, _Evidence], ...], float] | None = None
    for j, ev in _scored_candidates(a, q, b, params):
        if used_b[j] or ev.conflict or ev.score < params.min_score:
            continue
        if best is None or ev.score > best[1]:
            best = (((j, ev),), ev.score)
    return best
