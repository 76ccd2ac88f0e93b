"""Business days: BD+n due dates from a period end, skipping weekends and the entity's holidays."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bo.io import atomic_write, machine_cache_dir

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
    # Where the holiday tables are kept between runs (the books' .bo/cache), if anywhere.
    cache_dir: Path | None = field(default=None, compare=False)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def holidays(self, year: int) -> frozenset[date]:
        return _tables(self.cache_dir).days(self.country, self.subdivision, year)

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


def calendar_problem(
    country: str, subdivision: str | None, cache_dir: Path | None = None
) -> tuple[str, str] | None:
    """Why the holidays library has no calendar for this place: (field, message), or None."""
    return _tables(cache_dir).problem(country, subdivision)


class _HolidayTables:
    """Public holidays by place and year, kept in one small JSON file.

    Importing the holidays library and building a country's table costs more than a whole
    `bo close` of a small ledger; the tables only change when the library does, so they are
    computed once per library install and read back after that: from the books' cache, or
    else from the machine's (`$XDG_CACHE_HOME/bo`), which every books repo on the machine
    shares, as Python's bytecode is shared.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self.paths = [p for p in (cache_dir, machine_cache_dir()) if p is not None]
        self.paths = [folder / "holidays.json" for folder in self.paths]
        self.key = _library_key()
        self.data: dict = {"key": self.key, "places": [], "days": {}}
        found = []
        for path in self.paths:
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = None
            valid = isinstance(stored, dict) and stored.get("key") == self.key
            found.append(valid)
            if valid:
                places = [p for p in stored.get("places", []) if p not in self.data["places"]]
                self.data["places"] += places
                self.data["days"] = {**stored.get("days", {}), **self.data["days"]}
        # Each cache learns what the other knows, once a place has been found valid (bad
        # settings write nothing).
        self.behind = any(found) and not all(found)
        self.loaded: dict[str, frozenset[date]] = {}

    def problem(self, country: str, subdivision: str | None) -> tuple[str, str] | None:
        place = f"{country}/{subdivision or ''}"
        if place in self.data["places"]:
            if self.behind:
                self._save()
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
            elif self.behind:
                self._save()
            self.loaded[key] = frozenset(date.fromisoformat(day) for day in stored)
        return self.loaded[key]

    def _save(self) -> None:
        self.behind = False
        for path in self.paths:
            with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
                atomic_write(path, json.dumps(self.data, sort_keys=True), durable=False)


def _library_key() -> str:
    """Which holidays install the tables came from, without importing it."""
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec and spec.origin else ""
    try:
        return f"{origin}@{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


_TABLES: dict[Path | None, _HolidayTables] = {}


def _tables(cache_dir: Path | None) -> _HolidayTables:
    if cache_dir not in _TABLES:
        _TABLES[cache_dir] = _HolidayTables(cache_dir)
    return _TABLES[cache_dir]
