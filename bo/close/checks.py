"""The built-in checks and actions a checklist step can name.

Each is a small function of a `CloseContext` and its parameters (the step's `with:`,
validated by a pydantic model when the checklist loads) returning a `StepResult`: passed or
failed, a one-line summary and the details a reviewer needs (with `file:line` where there is
one). Checks only read; they return the files they want written (`writes`), and
`bo.close.run` writes them once the whole close has run.
"""

from __future__ import annotations

import csv
import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from beancount.core import data
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from bo.books import Books
from bo.errors import BadInputError, Source
from bo.periods import Period
from bo.settings import CASH_ROLES, Money

if TYPE_CHECKING:
    from bo.statements import Statement

ZERO = Decimal(0)


@dataclass
class StepResult:
    status: str  # passed | failed | error | manual | blocked | skipped
    summary: str
    details: list[str] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)  # files to write
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class CloseContext:
    books: Books
    period: Period
    today: date
    record: dict[str, Any]  # this period's close record so far (explanations, sign-offs)
    previous: dict[str, Any] | None = None
    # Shared by the steps while the entries stay the same (balances by day).
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def entries(self) -> list[data.Directive]:
        return self.books.ledger.entries

    def where(self, entry: Any) -> str:
        meta = getattr(entry, "meta", None) or {}
        return self.shown(Source(str(meta.get("filename", "")), meta.get("lineno")))

    def shown(self, source: Source | None) -> str:
        """`file:line` with the file relative to the books, as a reader looks for it."""
        if source is None:
            return ""
        name, path = source.filename, Path(source.filename)
        if path.is_absolute() and path.is_relative_to(self.books.root):
            name = str(path.relative_to(self.books.root))
        return f"{name}:{source.lineno}" if source.lineno else name

    def accounts(self, *roles: str) -> list[str]:
        return sorted(a for a, conf in self.books.settings.accounts.items() if conf.role in roles)

    def balances(self, day: date) -> dict[str, Decimal]:
        """Every account's balance in the books' currency at the end of `day`, in one pass."""
        key = ("balances", day)
        if key not in self.cache:
            currency = self.books.settings.entity.currency
            totals: dict[str, Decimal] = defaultdict(Decimal)
            for entry in self.entries:
                if type(entry) is data.Transaction and entry.date <= day:
                    for posting in entry.postings:
                        units = posting.units
                        if units is not None and units.currency == currency:
                            totals[posting.account] += units.number
            self.cache[key] = totals
        return self.cache[key]

    def balance(self, account: str, day: date) -> Decimal:
        return self.balances(day).get(account, ZERO)

    def statement(self, path: Path, account: str) -> Statement:
        """The statement file `path` of `account`, read once for every step that reads it
        (bank-rec reads the period's, duplicates those around it); a file that cannot be read
        raises its error each time."""
        from bo.errors import BoError
        from bo.statements import read_statement

        key = ("statement", path, account)
        if key not in self.cache:
            try:
                self.cache[key] = read_statement(path, account, self.books.settings)
            except BoError as exc:
                self.cache[key] = exc
        found = self.cache[key]
        if isinstance(found, BoError):
            raise found
        return found

    def in_period(self) -> list[data.Transaction]:
        key = ("in-period",)
        if key not in self.cache:
            start, end = self.period.start, self.period.end
            self.cache[key] = [
                e for e in self.entries if type(e) is data.Transaction and start <= e.date <= end
            ]
        return self.cache[key]


# -- parameters (`with:` of a step) ------------------------------------------------------------


class Params(BaseModel):
    """A check's parameters: unknown keys are errors, so a typo never silently does nothing."""

    # Built on first use: a checklist names only some of the checks.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoParams(Params):
    pass


class ReconciledParams(Params):
    accounts: list[str] | None = Field(
        None, description="the accounts to reconcile; default every bank, card and processor"
    )
    outstanding_check_days: int | None = Field(None, ge=0)
    deposit_in_transit_days: int | None = Field(None, ge=0)

    @field_validator("accounts")
    @classmethod
    def _cash_accounts(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        settings = (info.context or {}).get("settings")
        if value is None or settings is None:
            return value
        cash = sorted(a for a, c in settings.accounts.items() if c.role in CASH_ROLES)
        unknown = [a for a in value if a not in cash]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not a bank, card or processor account in bo.yaml "
                f"(those are: {', '.join(cash) or 'none'})"
            )
        return value


