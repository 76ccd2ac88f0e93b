"""The daily cash check for cron: alerts about cash, each naming the setting that raised it.

`cash_check` is pure over loaded entries and what was read for it: when each account last
heard from its bank (`BankData`, from its statement files) and its reconciliation record as
of the day (`RecRecord`). An empty list means a quiet morning. `load_bank_data` and
`load_rec_record` do the reading. The forecast lives in `bo.forecast`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bo.calendar import BusinessCalendar
from bo.cash_files import Alert
from bo.commodities import rate_at
from bo.errors import BadInputError, Finding, Source
from bo.output import plural
from bo.reports.aging import aging
from bo.reports.model import rounder
from bo.settings import Settings
from bo.yamlfile import load_fast, parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from beancount.core import data

ZERO = Decimal(0)
IMPORT_ID = "import-id"  # what `bo import` stamps on the entries it writes
# "Never paid before" and "the account's largest payment" mean something only against enough
# history: in a books repo's first quarter every payee is new.
HISTORY_DAYS = 90


@dataclass(frozen=True)
class BankData:
    """The dates of an account's statement lines (sorted), each with the file it is in."""

    dates: tuple[date, ...] = ()
    files: tuple[str, ...] = ()

    def newest(self, day: date) -> tuple[date, str] | None:
        """The last statement line dated on or before `day`, and its file."""
        index = bisect.bisect_right(self.dates, day)
        return (self.dates[index - 1], self.files[index - 1]) if index else None


# Validators built on first use (`defer_build`), as the settings' are: an answer from bo's
# cache reads no record.
class RecordedItem(BaseModel):
    """An open item as `bo reconcile` writes it into the record."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    kind: str
    date: date
    amount: Decimal
    text: str = ""
    where: str = ""


class RecordedOpen(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    in_transit: list[RecordedItem] = []
    missing: list[RecordedItem] = []
    amount_differs: list[RecordedItem] = []


class RecRecord(BaseModel):
    """The part of a reconciliation record (recs/PERIOD/ACCOUNT.yaml) the cash check reads."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    period: str
    open: RecordedOpen = Field(default_factory=RecordedOpen)
    path: str = ""


def _watched(settings: Settings) -> tuple[list[str], list[str]]:
    return settings.accounts_with_role("bank"), settings.accounts_with_role("bank", "card")


def not_started(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    bank_data: Mapping[str, BankData],
) -> list[str]:
    """Bank and card accounts nothing has happened in yet (no entry, no balance assertion,
    no statement line): a minimum or a stale statement means nothing there until then."""
    from beancount.core import data

    _, watched = _watched(settings)
    quiet = set(watched) - {a for a, found in bank_data.items() if found.newest(as_of)}
    for entry in entries:
        if entry.date > as_of or not quiet:
            continue
        kind = type(entry)
        if kind is data.Transaction:
            quiet -= {p.account for p in entry.postings}
        elif kind is data.Balance:
            quiet.discard(entry.account)
    return [a for a in watched if a in quiet]


def balances_at(
    entries: Sequence[data.Directive], accounts: set[str], day: date
) -> dict[str, Decimal]:
    """Each account's balance at the end of `day`."""
    from beancount.core import data

    totals = dict.fromkeys(accounts, ZERO)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > day:
            continue
        for posting in entry.postings:
            if posting.account in totals and posting.units is not None:
                totals[posting.account] += posting.units.number
    return totals


def holdings_at(
    entries: Sequence[data.Directive], accounts: set[str], day: date
) -> dict[str, dict[str, Decimal]]:
    """Each account's balance at the end of `day`, per currency: 800 EUR stay 800 EUR."""
    from beancount.core import data

    totals: dict[str, dict[str, Decimal]] = {account: {} for account in accounts}
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > day:
            continue
        for posting in entry.postings:
            held = totals.get(posting.account)
            if held is not None and posting.units is not None:
                currency = posting.units.currency
                held[currency] = held.get(currency, ZERO) + posting.units.number
    return totals


