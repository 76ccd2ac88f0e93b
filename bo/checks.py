"""`bo check`: beancount's validation plus bo's own checks over a loaded ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data

from bo.books import Books, Ledger
from bo.close.checklist import SOPS_DIR, load_checklists
from bo.close.locks import lock_state, lock_violations
from bo.close.schedules import load_schedules
from bo.errors import Finding, Source
from bo.settings import Settings

UNCATEGORIZED_ROLES = ("uncategorized", "suspense")


@dataclass(frozen=True)
class CheckResult:
    """What `bo check` found: findings (errors and warnings) and what it looked at."""

    findings: list[Finding]
    entries: int
    files: int
    from_cache: bool  # the whole result was reused from bo's cache

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def check_uncategorized(entries: list[data.Directive], settings: Settings) -> list[Finding]:
    """Postings to uncategorized or suspense accounts.

    A warning here, not an error: mid-month an uncategorized line is normal work in progress;
    the close's `no-uncategorized` step is where it must be zero.
    """
    accounts = set(settings.accounts_with_role(*UNCATEGORIZED_ROLES))
    findings = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if posting.account in accounts:
                findings.append(
                    Finding(
                        Source.from_meta(entry.meta),
                        f"{posting.units} to {posting.account} "
                        f"({entry.payee or entry.narration or 'no payee'}): categorize it",
                        "uncategorized",
                        "warning",
                        entry,
                    )
                )
    return findings


def check_future_entries(entries: list[data.Directive], today: date, days: int) -> list[Finding]:
    """Entries dated more than `days` after `today`: usually a mistyped year."""
    limit = today + timedelta(days=days)
    return [
        Finding(
            Source.from_meta(entry.meta),
            f"dated {entry.date}, more than {days} days after today ({today}); "
            "a mistyped date? (thresholds.future_days)",
            "future-date",
            "error",
            entry,
        )
        for entry in entries
        if entry.date > limit and not isinstance(entry, (data.Price, data.Commodity))
    ]


def check_closed_accounts(ledger: Ledger) -> list[Finding]:
    """Accounts closed while still holding a balance.

    Postings dated after a Close are already beancount's own error ("inactive account");
    what it does not catch is closing an account that still holds money.
    """
    if not ledger.closed:
        return []
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    closed = ledger.closed
    for entry in ledger.entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            close = closed.get(posting.account)
            if close is not None and entry.date < close.date:
                balances[(posting.account, posting.units.currency)] += posting.units.number
    return [
        Finding(
            Source.from_meta(closed[account].meta),
            f"{account} closed on {closed[account].date} with a balance of {number} {currency}",
            "closed-account",
            "error",
            closed[account],
        )
        for (account, currency), number in sorted(balances.items())
        if number != 0
    ]


def check_role_accounts(settings: Settings, ledger: Ledger) -> list[Finding]:
    """Accounts bo.yaml gives a role to that the ledger has since closed."""
    return [
        Finding(
            settings.source("accounts", account),
            f"`accounts.{account}` has role {role.role}, but the account was closed on "
            f"{ledger.closed[account].date}",
            "settings",
            "warning",
        )
        for account, role in sorted(settings.accounts.items())
        if account in ledger.closed
    ]


def run_check(books: Books, today: date) -> CheckResult:
    """Everything `bo check` checks, collected rather than stopping at the first problem.

    The result is cached on what it read: the ledger's files, bo.yaml, the checklists,
    schedules and close records, and today's date. An unchanged books repo (the pre-commit
    hook, CI, cron) is checked again without loading a single entry.
    """
    root = books.root
    read = [
        *sorted((root / SOPS_DIR).glob("*.yaml")),
        *sorted((root / "schedules").glob("*.yaml")),
        *sorted((root / "closes").glob("*.yaml")),
        *sorted((root / "closes").glob("*/*.yaml")),
    ]
    fresh = []

    def compute() -> CheckResult:
        fresh.append(True)
        result = _run_checks(books, today)
        # Findings keep their place and message; the entries they point at stay in the ledger.
        return replace(result, findings=[replace(f, entry=None) for f in result.findings])

    # The close tags hold the locks' evidence: a tag made or removed is a change too.
    params = (str(today), lock_state(root))
    result = books.result("check", compute, files=read, params=params)
    return result if fresh else replace(result, from_cache=True)


def _run_checks(books: Books, today: date) -> CheckResult:
    load_checklists(books.root, books.settings)  # invalid checklists are bad input, like bo.yaml
    load_schedules(books.root)  # and so are invalid schedules
    ledger = books.ledger
    entries = ledger.entries
    # beancount's own validation, already file:line; the lock plugin's errors are redone
    # below, so books without the plugin line are guarded too.
    findings = [f for f in ledger.errors if f.check != "LockError"]
    findings += lock_violations(entries, books.root)
    findings += check_future_entries(entries, today, books.settings.thresholds.future_days)
    findings += check_closed_accounts(ledger)
    findings += check_role_accounts(books.settings, ledger)
    findings += check_uncategorized(entries, books.settings)
    findings.sort(
        key=lambda f: (
            f.severity != "error",
            f.source.filename if f.source else "",
            f.source.lineno or 0 if f.source else 0,
            f.message,
        )
    )
    return CheckResult(findings, len(entries), len(ledger.files), from_cache=False)