class AgingParams(Params):
    side: Literal["receivable", "payable"] = "receivable"
    over_days: int = Field(90, ge=1, description="items past due longer than this are listed")


class FluxParams(Params):
    budget: bool = Field(True, description="compare with budgets/YYYY.yaml too")


class DocumentsParams(Params):
    materiality: Money | None = Field(None, description="default: thresholds.materiality")


class PayrollParams(Params):
    expenses: str = Field("Expenses:Payroll", description="the payroll expense accounts' parent")
    register_: str | None = Field(
        None,
        alias="register",
        description="a payroll register CSV (date, gross, employee_taxes, employer_taxes, "
        "net_pay), relative to the books",
    )


class ReportsParams(Params):
    kinds: list[str] = Field(default_factory=lambda: ["trial", "pnl", "balance"], min_length=1)
    format: Literal["md", "html"] = "md"

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        from bo.reports import KINDS

        unknown = [k for k in value if k not in KINDS]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not a report (one of {', '.join(KINDS)})")
        return value


Check = Callable[[CloseContext, Any], StepResult]
CHECKS: dict[str, Check] = {}
ACTIONS: dict[str, Check] = {}
PARAMS: dict[str, type[Params]] = {}  # of checks and actions alike (their names differ)
# What a step imports or reads that the ledger does not decide (read into the context's
# cache), done before the ledger is in: a close starts while the preload child still parses
# it (bo.close.run), the checks beside in their own process, the other steps here.
WARM: dict[str, Callable[[CloseContext, Any], None]] = {}


def check(name: str, params: type[Params] = NoParams) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        CHECKS[name] = func
        PARAMS[name] = params
        return func

    return register


def warm(name: str) -> Callable[[Callable[[CloseContext, Any], None]], Any]:
    def register(func: Callable[[CloseContext, Any], None]) -> Any:
        WARM[name] = func
        return func

    return register


def action(name: str, params: type[Params] = NoParams) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        ACTIONS[name] = func
        PARAMS[name] = params
        return func

    return register


def _result(problems: list[str], ok: str, bad: str, details: list[str] | None = None):
    if problems:
        return StepResult("failed", bad.format(n=len(problems)), problems + (details or []))
    return StepResult("passed", ok, details or [])


@check("calendar")
def calendar(ctx: CloseContext, params: NoParams) -> StepResult:
    # Owners, reviewers and their segregation are validated when the checklist loads.
    people = ", ".join(f"{p.name} ({', '.join(p.roles)})" for p in ctx.books.settings.people)
    return StepResult("passed", "every step has an owner and a different reviewer", [people])


