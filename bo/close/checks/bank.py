"""Checks against the bank: statements in, every cash account reconciled, no duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bo.close.context import CloseContext, StepResult
from bo.close.params import (
    NoParams,
    ReconciledParams,
)
from bo.close.registry import check, not_applicable, verdict
from bo.output import plural
from bo.settings import CASH_ROLES

NO_CASH_ACCOUNTS = "no account with the role `bank`, `card` or `processor`"


@check("imports-current")
def imports_current(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.errors import BoError
    from bo.paths import find_statements

    problems, found = [], []
    if not ctx.accounts(*CASH_ROLES):
        return not_applicable(NO_CASH_ACCOUNTS)
    for account in ctx.accounts(*CASH_ROLES):
        conf = ctx.books.settings.accounts[account]
        if conf.statement is None:
            problems.append(f"{account}: bo.yaml names no statement folder for it")
            continue
        try:
            files = find_statements(ctx.books, account, ctx.period)
        except BoError as exc:
            problems.append(f"{account}: {exc}")
            continue
        found += [f"{account}: {f.relative_to(ctx.books.root)}" for f in files]
    return verdict(
        problems,
        f"statements for {ctx.period} are in",
        "1 statement missing|{n} statements missing",
        found,
    )


@check("reconciled")
def reconciled(ctx: CloseContext, params: ReconciledParams) -> StepResult:
    from bo.errors import BoError
    from bo.paths import find_statements
    from bo.reconcile import reconcile
    from bo.recs import as_record, load_record, record_path, record_text, statement_digests

    settings = ctx.books.settings
    # The step's own ages for outstanding items, where it gives them, over bo.yaml's
    # (statements read alike: `ctx.statement` reads them with bo.yaml's formats).
    ages = {
        key: value
        for key in ("outstanding_check_days", "deposit_in_transit_days")
        if (value := getattr(params, key)) is not None
    }
    if ages:
        settings = settings.model_copy(
            update={"thresholds": settings.thresholds.model_copy(update=ages)}
        )
    problems, details = [], []
    result_writes: dict[Path, str] = {}
    if not (params.accounts or ctx.accounts(*CASH_ROLES)):
        return not_applicable(NO_CASH_ACCOUNTS)
    for account in params.accounts or ctx.accounts(*CASH_ROLES):
        try:
            files = find_statements(ctx.books, account, ctx.period)
            statements = [ctx.statement(p, account) for p in files]
        except BoError as exc:
            problems.append(f"{account}: {exc}")
            continue
        path = record_path(ctx.books, account, ctx.period)
        own = load_record(path)
        rec = reconcile(
            ctx.books.root,
            settings,
            ctx.touching(account),  # all a reconciliation reads of the ledger
            account,
            ctx.period,
            statements,
            previous=load_record(record_path(ctx.books, account, ctx.period.previous)),
            pins=(own or {}).get("pins") or [],
            digests=statement_digests(ctx.books.root, files),
        )
        text = record_text(as_record(rec, (own or {}).get("pins") or []), own)
        if text is not None:
            result_writes[path] = text
        head = f"{account}: " + (
            rec.state if rec.difference is None else f"difference {rec.difference:,}"
        )
        if rec.reconciled:
            details.append(
                f"{head}; {len(rec.in_transit)} in transit "
                f"(+{ctx.money(rec.deposits_in_transit, rec.currency)} / "
                f"-{ctx.money(rec.outstanding, rec.currency)})"
            )
            continue
        problems.append(head)
        for item in (*rec.missing, *rec.near, *rec.stale):
            problems.append(
                f"  {item.kind}: {item.date} {item.amount:,} {item.text} ({item.where})"
            )
    failing = sum(1 for line in problems if not line.startswith("  "))
    result = verdict(problems, "every bank and card account reconciled", "", details)
    if failing:
        result.summary = f"{failing} of {failing + len(details)} accounts not reconciled"
    result.writes.update(result_writes)  # the reconciliation records, carried to next month
    return result


@check("no-duplicates")
def no_duplicates(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.duplicates.dismissals import load_dismissed
    from bo.duplicates.find import find_duplicates

    found = find_duplicates(
        ctx.entries,
        ctx.books.settings,
        period=str(ctx.period),
        dismissed=load_dismissed(ctx.books.root),
        statements=_printed(ctx),
        root=ctx.books.root,
    )
    problems = []
    for dupe in found:
        problems.append(
            f"{dupe.id} {dupe.kind} (score {dupe.score:.2f}): {', '.join(dupe.entries)}"
        )
        problems += [f"  {reason}" for reason in dupe.reasons]
    if not found:
        return StepResult("passed", "no duplicates")
    return StepResult("failed", plural(len(found), "possible duplicate"), problems)


def _printed(ctx: CloseContext) -> Any:
    """What the statements around the period printed (the duplicate scan's evidence)."""
    from bo.statements.printed import bank_lines

    key = ("printed",)
    if key not in ctx.cache:
        ctx.cache[key] = bank_lines(ctx.books, ctx.period, read=ctx.statement)
    return ctx.cache[key]
