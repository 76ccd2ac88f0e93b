"""The payroll tie-out: runs split into liabilities and net pay, remittances, the register."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from bo.close.context import ZERO, CloseContext, StepResult
from bo.close.params import (
    PayrollParams,
)
from bo.close.registry import check, not_applicable, verdict
from bo.errors import BadInputError, Source
from bo.output import plural
from bo.periods import Period
from bo.settings import CASH_ROLES

if TYPE_CHECKING:
    from beancount.core import data


@dataclass(frozen=True)
class PayRun:
    """One payroll entry in one currency: what it cost, what it withheld or owes, what it
    paid out."""

    entry: data.Transaction
    currency: str
    expense: Decimal
    liabilities: Decimal  # credited to the payroll liability accounts, as a positive number
    net_pay: Decimal  # paid out of cash, as a positive number

    @property
    def split(self) -> tuple[Decimal, Decimal, Decimal]:
        return self.expense, self.liabilities, self.net_pay


def _totals(runs: list[PayRun]) -> tuple[Decimal, Decimal, Decimal]:
    """Expense, liabilities and net pay of `runs` (all in one currency)."""
    return (
        sum((r.expense for r in runs), ZERO),
        sum((r.liabilities for r in runs), ZERO),
        sum((r.net_pay for r in runs), ZERO),
    )


def pay_runs(
    entries: list[data.Transaction], expenses: str, liabilities: set[str], cash: set[str]
) -> list[PayRun]:
    """The entries that post payroll expense, each split into expense, liabilities, net pay,
    currency by currency (a run in euros ties out in euros)."""
    runs = []
    prefix = expenses.rstrip(":") + ":"
    for entry in entries:
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
        for posting in entry.postings:
            if posting.units is None:
                continue
            number, split = posting.units.number, sums[posting.units.currency]
            if posting.account == expenses or posting.account.startswith(prefix):
                split[0] += number
            elif posting.account in liabilities and number < 0:
                split[1] -= number
            elif posting.account in cash:
                split[2] -= number
        runs += [PayRun(entry, c, *split) for c, split in sorted(sums.items()) if split[0]]
    return runs


def _remitted(ctx: CloseContext, account: str) -> tuple[list[str], list[str]]:
    """Last month's payroll liabilities in `account` remitted this month, each currency apart:
    what is owed at the end is this month's."""
    opening = ctx.held(account, ctx.period.start - timedelta(days=1))
    closing = ctx.held(account, ctx.period.end)
    accrued: dict[str, Decimal] = defaultdict(Decimal)
    remitted: dict[str, Decimal] = defaultdict(Decimal)
    for entry in ctx.in_period():
        for posting in entry.postings:
            if posting.account == account and posting.units is not None:
                number, currency = posting.units.number, posting.units.currency
                if number < 0:
                    accrued[currency] -= number
                else:
                    remitted[currency] += number
    currencies = sorted({*opening, *closing, *accrued, *remitted})
    problems, details = [], []
    for currency in currencies or [ctx.books.settings.entity.currency]:
        # Liabilities are credits: opening and closing as amounts owed.
        owed_then = -opening.get(currency, ZERO)
        paid = remitted.get(currency, ZERO)
        then, now = (
            ctx.money(owed_then, currency),
            ctx.money(-closing.get(currency, ZERO), currency),
        )
        line = (
            f"{account}: owed {then} at the start, remitted {ctx.money(paid, currency)}, "
            f"accrued {ctx.money(accrued.get(currency, ZERO), currency)}, owed {now} at the end"
        )
        if paid != owed_then:
            problems.append(f"{line}: last month's {then} not cleared")
        else:
            details.append(line)
    return problems, details


REGISTER_COLUMNS = ("date", "gross", "employee_taxes", "employer_taxes", "net_pay")


