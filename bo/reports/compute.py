"""Report numbers from beancount entries: pure functions returning frozen report contexts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from beancount.core import account_types, convert, data, display_context
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
    balanced: bool = False  # debits equal credits in every currency

    @property
    def problems(self) -> list[str]:
        """What a reader must look at: a currency whose debits and credits differ."""
        return [
            f"{currency}: debits {self.total_debit.get(currency, 0):,} and credits "
            f"{self.total_credit.get(currency, 0):,} differ"
            for currency in sorted(set(self.total_debit) | set(self.total_credit))
            if self.total_debit.get(currency) != self.total_credit.get(currency)
        ]


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
    rounders = {c: rounder(options_map, c) for _, c in balances}
    for (account, currency), number in sorted(balances.items()):
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
    )


def currency_places(options_map: dict | None, currency: str) -> int:
    """Decimal places the ledger writes `currency` with (its most common), else 2."""
    dcontext = (options_map or {}).get("dcontext")
    ccontext = dcontext.ccontexts.get(currency) if dcontext is not None else None
    if ccontext is not None:
        places = ccontext.get_fractional(display_context.Precision.MOST_COMMON)
        if places is not None:
            return places
    return 2


def rounder(options_map: dict | None, currency: str) -> Callable[[Decimal], Decimal]:
    """Round to the currency's precision, at the edge: sums are exact until a report shows
    them (a price of 1.1234 leaves four places on a converted amount)."""
    exponent = Decimal(1).scaleb(-currency_places(options_map, currency))

    def round_money(number: Decimal) -> Decimal:
        return number.quantize(exponent) + 0  # `+ 0` turns -0.00 into 0.00

    return round_money
