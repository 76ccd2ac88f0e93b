"""`bo bill add`, `bo invoice add`, `bo approve`, `bo pay`, `bo remind`: load, call the
core, write under the books lock, say what happened."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bo.books import open_books
from bo.errors import BadInputError, ExitCode, RefusedError
from bo.io import books_lock
from bo.matching import normalize_ref, normalize_text
from bo.output import plural, stderr, stdout, tell_attention
from bo.paths import books_relative, entry_place
from bo.payables.approvals import approval_entry, approval_states, check_approver
from bo.payables.bills import (
    Fields,
    Kind,
    document_entry,
    find_document,
    refuse_duplicate,
)
from bo.payables.parties import load_parties
from bo.payables.payrun import PaymentRun
from bo.payables.people import current_signer
from bo.payables.write import check_entries, planned_files, write_entries, write_files

if TYPE_CHECKING:
    from bo.books import Books
    from bo.payables.tax1099 import Report1099

PAYMENTS_DIR = "payments"  # the bank payment files of each run, beside the ledgers

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
    person = current_signer(settings, books.root, name, f"bo {kind} add").person
    entry = document_entry(
        settings,
        record,
        Fields(kind, number, issued, due, terms, tuple(lines), tax, tax_account, memo),
        person.name,
    )
    total = abs(entry.postings[-1].units.number)
    currency = entry.postings[-1].units.currency
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
    side = entry.postings[-1].units.number
    credit = side > 0 if kind == "bill" else side < 0
    what = f"credit note {number}" if credit else f"{kind} {number}"
    due = "" if credit else f", due {entry.meta['due']}"
    stdout().print(
        f"{what} of {record.party.name}: {total:,} {currency}{due} "
        f"-> {books_relative(written[0], books.root)}",
        markup=False,
    )
    return ExitCode.OK


def run_approve(
    vendor: str, number: str, books_dir: Path | None, *, name: str | None, today: date
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    signer = current_signer(settings, books.root, name, "bo approve")
    person = signer.person
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
        check_approver(state, signer)
        entry = approval_entry(today, state.bill, signer)
        write_entries(
            books,
            "approvals",
            [entry],
            f"approve bill {state.bill.vendor} {state.bill.number} ({person.name})",
            "bo approve",
        )
    left = state.missing - 1
    more = f"; {plural(left, 'more approval')} needed" if left else "; approved for payment"
    stdout().print(
        f"{person.name} approved bill {state.bill.number} of {state.bill.vendor} "
        f"({state.bill.amount:,} {state.bill.currency}){more}",
        markup=False,
    )
    return ExitCode.OK


def run_pay(
    day: date, account: str | None, books_dir: Path | None, *, commit: bool, fmt: str
) -> ExitCode:
    from datetime import datetime

    from bo.output import is_terminal
    from bo.payables.payfile import pain001_missing, payment_csv, payment_pain001
    from bo.payables.payrun import paying_account, payment_entries, propose_run, run_summary
    from bo.reports.render import render

    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    account = paying_account(settings, account)
    parties = load_parties(books.root)

    def show(run: PaymentRun) -> None:
        text = render(
            "payrun",
            run_summary(run) if fmt == "json" else run,
            fmt,
            books.root,
            entity=settings.entity.name,
            generated=datetime.now(),
            color=fmt == "term" and is_terminal(),
        )
        sys.stdout.write(text)

    if not commit:
        run = propose_run(books.ledger.entries, settings, parties, day, account)
        show(run)
        return ExitCode.ATTENTION if run.deferred else ExitCode.OK
    with books_lock(books.root, f"bo pay --run {day} --commit"):
        run = propose_run(books.ledger.entries, settings, parties, day, account)
        show(run)
        if not run.payments:
            stderr().print(f"nothing to pay on {day}; nothing written", markup=False)
            return ExitCode.ATTENTION if run.deferred else ExitCode.OK
        entries = payment_entries(run, settings)
        check_entries(books, entries)
        files: dict[Path, str] = dict(planned_files(books, "payments", entries))
        folder = books.root / PAYMENTS_DIR
        files[folder / f"{day}.csv"] = payment_csv(run)
        missing = pain001_missing(run, settings)
        if not missing:
            files[folder / f"{day}.xml"] = payment_pain001(
                run, settings, settings.entity.name
            ).decode()
        subject = (
            f"payment run {day}: {plural(len(run.payments), 'bill')}, {run.total:,} {run.currency}"
        )
        written = write_files(books, files, subject, "bo pay --commit")
    for path in written:
        stderr().print(f"wrote {books_relative(path, books.root)}", markup=False)
    if missing:
        stderr().print(f"no pain.001 file: no IBAN for {', '.join(missing)}", markup=False)
    return ExitCode.ATTENTION if run.deferred else ExitCode.OK


def run_remind(books_dir: Path | None, as_of: date, out: Path | None, as_json: bool) -> ExitCode:
    import re
    from datetime import datetime

    from bo.io import atomic_write
    from bo.output import print_json, print_table
    from bo.payables.remind import email_message, find_reminders
    from bo.reports.render import render

    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    statements = find_reminders(books.ledger.entries, settings, load_parties(books.root), as_of)
    if not statements:
        return ExitCode.OK  # silent, for cron
    if as_json:
        print_json(
            [
                {
                    "customer": s.customer,
                    "stage": s.stage.name,
                    "overdue": s.total_overdue,
                    "total": s.total,
                    "currency": s.currency,
                    "invoices": [i.invoice for i in s.overdue],
                }
                for s in statements
            ]
        )
    else:
        rows = [
            (
                s.customer,
                s.stage.name,
                ", ".join(i.invoice for i in s.overdue),
                max(i.days_past_due for i in s.overdue),
                f"{s.total_overdue:,}",
                f"{s.total:,}",
            )
            for s in statements
        ]
        columns = ["Customer", "Stage", "Overdue invoices", "Days", "Overdue", "Total open"]
        print_table(f"Reminders as of {as_of}", columns, rows, right=(3, 4, 5))
    if out is not None:
        entity = settings.entity.name
        for statement in statements:
            kind = f"remind-{statement.stage.template}"
            texts = {
                fmt: render(
                    kind, statement, fmt, books.root, entity=entity, generated=datetime.now()
                )
                for fmt in ("md", "html")
            }
            slug = re.sub(r"[^a-z0-9]+", "-", statement.customer.casefold()).strip("-")
            eml = email_message(statement, entity, texts["md"], texts["html"])
            for suffix, content in (*texts.items(), ("eml", eml)):
                try:
                    atomic_write(out / f"{slug}.{suffix}", content)
                except OSError as exc:
                    raise BadInputError(f"--out {out}: cannot write it: {exc}") from None
        stderr().print(f"wrote {len(statements) * 3} files to {out}", markup=False)
    return ExitCode.ATTENTION


def run_document_import(
    kind: Kind, file: Path, books_dir: Path | None, *, name: str | None, dry_run: bool
) -> ExitCode:
    """Every document of the file, or none: a bad row is bad input naming its line; a
    document already in the books is skipped (so the same export imports once)."""
    from bo.errors import BoError
    from bo.payables.csvin import read_documents

    books = open_books(books_dir, Path.cwd())
    settings = books.settings
    parties = load_parties(books.root)
    person = current_signer(settings, books.root, name, f"bo {kind} import").person
    rows = read_documents(file, kind)
    with books_lock(books.root, f"bo {kind} import {file}"):
        entries, skipped = [], []
        seen: set[tuple[str, str]] = set()
        for row in rows:
            try:
                record = parties.get(PARTY_KIND[kind], row.party)
                entry = document_entry(settings, record, row.fields, person.name)
            except BoError as exc:
                raise BadInputError(exc.message, row.source) from None
            existing = find_document(
                books.ledger.entries, settings, kind, record, row.fields.number
            )
            key = (record.party.name, normalize_ref(row.fields.number))
            if existing is not None or key in seen:
                where = entry_place(existing, books.root) if existing else "earlier in the file"
                skipped.append(
                    f"{row.source}: {row.fields.number} of {record.party.name}: "
                    f"in the books ({where})"
                )
                continue
            seen.add(key)
            entries.append(entry)
        if entries and not dry_run:
            write_entries(
                books,
                f"{kind}s",
                entries,
                f"{kind} import: {len(entries)} from {file.name}",
                f"bo {kind} import",
            )
    for entry in entries:
        stdout().print(
            f"{entry.date} {entry.payee} {entry.meta['invoice']}: "
            f"{abs(entry.postings[-1].units.number):,} {entry.postings[-1].units.currency}",
            markup=False,
        )
    for line in skipped:
        stderr().print(f"skipped {line}", markup=False)
    verb = "would add" if dry_run else "added"
    stderr().print(f"{verb} {plural(len(entries), kind)}, skipped {len(skipped)}", markup=False)
    return ExitCode.OK


def run_report_1099(
    books_dir: Path | None, year: int | None, fmt: str, out: Path | None
) -> ExitCode:
    from datetime import datetime

    from bo.io import write_out
    from bo.payables.tax1099 import COLUMNS, build_1099, rows_1099
    from bo.reports.render import render

    if year is None:
        raise BadInputError("give --year YYYY")
    if fmt not in ("term", "md", "csv", "json", "xlsx"):
        raise BadInputError("`report 1099` renders as term, md, csv, json or xlsx")
    books = open_books(books_dir, Path.cwd())
    report = build_1099(books.ledger.entries, books.settings, load_parties(books.root), year)
    entity = books.settings.entity.name
    if fmt == "xlsx":
        _xlsx_1099(books, report, entity, out)
        return tell_attention(report.problems)
    text = render(
        "1099", report, fmt, books.root, entity=entity, generated=datetime.now(),
        rows=rows_1099(report), columns=COLUMNS,
    )  # fmt: skip
    if out is not None:
        write_out(out, text)
    else:
        sys.stdout.write(text)
    return tell_attention(report.problems)


def _xlsx_1099(books: Books, report: Report1099, entity: str, out: Path | None) -> None:
    """Write the 1099 review as a workbook: to --out, else reports/1099-YEAR.xlsx."""
    from datetime import datetime

    from bo.commands.workbook import write_workbook
    from bo.payables.tax1099 import COLUMNS, rows_1099
    from bo.reports.sheets import heading, typed_cell
    from bo.reports.workbook import Sheet, Table, workbook_bytes

    rows = [[typed_cell(row, c, report.currency) for c in COLUMNS] for row in rows_1099(report)]
    sheet = Sheet(
        "1099",
        f"1099 review {report.year}",
        [f"{entity}, vendors paid at least {report.threshold:,} {report.currency}"],
        [Table([heading(c) for c in COLUMNS], rows)],
        tuple(f"Needs attention: {p}" for p in report.problems),
    )
    content = workbook_bytes([sheet], books.ledger.options, created=datetime.now())
    write_workbook(content, books.root / "reports" / f"1099-{report.year}.xlsx", out, books.root)
