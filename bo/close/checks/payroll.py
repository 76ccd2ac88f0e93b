"""The payroll tie-out: runs split into liabilities and net pay, remittances, the register."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from beancount.core import data

from bo.close.context import ZERO, CloseContext, StepResult
from bo.close.params import (
    PayrollParams,
)
from bo.close.registry import check, verdict
from bo.errors import BadInputError, Source
from bo.periods import Period
from bo.settings import CASH_ROLES


@dataclass(frozen=True)
class PayRun:
    """One payroll entry: what it cost, what it withheld or owes, what it paid out."""

    entry: data.Transaction
    expense: Decimal
    liabilities: Decimal  # credited to the payroll liability accounts, as a positive number
    net_pay: Decimal  # paid out of cash, as a positive number


def pay_runs(
    entries: list[data.Transaction], expenses: str, liabilities: set[str], cash: set[str]
) -> list[PayRun]:
    """The entries that post payroll expense, each split into expense, liabilities, net pay."""
    runs = []
    prefix = expenses.rstrip(":") + ":"
    for entry in entries:
        expense = owed = paid = ZERO
        for posting in entry.postings:
            number = posting.units.number if posting.units is not None else ZERO
            if posting.account == expenses or posting.account.startswith(prefix):
                expense += number
            elif posting.account in liabilities and number < 0:
                owed -= number
            elif posting.account in cash:
                paid -= number
        if expense:
            runs.append(PayRun(entry, expense, owed, paid))
    return runs


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
    liabilities = set(ctx.accounts("payroll_liabilities"))
    cash = set(ctx.accounts(*CASH_ROLES))
    problems, details = [], []
    runs = pay_runs(ctx.in_period(), params.expenses, liabilities, cash)
    before = ctx.period.previous
    earlier = [
        e
        for e in ctx.entries
        if type(e) is data.Transaction and before.start <= e.date <= before.end
    ]
    if not runs and pay_runs(earlier, params.expenses, liabilities, cash):
        problems.append(f"no payroll posted in {ctx.period}; {before} had payroll")
    for run in runs:
        where = f"{ctx.where(run.entry)}: {run.entry.date} {run.entry.narration}"
        if liabilities and not run.liabilities:
            problems.append(f"{where}: payroll expense {run.expense:,} with no withholdings")
        elif run.expense != run.liabilities + run.net_pay:
            problems.append(
                f"{where}: expense {run.expense:,} is not liabilities {run.liabilities:,} "
                f"+ net pay {run.net_pay:,}"
            )
    expense = sum((r.expense for r in runs), ZERO)
    owed = sum((r.liabilities for r in runs), ZERO)
    net = sum((r.net_pay for r in runs), ZERO)
    details.append(
        f"{len(runs)} payroll runs: expense {expense:,} = liabilities {owed:,} + net pay {net:,}"
    )
    for account in sorted(liabilities):
        # Liabilities are credits: opening and closing as amounts owed.
        opening = -ctx.balance(account, ctx.period.start - timedelta(days=1))
        closing = -ctx.balance(account, ctx.period.end)
        accrued = remitted = ZERO
        for entry in ctx.in_period():
            for posting in entry.postings:
                if posting.account == account and posting.units is not None:
                    number = posting.units.number
                    if number < 0:
                        accrued -= number
                    else:
                        remitted += number
        line = (
            f"{account}: owed {opening:,} at the start, remitted {remitted:,}, "
            f"accrued {accrued:,}, owed {closing:,} at the end"
        )
        if remitted != opening:
            problems.append(f"{line}: last month's {opening:,} not cleared")
        else:
            details.append(line)
    if params.register_:
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
    return verdict(problems, "payroll posted and tied out", "{n} payroll problems", details)
