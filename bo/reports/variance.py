"""Budget against actual, and flux (change against the prior period and the prior year).

Both compare an account's activity in a month with another figure and flag the lines a
reader must look at: outside the budget's tolerance band, or above the flux thresholds of
bo.yaml. The close's `flux` step and `bo report flux` are this one `flux` computation: the
same lines flagged for the same reasons, with the same explanations.

Flux follows close practice: month over month in every period, year over year at the
fiscal quarter's end (when the books reach back that far), an account's first activity when
it passes the thresholds, each against bo.yaml's amount and percentage combined with AND or
OR, which an account may override (`thresholds.flux_accounts`); and, given a budget, a month
outside the budget's tolerance band (the band `bo report budget` shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator, model_validator

from bo.chart import Chart
from bo.commodities import Rate
from bo.errors import BadInputError, Finding, SettingsError, Source
from bo.periods import Period, fiscal_year_start
from bo.reports import BUDGETS_DIR
from bo.reports.model import Notes, Stating, extra, per_account
from bo.reports.statements import pnl_only, stating_for
from bo.reports.sums import ByCurrency, monthly_of
from bo.settings import ACCOUNT_RE, Money, Settings, Strict, Thresholds
from bo.yamlfile import parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from beancount.core import data


ZERO = Decimal(0)


def activity(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    options: dict | None = None,
) -> tuple[dict[str, Decimal], Stating]:
    """Income and expense activity in the period, both as positive numbers when normal, in
    the base currency at the period end's rates; and how it was stated."""
    monthly = monthly_of(entries, options)
    moved = monthly.between(period, period)
    stating = stating_for(monthly, settings, options, period.end, pnl_only(monthly.chart, moved))
    return _normal(moved, stating, monthly.chart), stating


def _normal(moved: ByCurrency, stating: Stating, chart: Chart) -> dict[str, Decimal]:
    """Per income and expense account, its activity in the base currency, income positive."""
    return {
        account: -value if chart.is_income(account) else value
        for account, amounts in per_account(stating.money(pnl_only(chart, moved))).items()
        if (value := stating.in_base(amounts)) or any(amounts.values())
    }


# -- budget files ---------------------------------------------------------------------------


class Tolerance(Strict):
    """How far actual may be from budget: the larger of a percentage and an amount."""

    pct: Decimal | None = Field(None, ge=0, description="percent of the budget figure")
    amount: Money | None = None

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"expected `{{pct: 10, amount: 250.00 USD}}`, got `{value}`")
        return value


class BudgetAccount(Strict):
    """One account's figure: the same every month, or twelve months from the fiscal
    year's first."""

    monthly: Money | None = None
    months: list[Money] | None = Field(None, min_length=12, max_length=12)
    tolerance: Tolerance | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):  # `Expenses:Rent: 4200.00 USD`
            return {"monthly": value}
        if not isinstance(value, dict):
            raise ValueError(f"expected `{{monthly: 4200.00 USD}}`, got `{value}`")
        return value

    @model_validator(mode="after")
    def _one_figure(self) -> BudgetAccount:
        if (self.monthly is None) == (self.months is None):
            raise ValueError("give `monthly:` or a list of twelve `months:`, not both")
        return self


class BudgetFile(Strict):
    """A file in budgets/: a fiscal year's figure per income and expense account."""

    year: int | None = Field(None, ge=1900, le=2199, description="the fiscal year it budgets")
    tolerance: Tolerance | None = None
    accounts: dict[str, BudgetAccount]

    @field_validator("accounts")
    @classmethod
    def _accounts(cls, value: dict[str, BudgetAccount]) -> dict[str, BudgetAccount]:
        for name in value:
            if not ACCOUNT_RE.match(name):
                raise ValueError(f"`{name}` is not a beancount account name")
        return value


@dataclass(frozen=True)
class BudgetPlan:
    """A validated budget file, found for one fiscal year."""

    year: int
    file: str  # relative to the books, for the report
    model: BudgetFile

    def figure(self, account: str, index: int) -> Decimal | None:
        """The account's budget for the fiscal year's `index`-th month (0-based)."""
        conf = self.model.accounts.get(account)
        if conf is None:
            return None
        return (conf.months[index] if conf.months else conf.monthly).number

    def band(self, account: str, figure: Decimal) -> Decimal:
        """How far from `figure` the account's actual may be: its tolerance, else the file's."""
        conf = self.model.accounts.get(account)
        return _band((conf.tolerance if conf else None) or self.model.tolerance, figure)


