"""The schedules (depreciation, amortization, accruals): posted, and posting them."""

from __future__ import annotations

from bo.close.context import CloseContext, StepResult
from bo.close.params import (
    NoParams,
)
from bo.close.registry import action, check, not_applicable, verdict

NO_SCHEDULES = "no schedules in schedules/: nothing to post"


@action("post-schedules")
def post_schedules(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.close.schedules import CLOSING_DIR, closing_text, due_entries, load_schedules

    schedules = load_schedules(ctx.books.root)
    if not schedules:
        return not_applicable(NO_SCHEDULES)
    needed, already = due_entries(schedules, ctx.period, ctx.entries)
    path = ctx.books.ledger_path.parent / CLOSING_DIR / f"{ctx.period}.beancount"
    result = StepResult(
        "passed",
        f"{len(needed)} schedule entries to post, {already} posted already",
        [f"{txn.date} {txn.narration}: {txn.postings[0].units}" for txn, _ in needed],
    )
    if needed:
        result.writes[path] = closing_text(path, ctx.period, needed)
    return result


@check("schedules-posted")
def schedules_posted(ctx: CloseContext, params: NoParams) -> StepResult:
    """Every schedule entry due in the period is posted (in each of its months)."""
    from bo.close.schedules import due_entries, load_schedules
    from bo.periods import months_of

    schedules = load_schedules(ctx.books.root)
    if not schedules:
        return not_applicable(NO_SCHEDULES)
    problems, already = [], 0
    for month in months_of(ctx.period):
        needed, posted = due_entries(schedules, month, ctx.entries)
        already += posted
        problems += [f"{txn.date} {txn.narration} not posted" for txn, _ in needed]
    return verdict(
        problems,
        f"all {already} schedule entries posted",
        "1 schedule entry missing|{n} schedule entries missing",
    )
