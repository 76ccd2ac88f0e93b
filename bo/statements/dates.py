"""Date cells of a statement: read with the format's strptime patterns, one file one pattern.

A format may list several patterns (`date_format: ["%d/%m/%Y", "%d-%b-%y"]`): the first that
reads every date of the file is the file's, so `03/04/2025` is read the same way in every
row of one file and never as April in one row and March in the next. Only a file no single
pattern reads (a bank that changed its export midway) is read row by row, each date by the
first pattern that reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from bo.periods import date_problem

# strptime's %y wants two digits; some banks print `10-Nov-9` for 2009-11-10. Padding every
# lone digit to two is harmless for the other fields (%d, %m, %H accept either).
LONE_DIGIT = re.compile(r"(?<![0-9])([0-9])(?![0-9])")


class DateError(ValueError):
    """A cell that is no date in the format's patterns, or one outside bo's dates."""


class DateParser:
    """Reads date cells, once per distinct text: a statement has a few dozen distinct dates
    over thousands of rows, and strptime is slow."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = list(patterns)
        self.seen: dict[str, date] = {}

    def prefer(self, texts: Iterable[str]) -> None:
        """Put first the first pattern that reads every one of `texts` (a file's dates)."""
        if len(self.patterns) < 2:
            return
        distinct = set(texts)
        for pattern in self.patterns:
            if all(_strptime(text, pattern) is not None for text in distinct):
                self.patterns.remove(pattern)
                self.patterns.insert(0, pattern)
                self.seen.clear()
                return

    def parse(self, text: str) -> date:
        """The date in `text`; DateError naming the expected patterns if it is not one."""
        found = self.seen.get(text)
        if found is None:
            found = self.read(text)
            if found is None:
                raise DateError(f'"{text}" is not a date in the format {self.described()}')
            problem = date_problem(found)
            if problem:
                raise DateError(f'"{text}": {problem}')
            self.seen[text] = found
        return found

    def read(self, text: str) -> date | None:
        """The date `text` reads as in the first pattern that reads it, or None."""
        for pattern in self.patterns:
            found = _strptime(text, pattern)
            if found is not None:
                return found
        return None

    def is_date(self, text: str) -> bool:
        """Whether `text` reads as a date (to tell a header row from a first data row)."""
        return self.read(text) is not None

    def described(self) -> str:
        """The patterns as a message names them."""
        return " or ".join(self.patterns)


def _strptime(text: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(text, pattern).date()
    except ValueError:
        pass
    if "%y" in pattern:
        padded = LONE_DIGIT.sub(r"0\1", text)
        if padded != text:
            try:
                return datetime.strptime(padded, pattern).date()
            except ValueError:
                pass
    return None
