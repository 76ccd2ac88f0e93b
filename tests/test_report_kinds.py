"""Every report kind on the demo books: golden files, and numbers checked against bean-query."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from beancount import loader
from beanquery import query as bq

from bo.books import open_books
from bo.periods import Period, fiscal_year_start
from bo.reports.aging import aging
from bo.reports.cashflow import cash_flow
from bo.reports.statements import balance_sheet, income_statement
from bo.reports.variance import flux
from bo.settings import Thresholds
from tests.conftest import PROJECT

KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")
PERIODS = ("2024-12", "2025-03", "2025-09")


@pytest.fixture(scope="module")
def loaded():
    books = open_books(PROJECT, PROJECT, use_cache=False)
    books.ledger  # noqa: B018 - load once for the module
    entries, _, options = loader.load_file(str(PROJECT / "ledgers/main.beancount"))
    return books, entries, options


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_matches_its_golden_files(kind, bo, golden):
    for fmt in ("md", "json"):
        result = bo("report", kind, "--period", "2025-09", "--format", fmt, "--books", str(PROJECT))
        assert result.exit_code in (0, 1), result.stderr
        golden(f"report-{kind}.{fmt}", result.stdout)


def test_comparative_columns(bo, golden):
    result = bo(
        "report",
        "pnl",
        "--period",
        "2025-09",
        "--compare",
        "prior",
        "--books",
        str(PROJECT),
        "--format",
        "md",
    )
    golden("report-pnl-prior.md", result.stdout)
    assert "| Account | 2025-09 | 2025-08 |" in result.stdout


def query_sums(entries, options, where: str) -> dict[str, Decimal]:
    _, rows = bq.run_query(
        entries,
        options,
        f"SELECT account, sum(number) WHERE currency = 'USD' AND {where} GROUP BY account",
    )
    return {row[0]: row[1] for row in rows if row[1]}


@pytest.mark.parametrize("period", PERIODS)
def test_pnl_equals_bean_query_to_the_cent(loaded, period):
    books, entries, options = loaded
    p = Period.parse(period)
    pnl = income_statement(books.ledger.entries, books.settings, p, None, books.ledger.options)
    expected = query_sums(
        entries,
        options,
        f"date >= {p.start} AND date <= {p.end} AND account ~ '^(Income|Expenses):'",
    )
    ours = {line.account: line.amount for line in pnl.income.lines}
    ours = {a: -v for a, v in ours.items()} | {x.account: x.amount for x in pnl.expenses.lines}
    assert {a: v for a, v in ours.items() if v} == expected  # a year-to-date-only line shows 0


@pytest.mark.parametrize("period", PERIODS)
def test_balance_sheet_equals_bean_query_and_balances(loaded, period):
    books, entries, options = loaded
    p = Period.parse(period)
    sheet = balance_sheet(books.ledger.entries, books.settings, p, None, books.ledger.options)
    assert sheet.balanced
    expected = query_sums(
        entries, options, f"date <= {p.end} AND account ~ '^(Assets|Liabilities|Equity):'"
    )
    # Equity as it stands after the year-end closing entries beancount never posts: earlier
    # fiscal years' income and expenses in retained earnings, this year's in current earnings.
    year_start = fiscal_year_start(p.end, books.settings.entity.fiscal_year_start)
    earlier = query_sums(
        entries, options, f"date < {year_start} AND account ~ '^(Income|Expenses):'"
    )
    this_year = query_sums(
        entries,
        options,
        f"date >= {year_start} AND date <= {p.end} AND account ~ '^(Income|Expenses):'",
    )
    retained = expected.get("Equity:RetainedEarnings", Decimal(0)) + sum(earlier.values())
    expected["Equity:RetainedEarnings"] = retained
    expected["Equity:Current earnings"] = sum(this_year.values())
    expected = {a: v for a, v in expected.items() if v}
    ours = {line.account: line.amount for line in sheet.assets.lines}
    ours |= {line.account: -line.amount for line in sheet.liabilities.lines}
    ours |= {line.account: -line.amount for line in sheet.equity.lines}
    assert ours == expected
    assert any(a.startswith("Equity:") for a in ours)


@pytest.mark.parametrize("period", PERIODS)
def test_pnl_year_to_date_equals_bean_query(loaded, period):
    books, entries, options = loaded
    p = Period.parse(period)
    pnl = income_statement(books.ledger.entries, books.settings, p, None, books.ledger.options)
    year_start = fiscal_year_start(p.end, books.settings.entity.fiscal_year_start)
    expected = query_sums(
        entries,
        options,
        f"date >= {year_start} AND date <= {p.end} AND account ~ '^(Income|Expenses):'",
    )
    ours = {x.account: -x.ytd for x in pnl.income.lines} | {
        x.account: x.ytd for x in pnl.expenses.lines
    }
    assert {a: v for a, v in ours.items() if v} == expected
    assert [m.period for m in pnl.trend][-1] == period
    assert sum(m.net_income for m in pnl.trend) == pnl.ytd_net_income


@pytest.mark.parametrize("period", PERIODS)
def test_cash_flow_ties_to_the_change_in_cash(loaded, period):
    books, entries, options = loaded
    flow = cash_flow(books.ledger.entries, books.settings, Period.parse(period), None)
    assert flow.ties
    p = Period.parse(period)
    cash = query_sums(
        entries, options, f"date >= {p.start} AND date <= {p.end} AND account ~ '^Assets:Bank:'"
    )
    assert flow.net_change == sum(cash.values())


@pytest.mark.parametrize(
    ("side", "account"),
    [("receivable", "Assets:AccountsReceivable"), ("payable", "Liabilities:AccountsPayable")],
)
@pytest.mark.parametrize("period", PERIODS)
def test_aging_ties_to_the_balance_bean_query_gives(loaded, side, account, period):
    books, entries, options = loaded
    p = Period.parse(period)
    report = aging(books.ledger.entries, books.settings, side, p.end)
    balance = query_sums(entries, options, f"date <= {p.end} AND account = '{account}'")
    owed = balance.get(account, Decimal(0)) * (1 if side == "receivable" else -1)
    assert report.balance == owed
    assert report.total == owed, "the open items add up to what bean-query says is owed"
    assert sum(i.amount for i in report.items) == owed
    assert report.unapplied == 0 and report.ties


def test_the_bill_paid_twice_in_september_is_a_flagged_debit_balance(bo):
    result = bo(
        "report", "aging-ap", "--period", "2025-09", "--format", "json", "--books", str(PROJECT)
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    credits = [i for i in data["report"]["items"] if i["credit"]]
    assert [(i["party"], i["invoice"], i["amount"]) for i in credits] == [
        ("Pixel Print Co", "PP-2025-0016", "-1860.00")
    ]
    assert data["report"]["totals"]["1-30"] == "9.00"  # the overpayment is not aged as owed
    assert data["problems"] == [
        "Pixel Print Co PP-2025-0016: a debit balance of 1,860.00 (ledgers/2025.beancount:3575)"
    ]


def test_flux_flags_first_activity_and_the_prior_year_at_a_quarter_end(loaded):
    books, *_ = loaded
    report = flux(books.ledger.entries, books.settings, Period(2025, 9))
    reasons = {line.account: line.reasons for line in report.attention}
    assert [line.account for line in report.flagged] == ["Income:Services"]  # month over month
    # A first 18.75 to Expenses:Uncategorized is below the thresholds, as any change of 18.75.
    assert reasons == {"Income:Services": ("month",)}
    assert not report.year_over_year, "the books do not reach back to 2024-09"
    low = Thresholds.model_validate({"flux_amount": "10.00 USD"})
    report = flux(
        books.ledger.entries, books.settings.model_copy(update={"thresholds": low}), Period(2025, 9)
    )
    first = {line.account: line.reasons for line in report.attention}["Expenses:Uncategorized"]
    assert first == ("month", "first activity")
    thresholds = Thresholds.model_validate(BO_YAML_FLUX)
    settings = books.settings.model_copy(update={"thresholds": thresholds})
    report = flux(books.ledger.entries, settings, Period(2025, 9))
    reasons = {line.account: line.reasons for line in report.attention}
    assert reasons["Expenses:Travel"] == ("month",), "its own threshold: 500.00 USD"
    assert "Income:Services" not in reasons, "its own threshold: 60%"


BO_YAML_FLUX = {
    "flux_pct": 10,
    "flux_amount": "2500.00 USD",
    "flux_accounts": {
        "Expenses:Travel": {"amount": "500.00 USD"},
        "Income:Services": {"pct": 60},
    },
}


def test_flux_in_a_year_old_books_compares_the_prior_year_at_quarter_ends(demo):
    books = open_books(demo, demo, use_cache=False)
    december = flux(books.ledger.entries, books.settings, Period(2025, 12))
    assert december.year_over_year
    assert any("year" in line.reasons for line in december.attention)
    november = flux(books.ledger.entries, books.settings, Period(2025, 11))
    assert not november.year_over_year
    assert not any("year" in line.reasons for line in november.lines)


def test_flux_shows_the_budget_variance(bo):
    result = bo(
        "report", "flux", "--period", "2025-09", "--format", "json", "--books", str(PROJECT)
    )
    lines = {x["account"]: x for x in json.loads(result.stdout)["report"]["lines"]}
    assert (lines["Expenses:Rent"]["budget"], lines["Expenses:Rent"]["budget_variance"]) == (
        "4200.00",
        "0.00",
    )
    assert lines["Expenses:Uncategorized"]["budget"] is None
    assert lines["Expenses:Contractors"]["reasons"] == ["budget"]  # 2,264.00 over, band 350.00
    assert lines["Income:Services"]["reasons"] == ["month", "budget"]


def test_september_ar_aging_shows_the_planted_invoice_over_90_days(bo):
    result = bo(
        "report", "aging-ar", "--period", "2025-09", "--format", "json", "--books", str(PROJECT)
    )
    report = json.loads(result.stdout)["report"]
    late = [i for i in report["items"] if i["bucket"] == "90+"]
    assert [(i["party"], i["days_past_due"]) for i in late] == [("Bellweather Foods", 95)]


def test_html_escapes_payees_and_csv_neutralizes_formulas(demo, bo):
    ledger = demo / "ledgers/2025.beancount"
    text = ledger.read_text().replace('"Bellweather Foods"', '"<script>alert(1)</script>"')
    text = text.replace('"Tallgrass Media"', '"=HYPERLINK(\\"http://x\\")"')
    ledger.write_text(text)
    html = bo("report", "aging-ar", "--period", "2025-09", "--format", "html", cwd=demo).stdout
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<svg" in html  # the chart is inline
    csv_text = bo("report", "aging-ar", "--period", "2025-09", "--format", "csv", cwd=demo).stdout
    assert "'=HYPERLINK" in csv_text
