"""`bo forecast`: the 13-week cash forecast with its band and scenarios, and its backtest."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.books import open_books
from bo.errors import BadInputError, ExitCode, SettingsError, Source
from bo.output import dumps_json, print_table, stdout
from bo.yamlfile import parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from bo.forecast import Backtest, Forecast, Scenario

SCENARIOS_DIR = "scenarios"
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
    explain: bool = False,
) -> ExitCode:
    from bo.forecast import check_scenario, customers, forecast

    books = open_books(books_dir, Path.cwd())
    day = as_of or date.today()
    settings = books.settings
    loaded = [load_scenario(books.root, name) for name in scenarios]

    def compute() -> list[Forecast]:
        entries = books.ledger.entries
        known = customers(entries, settings)
        problems = [f for scenario in loaded for f in check_scenario(scenario, known)]
        if problems:
            raise SettingsError(problems)
        return forecast(
            entries,
            settings,
            day,
            weeks,
            loaded,
            calendar=settings.entity.calendar(),
            options=books.ledger.options,
        )

    # The band replays 26 past forecasts: the answer is kept, keyed on the ledger, bo.yaml,
    # the scenario files and the question (day, weeks, scenarios in their order).
    runs = books.result(
        "forecast",
        compute,
        files=[Path(s._path) for s in loaded],
        params=[str(day), weeks, scenarios],
    )
    if not runs:
        from bo.cash import not_started

        banks = settings.accounts_with_role("bank")
        if banks and set(banks) <= set(not_started(books.ledger.entries, settings, day, {})):
            # New books: nothing to forecast yet is no error.
            stdout().print(
                f"{settings.entity.name}: no cash history yet (nothing in {', '.join(banks)}); "
                "the forecast starts from the first bank entries (bo import)",
                markup=False,
            )
            return ExitCode.OK
        raise BadInputError(
            f"no cash to forecast: no account with `role: bank` holds money on {day}",
            settings.source("accounts"),
        )
    code = ExitCode.ATTENTION if any(f.breaches for f in runs) else ExitCode.OK
    title = f"{settings.entity.name}: {weeks}-week cash forecast from {day}"
    if fmt == "term" and out is None:
        print_forecast(runs, title, explain)
        return code
    if fmt == "json":
        forecasts = [forecast_json(f) for f in runs]
        text = dumps_json({"as_of": day, "forecasts": forecasts}, books.root) + "\n"
    else:
        text = _render(
            books.root,
            f"forecast.{'html' if fmt == 'html' else 'md'}.j2",
            **report_context(runs, weeks, explain),
            entity=settings.entity.name,
            as_of=day,
        )
    _write(out, text)
    return code


def report_context(runs: list[Forecast], weeks: int, explain: bool) -> dict[str, Any]:
    """What the Markdown and HTML templates draw: each currency's runs, its chart, the chance
    behind each alarm, and (explained) the flows."""
    from bo.forecast import chance_text, explained, worst_week
    from bo.forecast.chart import build_chart

    currencies = _by_currency(runs)
    return {
        "currencies": currencies,
        "weeks": weeks,
        "explain": explain,
        "charts": {currency: build_chart(group) for currency, group in currencies},
        "alarms": {
            currency: [
                chance_text(worst.chance_below)
                for run in group
                if (worst := worst_week(run)) is not None
            ]
            for currency, group in currencies
        },
        "explained": {currency: explained(group[0]) for currency, group in currencies},
    }


def _by_currency(runs: list[Forecast]) -> list[tuple[str, list[Forecast]]]:
    groups: dict[str, list[Forecast]] = {}
    for run in runs:
        groups.setdefault(run.currency, []).append(run)
    return list(groups.items())


def _render(root: Path, name: str, **context: Any) -> str:
    import bo
    from bo.reports.render import render_template

    return render_template(
        root, name, generated=datetime.now(), bo_version=bo.__version__, **context
    )


def _write(out: Path | None, text: str) -> None:
    if out is not None:
        from bo.io import atomic_write

        atomic_write(out, text)
    else:
        stdout().out(text, end="")


def forecast_json(run: Forecast) -> dict[str, Any]:
    return {
        "scenario": run.scenario,
        "currency": run.currency,
        "accounts": run.accounts,
        "minimum": run.minimum,
        "band": run.band,
        "weeks": [w.__dict__ for w in run.weeks],
        "flows": [flow.__dict__ for flow in run.flows],
        "doubtful": [flow.__dict__ for flow in run.doubtful],
        "notes": run.notes,
        "rate": None
        if run.rate is None
        else {"in": run.rate[0], "rate": run.rate[1], "date": run.rate[2]},
    }


def print_forecast(runs: list[Forecast], title: str, explain: bool = False) -> None:
    """Each currency's weeks, the scenarios side by side with the base case and its band (a
    table on a terminal, aligned text otherwise); a `!` marks a week whose chance of ending
    under the minimum raises the alarm. Then the notes, and with `explain` every flow and its
    basis."""
    from bo.forecast import chance_text, worst_week

    for index, (currency, group) in enumerate(_by_currency(runs)):
        labels = ["base", *(f"#{i}" for i in range(1, len(group)))]
        columns = ["Week", "base in", "base out", "base closing", "low", "high"]
        for label in labels[1:]:
            columns += [f"{label} in", f"{label} out", f"{label} closing"]
        rows = []
        for i, week in enumerate(group[0].weeks):
            row: list[object] = [
                f"{week.start} – {week.end}",
                week.receipts,
                week.disbursements,
                f"{week.closing:,}{' !' if week.below_minimum else ''}",
                week.low,
                week.high,
            ]
            for run in group[1:]:
                w = run.weeks[i]
                row += [
                    w.receipts,
                    w.disbursements,
                    f"{w.closing:,}{' !' if w.below_minimum else ''}",
                ]
            rows.append(row)
        accounts = ", ".join(group[0].accounts)
        if index:
            stdout().out("")
        print_table(
            f"{title}, {currency} ({accounts})", columns, rows, right=range(1, len(columns))
        )
        notes = [f"{label}: {run.scenario}" for label, run in zip(labels, group, strict=True)][1:]
        notes.append(f"low – high: {group[0].band}")
        for run in group:
            worst = worst_week(run)
            if worst is not None:
                notes.append(
                    f"{run.scenario}: cash may end under the minimum of {run.minimum:,} "
                    f"{currency}: in the week to {worst.end} with a chance of "
                    f"{chance_text(worst.chance_below)} (the band goes down to {worst.low:,})"
                    + (f"; {len(run.breaches)} weeks in all" if len(run.breaches) > 1 else "")
                )
        if group[0].doubtful:
            notes.append(
                "not counted on (long past due): "
                + ", ".join(f"{f.what} {f.amount:,}" for f in group[0].doubtful)
            )
        notes += group[0].notes
        notes.append(converted(group[0], currency, index == 0))
        stdout().out("\n".join(n for n in notes if n), highlight=False)
        if explain:
            explain_flows(group[0])


def converted(run: Forecast, currency: str, first: bool) -> str:
    """A currency other than the first at the ledger's price, the rate named; never added to
    the other currencies' cash."""
    if run.rate is None:
        return "" if first else f"no price of {currency} in the ledger: not converted"
    base, rate, day = run.rate
    return (
        f"at the ledger's price, 1 {currency} = {rate} {base} (price of {day}): "
        f"{run.opening:,} {currency} now is {run.opening * rate:,.2f} {base}; "
        f"week {len(run.weeks)} closing {run.weeks[-1].closing * rate:,.2f} {base}"
    )


