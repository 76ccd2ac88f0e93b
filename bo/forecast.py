"""The 13-week cash forecast: weekly cash from the actual balances, with scenarios.

Open invoices by due date shifted by each customer's observed delay, open bills by due date,
and the recurring payments history shows; scenarios change those inputs.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from beancount.core import data
from pydantic import Field, PrivateAttr

from bo.cash import balances_at
from bo.errors import Finding, Source
from bo.reports.aging import aging
from bo.settings import Settings, Strict

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _cash_accounts(settings: Settings, *roles: str) -> list[str]:
    return sorted(a for a, c in settings.accounts.items() if c.role in roles)


# --- scenarios: what-ifs read from scenarios/NAME.yaml ----------------------------------------


class LateCustomer(Strict):
    """A customer pays every open invoice `days` later than they usually do."""

    kind: Literal["late_customer"]
    customer: str = Field(min_length=1)
    days: int = Field(ge=-366, le=366, description="negative: pays earlier")


class ReceiptsDrop(Strict):
    """Every expected receipt is `pct` percent smaller."""

    kind: Literal["receipts_drop"]
    pct: Decimal = Field(gt=0, le=100)


class Hire(Strict):
    """Someone joins on `from` at a monthly cost (salary and employer taxes)."""

    kind: Literal["hire"]
    start: date = Field(alias="from")
    monthly: Decimal = Field(gt=0)
    who: str = ""


class Purchase(Strict):
    """A one-off payment on a day."""

    kind: Literal["purchase"]
    date: date
    amount: Decimal = Field(gt=0)
    what: str = "one-off purchase"


Change = Annotated[LateCustomer | ReceiptsDrop | Hire | Purchase, Field(discriminator="kind")]


class Scenario(Strict):
    """A scenarios/NAME.yaml file: a name and the changes it makes to the base case."""

    name: str = Field("", description="shown as the column title; default the file name")
    description: str = ""
    changes: list[Change] = Field(min_length=1)

    _path: str = PrivateAttr("")
    _lines: dict[tuple[Any, ...], int] = PrivateAttr(default_factory=dict)

    def source(self, *path: Any) -> Source:
        """Where a field of the scenario file is, for errors that point into it."""
        for end in range(len(path), -1, -1):
            if path[:end] in self._lines:
                return Source(self._path, self._lines[path[:end]])
        return Source(self._path)


def customers(entries: Sequence[data.Directive], settings: Settings) -> set[str]:
    """Every payee that ever had an invoice on a receivable account."""
    receivables = set(_cash_accounts(settings, "receivable"))
    return {
        entry.payee
        for entry in entries
        if type(entry) is data.Transaction
        and entry.payee
        and "invoice" in entry.meta
        and any(p.account in receivables for p in entry.postings)
    }


def check_scenario(scenario: Scenario, known_customers: set[str]) -> list[Finding]:
    """What a scenario names that the books do not have: a customer who was never invoiced
    would otherwise change nothing, silently."""
    import difflib

    findings = []
    for i, change in enumerate(scenario.changes):
        if isinstance(change, LateCustomer) and change.customer not in known_customers:
            close = difflib.get_close_matches(change.customer, sorted(known_customers), n=3)
            hint = (
                f"did you mean {', '.join(f'`{c}`' for c in close)}?"
                if close
                else (f"{len(known_customers)} customers are invoiced in the books")
            )
            findings.append(
                Finding(
                    scenario.source("changes", i, "customer"),
                    f"`changes[{i}].customer`: no customer `{change.customer}` in the books; "
                    + hint,
                    "scenario",
                )
            )
    return findings


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    opening: Decimal
    receipts: Decimal
    disbursements: Decimal
    closing: Decimal
    below_minimum: bool


@dataclass(frozen=True)
class Forecast:
    scenario: str
    as_of: date
    minimum: Decimal
    weeks: tuple[Week, ...]
    flows: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    @property
    def breaches(self) -> list[Week]:
        return [w for w in self.weeks if w.below_minimum]


def _customer_delays(
    entries: Sequence[data.Directive], settings: Settings, as_of: date
) -> dict[str, int]:
    """Each customer's median days between an invoice's due date and its final payment."""
    receivables = set(_cash_accounts(settings, "receivable"))
    due: dict[str, tuple[str, date]] = {}
    open_amount: dict[str, Decimal] = defaultdict(Decimal)
    delays: dict[str, list[int]] = defaultdict(list)
    for entry in sorted(
        (e for e in entries if type(e) is data.Transaction and e.date <= as_of),
        key=lambda e: e.date,
    ):
        invoice = entry.meta.get("invoice")
        if invoice is None:
            continue
        for posting in entry.postings:
            if posting.account not in receivables:
                continue
            key = str(invoice)
            if "due" in entry.meta:
                due[key] = (entry.payee or "", entry.meta["due"])
            open_amount[key] += posting.units.number
            if open_amount[key] == 0 and key in due:
                customer, due_date = due[key]
                delays[customer].append((entry.date - due_date).days)
    return {c: int(statistics.median(d)) for c, d in delays.items() if d}


def _recurring(
    entries: Sequence[data.Directive], banks: set[str], as_of: date
) -> list[tuple[str, int, Decimal]]:
    """Payments that recur monthly on the bank accounts: (payee, day of month, amount).

    A payee paid in at least three of the last four months is recurring; its amount is
    the median of those payments, its day the median day of the month.
    """
    window_start = date(as_of.year, as_of.month, 1) - timedelta(days=120)
    seen: dict[tuple[str, int], list[tuple[date, Decimal]]] = defaultdict(list)
    for entry in entries:
        if type(entry) is not data.Transaction or not window_start <= entry.date <= as_of:
            continue
        if "invoice" in entry.meta:
            continue  # bills and invoices are forecast from their due dates instead
        for posting in entry.postings:
            if posting.account in banks and posting.units.number < 0:
                # Twice-monthly payments (payroll) are two series: first and second half.
                half = 0 if entry.date.day <= 15 else 1
                seen[(entry.payee or entry.narration or "", half)].append(
                    (entry.date, -posting.units.number)
                )
    found = []
    for (payee, _half), payments in seen.items():
        months = {(d.year, d.month) for d, _ in payments}
        if len(months) >= 3:
            day = int(statistics.median(d.day for d, _ in payments))
            amount = Decimal(statistics.median(a for _, a in payments)).quantize(CENT)
            found.append((payee, day, amount))
    return sorted(found)


def forecast(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    weeks: int = 13,
    scenario: Scenario | None = None,
) -> Forecast:
    changes = scenario.changes if scenario else []
    banks = set(_cash_accounts(settings, "bank"))
    minimum = sum(
        (settings.accounts[a].minimum.number for a in banks if settings.accounts[a].minimum),
        ZERO,
    )
    opening = sum(balances_at(entries, banks, as_of).values(), ZERO)
    end = as_of + timedelta(days=7 * weeks)
    flows: list[dict[str, Any]] = []
    late: dict[str, int] = defaultdict(int)
    for change in changes:
        if isinstance(change, LateCustomer):
            late[change.customer] += change.days
    drop = sum((c.pct for c in changes if isinstance(c, ReceiptsDrop)), ZERO)

    delays = _customer_delays(entries, settings, as_of)
    for item in aging(entries, settings, "receivable", as_of).items:
        if item.due is None or item.amount <= 0:
            continue
        expected = max(
            item.due + timedelta(days=delays.get(item.party, 0)), as_of + timedelta(days=1)
        )
        expected += timedelta(days=late.get(item.party, 0))
        amount = (item.amount * (100 - drop) / 100).quantize(CENT)
        flows.append({"date": expected, "amount": amount, "what": f"{item.party} {item.invoice}"})
    for item in aging(entries, settings, "payable", as_of).items:
        if item.due is None or item.amount <= 0:
            continue
        paid = max(item.due, as_of + timedelta(days=1))
        flows.append({"date": paid, "amount": -item.amount, "what": f"{item.party} {item.invoice}"})
    for payee, day, amount in _recurring(entries, banks, as_of):
        month = date(as_of.year, as_of.month, 1)
        while month <= end:
            try:
                when = month.replace(day=day)
            except ValueError:
                when = month.replace(day=28)
            if as_of < when <= end:
                flows.append({"date": when, "amount": -amount, "what": f"{payee} (recurring)"})
            month = (month + timedelta(days=32)).replace(day=1)
    for change in changes:
        if isinstance(change, Hire):
            month = date(change.start.year, change.start.month, 1)
            while month <= end:
                when = max(month.replace(day=28), change.start)
                if as_of < when <= end:
                    what = f"hire {change.who}".strip()
                    flows.append({"date": when, "amount": -change.monthly, "what": what})
                month = (month + timedelta(days=32)).replace(day=1)
        elif isinstance(change, Purchase):
            flows.append({"date": change.date, "amount": -change.amount, "what": change.what})

    rows = []
    cash = opening
    for index in range(weeks):
        start = as_of + timedelta(days=7 * index + 1)
        stop = start + timedelta(days=6)
        inflow = sum(
            (f["amount"] for f in flows if start <= f["date"] <= stop and f["amount"] > 0), ZERO
        )
        outflow = -sum(
            (f["amount"] for f in flows if start <= f["date"] <= stop and f["amount"] < 0), ZERO
        )
        closing = cash + inflow - outflow
        rows.append(Week(start, stop, cash, inflow, outflow, closing, closing < minimum))
        cash = closing
    flows.sort(key=lambda f: (f["date"], f["what"]))
    return Forecast(
        scenario.name if scenario else "base", as_of, minimum, tuple(rows), tuple(flows)
    )
