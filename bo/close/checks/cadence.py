"""Checks of a period made of months: the quarter's or the year's month-end closes."""

from __future__ import annotations

from bo.close.context import CloseContext, StepResult
from bo.close.params import NoParams
from bo.close.registry import check, verdict


@check("months-closed")
def months_closed(ctx: CloseContext, params: NoParams) -> StepResult:
    """Every month of the period has a locked month-end close (from the books' first
    month on): a quarter's review and a year-end start from closed months."""
    from beancount.core import data

    from bo.close.record import load_record
    from bo.periods import months_of

    # Months before the books' first transaction had nothing to close.
    first = min((e.date for e in ctx.entries if type(e) is data.Transaction), default=None)
    months = [m for m in months_of(ctx.period) if first is not None and m.end >= first]
    if not months:
        return StepResult("passed", f"no month of {ctx.period} has entries to close")
    problems = []
    for month in months:
        record = load_record(ctx.books.root, month)
        if not record:
            problems.append(f"{month}: not closed yet (bo close {month})")
        elif not record.get("locked"):
            problems.append(f"{month}: closed but not locked; its sign-offs are missing")
    first, last = months[0], months[-1]
    return verdict(
        problems,
        f"every month from {first} to {last} is locked",
        "{n} months not locked",
    )