def _fiscal_year(period: Period, settings: Settings) -> tuple[int, int]:
    """The fiscal year's label (the calendar year it starts in) and the period's month in it."""
    start = fiscal_year_start(period.end, settings.entity.fiscal_year_start)
    return start.year, (period.year - start.year) * 12 + period.month - start.month


def _read_budget(path: Path, shown: str, currency: str, chart: Chart) -> BudgetFile:
    loaded, lines = parse_yaml(read_text(path, shown), shown)
    model = validate_data(BudgetFile, loaded, lines, shown)
    problems = []
    stem = path.stem
    if model.year is None and not (stem.isdigit() and len(stem) == 4):
        problems.append(Finding(Source(shown, 1), "`year` is required (like `year: 2025`)"))
    elif model.year is not None and stem.isdigit() and int(stem) != model.year:
        problems.append(
            Finding(
                Source(shown, lines.get(("year",))),
                f"`year: {model.year}` in a file named {path.name}: rename one to match",
            )
        )

    def money_at(value: Money | None, *where: Any) -> None:
        if value is not None and value.currency != currency:
            problems.append(
                Finding(
                    Source(shown, lines.get(where) or lines.get(where[:-1])),
                    f"`{value}`: the books report in {currency}",
                )
            )

    if model.tolerance:
        money_at(model.tolerance.amount, "tolerance", "amount")
    for account, conf in model.accounts.items():
        if not chart.is_pnl(account):
            problems.append(
                Finding(
                    Source(shown, lines.get(("accounts", account))),
                    f"`{account}` is not an income or expense account "
                    f"({chart.types.income} or {chart.types.expenses})",
                )
            )
        money_at(conf.monthly, "accounts", account, "monthly")
        for i, month in enumerate(conf.months or ()):
            money_at(month, "accounts", account, "months", i)
        if conf.tolerance:
            money_at(conf.tolerance.amount, "accounts", account, "tolerance", "amount")
    if problems:
        raise SettingsError(problems)
    return model


def load_budget(
    root: Path, settings: Settings, period: Period, options: dict | None = None
) -> BudgetPlan | None:
    """The budget in budgets/*.yaml for the period's fiscal year; None when there is none.

    Every file is validated (a mistake in next year's budget is found today), and two
    files for one year are refused.
    """
    year, _ = _fiscal_year(period, settings)
    found: list[BudgetPlan] = []
    for path in sorted((root / BUDGETS_DIR).glob("*.yaml")):
        shown = f"budgets/{path.name}"
        model = _read_budget(path, shown, settings.entity.currency, Chart.of(options))
        if (model.year if model.year is not None else int(path.stem)) == year:
            found.append(BudgetPlan(year, shown, model))
    if len(found) > 1:
        raise BadInputError(
            f"two budgets for {year}: {', '.join(p.file for p in found)}; keep one",
            Source(found[1].file),
        )
    return found[0] if found else None


# -- flux -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FluxLine:
    account: str
    current: Decimal
    prior: Decimal
    change: Decimal
    percent: Decimal | None
    year_ago: Decimal
    year_change: Decimal
    # Month over month above the thresholds; `reasons` has every reason a line is flagged
    # (what the close's flux step asks to explain).
    flagged: bool
    explanation: str = ""  # the close's (closes/P.yaml `explanations`)
    year_percent: Decimal | None = None
    # Why it is flagged: "month" (against the prior period), "year" (against the prior
    # year, at a quarter's end), "first activity", "budget" (outside the budget's band).
    reasons: tuple[str, ...] = ()
    budget: Decimal | None = None  # the month's budget, when budgets/ has one
    budget_variance: Decimal | None = None  # current less budget
    # The explanation was given for other figures (the books changed since): explain again.
    stale: bool = False

    @property
    def figures(self) -> dict[str, str]:
        """The figures an explanation is given for; when one changes it must be given again."""
        shown = {"current": str(self.current), "prior": str(self.prior)}
        if self.budget is not None:
            shown["budget"] = str(self.budget)
        return shown


