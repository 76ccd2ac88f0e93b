"""`bo reconcile ACCOUNT --period P`: find the statement, reconcile, keep the record, report.

The record `recs/P/<account>.yaml` is bo's: written whole (atomically, under the books lock)
and only when its content changes, so running twice leaves git quiet. Its `pins:` list is
the person's: bo reads it back on every run and never drops an entry from it.
"""

from __future__ import annotations

import getpass
import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

import bo
from bo.books import Books, open_books
from bo.errors import BadInputError, ExitCode, Finding, RefusedError, SettingsError, Source
from bo.io import atomic_write, books_lock, check_inside
from bo.output import dumps_json, plural, stderr, stdout
from bo.paths import account_slug, find_statements
from bo.periods import Period
from bo.reconcile import (
    OpenItem,
    Pin,
    Reconciliation,
    RecRecord,
    check_statements,
    pin_problems,
    reconcile,
)
from bo.statements import read_statement
from bo.yamlfile import FAST_DUMPER, load_record_file, parse_yaml, read_text, validate_data

RECS_DIR = "recs"
CLEARED_DIR = "recs"  # beside the main ledger: ledgers/recs/<account>.beancount
CLEARED_INCLUDE = f'include "{CLEARED_DIR}/*.beancount"'


def record_path(books: Books, account: str, period: Period) -> Path:
    return books.root / RECS_DIR / str(period) / f"{account_slug(account)}.yaml"


def load_record(path: Path) -> dict | None:
    """A reconciliation record as plain data, None if absent; what bo reads back from it
    (open items, balances, pins) validated, so a broken record is bad input naming its file
    and line, never a crash."""
    record = read_record(path)
    return None if record is None else record[0]


def read_record(path: Path) -> tuple[dict, RecRecord] | None:
    """A reconciliation record as plain data and as bo reads it, None if absent."""
    loaded = load_record_file(path)
    if loaded is None and not path.is_file():
        return None
    try:
        if loaded is None:
            raise ValueError("not a mapping")
        record = RecRecord.model_validate(loaded)
    except (ValidationError, ValueError):
        # The line-tracking parse only on the way to an error: records of busy months are big.
        data, lines = parse_yaml(read_text(path), str(path))
        if data is None:
            return None  # an empty file says nothing
        validate_data(RecRecord, data, lines, str(path))
        raise  # the model accepted what it refused a moment ago: a bug, not bad input
    problems = pin_problems(record.pins)
    if problems:
        _, lines = parse_yaml(read_text(path), str(path))
        raise SettingsError(
            [Finding(Source(str(path), lines.get(("pins", i))), m, "settings") for i, m in problems]
        )
    return loaded, record


