"""What-ifs read from scenarios/NAME.yaml: a customer paying late, receipts dropping, a hire,
a purchase; and the check that a scenario names what the books have."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from beancount.core import data
from pydantic import Field, PrivateAttr

from bo.errors import Finding, Source
from bo.settings import Day, Settings, Strict


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
    start: Day = Field(alias="from")
    monthly: Decimal = Field(gt=0, le=10**12)
    who: str = ""


class Purchase(Strict):
    """A one-off payment on a day."""

    kind: Literal["purchase"]
    date: Day
    amount: Decimal = Field(gt=0, le=10**12)
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
    receivables = set(settings.accounts_with_role("receivable"))
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