@dataclass(frozen=True)
class Flux(Notes):
    period: str
    prior_period: str
    year_ago_period: str
    currency: str
    threshold: str
    lines: tuple[FluxLine, ...]
    year_over_year: bool = False  # whether the prior-year change is flagged this period
    budget_file: str | None = None
    rates: tuple[Rate, ...] = extra()  # other currencies at the period end's rates

    @property
    def flagged(self) -> list[FluxLine]:
        """Lines above the month-over-month thresholds."""
        return [line for line in self.lines if line.flagged]

    @property
    def attention(self) -> list[FluxLine]:
        """Lines flagged for any reason: month, year, first activity, budget."""
        return [line for line in self.lines if line.reasons]

    @property
    def unexplained(self) -> list[FluxLine]:
        """Flagged lines with no explanation, or one given for other figures."""
        return [line for line in self.attention if not line.explanation or line.stale]

    @property
    def problems(self) -> list[str]:
        return [
            f"{line.account}: flagged ({', '.join(line.reasons)})"
            + ("; explained for other figures" if line.explanation else "")
            for line in self.unexplained
        ] + self._noted_problems()

    def why(self, line: FluxLine) -> list[str]:
        """Each reason `line` is flagged, with its figures, as the close lists them."""
        said = []
        for reason in line.reasons:
            if reason == "month":
                percent = f", {line.percent}%" if line.percent is not None else ""
                said.append(
                    f"{line.prior:,} -> {line.current:,} ({line.change:+,}{percent}) "
                    f"against {self.prior_period}"
                )
            elif reason == "year":
                percent = f", {line.year_percent}%" if line.year_percent is not None else ""
                said.append(
                    f"{line.year_ago:,} -> {line.current:,} ({line.year_change:+,}{percent}) "
                    f"against {self.year_ago_period}"
                )
            elif reason == "budget" and line.budget is not None:
                variance = line.budget_variance or ZERO
                said.append(f"budget {line.budget:,}, actual {line.current:,} ({variance:+,})")
            else:
                said.append(reason)
        return said


def _thresholds_for(account: str, thresholds: Thresholds) -> tuple[Decimal, Decimal, str]:
    """(percent, amount, and|or) for `account`: its override in bo.yaml, else the default."""
    override = thresholds.flux_accounts.get(account)
    pct, amount, combine = thresholds.flux_pct, thresholds.flux_amount, thresholds.flux_combine
    if override is not None:
        pct = override.pct if override.pct is not None else pct
        amount = override.amount if override.amount is not None else amount
        combine = override.combine or combine
    return pct, (amount.number if amount else ZERO), combine


def is_flagged(
    change: Decimal, base: Decimal, thresholds: Thresholds, account: str | None = None
) -> bool:
    """Whether a change from `base` passes the flux thresholds (of `account`, if it has its
    own); a change from nothing counts as 100%."""
    pct, floor, combine = _thresholds_for(account or "", thresholds)
    percent = abs(change) / abs(base) * 100 if base else Decimal(100)
    big_pct = percent >= pct
    big_amount = abs(change) >= floor
    return (big_pct and big_amount) if combine == "and" else (big_pct or big_amount)


def _percent(change: Decimal, base: Decimal) -> Decimal | None:
    return (change / abs(base) * 100).quantize(Decimal("0.1")) if base else None


def flux(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    explanations: dict[str, Any] | None = None,
    plan: BudgetPlan | None = None,
    options: dict | None = None,
) -> Flux:
    """Each income and expense account's month against the prior month and the prior year,
    with the budget's figure when `plan` is given.

    `explanations` are the close record's: a text (just given: it explains these figures)
    or `{text, figures}` (given for those figures: stale when they are not these)."""
    thresholds = settings.thresholds
    prior, year_ago = period.previous, Period(period.year - 1, period.month)
    monthly = monthly_of(entries, options)
    chart = monthly.chart
    sums = [monthly.between(p, p) for p in (period, prior, year_ago)]
    # Every month at the period end's rates: a change in a rate is no change in activity.
    stating = stating_for(
        monthly, settings, options, period.end, *(pnl_only(chart, s) for s in sums)
    )
    currency = stating.base
    round_money = stating.rounder(currency)
    now, before, last_year = (_normal(s, stating, chart) for s in sums)
    earlier = {
        account
        for month, by_currency in monthly.months.items()
        if month < (period.year, period.month)
        for accounts in by_currency.values()
        for account, number in accounts.items()
        if number
    }
    # Year over year only once the books reach back a year: a month before their first
    # income or expense would make every account look new.
    first = min(
        (
            m
            for m, by_currency in monthly.months.items()
            if any(chart.is_pnl(a) for accounts in by_currency.values() for a in accounts)
        ),
        default=None,
    )
    _, index = _fiscal_year(period, settings)
    year_over_year = (
        index % 3 == 2 and first is not None and first <= (year_ago.year, year_ago.month)
    )
    lines = []
    budgeted = set(plan.model.accounts) if plan else set()
    accounts = set(now) | set(before) | set(last_year) | budgeted
    for account in sorted(accounts, key=chart.sort_key):
        current, then = now.get(account, ZERO), before.get(account, ZERO)
        year = last_year.get(account, ZERO)
        figure = plan.figure(account, index) if plan else None
        if not (current or then or year or figure):
            continue
        change = current - then
        reasons = []
        if is_flagged(change, then, thresholds, account):
            reasons.append("month")
        if year_over_year and is_flagged(current - year, year, thresholds, account):
            reasons.append("year")
        # New activity is flagged as any change is: above the thresholds, not a 12.00 fee.
        if current and account not in earlier and is_flagged(current, ZERO, thresholds, account):
            reasons.append("first activity")
        if figure is not None and abs(current - figure) > plan.band(account, figure):
            reasons.append("budget")
        line = FluxLine(
            account,
            round_money(current),
            round_money(then),
            round_money(change),
            _percent(change, then),
            round_money(year),
            round_money(current - year),
            "month" in reasons,
            "",
            _percent(current - year, year),
            tuple(reasons),
            round_money(figure) if figure is not None else None,
            round_money(current - figure) if figure is not None else None,
        )
        lines.append(_explained(line, (explanations or {}).get(account)))
    floor = thresholds.flux_amount.number if thresholds.flux_amount else ZERO
    rule = f"{thresholds.flux_pct}% {thresholds.flux_combine} {round_money(floor):,} {currency}"
    return Flux(
        str(period),
        str(prior),
        str(year_ago),
        currency,
        rule,
        tuple(lines),
        year_over_year,
        plan.file if plan else None,
        notes=(*stating.notes(), *monthly.edge_notes(period.start, period.end)),
        rates=tuple(stating.conversion.rates.values()) if stating.multi else (),
    )