def cash_check(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    *,
    calendar: BusinessCalendar,
    bank_data: Mapping[str, BankData] | None = None,
    records: Mapping[str, RecRecord] | None = None,
    errors: Sequence[Finding] = (),
) -> list[Alert]:
    """Every alert for the morning of `as_of`; empty when all is well. Amounts are compared
    currency by currency: a minimum in USD is checked against the account's dollars (or, for
    an account in another currency, at the ledger's rate, named in the alert). Accounts with
    nothing in them yet (new books) raise nothing: `not_started` names them."""
    quiet = set(not_started(entries, settings, as_of, bank_data or {}))
    banks, watched = ([a for a in found if a not in quiet] for found in _watched(settings))
    alerts = _ledger_errors(errors)
    held = holdings_at(entries, set(watched), as_of)
    alerts += _minimums(settings, banks, held, _price_map(entries), as_of)
    alerts += _stale(entries, settings, watched, as_of, bank_data or {})
    alerts += _unusual(entries, settings, watched, as_of, calendar)
    alerts += _payables_due(entries, settings, banks, held, as_of)
    alerts += _unreconciled(settings, records or {}, as_of)
    return alerts


def _price_map(entries: Sequence[data.Directive]) -> Any:
    from beancount.core import data, prices

    return prices.build_price_map([e for e in entries if type(e) is data.Price])


def _ledger_errors(errors: Sequence[Finding]) -> list[Alert]:
    """A ledger beancount finds wrong (an unbalanced entry, a failed balance assertion) puts
    every figure below in doubt: cron must not stay silent on it."""
    if not errors:
        return []
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return [
        Alert(
            "ledger",
            "",
            f"the ledger has {plural(len(errors), 'error')}, so the figures may be wrong: "
            f"{first}{more}; run bo check and fix them",
            "ledger",
            where=str(first.source or ""),
        )
    ]


def _minimums(
    settings: Settings,
    banks: list[str],
    held: dict[str, dict[str, Decimal]],
    price_map: Any,
    as_of: date,
) -> list[Alert]:
    alerts = []
    for account in banks:
        minimum = settings.accounts[account].minimum
        if minimum is None:
            continue
        currency = minimum.currency
        amounts = {c: n for c, n in held[account].items() if n}
        setting = f"accounts.{account}.minimum"
        balance, shown = amounts.get(currency, ZERO), ""
        others = sorted(set(amounts) - {currency})
        for other in others:  # an account kept in another currency, at the ledger's rate
            rate = rate_at(price_map, other, currency, as_of)
            if rate is None:
                alerts.append(
                    Alert(
                        "minimum",
                        account,
                        f"{account} holds {amounts[other]:,} {other}, and the ledger has no "
                        f"price of {other} in {currency} to check its minimum of "
                        f"{minimum.number:,} {currency}: add a price, or give the minimum "
                        f"in {other}",
                        setting,
                    )
                )
                balance = None
                break
            balance += amounts[other] * rate.rate
            shown += f"; {amounts[other]:,} {other} at {rate}"
        if balance is None or balance >= minimum.number:
            continue
        balance = rounder(None, currency)(balance)  # `@ 1.05 USD` leaves four places
        alerts.append(
            Alert(
                "minimum",
                account,
                f"{account} is at {balance:,} {currency}{shown}, under its minimum of "
                f"{minimum.number:,}: move money in or hold payments",
                setting,
                balance,
            )
        )
    return alerts


def _stale(
    entries: Sequence[data.Directive],
    settings: Settings,
    watched: list[str],
    as_of: date,
    bank_data: Mapping[str, BankData],
) -> list[Alert]:
    """Accounts whose newest word from the bank is too old.

    The bank's word is a statement line, a balance assertion (written from a statement's
    closing balance, so it speaks for the day before its date) or an imported entry. An entry
    typed by hand is not: it says nothing about what the bank has done since.
    """
    from beancount.core import data

    heard: dict[str, tuple[date, str]] = {}
    opened: dict[str, date] = {}

    def hear(account: str, day: date, where: str) -> None:
        if account not in heard or day > heard[account][0]:
            heard[account] = (day, where)

    accounts = set(watched)
    for entry in entries:
        if entry.date > as_of:
            continue
        kind = type(entry)
        if kind is data.Transaction:
            if IMPORT_ID in entry.meta:
                for posting in entry.postings:
                    if posting.account in accounts:
                        hear(posting.account, entry.date, f"import at {_where(entry.meta)}")
        elif kind is data.Balance and entry.account in accounts:
            hear(
                entry.account,
                entry.date - timedelta(days=1),
                f"balance assertion at {_where(entry.meta)}",
            )
        elif kind is data.Open and entry.account in accounts:
            opened[entry.account] = entry.date
    for account, found in bank_data.items():
        newest = found.newest(as_of)
        if newest is not None and account in accounts:
            hear(account, newest[0], f"statement {newest[1]}")

    alerts = []
    for account in watched:
        own = settings.accounts[account].stale_days
        limit = settings.thresholds.stale_days if own is None else own
        setting = f"accounts.{account}.stale_days" if own is not None else "thresholds.stale_days"
        if account in heard:
            day, where = heard[account]
            age = (as_of - day).days
            if age <= limit:
                continue
            news = f"the newest bank data is from {day} ({where}), {age} days ago"
        else:
            # A newly opened account has had no time to hear from its bank.
            since = opened.get(account)
            if since is not None and (as_of - since).days <= limit:
                continue
            news = "no statement line, balance assertion or import from the bank yet"
        alerts.append(
            Alert(
                "stale",
                account,
                f"{account}: {news}, more than {limit}: download the latest statement "
                "and import it (bo import)",
                setting,
            )
        )
    return alerts


