"""`bo cash check`: quiet unless something is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from bo.books import open_books
from bo.cash_files import Alert, rec_record_paths, statement_files, watched_folders
from bo.errors import ExitCode
from bo.output import dumps_json, is_terminal, plural, stdout

SCENARIOS_DIR = "scenarios"


def run_cash_check(books_dir: Path | None, as_of: date | None, as_json: bool) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    root = books.root
    day = as_of or date.today()
    # Cron runs this every morning over books that rarely changed overnight: the answer
    # is kept, keyed on every input (ledger files, bo.yaml, statements, records, the day),
    # and what finding those inputs reads of bo.yaml is kept on its bytes.
    watched = books.from_settings("cash-watched", watched_folders)
    records = rec_record_paths(root, list(watched), day)
    statements = statement_files(root, watched)
    inputs = sorted({*records.values(), *(p for paths in statements.values() for p in paths)})

    def compute() -> tuple[list[Alert], list[str], str]:
        from bo.cash import cash_check, load_bank_data, load_rec_record, not_started

        settings = books.settings
        ledger = books.ledger
        bank_data = load_bank_data(statements, settings, root)
        alerts = cash_check(
            ledger.entries,
            settings,
            day,
            calendar=settings.entity.calendar(),
            bank_data=bank_data,
            records={a: load_rec_record(p, root) for a, p in records.items()},
            errors=ledger.errors,
        )
        return alerts, not_started(ledger.entries, settings, day, bank_data), settings.entity.name

    alerts, quiet, entity = books.result("cash-check", compute, files=inputs, params=str(day))
    if as_json:
        stdout().out(
            dumps_json(
                {"as_of": day, "alerts": [a.__dict__ for a in alerts], "not_started": quiet}, root
            )
        )
    elif alerts:
        print_alerts(
            alerts,
            f"bo cash check {day}: {plural(len(alerts), 'alert')} for {entity}",
        )
    if quiet and not as_json:
        stdout().print(
            f"bo cash check: nothing in {', '.join(quiet)} yet; checked from its first entry "
            "or statement (bo import)",
            markup=False,
        )
    return ExitCode.ATTENTION if alerts else ExitCode.OK


def print_alerts(alerts: list[Alert], title: str) -> None:
    """A table on a terminal; for cron's mail, plain lines: what, how much, which account,
    what to do, and the setting that raised it."""
    if is_terminal():
        from rich.table import Table  # cron's mail, the usual reader, needs none of it

        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column("Alert", ratio=2)
        table.add_column("Setting", ratio=1, overflow="fold")
        for alert in alerts:
            table.add_row(alert.message, alert.setting)
        stdout().print(table, markup=False)
        return
    lines = [title, *(f"- {a.message} [setting: {a.setting}]" for a in alerts)]
    stdout().out("\n".join(lines), highlight=False)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
