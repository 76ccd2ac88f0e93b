"""Vendor and customer records: one YAML file per party under parties/vendors and
parties/customers.

A YAML file per party rather than beancount `custom` directives: a record holds nested
data (aliases, tax id with its document, remittance details) that people edit and review
as one unit, it is validated with file:line errors like bo.yaml, and it stays out of the
ledger, whose entries are dated facts while a record is current state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from bo.errors import BadInputError, Finding, SettingsError, Source
from bo.matching import normalize_text
from bo.settings import Strict
from bo.yamlfile import load_yaml_model

PARTIES_DIR = "parties"
KINDS = {"vendor": "vendors", "customer": "customers"}

_TERMS_RE = re.compile(
    r"^(?:(?P<pct>\d+(?:\.\d+)?)/(?P<within>\d+)\s+)?net\s*(?P<days>\d+)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Terms:
    """Payment terms: `net 30`, or `2/10 net 30` (2% off when paid within 10 days)."""

    days: int
    discount_pct: Decimal = Decimal(0)
    discount_days: int = 0

    def due(self, issued: date) -> date:
        return issued + timedelta(days=self.days)

    def discount_until(self, issued: date) -> date | None:
        if not self.discount_pct:
            return None
        return issued + timedelta(days=self.discount_days)


def parse_terms(text: str) -> Terms:
    """`net 30` or `2/10 net 30`; ValueError naming the expected form otherwise."""
    match = _TERMS_RE.match(text.strip())
    if not match:
        raise ValueError(f"terms like `net 30` or `2/10 net 30` expected, got `{text}`")
    pct = Decimal(match["pct"]) if match["pct"] else Decimal(0)
    return Terms(int(match["days"]), pct, int(match["within"] or 0))


class TaxId(Strict):
    kind: str = Field(description="W-9, W-8BEN, VAT ...")
    number: str = Field(min_length=1)
    document: str | None = Field(None, description="the form on file, a path in the books")


class Remittance(Strict):
    """Where to pay: shown masked, written whole only into the bank payment file."""

    iban: str | None = None
    bic: str | None = None
    account_number: str | None = None
    routing_number: str | None = None

    def masked(self) -> str:
        shown = []
        for label, value in (("IBAN", self.iban), ("account", self.account_number)):
            if value:
                plain = value.replace(" ", "")
                shown.append(f"{label} ****{plain[-4:]}")
        return ", ".join(shown) or "none on file"


class Party(Strict):
    """One vendor or customer record."""

    name: str = Field(min_length=1, description="the payee bo writes on entries")
    legal_name: str | None = None
    aliases: list[str] = Field([], description="other spellings: bank text, old names")
    terms: str = "net 30"
    currency: str | None = Field(None, description="default: entity.currency")
    account: str | None = Field(None, description="default expense (vendor) or income account")
    email: str | None = None
    address: list[str] = Field([], description="postal address lines")
    tax_id: TaxId | None = None
    remittance: Remittance | None = None
    onboarded: date | None = Field(
        None, description="vendor onboarding checklist done on; unpaid until then"
    )

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: str) -> str:
        parse_terms(value)
        return value

    @property
    def payment_terms(self) -> Terms:
        return parse_terms(self.terms)


@dataclass(frozen=True)
class PartyRecord:
    kind: Literal["vendor", "customer"]
    party: Party
    path: Path


@dataclass(frozen=True)
class Parties:
    """Every party record, found by name or alias (spelled any way)."""

    records: tuple[PartyRecord, ...]

    def find(self, kind: str, name: str) -> PartyRecord | None:
        wanted = normalize_text(name)
        for record in self.records:
            if record.kind != kind:
                continue
            names = [record.party.name, *record.party.aliases]
            if record.party.legal_name:
                names.append(record.party.legal_name)
            if any(normalize_text(n) == wanted for n in names):
                return record
        return None

    def get(self, kind: str, name: str) -> PartyRecord:
        """The record, or bad input saying where records live."""
        found = self.find(kind, name)
        if found is None:
            folder = f"{PARTIES_DIR}/{KINDS[kind]}"
            known = ", ".join(sorted(r.party.name for r in self.records if r.kind == kind))
            raise BadInputError(
                f"unknown {kind} `{name}`: add a record in {folder}/ (known: {known or 'none yet'})"
            )
        return found


def load_parties(root: Path) -> Parties:
    """Read every record under parties/; every bad file is named with its line."""
    records: list[PartyRecord] = []
    problems: list[Finding] = []
    for kind, folder in KINDS.items():
        for path in sorted((root / PARTIES_DIR / folder).glob("*.yaml")):
            try:
                party = load_yaml_model(Party, path)
            except SettingsError as exc:
                problems += exc.problems
                continue
            records.append(PartyRecord(kind, party, path))  # type: ignore[arg-type]
    seen: dict[tuple[str, str], Path] = {}
    for record in records:
        key = (record.kind, normalize_text(record.party.name))
        if key in seen:
            problems.append(
                Finding(
                    Source(str(record.path)),
                    f"{record.kind} `{record.party.name}` has a record in {seen[key]} too",
                    "settings",
                )
            )
        seen.setdefault(key, record.path)
    if problems:
        raise SettingsError(problems)
    return Parties(tuple(records))
