"""`bo forecast`: the 13-week cash forecast, its band, its scenarios and its backtest, on the
demo books, on books of other shapes generated here, and on ledgers bo did not write.

The backtest's truth is the books themselves: what the cash was at each week's end, as the
ledger shows it after the as-of date. The forecast at a date sees only the entries dated on
or before it (`test_the_forecast_cannot_see_the_future` proves it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bo.books import open_books
from bo.forecast import backtest, forecast
from tests.conftest import bench_module
from tests.test_cash import run_bo, run_on_a_terminal, shared  # noqa: F401 (a fixture)


def load_generator():
    return bench_module("generate_business")


def run_json(bo, *args: str) -> dict:
    result = bo(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def flows_of(result) -> list[dict]:
    return json.loads(result.stdout)["forecasts"][0]["flows"]


# --- the backtest: the acceptance figures ------------------------------------------------------

# What the issue asks of the backtest over every month end from March to September 2025 (the
# demo) or over a year of month ends (the generated books): the mean absolute percentage error
# of the weekly closing cash over 13 weeks and over weeks 1-4, the share of weeks whose actual
# ended inside the band, and no alarm that did not happen.
ISSUE = {"mape": Decimal("0.10"), "mape_weeks_1_4": Decimal("0.03"), "band_held": Decimal("0.80")}


@pytest.fixture(scope="module")
def demo_backtest(shared) -> dict:  # noqa: F811 (shared is a fixture)
    result = run_bo(
        "forecast", "--backtest", "--from", "2025-03-31", "--to", "2025-09-30", "--format",
        "json", "--as-of", "2025-12-31", cwd=shared,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)["backtests"]
    return found


def test_the_backtest_replays_every_month_end_with_every_week_compared(demo_backtest):
    assert demo_backtest["as_of"] == [
        "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30", "2025-07-31", "2025-08-31",
        "2025-09-30",
    ]  # fmt: skip
    assert [h["week"] for h in demo_backtest["by_week"]] == list(range(1, 14))
    assert all(h["count"] == 7 for h in demo_backtest["by_week"])
    # The actual is what the ledger shows at each week's end: 2025-03-31 + 13 weeks.
    first = demo_backtest["points"][0]["weeks"]
    assert first[-1]["end"] == "2025-06-30"


# Measured on the demo books (see the README's figures): the forecast's own bounds, so that
# a change that makes it worse fails here.
DEMO_BOUNDS = {
    "mape": Decimal("0.135"),
    "mape_weeks_1_4": Decimal("0.038"),
    "band_held": Decimal("0.84"),
}


def test_the_demo_backtest_stays_within_its_measured_error(demo_backtest):
    assert Decimal(demo_backtest["mape"]) <= DEMO_BOUNDS["mape"]
    assert Decimal(demo_backtest["mape_weeks_1_4"]) <= DEMO_BOUNDS["mape_weeks_1_4"]
    assert Decimal(demo_backtest["band_held"]) >= DEMO_BOUNDS["band_held"]
    assert demo_backtest["false_alarms"] == [] and demo_backtest["missed"] == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 23's 10% (13 weeks) and 3% (weeks 1-4) cannot be met on the demo books: "
    "a forecaster that knew how they were generated (bench/oracle_forecast.py: every "
    "customer's chance of an invoice, its terms and pay days) misses by 11.5% and 3.5% on "
    "the same backtest, as the invoices come at random and the summer of 2025 ran high "
    "(August: 103,500 against a 56,800 mean); see the README",
)
def test_the_demo_backtest_meets_the_issue_thresholds(demo_backtest):
    assert Decimal(demo_backtest["mape"]) <= ISSUE["mape"]
    assert Decimal(demo_backtest["mape_weeks_1_4"]) <= ISSUE["mape_weeks_1_4"]


def test_the_backtest_prints_error_by_week_ahead(shared):  # noqa: F811
    result = run_bo(
        "forecast", "--backtest", "--from", "2025-06-30", "--to", "2025-07-31", "--weeks", "4",
        "--as-of", "2025-12-31", cwd=shared,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Larkspur Design Studio LLC: backtest of the 4-week forecast, USD: 2 as-of dates, "
        "2025-06-30 to 2025-07-31"
    )
    assert lines[1].split() == ["Week", "Mean", "abs.", "error", "Bias", "Band", "held"]
    assert [line.split()[0] for line in lines[2:6]] == ["1", "2", "3", "4"]
    assert re.match(r"weeks 1-4: \d+\.\d%; weeks 1-4: \d+\.\d%, bias [+-]\d+\.\d%", lines[6])
    assert lines[7].startswith(
        "alarms (a chance of 20% or more of a week under the minimum): 0 raised"
    )
    assert lines[8].startswith("  2025-06-30: ")


def test_a_backtest_with_no_month_end_to_replay_is_bad_input(shared):  # noqa: F811
    result = run_bo("forecast", "--backtest", "--from", "2026-01-31", "--to", "2026-03-31",
                    "--as-of", "2025-12-31", cwd=shared)  # fmt: skip
    assert result.returncode == 2
    assert "nothing to compare" in result.stderr and "Traceback" not in result.stderr
    wrong = run_bo("forecast", "--backtest", "--from", "2025-06-30", "--to", "2025-03-31",
                   cwd=shared)  # fmt: skip
    assert wrong.returncode == 2 and "--to 2025-03-31 is before --from 2025-06-30" in wrong.stderr


# --- no look-ahead ----------------------------------------------------------------------------

FUTURE = """
2025-07-02 * "Acme Robotics" "Payment for INV-1094, early"
  invoice: "INV-1094"
  Assets:Bank:Checking  4750.00 USD
  Assets:AccountsReceivable  -4750.00 USD

2025-07-03 * "Lottery" "A windfall nobody could know of"
  Assets:Bank:Checking  250000.00 USD
  Income:Services  -250000.00 USD

2025-07-10 * "Quarry Hill Wines" "Invoice INV-9001: a huge new project"
  invoice: "INV-9001"
  due: 2025-07-20
  Assets:AccountsReceivable  90000.00 USD
  Income:Services  -90000.00 USD

