"""Accounting periods: `2025-09` parsed into dates, and the fiscal year a date falls in.

A month (`Period`) is the unit bo reconciles and reports; a close runs over a period of any
cadence (`Span`): a day `2026-12-01`, an ISO week `2026-W49`, a fiscal quarter `2025-Q3` or
a fiscal year `2025`. A fiscal year is named for the calendar year it ends in (with the
year starting in July, `2025` runs from 2024-07-01 to 2025-06-30) and its quarters count
from its first month; with the year starting in January both are the calendar's.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import ClassVar

from bo.errors import BadInputError

_SPAN_RE = re.compile(
    r"^(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4])|-W(?P<week>[0-9]{2})"
    r"|-(?P<month>[0-9]{2})-(?P<day>[0-9]{2}))?$"
)
SPAN_FORMS = (
    "2025-09 (a month), 2025-Q3 (a quarter), 2025 (a fiscal year), 2026-W49 (an ISO week) "
    "or 2026-12-01 (a day)"
)
# The period kind each checklist cadence closes.
CADENCE_KINDS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
}
_PERIOD_RE = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})$")

# The dates bo works with. Books are kept for living businesses; the margin on both sides
# keeps every date sum bo does (a prior year, a 13-week forecast, an aging bucket, business
# days) far from the calendar's own edges, where Python's dates end in an OverflowError.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
SUPPORTED = f"bo works with dates from {EARLIEST} to {LATEST}"


def date_problem(day: date) -> str | None:
    """Why `day` is outside the dates bo supports, or None when it is inside."""
    if EARLIEST <= day <= LATEST:
        return None
    return f"{day.isoformat()} is outside the dates bo supports: {SUPPORTED}"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month: the unit bo closes, reconciles and reports."""

    kind: ClassVar[str] = "month"
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `YYYY-MM`; a clear error for anything else."""
        match = _PERIOD_RE.match(text.strip())
        if not match or not 1 <= int(match["month"]) <= 12:
            raise BadInputError(f"period `{text}`: expected YYYY-MM, like 2025-09")
        year = int(match["year"])
        if not EARLIEST.year <= year <= LATEST.year:
            raise BadInputError(f"period `{text}`: outside the dates bo supports; {SUPPORTED}")
        return cls(year, int(match["month"]))

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @cached_property  # asked of every entry when a period's entries are picked out
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> Period:
        return Period.containing(self.start - timedelta(days=1))

    @property
    def next(self) -> Period:
        return Period.containing(self.end + timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def fiscal_year_start(day: date, first_month: int) -> date:
    """The first day of the fiscal year that contains `day`."""
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


@dataclass(frozen=True, order=True)
class Span:
    """A period of another cadence than the month: a day, an ISO week, a fiscal quarter or
    a fiscal year. It answers what a close asks of a `Period`: start, end, previous, next,
    and its name."""

    start: date
    end: date
    kind: str
    key: str
    fiscal_start: int = 1

    def __str__(self) -> str:
        return self.key

    @property
    def previous(self) -> Span:
        return span_containing(self.start - timedelta(days=1), self.kind, self.fiscal_start)

    @property
    def next(self) -> Span:
        return span_containing(self.end + timedelta(days=1), self.kind, self.fiscal_start)

    def months(self) -> list[Period]:
        """The months the span covers, in order (the month of a day or a week too)."""
        found, month = [], Period.containing(self.start)
        while month.start <= self.end:
            found.append(month)
            month = month.next
        return found


AnyPeriod = Period | Span


def months_of(period: AnyPeriod) -> list[Period]:
    """The months a period covers: itself for a month."""
    return [period] if isinstance(period, Period) else period.months()


def parse_period(text: str, fiscal_start: int = 1) -> AnyPeriod:
    """Any period a close runs over, from its name; a clear error naming the forms."""
    text = text.strip()
    match = _SPAN_RE.match(text)
    if _PERIOD_RE.match(text):
        return Period.parse(text)
    problem = f"period `{text}`: expected {SPAN_FORMS}"
    if not match:
        raise BadInputError(problem)
    year = int(match["year"])
    if not EARLIEST.year < year < LATEST.year:  # a fiscal year or an ISO week crosses a year
        raise BadInputError(f"period `{text}`: outside the dates bo supports; {SUPPORTED}")
    try:
        if match["quarter"]:
            first = _fiscal_first(year, fiscal_start)
            return _quarter(first, int(match["quarter"]), fiscal_start)
        if match["week"]:
            start = date.fromisocalendar(year, int(match["week"]), 1)
            return span_containing(start, "week", fiscal_start)
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return span_containing(day, "day", fiscal_start)
        first = _fiscal_first(year, fiscal_start)
        return span_containing(first, "year", fiscal_start)
    except ValueError:  # week 53 of a 52-week year, February 30th, year 0
        raise BadInputError(problem) from None


def span_containing(day: date, kind: str, fiscal_start: int = 1) -> AnyPeriod:
    """The period of `kind` (day, week, month, quarter, year) that holds `day`."""
    if kind == "month":
        return Period.containing(day)
    if kind == "day":
        return Span(day, day, "day", day.isoformat(), fiscal_start)
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return Span(start, start + timedelta(days=6), "week", f"{year}-W{week:02d}", fiscal_start)
    first = fiscal_year_start(day, fiscal_start)
    if kind == "year":
        end = Period(first.year + 1, first.month).start - timedelta(days=1)
        return Span(first, end, "year", str(end.year), fiscal_start)
    if kind == "quarter":
        months = (day.year - first.year) * 12 + day.month - first.month
        return _quarter(first, months // 3 + 1, fiscal_start)
    raise ValueError(f"unknown period kind {kind}")


def _fiscal_first(year: int, fiscal_start: int) -> date:
    """The first day of the fiscal year named `year` (the calendar year it ends in)."""
    return date(year if fiscal_start == 1 else year - 1, fiscal_start, 1)


def _quarter(first: date, number: int, fiscal_start: int) -> Span:
    index = first.year * 12 + first.month - 1 + (number - 1) * 3
    start = date(index // 12, index % 12 + 1, 1)
    after = index + 3
    end = date(after // 12, after % 12 + 1, 1) - timedelta(days=1)
    label = first.year if fiscal_start == 1 else first.year + 1
    return Span(start, end, "quarter", f"{label}-Q{number}", fiscal_start)
