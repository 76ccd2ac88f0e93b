"""The 1099 review: vendors with a record paid at least the threshold in a calendar year,
and whether a tax id is on file for each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from bo.payables.parties import Parties
from bo.settings import CASH_ROLES, Settings

ZERO = Decimal(0)


@dataclass(frozen=True)
class VendorPaid:
    vendor: str
    legal_name: str
    paid: Decimal
    tax_id: str  # masked, or "" when none is on file
    document: str

    @property
    def missing(self) -> bool:
        return not self.tax_id


@dataclass(frozen=True)
class Report1099:
    year: int
    currency: str
    threshold: Decimal
    vendors: tuple[VendorPaid, ...]

    @property
    def problems(self) -> list[str]:
        return [
            f"{v.vendor}: paid {v.paid:,}, no tax id on file" for v in self.vendors if v.missing
        ]


def build_1099(
    entries: list[data.Directive], settings: Settings, parties: Parties, year: int
) -> Report1099:
    """Money out of bank and card accounts in `year` to each vendor with a record, by payee."""
    currency = settings.entity.currency
    cash = frozenset(settings.accounts_with_role(*CASH_ROLES))
    paid: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, object] = {}
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date.year != year or not entry.payee:
            continue
        out = -sum(
            (
                p.units.number
                for p in entry.postings
                if p.account in cash and p.units.currency == currency
            ),
            ZERO,
        )
        if out <= 0:
            continue
        if entry.payee not in names:
            names[entry.payee] = parties.find("vendor", entry.payee)
        record = names[entry.payee]
        if record is not None:
            paid[record.party.name] += out  # type: ignore[union-attr]
    threshold = settings.payments.report_1099_threshold
    rows = []
    for name, total in sorted(paid.items()):
        if total < threshold:
            continue
        party = parties.get("vendor", name).party
        tax_id = party.tax_id
        masked = f"{tax_id.kind} ***{tax_id.number[-4:]}" if tax_id else ""
        rows.append(
            VendorPaid(
                name,
                party.legal_name or name,
                total,
                masked,
                tax_id.document or "" if tax_id else "",
            )
        )
    return Report1099(year, currency, threshold, tuple(rows))


COLUMNS = ["vendor", "legal_name", "paid", "currency", "tax_id", "document"]


def rows_1099(report: Report1099) -> list[dict[str, object]]:
    """One row per vendor, as CSV and the workbook list them (a blank tax id is missing)."""
    return [
        {
            "vendor": v.vendor,
            "legal_name": v.legal_name,
            "paid": v.paid,
            "currency": report.currency,
            "tax_id": v.tax_id,
            "document": v.document,
        }
        for v in report.vendors
    ]
