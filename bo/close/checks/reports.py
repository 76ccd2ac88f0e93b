"""The close's report step: the period's reports rendered into reports/P/."""

from __future__ import annotations

from datetime import datetime, time

from bo.close.context import CloseContext, StepResult
from bo.close.params import (
    ReportsParams,
)
from bo.close.registry import action


@action("render-reports")
def render_reports(ctx: CloseContext, params: ReportsParams) -> StepResult:
    """The period's reports for the reviewer, into reports/P/ (as `bo report KIND` renders
    them); failed when one finds something wrong (a trial balance that does not balance)."""
    from bo.reports.build import build
    from bo.reports.render import render

    result = StepResult("passed", "")
    wrong = []
    folder = ctx.books.root / "reports" / str(ctx.period)
    for kind in params.kinds:
        # The flux with the explanations of this close, as its flux step left them.
        explained = ctx.record.get("explanations") or {}
        built = build(kind, ctx.books, ctx.period, None, explanations=explained)
        report = built.report
        text = render(
            kind,
            report,
            params.format,
            ctx.books.root,
            entity=ctx.books.settings.entity.name,
            generated=datetime.combine(ctx.today, time()),
            rows=built.rows,
            columns=built.columns,
        )
        path = folder / f"{kind}.{params.format}"
        result.writes[path] = text
        result.details.append(f"reports/{ctx.period}/{path.name}")
        if not all(getattr(report, attr, True) for attr in ("balanced", "ties")):
            wrong.append(kind)
    names = ", ".join(params.kinds)
    if wrong:
        result.status, result.summary = "failed", f"{', '.join(wrong)}: does not balance or tie"
    else:
        result.summary = f"{names} for {ctx.period} produced"
    return result
