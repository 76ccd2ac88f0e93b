"""Payment runs: which approved bills a run on a given day pays, what it defers and why,
and the entries that pay them.

A run pays the bills due by its date, oldest due first, then bills whose early-pay
discount is still open on that day, while the paying account stays above its minimum
(bo.yaml `accounts.X.minimum`). The cash it weighs is the account's balance in the books
on the run's date, which includes every payment and receipt already booked up to then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from beancount.core import data
from beancount.core.amount import Amount

from bo.cash import balances_at
from bo.errors import BadInputError
from bo.matching import normalize_ref, normalize_text
from bo.output import plural
from bo.payables import RUN_KEY
from bo.payables.approvals import ApprovalState, Bill, approval_states
from bo.payables.bills import is_credit_note
from bo.payables.parties import Parties, PartyRecord
from bo.reports.aging import OpenItem, aging
from bo.settings import CASH_ROLES, Settings

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Payment:
    """One bill the run pays: `amount` leaves the bank, `discount` is taken off what is open."""

    bill: Bill
    vendor: PartyRecord
    open: Decimal
    amount: Decimal
    discount: Decimal
    why: str
    # The vendor's credit notes taken off what is paid: (credit note number, amount).
    credits: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Deferred:
    vendor: str
    number: str
    due: date | None
    open: Decimal
    reason: str


@dataclass(frozen=True)
class PaymentRun:
    day: date
    account: str
    currency: str
    balance: Decimal
    minimum: Decimal
    payments: tuple[Payment, ...]
    deferred: tuple[Deferred, ...]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def after(self) -> Decimal:
        return self.balance - self.total


@dataclass(frozen=True)
class PaidLine:
    """A payment as `--format json` shows it: the bill, not its entry or vendor record."""

    vendor: str
    number: str
    due: date | None
    open: Decimal
    discount: Decimal
    credit: Decimal
    amount: Decimal
    why: str


@dataclass(frozen=True)
class RunSummary(PaymentRun):
    """A payment run as `--format json` shows it: its payments as PaidLine."""

    payments: tuple[PaidLine, ...]  # type: ignore[assignment]


def run_summary(run: PaymentRun) -> RunSummary:
    paid = tuple(
        PaidLine(
            p.bill.vendor,
            p.bill.number,
            p.bill.due,
            p.open,
            p.discount,
            sum((n for _, n in p.credits), ZERO),
            p.amount,
            p.why,
        )
        for p in run.payments
    )
    values = {f.name: getattr(run, f.name) for f in fields(PaymentRun)}
    return RunSummary(**{**values, "payments": paid})


def paying_account(settings: Settings, given: str | None) -> str:
    """`--from`, else bo.yaml `payments.account`, else the one `bank` account."""
    account = given or settings.payments.account
    if account is None:
        banks = settings.accounts_with_role("bank")
        if len(banks) != 1:
            raise BadInputError(
                "which account pays? give --from ACCOUNT or bo.yaml `payments.account` "
                f"(bank accounts: {', '.join(banks) or 'none'})",
                settings.source("payments"),
            )
        account = banks[0]
    if account not in settings.accounts or settings.accounts[account].role != "bank":
        raise BadInputError(f"{account} is not a `role: bank` account of bo.yaml")
    return account


def _blocked(
    state: ApprovalState | None, record: PartyRecord | None, currency: str, day: date
) -> str | None:
    """Why an open bill cannot be paid at all on `day`, or None."""
    if state is None:
        return "no bill entry with this number (a payment or credit without its bill?)"
    if state.bill.currency != currency:
        return f"billed in {state.bill.currency}; the paying account is in {currency}"
    if record is None:
        return "no vendor record in parties/vendors"
    if record.party.onboarded is None or record.party.onboarded > day:
        return f"vendor onboarding not done (`onboarded:` in {record.path.name})"
    if not state.approved:
        have = f", approved by {', '.join(state.approvers)}" if state.approvers else ""
        return f"needs {plural(state.missing, 'more approval')} ({state.need.reason}{have})"
    return None


def propose_run(
    entries: list[data.Directive],
    settings: Settings,
    parties: Parties,
    day: date,
    account: str,
) -> PaymentRun:
    """The payment run for `day` from `account`: pure, over the loaded entries."""
    currency = settings.entity.currency
    minimum_setting = settings.accounts[account].minimum
    minimum = (
        minimum_setting.number if minimum_setting and minimum_setting.currency == currency else ZERO
    )
    balance = balances_at(entries, {account}, day)[account].quantize(CENT)
    states = approval_states(entries, settings)
    items = aging(entries, settings, "payable", day).items
    open_items = [item for item in items if not item.credit]
    credits = vendor_credits(entries, settings, items)
    candidates: list[tuple[int, date, Payment]] = []
    deferred: list[Deferred] = []
    for item in open_items:
        key = (normalize_text(item.party), normalize_ref(item.invoice))
        state = states.get(key)
        record = parties.find("vendor", item.party)
        due = item.due
        discount, until = ZERO, None
        if record is not None and state is not None and item.amount == state.bill.amount:
            terms = record.party.payment_terms
            until = terms.discount_until(state.bill.issued)
            if until is not None and day <= until and settings.payments.discount_account:
                discount = (item.amount * terms.discount_pct / 100).quantize(CENT, ROUND_HALF_UP)
        is_due = due is None or due <= day
        if not is_due and not discount:
            continue  # not due, no discount to earn: a later run pays it
        reason = _blocked(state, record, currency, day)
        if reason is not None:
            deferred.append(Deferred(item.party, item.invoice, due, item.amount, reason))
            continue
        assert state is not None and record is not None
        if is_due:
            why = f"due {due}" if due else "no due date"
            discount = ZERO if until is None or day > until else discount
        else:
            why = f"{record.party.terms}: {discount:,} off until {until}"
        payment = Payment(state.bill, record, item.amount, item.amount - discount, discount, why)
        candidates.append((0 if is_due else 1, due or day, payment))
    available = balance - minimum
    payments = []
    for _, _, payment in sorted(candidates, key=lambda c: (c[0], c[1], c[2].bill.number)):
        payment = _apply_credits(payment, credits.get(normalize_text(payment.bill.vendor), []))
        if payment.amount > available:
            deferred.append(
                Deferred(
                    payment.bill.vendor,
                    payment.bill.number,
                    payment.bill.due,
                    payment.open,
                    f"would take {account} below its minimum {minimum:,} {currency} "
                    f"({available:,} available above it)",
                )
            )
            continue
        for number, taken in payment.credits:
            left = credits[normalize_text(payment.bill.vendor)]
            left[:] = [(n, a - taken if n == number else a) for n, a in left]
        available -= payment.amount
        payments.append(payment)
    deferred.sort(key=lambda d: (d.vendor, d.number))
    return PaymentRun(day, account, currency, balance, minimum, tuple(payments), tuple(deferred))


def vendor_credits(
    entries: list[data.Directive], settings: Settings, items: Sequence[OpenItem]
) -> dict[str, list[tuple[str, Decimal]]]:
    """Each vendor's open credit notes, oldest first: (number, credit left). A debit balance
    that is no credit note (an overpayment) is not taken: it is a refund to chase."""
    payables = frozenset(settings.accounts_with_role("payable"))
    cash = frozenset(settings.accounts_with_role(*CASH_ROLES))
    notes = {
        (normalize_text(e.payee or ""), normalize_ref(str(e.meta["invoice"])))
        for e in entries
        if is_credit_note(e, payables, cash, "bill")
    }
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for item in sorted(items, key=lambda i: (i.issued, i.invoice)):
        key = (normalize_text(item.party), normalize_ref(item.invoice))
        if item.credit and key in notes:
            found.setdefault(key[0], []).append((item.invoice, -item.amount))
    return found


def _apply_credits(payment: Payment, credits: list[tuple[str, Decimal]]) -> Payment:
    """The payment less what the vendor's credit notes cover of it."""
    taken, due = [], payment.amount
    for number, left in credits:
        take = min(left, due)
        if take > 0:
            taken.append((number, take))
            due -= take
    if not taken:
        return payment
    notes = ", ".join(f"credit note {n} {a:,}" for n, a in taken)
    return replace(payment, amount=due, credits=tuple(taken), why=f"{payment.why}; less {notes}")