def explain_flows(run: Forecast) -> None:
    """Every flow of the base case with what it rests on; an invoice expected in parts on
    several days is one line."""
    from bo.forecast import explained

    rows = [
        [f"{first}" if first == last else f"{first} – {last}", amount, what, basis]
        for first, last, amount, what, basis in explained(run)
    ]
    print_table(
        f"{run.currency} flows and their basis", ["Date", "Amount", "What", "Basis"], rows,
        right=(1,),
    )  # fmt: skip


# --- the backtest -------------------------------------------------------------------------------


def run_backtest(
    books_dir: Path | None,
    as_of: date | None,
    first: date | None,
    last: date | None,
    weeks: int,
    fmt: str,
    out: Path | None,
) -> ExitCode:
    from bo.forecast import backtest, default_dates, month_ends

    books = open_books(books_dir, Path.cwd())
    known = as_of or date.today()
    settings = books.settings

    def compute() -> list[Backtest]:
        entries = books.ledger.entries
        defaults = default_dates(entries, weeks, known)
        if first is None and last is None:
            dates = defaults
        else:
            start = first or (defaults[0] if defaults else known)
            end = last or (defaults[-1] if defaults else known)
            if end < start:
                raise BadInputError(f"--to {end} is before --from {start}")
            dates = month_ends(start, end)
        if not dates:
            raise BadInputError(
                f"no month end to replay: the books need six months before one and {weeks} "
                f"weeks after it up to {known} (give --from and --to)"
            )
        results = backtest(
            entries,
            settings,
            dates,
            weeks,
            calendar=settings.entity.calendar(),
            options=books.ledger.options,
            known_through=known,
        )
        if not results or not any(r.points for r in results):
            raise BadInputError(
                f"nothing to compare: no month end from {dates[0]} to {dates[-1]} has {weeks} "
                f"weeks of books after it up to {known}"
            )
        return results

    # Dozens of replayed forecasts: kept while the ledger and bo.yaml are unchanged.
    params = [str(first), str(last), weeks, str(known)]
    results = books.result("forecast-backtest", compute, params=params)
    title = f"{settings.entity.name}: backtest of the {weeks}-week forecast"
    if fmt == "json":
        _write(
            out,
            dumps_json(
                {"weeks": weeks, "backtests": [backtest_json(r) for r in results]}, books.root
            )
            + "\n",
        )
    elif fmt == "md":
        text = _render(
            books.root, "forecast-backtest.md.j2", results=results, title=title, pct=_pct
        )
        _write(out, text)
    else:
        for index, result in enumerate(results):
            if index:
                stdout().out("")
            print_backtest(result, title)
    return ExitCode.OK


