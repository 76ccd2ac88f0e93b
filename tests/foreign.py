"""Books bo did not write: beancount's own example ledgers, a small business in two
currencies, a ledger with renamed roots; and bean-query's answers to compare bo's with.

The truth here is bean-query's, over the ledger as beancount loads it: a balance sheet
account holds what `cost(position)` sums to (money as it is, holdings at cost), an income or
expense account moved by the weight of its postings (what beancount balances entries with).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from beanquery import query as bq

# Vacation hours and 401k allowance units: tracked in bean-example's ledgers, never money.
EXAMPLE_NOT_MONEY = frozenset({"VACHR", "IRAUSD"})

# (first day, last day, seed): several spans, each with a different birth year, so the
# generator's schedules (payroll, investments, taxes) fall differently.
EXAMPLE_SPANS = (
    ("2023-01-01", "2023-12-31", 11, "1980-05-12"),
    ("2022-07-01", "2023-06-30", 12, "1975-02-20"),
    ("2024-04-01", "2025-03-31", 13, "1990-11-03"),
)


def bean_example(out: Path, begin: str, end: str, seed: int, birth: str) -> Path:
    """A ledger from beancount's own `bean-example`, with a fixed seed."""
    script = Path(sys.executable).with_name("bean-example")
    subprocess.run(
        [script, "--date-begin", begin, "--date-end", end, "--date-birth", birth,
         "--seed", str(seed), "--output", str(out)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out


def months_of(begin: str, count: int) -> list[str]:
    """`count` months from the one after `begin`'s: the example's first month is partial."""
    year, month = int(begin[:4]), int(begin[5:7])
    found = []
    for _ in range(count):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        found.append(f"{year:04d}-{month:02d}")
    return found


# -- bean-query ------------------------------------------------------------------------------

Month = tuple[int, int]


class Truth:
    """bean-query's sums over one ledger, per account, currency and month: what each account
    moved by weight, by what it holds (`cost(position)`) and in units. One query per ledger
    (beanquery takes a quarter of a second to parse one); the statements' columns are these
    sums over whole months."""

    def __init__(self, entries, options) -> None:
        self.roots = roots(options)
        _, rows = bq.run_query(
            entries,
            options,
            "SELECT account, year, month, sum(weight), sum(cost(position)), sum(units(position)) "
            "GROUP BY account, year, month",
        )
        tables: list[dict[tuple[str, str], dict[Month, Decimal]]] = [
            defaultdict(dict) for _ in range(3)
        ]
        for account, year, month, *inventories in rows:
            for table, inventory in zip(tables, inventories, strict=True):
                for position in inventory:
                    units = position.units
                    if units.number:
                        table[(account, units.currency)][(year, month)] = units.number
        self.weight, self.cost, self.units = tables

    @staticmethod
    def _sum(table, keep, start: date | None, end: date) -> dict[tuple[str, str], Decimal]:
        low = (start.year, start.month) if start else (0, 0)
        high = (end.year, end.month)
        found = {}
        for key, months in table.items():
            if not keep(key[0]):
                continue
            total = sum((n for m, n in months.items() if low <= m <= high), Decimal(0))
            if total:
                found[key] = total
        return found

    def _is(self, *kinds: str):
        prefixes = tuple(self.roots[k] + ":" for k in kinds)
        return lambda account: account.startswith(prefixes)

    def pnl(self, start: date | None, end: date) -> dict[tuple[str, str], Decimal]:
        """Income and expense weights over whole months from `start` to `end`."""
        return self._sum(self.weight, self._is("income", "expenses"), start, end)

    def held(self, end: date) -> dict[tuple[str, str], Decimal]:
        """What balance sheet accounts hold at the end of `end`'s month (at cost)."""
        return self._sum(self.cost, self._is("assets", "liabilities", "equity"), None, end)

    def moved(self, accounts: set[str], start: date, end: date) -> dict[tuple[str, str], Decimal]:
        """The units posted to `accounts` over whole months from `start` to `end`."""
        return self._sum(self.units, accounts.__contains__, start, end)


def market_values(entries, options, end: date) -> dict[str, Decimal]:
    """bean-query's market value of each account's holdings at `end`, at the latest price."""
    _, rows = bq.run_query(
        entries,
        options,
        f"SELECT account, value(sum(position), {end}) WHERE date <= {end} "
        "AND cost_number IS NOT NULL GROUP BY account",
    )
    found = {}
    for account, inventory in rows:
        for position in inventory:
            found[account] = found.get(account, Decimal(0)) + position.units.number
    return found


def roots(options) -> dict[str, str]:
    names = ("assets", "liabilities", "equity", "income", "expenses")
    return {name: options[f"name_{name}"] for name in names}


def by_currency(sums: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_, currency), number in sums.items():
        totals[currency] += number
    return {c: n for c, n in totals.items() if n}


def cents(number: Decimal, places: int = 2) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places)) + 0


# -- a small business in dollars and euros ----------------------------------------------------