@check("ledger-valid")
def ledger_valid(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.checks import run_check

    result = run_check(ctx.books, ctx.today)
    problems = [f"{ctx.shown(f.source)}: {f.message}" for f in result.errors]
    return _result(problems, "the ledger loads and balances", "{n} ledger errors")


@check("imports-current")
def imports_current(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.errors import BoError
    from bo.paths import find_statements

    problems, found = [], []
    for account in ctx.accounts(*CASH_ROLES):
        conf = ctx.books.settings.accounts[account]
        if conf.statement is None:
            problems.append(f"{account}: bo.yaml names no statement folder for it")
            continue
        try:
            files = find_statements(ctx.books, account, ctx.period)
        except BoError as exc:
            problems.append(f"{account}: {exc}")
            continue
        found += [f"{account}: {f.relative_to(ctx.books.root)}" for f in files]
    return _result(problems, f"statements for {ctx.period} are in", "{n} statements missing", found)


@check("reconciled", ReconciledParams)
def reconciled(ctx: CloseContext, params: ReconciledParams) -> StepResult:
    from bo.commands.reconcile import (
        as_record,
        find_statements,
        load_record,
        record_path,
        record_text,
    )
    from bo.errors import BoError
    from bo.reconcile import reconcile

    settings = ctx.books.settings
    # The step's own ages for outstanding items, where it gives them, over bo.yaml's
    # (statements read alike: `ctx.statement` reads them with bo.yaml's formats).
    ages = {
        key: value
        for key in ("outstanding_check_days", "deposit_in_transit_days")
        if (value := getattr(params, key)) is not None
    }
    if ages:
        settings = settings.model_copy(
            update={"thresholds": settings.thresholds.model_copy(update=ages)}
        )
    problems, details = [], []
    result_writes: dict[Path, str] = {}
    for account in params.accounts or ctx.accounts(*CASH_ROLES):
        try:
            files = find_statements(ctx.books, account, ctx.period)
            statements = [ctx.statement(p, account) for p in files]
        except BoError as exc:
            problems.append(f"{account}: {exc}")
            continue
        path = record_path(ctx.books, account, ctx.period)
        own = load_record(path)
        rec = reconcile(
            ctx.books.root,
            settings,
            ctx.entries,
            account,
            ctx.period,
            statements,
            previous=load_record(record_path(ctx.books, account, ctx.period.previous)),
            pins=(own or {}).get("pins") or [],
        )
        text = record_text(as_record(rec, (own or {}).get("pins") or []), own)
        if text is not None:
            result_writes[path] = text
        head = f"{account}: difference {rec.difference:,}"
        if rec.reconciled:
            details.append(
                f"{head}; {len(rec.in_transit)} in transit "
                f"(+{rec.deposits_in_transit:,} / -{rec.outstanding:,})"
            )
            continue
        problems.append(head)
        for item in (*rec.missing, *rec.near, *rec.stale):
            problems.append(
                f"  {item.kind}: {item.date} {item.amount:,} {item.text} ({item.where})"
            )
    failing = sum(1 for line in problems if not line.startswith("  "))
    result = _result(problems, "every bank and card account reconciled", "", details)
    if failing:
        result.summary = f"{failing} of {failing + len(details)} accounts not reconciled"
    result.writes.update(result_writes)  # the reconciliation records, carried to next month
    return result


def _role_postings(ctx: CloseContext, roles: tuple[str, ...]) -> list[str]:
    accounts = set(ctx.accounts(*roles))
    found = []
    for entry in ctx.entries:
        if type(entry) is not data.Transaction or entry.date > ctx.period.end:
            continue
        for posting in entry.postings:
            if posting.account in accounts:
                found.append(
                    f"{ctx.where(entry)}: {entry.date} {posting.units} to {posting.account} "
                    f"({entry.payee or entry.narration})"
                )
    return found


@check("no-uncategorized")
def no_uncategorized(ctx: CloseContext, params: NoParams) -> StepResult:
    # Postings moved out later leave the account at zero: only a balance is a problem.
    balances = {a: ctx.balance(a, ctx.period.end) for a in ctx.accounts("uncategorized")}
    if all(b == 0 for b in balances.values()):
        return StepResult("passed", "nothing uncategorized")
    found = _role_postings(ctx, ("uncategorized",))
    return StepResult("failed", f"{len(found)} uncategorized postings", found)


@check("suspense-zero")
def suspense_zero(ctx: CloseContext, params: NoParams) -> StepResult:
    problems = [
        f"{account}: {balance:,} at {ctx.period.end}"
        for account in ctx.accounts("suspense", "clearing")
        if (balance := ctx.balance(account, ctx.period.end)) != 0
    ]
    return _result(problems, "suspense and clearing accounts at zero", "{n} not at zero")


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


@check("payroll-tieout", PayrollParams)
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
    return _result(problems, "payroll posted and tied out", "{n} payroll problems", details)


@action("post-schedules")
def post_schedules(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.close.schedules import CLOSING_DIR, closing_text, due_entries, load_schedules

    schedules = load_schedules(ctx.books.root)
    needed, already = due_entries(schedules, ctx.period, ctx.entries)
    path = ctx.books.ledger_path.parent / CLOSING_DIR / f"{ctx.period}.beancount"
    result = StepResult(
        "passed",
        f"{len(needed)} schedule entries to post, {already} posted already",
        [f"{txn.date} {txn.narration}: {txn.postings[0].units}" for txn, _ in needed],
    )
    if needed:
        result.writes[path] = closing_text(path, ctx.period, needed)
    return result


@action("render-reports", ReportsParams)
def render_reports(ctx: CloseContext, params: ReportsParams) -> StepResult:
    """The period's reports for the reviewer, into reports/P/ (as `bo report KIND` renders
    them); failed when one finds something wrong (a trial balance that does not balance)."""
    from bo.reports.build import build
    from bo.reports.render import render

    result = StepResult("passed", "")
    wrong = []
    folder = ctx.books.root / "reports" / str(ctx.period)
    for kind in params.kinds:
        built = build(kind, ctx.books, ctx.period, None)
        report = built.report
        text = render(
            kind,
            report,
            params.format,
            ctx.books.root,
            entity=ctx.books.settings.entity.name,
            generated=datetime.combine(ctx.today, time()),
            rows=built.rows,
            columns=built.columns,
        )
        path = folder / f"{kind}.{params.format}"
        result.writes[path] = text
        result.details.append(f"reports/{ctx.period}/{path.name}")
        if not all(getattr(report, attr, True) for attr in ("balanced", "ties")):
            wrong.append(kind)
    names = ", ".join(params.kinds)
    if wrong:
        result.status, result.summary = "failed", f"{', '.join(wrong)}: does not balance or tie"
    else:
        result.summary = f"{names} for {ctx.period} produced"
    return result


@warm("render-reports")
@warm("aging-reviewed")
@warm("flux")
@warm("trial-balance")
def _report_modules(ctx: CloseContext, params: Params) -> None:
    # The report modules (jinja2 with them) cost a close of a small ledger as much as the
    # reports do: imported while the ledger is on its way.
    for module in ("bo.reports.build", "bo.reports.render", "bo.reports.variance"):
        importlib.import_module(module)


@check("schedules-posted")
def schedules_posted(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.close.schedules import due_entries, load_schedules

    needed, already = due_entries(load_schedules(ctx.books.root), ctx.period, ctx.entries)
    problems = [f"{txn.date} {txn.narration} not posted" for txn, _ in needed]
    return _result(
        problems, f"all {already} schedule entries posted", "{n} schedule entries missing"
    )


@warm("reconciled")
def _statements_to_reconcile(ctx: CloseContext, params: ReconciledParams) -> None:
    from bo.commands.reconcile import find_statements  # and the matcher, with it
    from bo.errors import BoError

    for account in params.accounts or ctx.accounts(*CASH_ROLES):
        try:
            for path in find_statements(ctx.books, account, ctx.period):
                ctx.statement(path, account)
        except BoError:
            continue  # the check says what is wrong


@check("no-duplicates")
def no_duplicates(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.duplicates import find_duplicates, load_dismissed

    found = find_duplicates(
        ctx.entries,
        ctx.books.settings,
        period=str(ctx.period),
        dismissed=load_dismissed(ctx.books.root),
        statements=_printed(ctx),
        root=ctx.books.root,
    )
    problems = []
    for dupe in found:
        problems.append(
            f"{dupe.id} {dupe.kind} (score {dupe.score:.2f}): {', '.join(dupe.entries)}"
        )
        problems += [f"  {reason}" for reason in dupe.reasons]
    if not found:
        return StepResult("passed", "no duplicates")
    return StepResult("failed", f"{len(found)} possible duplicates", problems)


@warm("no-duplicates")
def _printed(ctx: CloseContext, params: NoParams | None = None) -> Any:
    """What the statements around the period printed (the duplicate scan's evidence)."""
    from bo.commands.duplicates import bank_lines

    importlib.import_module("bo.duplicates")
    key = ("printed",)
    if key not in ctx.cache:
        ctx.cache[key] = bank_lines(ctx.books, ctx.period, read=ctx.statement)
    return ctx.cache[key]


@check("aging-reviewed", AgingParams)
def aging_reviewed(ctx: CloseContext, params: AgingParams) -> StepResult:
    """The aging report is produced (reports/P/aging-ar.md or aging-ap.md), its open items
    tie to the account, and the items past due longer than `over_days` are listed."""
    from bo.reports.aging import aging
    from bo.reports.render import render

    side = params.side
    report = aging(ctx.entries, ctx.books.settings, side, ctx.period.end, ctx.books.root)
    kind = "aging-ar" if side == "receivable" else "aging-ap"
    problems, details = [], []
    if not report.accounts:
        problems.append(f"no account has the role `{side}` in bo.yaml: nothing to age")
    elif not report.ties:
        problems.append(
            f"{', '.join(report.accounts)}: open items {report.total + report.unapplied:,} "
            f"do not tie to the balance {report.balance:,}"
        )
    if report.unapplied:
        problems.append(f"{report.unapplied:,} posted without an invoice: reference")
    old = [item for item in report.items if item.days_past_due > params.over_days]
    credits = [item for item in report.items if item.amount < 0]
    details.append(
        f"{', '.join(report.accounts)}: {len(report.items)} open, total {report.balance:,}; "
        f"over {params.over_days} days: {len(old)}"
    )
    details += [
        f"  {i.invoice} {i.party}: {i.amount:,}, {i.days_past_due} days past due ({i.where})"
        for i in old
    ]
    wrong_side = "credit" if side == "receivable" else "debit"
    details += [
        f"  {i.invoice} {i.party}: {i.amount:,} is a {wrong_side} balance ({i.where})"
        for i in credits
    ]
    over = f"; {len(old)} over {params.over_days} days past due" if old else ""
    result = _result(problems, f"{side} aging ties out{over}", "{n} aging problems", details)
    result.data["over"] = [
        {"party": i.party, "invoice": i.invoice, "amount": str(i.amount), "days": i.days_past_due}
        for i in old
    ]
    if report.accounts:
        text = render(
            kind,
            report,
            "md",
            ctx.books.root,
            entity=ctx.books.settings.entity.name,
            generated=datetime.combine(ctx.today, time()),
        )
        result.writes[ctx.books.root / "reports" / str(ctx.period) / f"{kind}.md"] = text
        result.details.append(f"report: reports/{ctx.period}/{kind}.md")
    return result


@check("trial-balance")
def trial_balance(ctx: CloseContext, params: NoParams) -> StepResult:
    from bo.chart import Chart
    from bo.reports.compute import build_trial_balance

    settings, options = ctx.books.settings, ctx.books.ledger.options
    result = build_trial_balance(
        ctx.entries,
        options,
        ctx.period,
        settings.entity.fiscal_year_start,
        Chart.of(options).retained_earnings(settings),
    )
    totals = ", ".join(f"{v:,} {c}" for c, v in sorted(result.total_debit.items()))
    # A residue beancount's tolerance allows is rounding, not an error: said, not failed.
    rounding = "".join(
        f"; {abs(v):,} {c} rounding within tolerance" for c, v in sorted(result.rounding.items())
    )
    if result.balanced:
        return StepResult(
            "passed", f"debits equal credits ({totals}{rounding})", list(result.notes)
        )
    return StepResult("failed", "debits and credits differ", [totals, *result.problems])


def explanation_text(value: Any) -> str:
    """The words of an explanation in the record (a string, or text with its figures)."""
    return value.get("text", "") if isinstance(value, dict) else str(value or "")


@check("flux", FluxParams)
def flux(ctx: CloseContext, params: FluxParams) -> StepResult:
    """Income and expense accounts that moved more than bo.yaml's flux thresholds against
    last month, or against the budget, need a written explanation (`bo close P --explain
    ACCOUNT=TEXT`). An explanation holds for the figures it was written for: when they
    change afterwards, the line needs explaining again. The same month-over-month numbers
    as `bo report flux`."""
    from bo.reports.variance import flux as flux_report
    from bo.reports.variance import is_flagged

    settings = ctx.books.settings
    report = flux_report(ctx.entries, settings, ctx.period, {}, None, ctx.books.ledger.options)
    budgeted, budget_note = _budget_figures(ctx) if params.budget else ({}, "")
    current = {line.account: line for line in report.lines}
    explained = ctx.record.get("explanations") or {}
    problems, details, bound = [], [], {}
    for account in sorted(set(current) | set(budgeted)):
        line = current.get(account)
        now = line.current if line else ZERO
        reasons, figures = [], {"current": str(now)}
        if line is not None:
            figures["prior"] = str(line.prior)
            if line.flagged:
                percent = f", {line.percent}%" if line.percent is not None else ""
                reasons.append(
                    f"{line.prior:,} -> {line.current:,} ({line.change:+,}{percent}) "
                    f"against {report.prior_period}"
                )
        if account in budgeted:
            plan = budgeted[account]
            figures["budget"] = str(plan)
            if is_flagged(now - plan, plan, settings.thresholds):
                reasons.append(f"budget {plan:,}, actual {now:,} ({now - plan:+,})")
        if not reasons:
            continue
        text = f"{account}: {'; '.join(reasons)}"
        given = explained.get(account)
        if given is None:
            problems.append(f"{text}: needs an explanation")
        elif isinstance(given, str):
            # Written just now (or by hand): it explains these figures.
            bound[account] = {"text": given, "figures": figures}
            details.append(f"{text}: {given}")
        elif given.get("figures") == figures:
            details.append(f"{text}: {given['text']}")
        else:
            was = ", ".join(f"{k} {v}" for k, v in sorted((given.get("figures") or {}).items()))
            problems.append(
                f'{text}: explained for other figures ({was}): explain again ("{given["text"]}")'
            )
    result = _result(
        problems,
        "every flagged change explained",
        "{n} changes need an explanation",
        details + ([budget_note] if budget_note else []),
    )
    result.data["explained"] = bound
    return result


def _budget_figures(ctx: CloseContext) -> tuple[dict[str, Decimal], str]:
    """The month's budget per account, when the year has a budget file."""
    from bo.reports.variance import budget

    if not (ctx.books.root / "budgets" / f"{ctx.period.year}.yaml").is_file():
        return {}, f"no budget for {ctx.period.year} (budgets/{ctx.period.year}.yaml)"
    options = ctx.books.ledger.options
    report = budget(ctx.entries, ctx.books.settings, ctx.period, ctx.books.root, options)
    return {line.account: line.budget for line in report.lines}, ""


@check("documents", DocumentsParams)
def documents(ctx: CloseContext, params: DocumentsParams) -> StepResult:
    """Entries at or above materiality carry a `document:` or share a link with a document
    directive."""
    materiality = params.materiality or ctx.books.settings.thresholds.materiality
    if materiality is None:
        return StepResult("passed", "no materiality threshold set")
    linked = {link for e in ctx.entries if type(e) is data.Document for link in (e.links or ())}
    problems = []
    for entry in ctx.in_period():
        size = max((abs(p.units.number) for p in entry.postings if p.units), default=ZERO)
        if size < materiality.number or "document" in entry.meta:
            continue
        if linked & set(entry.links or ()):
            continue
        problems.append(f"{ctx.where(entry)}: {entry.date} {entry.payee or ''} {size:,}")
    return _result(
        problems,
        f"entries of {materiality} or more have documents",
        "{n} large entries lack a document",
    )


@check("loan-interest")
def loan_interest(ctx: CloseContext, params: NoParams) -> StepResult:
    """Each loan with a balance was paid this period, with interest in an expense."""
    from bo.chart import Chart

    chart = Chart.of(ctx.books.ledger.options)
    problems, details = [], []
    for account in ctx.accounts("loan"):
        if ctx.balance(account, ctx.period.start) == 0:
            continue
        paid = [
            entry
            for entry in ctx.in_period()
            if any(p.account == account and p.units.number > 0 for p in entry.postings)
        ]
        if not paid:
            problems.append(f"{account}: no payment posted in {ctx.period}")
            continue
        interest = sum(
            (
                p.units.number
                for entry in paid
                for p in entry.postings
                if chart.kind(p.account) == "expenses" and "interest" in p.account.lower()
            ),
            ZERO,
        )
        line = f"{account}: {len(paid)} payment(s), interest {interest:,} ({ctx.where(paid[0])})"
        (details if interest > 0 else problems).append(line)
    return _result(problems, "loan payments and interest posted", "{n} loan problems", details)


@check("cutoff")
def cutoff(ctx: CloseContext, params: NoParams) -> StepResult:
    """Nothing changed in locked periods; nothing dated in this period was entered in a
    later period's closing file; and nothing dated in it was added after its close started
    without a note (`note:` metadata) or a statement line behind it (an import)."""
    from bo.close.cutoff import late_entries
    from bo.close.record import lock_violations

    problems = [
        f"{ctx.shown(f.source)}: {f.message}" for f in lock_violations(ctx.entries, ctx.books.root)
    ]
    for entry in ctx.in_period():
        period = entry.meta.get("period")
        if (
            period is not None
            and "schedule" in entry.meta
            and str(period) != str(ctx.period)
            and not entry.meta.get("reversal")
        ):
            problems.append(f"{ctx.where(entry)}: closing entry of {period} dated in {ctx.period}")
    late = late_entries(ctx.books, ctx.period, (ctx.record.get("started") or {}).get("commit"))
    details = list(late.notes)
    for entry in late.added:
        text = f"{ctx.where(entry)}: {entry.date} {entry.payee or entry.narration}"
        if "note" in entry.meta:
            details.append(f"added during the close: {text} (note: {entry.meta['note']})")
        elif "import-source" in entry.meta:
            details.append(f"added during the close: {text} (from {entry.meta['import-source']})")
        else:
            problems.append(f"{text}: added after the close started, with no `note:` saying why")
    details += [f"changed during the close: {ctx.where(e)}: {e.date} {e.payee or e.narration}"
                for e in late.changed]  # fmt: skip
    return _result(problems, "no late entries in the period", "{n} cutoff problems", details)
