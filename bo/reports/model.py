"""What the statements share: lines and sections in one base currency with each currency's
own amounts beside them, the notes a report carries, and its JSON shape.

A book in one currency reads as it always did: one column, no notes. A book in several shows
each currency's amounts (`by_currency`) next to the base-currency figure, names the rate that
converted each currency, and lists apart what it could not convert.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bo.commodities import Commodities, Conversion
from bo.reports.sums import ByCurrency

ZERO = Decimal(0)
_OMIT = "omit-when-default"
_WORDING = "template-only"


def extra(default: Any = ()) -> Any:
    """A field JSON leaves out while it has its default: what only multi-currency books,
    renamed roots or a period at the ledger's edges have to say (a single-currency report
    keeps its shape). `default` is a value, or a type whose instance is the default."""
    if isinstance(default, type):
        return field(default_factory=default, metadata={_OMIT: default()})
    return field(default=default, metadata={_OMIT: default})


def wording(default: str) -> Any:
    """A field only the templates read (a name to put in a sentence): JSON has it already
    where it belongs, in the lines."""
    return field(default=default, metadata={_WORDING: True})


def report_dict(value: Any) -> Any:
    """`dataclasses.asdict`, less the `extra` fields that have their default and the
    `wording` fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if _WORDING in f.metadata or (_OMIT in f.metadata and item == f.metadata[_OMIT]):
                continue
            out[f.name] = report_dict(item)
        return out
    if isinstance(value, (list, tuple)):
        return [report_dict(item) for item in value]
    if isinstance(value, dict):
        return {key: report_dict(item) for key, item in value.items()}
    return value


@dataclass(frozen=True, kw_only=True)
class Notes:
    """What every report may add below its numbers."""

    # Lines a reader needs: the rates used, what was left out, the ledger's edges.
    notes: tuple[str, ...] = extra()
    # `file:line: message` of each balance assertion beancount found false in the report's
    # span: its figures are in doubt until the assertion holds.
    failed_assertions: tuple[str, ...] = extra()

    def _noted_problems(self) -> list[str]:
        return [f"failed balance assertion: {item}" for item in self.failed_assertions]


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal  # in the report's currency; other currencies at the report's rates
    compare: Decimal | None = None
    ytd: Decimal | None = None  # the fiscal year to date (income statement)
    by_currency: dict[str, Decimal] = extra(dict)  # the amount in each currency it holds


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    total: Decimal
    compare_total: Decimal | None = None
    ytd_total: Decimal | None = None
    by_currency: dict[str, Decimal] = extra(dict)


@dataclass(frozen=True)
class Stating:
    """How one report states money: the money currencies it shows (base first), the rate of
    each, and each currency's precision."""

    commodities: Commodities
    conversion: Conversion
    currencies: tuple[str, ...]
    left_out: tuple[str, ...]
    options: Mapping | None

    @classmethod
    def of(
        cls,
        present: Iterable[str],
        commodities: Commodities,
        price_map: Mapping,
        day: date,
        options: Mapping | None,
    ) -> Stating:
        """The stating of a report whose numbers hold `present` commodities, at `day`'s rates."""
        present = set(present)
        base = commodities.base
        money = sorted(c for c in present if commodities.is_money(c) and c != base)
        left_out = tuple(sorted(c for c in present if not commodities.is_money(c)))
        conversion = Conversion.at(money, base, price_map, day)
        return cls(commodities, conversion, (base, *money), left_out, options)

    @property
    def base(self) -> str:
        return self.commodities.base

    @property
    def multi(self) -> bool:
        return len(self.currencies) > 1

    def rounder(self, currency: str) -> Callable[[Decimal], Decimal]:
        return rounder(self.options, currency)

    def money(self, sums: ByCurrency) -> ByCurrency:
        """`sums` less the commodities that are not money."""
        return {c: accounts for c, accounts in sums.items() if self.commodities.is_money(c)}

    def in_base(self, amounts: Mapping[str, Decimal]) -> Decimal:
        """The exact base-currency sum of `amounts` at the report's rates."""
        return self.conversion.to_base(amounts)

    def shown(self, amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """Each currency's amount as a line shows it (only in multi-currency reports)."""
        if not self.multi:
            return {}
        return {c: self.rounder(c)(n) for c, n in sorted(amounts.items()) if n}

    def totals(self, amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """A total in every currency of the report, zeros too (multi-currency reports)."""
        if not self.multi:
            return {}
        return {c: self.rounder(c)(amounts.get(c, ZERO)) for c in self.currencies}

    def notes(self) -> list[str]:
        """The rates used, what had no rate, and what is not money."""
        lines = self.conversion.notes() if self.multi else []
        if self.left_out:
            names = ", ".join(self.left_out)
            reasons = {self.commodities.reasons.get(c, "") for c in self.left_out}
            why = reasons.pop() if len(reasons) == 1 else "see bo.yaml `commodities`"
            lines.append(f"Not money, left out of these statements: {names} ({why}).")
        return lines


def currency_places(options_map: Mapping | None, currency: str) -> int:
    """Decimal places the ledger writes `currency` with (its most common), else 2."""
    from beancount.core import display_context

    dcontext = (options_map or {}).get("dcontext")
    ccontext = dcontext.ccontexts.get(currency) if dcontext is not None else None
    if ccontext is not None:
        places = ccontext.get_fractional(display_context.Precision.MOST_COMMON)
        if places is not None:
            return places
    return 2


def rounder(options_map: Mapping | None, currency: str) -> Callable[[Decimal], Decimal]:
    """Round to the currency's precision, at the edge: sums are exact until a report shows
    them (a price of 1.1234 leaves four places on a converted amount)."""
    exponent = Decimal(1).scaleb(-currency_places(options_map, currency))

    def round_money(number: Decimal) -> Decimal:
        return number.quantize(exponent) + 0  # `+ 0` turns -0.00 into 0.00

    return round_money


def per_account(sums: ByCurrency, accounts: Iterable[str] | None = None) -> dict[str, dict]:
    """`{currency: {account: n}}` turned into `{account: {currency: n}}`."""
    wanted = set(accounts) if accounts is not None else None
    out: dict[str, dict[str, Decimal]] = {}
    for currency, by_account in sums.items():
        for account, number in by_account.items():
            if wanted is None or account in wanted:
                out.setdefault(account, {})[currency] = number
    return out


def add(into: dict[str, Decimal], amounts: Mapping[str, Decimal], sign: int = 1) -> None:
    """Add `amounts` (per currency) into `into`, times `sign`."""
    for currency, number in amounts.items():
        into[currency] = into.get(currency, ZERO) + sign * number
