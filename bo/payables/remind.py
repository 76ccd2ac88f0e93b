"""Reminders: overdue invoices by customer, each at its dunning stage (bo.yaml `dunning`),
and the statement of account that goes with them. bo renders; it sends nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from beancount.core import data

from bo.payables.parties import Parties, PartyRecord
from bo.reports.aging import OpenItem, aging
from bo.settings import DunningStage, Settings

ZERO = Decimal(0)


@dataclass(frozen=True)
class Statement:
    """One customer's statement of account: every open invoice, the overdue ones staged."""

    customer: str
    record: PartyRecord | None
    as_of: date
    currency: str
    stage: DunningStage  # the latest stage any of its invoices reached
    items: tuple[OpenItem, ...]  # open invoices, oldest first
    overdue: tuple[OpenItem, ...]
    credit: Decimal  # payments on account, not applied to an invoice (negative)

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO) + self.credit

    @property
    def total_overdue(self) -> Decimal:
        return sum((i.amount for i in self.overdue), ZERO)


def stage_of(stages: list[DunningStage], days_past_due: int) -> DunningStage | None:
    """The last stage whose day count the invoice has reached."""
    reached = [s for s in stages if days_past_due >= s.days]
    return max(reached, key=lambda s: s.days) if reached else None


def find_reminders(
    entries: list[data.Directive], settings: Settings, parties: Parties, as_of: date
) -> list[Statement]:
    """A statement for each customer with an invoice at a dunning stage on `as_of`."""
    report = aging(entries, settings, "receivable", as_of)
    by_customer: dict[str, list[OpenItem]] = {}
    for item in report.items:
        by_customer.setdefault(item.party, []).append(item)
    found = []
    for customer, items in sorted(by_customer.items()):
        owed = [i for i in items if not i.credit]
        staged = [(i, stage_of(settings.dunning, i.days_past_due)) for i in owed]
        overdue = [(i, s) for i, s in staged if s is not None]
        if not overdue:
            continue
        stage = max((s for _, s in overdue), key=lambda s: s.days)
        credit = sum((i.amount for i in items if i.credit), ZERO)
        found.append(
            Statement(
                customer,
                parties.find("customer", customer),
                as_of,
                report.currency,
                stage,
                tuple(sorted(owed, key=lambda i: (i.issued, i.invoice))),
                tuple(i for i, _ in overdue),
                credit,
            )
        )
    return found


def email_message(statement: Statement, entity: str, text: str, html: str) -> bytes:
    """An .eml file ready to send: the Markdown as plain text, the HTML as its alternative."""
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["From"] = entity
    record = statement.record
    if record is not None and record.party.email:
        message["To"] = record.party.email
    message["Subject"] = (
        f"{statement.stage.name.capitalize()}: statement of account from {entity} "
        f"as of {statement.as_of}"
    )
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return bytes(message)
