"""Report numbers from beancount entries: pure functions returning frozen report contexts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bo.chart import ROUNDING
from bo.periods import Period, fiscal_year_start
from bo.reports.model import Notes, extra, rounder
from bo.reports.sums import monthly_of, residues

if TYPE_CHECKING:
    from beancount.core import data


@dataclass(frozen=True)
class TrialLine:
    account: str
    currency: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class TrialBalance(Notes):
    """Balances of every account at a period's end, with prior years' earnings closed out."""

    period: Period
    as_of: date
    fiscal_year_start: date
    lines: tuple[TrialLine, ...]
    total_debit: dict[str, Decimal]
    total_credit: dict[str, Decimal]
    earnings_account: str
    balanced: bool = False  # debits equal credits in every currency
    beyond_tolerance: tuple[str, ...] = extra()  # entries that do not balance

    @property
    def problems(self) -> list[str]:
        """What a reader must look at: a currency whose debits and credits differ."""
        found = [
            f"{currency}: debits {self.total_debit.get(currency, 0):,} and credits "
            f"{self.total_credit.get(currency, 0):,} differ"
            for currency in sorted(set(self.total_debit) | set(self.total_credit))
            if self.total_debit.get(currency) != self.total_credit.get(currency)
        ]
        return found + list(self.beyond_tolerance) + self._noted_problems()

    @property
    def rounding(self) -> dict[str, Decimal]:
        """Per currency, the rounding line's amount (debit positive), when there is one."""
        return {
            line.currency: line.debit - line.credit
            for line in self.lines
            if line.account.endswith(f":{ROUNDING}")
        }


def build_trial_balance(
    entries: list[data.Directive],
    options_map: dict,
    period: Period,
    first_fiscal_month: int,
    earnings_account: str,
) -> TrialBalance:
    """The trial balance at the end of `period`, in every currency the ledger counts in.

    Income and expense accounts show the fiscal year to date; what they earned in earlier
    fiscal years is shown in `earnings_account` (retained earnings), as it would be after the
    year-end closing entries that beancount itself never posts. Income and expenses count at
    their weight, balance sheet accounts at what they hold (at cost for holdings); where
    money changed currency at a price the difference is the conversions line, and what
    beancount's tolerance left unbalanced the rounding line, so each currency balances.
    """
    monthly = monthly_of(entries, options_map)
    chart = monthly.chart
    year_start = fiscal_year_start(period.end, first_fiscal_month)
    before = Period.containing(year_start - timedelta(days=1))
    totals = monthly.between(None, period)
    earlier = monthly.between(None, before)
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for currency, accounts in totals.items():
        for account, number in accounts.items():
            if chart.is_pnl(account):
                prior = earlier.get(currency, {}).get(account, Decimal(0))
                balances[(earnings_account, currency)] += prior
                number -= prior
            balances[(account, currency)] += number
    for currency, number in monthly.conversions_between(None, period).items():
        balances[(chart.conversions, currency)] += number
    found = residues(monthly, entries, options_map, None, period, totals)
    beyond = [r.problem() for r in found.values() if not r.within_tolerance]
    notes = monthly.edge_notes(None, period.end)
    if not beyond:
        for currency, residue in sorted(found.items()):
            balances[(chart.rounding, currency)] -= residue.total
            notes.append(residue.note(rounder(options_map, currency)))

    lines = []
    total_debit: dict[str, Decimal] = defaultdict(Decimal)
    total_credit: dict[str, Decimal] = defaultdict(Decimal)
    rounders = {c: rounder(options_map, c) for _, c in balances}
    for (account, currency), number in sorted(
        balances.items(), key=lambda item: (chart.sort_key(item[0][0]), item[0][1])
    ):
        if number == 0:
            continue
        debit = number if number > 0 else Decimal(0)
        credit = -number if number < 0 else Decimal(0)
        round_money = rounders[currency]
        lines.append(TrialLine(account, currency, round_money(debit), round_money(credit)))
        total_debit[currency] += debit
        total_credit[currency] += credit
    # Totals are the rounded exact sums, so rounding each line cannot unbalance them.
    debits = {c: rounders[c](v) for c, v in total_debit.items()}
    credits = {c: rounders[c](v) for c, v in total_credit.items()}
    return TrialBalance(
        period,
        period.end,
        year_start,
        tuple(lines),
        debits,
        credits,
        earnings_account,
        all(debits.get(c) == credits.get(c) for c in set(debits) | set(credits)),
        notes=tuple(notes),
        beyond_tolerance=tuple(beyond),
    )
