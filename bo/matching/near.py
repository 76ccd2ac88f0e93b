"""Stage 3: near-misses, leftover pairs whose amounts differ a little or by transposed digits."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from decimal import Decimal

from bo.matching.explain import _days_apart, _ref_word, _text_reason
from bo.matching.index import _Side
from bo.matching.model import Item, MatchParams, NearMiss
from bo.matching.score import _NEUTRAL_TEXT, _date_fit, _Evidence, _pair_evidence
from bo.matching.text import _same_sign

# Amounts differ, so the text has to vouch for the pair: more than one shared word of two
# ("Vendor Alpha" and "Vendor Bravo" are 67% alike and not the same payee).
_NEAR_MISS_TEXT = 0.8
_TRANSPOSED_TEXT = 0.3  # a transposition is evidence by itself; the text need only not object


def _digits(amount: Decimal, places: int) -> str:
    return f"{abs(amount):.{places}f}".replace(".", "")


def _is_transposition(a: Decimal, b: Decimal) -> bool:
    """Same digits in another order (1,254.00 vs 1,245.00): the difference is a multiple of 9."""
    if a == b:
        return False
    places = max(0, -a.as_tuple().exponent, -b.as_tuple().exponent)
    first, second = _digits(a, places), _digits(b, places)
    width = max(len(first), len(second))
    return sorted(first.zfill(width)) == sorted(second.zfill(width))


def _digit_signature(amount: Decimal) -> str:
    """The sorted digits of an amount to the cent: equal for 1,254.00 and 1,245.00."""
    places = max(2, -amount.as_tuple().exponent)
    return "".join(sorted(_digits(amount, places).lstrip("0")))


def _near_miss_candidates(
    left: _Side, i: int, right: _Side, index: dict, params: MatchParams
) -> Iterator[int]:
    item = left.items[i]
    amounts, by_amount, by_digits = index.get(item.currency, ([], {}, {}))
    tolerance = min(abs(item.amount) * params.near_miss_tolerance, params.near_miss_cap)
    lo = bisect_left(amounts, item.amount - tolerance)
    hi = bisect_right(amounts, item.amount + tolerance)
    # Transpositions by index: the amounts with the same digits in another order.
    shuffled = sorted(by_digits.get(_digit_signature(item.amount), ()))
    seen = set()
    for amount in [*amounts[lo:hi], *shuffled]:
        if amount in seen or amount == item.amount or not _same_sign(amount, item.amount):
            continue
        seen.add(amount)
        yield from by_amount.get(amount, ())


def _near_misses(
    left: _Side, right: _Side, used_left: list[bool], used_right: list[bool], params: MatchParams
) -> list[tuple[int, int, NearMiss]]:
    """Leftover pairs that look like one line typed or netted differently (never matched)."""
    by_currency: dict[str, dict[Decimal, list[int]]] = {}
    for j, item in enumerate(right.items):
        if not used_right[j]:
            by_currency.setdefault(item.currency, {}).setdefault(item.amount, []).append(j)
    index = {}
    for currency, by_amount in by_currency.items():
        by_digits: dict[str, set[Decimal]] = {}
        for amount in by_amount:
            by_digits.setdefault(_digit_signature(amount), set()).add(amount)
        index[currency] = (sorted(by_amount), by_amount, by_digits)
    # The free items of `right` by date, and its checks: a leftover with none of them within
    # its date window has no near miss (most new lines of an import), whatever the amounts.
    days: dict[str, tuple[list[int], list[int]]] = {}
    for currency, by_amount in by_currency.items():
        members = sorted(j for js in by_amount.values() for j in js)
        days[currency] = (
            [right.ords[j] for j in members],
            [right.ords[j] for j in members if right.checks[j]],
        )
    date_window, check_window = params.date_window, params.check_date_window
    found = []
    for i in range(len(left.items)):
        if used_left[i]:
            continue
        near = days.get(left.items[i].currency)
        if near is None:
            continue
        ordinal, (all_days, check_days) = left.ords[i], near
        window = check_window if left.checks[i] else date_window
        if bisect_right(all_days, ordinal + window) == bisect_left(all_days, ordinal - window) and (
            bisect_right(check_days, ordinal + check_window)
            == bisect_left(check_days, ordinal - check_window)
        ):
            continue
        for j in _near_miss_candidates(left, i, right, index, params):
            first, second = left.items[i], right.items[j]
            difference = abs(first.amount - second.amount)
            ev = _pair_evidence(left, i, right, j, params, difference)
            # A check is a near miss of a check: of a card line it is only a like amount
            # (with the check window, within weeks of some other payment to that payee).
            if ev is None or (left.checks[i] != right.checks[j] and not ev.shared):
                continue
            transposed = _is_transposition(first.amount, second.amount)
            text = ev.similarity
            vouched = bool(ev.shared) or (text is not None and text >= _NEAR_MISS_TEXT)
            if transposed:
                vouched = vouched or text is None or text >= _TRANSPOSED_TEXT
            if not vouched or ev.conflict:
                continue
            rank = (
                _date_fit(ev.days, ev.window)
                + (_NEUTRAL_TEXT if text is None else text)
                + (1.0 if transposed else 0.0)
                + (1.0 if ev.shared else 0.0)
            )
            found.append((-rank, i, j, ev, transposed))
    found.sort(key=lambda entry: entry[:3])
    taken_left, taken_right = set(), set()
    near = []
    for *_, i, j, ev, transposed in found:
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        near.append((i, j, _near_miss(left.items[i], right.items[j], ev, transposed)))
    return near


def _near_miss(first: Item, second: Item, ev: _Evidence, transposed: bool) -> NearMiss:
    amounts = f"({first.amount:,} vs {second.amount:,})"
    if transposed:
        amount = f"amounts differ by {ev.difference:,}: digits transposed {amounts}"
    else:
        amount = f"amounts differ by {ev.difference:,}: a fee netted? {amounts}"
    reasons = [amount, _days_apart(ev.days), _text_reason(ev.similarity)]
    reasons += [f"same {_ref_word(ev)} {ref}" for ref in sorted(ev.shared)]
    return NearMiss(first, second, first.amount - second.amount, tuple(reasons))
