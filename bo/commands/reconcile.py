"""`bo reconcile ACCOUNT --period P`: find the statement, reconcile, keep the record, report.

The record `recs/P/<account>.yaml` is written through `bo.recs` (atomically, under the books
lock, only when its content changes).
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import bo
from bo.books import Books, open_books
from bo.errors import BadInputError, ExitCode
from bo.io import atomic_write, books_lock, check_inside
from bo.output import dumps_json, is_terminal, plural, stderr, stdout
from bo.paths import find_statements
from bo.periods import Period
from bo.reconciliation import Reconciliation, RecRecord
from bo.recs import (
    accept_texts,
    as_record,
    read_record,
    record_path,
    statement_digests,
    write_record,
)


def run_reconcile(
    account: str,
    period_text: str,
    statement_files: list[Path],
    books_dir: Path | None,
    *,
    fmt: str,
    out: Path | None,
    accept: bool,
    statement_balance: str | None = None,
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    given = _amount(statement_balance) if statement_balance is not None else None
    # An account bo.yaml names is opened in the ledger (the load checks it); another is
    # looked up, which loads the ledger.
    if account not in books.settings.accounts and account not in books.ledger.opened:
        raise BadInputError(f"{account}: the ledger never opens this account")
    if out is not None and fmt == "term":
        fmt = _format_of(out)
    files = [p.resolve() for p in statement_files] or find_statements(books, account, period)
    digests = statement_digests(books.root, files)
    path = record_path(books, account, period)
    check_inside(books.root, path)
    before = record_path(books, account, period.previous)

    def answer(own: tuple[dict, RecRecord] | None) -> Reconciliation:
        """The reconciliation with what this period's record `own` pins and states."""
        previous = read_record(before)
        pins = own[1].pins if own else ()
        # The figure a person read off the statement, given now or kept from before.
        figure = given if given is not None else own and own[1].balances.statement

        def match() -> Reconciliation:
            # The statements are read and matched only here: an answer from the cache (the
            # statements are among its inputs) needs neither beancount nor the matcher.
            from bo.reconcile import check_statements, reconcile
            from bo.statements import read_statement

            statements = [read_statement(p, account, books.settings) for p in files]
            check_statements(statements, digests, period)
            return reconcile(
                books.root,
                books.settings,
                books.ledger.entries,
                account,
                period,
                statements,
                previous=previous[1] if previous else None,
                pins=pins,
                digests=digests,
                statement_balance=figure,
            )

        # Kept on the ledger, bo.yaml, the statements and last period's record, and on what
        # this period's record holds that the matching reads (the record itself is rewritten
        # by every run): a second run over unchanged books does not match again.
        return books.result(
            "reconcile",
            match,
            files=[*files, before],
            params=[account, str(period), [(p.line, p.entry) for p in pins], str(figure)],
        )

    # Before the lock: a statement, an importer or a template refused writes nothing.
    own = read_record(path)
    rec = answer(own)
    text = _render(books, rec, fmt)
    with books_lock(books.root, f"bo reconcile {account} --period {period}"):
        now = read_record(path)
        if (now and now[1]) != (own and own[1]):  # the record changed meanwhile: as it is now
            rec = answer(now)
            text = _render(books, rec, fmt)
        # The report first: when it cannot be written, nothing is, the record included.
        if out is not None:
            _write_out(out, text)
        write_record(path, as_record(rec, rec.pins), now[0] if now else None)
        accepted = None
        if accept:
            writes, accepted = accept_texts(books.root, books.ledger_path, rec)
            for target in writes:
                check_inside(books.root, target)
            for target, text in writes.items():
                atomic_write(target, text)
    if out is not None:
        stderr().print(f"wrote {out}", markup=False)
    elif fmt == "term":
        _print_terminal(rec)
    else:
        stdout().out(text, end="")
    if accepted:
        stderr().print(accepted, markup=False)
    return ExitCode.OK if rec.reconciled else ExitCode.ATTENTION


def _amount(text: str) -> Decimal:
    """`--statement-balance 12,345.67` (or `-1402.12`): the bank's figure, exactly."""
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise BadInputError(
            f"--statement-balance {text}: expected an amount like 12345.67 (the balance the "
            "statement shows at the period's end, negative for money owed on a card)"
        )
    return number


