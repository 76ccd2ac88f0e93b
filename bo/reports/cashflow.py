"""The cash-flow statement, indirect method: net income, then every other balance sheet
account's change, tying to the change in cash currency by currency.

Cash is the accounts whose role is bank or processor. In a book of several currencies each
currency ties on its own: what changed currency at a price shows as the conversions line,
and what beancount's tolerance let entries leave unbalanced as the rounding line, so the
statement never misses by a cent. The base-currency column states every currency at the
report's named rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo.periods import Period
from bo.reports.model import Line, Notes, Section, add, extra, per_account
from bo.reports.statements import (
    CASH_ROLES,
    CashPoint,
    cash_by_month,
    stating_for,
)
from bo.reports.sums import monthly_of, residues
from bo.settings import Settings

if TYPE_CHECKING:
    from beancount.core import data

ZERO = Decimal(0)


@dataclass(frozen=True)
class CashFlow(Notes):
    period: str
    start: date
    end: date
    currency: str
    net_income: Decimal
    operating: Section
    investing: Section
    financing: Section
    net_change: Decimal
    cash_start: Decimal
    cash_end: Decimal
    ties: bool
    cash_by_month: tuple[CashPoint, ...] = ()
    # Conversions between currencies, and rounding within tolerance: lines that are none of
    # operating, investing or financing, and without which a currency would not tie.
    adjustments: tuple[Line, ...] = extra()
    currencies: tuple[str, ...] = extra()
    net_income_by_currency: dict[str, Decimal] = extra(dict)
    net_change_by_currency: dict[str, Decimal] = extra(dict)
    cash_start_by_currency: dict[str, Decimal] = extra(dict)
    cash_end_by_currency: dict[str, Decimal] = extra(dict)
    untied: tuple[str, ...] = extra()  # each currency that does not tie, and by how much

    @property
    def problems(self) -> list[str]:
        found = list(self.untied)
        if not self.ties and not found:
            found.append(
                f"net change {self.net_change:,} differs from the change in cash "
                f"{self.cash_end - self.cash_start:,}"
            )
        return found + self._noted_problems()


def _kind(settings: Settings, account: str, is_equity: bool) -> str:
    conf = settings.accounts.get(account)
    role = conf.role if conf else None
    if conf and conf.cashflow:
        return conf.cashflow
    if role in ("fixed_asset", "investment"):
        return "investing"
    if role in ("loan", "owner_equity") or is_equity:
        return "financing"
    return "operating"  # working capital, and accumulated depreciation (non-cash)


def cash_flow(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None = None,
    options: dict | None = None,
) -> CashFlow:
    """Indirect method: net income, then every other balance sheet account's change."""
    monthly = monthly_of(entries, options)
    chart = monthly.chart
    cash = set(settings.accounts_with_role(*CASH_ROLES))
    moved_sums = monthly.between(period, period)
    before_sums = monthly.between(None, period.previous)
    after_sums = monthly.between(None, period)
    stating = stating_for(monthly, settings, options, period.end, moved_sums, after_sums)
    round_base = stating.rounder(stating.base)
    moved = per_account(stating.money(moved_sums))
    conversions = monthly.conversions_between(period, period)
    found = residues(monthly, entries, options, period, period, stating.currencies)

    net_income: dict[str, Decimal] = {}
    sections: dict[str, list[tuple[str, dict[str, Decimal]]]] = {
        "operating": [],
        "investing": [],
        "financing": [],
    }
    for account in sorted(moved, key=chart.sort_key):
        amounts = moved[account]
        if chart.is_pnl(account):
            add(net_income, amounts, -1)
            continue
        if account in cash or not any(amounts.values()):
            continue
        change = {c: -n for c, n in amounts.items() if n}  # its change, as cash it brought
        sections[_kind(settings, account, chart.is_equity(account))].append((account, change))

    # In beancount's signs each currency's postings add up to its residue less its
    # conversions; as cash, the conversions count against it and the residue for it.
    adjust: list[tuple[str, dict[str, Decimal]]] = []
    converted = {c: -n for c, n in conversions.items() if stating.commodities.is_money(c)}
    if any(converted.values()):
        adjust.append((chart.conversions, converted))
    rounding = {c: r.total for c, r in found.items() if r.within_tolerance}
    if rounding:
        adjust.append((chart.rounding, rounding))

    def line(account: str, amounts: dict[str, Decimal]) -> Line:
        return Line(
            account, round_base(stating.in_base(amounts)), by_currency=stating.shown(amounts)
        )

    def section(kind: str, title: str, extra_amounts: dict[str, Decimal] | None = None) -> Section:
        totals = dict(extra_amounts or {})
        for _, change in sections[kind]:
            add(totals, change)
        lines = tuple(line(account, change) for account, change in sections[kind])
        return Section(
            title, lines, round_base(stating.in_base(totals)), by_currency=stating.totals(totals)
        )

    operating = section("operating", "Operating activities", net_income)
    investing = section("investing", "Investing activities")
    financing = section("financing", "Financing activities")
    net_change = dict(net_income)
    for lines in (*sections.values(), adjust):
        for _, change in lines:
            add(net_change, change)

    def cash_in(sums: dict[str, dict[str, Decimal]]) -> dict[str, Decimal]:
        return {
            c: sum((n for a, n in accounts.items() if a in cash), ZERO)
            for c, accounts in stating.money(sums).items()
        }

    start, end = cash_in(before_sums), cash_in(after_sums)
    untied = []
    for currency in stating.currencies:
        change = end.get(currency, ZERO) - start.get(currency, ZERO)
        if change != net_change.get(currency, ZERO):
            shown = stating.rounder(currency)
            untied.append(
                f"{currency}: net change {shown(net_change.get(currency, ZERO)):,} differs "
                f"from the change in cash {shown(change):,}"
            )
    untied += [r.problem() for r in found.values() if not r.within_tolerance]
    notes = [r.note(stating.rounder(c)) for c, r in sorted(found.items()) if r.within_tolerance]
    cash_start = round_base(stating.in_base(start))
    cash_end = round_base(stating.in_base(end))
    return CashFlow(
        str(period),
        period.start,
        period.end,
        stating.base,
        round_base(stating.in_base(net_income)),
        operating,
        investing,
        financing,
        round_base(stating.in_base(net_change)),
        cash_start,
        cash_end,
        not untied,
        cash_by_month(monthly, settings, period, stating),
        notes=(*stating.notes(), *notes, *monthly.edge_notes(period.start, period.end)),
        adjustments=tuple(line(account, amounts) for account, amounts in adjust),
        currencies=stating.currencies if stating.multi else (),
        net_income_by_currency=stating.totals(net_income),
        net_change_by_currency=stating.totals(net_change),
        cash_start_by_currency=stating.totals(start),
        cash_end_by_currency=stating.totals(end),
        untied=tuple(untied),
    )
