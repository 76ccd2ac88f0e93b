"""The 13-week cash forecast: each currency's cash week by week, with a band, and a backtest.

Receipts come from each customer's own payment history (open invoices, and the invoicing to
come), payments from the habit of paying each vendor, recurring items from the bank's history
or bo.yaml, the card from its statements, and the irregular rest at its average
(`documents`, `recurring`). The band comes from this forecast's own past misses on the books
(`bands`); `backtest` replays it at past dates. Scenarios (scenarios/NAME.yaml) change the
base case and run beside it.
"""

from bo.forecast.backtest import Backtest, backtest, default_dates, month_ends
from bo.forecast.build import chance_text, explained, forecast, worst_week
from bo.forecast.model import Flow, Forecast, Week
from bo.forecast.scenarios import Scenario, check_scenario, customers

__all__ = [
    "Backtest",
    "Flow",
    "Forecast",
    "Scenario",
    "Week",
    "backtest",
    "chance_text",
    "check_scenario",
    "customers",
    "default_dates",
    "explained",
    "forecast",
    "month_ends",
    "worst_week",
]
