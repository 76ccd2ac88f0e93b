"""Reasons in words: every component of a score, and why an item was left unmatched (stage 4)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable
from datetime import date
from decimal import Decimal

from bo.matching.index import _Side, _window
from bo.matching.model import Item, MatchParams, NearMiss
from bo.matching.score import _Evidence, _Pairing, _scored_candidates


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,} {currency}"


def _days_apart(days: int) -> str:
    if days == 0:
        return "same day"
    return f"dates {days} day{'s' if days != 1 else ''} apart"


def _text_reason(similarity: float | None, average: bool = False) -> str:
    if similarity is None:
        return "no payee text to compare"
    return f"payee {round(similarity * 100)}% similar" + (" on average" if average else "")


def _ref_word(ev: _Evidence) -> str:
    return "check" if ev.check else "reference"


def _evidence_reasons(first: Item, second: Item, ev: _Evidence, params: MatchParams) -> list:
    """Every component of a pair's score, in words."""
    if ev.difference:
        amount = (
            f"amounts differ by {_money(ev.difference, first.currency)}"
            f" (tolerance {params.amount_tolerance:,})"
        )
    else:
        amount = f"same amount {_money(first.amount, first.currency)}"
    dates = _days_apart(ev.days)
    if ev.days > params.date_window:
        dates += f" (check window {ev.window} days)"
    reasons = [amount, dates, _text_reason(ev.similarity)]
    word = _ref_word(ev)
    reasons += [f"same {word} {ref}" for ref in sorted(ev.shared)]
    if ev.conflict:
        plural = "check numbers" if word == "check" else f"{first.kind} references"
        reasons.append(f"different {plural} {ev.conflict[0]} vs {ev.conflict[1]}")
    return reasons


def _format_key(key: Hashable) -> str:
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], int):
        return f"{key[0]}:{key[1]}"
    return str(key)


def _describe(item: Item) -> str:
    text = f' "{item.text}"' if item.text else ""
    amount = _money(item.amount, item.currency)
    return f"{item.date.isoformat()} {amount}{text} [{_format_key(item.key)}]"


def _closest(a: _Side, x: int, b: _Side, params: MatchParams) -> tuple[int, _Evidence] | None:
    best = None
    for j, ev in _scored_candidates(a, x, b, params):
        if best is None or ev.score > best[1].score:
            best = (j, ev)
    return best


def _nearest_outside(a: _Side, x: int, b: _Side) -> str:
    """Where the nearest item of the exact amount is, when none is inside the window."""
    item = a.items[x]
    bucket = b.buckets.get((item.currency, item.amount))
    if bucket is None:
        return ""
    ordinal = a.ords[x]
    at = bisect_left(bucket.dates, ordinal)
    nearest = min(
        (bucket.dates[k] for k in (at - 1, at) if 0 <= k < len(bucket.dates)),
        key=lambda other: abs(other - ordinal),
    )
    return (
        f" (nearest: {date.fromordinal(nearest).isoformat()}, {abs(nearest - ordinal)} days away)"
    )


def _unmatched_reasons(
    a: _Side,
    x: int,
    b: _Side,
    pairing_of_b: dict[int, _Pairing],
    near: dict[int, tuple[Item, NearMiss]],
    params: MatchParams,
    other_label: str,
    a_is_left: bool,
) -> tuple[str, ...]:
    item = a.items[x]
    closest = _closest(a, x, b, params)
    if closest is None:
        tolerance = f" (±{params.amount_tolerance:,})" if params.amount_tolerance else ""
        window = _window(params, a.checks[x])
        reasons = [
            f"no {other_label} with amount {_money(item.amount, item.currency)}{tolerance}"
            f" within {window} days" + _nearest_outside(a, x, b)
        ]
    else:
        j, ev = closest
        other = _describe(b.items[j])
        if ev.score < params.min_score:
            head = f"closest: {other} (score {ev.score:.2f} < {params.min_score:.2f})"
        elif j in pairing_of_b:
            partner = _partner_words(pairing_of_b[j], a, a_is_left)
            head = f"closest: {other} (score {ev.score:.2f}) is matched to {partner}"
        else:
            head = (
                f"closest: {other} (score {ev.score:.2f}) was not compared: more than"
                f" {params.max_candidates} candidates with that amount"
            )
        reasons = [head, *_evidence_reasons(item, b.items[j], ev, params)]
    if x in near:
        other_item, miss = near[x]
        reasons.append(f"near miss: {_describe(other_item)}: {miss.reasons[0]}")
    return tuple(reasons)


def _partner_words(pairing: _Pairing, side: _Side, side_is_left: bool) -> str:
    """The items of `side` in a pairing, in words: whom a contested item went to."""
    own = pairing.left if side_is_left else pairing.right
    words = _describe(side.items[own[0]]) if len(own) == 1 else f"a group of {len(own)}"
    return f"{words} (score {pairing.score:.2f})"


def _plural(noun: str) -> str:
    """`posting` -> `postings`, `entry` -> `entries`: labels in reasons read as English."""
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
