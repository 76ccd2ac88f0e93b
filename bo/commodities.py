"""Which commodities are money, and the rates between them from the ledger's own prices.

A beancount ledger counts anything: dollars, euros, shares, vacation hours, 401k allowance
units. Money statements add up money only. Each commodity is classified once (bo.yaml's
`commodities:` first, then what the ledger says about it), and a report that states other
currencies in the base currency uses one rate per currency from beancount's price map, named
in the report, so a reader can redo the sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bo.settings import CASH_ROLES, Settings

ZERO = Decimal(0)


@dataclass(frozen=True)
class Commodities:
    """The money and non-money commodities among those a ledger uses, each with its reason."""

    base: str
    money: frozenset[str]
    not_money: frozenset[str]
    reasons: Mapping[str, str] = field(default_factory=dict, compare=False)

    def is_money(self, commodity: str) -> bool:
        return commodity in self.money

    def left_out_note(self) -> str:
        """The one line a money statement says about what it leaves out."""
        if not self.not_money:
            return ""
        names = ", ".join(sorted(self.not_money))
        return (
            f"Not money, left out: {names} (no price and not an operating currency; "
            "bo.yaml `commodities` says otherwise)."
        )


def classify(
    commodities: Iterable[str],
    settings: Settings,
    options_map: Mapping | None,
    price_map: Mapping,
    *,
    cost_currencies: Iterable[str] = (),
    held: Mapping[str, Iterable[str]] | None = None,
) -> Commodities:
    """Sort `commodities` into money and not money.

    bo.yaml's lists decide first. Otherwise a commodity is money when it is the base or an
    operating currency, has a price in the ledger (either way round), is the cost currency of
    a holding, or is held in an account whose role is bank, card or processor (`held`: the
    commodities each account holds). Everything else is tracked units.
    """
    base = settings.entity.currency
    operating = set((options_map or {}).get("operating_currency") or ())
    priced = {c for pair in price_map for c in pair} if price_map else set()
    costs = set(cost_currencies)
    cash = {a for a, s in settings.accounts.items() if s.role in CASH_ROLES}
    banked = {c for a, held_here in (held or {}).items() if a in cash for c in held_here}
    chosen = settings.commodities
    money, not_money, reasons = set(), set(), {}
    for name in sorted(set(commodities) | {base}):
        if name in chosen.not_money:
            reason, is_money = "bo.yaml commodities.not_money", False
        elif name in chosen.money:
            reason, is_money = "bo.yaml commodities.money", True
        elif name == base:
            reason, is_money = "the base currency (entity.currency)", True
        elif name in operating:
            reason, is_money = 'an operating currency (option "operating_currency")', True
        elif name in priced:
            reason, is_money = "the ledger has a price for it", True
        elif name in costs:
            reason, is_money = "holdings are at cost in it", True
        elif name in banked:
            reason, is_money = "a bank, card or processor account holds it", True
        else:
            reason, is_money = "no price, not an operating currency", False
        (money if is_money else not_money).add(name)
        reasons[name] = reason
    return Commodities(base, frozenset(money), frozenset(not_money), reasons)


@dataclass(frozen=True)
class Rate:
    """One unit of `currency` in `base`, from the ledger's price of `date`."""

    currency: str
    base: str
    rate: Decimal
    date: date

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.base} (price of {self.date})"


def rate_at(price_map: Mapping, currency: str, base: str, day: date) -> Rate | None:
    """The ledger's latest rate of `currency` in `base` on or before `day`; None without one.

    beancount's price map holds every pair both ways round, so a ledger that quotes USD in
    EUR converts EUR to USD as well.
    """
    from beancount.core import prices

    when, number = prices.get_price(price_map, (currency, base), day)
    if number is None or when is None:
        return None
    return Rate(currency, base, number, when)


@dataclass(frozen=True)
class Conversion:
    """How one report states amounts of several currencies in its base currency: one rate
    per currency; a money currency without a rate is shown in its own column only."""

    base: str
    rates: Mapping[str, Rate]
    unconverted: tuple[str, ...] = ()

    @classmethod
    def at(cls, currencies: Iterable[str], base: str, price_map: Mapping, day: date) -> Conversion:
        """The rates of `day` for each of `currencies` (the base needs none)."""
        rates, missing = {}, []
        for currency in sorted(set(currencies) - {base}):
            found = rate_at(price_map, currency, base, day)
            if found is None:
                missing.append(currency)
            else:
                rates[currency] = found
        return cls(base, rates, tuple(missing))

    def to_base(self, amounts: Mapping[str, Decimal]) -> Decimal:
        """The exact sum of `amounts` in the base currency, leaving out unconverted ones."""
        total = ZERO
        for currency, number in amounts.items():
            if currency == self.base:
                total += number
            else:
                rate = self.rates.get(currency)
                if rate is not None:
                    total += number * rate.rate
        return total

    def notes(self) -> list[str]:
        """What a reader needs to redo the conversion, one line each."""
        lines = [f"{rate}" for rate in self.rates.values()]
        if self.unconverted:
            names = ", ".join(self.unconverted)
            lines.append(
                f"No price to {self.base} for {names}: shown in its own column, "
                f"not in the {self.base} totals."
            )
        return lines