2025-08-01 * "Harbor Properties" "Rent doubles"
  Expenses:Rent  8400.00 USD
  Assets:Bank:Checking  -8400.00 USD
"""


def test_the_forecast_cannot_see_the_future(shared):  # noqa: F811
    """A forecast (and a backtest point) made on 2025-06-30 is the same whatever the books
    hold after that day: a windfall, an early payment, a new invoice, a new rent."""
    day = date(2025, 6, 30)
    books = open_books(shared, shared, use_cache=False)
    entries, settings_ = books.ledger.entries, books.settings
    calendar = settings_.entity.calendar()
    future, _, _ = loader.load_string(FUTURE)  # its accounts are opened in the books
    assert len(future) == 4 and all(e.date > day for e in future)
    later = sorted([*entries, *future], key=data.entry_sortkey)
    before = forecast(entries, settings_, day, 13, calendar=calendar)
    after = forecast(later, settings_, day, 13, calendar=calendar)
    assert before == after  # weeks, band, every flow and its basis
    points = [
        backtest(books_entries, settings_, [day], 13, calendar=calendar)[0].points[0].forecast
        for books_entries in (entries, later)
    ]
    assert points[0] == points[1] == before[0]


# --- what the forecast is made of ---------------------------------------------------------------


def test_recurring_items_from_history_and_declared_in_settings(demo, bo):
    args = ("forecast", "--as-of", "2025-09-30", "--format", "json", "--weeks", "10")
    seen = flows_of(bo(*args, cwd=demo))
    recurring = {(f["what"], f["date"]) for f in seen if f["kind"] == "recurring"}
    # Payroll twice a month (on the last business day, Friday 31 October), rent on the 1st,
    # the loan on the 15th, and savings interest coming in on the last day of the month.
    assert ("Gusto (recurring)", "2025-10-31") in recurring
    assert ("Gusto (recurring)", "2025-10-15") in recurring
    assert ("First Coastal Bank (recurring)", "2025-10-15") in recurring
    assert ("Harbor Properties (recurring)", "2025-11-03") in recurring  # 1 Nov is a Saturday
    interest = [f for f in seen if f["what"] == "First Coastal Bank (recurring)"]
    assert any(Decimal(f["amount"]) > 0 for f in interest)
    # Payroll taxes withheld in September are deposited on 15 October: what the ledger owes
    # the IRS and the EDD at the month end (bean-query: -8,091.00 and -1,653.00).
    paid_off = {(f["what"], f["date"], f["amount"]) for f in seen if f["kind"] == "paid-off"}
    assert ("IRS (Liabilities:Payroll:Federal paid off)", "2025-10-15", "-8091.00") in paid_off
    assert ("California EDD (Liabilities:Payroll:State paid off)", "2025-10-15", "-1653.00") in (
        paid_off
    )
    settings_file = demo / "bo.yaml"
    settings_file.write_text(
        settings_file.read_text()
        + "\nforecast:\n  recurring:\n"
        + "    - {payee: Harbor Properties, amount: -4800.00 USD, day: 1, from: 2025-12-01}\n"
        + "    - {payee: Lumen Solar retainer, amount: 2000.00 USD, day: 10, months: [11]}\n"
    )
    declared = [
        f
        for f in flows_of(bo(*args, cwd=demo))
        if f["what"].startswith(("Harbor Properties", "Lumen Solar retainer"))
    ]
    # The declared rent replaces the detected one (no double count), from December.
    assert [(f["what"], f["date"], f["amount"]) for f in declared] == [
        ("Lumen Solar retainer (declared)", "2025-11-10", "2000.00"),
        ("Harbor Properties (declared)", "2025-12-01", "-4800.00"),
    ]


def test_every_flow_names_its_basis(shared, bo):  # noqa: F811
    (base,) = run_json(bo, "forecast", "--as-of", "2025-09-30", "--books", str(shared))["forecasts"]
    kinds = {f["kind"] for f in base["flows"]}
    assert {"invoice", "bill", "new-invoices", "new-bills", "recurring", "paid-off"} <= kinds
    assert all(f["basis"] and f["currency"] == "USD" for f in base["flows"])
    invoice = next(f for f in base["flows"] if f["what"] == "Acme Robotics INV-1148")
    assert (
        invoice["basis"].startswith("Acme Robotics pays 3")
        and "days after the due date" in (invoice["basis"])
    )
    assert base["band"].startswith("from the misses of 26 past forecasts")
    for week in base["weeks"]:
        assert Decimal(week["low"]) <= Decimal(week["closing"]) <= Decimal(week["high"])


def test_an_open_invoice_is_expected_when_its_customer_pays(shared, bo):  # noqa: F811
    """Acme Robotics pays about 34 days after the due date: its invoice due 2025-10-11 is
    expected in mid-November, not on the due date (the books show it paid on 2025-11-17)."""
    (base,) = run_json(bo, "forecast", "--as-of", "2025-09-30", "--books", str(shared))["forecasts"]
    parts = [f for f in base["flows"] if f["what"] == "Acme Robotics INV-1148"]
    assert sum(Decimal(f["amount"]) for f in parts) == Decimal("6050.00")
    assert all("2025-11-07" <= f["date"] <= "2025-11-21" for f in parts)


def test_a_long_overdue_invoice_is_not_counted_on(demo, bo):
    result = bo("forecast", "--as-of", "2025-09-30", "--format", "json", cwd=demo)
    (base,) = json.loads(result.stdout)["forecasts"]
    assert [f["what"] for f in base["doubtful"]] == ["Bellweather Foods INV-1160"]
    assert not [f for f in base["flows"] if f["what"] == "Bellweather Foods INV-1160"]


# --- scenarios ----------------------------------------------------------------------------------

LATE = (
    "name: Tallgrass pays late\n"
    "changes:\n  - {kind: late_customer, customer: Tallgrass Media, days: 21}\n"
)


def test_a_late_customer_scenario_moves_its_receipts_by_exactly_the_delay(demo, bo):
    (demo / "scenarios").mkdir()
    (demo / "scenarios/late.yaml").write_text(LATE)
    args = ("forecast", "--as-of", "2025-09-30", "--format", "json", "--scenario", "late")
    result = bo(*args, cwd=demo)
    base, late = json.loads(result.stdout)["forecasts"]
    assert late["scenario"] == "Tallgrass pays late"

    def receipts(run):
        return [f for f in run["flows"] if f["what"].startswith("Tallgrass")]

    before, after = receipts(base), receipts(late)
    assert before and len(before) == len(after)
    for one, other in zip(before, after, strict=True):
        shift = date.fromisoformat(other["date"]) - date.fromisoformat(one["date"])
        assert shift == timedelta(days=21)
        assert other["amount"] == one["amount"]
    # Nothing else moves.
    others = [f for f in base["flows"] if not f["what"].startswith("Tallgrass")]
    assert others == [f for f in late["flows"] if not f["what"].startswith("Tallgrass")]
    html = bo(*args[:-4], "--format", "html", "--scenario", "late", cwd=demo).stdout
    assert html.count('<polyline class="cash"') == 2 and "Tallgrass pays late" in html
    assert '<th class="num">Receipts</th><th class="num">Disbursements</th>' in html


def test_the_kept_forecast_follows_the_books_and_the_scenario(demo, bo, ledger_untouched):
    """The forecast and the backtest are kept by bo's result cache: a second run over the same
    books, scenario and question loads no entry; a changed scenario file or ledger is read."""
    (demo / "scenarios").mkdir()
    (demo / "scenarios/late.yaml").write_text(LATE)
    args = ("forecast", "--as-of", "2025-09-30", "--weeks", "4", "--format", "json")
    replay = ("forecast", "--backtest", "--from", "2025-06-30", "--to", "2025-06-30")
    first = bo(*args, "--scenario", "late", cwd=demo)
    backtested = bo(*replay, "--weeks", "4", "--as-of", "2025-09-30", "--format", "json")
    assert first.exit_code in (0, 1) and backtested.exit_code == 0, backtested.stderr
    with ledger_untouched():
        assert bo(*args, "--scenario", "late").stdout == first.stdout
        assert bo(*replay, "--weeks", "4", "--as-of", "2025-09-30", "--format", "json").stdout == (
            backtested.stdout
        )
    (demo / "scenarios/late.yaml").write_text(LATE.replace("Tallgrass pays late", "Later"))
    assert json.loads(bo(*args, "--scenario", "late").stdout)["forecasts"][1]["scenario"] == (
        "Later"
    )
    with (demo / "ledgers/2025.beancount").open("a") as ledger:
        ledger.write(
            '\n2025-09-29 * "Owner" "Money in"\n  Assets:Bank:Checking  1000.00 USD\n'
            "  Equity:Opening-Balances\n"
        )
    moved = json.loads(bo(*args).stdout)["forecasts"][0]
    assert Decimal(moved["weeks"][0]["opening"]) == Decimal(
        json.loads(first.stdout)["forecasts"][0]["weeks"][0]["opening"]
    ) + Decimal("1000.00")


def test_the_demo_scenarios_run_side_by_side(shared, bo):  # noqa: F811
    args = ("forecast", "--as-of", "2025-12-31", "--weeks", "6", "--books", str(shared))
    result = bo(*args, "--scenario", "big-client-late", "--scenario", "hire-and-slowdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Larkspur Design Studio LLC: 6-week cash forecast from 2025-12-31, USD "
        "(Assets:Bank:Checking, Assets:Bank:Savings)"
    )
    header = ["Week", "base", "in", "base", "out", "base", "closing", "low", "high"]
    for who in ("#1", "#2"):
        header += [who, "in", who, "out", who, "closing"]
    assert lines[1].split() == header
    assert (
        "#1: Pinecrest pays 30 days late" in lines
        and "#2: Hire in February, receipts -10%" in lines
    )
    first = lines[2].split()
    # What Pinecrest is expected to pay in the first week (its 6,700.00 due on New Year's
    # Day, spread as it pays) leaves the first week of the late case.
    base_in, late_in, drop_in = (Decimal(first[i].replace(",", "")) for i in (3, 8, 11))
    pinecrest = sum(
        Decimal(f["amount"])
        for f in flows_of(bo(*args, "--format", "json"))
        if f["what"] == "Pinecrest Realty INV-1183" and f["date"] <= "2026-01-07"
    )
    assert Decimal("3000") < pinecrest <= Decimal("6700.00")
    assert base_in - late_in == pinecrest
    assert abs(drop_in - base_in * Decimal("0.9")) <= Decimal("0.10")  # each receipt, rounded
    md = bo(*args, "--format", "md", "--scenario", "big-client-late").stdout
    assert (
        "| Week | receipts | disbursements | closing | low | high | Pinecrest pays 30 days " in md
    )


def test_the_forecast_is_a_table_on_a_terminal_and_plain_text_otherwise(shared):  # noqa: F811
    args = ("forecast", "--as-of", "2025-12-31", "--weeks", "2")
    piped = run_bo(*args, cwd=shared)
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout
    assert not set(piped.stdout) & set("─│┃━┏┓┗┛╭╮╰╯")
    assert piped.stdout.splitlines()[1].split()[:4] == ["Week", "base", "in", "base"]
    code, shown = run_on_a_terminal(*args, cwd=shared)
    assert code == 0 and set(shown) & set("─│┃━┏┓┗┛╭╮╰╯")


def test_explain_lists_each_flow_with_its_basis(shared):  # noqa: F811
    result = run_bo("forecast", "--as-of", "2025-09-30", "--weeks", "3", "--explain", cwd=shared)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "USD flows and their basis" in text
    assert re.search(
        r"2025-10-15 +-8,091\.00 +IRS \(Liabilities:Payroll:Federal paid off\) +paid in full on "
        r"the 15th, from the balance at month-end: the balance of 2025-09-30",
        text,
    )
    assert re.search(r"Harbor Properties \(recurring\) +monthly on the 1st", text)


# --- scenario files are validated: a typo is exit 2 naming file, line and field ----------------

BAD_SCENARIOS = {
    "a missing key": (
        "changes:\n  - kind: late_customer\n    customer: Tallgrass Media\n",
        "late.yaml:2: `changes[0].days` is required",
    ),
    "a date that is not one": (
        "changes:\n  - kind: hire\n    from: next spring\n    monthly: 8000\n",
        "late.yaml:3: `changes[0].from`",
    ),
    "a number that is not one": (
        "changes:\n  - kind: late_customer\n    customer: Tallgrass Media\n    days: three\n",
        "late.yaml:4: `changes[0].days`",
    ),
    "a percentage that is not one": (
        "changes:\n  - {kind: receipts_drop, pct: lots}\n",
        "late.yaml:2: `changes[0].pct`",
    ),
    "a salary that is not one": (
        "changes:\n  - kind: hire\n    from: 2025-10-01\n    monthly: [8000]\n",
        "late.yaml:4: `changes[0].monthly`",
    ),
    "an unknown kind": (
        "changes:\n  - {kind: late_payer, customer: Tallgrass Media, days: 21}\n",
        "late.yaml:2: `changes[0]`: Input tag 'late_payer' found using 'kind' does not match",
    ),
    "an unknown key": (
        "changes:\n  - {kind: late_customer, customer: Tallgrass Media, days: 21, weeks: 2}\n",
        "late.yaml:2: unknown key `weeks`",
    ),
    "a customer nobody invoiced": (
        "changes:\n  - {kind: late_customer, customer: Talgrass Media, days: 21}\n",
        "late.yaml:2: `changes[0].customer`: no customer `Talgrass Media` in the books; "
        "did you mean `Tallgrass Media`?",
    ),
    "not a mapping": ("- kind: hire\n", "late.yaml:1: expected a mapping"),
}


@pytest.mark.parametrize("case", sorted(BAD_SCENARIOS))
def test_a_bad_scenario_file_is_bad_input_naming_file_and_line(demo, bo, case):
    text, message = BAD_SCENARIOS[case]
    (demo / "scenarios").mkdir()
    (demo / "scenarios/late.yaml").write_text(text)
    out = demo / "forecast.html"
    result = bo(
        "forecast", "--as-of", "2025-09-30", "--scenario", "late", "--out", str(out), cwd=demo
    )
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_scenario_is_named_not_a_path(demo, bo):
    (demo / "scenarios").mkdir()
    (demo / "scenarios/late.yaml").write_text(LATE)
    for name in ("../bo", "/etc/passwd", "sub/late", ".."):
        result = bo("forecast", "--as-of", "2025-09-30", "--scenario", name, cwd=demo)
        assert result.exit_code == 2
        assert "not a path (have: late)" in result.stderr
    missing = bo("forecast", "--as-of", "2025-09-30", "--scenario", "early", cwd=demo)
    assert missing.exit_code == 2
    assert "no scenarios/early.yaml (have: late)" in missing.stderr


def test_a_bad_declared_recurring_item_is_bad_input_in_bo_yaml(demo, bo):
    settings_file = demo / "bo.yaml"
    lines = settings_file.read_text().count("\n")
    settings_file.write_text(
        settings_file.read_text()
        + "\nforecast:\n  recurring:\n    - {payee: Rent, amount: 4200.00, day: 40}\n"
    )
    result = bo("forecast", "--as-of", "2025-09-30", cwd=demo)
    assert result.exit_code == 2
    assert f"bo.yaml:{lines + 4}: `forecast.recurring[0].amount`: `4200.00` needs its currency" in (
        result.stderr
    )
    assert f"bo.yaml:{lines + 4}: `forecast.recurring[0].day`" in result.stderr


def test_the_alarm_goes_off_at_the_chance_set_in_bo_yaml(demo, bo):
    """The alarm (exit 1, a `!` week) is raised when the chance of ending a week under the
    minimum reaches `forecast.alarm_chance`: one in five unless bo.yaml says otherwise."""
    settings_file = demo / "bo.yaml"
    args = ("forecast", "--as-of", "2025-06-30", "--format", "json")
    (base,) = json.loads(bo(*args, cwd=demo).stdout)["forecasts"]
    # A minimum at the lowest expected cash: that week ends under it about half the time.
    closing = min(Decimal(w["closing"]) for w in base["weeks"]).quantize(Decimal("1"))
    text = settings_file.read_text().replace("minimum: 15000.00 USD", f"minimum: {closing} USD")
    settings_file.write_text(text)
    result = bo(*args, cwd=demo)
    (run,) = json.loads(result.stdout)["forecasts"]
    chances = [Decimal(w["chance_below"]) for w in run["weeks"]]
    assert Decimal("0.2") <= max(chances) < Decimal("0.8") and result.exit_code == 1
    assert [w["below_minimum"] for w in run["weeks"]] == [c >= Decimal("0.2") for c in chances]
    for threshold, code in ((max(chances), 1), (max(chances) + Decimal("0.01"), 0)):
        settings_file.write_text(text + f"\nforecast:\n  alarm_chance: {threshold}\n")
        result = bo(*args, cwd=demo)
        assert result.exit_code == code, (threshold, result.stderr)
        (run,) = json.loads(result.stdout)["forecasts"]
        assert sum(w["below_minimum"] for w in run["weeks"]) == chances.count(threshold)
    lines = text.count("\n")
    settings_file.write_text(text + "\nforecast:\n  alarm_chance: 1.5\n")
    result = bo(*args, cwd=demo)
    assert result.exit_code == 2 and f"bo.yaml:{lines + 3}: `forecast.alarm_chance`" in (
        result.stderr
    )


def test_backtest_options_are_checked(demo, bo):
    for args, message in (
        (("--backtest", "--format", "html"), "--backtest takes --from, --to"),
        (("--from", "2025-03-31"), "--from and --to are for --backtest"),
    ):
        result = bo("forecast", *args, cwd=demo)
        assert result.exit_code == 2 and message in result.stderr


# --- books of other shapes, generated here ------------------------------------------------------

# A year of month ends, so that every season is forecast from; each book has two years of
# history before the first (the seasons need them).
YEAR = ("--from", "2024-10-31", "--to", "2025-09-30", "--as-of", "2025-12-31")
SHAPES = {"seasonal": (2, date(2022, 9, 1)), "projects": (3, date(2023, 1, 1))}


@pytest.fixture(scope="module", params=sorted(SHAPES))
def shaped_backtest(request, tmp_path_factory) -> tuple[str, dict]:
    seed, start = SHAPES[request.param]
    books = load_generator().write_books(
        request.param, seed, tmp_path_factory.mktemp(request.param), start
    )
    result = run_bo("forecast", "--backtest", *YEAR, "--format", "json", cwd=books)
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)["backtests"]
    return request.param, found


# Measured on these books (see the README): bounds that a worse forecast fails. The
# landscaper's owner pays estimated taxes from the business on the IRS's calendar; with them
# forecast (about 8,000 four times a year) seed 2 misses by a little more than without, whose
# omission offset the low invoicing of 2025 (seeds 3 to 7 by less), and its lean springs come
# near enough the minimum for three alarms.
SHAPE_BOUNDS = {
    "seasonal": {
        "mape": Decimal("0.113"),
        "mape_weeks_1_4": Decimal("0.054"),
        "band_held": Decimal("0.96"),
        "false_alarms": 3,
    },
    "projects": {
        "mape": Decimal("0.135"),
        "mape_weeks_1_4": Decimal("0.077"),
        "band_held": Decimal("0.90"),
        "false_alarms": 2,
    },
}


def test_books_of_other_shapes_are_backtested_over_a_year(shaped_backtest):
    shape, found = shaped_backtest
    assert len(found["as_of"]) == 12 and all(h["count"] == 12 for h in found["by_week"])
    bounds = SHAPE_BOUNDS[shape]
    assert Decimal(found["mape"]) <= bounds["mape"], (shape, found["mape"])
    assert Decimal(found["mape_weeks_1_4"]) <= bounds["mape_weeks_1_4"], shape
    assert Decimal(found["band_held"]) >= bounds["band_held"], (shape, found["band_held"])
    assert len(found["false_alarms"]) <= bounds["false_alarms"], (shape, found["false_alarms"])
    # Whenever the cash did end a week under the minimum, the forecast had said it might.
    assert found["missed"] == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 23's 3% over weeks 1-4 cannot be met on the generated books: a forecaster "
    "that knew how they were generated (bench/oracle_forecast.py) misses weeks 1-4 by 5.8% "
    "on the landscaper (seed 2) and 4.0% on the studio (seed 3), their projects signed and "
    "paid within weeks and milestones of up to 100,000 landing a week either side; over 13 "
    "weeks it misses by 8.5% and 9.9%, bo by 11.2% and 13.4%: bo does not know the "
    "projects under way nor count on the studio's line of credit; see the README",
)
def test_books_of_other_shapes_meet_the_issue_thresholds(shaped_backtest):
    _, found = shaped_backtest
    assert Decimal(found["mape"]) <= ISSUE["mape"]
    assert Decimal(found["mape_weeks_1_4"]) <= ISSUE["mape_weeks_1_4"]
    assert Decimal(found["band_held"]) >= ISSUE["band_held"]
    assert found["false_alarms"] == []


def test_the_oracles_futures_agree_with_the_books_through_the_day_and_differ_after():
    """The floor the README quotes (bench/oracle_forecast.py) comes from futures that are the
    books to the cent through the as-of date, every entry, and are drawn again after it."""
    bench_module("generate_books")
    load_generator()
    oracle = bench_module("oracle_forecast")
    make = oracle.make_business("seasonal", 2)
    truth, books, _ = make(None, None)
    day = date(2025, 3, 31)

    def through(entries, last: date) -> list:
        return sorted(
            (oracle.day_of(t), t.payee, t.narration, oracle.cash_of(t, truth.BANKS))
            for t in entries
            if oracle.day_of(t) <= last
        )

    futures = [make(day, seed)[1] for seed in (1, 2)]
    assert all(through(future, day) == through(books, day) for future in futures)
    later = day + timedelta(days=91)
    assert len({tuple(through(entries, later)) for entries in (books, *futures)}) == 3


# --- every currency on its own ----------------------------------------------------------------

TWO_CURRENCIES = """\
option "operating_currency" "USD"
2024-12-31 open Assets:Bank:Checking USD
2024-12-31 open Assets:Bank:Euro EUR
2024-12-31 open Assets:Receivable USD,EUR
2024-12-31 open Income:Sales USD,EUR
2024-12-31 open Expenses:Rent USD,EUR
2024-12-31 open Equity:Opening USD,EUR
2024-12-31 price EUR 1.10 USD
2025-05-30 price EUR 1.0850 USD

