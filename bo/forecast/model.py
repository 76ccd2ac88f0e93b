"""The forecast's results: flows with their basis, weeks with their band, one forecast per
currency and scenario; and the small distributions of days its estimates are made of."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
ONE = Decimal(1)


@dataclass(frozen=True)
class Flow:
    """One expected receipt (positive) or payment (negative), and why it is expected."""

    date: date
    amount: Decimal
    what: str
    kind: str  # invoice | bill | new-invoices | new-bills | retainer | recurring-bill |
    # recurring | card | irregular | declared | scenario
    basis: str = ""
    currency: str = ""
    party: str = ""  # the customer or vendor of an invoice or bill


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    opening: Decimal
    receipts: Decimal
    disbursements: Decimal
    closing: Decimal  # expected
    low: Decimal  # the band: where the closing cash falls 9 times in 10, by past errors
    high: Decimal
    below_minimum: bool  # the alarm: its chance of ending under the minimum is high enough
    chance_below: Decimal  # the probability that cash ends the week under the minimum


@dataclass(frozen=True)
class Forecast:
    scenario: str
    currency: str
    as_of: date
    minimum: Decimal
    accounts: tuple[str, ...]
    weeks: tuple[Week, ...]
    flows: tuple[Flow, ...] = field(default=(), repr=False)
    doubtful: tuple[Flow, ...] = field(default=(), repr=False)  # invoices not counted on
    band: str = ""  # where the band comes from
    notes: tuple[str, ...] = ()  # what the forecast could not count on, said once
    # The ledger's latest price of this currency in the base currency: (base, rate, its day)
    rate: tuple[str, Decimal, date] | None = None

    @property
    def opening(self) -> Decimal:
        return self.weeks[0].opening if self.weeks else ZERO

    @property
    def breaches(self) -> list[Week]:
        """The weeks whose chance of ending under the minimum raises the alarm."""
        return [w for w in self.weeks if w.below_minimum]


@dataclass(frozen=True)
class Days:
    """A distribution of whole days: (days, weight) points with weights adding up to one."""

    points: tuple[tuple[int, Decimal], ...]

    @classmethod
    def of(cls, samples: Iterable[tuple[int, Decimal]]) -> Days:
        merged: dict[int, Decimal] = {}
        for days, weight in samples:
            if weight > 0:
                merged[days] = merged.get(days, ZERO) + weight
        total = sum(merged.values(), ZERO)
        if not total:
            return cls(((0, ONE),))
        return cls(tuple((d, w / total) for d, w in sorted(merged.items())))

    def shifted(self, days: int) -> Days:
        return Days(tuple((d + days, w) for d, w in self.points))

    def after(self, days: int) -> Days | None:
        """Given that it has not happened in the first `days`: the rest, or None if nothing is
        left (it is already later than ever seen)."""
        rest = [(d, w) for d, w in self.points if d > days]
        return Days.of(rest) if rest else None

    def median(self) -> int:
        running = ZERO
        for days, weight in self.points:
            running += weight
            if running >= Decimal("0.5"):
                return days
        return self.points[-1][0]

    def quantiles(self, count: int = 5) -> list[tuple[int, Decimal]]:
        """`count` equal shares at evenly spaced quantiles (the 10th, 30th, ... percentiles
        for five): a spread in a few dated parts, merged where they fall on one day."""
        share = ONE / count
        out: dict[int, Decimal] = {}
        running, index = ZERO, 0
        for i in range(count):
            target = share * i + share / 2
            while running + self.points[index][1] < target and index < len(self.points) - 1:
                running += self.points[index][1]
                index += 1
            day = self.points[index][0]
            out[day] = out.get(day, ZERO) + share
        return sorted(out.items())


def weighted_median(samples: Iterable[tuple[int, Decimal]]) -> int:
    return Days.of(samples).median()


def month_start(day: date, months: int = 0) -> date:
    """The first of the month `months` after (before, negative) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
