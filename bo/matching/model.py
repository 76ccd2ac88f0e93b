"""What callers of the matcher see: `Item` in, `MatchParams` for how close, and the results."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class Item(NamedTuple):
    """One thing to match: a statement line or a posting, adapted by the caller.

    A named tuple rather than a dataclass: callers build 100,000s of them per run, and a
    tuple is made several times faster than a frozen dataclass.
    """

    key: Hashable  # the caller's id, e.g. (file, line) or a row index
    date: date
    amount: Decimal  # signed; +50 never matches -50
    currency: str
    text: str = ""  # payee + memo/narration, raw; normalized inside the matcher
    refs: frozenset[str] = frozenset()  # check numbers, bank ids, invoice numbers
    kind: str = ""  # "check" widens the date window: checks clear late


@dataclass(frozen=True)
class MatchParams:
    """How close is close enough; the defaults suit a bank account in a small business."""

    date_window: int = 4  # days either side: card lines post 1-3 days after the purchase
    check_date_window: int = 45  # for kind "check": a check clears when the payee deposits it
    amount_tolerance: Decimal = Decimal("0")  # absolute; 0 = matches need the exact amount
    # Near-misses: amounts differing by at most this fraction of the amount, capped by
    # `near_miss_cap` (in the currency's units), or by a digit transposition.
    near_miss_tolerance: Decimal = Decimal("0.05")
    near_miss_cap: Decimal = Decimal("100")
    min_score: float = 0.5
    max_group: int = 5  # one-to-many: at most this many items combine into one
    # A deposit slip and its receipts, a payment and its split, sit within days of each
    # other; checks clearing late are one-to-one, never parts of a group.
    group_date_window: int = 3
    max_group_candidates: int = 12  # subset-search members per item: C(12, <=5) stays small
    max_candidates: int = 25  # per item: candidates compared one-to-one
    max_combinations: int = 20_000  # subsets tried per anchor, bounds the worst case
    # Larger groups (a deposit slip of thirty checks) by an exact subset-sum over cents of at
    # most this many nearby items, accepted only when a single set of them sums to the item.
    max_large_group: int = 40
    # The exact search costs time and memory in proportion to the amount in its smallest
    # units: above this (about 167,000.00 in cents) it is skipped and the reason says so.
    max_group_units: int = 1 << 24

    def __post_init__(self) -> None:
        if self.date_window < 0 or self.check_date_window < 0:
            raise ValueError("date windows must be 0 or more days")
        if self.amount_tolerance < 0 or self.near_miss_tolerance < 0 or self.near_miss_cap < 0:
            raise ValueError("tolerances must be 0 or more")
        if min(self.max_group, self.max_candidates, self.max_combinations) < 1:
            raise ValueError("max_group, max_candidates and max_combinations must be 1 or more")
        if self.group_date_window < 0 or self.max_group_candidates < 1:
            raise ValueError("group_date_window must be 0 or more, max_group_candidates 1 or more")
        if self.max_large_group < 0 or self.max_group_units < 1:
            raise ValueError("max_large_group must be 0 or more, max_group_units 1 or more")


@dataclass(frozen=True)
class Match:
    """Items paired up; more than one item on a side is a split or a combined deposit."""

    left: tuple[Item, ...]
    right: tuple[Item, ...]
    score: float  # 0..1
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """An item nothing matched, with what came closest and why it was rejected."""

    item: Item
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NearMiss:
    """Two unmatched items that look like the same line although their amounts differ."""

    left: Item
    right: Item
    difference: Decimal  # left.amount - right.amount
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    """Everything `match_items` found; each input item is in exactly one match or unmatched."""

    matches: tuple[Match, ...]
    left_only: tuple[Unmatched, ...]
    right_only: tuple[Unmatched, ...]
    near_misses: tuple[NearMiss, ...] = field(default=())