def _unusual(
    entries: Sequence[data.Directive],
    settings: Settings,
    watched: list[str],
    as_of: date,
    calendar: BusinessCalendar,
) -> list[Alert]:
    """Outflows since the last business day that history does not explain.

    Against the payee's history (far above its largest earlier payment, or a payee never paid
    before above materiality) and against the account's (far above the largest payment ever
    made from it). Transfers between the business's own bank and card accounts are not
    payments. The last two need `HISTORY_DAYS` of history before they speak.
    """
    from beancount.core import data

    since = as_of - timedelta(days=1)
    while not calendar.is_business_day(since):
        since -= timedelta(days=1)
    thresholds = settings.thresholds
    multiple = thresholds.unusual_multiple
    accounts = set(watched)
    # Payments are compared within their currency: 900 JPY is no more than 9 USD.
    by_payee: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_account: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    recent: list[tuple[data.Transaction, data.Posting]] = []
    first: date | None = None
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > as_of:
            continue
        if all(p.account in accounts for p in entry.postings):
            continue  # moving money between own accounts
        for posting in entry.postings:
            if posting.account not in accounts or posting.units is None:
                continue
            amount = -posting.units.number
            if amount <= 0:
                continue
            if entry.date >= since:
                recent.append((entry, posting))
            else:
                first = entry.date if first is None else min(first, entry.date)
                currency = posting.units.currency
                payee = (_payee(entry), currency)
                by_payee[payee] = max(by_payee[payee], amount)
                mine = (posting.account, currency)
                by_account[mine] = max(by_account[mine], amount)

    seasoned = first is not None and (since - first).days >= HISTORY_DAYS
    alerts = []
    for entry, posting in recent:
        amount, currency = -posting.units.number, posting.units.currency
        payee = entry.payee or entry.narration or ""
        account = posting.account
        head = f"{entry.date} {payee}: {amount:,} {currency} out of {account}"
        # Materiality is an amount in its own currency; another currency's is not measured.
        limit = thresholds.materiality
        materiality = limit.number if limit and limit.currency == currency else None
        material = materiality is None or amount >= materiality
        usual = by_payee.get((_payee(entry), currency))
        largest = by_account.get((account, currency))
        if seasoned and usual is None and materiality is not None and amount >= materiality:
            message = f"to a payee never paid before, above materiality ({materiality:,})"
            setting = "thresholds.materiality"
        elif usual is not None and amount > multiple * usual and material:
            message = f"more than {multiple}x its largest earlier payment ({usual:,})"
            setting = "thresholds.unusual_multiple"
        elif seasoned and largest is not None and amount > multiple * largest:
            message = f"more than {multiple}x the largest payment ever made from it ({largest:,})"
            setting = "thresholds.unusual_multiple"
        else:
            continue
        alerts.append(
            Alert(
                "unusual",
                account,
                f"{head} {message}: check it was meant",
                setting,
                amount,
                _where(entry.meta),
            )
        )
    return alerts


def _payee(entry: data.Transaction) -> str:
    return (entry.payee or entry.narration or "").casefold()


