"""Bills and invoices in: the entry for one document, with the metadata the agings and the
duplicate checks read (`invoice:` on the entry, `due:`, the party as payee), and the search
for one already booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from beancount.core import data
from beancount.core.amount import Amount

from bo.errors import BadInputError, RefusedError
from bo.matching import normalize_ref, normalize_text
from bo.payables.parties import PartyRecord, parse_terms
from bo.settings import ACCOUNT_RE, CASH_ROLES, Settings

Kind = Literal["bill", "invoice"]
SIDE = {"bill": "payable", "invoice": "receivable"}
ENTERED_BY = "entered-by"


@dataclass(frozen=True)
class Document:
    """A bill or an invoice as entered: lines are (account, amount) in `currency`."""

    kind: Kind
    number: str
    issued: date
    due: date | None
    terms: str | None
    lines: tuple[tuple[str, Decimal], ...]
    currency: str
    tax: Decimal = Decimal(0)
    tax_account: str | None = None
    memo: str = ""


def parse_line(text: str, default_account: str | None) -> tuple[str, Decimal, str | None]:
    """`ACCOUNT=AMOUNT [CUR]`, or `AMOUNT [CUR]` on the party's default account."""
    account, _, rest = text.rpartition("=")
    account = account.strip() or (default_account or "")
    if not account:
        raise BadInputError(
            f"--line {text}: which account? write `Expenses:Office=400.00`, or give the "
            "party an `account` in its record"
        )
    if not ACCOUNT_RE.match(account):
        raise BadInputError(f"--line {text}: `{account}` is not an account name")
    parts = rest.replace(",", "").split()
    try:
        number = Decimal(parts[0])
    except (IndexError, InvalidOperation):
        raise BadInputError(f"--line {text}: `{rest}` is not an amount like 400.00") from None
    if len(parts) > 2 or not number.is_finite():
        raise BadInputError(f"--line {text}: `{rest}` is not an amount like 400.00 USD")
    return account, number, parts[1] if len(parts) == 2 else None


def party_currency(record: PartyRecord, settings: Settings) -> str:
    return record.party.currency or settings.entity.currency


def check_currency(record: PartyRecord, settings: Settings, given: str | None) -> str:
    """The document's currency: the party's; another one is bad input."""
    expected = party_currency(record, settings)
    if given is not None and given != expected:
        where = record.path.name
        raise BadInputError(
            f"amount in {given}, but {record.party.name} is billed in {expected} "
            f"(`currency` in {where})"
        )
    return expected


def side_account(settings: Settings, kind: Kind) -> str:
    """The one payable (receivable) account of bo.yaml."""
    role = SIDE[kind]
    found = settings.accounts_with_role(role)
    if len(found) != 1:
        raise BadInputError(
            f"bo.yaml must give exactly one account `role: {role}` to enter a {kind} "
            f"(found {len(found)})",
            settings.source("accounts"),
        )
    return found[0]


def due_date(doc: Document, record: PartyRecord) -> date:
    if doc.due is not None:
        if doc.due < doc.issued:
            raise BadInputError(f"--due {doc.due} is before the {doc.kind} date {doc.issued}")
        return doc.due
    try:
        terms = parse_terms(doc.terms) if doc.terms else record.party.payment_terms
    except ValueError as exc:
        raise BadInputError(f"--terms: {exc}") from None
    return terms.due(doc.issued)


def build_document(
    settings: Settings, record: PartyRecord, doc: Document, entered_by: str
) -> data.Transaction:
    """The entry for a bill (expenses up, payable credited) or invoice (receivable up)."""
    if not doc.lines:
        raise BadInputError(f"a {doc.kind} needs at least one --line")
    if doc.tax and not doc.tax_account:
        raise BadInputError("--tax needs --tax-account (or an account with `role: sales_tax`)")
    total = sum((n for _, n in doc.lines), Decimal(0)) + doc.tax
    if total == 0:
        raise BadInputError(f"a {doc.kind} totals 0: nothing to enter")
    sign = 1 if doc.kind == "bill" else -1
    postings = [
        data.Posting(account, Amount(sign * number, doc.currency), None, None, None, None)
        for account, number in doc.lines
    ]
    if doc.tax:
        postings.append(
            data.Posting(
                doc.tax_account, Amount(sign * doc.tax, doc.currency), None, None, None, None
            )
        )
    postings.append(
        data.Posting(
            side_account(settings, doc.kind),
            Amount(-sign * total, doc.currency),
            None,
            None,
            None,
            None,
        )
    )
    meta: dict[str, object] = {
        "invoice": doc.number,
        "due": due_date(doc, record),
        ENTERED_BY: entered_by,
    }
    # Below zero it is the party's credit note: the payable debited, the receivable credited.
    what = "Credit note" if total < 0 else doc.kind.capitalize()
    narration = doc.memo or f"{what} {doc.number}"
    return data.Transaction(
        meta, doc.issued, "*", record.party.name, narration, frozenset(), frozenset(), postings
    )


