"""Stage 2c: large groups (a deposit slip of thirty checks) by an exact subset sum."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from decimal import Decimal

from bo.matching.explain import _money, _plural
from bo.matching.groups import _Free, _FreeList, _group_pairing, _group_score, _sign, _with_company
from bo.matching.index import _Side
from bo.matching.model import MatchParams
from bo.matching.score import _Evidence, _pair_evidence, _Pairing
from bo.matching.sums import _as_units, _by_chance, _one_way


def _match_large_groups(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    notes: dict[tuple[int, int], str],
    free_items: _Free | None = None,
) -> list[_Pairing]:
    """An item that is more items of the other side than enumeration tries (a deposit slip of
    thirty checks), found by an exact subset sum; why not, in `notes` by (side, item).

    Largest amounts first, so that a deposit takes its receipts before a smaller item can.
    """
    if params.max_group < 2 or params.max_large_group <= params.max_group:
        return []
    sides = ((left, used_left), (right, used_right))
    free = (free_items or _Free(left, right, used_left, used_right)).refresh()
    # Enumeration has tried every subset of an item's free neighbours when it has at most
    # max_group of them: only items with more are anchors here.
    least, window = params.max_group + 1, params.group_date_window
    anchors = [
        (side, x)
        for side in (0, 1)
        for x in _with_company(free[side], free[1 - side], window, least)
    ]
    anchors.sort(key=lambda n: (-abs(sides[n[0]][0].items[n[1]].amount), n))
    groups = []
    for side, x in anchors:
        (a, used_a), (b, used_b) = sides[side], sides[1 - side]
        if used_a[x]:
            continue  # a member of a larger group already
        item = a.items[x]
        free_b = free[1 - side].get((item.currency, _sign(item.amount)))
        if free_b is None:
            continue
        ordinal, window = a.ords[x], params.group_date_window
        lo = bisect_left(free_b.dates, ordinal - window)
        if bisect_right(free_b.dates, ordinal + window) - lo <= params.max_group:
            continue  # enumeration has tried every subset of these
        found, note = _large_group(a, x, b, free_b, used_b, params, _plural(labels[1 - side]))
        if found is not None:
            members, score = found
            used_a[x] = True
            for j, _ in members:
                used_b[j] = True
            groups.append(_group_pairing(a, x, b, members, score, side, labels))
        elif note:
            notes[side, x] = note
    return groups


def _large_group(
    a: _Side, x: int, b: _Side, free: _FreeList, used_b: list[bool], params: MatchParams, label: str
) -> tuple[tuple[tuple[tuple[int, _Evidence], ...], float] | None, str | None]:
    """Free items of `b` (`label`, plural) that alone sum to a[x], with their score; or None
    and why not.

    Same-day items first, then a day either side, then the whole group window: the first
    window where exactly one set sums to a[x] wins. Equal amounts count once with their
    multiplicity, so eight 45.00 dues make 315.00 in one way, not eight, and the nearest
    seven are taken. Several ways means the amounts cannot tell which set it is: a person
    decides, and the reason says so.
    """
    item, ordinal = a.items[x], a.ords[x]
    target_amount, widest = abs(item.amount), params.group_date_window
    lo = bisect_left(free.dates, ordinal - widest)
    hi = bisect_right(free.dates, ordinal + widest)
    pool = sorted(
        (abs(free.dates[k] - ordinal), j)
        for k, j in enumerate(free.members[lo:hi], lo)
        if not used_b[j] and abs(b.items[j].amount) < target_amount
    )
    days = [d for d, _ in pool]
    note, tried, cap = None, -1, params.max_large_group
    for window in sorted({min(w, widest) for w in (0, 1, widest)}):
        size = bisect_right(days, window)
        if size == tried or size <= params.max_group:
            continue  # the same items as the narrower window, or enumeration tried them all
        tried = size
        within = f"within {window} day{'s' if window > 1 else ''}" if window else "on the same day"
        if size > cap:
            note = (
                f"{size} {label} {within} could be part of it; only the nearest {cap} were searched"
            )
        members = [j for _, j in pool[: min(size, cap)]]
        units = _as_units([item.amount] + [b.items[j].amount for j in members])
        if units is None:
            return None, note
        target, values = units[0], units[1:]
        if sum(values) < target or sum(sorted(values)[: params.max_group + 1]) > target:
            continue  # no set of them, or none larger than enumeration tries, makes it
        divisor = math.gcd(target, *values)  # whole dollars: a hundred times fewer bits
        target, values = target // divisor, [v // divisor for v in values]
        if target > params.max_group_units:
            money, units_cap = _money(item.amount, item.currency), f"{params.max_group_units:,}"
            return None, f"too large for the exact group search ({money}, cap {units_cap} units)"
        by_value: dict[int, list[int]] = {}
        for j, value in zip(members, values, strict=True):
            by_value.setdefault(value, []).append(j)  # nearest first
        distinct = sorted(by_value)
        counts, reach = _one_way(target, [(value, len(by_value[value])) for value in distinct])
        if counts is None:
            continue
        money = _money(item.amount, item.currency)
        if counts is False:
            return None, (
                f"several sets of the {len(members)} {label} {within} sum to"
                f" {money}: the amounts alone cannot tell which"
            )
        if _by_chance(reach, target, divisor):
            return None, (
                f"a set of the {len(members)} {label} {within} sums to {money}, but sets of"
                " them make most amounts near it too: likely chance"
            )
        chosen = [j for value, count in zip(distinct, counts, strict=True)
                  for j in by_value[value][:count]]  # fmt: skip
        found = []
        for j in sorted(chosen):
            ev = _pair_evidence(a, x, b, j, params, Decimal(0))
            if ev is None or ev.conflict:
                return None, note  # a member that contradicts the item (another check number)
            found.append((j, ev))
        score = _group_score([ev for _, ev in found], any(ev.shared for _, ev in found))
        return ((tuple(found), score), None) if score >= params.min_score else (None, note)
    return None, note