def run_reconcile(
    account: str,
    period_text: str,
    statement_files: list[Path],
    books_dir: Path | None,
    *,
    fmt: str,
    out: Path | None,
    accept: bool,
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    if account not in books.ledger.opened:
        raise BadInputError(f"{account}: the ledger never opens this account")
    if out is not None and fmt == "term":
        fmt = _format_of(out)
    files = [p.resolve() for p in statement_files] or find_statements(books, account, period)
    statements = [read_statement(path, account, books.settings) for path in files]
    digests = [(_relative(books, p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files]
    check_statements(statements, digests, period)
    path = record_path(books, account, period)
    check_inside(books.root, path)
    with books_lock(books.root, f"bo reconcile {account} --period {period}"):
        own = read_record(path)
        previous = read_record(record_path(books, account, period.previous))
        rec = reconcile(
            books.root,
            books.settings,
            books.ledger.entries,
            account,
            period,
            statements,
            previous=previous[1] if previous else None,
            pins=own[1].pins if own else (),
            digests=digests,
        )
        text = _render(books, rec, fmt)
        # The report first: when it cannot be written, nothing is, the record included.
        if out is not None:
            _write_out(out, text)
        _write_record(path, as_record(rec, rec.pins), own[0] if own else None)
        accepted = _accept(books, rec) if accept else None
    if out is not None:
        stderr().print(f"wrote {out}", markup=False)
    elif fmt == "term":
        _print_terminal(rec)
    else:
        stdout().out(text, end="")
    if accepted:
        stderr().print(accepted, markup=False)
    return ExitCode.OK if rec.reconciled else ExitCode.ATTENTION


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


def _relative(books: Books, path: Path) -> str:
    return str(path.relative_to(books.root)) if path.is_relative_to(books.root) else str(path)


def _item(item: OpenItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": item.kind,
        "date": item.date,
        "amount": item.amount,
        "text": item.text,
        "where": item.where,
    }
    if item.entry_key:
        out["entry"] = item.entry_key
    if item.line_id:
        out["line"] = item.line_id
    if item.line_amount is not None:
        out["line_amount"] = item.line_amount
    if item.kind not in ("missing from the books", "amount differs"):
        out["age_days"] = item.age_days
        out["stale"] = item.stale
    if item.since:
        out["since"] = item.since
    out["reasons"] = list(item.reasons)
    return out


def as_record(rec: Reconciliation, pins: list | tuple) -> dict[str, Any]:
    """The record's content (without who ran it when)."""
    return {
        "account": rec.account,
        "period": rec.period,
        "statements": [{"file": f, "sha256": h} for f, h in rec.statements],
        "balances": {
            "bank": rec.bank_balance,
            "bank_from": rec.bank_balance_from,
            "deposits_in_transit": rec.deposits_in_transit,
            "outstanding": rec.outstanding,
            "adjusted_bank": rec.adjusted_bank,
            "books": rec.book_balance,
            "missing_from_books": rec.bank_only,
            "amount_corrections": rec.corrections,
            "adjusted_books": rec.adjusted_books,
            "difference": rec.difference,
        },
        "reconciled": rec.reconciled,
        "open": {
            "in_transit": [_item(i) for i in rec.in_transit],
            "missing": [_item(i) for i in rec.missing],
            "amount_differs": [_item(i) for i in rec.near],
        },
        "matches": [
            {
                "lines": [ref.id for ref in m.lines],
                "entries": [item.key for item in m.entries],
                "how": m.how,
                "score": m.score,
                "reasons": list(m.reasons),
            }
            for m in rec.matches
        ],
        "pins": [_pin(pin) for pin in pins],
        "notes": list(rec.notes),
    }


def _pin(pin: Pin | dict) -> dict[str, Any]:
    return {"line": pin.line, "entry": pin.entry} if isinstance(pin, Pin) else pin


def _plain(value: Any) -> Any:
    """YAML-safe: Decimals as exact strings, dates as dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _write_record(path: Path, record: dict[str, Any], old: dict | None) -> None:
    text = record_text(record, old)
    if text is not None:
        atomic_write(path, text)


def record_text(record: dict[str, Any], old: dict | None) -> str | None:
    """The record file's text, or None when its content is what `old` already says."""
    content = _plain(record)
    if old is not None and {k: v for k, v in old.items() if k != "run"} == content:
        return None  # nothing changed: keep the file, and git, quiet
    header = (
        f"# Bank reconciliation of {record['account']} for {record['period']}, written by "
        "`bo reconcile`.\n# bo rewrites this file on every run except `pins:`, which is yours: "
        "add\n# `- {line: <statement line id>, entry: <entry key>}` to pair two items by hand.\n"
    )
    run = {
        "by": getpass.getuser(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "bo": bo.__version__,
    }
    text = yaml.dump(
        Dumper=FAST_DUMPER,
        data={**content, "run": run},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + text


def _accept(books: Books, rec: Reconciliation) -> str:
    """Pin the reconciled balance in the books: a balance assertion in a bo-owned file."""
    if not rec.reconciled:
        raise RefusedError(
            f"{rec.account} {rec.period} is not reconciled (difference {rec.difference:,}, "
            f"{len(rec.missing)} missing from the books, {len(rec.near)} amounts differ, "
            f"{len(rec.stale)} stale); nothing accepted",
            exit_code=ExitCode.ATTENTION,
        )
    day = Period.parse(rec.period).end + timedelta(days=1)
    ledger_dir = books.ledger_path.parent
    path = ledger_dir / CLEARED_DIR / f"{account_slug(rec.account)}.beancount"
    check_inside(books.root, path)
    line = f"{day} balance {rec.account} {rec.book_balance} {rec.currency}"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    prefix = f"{day} balance {rec.account} "
    for existing in (old or "").splitlines():
        if existing.startswith(prefix):
            if existing.strip() == line:
                return f"{rec.account} {rec.period}: accepted already ({path.name})"
            raise RefusedError(
                f"{_relative(books, path)}: {rec.period} was accepted at another balance "
                f"({existing.split()[-2]}); the books changed inside a reconciled period",
            )
    note = (
        f"; {rec.period} reconciled by bo: bank {rec.bank_balance}, deposits in transit "
        f"{rec.deposits_in_transit}, outstanding {rec.outstanding}\n"
    )
    header = (
        f"; Balances of {rec.account} at each reconciled period's end, written by\n"
        "; `bo reconcile --accept`. A later change to a reconciled period fails this assertion.\n"
    )
    text = (old.rstrip("\n") + "\n\n" if old else header + "\n") + note + line + "\n"
    atomic_write(path, text)
    main_text = books.ledger_path.read_text(encoding="utf-8")
    if CLEARED_INCLUDE not in main_text.splitlines():
        atomic_write(
            books.ledger_path,
            main_text.rstrip("\n")
            + f"\n\n; Reconciled balances written by `bo reconcile --accept`.\n{CLEARED_INCLUDE}\n",
        )
    return f"{rec.account} {rec.period}: accepted; {line} in {_relative(books, path)}"


def _render(books: Books, rec: Reconciliation, fmt: str) -> str:
    if fmt == "json":
        return dumps_json(as_record(rec, rec.pins)) + "\n"
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
    from rich.table import Table

    console = stdout()
    state = "reconciled" if rec.reconciled else "NOT reconciled"
    console.print(f"{rec.account}, {rec.period}: {state}", markup=False)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column()
    table.add_column(justify="right")
    rows = [
        (f"Balance per bank ({rec.bank_balance_from})", rec.bank_balance),
        ("+ deposits in transit", rec.deposits_in_transit),
        ("- outstanding checks and payments", rec.outstanding),
        ("= adjusted bank balance", rec.adjusted_bank),
        ("Balance per books", rec.book_balance),
        ("+ statement lines missing from the books", rec.bank_only),
        ("+ amounts the books have wrong", rec.corrections),
        ("= adjusted book balance", rec.adjusted_books),
        ("Difference", rec.difference),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    console.print(table)
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
