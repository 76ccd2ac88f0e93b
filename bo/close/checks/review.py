"""Review checks: the agings and the flux (month over month and against the budget)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from bo.close.context import ZERO, CloseContext, StepResult
from bo.close.params import (
    AgingParams,
    FluxParams,
)
from bo.close.registry import check, verdict


@check("aging-reviewed")
def aging_reviewed(ctx: CloseContext, params: AgingParams) -> StepResult:
    """The aging report is produced (reports/P/aging-ar.md or aging-ap.md), its open items
    tie to the account, and the items past due longer than `over_days` are listed."""
    from bo.reports.aging import aging
    from bo.reports.render import render

    side = params.side
    report = aging(ctx.entries, ctx.books.settings, side, ctx.period.end, ctx.books.root)
    kind = "aging-ar" if side == "receivable" else "aging-ap"
    problems, details = [], []
    if not report.accounts:
        problems.append(f"no account has the role `{side}` in bo.yaml: nothing to age")
    elif not report.ties:
        problems.append(
            f"{', '.join(report.accounts)}: open items {report.total + report.unapplied:,} "
            f"do not tie to the balance {report.balance:,}"
        )
    if report.unapplied:
        problems.append(f"{report.unapplied:,} posted without an invoice: reference")
    old = [item for item in report.items if item.days_past_due > params.over_days]
    credits = [item for item in report.items if item.amount < 0]
    details.append(
        f"{', '.join(report.accounts)}: {len(report.items)} open, total {report.balance:,}; "
        f"over {params.over_days} days: {len(old)}"
    )
    details += [
        f"  {i.invoice} {i.party}: {i.amount:,}, {i.days_past_due} days past due ({i.where})"
        for i in old
    ]
    wrong_side = "credit" if side == "receivable" else "debit"
    details += [
        f"  {i.invoice} {i.party}: {i.amount:,} is a {wrong_side} balance ({i.where})"
        for i in credits
    ]
    over = f"; {len(old)} over {params.over_days} days past due" if old else ""
    result = verdict(
        problems, f"{side} aging ties out{over}", "1 aging problem|{n} aging problems", details
    )
    result.data["over"] = [
        {"party": i.party, "invoice": i.invoice, "amount": str(i.amount), "days": i.days_past_due}
        for i in old
    ]
    if report.accounts:
        text = render(
            kind,
            report,
            "md",
            ctx.books.root,
            entity=ctx.books.settings.entity.name,
            generated=datetime.combine(ctx.today, time()),
        )
        result.writes[ctx.books.root / "reports" / str(ctx.period) / f"{kind}.md"] = text
        result.details.append(f"report: reports/{ctx.period}/{kind}.md")
    return result


@check("flux")
def flux(ctx: CloseContext, params: FluxParams) -> StepResult:
    """Income and expense accounts that moved more than bo.yaml's flux thresholds against
    last month, or against the budget, need a written explanation (`bo close P --explain
    ACCOUNT=TEXT`). An explanation holds for the figures it was written for: when they
    change afterwards, the line needs explaining again. The same month-over-month numbers
    as `bo report flux`."""
    from bo.reports.variance import flux as flux_report
    from bo.reports.variance import is_flagged

    settings = ctx.books.settings
    report = flux_report(ctx.entries, settings, ctx.period, {}, None, ctx.books.ledger.options)
    budgeted, budget_note = _budget_figures(ctx) if params.budget else ({}, "")
    current = {line.account: line for line in report.lines}
    explained = ctx.record.get("explanations") or {}
    problems, details, bound = [], [], {}
    for account in sorted(set(current) | set(budgeted)):
        line = current.get(account)
        now = line.current if line else ZERO
        reasons, figures = [], {"current": str(now)}
        if line is not None:
            figures["prior"] = str(line.prior)
            if line.flagged:
                percent = f", {line.percent}%" if line.percent is not None else ""
                reasons.append(
                    f"{line.prior:,} -> {line.current:,} ({line.change:+,}{percent}) "
                    f"against {report.prior_period}"
                )
        if account in budgeted:
            plan = budgeted[account]
            figures["budget"] = str(plan)
            if is_flagged(now - plan, plan, settings.thresholds):
                reasons.append(f"budget {plan:,}, actual {now:,} ({now - plan:+,})")
        if not reasons:
            continue
        text = f"{account}: {'; '.join(reasons)}"
        given = explained.get(account)
        if given is None:
            problems.append(f"{text}: needs an explanation")
        elif isinstance(given, str):
            # Written just now (or by hand): it explains these figures.
            bound[account] = {"text": given, "figures": figures}
            details.append(f"{text}: {given}")
        elif given.get("figures") == figures:
            details.append(f"{text}: {given['text']}")
        else:
            was = ", ".join(f"{k} {v}" for k, v in sorted((given.get("figures") or {}).items()))
            problems.append(
                f'{text}: explained for other figures ({was}): explain again ("{given["text"]}")'
            )
    result = verdict(
        problems,
        "every flagged change explained",
        "1 change needs an explanation|{n} changes need an explanation",
        details + ([budget_note] if budget_note else []),
    )
    result.data["explained"] = bound
    return result


def _budget_figures(ctx: CloseContext) -> tuple[dict[str, Decimal], str]:
    """The month's budget per account, when the year has a budget file."""
    from bo.reports.variance import budget

    if not (ctx.books.root / "budgets" / f"{ctx.period.year}.yaml").is_file():
        return {}, f"no budget for {ctx.period.year} (budgets/{ctx.period.year}.yaml)"
    options = ctx.books.ledger.options
    report = budget(ctx.entries, ctx.books.settings, ctx.period, ctx.books.root, options)
    return {line.account: line.budget for line in report.lines}, ""
