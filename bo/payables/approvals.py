"""Bill approvals by threshold: what each bill needs under bo.yaml `approvals`, who has
approved it, and whether a person may.

An approval is a beancount `custom "bo-approval"` directive (vendor, bill number, person),
appended to the books: dated, in git, visible in fava, and read with the ledger in one
parse. A bill is keyed by its vendor and normalized number, as the duplicate checks key it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.parser.grammar import ValueType

from bo.errors import RefusedError
from bo.identity import Signer
from bo.matching import normalize_ref, normalize_text
from bo.payables.bills import ENTERED_BY, is_document
from bo.settings import ApprovalBand, Settings

APPROVAL = "bo-approval"
Key = tuple[str, str]  # (normalized vendor, normalized bill number)


def bill_key(vendor: str, number: str) -> Key:
    return normalize_text(vendor), normalize_ref(number)


@dataclass(frozen=True)
class Bill:
    """A booked bill: what the payable was credited, and who entered it (when bo knows)."""

    vendor: str
    number: str
    issued: date
    due: date | None
    amount: Decimal
    currency: str
    accounts: tuple[str, ...]  # the lines' accounts
    entered_by: str | None
    entry: data.Transaction

    @property
    def key(self) -> Key:
        return bill_key(self.vendor, self.number)


@dataclass(frozen=True)
class Need:
    """What a bill needs: `count` different people, each holding one of `roles` (any if
    empty), and why."""

    count: int
    roles: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ApprovalState:
    bill: Bill
    need: Need
    approvers: tuple[str, ...]
    last: date  # the bill's date or its last approval: what the idle window counts from

    @property
    def missing(self) -> int:
        return max(0, self.need.count - len(self.approvers))

    @property
    def approved(self) -> bool:
        return self.missing == 0


def find_bills(entries: Iterable[data.Directive], settings: Settings) -> list[Bill]:
    """Every entry that books a bill, in ledger order."""
    payables = frozenset(settings.accounts_with_role("payable"))
    bills = []
    for entry in entries:
        if not is_document(entry, payables, "bill"):
            continue
        owed = [p for p in entry.postings if p.account in payables and p.units.number < 0]
        due = entry.meta.get("due")
        bills.append(
            Bill(
                entry.payee or "",
                str(entry.meta["invoice"]),
                entry.date,
                due if isinstance(due, date) else None,
                -sum((p.units.number for p in owed), Decimal(0)),
                owed[0].units.currency,
                tuple(p.account for p in entry.postings if p.account not in payables),
                entry.meta.get(ENTERED_BY),
                entry,
            )
        )
    return bills


def approvals(entries: Iterable[data.Directive]) -> dict[Key, list[data.Custom]]:
    """The approval directives by bill, in date order."""
    found: dict[Key, list[data.Custom]] = defaultdict(list)
    for entry in entries:
        if type(entry) is data.Custom and entry.type == APPROVAL and len(entry.values) >= 3:
            vendor, number = (str(v.value) for v in entry.values[:2])
            found[bill_key(vendor, number)].append(entry)
    return found


def band_for(settings: Settings, bill: Bill) -> ApprovalBand | None:
    """The highest band the bill is above, among those whose accounts and vendors fit it."""
    chosen = None
    vendor = normalize_text(bill.vendor)
    for band in sorted(settings.approvals.bands, key=lambda b: b.above.number):
        if band.above.currency != bill.currency or bill.amount <= band.above.number:
            continue
        if band.accounts and not set(band.accounts) & set(bill.accounts):
            continue
        if band.vendors and vendor not in {normalize_text(v) for v in band.vendors}:
            continue
        chosen = band
    return chosen


def need_of(settings: Settings, bill: Bill, first_of_vendor: bool) -> Need:
    """One approval at least: an unapproved bill is never paid."""
    policy = settings.approvals
    if policy.since is not None and bill.issued < policy.since:
        return Need(0, (), "dated before approvals.since")
    band = band_for(settings, bill)
    count, roles = 1, ()
    reason = "every bill is approved once"
    if band is not None:
        count, roles = band.approvers, tuple(band.roles)
        reason = f"above {band.above}"
    if first_of_vendor and policy.new_vendor_approvers > count:
        count = policy.new_vendor_approvers
        reason = "a new vendor's first bill"
    return Need(count, roles, reason)


def approval_states(
    entries: Sequence[data.Directive], settings: Settings
) -> dict[Key, ApprovalState]:
    """Every bill's approval state."""
    given = approvals(entries)
    seen: set[str] = set()
    states = {}
    for bill in sorted(find_bills(entries, settings), key=lambda b: (b.issued, b.number)):
        vendor = normalize_text(bill.vendor)
        first = vendor not in seen
        seen.add(vendor)
        mine = given.get(bill.key, [])
        names = tuple(dict.fromkeys(str(a.values[2].value) for a in mine))
        last = max([bill.issued, *(a.date for a in mine)])
        states[bill.key] = ApprovalState(bill, need_of(settings, bill, first), names, last)
    return states


def check_approver(state: ApprovalState, signer: Signer) -> None:
    """Refuse (exit 3) an approval the policy does not allow: by the bill's own enterer (or
    their delegate), a second approval by one person, a role the bill's band does not name."""
    bill = state.bill
    person = signer.person
    label = f"bill {bill.number} of {bill.vendor}"
    if bill.entered_by and bill.entered_by in (person.name, signer.by.name):
        raise RefusedError(
            f"{bill.entered_by} entered {label}; someone else must approve it (nothing was written)"
        )
    if person.name in state.approvers:
        raise RefusedError(f"{person.name} has approved {label} already (nothing was written)")
    if state.need.roles and not set(state.need.roles) & set(person.roles):
        roles = ", ".join(state.need.roles)
        raise RefusedError(
            f"{label} ({bill.amount:,} {bill.currency}, {state.need.reason}) needs an "
            f"approver holding {roles}; {person.name} holds {', '.join(person.roles)}"
        )


def approval_entry(day: date, bill: Bill, signer: Signer) -> data.Custom:
    """The approval directive; a delegate's approval names who ran bo as its fourth value."""
    values = [
        ValueType(bill.vendor, str),
        ValueType(bill.number, str),
        ValueType(signer.person.name, str),
    ]
    if signer.delegated:
        values.append(ValueType(signer.by.name, str))
    return data.Custom({}, day, APPROVAL, values)


def idle_since(state: ApprovalState, idle_days: int) -> date:
    """The day a waiting bill escalates."""
    return state.last + timedelta(days=idle_days)
