"""Report numbers from beancount entries: pure functions returning frozen report contexts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from beancount.core import account_types, convert, data
from beancount.parser import options

from bo.periods import Period, fiscal_year_start


@dataclass(frozen=True)
class TrialLine:
    account: str
    currency: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class TrialBalance:
    """Balances of every account at a period's end, with prior years' earnings closed out."""

    period: Period
    as_of: date
    fiscal_year_start: date
    lines: tuple[TrialLine, ...]
    total_debit: dict[str, Decimal]
    total_credit: dict[str, Decimal]
    earnings_account: str

    @property
    def balanced(self) -> bool:
        """Debits equal credits in every currency."""
        currencies = set(self.total_debit) | set(self.total_credit)
        return all(
            self.total_debit.get(c, Decimal(0)) == self.total_credit.get(c, Decimal(0))
            for c in currencies
        )


def build_trial_balance(
    entries: list[data.Directive],
    options_map: dict,
    period: Period,
    first_fiscal_month: int,
    earnings_account: str,
) -> TrialBalance:
    """The trial balance at the end of `period`.

    Income and expense accounts show the fiscal year to date; what they earned in earlier
    fiscal years is shown in `earnings_account` (retained earnings), as it would be after the
    year-end closing entries that beancount itself never posts.
    """
    types = options.get_account_types(options_map)
    year_start = fiscal_year_start(period.end, first_fiscal_month)
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date > period.end:
            continue
        for posting in entry.postings:
            # Weight, not units: what a posting contributes to the transaction's balance (a
            # position held at cost counts at its cost), so the trial balance balances.
            weight = convert.get_weight(posting)
            account = posting.account
            if entry.date < year_start and account_types.is_income_statement_account(
                account, types
            ):
                account = earnings_account
            balances[(account, weight.currency)] += weight.number

    lines = []
    total_debit: dict[str, Decimal] = defaultdict(Decimal)
    total_credit: dict[str, Decimal] = defaultdict(Decimal)
    for (account, currency), number in sorted(balances.items()):
        if number == 0:
            continue
        debit = number if number > 0 else Decimal(0)
        credit = -number if number < 0 else Decimal(0)
        lines.append(TrialLine(account, currency, debit, credit))
        total_debit[currency] += debit
        total_credit[currency] += credit
    return TrialBalance(
        period,
        period.end,
        year_start,
        tuple(lines),
        dict(total_debit),
        dict(total_credit),
        earnings_account,
    )