2025-01-01 * "Opening"
  Assets:Bank:Checking  9010.00 USD
  Assets:Bank:Euro  800.00 EUR
  Equity:Opening  -9010.00 USD
  Equity:Opening  -800.00 EUR
"""


def two_currency_books(tmp_path: Path) -> Path:
    lines = [TWO_CURRENCIES]
    for month in range(1, 7):
        day = date(2025, month, 1)
        lines.append(f'{day} * "Landlord" "Rent"\n  Expenses:Rent  2000.00 USD\n'
                     f"  Assets:Bank:Checking  -2000.00 USD\n")  # fmt: skip
        lines.append(f'{day + timedelta(days=2)} * "Vermieter" "Miete Lager"\n'
                     f"  Expenses:Rent  300.00 EUR\n  Assets:Bank:Euro  -300.00 EUR\n")  # fmt: skip
        for n, (who, amount, cur, bank) in enumerate(
            (("Acme", "3000.00", "USD", "Checking"), ("Bergmann GmbH", "1200.00", "EUR", "Euro"))
        ):
            issued = day + timedelta(days=4 + n)
            number = f"INV-{month}{n}"
            lines.append(
                f'{issued} * "{who}" "Invoice {number}"\n  invoice: "{number}"\n'
                f"  due: {issued + timedelta(days=30)}\n  Assets:Receivable  {amount} {cur}\n"
                f"  Income:Sales  -{amount} {cur}\n"
            )
            if month < 6:
                paid = issued + timedelta(days=33)
                lines.append(
                    f'{paid} * "{who}" "Payment {number}"\n  invoice: "{number}"\n'
                    f"  Assets:Bank:{bank}  {amount} {cur}\n  Assets:Receivable  -{amount} {cur}\n"
                )
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text("\n".join(lines))
    (tmp_path / "bo.yaml").write_text(
        "entity: {name: Two Currencies LLC, currency: USD}\n"
        "accounts:\n"
        "  Assets:Bank:Checking: {role: bank, minimum: 5000.00 USD}\n"
        "  Assets:Bank:Euro: {role: bank, minimum: 200.00 EUR}\n"
        "  Assets:Receivable: {role: receivable}\n"
    )
    return tmp_path


def test_each_currency_is_forecast_on_its_own(tmp_path, bo):
    books = two_currency_books(tmp_path)
    found = run_json(bo, "forecast", "--as-of", "2025-06-30", "--weeks", "6", "--books", str(books))
    usd, eur = found["forecasts"]
    assert (usd["currency"], usd["accounts"], usd["minimum"]) == (
        "USD",
        ["Assets:Bank:Checking"],
        "5000.00",
    )
    assert (eur["currency"], eur["accounts"], eur["minimum"]) == (
        "EUR",
        ["Assets:Bank:Euro"],
        "200.00",
    )
    # The opening cash is per currency: 9,010 - 6 rents + 5 receipts; 800 - 6 rents + 5 receipts.
    assert usd["weeks"][0]["opening"] == "12010.00"
    assert eur["weeks"][0]["opening"] == "5000.00"
    assert {f["currency"] for f in usd["flows"]} == {"USD"}
    assert {f["currency"] for f in eur["flows"]} == {"EUR"}
    # June's EUR invoice is expected in EUR, into the EUR account; July's rent goes out of it.
    assert any(f["what"] == "Bergmann GmbH INV-61" for f in eur["flows"])
    assert any(
        f["what"] == "Vermieter (recurring)" and f["amount"] == "-300.00" for f in eur["flows"]
    )
    for run in (usd, eur):
        cash = Decimal(run["weeks"][0]["opening"])
        for week in run["weeks"]:
            cash += Decimal(week["receipts"]) - Decimal(week["disbursements"])
            assert Decimal(week["closing"]) == cash
    shown = bo("forecast", "--as-of", "2025-06-30", "--weeks", "2", "--books", str(books)).stdout
    assert "forecast from 2025-06-30, USD (Assets:Bank:Checking)" in shown
    assert "forecast from 2025-06-30, EUR (Assets:Bank:Euro)" in shown
    assert "1 EUR = 1.0850 USD (price of 2025-05-30)" in shown


def one_bank_books(tmp_path: Path, lines: list[str], name: str) -> None:
    """`lines` as the ledger of books with one bank account, its minimum 10,000."""
    (tmp_path / "ledgers").mkdir(parents=True)
    (tmp_path / "ledgers/main.beancount").write_text("\n".join(lines))
    (tmp_path / "bo.yaml").write_text(
        f"entity: {{name: {name}, currency: USD}}\n"
        "accounts:\n  Assets:Bank:Checking: {role: bank, minimum: 10000.00 USD}\n"
    )


def sweeping_books(tmp_path: Path, keep) -> Path:
    """A year and a half of a business that is paid 20,000 on the 5th and pays 5,000 rent on
    the 1st; on the 10th after each quarter the owners take the cash beyond `keep(n)` (the
    n-th time)."""
    lines = [
        "2024-01-01 open Assets:Bank:Checking USD\n2024-01-01 open Income:Fees USD\n"
        "2024-01-01 open Expenses:Rent USD\n2024-01-01 open Equity:Opening USD\n"
        "2024-01-01 open Equity:Distributions USD\n"
        '2024-01-01 * "Opening"\n  Assets:Bank:Checking  80000.00 USD\n  Equity:Opening\n'
    ]
    cash, taken = Decimal("80000.00"), 0
    for index in range(18):
        month = date(2024 + index // 12, index % 12 + 1, 1)
        for day, who, amount, other in (
            (month + timedelta(days=1), "Landlord", Decimal("-5000.00"), "Expenses:Rent"),
            (month + timedelta(days=4), "Client", Decimal("20000.00"), "Income:Fees"),
        ):
            cash += amount
            lines.append(f'{day} * "{who}" ""\n  Assets:Bank:Checking  {amount} USD\n  {other}\n')
        if month.month in (1, 4, 7, 10) and index:
            amount = cash - keep(taken)
            taken += 1
            cash -= amount
            lines.append(
                f'{month + timedelta(days=9)} * "Owners" "Quarterly distribution"\n'
                f"  Equity:Distributions  {amount} USD\n  Assets:Bank:Checking\n"
            )
    one_bank_books(tmp_path, lines, "Sweep LLC")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios/van.yaml").write_text(
        "name: A van\nchanges:\n  - {kind: purchase, date: 2025-07-03, amount: 12000}\n"
    )
    return tmp_path


def test_owners_taking_the_cash_beyond_a_reserve_are_expected_to_again(tmp_path, bo):
    """Five quarters the owners left 80,000 in the bank and took the rest: on 10 July the
    forecast takes out what it expects above 80,000 (110,000 at the end of June, -5,000 rent,
    +20,000 fees: 45,000), and a purchase before then leaves that much less to take."""
    books = sweeping_books(tmp_path / "sweep", lambda n: Decimal("80000.00"))
    args = ("forecast", "--as-of", "2025-06-30", "--format", "json", "--scenario", "van")
    base, van = run_json(bo, *args, "--books", str(books))["forecasts"]
    (sweep,) = [f for f in base["flows"] if f["kind"] == "sweep"]
    assert (sweep["date"], sweep["amount"], sweep["what"]) == (
        "2025-07-10",
        "-45000.00",
        "Owners (sweep)",
    )
    assert "the cash beyond about 80,000.00 USD taken out every 3 months" in sweep["basis"]
    assert [f["amount"] for f in van["flows"] if f["kind"] == "sweep"] == ["-33000.00"]
    week = next(w for w in base["weeks"] if w["start"] <= "2025-07-10" <= w["end"])
    assert Decimal(week["closing"]) == Decimal("80000.00")
    # Owners who take a different sum each time, leaving what they please: a decision, not
    # a habit; the forecast leaves it out (as it always did).
    books = sweeping_books(tmp_path / "whim", lambda n: Decimal((60, 85, 65, 90, 72)[n] * 1000))
    (base, _) = run_json(bo, *args, "--books", str(books))["forecasts"]
    assert not [f for f in base["flows"] if f["kind"] == "sweep" or "Owners" in f["what"]]


def twice_swept_books(tmp_path: Path, good: set[str]) -> Path:
    """Fees of 5,000 a month pay the rent; in the months in `good` they are 20,000. The owners
    took the cash beyond 80,000 on 10 April and 10 October 2024, and never otherwise."""
    lines = [
        "2024-01-01 open Assets:Bank:Checking USD\n2024-01-01 open Income:Fees USD\n"
        "2024-01-01 open Expenses:Rent USD\n2024-01-01 open Equity:Opening USD\n"
        "2024-01-01 open Equity:Distributions USD\n"
        '2024-01-01 * "Opening"\n  Assets:Bank:Checking  80000.00 USD\n  Equity:Opening\n'
    ]
    cash = Decimal("80000.00")
    for index in range(20):
        month = date(2024 + index // 12, index % 12 + 1, 1)
        fees = Decimal("20000.00") if f"{month:%Y-%m}" in good else Decimal("5000.00")
        for day, who, amount, other in (
            (month + timedelta(days=1), "Landlord", Decimal("-5000.00"), "Expenses:Rent"),
            (month + timedelta(days=4), "Client", fees, "Income:Fees"),
        ):
            cash += amount
            lines.append(f'{day} * "{who}" ""\n  Assets:Bank:Checking  {amount} USD\n  {other}\n')
        if f"{month:%Y-%m}" in ("2024-04", "2024-10"):
            lines.append(
                f'{month + timedelta(days=9)} * "Owners" "Distribution"\n'
                f"  Equity:Distributions  {cash - 80000} USD\n  Assets:Bank:Checking\n"
            )
            cash = Decimal("80000.00")
    one_bank_books(tmp_path, lines, "Sweep LLC")
    return tmp_path


def test_two_sweeps_are_a_habit_when_the_cash_stayed_under_the_level_between(tmp_path, bo):
    """Twice the owners left 80,000 and took the rest, six months apart; on 10 April 2025 the
    cash was under 80,000 and nothing was taken: the rule at work. The forecast from the end
    of August, with cash at 110,000, takes out what is above 80,000 on 10 October."""
    good = {"2024-02", "2024-03", "2024-08", "2024-09", "2025-07", "2025-08"}
    args = ("forecast", "--as-of", "2025-08-31", "--format", "json")
    books = twice_swept_books(tmp_path / "kept", good)
    (base,) = run_json(bo, *args, "--books", str(books))["forecasts"]
    (sweep,) = [f for f in base["flows"] if f["kind"] == "sweep"]
    assert sweep["date"] == "2025-10-10" and Decimal(sweep["amount"]) < 0
    assert "the cash beyond about 80,000.00 USD taken out every 6 months" in sweep["basis"]
    # A good spring with nothing taken on 10 April 2025 (cash 110,000): not a habit.
    books = twice_swept_books(tmp_path / "left", good | {"2025-02", "2025-03"})
    (base,) = run_json(bo, *args, "--books", str(books))["forecasts"]
    assert not [f for f in base["flows"] if f["kind"] == "sweep"]


def installment_books(tmp_path: Path) -> Path:
    """Two years and more of rent and fees, and the owner's estimated income tax paid from
    the business (an equity account) on the IRS's calendar: 15 January, April, June and
    September, a different sum each time but each within a few hundred of the others."""
    lines = [
        "2023-01-01 open Assets:Bank:Checking USD\n2023-01-01 open Income:Fees USD\n"
        "2023-01-01 open Expenses:Rent USD\n2023-01-01 open Equity:Opening USD\n"
        "2023-01-01 open Equity:Owner:Taxes USD\n"
        '2023-01-01 * "Opening"\n  Assets:Bank:Checking  80000.00 USD\n  Equity:Opening\n'
    ]
    taxes = iter((7200, 8100, 7600, 8400, 7900, 7300, 8200, 7700, 8000, 7500))
    for index in range(28):
        month = date(2023 + index // 12, index % 12 + 1, 1)
        for day, who, amount, other in (
            (month + timedelta(days=1), "Landlord", "-5000.00", "Expenses:Rent"),
            (month + timedelta(days=4), "Client", "9000.00", "Income:Fees"),
        ):
            lines.append(f'{day} * "{who}" ""\n  Assets:Bank:Checking  {amount} USD\n  {other}\n')
        if month.month in (1, 4, 6, 9):
            lines.append(
                f'{month.replace(day=15)} * "IRS" "Estimated income tax"\n'
                f"  Equity:Owner:Taxes  {next(taxes)}.00 USD\n  Assets:Bank:Checking\n"
            )
    one_bank_books(tmp_path, lines, "Installments LLC")
    return tmp_path


def test_estimated_taxes_on_the_irs_calendar_are_expected_in_their_months(tmp_path, bo):
    """Paid out of equity but on a calendar, about the same sum each time: an installment,
    not the owners taking what the cash allows. From the end of April the forecast pays the
    June one (on the 15th, at the mean of the last year's four) and the September one; not
    one in July, three months after the latest, as a quarterly series would."""
    books = installment_books(tmp_path)
    args = ("forecast", "--as-of", "2025-04-30", "--weeks", "26", "--format", "json")
    (base,) = run_json(bo, *args, "--books", str(books))["forecasts"]
    taxes = [f for f in base["flows"] if f["what"].startswith("IRS")]
    assert [(f["date"], f["amount"]) for f in taxes] == [
        ("2025-06-16", "-7850.00"),  # the 15th is a Sunday
        ("2025-09-15", "-7850.00"),
    ]
    assert "every year in January, April, June, September" in taxes[0]["basis"]


CURRENCIES = ("USD", "EUR", "CHF")
BANKS = ("Assets:Bank:One", "Assets:Bank:Two")
COUNTERS = ("Income:Sales", "Expenses:Costs", "Liabilities:Card", "Equity:Owner")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 180),  # day of 2025
            st.sampled_from(BANKS),
            st.sampled_from(COUNTERS),
            st.sampled_from(CURRENCIES),
            st.integers(-500_000, 500_000),  # cents
        ),
        min_size=1,
        max_size=60,
    )
)
def test_no_amount_is_ever_added_across_currencies(movements):
    """Whatever cash moves in whatever currencies, each currency's forecast opens at that
    currency's cash alone and sees only flows in it."""
    lines = ['option "operating_currency" "USD"']
    lines += [f"2024-12-31 open {a}" for a in (*BANKS, *COUNTERS)]
    expected: dict[str, Decimal] = {}
    for day, bank, counter, currency, cents in sorted(movements):
        when = date(2025, 1, 1) + timedelta(days=day)
        amount = Decimal(cents) / 100
        lines.append(
            f'{when} * "Payee {counter.split(":")[-1]}" "x"\n  {bank}  {amount} {currency}\n'
            f"  {counter}  {-amount} {currency}"
        )
        expected[currency] = expected.get(currency, Decimal(0)) + amount
    entries, errors, options = loader.load_string("\n".join(lines))
    assert not errors
    from bo.settings import Settings

    config = Settings.model_validate(
        {
            "entity": {"name": "Property", "currency": "USD"},
            "accounts": {b: {"role": "bank"} for b in BANKS}
            | {"Liabilities:Card": {"role": "card"}},
        }
    )
    runs = forecast(entries, config, date(2025, 6, 30), 8, options=options)
    assert sorted(r.currency for r in runs) == sorted(expected)
    for run in runs:
        assert run.opening == expected[run.currency]
        assert all(f.currency == run.currency for f in (*run.flows, *run.doubtful))
        cash = run.opening
        for week in run.weeks:
            cash += week.receipts - week.disbursements
            assert week.closing == cash


# --- ledgers bo did not write --------------------------------------------------------------------


def test_the_forecast_runs_on_bean_examples_ledger(tmp_path):
    ledger = tmp_path / "ledgers/main.beancount"
    ledger.parent.mkdir()
    subprocess.run(
        [str(Path(sys.executable).parent / "bean-example"), "--seed", "7", "--date-begin",
         "2023-01-01", "--date-end", "2025-06-30", "--date-birth", "1980-05-12", "-o",
         str(ledger)],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "bo.yaml").write_text(
        "entity: {name: Example household, currency: USD}\n"
        "accounts:\n"
        "  Assets:US:BofA:Checking: {role: bank, minimum: 1000.00 USD}\n"
        "  Liabilities:US:Chase:Slate: {role: card}\n"
    )
    result = run_bo("forecast", "--as-of", "2025-03-31", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    (base,) = json.loads(result.stdout)["forecasts"]
    assert base["currency"] == "USD" and base["accounts"] == ["Assets:US:BofA:Checking"]
    salary = [f for f in base["flows"] if f["amount"] > "0" and "every two weeks" in f["basis"]]
    assert salary, "the paycheck every other week is found"
    rent = [f for f in base["flows"] if "Expenses:Home:Rent" in f["basis"]]
    assert rent and all(f["basis"].startswith("monthly") for f in rent)
    replay = run_bo("forecast", "--backtest", "--as-of", "2025-06-30", "--weeks", "8", cwd=tmp_path)
    assert replay.returncode == 0, replay.stderr
    assert "backtest of the 8-week forecast, USD" in replay.stdout


ROOTS = {
    "Assets": "Aktiva",
    "Liabilities": "Passiva",
    "Equity": "Eigenkapital",
    "Income": "Ertrag",
    "Expenses": "Aufwand",
}


def test_renamed_root_accounts_forecast_the_same(tmp_path):
    """beancount's name_* options rename the roots: the forecast reads the account types from
    them (a distribution to the owners, on an Eigenkapital account, is still equity)."""
    generator = load_generator()
    plain = generator.write_books("projects", 3, tmp_path / "plain", date(2024, 1, 1))
    renamed = tmp_path / "renamed"
    shutil.copytree(plain, renamed)
    for name in ("ledgers/main.beancount", "bo.yaml"):
        text = (renamed / name).read_text()
        for old, new in ROOTS.items():
            text = re.sub(rf"\b{old}:", f"{new}:", text)
        if name.endswith(".beancount"):
            options = "".join(
                f'option "name_{old.lower()}" "{new}"\n' for old, new in ROOTS.items()
            )
            text = options + text
        (renamed / name).write_text(text)
    args = ("forecast", "--as-of", "2025-06-30", "--format", "json")
    runs = [json.loads(run_bo(*args, cwd=books).stdout)["forecasts"] for books in (plain, renamed)]
    (one,), (other,) = runs
    assert other["accounts"] == ["Aktiva:Bank:Operating", "Aktiva:Bank:Reserve"]
    assert one["weeks"] == other["weeks"]
    assert [(f["date"], f["amount"]) for f in one["flows"]] == [
        (f["date"], f["amount"]) for f in other["flows"]
    ]


def test_the_bands_past_forecasts_see_the_books_as_they_stood(shared):  # noqa: F811
    """The band replays forecasts at the Sundays before the as-of date from the history read
    once: going back in it gives what reading the books up to that day gives."""
    from bo.forecast.history import entries_through, read_history

    books = open_books(shared, shared, use_cache=False)
    entries, settings_, options = books.ledger.entries, books.settings, books.ledger.options
    end = date(2025, 9, 30)
    full = read_history(entries_through(entries, end), settings_, end, options)
    for back in range(3, 330, 11):
        day = date(2025, 9, 30) - timedelta(days=back)
        assert full.through(day) == read_history(
            entries_through(entries, day), settings_, day, options
        )