def load_register(path: Path, period: Period) -> dict[str, Decimal]:
    """A payroll register's totals for the period: what the ledger's pay runs must add to."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInputError("payroll register not found", Source(str(path))) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REGISTER_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadInputError(
            f"payroll register needs the columns {', '.join(REGISTER_COLUMNS)} "
            f"(missing {', '.join(missing)})",
            Source(str(path), 1),
        )
    totals = dict.fromkeys(REGISTER_COLUMNS[1:], ZERO)
    for lineno, row in enumerate(reader, 2):
        try:
            day = date.fromisoformat(row["date"].strip())
            numbers = {c: Decimal(row[c].replace(",", "").strip()) for c in totals}
        except (ValueError, InvalidOperation, AttributeError):
            raise BadInputError(
                "expected a YYYY-MM-DD date and amounts like 1234.56", Source(str(path), lineno)
            ) from None
        if period.start <= day <= period.end:
            for column, number in numbers.items():
                totals[column] += number
    return totals


@check("payroll-tieout")
def payroll_tieout(ctx: CloseContext, params: PayrollParams) -> StepResult:
    """Payroll was posted; each run's expense splits into liabilities and net pay; the
    liabilities left from last month were remitted, so what remains is this month's; and
    with a register, the month's totals agree with it."""
    from beancount.core import data

    from bo.chart import Chart

    liabilities = set(ctx.accounts("payroll_liabilities"))
    cash = set(ctx.accounts(*CASH_ROLES))
    problems, details = [], []
    payroll = params.expenses or f"{Chart.of(ctx.books.ledger.options).types.expenses}:Payroll"
    runs = pay_runs(ctx.in_period(), payroll, liabilities, cash)
    before = ctx.period.previous
    start, end = before.start, before.end
    earlier = [e for e in ctx.entries if type(e) is data.Transaction and start <= e.date <= end]
    had_payroll = bool(pay_runs(earlier, payroll, liabilities, cash))
    if not (runs or had_payroll or liabilities or params.register_):
        return not_applicable(
            f"no payroll in these books: nothing posted to {payroll}, no account with the "
            "role `payroll_liabilities`"
        )
    if not runs and had_payroll:
        problems.append(f"no payroll posted in {ctx.period}; {before} had payroll")
    for run in runs:
        where = f"{ctx.where(run.entry)}: {run.entry.date} {run.entry.narration}"
        expense, owed, net = (ctx.money(n, run.currency) for n in run.split)
        if liabilities and not run.liabilities:
            problems.append(f"{where}: payroll expense {expense} with no withholdings")
        elif run.expense != run.liabilities + run.net_pay:
            problems.append(f"{where}: expense {expense} is not liabilities {owed} + net pay {net}")
    base = ctx.books.settings.entity.currency
    by_currency: dict[str, list[PayRun]] = {} if runs else {base: []}
    for run in runs:
        by_currency.setdefault(run.currency, []).append(run)
    for currency in sorted(by_currency, key=lambda c: (c != base, c)):  # the books' own first
        some = by_currency[currency]
        expense, owed, net = (ctx.money(n, currency) for n in _totals(some))
        details.append(
            f"{plural(len(some), 'payroll run')}: expense {expense} = liabilities {owed} + "
            f"net pay {net}"
        )
    for account in sorted(liabilities):
        problems_of, details_of = _remitted(ctx, account)
        problems += problems_of
        details += details_of
    if params.register_:
        # The register has no currency column: it is the books' own.
        expense, owed, net = _totals([r for r in runs if r.currency == base])
        totals = load_register(ctx.books.root / params.register_, ctx.period)
        expected = {
            "expense": totals["gross"] + totals["employer_taxes"],
            "liabilities": totals["employee_taxes"] + totals["employer_taxes"],
            "net pay": totals["net_pay"],
        }
        for name, books_side in (("expense", expense), ("liabilities", owed), ("net pay", net)):
            if books_side != expected[name]:
                problems.append(
                    f"{name}: books {books_side:,}, register {expected[name]:,} "
                    f"({params.register_})"
                )
        details.append(
            f"register {params.register_}: expense {expected['expense']:,}, liabilities "
            f"{expected['liabilities']:,}, net pay {expected['net pay']:,}"
        )
    return verdict(
        problems, "payroll posted and tied out", "1 payroll problem|{n} payroll problems", details
    )