def payment_entries(run: PaymentRun, settings: Settings) -> list[data.Transaction]:
    """One entry per bill paid: the payable debited with the bill's `invoice:`, so the aging
    closes it, and the bank credited with what leaves it."""
    payable = settings.accounts_with_role("payable")[0]
    found = []
    for payment in run.payments:
        bill = payment.bill
        owed = [p.account for p in bill.entry.postings if p.account in settings.accounts]
        side = next((a for a in owed if settings.accounts[a].role == "payable"), payable)
        postings = [data.Posting(side, Amount(payment.open, run.currency), None, None, None, None)]
        if payment.amount:
            postings.append(
                data.Posting(
                    run.account, Amount(-payment.amount, run.currency), None, None, None, None
                )
            )
        # Each credit note taken closes on the payable under its own number.
        postings += [
            data.Posting(side, Amount(-taken, run.currency), None, None, None, {"invoice": number})
            for number, taken in payment.credits
        ]
        if payment.discount:
            postings.append(
                data.Posting(
                    settings.payments.discount_account,
                    Amount(-payment.discount, run.currency),
                    None,
                    None,
                    None,
                    None,
                )
            )
        meta = {"invoice": bill.number, RUN_KEY: str(run.day)}
        found.append(
            data.Transaction(
                meta,
                run.day,
                "*",
                bill.vendor,
                f"Payment of bill {bill.number}",
                frozenset(),
                frozenset(),
                postings,
            )
        )
    return found
