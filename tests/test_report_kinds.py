"""Every report kind on the demo books: golden files, and numbers checked against bean-query."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from beancount import loader
from beanquery import query as bq

from bo.books import open_books
from bo.periods import Period
from bo.reports.aging import aging
from bo.reports.statements import balance_sheet, cash_flow, income_statement
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
    pnl = income_statement(books.ledger.entries, books.settings, p, None)
    expected = query_sums(
        entries,
        options,
        f"date >= {p.start} AND date <= {p.end} AND account ~ '^(Income|Expenses):'",
    )
    ours = {line.account: line.amount for line in pnl.income.lines}
    ours = {a: -v for a, v in ours.items()} | {x.account: x.amount for x in pnl.expenses.lines}
    assert ours == expected


@pytest.mark.parametrize("period", PERIODS)
def test_balance_sheet_equals_bean_query_and_balances(loaded, period):
    books, entries, options = loaded
    p = Period.parse(period)
    sheet = balance_sheet(books.ledger.entries, books.settings, p, None)
    assert sheet.balanced
    expected = query_sums(
        entries, options, f"date <= {p.end} AND account ~ '^(Assets|Liabilities):'"
    )
    ours = {line.account: line.amount for line in sheet.assets.lines}
    ours |= {line.account: -line.amount for line in sheet.liabilities.lines}
    assert ours == expected


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


@pytest.mark.parametrize("side", ["receivable", "payable"])
def test_aging_ties_to_the_account_balance(loaded, side):
    books, *_ = loaded
    for period in PERIODS:
        report = aging(books.ledger.entries, books.settings, side, Period.parse(period).end)
        assert report.ties, (side, period)


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
