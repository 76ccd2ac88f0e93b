"""Review checks: the agings and the flux (month over month and against the budget)."""

from __future__ import annotations

from datetime import datetime, time

from bo.close.context import CloseContext, StepResult
from bo.close.params import (
    AgingParams,
    FluxParams,
)
from bo.close.registry import check, not_applicable, verdict


@check("aging-reviewed")
def aging_reviewed(ctx: CloseContext, params: AgingParams) -> StepResult:
    """The aging report is produced (reports/P/aging-ar.md or aging-ap.md), its open items
    tie to the account, and the items past due longer than `over_days` are listed."""
    from bo.reports.aging import aging
    from bo.reports.render import render

    side = params.side
    if not ctx.accounts(side):
        return not_applicable(f"no account with the role `{side}`: nothing to age")
    entries = ctx.touching(*ctx.accounts(side))  # all the aging reads of the ledger
    report = aging(entries, ctx.books.settings, side, ctx.period.end, ctx.books.root)
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
    """Income and expense accounts flagged by `bo report flux` (against last month, last
    year at a quarter's end, a first activity, outside the budget's band) need a written
    explanation (`bo close P --explain ACCOUNT=TEXT`). An explanation holds for the figures
    it was written for: when they change afterwards, the line needs explaining again."""
    from bo.reports.variance import flux as flux_report
    from bo.reports.variance import load_budget

    settings, options = ctx.books.settings, ctx.books.ledger.options
    plan = load_budget(ctx.books.root, settings, ctx.period, options) if params.budget else None
    explained = ctx.record.get("explanations") or {}
    report = flux_report(ctx.entries, settings, ctx.period, explained, plan, options)
    problems, details, bound = [], [], {}
    for line in report.attention:
        text = f"{line.account}: {'; '.join(report.why(line))}"
        given = explained.get(line.account)
        if not line.explanation:
            problems.append(f"{text}: needs an explanation")
        elif isinstance(given, str):
            # Written just now (or by hand): it explains these figures.
            bound[line.account] = {"text": given, "figures": line.figures}
            details.append(f"{text}: {given}")
        elif not line.stale:
            details.append(f"{text}: {line.explanation}")
        else:
            was = ", ".join(f"{k} {v}" for k, v in sorted((given.get("figures") or {}).items()))
            problems.append(
                f'{text}: explained for other figures ({was}): explain again ("{line.explanation}")'
            )
    if params.budget and plan is None:
        details.append(f"no budget for {ctx.period} in budgets/")
    result = verdict(
        problems,
        "every flagged change explained",
        "1 change needs an explanation|{n} changes need an explanation",
        details,
    )
    result.data["explained"] = bound
    return result
