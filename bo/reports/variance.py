"""Budget against actual, and flux (change against the prior period and the prior year).

Both compare an account's activity in a month with another figure and flag the lines a
reader must look at: outside the budget's tolerance band, or above the flux thresholds of
bo.yaml. The close's `flux` step uses `flux` here, so the report and the step agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from bo.errors import BadInputError, Finding, SettingsError
from bo.periods import Period
from bo.reports.statements import sums
from bo.settings import Settings, Thresholds
from bo.yamlfile import parse_yaml

ZERO = Decimal(0)


def activity(
    entries: Sequence[data.Directive], currency: str, period: Period
) -> dict[str, Decimal]:
    """Income and expense activity in the period, both as positive numbers when normal."""
    moved = sums(entries, currency, period.start, period.end)
    return {
        account: (-value if account.startswith("Income:") else value)
        for account, value in moved.items()
        if account.startswith(("Income:", "Expenses:"))
    }


@dataclass(frozen=True)
class FluxLine:
    account: str
    current: Decimal
    prior: Decimal
    change: Decimal
    percent: Decimal | None
    year_ago: Decimal
    year_change: Decimal
    flagged: bool
    explanation: str = ""


@dataclass(frozen=True)
class Flux:
    period: str
    prior_period: str
    year_ago_period: str
    currency: str
    threshold: str
    lines: tuple[FluxLine, ...]

    @property
    def flagged(self) -> list[FluxLine]:
        return [line for line in self.lines if line.flagged]


def is_flagged(change: Decimal, base: Decimal, thresholds: Thresholds) -> bool:
    percent = abs(change) / abs(base) * 100 if base else Decimal(100)
    big_pct = percent >= thresholds.flux_pct
    floor = thresholds.flux_amount.number if thresholds.flux_amount else ZERO
    big_amount = abs(change) >= floor
    return (big_pct and big_amount) if thresholds.flux_combine == "and" else (big_pct or big_amount)


def flux(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    explanations: dict[str, str] | None = None,
) -> Flux:
    currency = settings.entity.currency
    thresholds = settings.thresholds
    prior, year_ago = period.previous, Period(period.year - 1, period.month)
    now = activity(entries, currency, period)
    before = activity(entries, currency, prior)
    last_year = activity(entries, currency, year_ago)
    lines = []
    for account in sorted(set(now) | set(before) | set(last_year)):
        current, then = now.get(account, ZERO), before.get(account, ZERO)
        year = last_year.get(account, ZERO)
        if not (current or then or year):
            continue
        change = current - then
        percent = (change / abs(then) * 100).quantize(Decimal("0.1")) if then else None
        lines.append(
            FluxLine(
                account,
                current,
                then,
                change,
                percent,
                year,
                current - year,
                is_flagged(change, then, thresholds),
                (explanations or {}).get(account, ""),
            )
        )
    floor = thresholds.flux_amount.number if thresholds.flux_amount else ZERO
    rule = f"{thresholds.flux_pct}% {thresholds.flux_combine} {floor:,} {currency}"
    return Flux(str(period), str(prior), str(year_ago), currency, rule, tuple(lines))


@dataclass(frozen=True)
class BudgetLine:
    account: str
    budget: Decimal
    actual: Decimal
    variance: Decimal
    band: Decimal
    out_of_band: bool


@dataclass(frozen=True)
class Budget:
    period: str
    currency: str
    file: str
    lines: tuple[BudgetLine, ...]

    @property
    def out_of_band(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.out_of_band]


def _money(value: Any, where: str) -> Decimal:
    text = str(value).split()[0] if value is not None else ""
    try:
        return Decimal(text)
    except ArithmeticError:
        raise BadInputError(f"{where}: `{value}` is not an amount like 4200.00 USD") from None


def _band(conf: dict[str, Any], budget: Decimal, where: str) -> Decimal:
    """The allowed difference: the larger of the percentage and the amount given."""
    pct = Decimal(str(conf.get("pct", 0)))
    amount = _money(conf.get("amount", 0), where)
    return max(abs(budget) * pct / 100, amount)


def budget(
    entries: Sequence[data.Directive], settings: Settings, period: Period, root: Path
) -> Budget:
    path = root / "budgets" / f"{period.year}.yaml"
    if not path.is_file():
        raise BadInputError(f"no budget for {period.year}: budgets/{period.year}.yaml")
    loaded, lines_of = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(loaded, dict) or not isinstance(loaded.get("accounts"), dict):
        raise SettingsError([Finding(None, f"{path}: expected `accounts:` with a map")])
    default = loaded.get("tolerance") or {}
    actual = activity(entries, settings.entity.currency, period)
    lines = []
    for account, conf in sorted(loaded["accounts"].items()):
        where = f"{path}:{lines_of.get(('accounts', account), '?')}"
        conf = conf or {}
        if "months" in conf:
            figure = _money(conf["months"][period.month - 1], where)
        else:
            figure = _money(conf.get("monthly"), where)
        spent = actual.get(account, ZERO)
        band = _band(conf.get("tolerance") or default, figure, where)
        variance = spent - figure
        lines.append(BudgetLine(account, figure, spent, variance, band, abs(variance) > band))
    return Budget(str(period), settings.entity.currency, f"budgets/{path.name}", tuple(lines))
