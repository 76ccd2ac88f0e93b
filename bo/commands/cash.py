"""`bo cash check` (quiet unless something is wrong) and `bo forecast`."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from bo.books import open_books
from bo.cash import (
    Alert,
    cash_check,
    load_bank_data,
    load_rec_record,
    not_started,
    rec_record_paths,
    statement_files,
)
from bo.errors import BadInputError, ExitCode, SettingsError, Source
from bo.output import dumps_json, is_terminal, print_table, stdout
from bo.yamlfile import parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from bo.forecast import Forecast, Scenario

SCENARIOS_DIR = "scenarios"


def run_cash_check(books_dir: Path | None, as_of: date | None, as_json: bool) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    root, settings = books.root, books.settings
    day = as_of or date.today()
    records = rec_record_paths(root, settings, day)
    statements = statement_files(root, settings)
    # Cron runs this every morning over books that rarely changed overnight: the answer
    # is kept, keyed on every input (ledger files, bo.yaml, statements, records, the day).
    inputs = sorted({*records.values(), *(p for paths in statements.values() for p in paths)})

    def compute() -> tuple[list[Alert], list[str]]:
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
        return alerts, not_started(ledger.entries, settings, day, bank_data)

    alerts, quiet = books.result("cash-check-2", compute, files=inputs, params=str(day))
    if as_json:
        stdout().out(
            dumps_json({"as_of": day, "alerts": [a.__dict__ for a in alerts], "not_started": quiet})
        )
    elif alerts:
        print_alerts(
            alerts, f"bo cash check {day}: {len(alerts)} alert(s) for {settings.entity.name}"
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
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column("Alert", ratio=2)
        table.add_column("Setting", ratio=1, overflow="fold")
        for alert in alerts:
            table.add_row(alert.message, alert.setting)
        stdout().print(table, markup=False)
        return
    lines = [title, *(f"- {a.message} [setting: {a.setting}]" for a in alerts)]
    stdout().out("\n".join(lines), highlight=False)


# A scenario is named by its file in scenarios/, never by a path: `--scenario ../bo` must not
# read bo.yaml (or anything outside the folder) as a scenario.
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_scenario(root: Path, name: str) -> Scenario:
    """Read and validate scenarios/NAME.yaml; every problem names the file and line."""
    folder = root / SCENARIOS_DIR
    known = sorted(p.stem for p in folder.glob("*.yaml"))
    have = ", ".join(known) or "none"
    if not SCENARIO_NAME.match(name) or ".." in name:
        raise BadInputError(
            f"--scenario {name}: give the name of a file in {SCENARIOS_DIR}/, "
            f"not a path (have: {have})"
        )
    path = folder / f"{name.removesuffix('.yaml')}.yaml"
    if not path.is_file():
        raise BadInputError(f"--scenario {name}: no {SCENARIOS_DIR}/{path.name} (have: {have})")
    from bo.forecast import Scenario

    display = str(path)
    text = read_text(path, display)
    data, lines = parse_yaml(text, display)
    if not isinstance(data, dict):
        raise BadInputError(
            "expected a mapping with `name:` and a list of `changes:`", Source(display, 1)
        )
    scenario = validate_data(Scenario, data, lines, display)
    if not scenario.name:
        scenario = scenario.model_copy(update={"name": path.stem})
    scenario._path, scenario._lines = display, lines
    return scenario


def run_forecast(
    books_dir: Path | None,
    as_of: date | None,
    weeks: int,
    scenarios: list[str],
    fmt: str,
    out: Path | None,
) -> ExitCode:
    from datetime import datetime

    import bo
    from bo.forecast import check_scenario, customers, forecast
    from bo.io import atomic_write
    from bo.reports.render import render_template

    books = open_books(books_dir, Path.cwd())
    day = as_of or date.today()
    entries, settings = books.ledger.entries, books.settings
    loaded = [load_scenario(books.root, name) for name in scenarios]
    banks = settings.accounts_with_role("bank")
    if banks and set(banks) <= set(not_started(entries, settings, day, {})):
        # New books: a forecast of nothing would show every week below its minimum.
        stdout().print(
            f"{settings.entity.name}: no cash history yet (nothing in {', '.join(banks)}); "
            "the forecast starts from the first bank entries (bo import)",
            markup=False,
        )
        return ExitCode.OK
    known = customers(entries, settings)
    problems = [finding for scenario in loaded for finding in check_scenario(scenario, known)]
    if problems:
        raise SettingsError(problems)
    calendar = settings.entity.calendar()
    runs = [
        forecast(entries, settings, day, weeks, scenario, calendar=calendar)
        for scenario in [None, *loaded]
    ]
    if fmt == "term" and out is None:
        print_forecast(runs, f"{settings.entity.name}: {weeks}-week cash forecast from {day}")
        return ExitCode.ATTENTION if any(f.breaches for f in runs) else ExitCode.OK
    if fmt == "json":
        text = (
            dumps_json(
                {
                    "as_of": day,
                    "forecasts": [
                        {
                            "scenario": f.scenario,
                            "minimum": f.minimum,
                            "weeks": [w.__dict__ for w in f.weeks],
                            "flows": [flow.__dict__ for flow in f.flows],
                            "doubtful": [flow.__dict__ for flow in f.doubtful],
                        }
                        for f in runs
                    ],
                }
            )
            + "\n"
        )
    else:
        text = render_template(
            books.root,
            f"forecast.{'html' if fmt == 'html' else 'md'}.j2",
            runs=runs,
            entity=books.settings.entity.name,
            generated=datetime.now(),
            bo_version=bo.__version__,
            as_of=day,
        )
    if out is not None:
        atomic_write(out, text)
    else:
        stdout().out(text, end="")
    return ExitCode.ATTENTION if any(f.breaches for f in runs) else ExitCode.OK


def print_forecast(runs: list[Forecast], title: str) -> None:
    """Week by week, each scenario's receipts, disbursements and closing cash side by side
    (a table on a terminal, aligned text otherwise); a `!` marks a week below the minimum."""
    labels = ["base", *(f"#{i}" for i in range(1, len(runs)))]
    columns = ["Week"]
    for label in labels:
        columns += [f"{label} in", f"{label} out", f"{label} closing"]
    rows = []
    for i, week in enumerate(runs[0].weeks):
        row: list[object] = [f"{week.start} – {week.end}"]
        for run in runs:
            w = run.weeks[i]
            row += [w.receipts, w.disbursements, f"{w.closing:,}{' !' if w.below_minimum else ''}"]
        rows.append(row)
    print_table(title, columns, rows, right=range(1, len(columns)))
    notes = [f"{label}: {run.scenario}" for label, run in zip(labels, runs, strict=True)][1:]
    notes += [
        f"{run.scenario}: below the minimum of {run.minimum:,} in the week(s) of "
        + ", ".join(str(w.start) for w in run.breaches)
        for run in runs
        if run.breaches
    ]
    if runs[0].doubtful:
        notes.append(
            "not counted on (long past due): "
            + ", ".join(f"{f.what} {f.amount:,}" for f in runs[0].doubtful)
        )
    if notes:
        stdout().out("\n".join(notes), highlight=False)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
