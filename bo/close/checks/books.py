"""Checks of the books themselves: the calendar, the ledger, uncategorized and suspense,
the trial balance, documents for large entries, loans, and cutoff."""

from __future__ import annotations

from bo.close.context import ZERO, CloseContext, StepResult
from bo.close.params import (
    DocumentsParams,
    NoParams,
)
from bo.close.registry import check, not_applicable, verdict
from bo.output import plural


@check("calendar")
def calendar(ctx: CloseContext, params: NoParams) -> StepResult:
    """Every step has an owner and a reviewer (checked when the checklist loads), and the
    review policy can be met: someone can sign each side of every step."""
    from bo.close.policy import policy_problems

    settings = ctx.books.settings
    people = ", ".join(f"{p.name} ({', '.join(p.roles)})" for p in settings.people)
    review = f"review: {settings.review.describe()}"
    problems = policy_problems(settings, ctx.steps)
    if problems:
        return StepResult("failed", "the review policy cannot be met", [*problems, review, people])
    if settings.review.policy == "separate":
        summary = "every step has an owner and a different reviewer"
    else:
        summary = f"every step can be signed; {settings.review.describe()}"
    return StepResult("passed", summary, [review, people])


@check("ledger-valid")
def ledger_valid(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.checks import run_check

    result = run_check(ctx.books, ctx.today)
    problems = [f"{ctx.shown(f.source)}: {f.message}" for f in result.errors]
    return verdict(problems, "the ledger loads and balances", "1 ledger error|{n} ledger errors")


def _role_postings(ctx: CloseContext, roles: tuple[str, ...]) -> list[str]:
    from beancount.core import data

    accounts = set(ctx.accounts(*roles))
    found = []
    end = ctx.period.end
    for entry in ctx.touching(*accounts) if accounts else ():
        if type(entry) is not data.Transaction or entry.date > end:
            continue
        for posting in entry.postings:
            if posting.account in accounts:
                found.append(
                    f"{ctx.where(entry)}: {entry.date} {posting.units} to {posting.account} "
                    f"({entry.payee or entry.narration})"
                )
    return found


@check("no-uncategorized")
def no_uncategorized(ctx: CloseContext, params: NoParams) -> StepResult:
    # Postings moved out later leave the account at zero: only a balance is a problem.
    if not any(ctx.held(a, ctx.period.end) for a in ctx.accounts("uncategorized")):
        return StepResult("passed", "nothing uncategorized")
    found = _role_postings(ctx, ("uncategorized",))
    return StepResult("failed", plural(len(found), "uncategorized posting"), found)


@check("suspense-zero")
def suspense_zero(ctx: CloseContext, params: NoParams) -> StepResult:
    # In every currency: 50 EUR left in suspense is not "at zero" in dollar books.
    accounts = ctx.accounts("suspense", "clearing")
    if not accounts:
        return not_applicable("no account with the role `suspense` or `clearing`")
    problems = [
        f"{account}: {', '.join(ctx.money(n, c) for c, n in held.items())} at {ctx.period.end}"
        for account in accounts
        if (held := ctx.held(account, ctx.period.end))
    ]
    return verdict(problems, "suspense and clearing accounts at zero", "{n} not at zero")


@check("trial-balance")
def trial_balance(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.chart import Chart
    from bo.reports.compute import build_trial_balance

    settings, options = ctx.books.settings, ctx.books.ledger.options
    result = build_trial_balance(
        ctx.entries,
        options,
        ctx.period,
        settings.entity.fiscal_year_start,
        Chart.of(options).retained_earnings(settings),
    )
    totals = ", ".join(f"{v:,} {c}" for c, v in sorted(result.total_debit.items()))
    # A residue beancount's tolerance allows is rounding, not an error: said, not failed.
    rounding = "".join(
        f"; {abs(v):,} {c} rounding within tolerance" for c, v in sorted(result.rounding.items())
    )
    if result.balanced:
        return StepResult(
            "passed", f"debits equal credits ({totals}{rounding})", list(result.notes)
        )
    return StepResult("failed", "debits and credits differ", [totals, *result.problems])


@check("documents")
def documents(ctx: CloseContext, params: DocumentsParams) -> StepResult:
    """Entries at or above materiality carry a `document:` or share a link with a document
    directive."""
    from beancount.core import data

    materiality = params.materiality or ctx.books.settings.thresholds.materiality
    if materiality is None:
        return not_applicable("no materiality threshold set (bo.yaml `thresholds.materiality`)")
    linked = {link for e in ctx.entries if type(e) is data.Document for link in (e.links or ())}
    problems = []
    for entry in ctx.in_period():
        size = max((abs(p.units.number) for p in entry.postings if p.units), default=ZERO)
        if size < materiality.number or "document" in entry.meta:
            continue
        if linked & set(entry.links or ()):
            continue
        problems.append(f"{ctx.where(entry)}: {entry.date} {entry.payee or ''} {size:,}")
    return verdict(
        problems,
        f"entries of {materiality} or more have documents",
        "1 large entry lacks a document|{n} large entries lack a document",
    )


@check("loan-interest")
def loan_interest(ctx: CloseContext, params: NoParams) -> StepResult:
    """Each loan with a balance was paid this period, with interest in an expense."""
    from bo.chart import Chart

    chart = Chart.of(ctx.books.ledger.options)
    problems, details = [], []
    loans = ctx.accounts("loan")
    if not loans:
        return not_applicable("no loan in these books: no account with the role `loan`")
    owed = [account for account in loans if ctx.held(account, ctx.period.start)]
    if not owed:
        return not_applicable(f"no loan owed at the start of {ctx.period}", loans)
    for account in owed:
        paid = [
            entry
            for entry in ctx.in_period()
            if any(p.account == account and p.units.number > 0 for p in entry.postings)
        ]
        if not paid:
            problems.append(f"{account}: no payment posted in {ctx.period}")
            continue
        interest = sum(
            (
                p.units.number
                for entry in paid
                for p in entry.postings
                if chart.kind(p.account) == "expenses" and "interest" in p.account.lower()
            ),
            ZERO,
        )
        payments = plural(len(paid), "payment")
        line = f"{account}: {payments}, interest {interest:,} ({ctx.where(paid[0])})"
        (details if interest > 0 else problems).append(line)
    return verdict(
        problems, "loan payments and interest posted", "1 loan problem|{n} loan problems", details
    )


@check("cutoff")
def cutoff(ctx: CloseContext, params: NoParams) -> StepResult:
    """Nothing changed in locked periods; nothing dated in this period was entered in a
    later period's closing file; and nothing dated in it was added after its close started
    without a note (`note:` metadata) or a statement line behind it (an import)."""
    from bo.close.cutoff import late_entries
    from bo.close.locks import lock_violations

    problems = [
        f"{ctx.shown(f.source)}: {f.message}" for f in lock_violations(ctx.entries, ctx.books.root)
    ]
    for entry in ctx.in_period():
        period = entry.meta.get("period")
        if (
            period is not None
            and "schedule" in entry.meta
            and str(period) != str(ctx.period)
            and not entry.meta.get("reversal")
        ):
            problems.append(f"{ctx.where(entry)}: closing entry of {period} dated in {ctx.period}")
    late = late_entries(ctx.books, ctx.period, (ctx.record.get("started") or {}).get("commit"))
    details = list(late.notes)
    for entry in late.added:
        text = f"{ctx.where(entry)}: {entry.date} {entry.payee or entry.narration}"
        if "note" in entry.meta:
            details.append(f"added during the close: {text} (note: {entry.meta['note']})")
        elif "import-source" in entry.meta:
            details.append(f"added during the close: {text} (from {entry.meta['import-source']})")
        else:
            problems.append(f"{text}: added after the close started, with no `note:` saying why")
    details += [f"changed during the close: {ctx.where(e)}: {e.date} {e.payee or e.narration}"
                for e in late.changed]  # fmt: skip
    return verdict(
        problems, "no late entries in the period", "1 cutoff problem|{n} cutoff problems", details
    )
