"""One journal posted twice: a payroll run, a fund release, an accrual, every posting alike.

A journal of three postings or more that moves no money (a payroll bureau's report, Gusto's
journal, a release between funds) posted again on the same day or within days, each posting
equal to one of the other's, is one journal twice. Words one copy adds ("(bureau report)",
"per Gusto PDF") say where it was typed from, not that there were two journals: a person
telling two purchases apart writes what each was, but two journals of one period carry one
set of figures. Two journals naming two periods or dates ("Payroll 2025-04-15", "Payroll
2025-04-30", a day's takings "11/10" and "12/10") are two, and a journal repeated each month
is a cadence (the series decides).
"""

from __future__ import annotations

import re

from beancount.core import data

from bo.duplicates.books import _DOCUMENT_KEY, _same_postings
from bo.duplicates.model import UNPROVEN_FACTOR

# Fewer postings are a bill or a receipt, two movements a person may describe apart.
_JOURNAL_POSTINGS = 3


def one_journal(a: data.Transaction, b: data.Transaction, money: frozenset[str]) -> bool:
    """Whether two entries are one journal of three postings or more, posting alike one for
    one and moving no money."""
    if len(a.postings) < _JOURNAL_POSTINGS or len(a.postings) != len(b.postings):
        return False
    if any(p.account in money for e in (a, b) for p in e.postings):
        return False
    return _same_postings(a, b)


# "2025-04", "2025-04-15", "04/2025", "15/04/2025", "11/10": the period or day a journal is for.
_PERIOD = re.compile(
    r"\b(?:\d{4}-\d{1,2}(?:-\d{1,2})?|(?:\d{1,2}[/.])?\d{1,2}[/.]\d{4}|\d{1,2}[/.]\d{1,2})\b(?![/.]\d)"
)


def periods_apart(first: str, second: str) -> bool:
    """Whether two narrations each name a period or a date, and not the same ones."""
    a, b = set(_PERIOD.findall(first)), set(_PERIOD.findall(second))
    return bool(a) and bool(b) and a != b


def journal_evidence(
    a: data.Transaction, b: data.Transaction
) -> tuple[float, list[str], list[str]]:
    """How sure one journal posted twice is, with no statement to ask (a journal has none):
    the score's factor, the reasons and what is missing. Every posting alike is more than
    two coffees alike; the document's own id on both (a payroll run's, a report's) is as
    sure as the bank's line id."""
    said = [f"one journal of {len(a.postings)} postings posted twice, every posting alike"]
    shared = _shared_document(a.meta, b.meta)
    if shared is not None:
        return 1.0, [*said, f"both carry {shared[0]} {shared[1]}"], []
    return UNPROVEN_FACTOR, said, ["neither journal carries the id of the document it posts"]


def _shared_document(first: dict, second: dict) -> tuple[str, str] | None:
    for key, value in first.items():
        if value is None or not _DOCUMENT_KEY.search(key):
            continue
        other = second.get(key)
        if other is not None and str(other).strip() == str(value).strip():
            return key, str(value)
    return None
