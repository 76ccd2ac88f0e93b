"""The built-in checks and actions a checklist step can name.

Each is a small function of a `CloseContext` returning a `StepResult`: passed or failed,
a one-line summary and the details a reviewer needs (with `file:line` where there is one).
Checks only read; the one action (`post-schedules`) returns the files it wants written,
and `bo.close.run` writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from bo.books import Books
from bo.periods import Period
from bo.settings import CASH_ROLES

ZERO = Decimal(0)


@dataclass
class StepResult:
    status: str  # passed | failed | error
    summary: str
    details: list[str] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)  # actions: files to write
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

    @property
    def entries(self) -> list[data.Directive]:
        return self.books.ledger.entries

    def where(self, entry: Any) -> str:
        meta = getattr(entry, "meta", None) or {}
        name = str(meta.get("filename", ""))
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(self.books.root):
            name = str(path.relative_to(self.books.root))
        return f"{name}:{meta.get('lineno')}" if meta.get("lineno") else name

    def accounts(self, *roles: str) -> list[str]:
        return sorted(a for a, conf in self.books.settings.accounts.items() if conf.role in roles)

    def balance(self, account: str, day: date) -> Decimal:
        total = ZERO
        for entry in self.entries:
            if type(entry) is data.Transaction and entry.date <= day:
                for posting in entry.postings:
                    if posting.account == account and posting.units is not None:
                        total += posting.units.number
        return total


Check = Callable[[CloseContext, dict[str, Any]], StepResult]
CHECKS: dict[str, Check] = {}
ACTIONS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        CHECKS[name] = func
        return func

    return register


def action(name: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        ACTIONS[name] = func
        return func

    return register


def _result(problems: list[str], ok: str, bad: str, details: list[str] | None = None):
    if problems:
        return StepResult("failed", bad.format(n=len(problems)), problems + (details or []))
    return StepResult("passed", ok, details or [])


@check("calendar")
def calendar(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    # Owners, reviewers and their segregation are validated when the checklist loads.
    people = ", ".join(f"{p.name} ({', '.join(p.roles)})" for p in ctx.books.settings.people)
    return StepResult("passed", "every step has an owner and a different reviewer", [people])


@check("ledger-valid")
def ledger_valid(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.checks import run_check

    result = run_check(ctx.books, ctx.today)
    problems = [f"{f.source}: {f.message}" for f in result.errors]
    return _result(problems, "the ledger loads and balances", "{n} ledger errors")


@check("imports-current")
def imports_current(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.commands.reconcile import find_statements
    from bo.errors import BoError

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


@check("reconciled")
def reconciled(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.commands.reconcile import (
        as_record,
        find_statements,
        load_record,
        record_path,
        record_text,
    )
    from bo.errors import BoError
    from bo.reconcile import reconcile
    from bo.statements import read_statement

    problems, details, recs = [], [], {}
    result_writes: dict[Path, str] = {}
    for account in ctx.accounts(*CASH_ROLES):
        try:
            files = find_statements(ctx.books, account, ctx.period)
            statements = [read_statement(p, account, ctx.books.settings) for p in files]
        except BoError as exc:
            problems.append(f"{account}: {exc}")
            continue
        rec = reconcile(
            ctx.books.root,
            ctx.books.settings,
            ctx.entries,
            account,
            ctx.period,
            statements,
            previous=load_record(record_path(ctx.books, account, ctx.period.previous)),
            pins=(load_record(record_path(ctx.books, account, ctx.period)) or {}).get("pins") or [],
        )
        recs[account] = rec
        path = record_path(ctx.books, account, ctx.period)
        own = load_record(path)
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
    result.data["recs"] = recs
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
def no_uncategorized(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    found = _role_postings(ctx, ("uncategorized",))
    # Postings moved out later leave the account at zero: only a balance is a problem.
    balances = {a: ctx.balance(a, ctx.period.end) for a in ctx.accounts("uncategorized")}
    if all(b == 0 for b in balances.values()):
        return StepResult("passed", "nothing uncategorized")
    return StepResult("failed", f"{len(found)} uncategorized postings", found)


@check("suspense-zero")
def suspense_zero(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    problems = [
        f"{account}: {balance:,} at {ctx.period.end}"
        for account in ctx.accounts("suspense", "clearing")
        if (balance := ctx.balance(account, ctx.period.end)) != 0
    ]
    return _result(problems, "suspense and clearing accounts at zero", "{n} not at zero")


@check("payroll-tieout")
def payroll_tieout(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    """Liabilities at the period end are exactly what the period's payroll accrued:
    everything accrued before was remitted."""
    problems, details = [], []
    for account in ctx.accounts("payroll_liabilities"):
        balance = ctx.balance(account, ctx.period.end)
        accrued = ZERO
        for entry in ctx.entries:
            if type(entry) is not data.Transaction:
                continue
            if ctx.period.start <= entry.date <= ctx.period.end:
                for posting in entry.postings:
                    if posting.account == account and posting.units.number < 0:
                        accrued += posting.units.number
        line = f"{account}: balance {balance:,}, accrued this period {accrued:,}"
        (details if balance == accrued else problems).append(line)
    return _result(problems, "payroll liabilities tie out", "{n} do not tie out", details)


@action("post-schedules")
def post_schedules(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
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


@check("schedules-posted")
def schedules_posted(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.close.schedules import due_entries, load_schedules

    needed, already = due_entries(load_schedules(ctx.books.root), ctx.period, ctx.entries)
    problems = [f"{txn.date} {txn.narration} not posted" for txn, _ in needed]
    return _result(
        problems, f"all {already} schedule entries posted", "{n} schedule entries missing"
    )


@check("no-duplicates")
def no_duplicates(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.commands.duplicates import bank_lines
    from bo.duplicates import find_duplicates, load_dismissed

    found = find_duplicates(
        ctx.entries,
        ctx.books.settings,
        period=str(ctx.period),
        dismissed=load_dismissed(ctx.books.root),
        statements=bank_lines(ctx.books, ctx.period),
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


@check("aging-reviewed")
def aging_reviewed(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    """Open items by `invoice:` tie to the account; those over 90 days are listed."""
    side = params.get("side", "receivable")
    problems, details = [], []
    for account in ctx.accounts(side):
        open_items: dict[str, Decimal] = defaultdict(Decimal)
        due: dict[str, date] = {}
        first: dict[str, Any] = {}
        untagged = ZERO
        for entry in ctx.entries:
            if type(entry) is not data.Transaction or entry.date > ctx.period.end:
                continue
            for posting in entry.postings:
                if posting.account != account:
                    continue
                invoice = entry.meta.get("invoice")
                if invoice is None:
                    untagged += posting.units.number
                    continue
                key = f"{entry.payee}|{invoice}" if side == "payable" else str(invoice)
                open_items[key] += posting.units.number
                if "due" in entry.meta:
                    due[key] = entry.meta["due"]
                    first.setdefault(key, entry)
        balance = ctx.balance(account, ctx.period.end)
        total = sum(open_items.values(), ZERO) + untagged
        if total != balance:
            problems.append(
                f"{account}: open items {total:,} do not tie to the balance {balance:,}"
            )
        if untagged:
            problems.append(f"{account}: {untagged:,} posted without an invoice: reference")
        old = []
        for key, amount in sorted(open_items.items()):
            if amount == 0 or key not in due:
                continue
            late = (ctx.period.end - due[key]).days
            if late > 90:
                entry = first[key]
                old.append(
                    f"  {key.split('|')[-1]} {entry.payee}: {amount:,}, {late} days past due "
                    f"({ctx.where(entry)})"
                )
        count = sum(1 for a in open_items.values() if a != 0)
        details.append(f"{account}: {count} open, total {balance:,}; over 90 days: {len(old)}")
        details += old
    return _result(problems, f"{side} aging ties out", "{n} aging problems", details)


@check("trial-balance")
def trial_balance(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    from bo.reports.compute import build_trial_balance

    settings = ctx.books.settings
    earnings = (settings.accounts_with_role("retained_earnings") or ["Equity:RetainedEarnings"])[0]
    result = build_trial_balance(
        ctx.entries,
        ctx.books.ledger.options,
        ctx.period,
        settings.entity.fiscal_year_start,
        earnings,
    )
    totals = ", ".join(f"{v:,} {c}" for c, v in sorted(result.total_debit.items()))
    if result.balanced:
        return StepResult("passed", f"debits equal credits ({totals})")
    return StepResult("failed", "debits and credits differ", [totals])


@check("flux")
def flux(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    """Income and expense accounts that moved more than bo.yaml's flux thresholds against
    last month need a written explanation (`bo close P --explain ACCOUNT=TEXT`). The same
    numbers as `bo report flux`."""
    from bo.reports.variance import flux as flux_report

    explained = ctx.record.get("explanations") or {}
    report = flux_report(ctx.entries, ctx.books.settings, ctx.period, explained)
    problems, details = [], []
    for line in report.flagged:
        text = (
            f"{line.account}: {line.prior:,} -> {line.current:,} ({line.change:+,}"
            + (f", {line.percent}%" if line.percent is not None else "")
            + ")"
        )
        if line.explanation:
            details.append(f"{text}: {line.explanation}")
        else:
            problems.append(f"{text}: needs an explanation")
    return _result(
        problems, "every flagged change explained", "{n} changes need an explanation", details
    )


@check("documents")
def documents(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    materiality = ctx.books.settings.thresholds.materiality
    if materiality is None:
        return StepResult("passed", "no materiality threshold set")
    problems = []
    for entry in ctx.entries:
        if type(entry) is not data.Transaction or not (
            ctx.period.start <= entry.date <= ctx.period.end
        ):
            continue
        size = max((abs(p.units.number) for p in entry.postings if p.units), default=ZERO)
        if size >= materiality.number and "document" not in entry.meta:
            problems.append(f"{ctx.where(entry)}: {entry.date} {entry.payee or ''} {size:,}")
    return _result(problems, "large entries have documents", "{n} large entries lack a document")


@check("loan-interest")
def loan_interest(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    """Each loan with a balance was paid this period, with interest in an expense."""
    problems, details = [], []
    for account in ctx.accounts("loan"):
        if ctx.balance(account, ctx.period.start) == 0:
            continue
        paid = [
            entry
            for entry in ctx.entries
            if type(entry) is data.Transaction
            and ctx.period.start <= entry.date <= ctx.period.end
            and any(p.account == account and p.units.number > 0 for p in entry.postings)
        ]
        if not paid:
            problems.append(f"{account}: no payment posted in {ctx.period}")
            continue
        interest = sum(
            (
                p.units.number
                for entry in paid
                for p in entry.postings
                if p.account.startswith("Expenses:") and "interest" in p.account.lower()
            ),
            ZERO,
        )
        line = f"{account}: {len(paid)} payment(s), interest {interest:,} ({ctx.where(paid[0])})"
        (details if interest > 0 else problems).append(line)
    return _result(problems, "loan payments and interest posted", "{n} loan problems", details)


@check("cutoff")
def cutoff(ctx: CloseContext, params: dict[str, Any]) -> StepResult:
    """Nothing changed in locked periods, and nothing dated in this period was entered in a
    later period's closing file."""
    from bo.close.record import lock_violations

    problems = [f"{f.source}: {f.message}" for f in lock_violations(ctx.entries, ctx.books.root)]
    for entry in ctx.entries:
        if type(entry) is not data.Transaction or not (
            ctx.period.start <= entry.date <= ctx.period.end
        ):
            continue
        period = entry.meta.get("period")
        if (
            period is not None
            and "schedule" in entry.meta
            and str(period) != str(ctx.period)
            and not entry.meta.get("reversal")
        ):
            problems.append(f"{ctx.where(entry)}: closing entry of {period} dated in {ctx.period}")
    return _result(problems, "no entries changed in closed periods", "{n} cutoff problems")
