"""`bo cash check` and `bo forecast` on the demo books, through the CLI as cron runs them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bo.books import open_books
from bo.cash import balances_at
from bo.forecast import forecast
from tests.conftest import PROJECT


def check(bo, day: str, *args: str):
    return bo("cash", "check", "--as-of", day, "--books", str(PROJECT), *args)


def test_a_quiet_day_prints_nothing_and_exits_0(bo):
    result = check(bo, "2025-07-15")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_a_balance_under_its_minimum(bo):
    result = check(bo, "2024-11-18")
    assert result.exit_code == 1
    assert "Assets:Bank:Checking is at 14,082.94 USD, under its minimum of 15,000.00" in (
        result.stdout
    )
    assert "[setting: accounts.Assets:Bank:Checking.minimum]" in result.stdout


def test_an_unusual_payment_to_a_new_payee(bo):
    result = check(bo, "2025-03-11")
    assert result.exit_code == 1
    assert "Apple: 3,600.00 out of Liabilities:CreditCard to a payee never paid before" in (
        result.stdout
    )
    assert "thresholds.materiality" in result.stdout


def test_stale_statements(bo):
    result = check(bo, "2026-02-15", "--json")
    assert result.exit_code == 1
    alerts = json.loads(result.stdout)["alerts"]
    assert {a["kind"] for a in alerts} == {"stale"}
    assert {a["account"] for a in alerts} == {
        "Assets:Bank:Checking",
        "Assets:Bank:Savings",
        "Liabilities:CreditCard",
    }


def test_the_output_for_cron_is_plain_text(bo):
    result = check(bo, "2024-11-18")
    assert "\x1b[" not in result.stdout  # no colour codes in mail
    assert result.stdout.splitlines()[0].startswith("bo cash check 2024-11-18: 1 alert(s)")


def test_forecast_backtest_four_weeks_ahead():
    """Forecast from a past day; compare week 4 with what the books later show."""
    books = open_books(PROJECT, PROJECT)
    entries, settings = books.ledger.entries, books.settings
    banks = {"Assets:Bank:Checking", "Assets:Bank:Savings"}
    errors = []
    for start in (date(2025, 2, 28), date(2025, 4, 30), date(2025, 6, 30)):
        # Only what was known that day: entries after it are the future.
        known = [e for e in entries if getattr(e, "date", start) <= start]
        projected = forecast(known, settings, start, weeks=4).weeks[-1].closing
        actual = sum(balances_at(entries, banks, start + timedelta(days=28)).values())
        errors.append(abs(projected - actual) / actual)
        print(f"forecast from {start}: week 4 {projected:,} vs actual {actual:,}")
    worst = max(errors)
    print(f"worst 4-week error: {worst:.1%}")
    assert worst < Decimal("0.20")


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
        return {f["what"]: f["date"] for f in run["flows"] if f["what"].startswith("Tallgrass")}

    before, after = receipts(base), receipts(late)
    assert before and before.keys() == after.keys()
    for what in before:
        shift = date.fromisoformat(after[what]) - date.fromisoformat(before[what])
        assert shift == timedelta(days=21)
    html = bo(*args[:-4], "--format", "html", "--scenario", "late", cwd=demo).stdout
    assert "<polyline" in html


def test_the_kept_answer_follows_the_books(demo, bo):
    first = bo("cash", "check", "--as-of", "2024-11-18", cwd=demo)
    assert first.exit_code == 1
    assert bo("cash", "check", "--as-of", "2024-11-18", cwd=demo).stdout == first.stdout
    with open(demo / "ledgers/2024.beancount", "a") as handle:
        handle.write(
            '\n2024-11-14 * "Transfer from savings"\n'
            "  Assets:Bank:Checking   5000.00 USD\n  Assets:Bank:Savings\n"
        )
    assert bo("cash", "check", "--as-of", "2024-11-18", cwd=demo).exit_code == 0


def test_bills_due_this_week_beyond_available_cash(demo, bo):
    settings = demo / "bo.yaml"
    # With a minimum this high nothing is available above it, so any bill due is too much.
    settings.write_text(
        settings.read_text().replace("minimum: 15000.00 USD", "minimum: 500000.00 USD")
    )
    result = bo("cash", "check", "--as-of", "2025-09-05", "--json", cwd=demo)
    kinds = {a["kind"]: a for a in json.loads(result.stdout)["alerts"]}
    assert "payables" in kinds
    assert kinds["payables"]["setting"] == "accounts.*.minimum"


def test_reconciliation_items_open_too_long(demo, bo):
    bo("reconcile", "Assets:Bank:Checking", "--period", "2025-09", cwd=demo)
    result = bo("cash", "check", "--as-of", "2026-01-05", "--json", cwd=demo)
    unreconciled = [a for a in json.loads(result.stdout)["alerts"] if a["kind"] == "unreconciled"]
    assert {a["amount"] for a in unreconciled} == {"-2400.00", "3150.00"}
    assert all(a["setting"] == "thresholds.outstanding_check_days" for a in unreconciled)


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
        "changes:\n  - kind: late_customer\n    customer: Talgrass Media\n    days: 21\n",
        "late.yaml:3: `changes[0].customer`: no customer `Talgrass Media` in the books; "
        "did you mean `Tallgrass Media`?",
    ),
    "a list at the top": ("- kind: late_customer\n", "late.yaml:1: expected a mapping"),
    "no changes": ("name: nothing\nchanges: []\n", "late.yaml:2: `changes`"),
    "bad YAML": ("changes: [\n", "late.yaml:2: not valid YAML"),
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
