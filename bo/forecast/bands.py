"""The band around the expected cash, from how far this forecast has missed on these books.

Before forecasting from a day, bo forecasts again from each of the 26 Sundays before it (each
time from the entries dated then, as the backtest does) and compares every week ahead with
the cash the books show since. The misses grow with the weeks ahead, as a random walk and a
drift would (variance a·h + b·h², fitted to them), and in books with seasons with how busy
the weeks ahead are (a slack winter misses by less than a busy spring); the band is the
expected cash plus or minus 1.645 of those standard deviations (a little more, as Student's
t has it, for measuring them on a few past forecasts), where cash ends nine weeks in ten if
the misses are about normal.
The chance of going under the minimum is read off the same curve: 5% at the band's low end.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bo.calendar import BusinessCalendar
from bo.forecast.documents import find_recurring_documents, seasonal_factors
from bo.forecast.history import History, cash_on
from bo.forecast.model import CENT, ZERO
from bo.forecast.projection import expected_from, swept, weekly_cash
from bo.settings import Settings

Z_BAND = Decimal("1.645")  # the 5th and 95th percentiles of a normal spread
PAST_FORECASTS = 26  # one a week back
MIN_HISTORY_DAYS = 56  # a past forecast needs two months of books before it
MIN_MISSES = 12
MIN_WEEKS_OF_CASH = 4


@dataclass(frozen=True)
class ErrorSpread:
    """How far the forecast misses, as a standard deviation for each week ahead."""

    sigma: tuple[Decimal, ...]
    basis: str
    z: Decimal = Z_BAND

    def band(self, week: int, closing: Decimal) -> tuple[Decimal, Decimal]:
        """The low and high end of the band for the `week`-th week ahead (from 1)."""
        width = (self.z * self._sigma(week)).quantize(CENT)
        return closing - width, closing + width

    def chance_below(self, week: int, closing: Decimal, minimum: Decimal) -> Decimal:
        """The probability that cash ends the `week`-th week under `minimum`."""
        sigma = self._sigma(week)
        if not sigma:
            return Decimal(closing < minimum)
        z = float((minimum - closing) / sigma * Z_BAND / self.z)
        return Decimal(str(round(0.5 * (1 + math.erf(z / math.sqrt(2))), 3)))

    def _sigma(self, week: int) -> Decimal:
        if not self.sigma:
            return ZERO
        return self.sigma[min(week, len(self.sigma)) - 1]


NO_SPREAD = ErrorSpread((), "no history to measure the forecast's errors against: no band")


def spread_of_errors(
    history: History,
    settings: Settings,
    weeks: int,
    *,
    calendar: BusinessCalendar | None = None,
    memo: dict | None = None,
) -> dict[str, ErrorSpread]:
    """Each currency's error spread, from forecasts made on the Sundays before the history's
    day and the cash the books show since (all of it read from the books as they stood then).

    The past forecasts depend on their own day only, so a backtest shares them between its
    points through `memo` (Sundays, so that the points' past forecasts fall on one grid)."""
    as_of = history.as_of
    cash = history.cash_days
    start = history.start
    misses: dict[str, list[tuple[int, Decimal, date]]] = defaultdict(list)
    made: list[date] = []
    sunday = as_of - timedelta(days=(as_of.weekday() + 1) % 7 or 7)
    for back in range(PAST_FORECASTS):
        then = sunday - timedelta(days=7 * back)
        if (then - start).days < MIN_HISTORY_DAYS:
            break
        made.append(then)
        if memo is None or (then, weeks) not in memo:
            found = {
                currency: [
                    row[4]
                    for row in weekly_cash(
                        swept(base, base.flows, then, weeks, calendar), base.opening, then, weeks
                    )
                ]
                for currency, base in expected_from(
                    history.through(then), settings, weeks, calendar=calendar
                ).items()
            }
            if memo is None:
                memo = {}
            memo[(then, weeks)] = found
        for currency, closings in memo[(then, weeks)].items():
            for week, closing in enumerate(closings, 1):
                if then + timedelta(days=7 * week) > as_of:
                    break
                actual = cash_on(cash.get(currency), then + timedelta(days=7 * week))
                misses[currency].append((week, actual - closing, then))
    spreads = {}
    seasons = seasonal_factors(
        history, "receivable", find_recurring_documents(history.documents, "receivable", as_of)
    )
    for currency in cash:
        factors = seasons.get(currency)
        # Misses in a busy season's forecasts are larger than in a slack season's: measured
        # against their season's invoicing, then scaled to this forecast's.
        found = [
            (w, m / _busy(factors, then, w) if factors else m)
            for w, m, then in misses.get(currency, [])
        ]
        if len(found) >= MIN_MISSES and len(made) >= 3:
            sigma = _fit(found, weeks)
            if factors:
                sigma = tuple(s * _busy(factors, as_of, h) for h, s in enumerate(sigma, 1))
            basis = (
                f"from the misses of {len(made)} past forecasts (made weekly from {made[-1]} to "
                f"{made[0]}, {len(found)} weeks compared with the books): cash ends inside it "
                f"nine weeks in ten"
            )
            spreads[currency] = ErrorSpread(sigma, basis, _students_t(len(made) - 1))
        else:
            spreads[currency] = _from_weekly_changes(cash.get(currency), as_of, start, weeks)
    return spreads


def _busy(factors: dict[int, Decimal], day: date, weeks: int) -> Decimal:
    """How busy the season is over the first `weeks` weeks forecast from `day` (the mean
    factor of those weeks), as the square root: the spread of invoicing that comes at random
    grows with the square root of how much there is."""
    total = sum((factors[(day + timedelta(days=7 * w + 4)).month] for w in range(weeks)), ZERO)
    return (total / weeks).sqrt()


def _students_t(freedom: int) -> Decimal:
    """Student's t at 95% for `freedom` degrees of freedom (Cornish-Fisher, two terms): the
    spread is measured on a few past forecasts, so the band is a little wider than a
    normal's, the more so the fewer they are."""
    z, n = float(Z_BAND), max(freedom, 1)
    t = z + (z**3 + z) / (4 * n) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * n * n)
    return Decimal(str(round(t, 3)))


