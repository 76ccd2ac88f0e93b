"""`bo check`: beancount's validation plus bo's own checks over a loaded ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo.books import Books, Ledger
from bo.close.git import in_git, lock_state
from bo.errors import Finding, SettingsError, Source
from bo.paths import CLOSES_DIR, SOPS_DIR, record_files

if TYPE_CHECKING:
    from beancount.core import data

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
    from beancount.core import data

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
    from beancount.core import data

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
    from beancount.core import data

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


# Roles an account may hold while nothing posts to it: nothing waiting to be categorized is
# the goal, and bo states retained earnings itself until a year-end entry moves them.
QUIET_ROLES = ("uncategorized", "suspense", "retained_earnings")


def check_idle_roles(settings: Settings, ledger: Ledger) -> list[Finding]:
    """Accounts bo.yaml gives a role that no posting touches, in books that have entries: a
    role left on an account the books never use (a template's, or a near miss of the real
    one) makes the cash check, the agings and the cash flow quietly empty."""
    from beancount.core import data

    roles = {
        a
        for a, conf in settings.accounts.items()
        if conf.role not in QUIET_ROLES and a not in ledger.closed
    }
    used: set[str] = set()
    any_entry = False
    for entry in ledger.entries:
        if type(entry) is data.Transaction:
            any_entry = True
            for posting in entry.postings:
                if posting.account in roles:
                    used.add(posting.account)
                    if len(used) == len(roles):
                        return []  # every role in use: nothing more to look for
    if not any_entry:
        return []  # new books: nothing posts anywhere yet
    return [
        Finding(
            settings.source("accounts", account),
            f"`accounts.{account}` has role {settings.accounts[account].role}, but no entry "
            "posts to it: is the role on the account the books use?",
            "settings",
            "warning",
        )
        for account in sorted(roles - used)
    ]


def run_check(books: Books, today: date) -> CheckResult:
    """Everything `bo check` checks, collected rather than stopping at the first problem.

    Cached on what each part read. The ledger's own checks depend on the ledger's files,
    bo.yaml, the checklists and schedules (validated here) and today's date; the locks on the
    fingerprints of each locked period's entries, kept per ledger, against the close
    records. An unchanged books repo (the pre-commit hook, CI, cron), or one whose only change
    is a close record bo just wrote, is checked again without loading a single entry.
    """
    root = books.root
    read = [*sorted((root / SOPS_DIR).glob("*.yaml")), *sorted((root / "schedules").glob("*.yaml"))]
    fresh = []

    def compute() -> CheckResult:
        fresh.append(True)
        result = _run_checks(books, today)
        # Findings keep their place and message; the entries they point at stay in the ledger.
        return replace(result, findings=[replace(f, entry=None) for f in result.findings])

    result = books.result("check", compute, files=read, params=str(today))
    findings = sorted([*result.findings, *check_locks(books)], key=_finding_order)
    return replace(result, findings=findings, from_cache=not fresh)


def check_locks(books: Books) -> list[Finding]:
    """Entries added, changed or removed in a locked period, and what is wrong with the locks
    themselves (bo.close.locks): entries are looked at only for a period whose fingerprints
    differ from its lock's.

    Kept on what the locks are read from (the close records, the close tags in git) and the
    ledger: the pre-commit hook after a close reads no record and no entry again."""
    root = books.root
    records = [path for _, _, path in record_files(root)]
    folders = sorted({root / CLOSES_DIR, *(path.parent for path in records)})

    def compute() -> list[Finding]:
        from bo.close.locks import lock_violations, locked_periods

        locks, problems = locked_periods(root)
        unreadable = [p for p in problems if p.check == "close-record"]
        if unreadable:
            raise SettingsError(unreadable)
        for held in locks:
            if set(period_prints(books, held.dates)) != set(held.lock.entries):
                found = lock_violations(books.ledger.entries, root)
                return [replace(f, entry=None) for f in found]
        return problems

    return books.result(
        "check-locks",
        compute,
        files=records,
        folders=folders,
        params=[in_git(root), lock_state(root)],
    )


def period_prints(books: Books, period: Any) -> list[str]:
    """The fingerprints of the entries of a period (anything with `start` and `end` dates),
    kept per ledger."""
    from bo.close.record import period_fingerprints

    return books.result(
        "period-prints",
        lambda: sorted(period_fingerprints(books.ledger.entries, period)),
        params=f"{period.start}..{period.end}",
    )


def _finding_order(finding: Finding) -> tuple:
    source = finding.source
    return (
        finding.severity != "error",
        source.filename if source else "",
        (source.lineno or 0) if source else 0,
        finding.message,
    )


def _run_checks(books: Books, today: date) -> CheckResult:
    # Imported here, as beancount is below: an answer from bo's cache needs none of them.
    from bo.close.checklist import load_checklists
    from bo.close.schedules import load_schedules

    load_checklists(books.root, books.settings)  # invalid checklists are bad input, like bo.yaml
    load_schedules(books.root)  # and so are invalid schedules
    ledger = books.ledger
    entries = ledger.entries
    # beancount's own validation, already file:line. bo loads the ledger with the lock plugin
    # stepping aside (its errors would name the close records); `check_locks` does its work.
    findings = [f for f in ledger.errors if f.check != "LockError"]
    findings += check_future_entries(entries, today, books.settings.thresholds.future_days)
    findings += check_closed_accounts(ledger)
    findings += check_role_accounts(books.settings, ledger)
    findings += check_idle_roles(books.settings, ledger)
    findings += check_uncategorized(entries, books.settings)
    findings.sort(key=_finding_order)
    return CheckResult(findings, len(entries), len(ledger.files), from_cache=False)
