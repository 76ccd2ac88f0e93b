"""Business days: BD+n due dates from a period end, skipping weekends and the entity's holidays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

_DUE_RE = re.compile(r"^(?P<unit>BD|D)(?P<sign>[+-])(?P<n>\d{1,3})$")


@dataclass(frozen=True)
class Due:
    """A due date relative to period end: `BD+3` (business days) or `D+10` (calendar days).

    BD+1 is the first business day after period end and BD-1 the last business day of the
    period; there is no BD0 (CLOSE-PRACTICE.md). Calendar days are not shifted.
    """

    business: bool
    offset: int

    @classmethod
    def parse(cls, text: str) -> Due:
        match = _DUE_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"`due: BD+3`, `BD-1` or `D+10` expected, got `{text}`")
        offset = int(match["n"]) * (1 if match["sign"] == "+" else -1)
        business = match["unit"] == "BD"
        if business and offset == 0:
            raise ValueError("there is no BD0: BD+1 is the first business day after period end")
        return cls(business, offset)

    def __str__(self) -> str:
        return f"{'BD' if self.business else 'D'}{self.offset:+d}"


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekends and public holidays of one country (and optional subdivision)."""

    country: str = "US"
    subdivision: str | None = None

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holidays(self.country, self.subdivision, day.year)

    def due_date(self, period_end: date, due: Due) -> date:
        """The date `due` falls on for a period ending `period_end`."""
        if not due.business:
            return period_end + timedelta(days=due.offset)
        step = 1 if due.offset > 0 else -1
        # Counting back, BD-1 is period end itself when that is a business day.
        day = period_end if step > 0 else period_end + timedelta(days=1)
        remaining = abs(due.offset)
        while remaining:
            day += timedelta(days=step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.business_days_between(end, start)
        return sum(
            self.is_business_day(start + timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=year)