def _format_of(out: Path) -> str:
    """The report format an `--out` file's suffix names."""
    formats = {".md": "md", ".html": "html", ".htm": "html", ".json": "json"}
    fmt = formats.get(out.suffix.lower())
    if fmt is None:
        raise BadInputError(
            f"--out {out}: say the format with --format md, html or json "
            "(or end the name in .md, .html or .json)"
        )
    return fmt


def _write_out(out: Path, text: str) -> None:
    try:
        atomic_write(out, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BadInputError(f"--out {out}: cannot write the report there ({reason})") from None


def _render(books: Books, rec: Reconciliation, fmt: str) -> str:
    if fmt == "json":
        return dumps_json(as_record(rec, rec.pins), books.root) + "\n"
    if fmt == "term":
        return ""
    from bo.reports.render import render_template

    return render_template(
        books.root,
        f"reconciliation.{fmt}.j2",
        rec=rec,
        entity=books.settings.entity.name,
        bo_version=bo.__version__,
    )


def _print_terminal(rec: Reconciliation) -> None:
    console = stdout()
    console.print(f"{rec.account}, {rec.period}: {rec.state}", markup=False)
    # Where the bank's figure comes from goes in the row when short (a statement's name);
    # a longer account of it goes under the table, so the label never wraps.
    source = rec.bank_balance_from
    short = len(source) <= 28 and rec.bank_balance is not None
    rows = [
        (f"Balance per bank ({source})" if short else "Balance per bank", rec.bank_balance),
        ("+ deposits in transit", rec.deposits_in_transit),
        ("- outstanding checks and payments", rec.outstanding),
        ("= adjusted bank balance", rec.adjusted_bank),
        ("Balance per books", rec.book_balance),
        ("+ statement lines missing from the books", rec.bank_only),
        ("+ amounts the books have wrong", rec.corrections),
    ]
    if rec.booked_later:
        later = sum(item.amount for item in rec.booked_later)
        rows.append(("+ statement lines booked after the period end", later))
    rows += [("= adjusted book balance", rec.adjusted_books), ("Difference", rec.difference)]
    _print_balances(console, [(label, "unknown" if v is None else f"{v:,}") for label, v in rows])
    if not short:
        console.print(f"bank balance: {source}", markup=False)
    lines = sum(len(m.lines) for m in rec.matches)
    console.print(
        f"{plural(lines, 'statement line')} matched to the books "
        f"({sum(1 for m in rec.matches if m.how == 'pinned')} pinned by hand)",
        markup=False,
    )
    sections = (
        ("In transit (timing: clears next period)", rec.in_transit),
        ("On the statement, missing from the books", rec.missing),
        ("Amount differs between statement and books", rec.near),
        ("On the statement, booked after the period end (timing)", rec.booked_later),
    )
    for title, items in sections:
        if not items:
            continue
        console.print(f"\n{title}:", markup=False)
        for item in items:
            flag = " STALE" if item.stale else ""
            console.print(
                f"  {item.date} {item.amount:>12,} {item.kind}{flag}: {item.text} ({item.where})",
                markup=False,
            )
            if item.suggestion:
                for text_line in item.suggestion.rstrip().splitlines():
                    console.print(f"      {text_line}", markup=False)
    for note in rec.notes:
        console.print(f"note: {note}", markup=False)


def _print_balances(console: Any, rows: list[tuple[str, str]]) -> None:
    """Labels left, figures right: rich's table on a terminal; off one (cron, a pipe) the
    same lines written directly, as rich draws them there, without importing rich."""
    text = "".join(label for label, _ in rows)
    left = max(len(label) for label, _ in rows)
    right = max(len(figure) for _, figure in rows)
    plain = text.isascii() and text.isprintable() and left + 2 + right <= 80  # rich's width
    if is_terminal() or not plain or "COLUMNS" in os.environ:
        from rich.table import Table

        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column()
        table.add_column(justify="right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    lines = [f"{label.ljust(left)}  {figure.rjust(right)}" for label, figure in rows]
    console.print("\n".join(lines), markup=False)
