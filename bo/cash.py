"""The daily cash check for cron: alerts about cash, each naming the setting that raised it.

Pure functions over loaded entries. `cash_check` returns alerts; an empty list means a quiet
morning. The forecast lives in `bo.forecast`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from bo.reports.aging import aging
from bo.settings import Settings

ZERO = Decimal(0)


@dataclass(frozen=True)
class Alert:
    kind: str  # minimum | stale | unusual | payables | unreconciled
    account: str
    message: str
    setting: str  # the bo.yaml (or record) setting that triggered it
    amount: Decimal | None = None


def _cash_accounts(settings: Settings, *roles: str) -> list[str]:
    return sorted(a for a, c in settings.accounts.items() if c.role in roles)


def balances_at(
    entries: Sequence[data.Directive], accounts: set[str], day: date
) -> dict[str, Decimal]:
    totals = dict.fromkeys(accounts, ZERO)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > day:
            continue
        for posting in entry.postings:
            if posting.account in totals and posting.units is not None:
                totals[posting.account] += posting.units.number
    return totals


def cash_check(
    entries: Sequence[data.Directive], settings: Settings, root: Path, as_of: date
) -> list[Alert]:
    alerts: list[Alert] = []
    thresholds = settings.thresholds
    banks = _cash_accounts(settings, "bank")
    watched = _cash_accounts(settings, "bank", "card")
    balance = balances_at(entries, set(watched), as_of)

    for account in banks:
        minimum = settings.accounts[account].minimum
        if minimum is not None and balance[account] < minimum.number:
            alerts.append(
                Alert(
                    "minimum",
                    account,
                    f"{account} is at {balance[account]:,} {minimum.currency}, under its "
                    f"minimum of {minimum.number:,}: move money in or hold payments",
                    f"accounts.{account}.minimum",
                    balance[account],
                )
            )

    last_seen: dict[str, date] = {}
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > as_of:
            continue
        for posting in entry.postings:
            if posting.account in balance:
                last_seen[posting.account] = max(
                    last_seen.get(posting.account, entry.date), entry.date
                )
    for account in watched:
        seen = last_seen.get(account)
        age = (as_of - seen).days if seen else None
        if age is None or age > thresholds.stale_days:
            when = f"since {seen} ({age} days)" if seen else "ever"
            alerts.append(
                Alert(
                    "stale",
                    account,
                    f"{account}: nothing imported or entered {when}; import the latest "
                    "statement (bo import)",
                    "thresholds.stale_days",
                )
            )

    alerts += _unusual(entries, settings, root, watched, as_of)
    alerts += _payables_due(entries, settings, banks, balance, as_of)
    alerts += _unreconciled(root, watched, as_of, thresholds.outstanding_check_days)
    return alerts


def _unusual(
    entries: Sequence[data.Directive],
    settings: Settings,
    root: Path,
    accounts: list[str],
    as_of: date,
) -> list[Alert]:
    """Outflows since the last business day far above the payee's usual, or a new payee
    paid more than the materiality threshold."""
    calendar = settings.entity.calendar(root)
    since = as_of - timedelta(days=1)
    while not calendar.is_business_day(since):
        since -= timedelta(days=1)
    materiality = settings.thresholds.materiality
    history: dict[str, list[Decimal]] = defaultdict(list)
    recent: list[tuple[data.Transaction, data.Posting]] = []
    watched = set(accounts)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > as_of:
            continue
        for posting in entry.postings:
            if posting.account not in watched or posting.units is None:
                continue
            if posting.units.number >= 0:
                continue
            payee = (entry.payee or entry.narration or "").casefold()
            if entry.date >= since:
                recent.append((entry, posting))
            else:
                history[payee].append(-posting.units.number)
    alerts = []
    for entry, posting in recent:
        amount = -posting.units.number
        payee = entry.payee or entry.narration or ""
        seen = history.get(payee.casefold(), [])
        if seen:
            usual = max(seen)
            if amount > 3 * usual and (materiality is None or amount >= materiality.number):
                alerts.append(
                    Alert(
                        "unusual",
                        posting.account,
                        f"{entry.date} {payee}: {amount:,} out of {posting.account}, more "
                        f"than 3x its largest earlier payment ({usual:,}); check it was meant",
                        "thresholds.materiality",
                        amount,
                    )
                )
        elif materiality is not None and amount >= materiality.number:
            alerts.append(
                Alert(
                    "unusual",
                    posting.account,
                    f"{entry.date} {payee}: {amount:,} out of {posting.account} to a payee "
                    f"never paid before, above materiality ({materiality.number:,})",
                    "thresholds.materiality",
                    amount,
                )
            )
    return alerts


def _payables_due(
    entries: Sequence[data.Directive],
    settings: Settings,
    banks: list[str],
    balance: dict[str, Decimal],
    as_of: date,
) -> list[Alert]:
    report = aging(entries, settings, "payable", as_of)
    soon = as_of + timedelta(days=7)
    due = sum((i.amount for i in report.items if i.due is not None and i.due <= soon), ZERO)
    available = sum(
        (
            balance[a]
            - (settings.accounts[a].minimum.number if settings.accounts[a].minimum else ZERO)
            for a in banks
        ),
        ZERO,
    )
    if due > 0 and due > available:
        return [
            Alert(
                "payables",
                ", ".join(report.accounts),
                f"bills due by {soon} total {due:,}, more than the {available:,} available "
                "above the accounts' minimums",
                "accounts.*.minimum",
                due,
            )
        ]
    return []


def _unreconciled(root: Path, accounts: list[str], as_of: date, limit: int) -> list[Alert]:
    """Items open in the latest reconciliation record for longer than the threshold."""
    import yaml

    from bo.imports import account_slug
    from bo.yamlfile import FAST_LOADER

    alerts = []
    for account in accounts:
        records = sorted((root / "recs").glob(f"*/{account_slug(account)}.yaml"))
        if not records:
            continue
        try:
            record = yaml.load(records[-1].read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
        except yaml.YAMLError:
            continue
        for item in (record.get("open") or {}).get("in_transit") or []:
            day = item.get("date")
            if isinstance(day, date) and (as_of - day).days > limit:
                alerts.append(
                    Alert(
                        "unreconciled",
                        account,
                        f"{account}: {item.get('kind')} of {item.get('amount')} from {day} still "
                        f"open ({(as_of - day).days} days; {item.get('where')})",
                        "thresholds.outstanding_check_days",
                        Decimal(str(item.get("amount", "0"))),
                    )
                )
    return alerts
