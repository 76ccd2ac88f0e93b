"""The bank payment files of a run: CSV for any bank, ISO 20022 pain.001 for those that
take it.

pain.001 is written with sepaxml, a maintained library that builds the XML and validates
it against the ISO 20022 schema it ships; hand-built XML would need both. It addresses
accounts by IBAN only, so a run whose payer or vendors have no IBAN gets the CSV alone.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from bo.payables.payrun import Payment, PaymentRun
from bo.settings import Settings

CSV_COLUMNS = [
    "date",
    "vendor",
    "legal_name",
    "bill",
    "amount",
    "currency",
    "iban",
    "bic",
    "account_number",
    "routing_number",
]


def paid_from_bank(run: PaymentRun) -> list[Payment]:
    """The payments money leaves the bank for: not a bill its vendor's credit notes cover."""
    return [p for p in run.payments if p.amount]


def payment_csv(run: PaymentRun) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for payment in paid_from_bank(run):
        party = payment.vendor.party
        remit = party.remittance
        writer.writerow(
            [
                run.day,
                party.name,
                party.legal_name or party.name,
                payment.bill.number,
                f"{payment.amount:.2f}",
                run.currency,
                remit.iban if remit and remit.iban else "",
                remit.bic if remit and remit.bic else "",
                remit.account_number if remit and remit.account_number else "",
                remit.routing_number if remit and remit.routing_number else "",
            ]
        )
    return buffer.getvalue()


def pain001_missing(run: PaymentRun, settings: Settings) -> list[str]:
    """Why the run cannot be a pain.001 file: who has no IBAN. Empty when it can."""
    missing = []
    if not settings.payments.iban:
        missing.append("bo.yaml `payments.iban` (the payer's)")
    for payment in paid_from_bank(run):
        remit = payment.vendor.party.remittance
        if remit is None or not remit.iban:
            missing.append(f"{payment.vendor.party.name} (`remittance.iban`)")
    return list(dict.fromkeys(missing))


def payment_pain001(run: PaymentRun, settings: Settings, entity: str) -> bytes:
    """pain.001.001.03, validated against its schema; call only when pain001_missing is []."""
    from sepaxml import SepaTransfer

    payer = settings.payments
    config = {
        "name": payer.name or entity,
        "IBAN": payer.iban,
        # One debit per bill on the statement (no batch booking): bo books one payment entry
        # per bill, so each bank line then matches its entry one-to-one in import and rec.
        "batch": False,
        "currency": run.currency,
        # Outside the euro a transfer is not a SEPA one: leave the SEPA service level out.
        "domestic": run.currency != "EUR",
    }
    if payer.bic:
        config["BIC"] = payer.bic
    transfer = SepaTransfer(config, clean=True)
    for payment in paid_from_bank(run):
        remit = payment.vendor.party.remittance
        assert remit is not None and remit.iban
        item = {
            "name": payment.vendor.party.legal_name or payment.vendor.party.name,
            "IBAN": remit.iban.replace(" ", ""),
            "amount": int((payment.amount * 100).to_integral_value()),
            "execution_date": run.day,
            "description": f"Bill {payment.bill.number}",
            "endtoend_id": _end_to_end(run.day, payment.bill.number),
        }
        if remit.bic:
            item["BIC"] = remit.bic
        transfer.add_payment(item)
    return transfer.export(validate=True, pretty_print=True)


def _end_to_end(day: date, number: str) -> str:
    # The bank returns this id on the statement line: the bill number, kept to 35 characters.
    text = "".join(ch for ch in f"{day:%Y%m%d}-{number}" if ch.isalnum() or ch in "-/.")
    return text[:35]
