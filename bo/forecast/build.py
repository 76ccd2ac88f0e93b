"""The forecast as bo prints it: each currency's weeks, the base case and each scenario, with
the band and the alarm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from beancount.core import data, prices

from bo.calendar import BusinessCalendar
from bo.forecast.bands import NO_SPREAD, spread_of_errors
from bo.forecast.history import entries_through, read_history
from bo.forecast.model import Flow, Forecast, Week
from bo.forecast.projection import expected_from, swept, weekly_cash, with_scenario
from bo.forecast.scenarios import Scenario
from bo.settings import Settings


def forecast(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    weeks: int = 13,
    scenarios: Sequence[Scenario] = (),
    *,
    calendar: BusinessCalendar | None = None,
    options: dict | None = None,
    band: bool = True,
    memo: dict | None = None,
) -> list[Forecast]:
    """The forecast of `weeks` weeks after `as_of` for each currency held in a bank account:
    the base case, then each scenario. Only entries dated on or before `as_of` are read.
    `memo` keeps the band's past forecasts for the next call on the same books."""
    history = read_history(entries_through(entries, as_of), settings, as_of, options)
    base = expected_from(history, settings, weeks, calendar=calendar)
    spreads = (
        spread_of_errors(history, settings, weeks, calendar=calendar, memo=memo) if band else {}
    )
    found = []
    rates = _rates(entries_through(entries, as_of), set(base), settings.entity.currency, as_of)
    for currency, expect in base.items():
        spread = spreads.get(currency, NO_SPREAD)
        for scenario in [None, *scenarios]:
            flows = swept(
                expect,
                with_scenario(expect, scenario, as_of, weeks, settings.entity.currency, calendar),
                as_of,
                weeks,
                calendar,
            )
            rows = []
            opening = expect.opening
            for index, (start, end, receipts, disbursements, closing) in enumerate(
                weekly_cash(flows, expect.opening, as_of, weeks), 1
            ):
                low, high = spread.band(index, closing)
                chance = spread.chance_below(index, closing, expect.minimum)
                rows.append(
                    Week(
                        start,
                        end,
                        opening,
                        receipts,
                        disbursements,
                        closing,
                        low,
                        high,
                        chance >= settings.forecast.alarm_chance,
                        chance,
                    )
                )
                opening = closing
            found.append(
                Forecast(
                    scenario.name if scenario else "base",
                    currency,
                    as_of,
                    expect.minimum,
                    expect.accounts,
                    tuple(rows),
                    tuple(flows),
                    expect.doubtful,
                    spread.basis,
                    expect.notes,
                    rates.get(currency),
                )
            )
    return found


def _rates(
    entries: Sequence[data.Directive], currencies: set[str], base: str, as_of: date
) -> dict[str, tuple[str, Decimal, date]]:
    """The ledger's latest price on `as_of` of each currency other than `base`, in `base`:
    a forecast in EUR is shown in USD only at a rate the books hold, and names it."""
    others = currencies - {base}
    if not others:
        return {}
    price_map = prices.build_price_map([e for e in entries if type(e) is data.Price])
    found = {}
    for currency in others:
        day, rate = prices.get_price(price_map, (currency, base), as_of)
        if rate is not None:
            found[currency] = (base, rate, day)
    return found


def explained(run: Forecast) -> list[tuple[date, date, Decimal, str, str]]:
    """The flows inside the forecast's weeks, those of one source together: (first day, last
    day, amount, what, basis), by first day."""
    end = run.weeks[-1].end if run.weeks else run.as_of
    groups: dict[tuple[str, str, str], list[Flow]] = {}
    for flow in run.flows:
        if run.as_of < flow.date <= end:
            groups.setdefault((flow.what, flow.kind, flow.basis), []).append(flow)
    return sorted(
        (
            (flows[0].date, flows[-1].date, sum((f.amount for f in flows), Decimal(0)), what, basis)
            for (what, _, basis), flows in groups.items()
        ),
        key=lambda row: (row[0], row[3]),
    )


def worst_week(forecast: Forecast) -> Week | None:
    """The week most likely to end under the minimum, among those the alarm names."""
    return max(
        forecast.breaches, key=lambda w: (w.chance_below, -w.start.toordinal()), default=None
    )


def chance_text(chance: Decimal) -> str:
    return "under 0.1%" if chance < Decimal("0.001") else f"{chance:.0%}"