def _explained(line: FluxLine, given: Any) -> FluxLine:
    """`line` with the close's explanation of it: a text just given explains these figures;
    one recorded with other figures is stale."""
    if not given:
        return line
    if isinstance(given, str):
        return replace(line, explanation=given)
    text = str(given.get("text") or "")
    return replace(line, explanation=text, stale=given.get("figures") != line.figures)


# -- budget against actual ------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    account: str
    budget: Decimal
    actual: Decimal
    variance: Decimal
    band: Decimal
    out_of_band: bool
    favourable: bool = True  # income above budget, or expense below it


@dataclass(frozen=True)
class Budget(Notes):
    period: str
    currency: str
    file: str
    lines: tuple[BudgetLine, ...]
    rates: tuple[Rate, ...] = extra()  # other currencies at the period end's rates

    @property
    def out_of_band(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.out_of_band]

    @property
    def problems(self) -> list[str]:
        return [
            f"{line.account}: {line.variance:,} against a band of {line.band:,}"
            for line in self.out_of_band
        ] + self._noted_problems()


def _band(tolerance: Tolerance | None, figure: Decimal) -> Decimal:
    """The allowed difference: the larger of the percentage and the amount given."""
    if tolerance is None:
        return ZERO
    pct = tolerance.pct or ZERO
    amount = tolerance.amount.number if tolerance.amount else ZERO
    return max(abs(figure) * pct / 100, amount)


def budget_report(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    plan: BudgetPlan,
    options: dict | None = None,
) -> Budget:
    """Actual against the plan's figure for the period, per budgeted account."""
    actual, stating = activity(entries, settings, period, options)
    round_money = stating.rounder(stating.base)
    chart = Chart.of(options)
    _, index = _fiscal_year(period, settings)
    lines = []
    for account in sorted(plan.model.accounts, key=chart.sort_key):
        figure = plan.figure(account, index) or ZERO
        spent = actual.get(account, ZERO)
        band = plan.band(account, figure)
        variance = spent - figure
        favourable = variance >= 0 if chart.is_income(account) else variance <= 0
        lines.append(
            BudgetLine(
                account,
                round_money(figure),
                round_money(spent),
                round_money(variance),
                round_money(band),
                abs(variance) > band,
                favourable,
            )
        )
    return Budget(
        str(period),
        stating.base,
        plan.file,
        tuple(lines),
        notes=tuple(stating.notes()),
        rates=tuple(stating.conversion.rates.values()) if stating.multi else (),
    )


def budget(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    root: Path,
    options: dict | None = None,
) -> Budget:
    """Budget against actual for the period, from the budget in `root/budgets/`."""
    plan = load_budget(root, settings, period, options)
    if plan is None:
        year, _ = _fiscal_year(period, settings)
        raise BadInputError(
            f"no budget for {year}: no file in budgets/ with `year: {year}`",
            Source(str(root / "budgets")),
        )
    return budget_report(entries, settings, period, plan, options)
