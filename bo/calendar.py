"""Business days: BD+n due dates from a period end, skipping weekends and the entity's holidays."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bo.io import atomic_write

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
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def holidays(self, year: int) -> frozenset[date]:
        return _tables().days(self.country, self.subdivision, year)

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


def calendar_problem(country: str, subdivision: str | None) -> tuple[str, str] | None:
    """Why the holidays library has no calendar for this place: (field, message), or None."""
    return _tables().problem(country, subdivision)


class _HolidayTables:
    """Public holidays by place and year, kept in one small JSON file.

    Importing the holidays library and building a country's table costs more than a whole
    `bo close` of a small ledger; the tables only change when the library does, so they are
    computed once per library install and kept in bo's cache folder on this machine, which
    every books repo shares, as Python's bytecode is shared.
    """

    def __init__(self) -> None:
        from bo.cache import cache_home

        self.path = cache_home() / "holidays.json"
        self.key = _library_key()
        self.data: dict = {"key": self.key, "places": [], "days": {}}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        if isinstance(stored, dict) and stored.get("key") == self.key:
            self.data["places"] = list(stored.get("places", []))
            self.data["days"] = dict(stored.get("days", {}))
        self.loaded: dict[str, frozenset[date]] = {}

    def problem(self, country: str, subdivision: str | None) -> tuple[str, str] | None:
        place = f"{country}/{subdivision or ''}"
        if place in self.data["places"]:
            return None
        from holidays.registry import COUNTRIES

        if country not in {names[1] for names in COUNTRIES.values()}:
            return "country", (
                f"`{country}` is not a country code the holidays library knows (e.g. US, GB, DE)"
            )
        import holidays

        try:
            holidays.country_holidays(country, subdiv=subdivision)
        except NotImplementedError as exc:
            return "subdivision", str(exc)
        self.data["places"].append(place)
        self._save()
        return None

    def days(self, country: str, subdivision: str | None, year: int) -> frozenset[date]:
        key = f"{country}/{subdivision or ''}/{year}"
        if key not in self.loaded:
            stored = self.data["days"].get(key)
            if stored is None:
                import holidays

                table = holidays.country_holidays(country, subdiv=subdivision, years=year)
                stored = sorted(day.isoformat() for day in table)
                self.data["days"][key] = stored
                self._save()
            self.loaded[key] = frozenset(date.fromisoformat(day) for day in stored)
        return self.loaded[key]

    def _save(self) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            atomic_write(self.path, json.dumps(self.data, sort_keys=True), durable=False)


def _library_key() -> str:
    """Which holidays install the tables came from, without importing it."""
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec and spec.origin else ""
    try:
        return f"{origin}@{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


# By cache folder: tests point BO_CACHE_DIR elsewhere.
_TABLES: dict[str, _HolidayTables] = {}


def _tables() -> _HolidayTables:
    from bo.cache import cache_home

    folder = str(cache_home())
    if folder not in _TABLES:
        _TABLES[folder] = _HolidayTables()
    return _TABLES[folder]
