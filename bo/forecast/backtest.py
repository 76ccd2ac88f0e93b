"""The forecast replayed at past dates and held against what the books then showed.

From each as-of date (by default every month end with six months of books before it and the
whole horizon known after it) the forecast is made from the entries dated on or before that
day, as if it were that morning, with its band and alarm; then each week's expected closing
cash is compared with the cash the books show at that week's end. Reported by weeks ahead:
the mean absolute percentage error, the bias (the mean signed error: negative is a forecast
too low), and how often the band held the actual; and every alarm, whether it happened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data

from bo.calendar import BusinessCalendar
from bo.forecast.build import forecast
from bo.forecast.history import cash_by_day, cash_on, entries_through
from bo.forecast.model import ZERO, Forecast, month_start
from bo.settings import Settings

MIN_HISTORY_DAYS = 182


@dataclass(frozen=True)
class Point:
    """One replayed forecast and what the books showed after it."""

    as_of: date
    forecast: Forecast
    actual: tuple[Decimal, ...]  # the closing cash of each week

    @property
    def errors(self) -> list[Decimal]:
        """(forecast - actual) / |actual| for each week; a week ending at zero is left out."""
        return [
            (w.closing - a) / abs(a)
            for w, a in zip(self.forecast.weeks, self.actual, strict=True)
            if a
        ]

    @property
    def held(self) -> list[bool]:
        return [w.low <= a <= w.high for w, a in zip(self.forecast.weeks, self.actual, strict=True)]

    @property
    def alarm(self) -> bool:
        return bool(self.forecast.breaches)

    @property
    def went_under(self) -> list[date]:
        """The week ends at which the actual cash was under the minimum."""
        minimum = self.forecast.minimum
        return [w.end for w, a in zip(self.forecast.weeks, self.actual, strict=True) if a < minimum]


@dataclass(frozen=True)
class Horizon:
    """The errors of every point at one week ahead."""

    week: int
    count: int
    mape: Decimal  # mean absolute percentage error, as a fraction
    bias: Decimal  # mean signed percentage error
    held: int  # actuals inside the band


@dataclass(frozen=True)
class Backtest:
    currency: str
    weeks: int
    points: tuple[Point, ...]
    alarm_chance: Decimal  # the chance of ending a week under the minimum that is an alarm

    @property
    def horizons(self) -> list[Horizon]:
        by_week: dict[int, list[Decimal]] = defaultdict(list)
        held: dict[int, int] = defaultdict(int)
        for point in self.points:
            for week, error in enumerate(point.errors, 1):
                by_week[week].append(error)
            for week, inside in enumerate(point.held, 1):
                held[week] += inside
        return [
            Horizon(
                week,
                len(errors),
                sum((abs(e) for e in errors), ZERO) / len(errors),
                sum(errors, ZERO) / len(errors),
                held[week],
            )
            for week, errors in sorted(by_week.items())
        ]

    def mape(self, first: int = 1, last: int | None = None) -> Decimal:
        """The mean absolute percentage error over weeks `first` to `last` of every point."""
        errors = [
            abs(e)
            for point in self.points
            for week, e in enumerate(point.errors, 1)
            if first <= week <= (last or self.weeks)
        ]
        return sum(errors, ZERO) / len(errors) if errors else ZERO

    @property
    def bias(self) -> Decimal:
        errors = [e for point in self.points for e in point.errors]
        return sum(errors, ZERO) / len(errors) if errors else ZERO

    @property
    def coverage(self) -> Decimal:
        """The share of weeks whose actual cash ended inside the band."""
        held = [h for point in self.points for h in point.held]
        return Decimal(sum(held)) / len(held) if held else ZERO

    @property
    def false_alarms(self) -> list[Point]:
        """Points whose alarm went off while the cash never went under the minimum."""
        return [p for p in self.points if p.alarm and not p.went_under]

    @property
    def missed(self) -> list[Point]:
        """Points whose cash went under the minimum with no alarm."""
        return [p for p in self.points if p.went_under and not p.alarm]


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from `first` to `last`."""
    found = []
    month = month_start(first)
    while True:
        end = month_start(month, 1) - timedelta(days=1)
        if end > last:
            return found
        if end >= first:
            found.append(end)
        month = month_start(month, 1)


def default_dates(entries: Sequence[data.Directive], weeks: int, known_through: date) -> list[date]:
    """Month ends with six months of books before them and `weeks` weeks known after."""
    days = [e.date for e in entries if type(e) is data.Transaction]
    if not days:
        return []
    last = min(days[-1], known_through) - timedelta(days=7 * weeks)
    return month_ends(days[0] + timedelta(days=MIN_HISTORY_DAYS), last)


def backtest(
    entries: Sequence[data.Directive],
    settings: Settings,
    dates: Sequence[date],
    weeks: int = 13,
    *,
    calendar: BusinessCalendar | None = None,
    options: dict | None = None,
    known_through: date | None = None,
) -> list[Backtest]:
    """The forecast made at each of `dates` from the books as they stood then, against the
    cash the books show after (up to `known_through`: later weeks are not compared)."""
    known = entries_through(entries, known_through) if known_through else entries
    cash = cash_by_day(known, settings)
    points: dict[str, list[Point]] = defaultdict(list)
    memo: dict = {}
    for day in sorted(dates):
        if known_through is not None and day + timedelta(days=7 * weeks) > known_through:
            continue  # its weeks are not all in the books yet
        # Only what was in the books on `day`: the forecast could see nothing later.
        then = entries_through(known, day)
        for made in forecast(
            then, settings, day, weeks, calendar=calendar, options=options, memo=memo
        ):
            actual = tuple(
                cash_on(cash.get(made.currency), w.end)
                for w in made.weeks
                if known_through is None or w.end <= known_through
            )
            if len(actual) == len(made.weeks):
                points[made.currency].append(Point(day, made, actual))
    return [
        Backtest(currency, weeks, tuple(found), settings.forecast.alarm_chance)
        for currency, found in points.items()
    ]