BUSINESS_YAML = """\
entity:
  name: Lumen Studio LLC
  currency: USD
people:
  - name: Dana
    roles: [bookkeeper]
  - name: Sam
    roles: [controller]
accounts:
  Assets:Bank:Checking:
    role: bank
    minimum: 9500.00 USD
  Assets:Bank:Euro:
    role: bank
    minimum: 1000.00 EUR
  Assets:AccountsReceivable:
    role: receivable
  Liabilities:AccountsPayable:
    role: payable
  Liabilities:CreditCard:
    role: card
  Equity:RetainedEarnings:
    role: retained_earnings
"""

BUSINESS_LEDGER = """\
option "title" "Lumen Studio LLC"
option "operating_currency" "USD"

2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Assets:Bank:Euro EUR
2025-01-01 open Assets:AccountsReceivable
2025-01-01 open Liabilities:AccountsPayable
2025-01-01 open Liabilities:CreditCard USD
2025-01-01 open Equity:Opening-Balances
2025-01-01 open Equity:RetainedEarnings
2025-01-01 open Income:Consulting
2025-01-01 open Expenses:Rent USD
2025-01-01 open Expenses:Travel
2025-01-01 open Expenses:BankFees

2025-01-01 price EUR 1.0350 USD
2025-01-31 price EUR 1.0400 USD
2025-02-28 price EUR 1.0450 USD
2025-03-31 price EUR 1.0800 USD

2025-01-02 * "Opening balances"
  Assets:Bank:Checking     9010.00 USD
  Assets:Bank:Euro          800.00 EUR
  Equity:Opening-Balances

2025-01-10 * "Atelier Lyon" "Invoice L-1" ^L-1
  invoice: "L-1"
  due: 2025-02-09
  Assets:AccountsReceivable  2000.00 EUR
  Income:Consulting

2025-01-15 * "Hotel du Nord" "Paris trip"
  Expenses:Travel   300.00 EUR
  Assets:Bank:Euro

2025-01-20 * "Skyline Air" "Flight to Paris"
  Expenses:Travel   450.00 USD
  Liabilities:CreditCard

2025-02-01 * "Harbor Properties" "Rent"
  Expenses:Rent    1500.00 USD
  Assets:Bank:Checking

2025-02-05 * "Atelier Lyon" "Payment of L-1" ^L-1
  Assets:Bank:Euro           2000.00 EUR
  Assets:AccountsReceivable

2025-02-20 * "First Bank" "Euros changed into dollars"
  Assets:Bank:Euro     -1000.00 EUR @ 1.0420 USD
  Assets:Bank:Checking  1042.00 USD

2025-02-21 * "First Bank" "Exchange fee"
  Expenses:BankFees     4.50 EUR
  Assets:Bank:Euro

2025-03-03 * "Northwind Inc" "Invoice N-7"
  invoice: "N-7"
  due: 2025-04-02
  Assets:AccountsReceivable  5000.00 USD
  Income:Consulting

2025-03-10 * "Papeterie Martin" "Bill PM-9"
  invoice: "PM-9"
  due: 2025-03-20
  Expenses:Travel               250.00 EUR
  Liabilities:AccountsPayable

2025-03-12 * "Cafe de Flore" "Dinner, paid from dollars"
  Expenses:Travel       100.00 EUR @ 1.05 USD
  Assets:Bank:Checking

2025-03-14 * "Skyline Air" "Card payment"
  Liabilities:CreditCard   450.00 USD
  Assets:Bank:Checking
"""


# -- renamed roots ----------------------------------------------------------------------------

RENAMED = {
    "Assets": "Aktiva",
    "Liabilities": "Passiva",
    "Equity": "Eigenkapital",
    "Income": "Ertrag",
    "Expenses": "Aufwand",
}
_ROOT_RE = re.compile(r"(?<![A-Za-z:])(Assets|Liabilities|Equity|Income|Expenses)(?=:)")


def rename_roots(text: str) -> str:
    """The same text with every account under renamed roots."""
    return _ROOT_RE.sub(lambda m: RENAMED[m[1]], text)


def _root_options(names: dict[str, str]) -> str:
    return "".join(f'option "name_{old.lower()}" "{new}"\n' for old, new in names.items())


def with_renamed_options(ledger_text: str) -> str:
    """The ledger under renamed roots, the options saying so first."""
    return _root_options(RENAMED) + rename_roots(ledger_text)


def with_default_options(ledger_text: str) -> str:
    """The ledger as it is, the default root names spelled out as options: it keeps every
    entry on the same line as `with_renamed_options` does, so both name the same `file:line`."""
    return _root_options({old: old for old in RENAMED}) + ledger_text


def back_to_default(text: str) -> str:
    """Renamed roots back to beancount's defaults, to compare with the default books."""
    for old, new in RENAMED.items():
        text = re.sub(rf"(?<![A-Za-z:]){new}(?=:)", old, text)
    return text
