"""Subset sums over whole units: the enumerating search, the exact bitset search, and chance.

Pure integer arithmetic: which of some amounts make a target, in how many ways, and whether
making it says anything (twenty receipts of a busy day make almost any amount).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from decimal import Decimal

# An exact sum is evidence only when amounts near it cannot be made as well: beyond this
# share of the amounts just below it made by the same items, hitting it is chance.
_CHANCE = 0.002


def _subsets_summing_to(
    target: int, values: Sequence[int], max_size: int, max_visits: int, max_found: int = 64
) -> list[tuple[int, ...]]:
    """Index tuples (size 2..max_size) of `values` (sorted descending) that sum to `target`.

    Depth-first with two prunings (too big, can't reach) and a hard cap on visited nodes, so
    twenty-five equal coffees never explode into millions of combinations.
    """
    prefix = [0]
    for value in values:
        prefix.append(prefix[-1] + value)
    count = len(values)
    prefix += [prefix[-1]] * max_size  # prefix[k + slots] never runs past the end
    found: list[tuple[int, ...]] = []
    visits = 0

    def search(start: int, remaining: int, chosen: tuple[int, ...]) -> bool:
        nonlocal visits
        slots = max_size - len(chosen)
        for k in range(start, count):
            visits += 1
            if visits > max_visits or len(found) >= max_found:
                return False
            # Sorted descending: the `slots` largest values left are the most we can add.
            if prefix[k + slots] - prefix[k] < remaining:
                return True
            value = values[k]
            if value > remaining:
                continue
            if value == remaining:
                if chosen:
                    found.append((*chosen, k))
            elif slots > 1 and not search(k + 1, remaining - value, (*chosen, k)):
                return False
        return True

    search(0, target, ())
    return found


def _as_units(amounts: Sequence[Decimal]) -> list[int] | None:
    """Absolute amounts as integers of the smallest unit among them (exact subset sums)."""
    places = max(0, *(-amount.as_tuple().exponent for amount in amounts))
    scale = Decimal(10) ** places
    units = [abs(amount) * scale for amount in amounts]
    if any(unit != unit.to_integral_value() for unit in units):
        return None
    return [int(unit) for unit in units]


def _one_way(target: int, values: Sequence[tuple[int, int]]) -> tuple[list[int] | bool | None, int]:
    """How many of each (value, available) make `target` when exactly one way does (None
    when no way does, False when several do), and the bitset of the sums they make.

    Bitsets over the sums (Python ints shift and OR a million bits in microseconds): bit s
    is set when some choice makes s. Reachability first, alone: for most items no set of
    their neighbours sums to them, and that pass costs half the counting one.
    """
    reach, layers = _reach(target, values)
    if not reach >> target & 1:
        return None, reach
    if sum(value * available for value, available in values) == target:
        return [available for _, available in values], reach  # all of them: one way only
    mask = (1 << (target + 1)) - 1
    once, twice = 1, 0  # bit s: the sum s can be made in at least one way / at least two ways
    for value, available in values:
        any_way, two_ways = once, twice
        for count in range(1, available + 1):
            shift = count * value
            if shift > target:
                break
            more_once, more_twice = (once << shift) & mask, (twice << shift) & mask
            two_ways |= more_twice | (any_way & more_once)
            any_way |= more_once
        once, twice = any_way, two_ways
    if twice >> target & 1:
        return False, reach
    counts, remaining = [], target
    for (value, available), layer in zip(reversed(values), reversed(layers), strict=True):
        count = next(
            c
            for c in range(available + 1)
            if c * value <= remaining and layer >> (remaining - c * value) & 1
        )
        counts.append(count)
        remaining -= count * value
    counts.reverse()
    return counts, reach


def _reach(target: int, values: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """The sums up to `target` that (value, available) can make, as a bitset, and the
    bitset before each value (to find back which values make a sum)."""
    mask = (1 << (target + 1)) - 1
    once, layers = 1, []
    for value, available in values:
        layers.append(once)
        reach = once
        for count in range(1, available + 1):
            if count * value > target:
                break
            reach |= (once << (count * value)) & mask
        once = reach
    return once, layers


def _reach_by_size(target: int, values: Sequence[int], most: int) -> int:
    """The sums up to `target` that at most `most` of `values` make, as a bitset."""
    mask = (1 << (target + 1)) - 1
    by_size = [1] + [0] * most  # by_size[c]: the sums of exactly c values
    for value in values:
        for count in range(most, 0, -1):
            by_size[count] |= (by_size[count - 1] << value) & mask
    return functools.reduce(operator.or_, by_size)


# Up to this many subsets their sums are listed one by one; beyond, the bitset over every
# amount up to the target (hundreds of kilobytes of bits, shifted per value) costs less.
_LISTED_SUBSETS = 4096


def _sums_by_chance(target: int, values: Sequence[int], most: int) -> bool:
    """`_by_chance` of the sums up to `target` that at most `most` of `values` make.

    A split payment's two lines against a 9,000.00 entry are four subsets: their sums are
    counted directly rather than through a bitset of 900,000 cents.
    """
    subsets = sum(math.comb(len(values), size) for size in range(most + 1))
    if subsets > _LISTED_SUBSETS:
        return _by_chance(_reach_by_size(target, values, most), target)
    lowest, window = _chance_window(target, 1)
    if lowest >= target:
        return False
    by_size: list[set[int]] = [{0}] + [set() for _ in range(most)]  # sums of exactly c values
    for value in values:
        for count in range(most, 0, -1):
            by_size[count].update(
                total + value for total in by_size[count - 1] if total + value <= target
            )
    made = len({total for sums in by_size for total in sums if lowest <= total < target})
    return made / window > _CHANCE


def _chance_window(target: int, divisor: int) -> tuple[int, int]:
    """The amounts just below `target` that `_by_chance` looks at: the lowest (in units of
    `divisor`) and how many cents they span."""
    window = max(target * divisor // 50, 100)  # 2% of the amount, at least 100 cents
    return max(0, target - window // divisor), window


def _by_chance(reach: int, target: int, divisor: int = 1) -> bool:
    """Whether the same items make so many of the amounts just below `target` that making
    `target` itself is what chance would do: twenty receipts of a busy day make almost any
    amount, so one more amount they sum to says nothing; a slip of all of them does.

    `target` and the bits are in units of `divisor` smallest units (cents).
    """
    lowest, window = _chance_window(target, divisor)
    if lowest >= target:
        return False
    made = ((reach >> lowest) & ((1 << (target - lowest)) - 1)).bit_count()
    return made / window > _CHANCE