def backtest_json(result: Backtest) -> dict[str, Any]:
    return {
        "currency": result.currency,
        "as_of": [p.as_of for p in result.points],
        "mape": result.mape(),
        "mape_weeks_1_4": result.mape(1, 4),
        "bias": result.bias,
        "band_held": result.coverage,
        "alarm_chance": result.alarm_chance,
        "alarms": sum(p.alarm for p in result.points),
        "false_alarms": [p.as_of for p in result.false_alarms],
        "missed": [p.as_of for p in result.missed],
        "by_week": [h.__dict__ for h in result.horizons],
        "points": [
            {
                "as_of": p.as_of,
                "alarm": p.alarm,
                "went_under": p.went_under,
                "weeks": [
                    {
                        "end": w.end,
                        "expected": w.closing,
                        "low": w.low,
                        "high": w.high,
                        "actual": actual,
                        "chance_below": w.chance_below,
                    }
                    for w, actual in zip(p.forecast.weeks, p.actual, strict=True)
                ],
            }
            for p in result.points
        ],
    }


def _pct(value: Decimal, sign: bool = False) -> str:
    return f"{value * 100:{'+' if sign else ''}.1f}%"


def print_backtest(result: Backtest, title: str) -> None:
    """By week ahead: the mean absolute percentage error, the bias and how often the band held
    the actual; then the totals and each as-of date."""
    points = result.points
    rows = [
        [h.week, _pct(h.mape), _pct(h.bias, True), f"{h.held} of {h.count}"]
        for h in result.horizons
    ]
    print_table(
        f"{title}, {result.currency}: {len(points)} as-of dates, {points[0].as_of} to "
        f"{points[-1].as_of}",
        ["Week", "Mean abs. error", "Bias", "Band held"],
        rows,
        right=(0, 1, 2, 3),
    )
    false, missed = result.false_alarms, result.missed
    lines = [
        f"weeks 1-4: {_pct(result.mape(1, 4))}; weeks 1-{result.weeks}: {_pct(result.mape())}, "
        f"bias {_pct(result.bias, True)}; the band held the actual in {_pct(result.coverage)} "
        f"of weeks",
        f"alarms (a chance of {result.alarm_chance:.0%} or more of a week under the minimum): "
        f"{sum(p.alarm for p in points)} raised, "
        f"{len(false)} that did not happen"
        + (f" ({', '.join(str(p.as_of) for p in false)})" if false else "")
        + f", {len(missed)} missed"
        + (f" ({', '.join(str(p.as_of) for p in missed)})" if missed else ""),
    ]
    for p in points:
        errors = p.errors
        mean = sum((abs(e) for e in errors), Decimal(0)) / len(errors) if errors else Decimal(0)
        lines.append(
            f"  {p.as_of}: {_pct(mean)}, week {len(p.actual)} {p.forecast.weeks[-1].closing:,} "
            f"vs {p.actual[-1]:,}, band held {sum(p.held)} of {len(p.held)}"
            + ("; alarm" + ("" if p.went_under else " (did not happen)") if p.alarm else "")
        )
    stdout().out("\n".join(lines), highlight=False)
