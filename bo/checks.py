"""`bo check`: beancount's validation plus bo's own checks over a loaded ledger."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from bo.books import CACHE_DIR, Books, Ledger, ledger_inputs, versions
from bo.close.checklist import load_checklists
from bo.close.record import lock_violations
from bo.close.schedules import load_schedules
from bo.errors import Finding, Source
from bo.io import atomic_write
from bo.settings import SETTINGS_FILE, Settings

UNCATEGORIZED_ROLES = ("uncategorized", "suspense")


@dataclass(frozen=True)
class CheckResult:
    """What `bo check` found: findings (errors and warnings) and what it looked at."""

    findings: list[Finding]
    entries: int
    files: int
    from_cache: bool  # the whole result was reused from .bo/cache/check.json

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


# Roles an account may hold while nothing posts to it: nothing waiting to be categorized is
# the goal, and bo states retained earnings itself until a year-end entry moves them.
QUIET_ROLES = ("uncategorized", "suspense", "retained_earnings")


def check_idle_roles(settings: Settings, ledger: Ledger) -> list[Finding]:
    """Accounts bo.yaml gives a role that no posting touches, in books that have entries: a
    role left on an account the books never use (a template's, or a near miss of the real
    one) makes the cash check, the agings and the cash flow quietly empty."""
    roles = {
        a
        for a, conf in settings.accounts.items()
        if conf.role not in QUIET_ROLES and a not in ledger.closed
    }
    used, any_entry = set(), False
    for entry in ledger.entries:
        if type(entry) is data.Transaction:
            any_entry = True
            used.update(p.account for p in entry.postings if p.account in roles)
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

    The result is cached: it depends only on the ledger's content, bo.yaml, the checklists,
    bo's version and today's date, so an unchanged books repo (the pre-commit hook, CI, cron)
    is checked again without loading a single entry.
    """
    if books.use_cache:
        cached = _read_result(books.root, today)
        if cached is not None:
            return cached
    result = _run_checks(books, today)
    if books.use_cache:
        _write_result(books.root, today, result, books.ledger.files)
    return result


def _result_key(root: Path, today: date, files: list[str]) -> str:
    inputs = ledger_inputs(files, root)
    digest = hashlib.sha256(json.dumps([inputs, versions(), str(today)]).encode())
    read = [*sorted((root / "sops").glob("*.yaml")), *sorted((root / "schedules").glob("*.yaml"))]
    for path in [root / SETTINGS_FILE, *read]:
        digest.update(f"|{path.name}|".encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _read_result(root: Path, today: date) -> CheckResult | None:
    try:
        stored = json.loads((root / CACHE_DIR / "check.json").read_text(encoding="utf-8"))
        if stored["key"] != _result_key(root, today, stored["files"]):
            return None
        findings = [
            Finding(
                Source(f["file"], f["line"]) if f["file"] else None,
                f["message"],
                f["check"],
                f["severity"],
            )
            for f in stored["findings"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return CheckResult(findings, stored["entries"], len(stored["files"]), from_cache=True)


def _write_result(root: Path, today: date, result: CheckResult, files: list[str]) -> None:
    stored = {
        "key": _result_key(root, today, files),
        "files": files,
        "entries": result.entries,
        "findings": [f.to_json() for f in result.findings],
    }
    with contextlib.suppress(OSError):
        atomic_write(root / CACHE_DIR / "check.json", json.dumps(stored, indent=1), durable=False)


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
    findings += check_idle_roles(books.settings, ledger)
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
