"""Reports: numbers from the ledger, formatted by templates, compared to golden files."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from bo.books import open_books
from bo.periods import Period
from bo.reports.compute import build_trial_balance
from bo.reports.render import render

PRIOR_YEAR = """\
2024-12-01 * "Client" "Invoice paid in the prior year"
  Assets:Bank:Checking  500.00 USD
  Income:Services

"""


def _add_prior_year(books):
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2024-01-01 open Income:Services USD\n")
        handle.write("2024-01-01 open Equity:RetainedEarnings USD\n")
    path = books / "ledgers/2025.beancount"
    path.write_text(PRIOR_YEAR + path.read_text())
    (books / "ledgers/accounts.beancount").write_text(
        (books / "ledgers/accounts.beancount")
        .read_text()
        .replace("2025-01-01 open", "2024-01-01 open")
    )


def test_trial_balance_closes_prior_years_into_retained_earnings(books):
    _add_prior_year(books)
    opened = open_books(books, books)
    trial = build_trial_balance(
        opened.ledger.entries, opened.ledger.options, Period(2025, 1), 1, "Equity:RetainedEarnings"
    )
    lines = {line.account: (line.debit, line.credit) for line in trial.lines}
    assert lines["Equity:RetainedEarnings"] == (0, Decimal("500.00"))
    assert "Income:Services" not in lines
    assert lines["Expenses:Rent"] == (Decimal("2000.00"), 0)
    assert trial.balanced
    assert trial.total_debit == {"USD": Decimal("10500.00")}


def test_trial_report_markdown_golden(books, bo, golden):
    _add_prior_year(books)
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 0, result.stderr
    golden("trial.md", result.stdout)


def test_trial_report_html_golden(books, golden):
    _add_prior_year(books)
    opened = open_books(books, books)
    trial = build_trial_balance(
        opened.ledger.entries, opened.ledger.options, Period(2025, 1), 1, "Equity:RetainedEarnings"
    )
    html = render(
        "trial",
        trial,
        "html",
        books,
        entity="Small <Books> LLC",
        generated=datetime(2025, 2, 3, 9, 0),
    )
    assert "Small &lt;Books&gt; LLC" in html, "HTML is escaped"
    golden("trial.html", html)


def test_trial_report_json_and_csv(books, bo, tmp_path):
    result = bo("report", "trial", "--period", "2025-01", "--format", "json", cwd=books)
    data = json.loads(result.stdout)
    assert data["report"]["total_debit"] == {"USD": "10000.00"}
    out = tmp_path / "out/trial.csv"
    result = bo(
        "report", "trial", "--period", "2025-01", "--format", "csv", "--out", str(out), cwd=books
    )
    assert result.exit_code == 0
    assert out.read_text().splitlines()[0] == "account,currency,debit,credit"


def test_books_template_overrides_default(books, bo):
    (books / "templates").mkdir()
    (books / "templates/trial.md.j2").write_text("custom {{ report.as_of }}\n")
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.stdout == "custom 2025-01-31\n"


def test_bad_period_is_bad_input(books, bo):
    result = bo("report", "trial", "--period", "Sept", cwd=books)
    assert result.exit_code == 2
    assert "expected YYYY-MM" in result.stderr
