"""Books bo did not write: beancount's `bean-example` ledgers, adopted with `bo init --adopt`,
then every statement tied to bean-query to the cent, currency by currency.

The example is a person's books, not a company's: salary, a brokerage with holdings at cost,
401k allowance units and vacation hours (which are not money), fund purchases that balance
only within beancount's tolerance. bo must take them as they are.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import timedelta
from decimal import Decimal

import pytest

from bo.books import open_books
from bo.periods import Period, fiscal_year_start
from bo.reports.cashflow import cash_flow
from bo.reports.compute import build_trial_balance
from bo.reports.statements import balance_sheet, income_statement
from tests.foreign import (
    EXAMPLE_NOT_MONEY,
    EXAMPLE_SPANS,
    Truth,
    by_currency,
    cents,
    market_values,
    months_of,
)

ZERO = Decimal(0)


def _money(sums):
    return {k: v for k, v in sums.items() if k[1] not in EXAMPLE_NOT_MONEY}


def _lines(section, sign, base):
    """A section's lines as (account, currency) -> number in beancount's signs."""
    found = {}
    for line in section.lines:
        amounts = line.by_currency or {base: line.amount}
        for currency, number in amounts.items():
            if number:
                found[(line.account, currency)] = sign * number
    return found


def _rounded(sums):
    return {k: cents(v) for k, v in sums.items() if cents(v)}


def _ties(books, truth: Truth, period: Period) -> None:
    """Trial balance, income statement, balance sheet and cash flow of `period` against
    bean-query, currency by currency."""
    ledger, settings = books.ledger, books.settings
    entries, options = ledger.entries, ledger.options
    base = settings.entity.currency
    year_start = fiscal_year_start(period.end, settings.entity.fiscal_year_start)
    before_year = year_start - timedelta(days=1)
    earnings = "Equity:RetainedEarnings"

    # Income statement: each account's weight in the period, in each money currency.
    pnl = income_statement(entries, settings, period, None, options)
    expected = _rounded(_money(truth.pnl(period.start, period.end)))
    ours = _lines(pnl.income, -1, base) | _lines(pnl.expenses, 1, base)
    assert ours == expected, f"pnl {period}"
    assert pnl.net_income == cents(-sum(by_currency(expected).values(), ZERO))

    # Balance sheet: what each account holds, earlier years' earnings in retained earnings,
    # this year's in current earnings; it balances, with rounding as its own line.
    sheet = balance_sheet(entries, settings, period, None, options)
    held = _money(truth.held(period.end))
    prior = _money(truth.pnl(None, before_year))
    this_year = _money(truth.pnl(year_start, period.end))
    for currency, number in by_currency(prior).items():
        held[(earnings, currency)] = held.get((earnings, currency), ZERO) + number
    for currency, number in by_currency(this_year).items():
        held[("Equity:Current earnings", currency)] = number
    ours = _lines(sheet.assets, 1, base) | _lines(sheet.liabilities, -1, base)
    ours |= _lines(sheet.equity, -1, base)
    rounding = ours.pop(("Equity:Rounding within tolerance", base), ZERO)
    assert ours == _rounded(held), f"balance sheet {period}"
    assert sheet.balanced and not sheet.problems, f"balance sheet {period}: {sheet.problems}"
    assert abs(rounding) < Decimal("0.10"), "rounding, not an error"
    assert sheet.holdings, "the brokerage holds lots at cost"
    assert all(h.cost > 0 for h in sheet.holdings)
    # Each holding's market value is bean-query's, at the latest price by the period's end.
    worth = market_values(entries, options, period.end)
    assert {h.account: h.market_value for h in sheet.holdings} == {
        account: cents(number) for account, number in worth.items() if number
    }, f"market values {period}"

    # Trial balance: every currency, tracked units too; debits equal credits in each.
    trial = build_trial_balance(entries, options, period, 1, earnings)
    lines = {
        (line.account, line.currency): line.debit - line.credit
        for line in trial.lines
        if not line.account.endswith("Rounding within tolerance")
    }
    expected = truth.held(period.end) | truth.pnl(year_start, period.end)
    for currency, number in by_currency(truth.pnl(None, before_year)).items():
        expected[(earnings, currency)] = expected.get((earnings, currency), ZERO) + number
    assert lines == {k: cents(v, 0 if k[1] == "VACHR" else 2) for k, v in expected.items()}
    assert trial.balanced and not trial.problems, trial.problems

    # Cash flow: ties to the change in the bank accounts, in every currency.
    flow = cash_flow(entries, settings, period, None, options)
    assert flow.ties and not flow.problems, f"cash flow {period}: {flow.problems}"
    cash = set(settings.accounts_with_role("bank", "processor"))
    moved = by_currency(truth.moved(cash, period.start, period.end))
    assert flow.net_change == cents(moved.get(base, ZERO)), f"cash flow {period}"
    assert flow.net_income == pnl.net_income


@pytest.mark.parametrize("span", [s[0] for s in EXAMPLE_SPANS])
def test_six_months_of_every_example_tie_to_bean_query(examples, span):
    books = open_books(examples[span], examples[span], use_cache=False)
    truth = Truth(books.ledger.entries, books.ledger.options)
    for month in months_of(span, 6):
        _ties(books, truth, Period.parse(month))


def _only_failed_assertions(result) -> bool:
    """Exit 0, or exit 1 for nothing but balance assertions the ledger itself gets wrong
    (bean-example writes one in some spans: bean-check fails it too)."""
    attention = [x for x in result.stderr.splitlines() if x.startswith("attention:")]
    if result.exit_code == 0:
        return not attention
    return result.exit_code == 1 and all("failed balance assertion" in x for x in attention)


@pytest.mark.parametrize("span", [s[0] for s in EXAMPLE_SPANS])
def test_an_adopted_example_checks_clean_and_reports_run(examples, span, bo):
    from beancount import loader

    folder = examples[span]
    check = bo("check", "--no-cache", cwd=folder)
    _, errors, _ = loader.load_file(str(folder / "ledger.beancount"))
    assert check.exit_code == (1 if errors else 0), check.stdout + check.stderr
    # bo adds warnings at most: every error it prints is one bean-check finds too.
    printed = [line for line in check.stdout.splitlines() if ": warning: " not in line]
    assert len(printed) == len(errors), check.stdout
    assert all(str(e.message).strip() in check.stdout for e in errors)
    for month in months_of(span, 6)[::5]:  # every month's numbers: the test above
        for kind in ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap"):
            result = bo("report", kind, "--period", month, "--format", "md", cwd=folder)
            assert _only_failed_assertions(result), (kind, month, result.stderr)
        flux = bo("report", "flux", "--period", month, "--format", "md", cwd=folder)
        assert flux.exit_code in (0, 1) and "Traceback" not in flux.stderr, flux.stderr
    balance = bo("report", "balance", "--period", month, "--format", "md", cwd=folder).stdout
    assert "Assets equal liabilities plus equity." in balance
    assert "Not money, left out of these statements: " in balance  # hours, allowance units
    assert "## Holdings at cost" in balance


@pytest.mark.parametrize("span", [s[0] for s in EXAMPLE_SPANS])
def test_the_cash_check_and_the_forecast_run_on_an_example(examples, span, bo):
    folder = examples[span]
    last = months_of(span, 11)[-1]
    day = Period.parse(last).end.isoformat()
    check = bo("cash", "check", "--as-of", day, cwd=folder)
    assert check.exit_code in (0, 1), check.stderr
    assert "Traceback" not in check.stderr
    forecast = bo("forecast", "--as-of", day, "--weeks", "4", cwd=folder)
    assert forecast.exit_code in (0, 1), forecast.stderr
    assert "4-week cash forecast" in forecast.stdout


def test_the_tolerance_residue_is_rounding_in_the_trial_balance(examples, bo):
    folder = examples[EXAMPLE_SPANS[0][0]]
    result = bo("report", "trial", "--period", "2023-12", "--format", "md", cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert "| Equity:Rounding within tolerance | USD |" in result.stdout
    assert "Debits equal credits." in result.stdout
    assert "balance within beancount's tolerance" in result.stdout
    assert "differ" not in result.stdout + result.stderr


def test_a_period_outside_the_ledger_says_so(examples, bo):
    folder = examples[EXAMPLE_SPANS[0][0]]
    before = bo("report", "pnl", "--period", "2022-05", "--format", "md", cwd=folder)
    assert before.exit_code == 0
    assert "The period ends before the ledger's first entry (2023-01-01)." in before.stdout
    trial = bo("report", "trial", "--period", "2022-05", "--format", "md", cwd=folder)
    assert "The period ends before the ledger's first entry (2023-01-01)." in trial.stdout
    after = bo("report", "cashflow", "--period", "2024-06", "--format", "md", cwd=folder)
    assert "The period starts after the ledger's last entry" in after.stdout


def test_a_failed_balance_assertion_shows_in_every_report_that_covers_it(examples, bo, tmp_path):
    folder = tmp_path / "books"
    shutil.copytree(examples[EXAMPLE_SPANS[0][0]], folder)
    ledger = folder / "ledger.beancount"
    ledger.write_text(
        ledger.read_text() + "\n2023-06-15 balance Assets:US:BofA:Checking  1.00 USD\n"
    )
    line = len(ledger.read_text().splitlines())
    for kind in ("trial", "pnl", "balance", "cashflow", "flux"):
        result = bo("report", kind, "--period", "2023-06", "--format", "md", cwd=folder)
        assert result.exit_code == 1, (kind, result.stderr)
        assert "Failed balance assertions" in result.stdout, kind
        assert f"ledger.beancount:{line}" in result.stdout, kind
        assert "attention: failed balance assertion:" in result.stderr, kind
    earlier = bo("report", "pnl", "--period", "2023-05", "--format", "md", cwd=folder)
    assert earlier.exit_code == 0, "May's income statement does not cover a June assertion"
    later = bo("report", "balance", "--period", "2023-08", "--format", "md", cwd=folder)
    assert later.exit_code == 1, "a later balance sheet stands on the June balance"


def test_adopting_writes_nothing_into_the_ledger(examples, tmp_path, bo):
    ledger = tmp_path / "ledger.beancount"
    shutil.copy(examples[EXAMPLE_SPANS[0][0]] / "ledger.beancount", ledger)
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    result = bo("init", "--adopt", "ledger.beancount", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before
    written = {p.name for p in tmp_path.iterdir()} - {".bo"}  # .bo: bo's own cache
    assert written == {"bo.yaml", "ledger.beancount", "sops"}


def test_the_close_calls_the_tolerance_residue_rounding(examples, bo, tmp_path):
    folder = tmp_path / "books"
    shutil.copytree(examples[EXAMPLE_SPANS[0][0]], folder)
    result = bo("close", "2023-12", "--dry-run", cwd=folder)
    step = next(x for x in result.stdout.splitlines() if "trial-balance:" in x)
    assert step.split()[0] == "ok", step
    assert "debits equal credits" in step and "USD rounding within tolerance" in step
