"""Per month, currency and account: what each posting counts for in the statements.

One pass over a ledger's transactions gives every column of every statement. What a posting
counts for is the reader's measure of its account, in the currency it is in:

- an income or expense account counts the posting's *weight*, what beancount balances the
  entry with: `100 EUR @ 1.10 USD` is 110.00 USD of travel, at the rate of its day;
- a balance sheet account counts what it *holds*: 100 EUR are 100 EUR in a euro account,
  and 10 ITOT {100 USD} are 1,000.00 USD at cost.

Where the two differ (money changed currency at a price), the difference is kept per
currency as the *conversions*; and what beancount's tolerance lets an entry leave
unbalanced is the *residue*. With both, every currency's statements balance on their own:
for each currency, the measures of all accounts plus the conversions equal the residue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from bo.chart import Chart
from bo.commodities import Commodities, classify
from bo.errors import Source
from bo.periods import Period
from bo.settings import Settings

if TYPE_CHECKING:
    from beancount.core import data

ZERO = Decimal(0)
Month = tuple[int, int]
# Per currency, per account: a sum.
ByCurrency = dict[str, dict[str, Decimal]]
HoldingKey = tuple[str, str, str]  # account, commodity, cost currency


def month_of(period: Period) -> Month:
    return (period.year, period.month)


class Monthly:
    """The sums of one ledger, per month, currency and account, from one pass."""

    def __init__(self, entries: Sequence[data.Directive], options_map: dict | None) -> None:
        from beancount.core import data

        self.chart = chart = Chart.of(options_map)
        self.months: dict[Month, ByCurrency] = {}
        self.conversions: dict[Month, dict[str, Decimal]] = {}
        self.holdings: dict[Month, dict[HoldingKey, list[Decimal]]] = {}
        self.first_date: date | None = None
        self.last_date: date | None = None
        self._price_entries: list[data.Price] = []
        pnl: dict[str, bool] = {}
        key: Month | None = None
        month: ByCurrency = {}
        for entry in entries:
            kind = type(entry)
            if kind is not data.Transaction:
                if kind is data.Price:
                    self._price_entries.append(entry)
                continue
            day = entry.date
            if self.first_date is None:
                self.first_date = day
            self.last_date = day
            if key != (day.year, day.month):
                key = (day.year, day.month)
                month = self.months.setdefault(key, {})
            for posting in entry.postings:
                units = posting.units
                if units is None:
                    continue
                account = posting.account
                if posting.cost is None and posting.price is None:
                    currency, number = units.currency, units.number
                else:
                    is_pnl = pnl.get(account)
                    if is_pnl is None:
                        is_pnl = pnl[account] = chart.is_pnl(account)
                    currency, number = self._priced(key, posting, is_pnl)
                by_account = month.get(currency)
                if by_account is None:
                    by_account = month[currency] = defaultdict(Decimal)
                by_account[account] += number
        # Read-only from here (`monthly_of` shares one among reports): no defaultdict left
        # to grow a zero line when a report looks up an account a month did not move.
        self.months = {
            key: {currency: dict(accounts) for currency, accounts in by_currency.items()}
            for key, by_currency in self.months.items()
        }

    def edge_notes(self, start: date | None, end: date) -> list[str]:
        """A period before the ledger's first entry or after its last says so."""
        if self.first_date is None or self.last_date is None:
            return ["The ledger has no entries yet."]
        if end < self.first_date:
            return [f"The period ends before the ledger's first entry ({self.first_date})."]
        if start is not None and start > self.last_date:
            return [f"The period starts after the ledger's last entry ({self.last_date})."]
        return []

    def _priced(self, key: Month, posting: data.Posting, is_pnl: bool) -> tuple[str, Decimal]:
        """A posting with a cost or a price: its measure, and its conversion if any."""
        from beancount.core import convert

        weight = convert.get_weight(posting)
        if is_pnl:
            return weight.currency, weight.number
        held = convert.get_cost(posting)
        cost = posting.cost
        if cost is not None:
            holdings = self.holdings.setdefault(key, {})
            lot = holdings.setdefault(
                (posting.account, posting.units.currency, cost.currency), [ZERO, ZERO]
            )
            lot[0] += posting.units.number
            lot[1] += held.number
        if held.currency != weight.currency or held.number != weight.number:
            conversions = self.conversions.setdefault(key, defaultdict(Decimal))
            conversions[weight.currency] += weight.number
            conversions[held.currency] -= held.number
        return held.currency, held.number

    # -- questions ----------------------------------------------------------------------------

    @cached_property
    def price_map(self) -> Any:
        """beancount's price map of the ledger's prices."""
        from beancount.core import prices

        return prices.build_price_map(self._price_entries)

    @cached_property
    def currencies(self) -> frozenset[str]:
        """Every currency or commodity some transaction counts in."""
        return frozenset(c for by_currency in self.months.values() for c in by_currency)

    @cached_property
    def held(self) -> dict[str, set[str]]:
        """The commodities each account has held (at cost: the cost currency)."""
        found: dict[str, set[str]] = defaultdict(set)
        for by_currency in self.months.values():
            for currency, accounts in by_currency.items():
                for account in accounts:
                    found[account].add(currency)
        return found

    def commodities(self, settings: Settings, options_map: dict | None) -> Commodities:
        """Which of the ledger's commodities are money (bo.yaml `commodities`, then the
        ledger's prices, options, costs and bank accounts)."""
        costs = {cost for holdings in self.holdings.values() for _, _, cost in holdings}
        return classify(
            self.currencies,
            settings,
            options_map,
            self.price_map,
            cost_currencies=costs,
            held=self.held,
        )

    def _within(self, first: Period | None, last: Period) -> Iterable[Month]:
        low = month_of(first) if first is not None else (0, 0)
        high = month_of(last)
        return (month for month in self.months if low <= month <= high)

    def between(self, first: Period | None, last: Period) -> ByCurrency:
        """Per currency and account, the sum over the months from `first` (or the
        beginning) to `last`."""
        totals: ByCurrency = defaultdict(lambda: defaultdict(Decimal))
        for month in self._within(first, last):
            for currency, accounts in self.months[month].items():
                into = totals[currency]
                for account, number in accounts.items():
                    into[account] += number
        return {currency: dict(accounts) for currency, accounts in totals.items()}

    def conversions_between(self, first: Period | None, last: Period) -> dict[str, Decimal]:
        """Per currency, the conversions from `first` (or the beginning) to `last`: what the
        measures leave over where money changed currency at a price."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for month in self._within(first, last):
            for currency, number in self.conversions.get(month, {}).items():
                totals[currency] += number
        return {c: n for c, n in totals.items() if n}

    def residue_between(self, first: Period | None, last: Period) -> dict[str, Decimal]:
        """Per currency, what the entries leave unbalanced within beancount's tolerance."""
        totals = self.conversions_between(first, last)
        for currency, accounts in self.between(first, last).items():
            totals[currency] = totals.get(currency, ZERO) + sum(accounts.values(), ZERO)
        return {c: n for c, n in totals.items() if n}

    def holdings_through(self, last: Period) -> dict[HoldingKey, tuple[Decimal, Decimal]]:
        """Positions held at cost at the end of `last`: units and their cost."""
        totals: dict[HoldingKey, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for month in self._within(None, last):
            for key, (units, cost) in self.holdings.get(month, {}).items():
                totals[key][0] += units
                totals[key][1] += cost
        return {key: (u, c) for key, (u, c) in totals.items() if u}


_shared: dict[Chart, Monthly] = {}
_shared_entries: list[Sequence[data.Directive]] = []


def monthly_of(entries: Sequence[data.Directive], options_map: dict | None = None) -> Monthly:
    """The `Monthly` of `entries`, made once for the same list of entries: a close states
    the income statement, the balance sheet and the flux review over one ledger, and each
    report made its own pass over every entry (a second of a close of large books)."""
    if not _shared_entries or _shared_entries[0] is not entries:
        _shared.clear()
        _shared_entries[:] = [entries]  # kept alive while shared: its id is not reused
    chart = Chart.of(options_map)
    if chart not in _shared:
        _shared[chart] = Monthly(entries, options_map)
    return _shared[chart]


# -- the residue, entry by entry ----------------------------------------------------------------


@dataclass(frozen=True)
class Residue:
    """What the entries of a span leave unbalanced in one currency, and whether each stayed
    within the tolerance beancount allows it."""

    currency: str
    total: Decimal
    entries: int  # how many entries leave something
    beyond: tuple[str, ...]  # `file:line` of entries beyond their tolerance
    examples: tuple[str, ...]  # `file:line` of the first few within it

    @property
    def within_tolerance(self) -> bool:
        return not self.beyond

    def note(self, round_money: Callable[[Decimal], Decimal]) -> str:
        """One line for a report: where the rounding line comes from (to the currency's
        precision, or exact when that leaves nothing to see)."""
        shown = round_money(self.total) or self.total.normalize()
        where = ", ".join(self.examples)
        more = f" (first: {where})" if where else ""
        return (
            f"Rounding: {shown:,} {self.currency} left by {self.entries} entries that "
            f"balance within beancount's tolerance{more}."
        )

    def problem(self) -> str:
        where = ", ".join(self.beyond[:5])
        more = f" and {len(self.beyond) - 5} more" if len(self.beyond) > 5 else ""
        count = len(self.beyond)
        entries = "1 entry does" if count == 1 else f"{count} entries do"
        return (
            f"{self.currency}: {entries} not balance, beyond beancount's tolerance: {where}{more}"
        )


def find_residue(
    entries: Sequence[data.Directive],
    options_map: dict | None,
    currencies: Iterable[str],
    start: date | None,
    end: date,
    examples: int = 3,
) -> dict[str, Residue]:
    """For each of `currencies`, the entries dated `start` (or the beginning) to `end` that
    leave something unbalanced, checked against the tolerance beancount infers for each."""
    from beancount.core import data, interpolate

    wanted = set(currencies)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    beyond: dict[str, list[str]] = defaultdict(list)
    within: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > end:
            continue
        if start is not None and entry.date < start:
            continue
        residual = interpolate.compute_residual(entry.postings)
        if residual.is_empty():
            continue
        tolerances = None
        for position in residual:
            currency, number = position.units.currency, position.units.number
            if currency not in wanted or not number:
                continue
            if tolerances is None:
                tolerances = interpolate.infer_tolerances(entry.postings, options_map)
            # As bean-check's own test (Inventory.is_small): no inferred tolerance, none.
            tolerance = tolerances.get(currency, ZERO)
            totals[currency] += number
            counts[currency] += 1
            where = str(Source.from_meta(entry.meta) or entry.date)
            (beyond if abs(number) > tolerance else within)[currency].append(where)
    return {
        currency: Residue(
            currency,
            totals[currency],
            counts[currency],
            tuple(beyond[currency]),
            tuple(within[currency][:examples]),
        )
        for currency in sorted(counts)
    }


def residues(
    monthly: Monthly,
    entries: Sequence[data.Directive],
    options_map: dict | None,
    first: Period | None,
    last: Period,
    currencies: Iterable[str],
) -> dict[str, Residue]:
    """The residue of each of `currencies` over the months `first` (or the beginning) to
    `last`, with its entries; a currency that leaves nothing has none. The entries are read
    again only when something is left: most books balance to the cent."""
    totals = monthly.residue_between(first, last)
    wanted = {c for c in currencies if totals.get(c)}
    if not wanted:
        return {}
    start = first.start if first is not None else None
    return find_residue(entries, options_map, wanted, start, last.end)