def is_document(entry: data.Directive, accounts: frozenset[str], kind: Kind) -> bool:
    """An entry that books a bill (credits a payable) or an invoice (debits a receivable)."""
    if type(entry) is not data.Transaction or "invoice" not in entry.meta:
        return False
    sign = -1 if kind == "bill" else 1
    return any(
        p.account in accounts and p.units is not None and p.units.number * sign > 0
        for p in entry.postings
    )


def is_credit_note(
    entry: data.Directive, accounts: frozenset[str], cash: frozenset[str], kind: Kind
) -> bool:
    """A party's credit note: an entry with `invoice:` that moves the payable (receivable)
    the other way than a bill (invoice), with no bank or card in it (that is a payment)."""
    if type(entry) is not data.Transaction or "invoice" not in entry.meta:
        return False
    if any(p.account in cash for p in entry.postings):
        return False
    sign = 1 if kind == "bill" else -1
    side = [p for p in entry.postings if p.account in accounts and p.units is not None]
    return bool(side) and all(p.units.number * sign > 0 for p in side)


def find_document(
    entries: list[data.Directive],
    settings: Settings,
    kind: Kind,
    record: PartyRecord,
    number: str,
) -> data.Transaction | None:
    """The entry already booking this party's document `number` (spelled any way)."""
    accounts = frozenset(settings.accounts_with_role(SIDE[kind]))
    cash = frozenset(settings.accounts_with_role(*CASH_ROLES))
    names = {normalize_text(n) for n in (record.party.name, *record.party.aliases)}
    wanted = normalize_ref(number)
    for entry in entries:
        if not (is_document(entry, accounts, kind) or is_credit_note(entry, accounts, cash, kind)):
            continue
        if normalize_ref(str(entry.meta["invoice"])) != wanted:
            continue
        if normalize_text(entry.payee or "") in names:
            return entry  # type: ignore[return-value]
    return None


def refuse_duplicate(existing: data.Transaction | None, kind: Kind, place: str) -> None:
    if existing is not None:
        raise RefusedError(
            f"{kind} {existing.meta['invoice']} of {existing.payee} is in the books already "
            f"({place}); nothing was written"
        )


@dataclass(frozen=True)
class Fields:
    """A document as typed on the command line or read from a CSV row: text, not yet money."""

    kind: Kind
    number: str
    issued: date
    due: date | None
    terms: str | None
    lines: tuple[str, ...]  # `ACCOUNT=AMOUNT [CUR]` or `AMOUNT [CUR]`
    tax: str | None = None
    tax_account: str | None = None
    memo: str = ""


def document_entry(
    settings: Settings, record: PartyRecord, fields: Fields, entered_by: str
) -> data.Transaction:
    """The entry for `fields` of `record`'s document: its lines parsed, its currency the
    party's, its tax on the `sales_tax` account unless another is named."""
    parsed = [parse_line(text, record.party.account) for text in fields.lines]
    currencies = {cur for _, _, cur in parsed if cur is not None}
    if len(currencies) > 1:
        raise BadInputError(f"one {fields.kind} is in one currency, got {sorted(currencies)}")
    currency = check_currency(record, settings, currencies.pop() if currencies else None)
    tax = Decimal(0)
    if fields.tax:
        _, tax, tax_currency = parse_line(f"X:Tax={fields.tax}", None)
        check_currency(record, settings, tax_currency)
    tax_account = fields.tax_account
    if tax_account is None and tax:
        found = settings.accounts_with_role("sales_tax")
        tax_account = found[0] if len(found) == 1 else None
    doc = Document(
        fields.kind,
        fields.number,
        fields.issued,
        fields.due,
        fields.terms,
        tuple((account, amount) for account, amount, _ in parsed),
        currency,
        tax,
        tax_account,
        fields.memo,
    )
    return build_document(settings, record, doc, entered_by)
