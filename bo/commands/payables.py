"""`bo bill add`, `bo invoice add`, `bo approve`, `bo pay`, `bo remind`: load, call the
core, write under the books lock, say what happened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from bo.books import open_books
from bo.errors import BadInputError, ExitCode, RefusedError
from bo.io import books_lock
from bo.matching import normalize_ref, normalize_text
from bo.output import stdout
from bo.paths import books_relative, entry_place
from bo.payables.approvals import approval_entry, approval_states, check_approver
from bo.payables.bills import (
    Document,
    Kind,
    build_document,
    check_currency,
    find_document,
    parse_line,
    refuse_duplicate,
)
from bo.payables.parties import load_parties
from bo.payables.people import current_person
from bo.payables.write import write_entries

PARTY_KIND = {"bill": "vendor", "invoice": "customer"}


def run_document_add(
    kind: Kind,
    party_name: str,
    number: str,
    books_dir: Path | None,
    *,
    issued: date,
    due: date | None,
    terms: str | None,
    lines: list[str],
    tax: str | None,
    tax_account: str | None,
    memo: str,
    name: str | None,
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    record = load_parties(books.root).get(PARTY_KIND[kind], party_name)
    person = current_person(settings, books.root, name)
    parsed = [parse_line(text, record.party.account) for text in lines]
    currencies = {cur for _, _, cur in parsed if cur is not None}
    if len(currencies) > 1:
        raise BadInputError(f"--line: one {kind} is in one currency, got {sorted(currencies)}")
    currency = check_currency(record, settings, currencies.pop() if currencies else None)
    tax_amount = Decimal(0)
    if tax is not None:
        _, tax_amount, tax_currency = parse_line(f"X:Tax={tax}", None)
        check_currency(record, settings, tax_currency)
    if tax_account is None and tax_amount:
        found = settings.accounts_with_role("sales_tax")
        tax_account = found[0] if len(found) == 1 else None
    doc = Document(
        kind,
        number,
        issued,
        due,
        terms,
        tuple((account, amount) for account, amount, _ in parsed),
        currency,
        tax_amount,
        tax_account,
        memo,
    )
    entry = build_document(settings, record, doc, person.name)
    total = abs(entry.postings[-1].units.number)
    with books_lock(books.root, f"bo {kind} add {party_name} {number}"):
        existing = find_document(books.ledger.entries, settings, kind, record, number)
        refuse_duplicate(existing, kind, entry_place(existing, books.root))
        written = write_entries(
            books,
            f"{kind}s",
            [entry],
            f"{kind} {record.party.name} {number}: {total:,} {currency}",
            f"bo {kind} add",
        )
    stdout().print(
        f"{kind} {number} of {record.party.name}: {total:,} {currency}, due "
        f"{entry.meta['due']} -> {books_relative(written[0], books.root)}",
        markup=False,
    )
    return ExitCode.OK


def run_approve(
    vendor: str, number: str, books_dir: Path | None, *, name: str | None, today: date
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    person = current_person(settings, books.root, name)
    record = load_parties(books.root).find("vendor", vendor)
    names = {normalize_text(n) for n in (vendor, *(record.party.aliases if record else ()))}
    if record is not None:
        names.add(normalize_text(record.party.name))
    with books_lock(books.root, f"bo approve {vendor} {number}"):
        states = approval_states(books.ledger.entries, settings)
        wanted = normalize_ref(number)
        found = [s for k, s in states.items() if k[1] == wanted and k[0] in names]
        if not found:
            raise BadInputError(f"no bill {number} of {vendor} in the books")
        state = found[0]
        if state.approved:
            raise RefusedError(
                f"bill {number} of {state.bill.vendor} is approved already by "
                f"{', '.join(state.approvers)} (nothing was written)"
            )
        check_approver(state, person)
        entry = approval_entry(today, state.bill, person)
        write_entries(
            books,
            "approvals",
            [entry],
            f"approve bill {state.bill.vendor} {state.bill.number} ({person.name})",
            "bo approve",
        )
    left = state.missing - 1
    more = f"; {left} more approval(s) needed" if left else "; approved for payment"
    stdout().print(
        f"{person.name} approved bill {state.bill.number} of {state.bill.vendor} "
        f"({state.bill.amount:,} {state.bill.currency}){more}",
        markup=False,
    )
    return ExitCode.OK
