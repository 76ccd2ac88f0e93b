"""Stage 2, one-to-many and many-to-one: a deposit that pays three invoices, a split payment."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bo.matching.explain import _days_apart, _money, _plural, _text_reason
from bo.matching.index import _Side
from bo.matching.model import Item, MatchParams
from bo.matching.score import (
    _AMOUNT_WEIGHT,
    _DATE_WEIGHT,
    _GROUP_PENALTY_MEMBERS,
    _GROUP_REF_BONUS,
    _GROUP_SIZE_PENALTY,
    _NEUTRAL_TEXT,
    _TEXT_WEIGHT,
    _date_fit,
    _Evidence,
    _pair_evidence,
    _Pairing,
)
from bo.matching.sums import _as_units, _subsets_summing_to, _sums_by_chance
from bo.matching.text import _is_check, _similarity


@dataclass
class _FreeList:
    """Unmatched items of one (currency, sign), in date order."""

    dates: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)


def _sign(amount: Decimal) -> int:
    return (amount > 0) - (amount < 0)


_FreeLists = dict[tuple[str, int], _FreeList]


def _free_lists(side: _Side, used: list[bool], earlier: _FreeLists | None = None) -> _FreeLists:
    """The unmatched items of `side` with an amount, by (currency, sign), in date order.

    `earlier` are the lists of an earlier stage of the same match: an item once used is
    never free again, so filtering them gives the same lists as a walk over every item.
    """
    lists: _FreeLists = {}
    if earlier is not None:
        for key, old in earlier.items():
            keep = [k for k, j in enumerate(old.members) if not used[j]]
            if keep:
                dates, members = old.dates, old.members
                lists[key] = _FreeList([dates[k] for k in keep], [members[k] for k in keep])
        return lists
    for index, item in enumerate(side.items):
        if used[index] or not item.amount:
            continue
        free = lists.setdefault((item.currency, _sign(item.amount)), _FreeList())
        free.dates.append(side.ords[index])
        free.members.append(index)
    return lists


class _Free:
    """Both sides' free lists through the group stages of one match, refreshed as they use
    items rather than rebuilt from every item each time."""

    def __init__(self, left: _Side, right: _Side, used_left: list[bool], used_right: list[bool]):
        self.sides = ((left, used_left), (right, used_right))
        self.lists: tuple[_FreeLists, _FreeLists] | None = None

    def refresh(self) -> tuple[_FreeLists, _FreeLists]:
        """The free lists as the `used` flags stand now."""
        earlier = self.lists
        self.lists = (
            _free_lists(*self.sides[0], None if earlier is None else earlier[0]),
            _free_lists(*self.sides[1], None if earlier is None else earlier[1]),
        )
        return self.lists


def _with_company(own: _FreeLists, other: _FreeLists, window: int, least: int) -> list[int]:
    """The items of `own` with at least `least` items of `other` (same currency and sign)
    within `window` days, in index order.

    Only these can anchor a group, so the stages below skip the rest without looking at
    them one by one: an import of years of new lines has few entries left free around them.
    """
    found: list[int] = []
    for key, mine in own.items():
        theirs = other.get(key)
        if theirs is None or len(theirs.members) < least:
            continue
        dates = theirs.dates
        for x, ordinal in zip(mine.members, mine.dates, strict=True):
            hi = bisect_right(dates, ordinal + window)
            if hi - bisect_left(dates, ordinal - window, 0, hi) >= least:
                found.append(x)
    found.sort()
    return found


def _group_candidates(
    a: _Side, x: int, b: _Side, free: _FreeList | None, used_b: list[bool], params: MatchParams
) -> list[int]:
    """Unmatched items of `b` that could be part of a[x]: smaller, same sign, nearest dates,
    and on a day with more than fit, those of the same payee first (the lines of one split
    payment among a busy day's sixty).

    Text is weighed here only when the day is that busy; otherwise for the subsets that
    sum, which are few, rather than for every neighbour of every item.
    """
    if free is None:
        return []
    target = abs(a.items[x].amount)
    ordinal = a.ords[x]
    lo = bisect_left(free.dates, ordinal - params.group_date_window)
    hi = bisect_right(free.dates, ordinal + params.group_date_window)
    found = [
        (abs(free.dates[k] - ordinal), j)
        for k, j in enumerate(free.members[lo:hi], lo)
        if not used_b[j] and abs(b.items[j].amount) < target
    ]
    found.sort()
    # A busy day's checks all stay in: a slip is most often made of the same day's.
    same_day = sum(1 for days, _ in found if days == 0)
    cap = params.max_group_candidates
    keep = max(cap, min(same_day, 2 * cap))
    if len(found) > keep:
        text = a.texts[x]
        found.sort(key=lambda f: (f[0], (_similarity(text, b.texts[f[1]]) or 0.0) < 0.8, f[1]))
    return [j for _, j in found[:keep]]


def _group_score(members: Sequence[_Evidence], shared: bool) -> float:
    date_fit = sum(_date_fit(ev.days, ev.window) for ev in members) / len(members)
    text = sum(_NEUTRAL_TEXT if ev.similarity is None else ev.similarity for ev in members)
    # The penalty stops growing: a slip of thirty checks is no less a match than one of seven.
    extra_members = min(len(members) - 2, _GROUP_PENALTY_MEMBERS)
    score = (
        _AMOUNT_WEIGHT
        + _DATE_WEIGHT * date_fit
        + _TEXT_WEIGHT * text / len(members)
        - _GROUP_SIZE_PENALTY * extra_members
    )
    return min(1.0, score + _GROUP_REF_BONUS) if shared else score


def _group_options(
    a: _Side, x: int, b: _Side, candidates: list[int], params: MatchParams
) -> list[tuple[tuple[tuple[int, _Evidence], ...], float]]:
    """Subsets of `candidates` (items of `b`) summing exactly to a[x], best score first."""
    if len(candidates) < 2:
        return []
    # Largest first: the depth-first search then prunes "too big" by skipping and "can't
    # reach" by stopping.
    candidates = sorted(candidates, key=lambda j: -abs(b.items[j].amount))
    units = _as_units([a.items[x].amount] + [b.items[j].amount for j in candidates])
    if units is None:
        return []
    target, values = units[0], units[1:]
    evidence: dict[int, _Evidence | None] = {}
    options = []
    for subset in _subsets_summing_to(target, values, params.max_group, params.max_combinations):
        members = []
        for k in subset:
            j = candidates[k]
            if j not in evidence:
                ev = _pair_evidence(a, x, b, j, params, Decimal(0))
                evidence[j] = None if ev is None or ev.conflict else ev
            if evidence[j] is None:
                break  # a member that contradicts the item (another check number, say)
            members.append((j, evidence[j]))
        else:
            shared = any(ev.shared for _, ev in members)
            score = _group_score([ev for _, ev in members], shared)
            if score >= params.min_score:
                options.append((tuple(members), score))
    if options and not any(ev.shared for members, _ in options for _, ev in members):
        # As many items as the simplest option: two lines of a split are rarer by chance
        # than any five of two dozen neighbours.
        fewest = min(len(members) for members, _ in options)
        if _sums_by_chance(target, values, fewest):
            return []  # three coffees make a 15.00 fee as easily as any amount near it
    options.sort(key=lambda option: -option[1])
    return options


def _group_reasons(
    anchor: Item, members: Sequence[tuple[Item, _Evidence]], label: str
) -> tuple[str, ...]:
    evidence = [ev for _, ev in members]
    most_days = max(ev.days for ev in evidence)
    similarities = [ev.similarity for ev in evidence if ev.similarity is not None]
    reasons = [
        f"{len(members)} {_plural(label)} sum to {_money(anchor.amount, anchor.currency)}",
        _days_apart(most_days).replace("dates ", "dates up to ", 1),
        _text_reason(sum(similarities) / len(similarities) if similarities else None, True),
    ]
    shared = sorted(set().union(*(ev.shared for ev in evidence)))
    word = "check" if _is_check(anchor) else "reference"
    reasons += [f"same {word} {ref}" for ref in shared]
    return tuple(reasons)


Option = tuple[tuple[tuple[int, "_Evidence"], ...], float]


def _match_groups(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    free: _Free | None = None,
) -> list[_Pairing]:
    """One item on one side = several unmatched items on the other, amounts summing exactly.

    Every unmatched item first lists the subsets of the other side that sum to it. Items
    whose subsets share members compete (five deposit slips on one day, each of three or
    four of the day's twenty checks): each such cluster is solved jointly, so that one slip
    taking a wrong-but-summing set of checks cannot starve the others. Within a cluster the
    search maximizes the number of items explained, then the total score, within a budget.

    Same-day groups are settled first, then those a day apart, then the whole window: a
    busy firm's deposit slips of one day would otherwise compete with the checks of the
    days around it, in clusters too large to solve within the budget.
    """
    if params.max_group < 2:
        return []
    free = free or _Free(left, right, used_left, used_right)
    groups: list[_Pairing] = []
    for window in sorted(
        {min(w, params.group_date_window) for w in (0, 1, params.group_date_window)}
    ):
        narrowed = replace(params, group_date_window=window)
        groups += _match_groups_within(left, right, used_left, used_right, narrowed, labels, free)
    return groups


def _match_groups_within(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    free_items: _Free,
) -> list[_Pairing]:
    """One pass of `_match_groups`, with members at most `params.group_date_window` away."""
    sides = ((left, used_left), (right, used_right))
    free = free_items.refresh()
    options: dict[tuple[int, int], list[Option]] = {}
    for side, (items, _) in enumerate(sides):
        b, used_b = sides[1 - side]
        # A group needs two free items of the other side in the window: the free items
        # without them (most new lines of an import) have no options to look for.
        for x in _with_company(free[side], free[1 - side], params.group_date_window, 2):
            item = items.items[x]
            free_list = free[1 - side].get((item.currency, _sign(item.amount)))
            found = _group_options(
                items, x, b, _group_candidates(items, x, b, free_list, used_b, params), params
            )
            if found:
                options[side, x] = found
    groups = []
    for cluster in _clusters(options):
        for (side, x), (members, score) in _solve_cluster(cluster, options, sides, params):
            (a, used_a), (b, used_b) = sides[side], sides[1 - side]
            used_a[x] = True
            for j, _ in members:
                used_b[j] = True
            groups.append(_group_pairing(a, x, b, members, score, side, labels))
    return groups


def _clusters(options: dict[tuple[int, int], list[Option]]) -> list[list[tuple[int, int]]]:
    """Anchors connected through the items their options would use (union-find)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for (side, x), found in options.items():
        for members, _ in found:
            for j, _ in members:
                parent[root((1 - side, j))] = root((side, x))
    clusters: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for anchor in options:
        clusters[root(anchor)].append(anchor)
    return list(clusters.values())


def _solve_cluster(
    cluster: list[tuple[int, int]],
    options: dict[tuple[int, int], list[Option]],
    sides: tuple[tuple[_Side, list[bool]], ...],
    params: MatchParams,
) -> list[tuple[tuple[int, int], Option]]:
    """The choice of one option (or none) per anchor: most anchors explained, then score."""
    # Largest amounts first: a big deposit is made of smaller receipts, never the reverse.
    order = sorted(cluster, key=lambda n: (-abs(sides[n[0]][0].items[n[1]].amount), n))
    if len(order) == 1:
        return [(order[0], options[order[0]][0])]
    best: list = [[], -1.0]
    budget = [params.max_combinations]

    def search(k: int, taken: set, chosen: list, score: float) -> bool:
        """Depth-first; returns True to stop (every anchor explained, or out of budget)."""
        if len(chosen) + len(order) - k < len(best[0]):
            return False  # cannot explain more anchors than the best already does
        if k == len(order):
            if (len(chosen), score) > (len(best[0]), best[1]):
                best[0], best[1] = list(chosen), score
            return len(chosen) == len(order)
        anchor = order[k]
        if anchor not in taken:
            for option in options[anchor]:
                budget[0] -= 1
                if budget[0] < 0:
                    return True
                nodes = {(1 - anchor[0], j) for j, _ in option[0]}
                if nodes & taken:
                    continue
                chosen.append((anchor, option))
                stop = search(k + 1, taken | nodes | {anchor}, chosen, score + option[1])
                chosen.pop()
                if stop:
                    return True
        return search(k + 1, taken, chosen, score)

    search(0, set(), [], 0.0)
    return best[0]


def _group_pairing(
    a: _Side,
    x: int,
    b: _Side,
    members: Sequence[tuple[int, _Evidence]],
    score: float,
    side: int,
    labels: tuple[str, str],
) -> _Pairing:
    """The pairing of a[x] with several items of `b`; `side` says which side `a` is."""
    # Indexes follow the canonical order, so sorting them sorts the items.
    member_indexes = tuple(sorted(j for j, _ in members))
    reasons = _group_reasons(a.items[x], [(b.items[j], ev) for j, ev in members], labels[1 - side])
    pair = ((x,), member_indexes) if side == 0 else (member_indexes, (x,))
    return _Pairing(pair[0], pair[1], round(score, 4), reasons)
