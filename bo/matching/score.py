"""The evidence for and against two items being one, and the score it adds up to."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from bo.matching.index import _candidates, _Side
from bo.matching.model import MatchParams
from bo.matching.text import _same_sign, _similarity

# An equal amount is the one hard fact a bank line and a posting share; dates drift by the
# clearing delay and bank text is noisy, so they refine the score rather than decide it.
_AMOUNT_WEIGHT = 0.5
_DATE_WEIGHT = 0.25
_TEXT_WEIGHT = 0.25
_NEUTRAL_TEXT = 0.5  # no text on one side is no evidence either way
_SHARED_REF_BONUS = 0.25  # the same check number is near-proof
_CONFLICT_FACTOR = 0.4  # two different check numbers is near-disproof: below any sane min_score
_GROUP_SIZE_PENALTY = 0.02  # per extra member: prefer the simpler explanation
_GROUP_PENALTY_MEMBERS = 5  # ... up to this many extra members
_GROUP_REF_BONUS = 0.1


class _Evidence(NamedTuple):
    check: bool  # either item is a check
    days: int
    window: int
    difference: Decimal  # absolute
    similarity: float | None
    shared: frozenset[str]
    conflict: tuple[str, str] | None
    score: float


_NO_REFS: frozenset[str] = frozenset()


def _date_fit(days: int, window: int) -> float:
    return 1.0 - days / (window + 1)


def _evidence(a: _Side, i: int, b: _Side, j: int, params: MatchParams) -> _Evidence | None:
    """What speaks for and against items a[i] and b[j] being one; None if they can't match."""
    first, second = a.items[i], b.items[j]
    if first.currency != second.currency or not _same_sign(first.amount, second.amount):
        return None
    difference = abs(first.amount - second.amount)
    if difference > params.amount_tolerance:
        return None
    return _pair_evidence(a, i, b, j, params, difference)


def _pair_evidence(
    a: _Side, i: int, b: _Side, j: int, params: MatchParams, difference: Decimal
) -> _Evidence | None:
    # The hot loop of the matcher: plain lookups, no helper calls unless needed.
    check = a.checks[i] or b.checks[j]
    window = params.check_date_window if check else params.date_window
    days = abs(a.ords[i] - b.ords[j])
    if days > window:
        return None
    similarity = _similarity(a.texts[i], b.texts[j])
    refs_a, refs_b = a.refs[i], b.refs[j]
    shared, conflict = _NO_REFS, None
    if refs_a and refs_b:
        shared = refs_a & refs_b
        kind = a.items[i].kind
        # Only references of one kind contradict each other: a check number and a bank id
        # differ without meaning anything.
        if not shared and kind and kind == b.items[j].kind:
            conflict = (min(refs_a), min(refs_b))
    amount_fit = 1.0
    if difference:
        # Within the tolerance a differing amount is half the evidence of an equal one at most;
        # beyond it (near-misses) it is none.
        tolerance = params.amount_tolerance
        within = tolerance and difference <= tolerance
        amount_fit = 1.0 - 0.5 * float(difference / tolerance) if within else 0.0
    score = (
        _AMOUNT_WEIGHT * amount_fit
        + _DATE_WEIGHT * (1.0 - days / (window + 1))
        + _TEXT_WEIGHT * (_NEUTRAL_TEXT if similarity is None else similarity)
    )
    if shared:
        score = min(1.0, score + _SHARED_REF_BONUS)
    if conflict:
        score *= _CONFLICT_FACTOR
    return _Evidence(check, days, window, difference, similarity, shared, conflict, score)


class _Pairing(NamedTuple):
    """A match by positions in the sides' canonical order (items may repeat by identity)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


def _scored_candidates(
    a: _Side, x: int, b: _Side, params: MatchParams
) -> Iterator[tuple[int, _Evidence]]:
    for j, difference in _candidates(a, x, b, params):
        ev = _pair_evidence(a, x, b, j, params, difference)
        if ev is not None:
            yield j, ev