def _fit(misses: Sequence[tuple[int, Decimal]], weeks: int) -> tuple[Decimal, ...]:
    """Standard deviations for weeks 1..weeks from variance a·h + b·h², least squares on the
    squared misses; one term alone where both would not be positive."""
    h1 = [Decimal(h) for h, _ in misses]
    e2 = [e * e for _, e in misses]
    s11 = sum((h**2 for h in h1), ZERO)
    s12 = sum((h**3 for h in h1), ZERO)
    s22 = sum((h**4 for h in h1), ZERO)
    t1 = sum((e * h for h, e in zip(h1, e2, strict=True)), ZERO)
    t2 = sum((e * h * h for h, e in zip(h1, e2, strict=True)), ZERO)
    det = s11 * s22 - s12 * s12
    a = (t1 * s22 - t2 * s12) / det if det else ZERO
    b = (s11 * t2 - s12 * t1) / det if det else ZERO
    if a < 0 or b < 0 or not det:

        def sse(a: Decimal, b: Decimal) -> Decimal:
            return sum(((e - a * h - b * h * h) ** 2 for h, e in zip(h1, e2, strict=True)), ZERO)

        a, b = min(((t1 / s11, ZERO), (ZERO, t2 / s22)), key=lambda ab: sse(*ab))
    return tuple((a * h + b * h * h).sqrt() for h in (Decimal(w) for w in range(1, weeks + 1)))


def _from_weekly_changes(
    series: tuple[list[date], list[Decimal]] | None, as_of: date, start: date, weeks: int
) -> ErrorSpread:
    """Too little history to replay forecasts: the spread of the weekly changes in cash,
    growing with the square root of the weeks ahead."""
    changes = []
    day = as_of
    while (day - start).days >= 7 and len(changes) < PAST_FORECASTS:
        changes.append(cash_on(series, day) - cash_on(series, day - timedelta(days=7)))
        day -= timedelta(days=7)
    if len(changes) < MIN_WEEKS_OF_CASH:
        return NO_SPREAD
    sigma = Decimal(statistics.stdev(changes))
    return ErrorSpread(
        tuple(sigma * Decimal(w).sqrt() for w in range(1, weeks + 1)),
        f"from the spread of {len(changes)} weekly changes in cash (too little history to "
        f"measure past forecasts against): a rough band",
    )