def _payables_due(
    entries: Sequence[data.Directive],
    settings: Settings,
    banks: list[str],
    held: dict[str, dict[str, Decimal]],
    as_of: date,
) -> list[Alert]:
    """Bills due within the window beyond the cash above the minimums, currency by
    currency: euros due are paid from euros."""
    days = settings.thresholds.payables_days
    report = aging(entries, settings, "payable", as_of)
    soon = as_of + timedelta(days=days)
    alerts = []
    for aged in (report, *report.others):
        currency = aged.currency
        due = sum((i.amount for i in aged.items if i.due is not None and i.due <= soon), ZERO)
        if due <= 0:
            continue
        available = ZERO
        for account in banks:
            minimum = settings.accounts[account].minimum
            available += held[account].get(currency, ZERO)
            if minimum is not None and minimum.currency == currency:
                available -= minimum.number
        if due > available:
            alerts.append(
                Alert(
                    "payables",
                    ", ".join(report.accounts),
                    f"bills due by {soon} (within {days} days) total {due:,} {currency}, more "
                    f"than the {available:,} {currency} available above the bank accounts' "
                    "minimums: move money in or agree later dates with vendors",
                    "thresholds.payables_days, accounts.*.minimum",
                    due,
                )
            )
    return alerts


# What each kind of open reconciliation item waits on, and what to do when it waits too long.
_ITEM_RULES = {
    "deposit in transit": ("deposit_in_transit_days", "ask the bank where the deposit is"),
    "outstanding check": ("outstanding_check_days", "ask the payee, or void and reissue it"),
    "outstanding payment": ("deposit_in_transit_days", "ask the bank why it has not cleared"),
    "missing": ("unreconciled_days", "enter it in the books (bo import adds it)"),
    "amount_differs": ("unreconciled_days", "correct the entry to the bank's amount"),
}

_ITEM_STATES = {
    "deposit in transit": "a deposit in transit",
    "missing": "on the statement but missing from the books",
    "amount_differs": "in the books at another amount than the bank's",
}


def _unreconciled(settings: Settings, records: Mapping[str, RecRecord], as_of: date) -> list[Alert]:
    """Items of each account's reconciliation record (as of the day) open too long."""
    alerts = []
    for account, record in sorted(records.items()):
        items = [(i.kind, i) for i in record.open.in_transit]
        items += [("missing", i) for i in record.open.missing]
        items += [("amount_differs", i) for i in record.open.amount_differs]
        for rule, item in items:
            setting, todo = _ITEM_RULES.get(rule, _ITEM_RULES["outstanding payment"])
            limit = getattr(settings.thresholds, setting)
            age = (as_of - item.date).days
            if age <= limit:
                continue
            state = _ITEM_STATES.get(rule) or f"an {item.kind}"
            alerts.append(
                Alert(
                    "unreconciled",
                    account,
                    f"{account}: {item.amount:,} from {item.date} ({item.text}) is {state}, "
                    f"open {age} days (more than {limit}) in the {record.period} "
                    f"reconciliation: {todo}",
                    f"thresholds.{setting}",
                    item.amount,
                    item.where or record.path,
                )
            )
    return alerts


def _where(meta: dict | None) -> str:
    source = Source.from_meta(meta)
    return str(source) if source else ""


# --- reading what the check needs ------------------------------------------------------------


def load_bank_data(
    files: Mapping[str, Sequence[Path]], settings: Settings, root: Path
) -> dict[str, BankData]:
    """Read every statement file; a file that cannot be read is bad input (exit 2)."""
    from bo.statements import read_statement

    found = {}
    for account, paths in files.items():
        lines = []
        for path in paths:
            name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
            lines += [(line.date, name) for line in read_statement(path, account, settings).lines]
        lines.sort()
        found[account] = BankData(tuple(d for d, _ in lines), tuple(f for _, f in lines))
    return found


def load_rec_record(path: Path, root: Path) -> RecRecord:
    """Read a reconciliation record; a damaged one (a merge conflict, a hand edit gone wrong)
    is bad input naming file and line, never a silent morning."""
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    text = read_text(path, name)
    # libyaml first: records of a busy month are large, and are nearly always fine.
    loaded = load_fast(text, name)
    if not isinstance(loaded, dict):
        raise BadInputError("not a reconciliation record (expected a mapping)", Source(name, 1))
    try:
        record = RecRecord.model_validate(loaded)
    except ValidationError:
        # Again with line numbers, for an error that says where.
        parsed, lines = parse_yaml(text, name)
        record = validate_data(RecRecord, parsed, lines, name)
    return record.model_copy(update={"path": name})
