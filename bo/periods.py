"""Accounting periods: `2025-09` parsed into dates, and the fiscal year a date falls in."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from bo.errors import BadInputError

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
