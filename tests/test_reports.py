"""Reports: numbers from the ledger, formatted by templates, compared to golden files."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from bo.books import open_books
from bo.periods import Period
from bo.reports.build import KINDS
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
    assert bo("trust", cwd=books).exit_code == 0  # a template of the books' own runs trusted
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.stdout == "custom 2025-01-31\n"


def test_bad_period_is_bad_input(books, bo):
    result = bo("report", "trial", "--period", "Sept", cwd=books)
    assert result.exit_code == 2
    assert "expected YYYY-MM" in result.stderr


# --- books with receivables and payables, for the aging -------------------------------------

AGING_YAML = """\
entity:
  name: Small Books LLC
  currency: USD
accounts:
  Assets:Bank:Checking:
    role: bank
  Assets:AccountsReceivable:
    role: receivable
  Liabilities:AccountsPayable:
    role: payable
"""

AGING_ACCOUNTS = """\
2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Assets:AccountsReceivable USD
2025-01-01 open Liabilities:AccountsPayable USD
2025-01-01 open Equity:Opening-Balances USD
2025-01-01 open Income:Services USD
2025-01-01 open Expenses:Printing
"""

INVOICES = """\
2025-01-10 * "Acme" "Invoice INV-1" ^INV-1
  invoice: "INV-1"
  due: 2025-02-09
  Assets:AccountsReceivable  500.00 USD
  Income:Services

2025-01-12 * "Brio" "Invoice INV-2" ^INV-2
  invoice: "INV-2"
  due: 2025-02-11
  Assets:AccountsReceivable  300.00 USD
  Income:Services

2025-02-03 * "Acme" "Payment, the link only" ^INV-1
  Assets:Bank:Checking  500.00 USD
  Assets:AccountsReceivable

2025-02-05 * "Brio" "Payment, invoice on the posting"
  Assets:Bank:Checking  300.00 USD
  Assets:AccountsReceivable
    invoice: "INV-2"

2025-02-06 * "Pixel" "Bill PP-7" ^pixel-pp-7
  invoice: "PP-7"
  due: 2025-02-20
  Expenses:Printing  400.00 USD
  Liabilities:AccountsPayable
"""


@pytest.fixture
def ar_books(books):
    (books / "bo.yaml").write_text(AGING_YAML)
    (books / "ledgers/accounts.beancount").write_text(AGING_ACCOUNTS)
    (books / "ledgers/2025.beancount").write_text(INVOICES)
    return books


def _append(books, text):
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write("\n" + text)


def test_payments_found_by_link_or_posting_invoice_close_their_invoices(ar_books, bo):
    result = bo("report", "aging-ar", "--period", "2025-02", "--format", "json", cwd=ar_books)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)["report"]
    assert report["items"] == []
    assert (report["balance"], report["total"], report["unapplied"]) == ("0.00", "0.00", "0.00")
    assert report["ties"] is True


def test_a_payment_naming_no_invoice_does_not_tie_and_exits_1(ar_books, bo):
    _append(ar_books, '2025-02-07 * "Cato" "Payment, no reference"\n'
            "  Assets:Bank:Checking  120.00 USD\n  Assets:AccountsReceivable\n")  # fmt: skip
    result = bo("report", "aging-ar", "--period", "2025-02", "--format", "md", cwd=ar_books)
    assert result.exit_code == 1
    assert "Postings without an invoice reference: -120.00" in result.stdout
    assert "do not tie" in result.stdout
    assert "posted without an invoice reference" in result.stderr


def test_a_bill_paid_twice_is_a_flagged_debit_balance(ar_books, bo):
    for day in ("2025-02-10", "2025-02-12"):
        _append(ar_books, f'{day} * "Pixel" "Payment for PP-7" ^pixel-pp-7\n'
                "  Liabilities:AccountsPayable  400.00 USD\n  Assets:Bank:Checking\n")  # fmt: skip
    result = bo("report", "aging-ap", "--period", "2025-02", "--format", "json", cwd=ar_books)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (item,) = data["report"]["items"]
    assert (item["invoice"], item["amount"], item["credit"]) == ("PP-7", "-400.00", True)
    second = (
        (ar_books / "ledgers/2025.beancount")
        .read_text()
        .splitlines()
        .index('2025-02-12 * "Pixel" "Payment for PP-7" ^pixel-pp-7')
    )
    assert item["where"].endswith(f"2025.beancount:{second + 1}")  # the overpaying entry
    assert data["report"]["totals"]["current"] == "0.00"  # a credit is not aged as owed
    assert data["report"]["credits"] == "-400.00"
    assert data["report"]["ties"] is True
    assert any("debit balance of 400.00" in p for p in data["problems"])
    md = bo("report", "aging-ap", "--period", "2025-02", "--format", "md", cwd=ar_books).stdout
    assert "## Flagged: debit balances" in md
    assert "| Vendor | Current | 1–30 | 31–60 | 61–90 | 90+ | Debit | Total |" in md


def test_aging_as_of_any_day(ar_books, bo):
    result = bo("report", "aging-ar", "--as-of", "2025-01-31", "--format", "json", cwd=ar_books)
    report = json.loads(result.stdout)["report"]
    assert report["as_of"] == "2025-01-31"
    assert [(i["invoice"], i["bucket"]) for i in report["items"]] == [
        ("INV-1", "current"),
        ("INV-2", "current"),
    ]
    late = bo("report", "aging-ar", "--as-of", "2025-02-01", "--format", "json", cwd=ar_books)
    assert json.loads(late.stdout)["report"]["total"] == "800.00"
    refused = bo("report", "pnl", "--period", "2025-01", "--as-of", "2025-01-15", cwd=ar_books)
    assert refused.exit_code == 2 and "--as-of applies to aging-ar" in refused.stderr


def test_a_pipe_in_a_payee_stays_in_its_markdown_cell(ar_books, bo):
    path = ar_books / "ledgers/2025.beancount"
    path.write_text(path.read_text().replace('"Acme"', '"Acme | Sons"'))
    result = bo("report", "aging-ar", "--as-of", "2025-01-31", "--format", "md", cwd=ar_books)
    assert "| Acme \\| Sons | 500.00 |" in result.stdout


def test_csv_of_no_rows_still_names_its_columns(ar_books, bo):
    result = bo("report", "aging-ar", "--period", "2025-02", "--format", "csv", cwd=ar_books)
    assert result.stdout.splitlines() == [
        "party,invoice,issued,due,amount,days_past_due,bucket,where,credit"
    ]


# --- other currencies ------------------------------------------------------------------------

FOREIGN = """\
2025-01-20 * "Hotel Lux" "Trip to Lyon"
  Expenses:Travel  100 EUR @ 1.10 USD
  Assets:Bank:Checking

2025-01-21 * "Hotel Lux" "Second night, an odd rate"
  Expenses:Travel  100 EUR @ 1.1 USD
  Assets:Bank:Checking  -110.0000 USD
"""


def test_amounts_at_a_price_count_in_every_statement(books, bo):
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Expenses:Travel\n")
    _append(books, FOREIGN)
    pnl = json.loads(
        bo("report", "pnl", "--period", "2025-01", "--format", "json", cwd=books).stdout
    )
    travel = [x for x in pnl["report"]["expenses"]["lines"] if x["account"] == "Expenses:Travel"]
    assert [x["amount"] for x in travel] == ["220.00"]
    assert pnl["report"]["net_income"] == "-2220.00"
    for kind in ("balance", "cashflow", "trial"):
        result = bo("report", kind, "--period", "2025-01", "--format", "md", cwd=books)
        assert result.exit_code == 0, (kind, result.stdout, result.stderr)
    trial = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books).stdout
    assert "| Expenses:Travel | USD | 220.00 |  |" in trial
    assert "220.0000" not in trial


def test_a_foreign_amount_without_a_price_is_shown_apart_not_refused(books, bo):
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Assets:Bank:Euro EUR\n")
    _append(books, '2025-01-20 * "Transfer in"\n  Assets:Bank:Euro  100.00 EUR\n'
            "  Equity:Opening-Balances  -100.00 EUR\n")  # fmt: skip
    with open(books / "bo.yaml", "a") as handle:
        handle.write("commodities:\n  money: [EUR]\n")
    result = bo("report", "balance", "--period", "2025-01", "--format", "json", cwd=books)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)["report"]
    assert report["currencies"] == ["USD", "EUR"]
    euro = next(x for x in report["assets"]["lines"] if x["account"] == "Assets:Bank:Euro")
    assert euro == {"account": "Assets:Bank:Euro", "amount": "0.00", "compare": None,
                    "ytd": None, "by_currency": {"EUR": "100.00"}}  # fmt: skip
    assert report["assets"]["by_currency"] == {"USD": "8000.00", "EUR": "100.00"}
    assert report["assets"]["total"] == "8000.00", "no EUR in the USD total without a rate"
    assert any("No price to USD for EUR" in note for note in report["notes"])
    md = bo("report", "balance", "--period", "2025-01", "--format", "md", cwd=books).stdout
    assert "| Assets:Bank:Euro |  | 100.00 | 0.00 |" in md


def test_a_commodity_that_is_not_money_is_left_out_in_one_line(books, bo):
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Assets:Vacation VACHR\n2025-01-01 open Income:Vacation\n")
    _append(books, '2025-01-31 * "Vacation accrued"\n  Assets:Vacation  8 VACHR\n'
            "  Income:Vacation  -8 VACHR\n")  # fmt: skip
    for kind in ("pnl", "balance", "cashflow", "flux"):
        result = bo("report", kind, "--period", "2025-01", "--format", "md", cwd=books)
        assert result.exit_code in (0, 1), (kind, result.stderr)
        assert "VACHR" not in result.stdout.replace(
            "Not money, left out of these statements: VACHR", ""
        ), kind
        assert result.stdout.count("Not money, left out of these statements: VACHR") == 1, kind
    trial = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books).stdout
    assert "| Assets:Vacation | VACHR | 8 |  |" in trial  # the trial balance lists every currency


# --- budgets ---------------------------------------------------------------------------------

BUDGET = """\
year: 2025
tolerance: {pct: 10, amount: 100.00 USD}
accounts:
  Expenses:Rent: {monthly: 2100.00 USD}
"""


def _budget(books, text, name="2025.yaml"):
    (books / "budgets").mkdir(exist_ok=True)
    (books / "budgets" / name).write_text(text)


def test_budget_against_actual(books, bo):
    _budget(books, BUDGET)
    result = bo("report", "budget", "--period", "2025-01", "--format", "json", cwd=books)
    assert result.exit_code == 0, result.stderr
    (line,) = json.loads(result.stdout)["report"]["lines"]
    assert (line["budget"], line["actual"], line["variance"], line["band"]) == (
        "2100.00",
        "2000.00",
        "-100.00",
        "210.00",
    )
    assert line["favourable"] is True


def test_any_budget_file_with_the_year_is_read(books, bo):
    _budget(books, BUDGET.replace("2100.00", "1500.00"), "plan-2025.yaml")
    result = bo("report", "budget", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 1  # 500.00 over, outside a band of 150.00
    assert "From `budgets/plan-2025.yaml`" in result.stdout
    assert "**out of band**, unfavourable" in result.stdout


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (BUDGET.replace("{monthly: 2100.00 USD}", "{months: [1, 2, 3]}"), 4, "needs its currency"),
        (BUDGET.replace("monthly: 2100.00 USD", "months: [2100.00 USD]"), 4, "at least 12"),
        (BUDGET.replace("{monthly: 2100.00 USD}", "4200"), 4, "expected `{monthly"),
        (BUDGET.replace("{monthly: 2100.00 USD}", '{monthly: ""}'), 4, "like `1500.00 USD`"),
        (BUDGET.replace("{pct: 10, amount: 100.00 USD}", "{pct: ten}"), 2, "valid decimal"),
        (BUDGET.replace("{pct: 10, amount: 100.00 USD}", "10"), 2, "expected `{pct: 10"),
        (BUDGET.replace("2100.00 USD", "2100.00 EUR"), 4, "the books report in USD"),
        (BUDGET + "bogus: 1\n", 5, "unknown key `bogus`"),
        (BUDGET.replace("year: 2025", "year: 2024"), 1, "`year: 2024` in a file named 2025"),
        (BUDGET.replace("Expenses:Rent", "Assets:Bank:Checking"), 4, "not an income or expense"),
    ],
)
def test_a_bad_budget_is_bad_input_naming_file_and_line(books, bo, text, line, says):
    _budget(books, text)
    out = books / "reports/budget.md"
    result = bo("report", "budget", "--period", "2025-01", "--format", "md", "--out", str(out),
                cwd=books)  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert f"budgets/2025.yaml:{line}: " in result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_two_budgets_for_one_year_are_refused(books, bo):
    _budget(books, BUDGET)
    _budget(books, BUDGET, "more.yaml")
    result = bo("report", "budget", "--period", "2025-01", cwd=books)
    assert result.exit_code == 2
    assert "two budgets for 2025: budgets/2025.yaml, budgets/more.yaml" in result.stderr


def test_no_budget_for_the_year(books, bo):
    _budget(books, BUDGET.replace("year: 2025", "year: 2026"), "next.yaml")
    result = bo("report", "budget", "--period", "2025-01", cwd=books)
    assert result.exit_code == 2
    assert "no budget for 2025" in result.stderr


# --- templates, output files, formats ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("first line\n{% for x in %}\n", 2, "template trial.md.j2: "),
        ("ok\nok\n{{ report.no_such_thing }}\n", 3, "no_such_thing"),
    ],
)
def test_a_broken_template_is_bad_input_naming_file_and_line(books, bo, text, line, says):
    (books / "templates").mkdir()
    (books / "templates/trial.md.j2").write_text(text)
    assert bo("trust", cwd=books).exit_code == 0
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 2, result.stderr
    assert f"templates/trial.md.j2:{line}: " in result.stderr
    assert says in result.stderr


def test_out_naming_a_folder_is_bad_input(books, bo):
    (books / "reports").mkdir()
    result = bo("report", "trial", "--period", "2025-01", "--out", str(books / "reports"),
                cwd=books)  # fmt: skip
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_compare_where_a_report_has_no_such_column_is_refused(books, bo):
    for kind in ("trial", "cashflow", "flux", "aging-ar"):
        result = bo("report", kind, "--period", "2025-01", "--compare", "prior", cwd=books)
        assert result.exit_code == 2, kind
        assert "--compare applies to pnl and balance" in result.stderr


def test_terminal_format_is_a_table_in_plain_text_off_a_terminal(books, bo):
    result = bo("report", "trial", "--period", "2025-01", cwd=books)
    assert result.exit_code == 0
    assert "|:--" not in result.stdout and "\x1b[" not in result.stdout
    assert any(line.split() == ["Expenses:Rent", "USD", "2,000.00"] for line in
               result.stdout.splitlines())  # fmt: skip
    assert "─" in result.stdout  # a ruled table


def test_terminal_format_on_a_terminal_is_styled(books):
    opened = open_books(books, books)
    trial = build_trial_balance(
        opened.ledger.entries, opened.ledger.options, Period(2025, 1), 1, "Equity:RetainedEarnings"
    )
    text = render("trial", trial, "term", books, entity="Small Books LLC",
                  generated=datetime(2025, 2, 3), color=True, width=100)  # fmt: skip
    assert "\x1b[" in text and "Expenses:Rent" in text


# --- every report at once ------------------------------------------------------------------


def test_report_all_writes_every_kind_as_the_single_reports_render_them(demo, bo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()  # a folder that is there already is written into
    result = bo("report", "all", "--period", "2025-09", "--format", "md", "--out", str(folder),
                cwd=demo)  # fmt: skip
    assert result.exit_code == 1  # the demo's September needs attention
    assert "attention: aging-ap: Pixel Print Co PP-2025-0016: a debit balance" in result.stderr
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"{k}.md" for k in KINDS)
    for kind in KINDS:
        single = bo("report", kind, "--period", "2025-09", "--format", "md", cwd=demo)
        assert (folder / f"{kind}.md").read_text() == single.stdout, kind


def test_report_all_defaults_to_the_periods_reports_folder_and_skips_a_missing_budget(books, bo):
    result = bo("report", "all", "--period", "2025-01", "--format", "json", cwd=books)
    assert result.exit_code == 1, result.stderr
    assert "budget: no file in budgets/ for 2025, left out" in result.stderr
    assert "attention: flux: Expenses:Rent: flagged (month, first activity)" in result.stderr
    names = sorted(p.name for p in (books / "reports/2025-01").iterdir())
    assert names == sorted(f"{k}.json" for k in KINDS if k != "budget")


def test_report_all_writes_nothing_when_one_report_has_bad_input(books, bo):
    _budget(books, BUDGET + "bogus: 1\n")
    result = bo("report", "all", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 2
    assert "budgets/2025.yaml:5: unknown key `bogus`" in result.stderr
    assert not (books / "reports").exists()
    terminal = bo("report", "all", "--period", "2025-01", cwd=books)
    assert terminal.exit_code == 2 and "writes files" in terminal.stderr


def test_receivables_in_another_currency_are_aged_apart(ar_books, bo):
    path = ar_books / "ledgers/accounts.beancount"
    path.write_text(
        path.read_text().replace("Assets:AccountsReceivable USD", "Assets:AccountsReceivable")
    )
    _append(
        ar_books,
        '2025-02-08 * "Lyon SA" "Invoice INV-3" ^INV-3\n  invoice: "INV-3"\n  due: 2025-03-10\n'
        "  Assets:AccountsReceivable  200.00 EUR\n"
        "  Income:Services  -220.00 USD @@ 200.00 EUR\n",
    )
    result = bo("report", "aging-ar", "--period", "2025-02", "--format", "json", cwd=ar_books)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)["report"]
    assert report["total"] == "0.00" and report["other_currencies"] == ["EUR"]
    (euro,) = report["others"]
    assert (euro["currency"], euro["total"], euro["ties"]) == ("EUR", "200.00", True)
    assert [(i["invoice"], i["amount"]) for i in euro["items"]] == [("INV-3", "200.00")]
    md = bo("report", "aging-ar", "--period", "2025-02", "--format", "md", cwd=ar_books).stdout
    assert "Receivables aging at 2025-02-28, EUR" in md
    rows = bo("report", "aging-ar", "--period", "2025-02", "--format", "csv", cwd=ar_books).stdout
    assert rows.splitlines()[0].endswith(",credit,currency")
    assert rows.splitlines()[1].endswith(",False,EUR")


def test_reports_over_one_ledger_share_its_monthly_sums():
    from bo.reports.sums import Monthly, monthly_of
    from tests.conftest import PROJECT

    books = open_books(PROJECT, PROJECT)
    entries, options = books.ledger.entries, books.ledger.options
    shared = monthly_of(entries, options)
    assert monthly_of(entries, options) is shared
    copy = list(entries)
    other = monthly_of(copy, options)  # another list, even of the same entries: its own
    assert other is not shared and other.months == shared.months
    assert shared.months == Monthly(entries, options).months
    assert all(
        type(accounts) is dict for month in shared.months.values() for accounts in month.values()
    )


def test_an_entry_beyond_tolerance_is_out_of_balance_by_name(books, bo):
    _append(books, '2025-01-09 * "Landlord" "A typo"\n  Expenses:Rent  100.00 USD\n'
            "  Assets:Bank:Checking  -99.00 USD\n")  # fmt: skip
    line = (
        (books / "ledgers/2025.beancount")
        .read_text()
        .splitlines()
        .index('2025-01-09 * "Landlord" "A typo"')
    )
    for kind in ("trial", "balance", "cashflow"):
        result = bo("report", kind, "--period", "2025-01", "--format", "md", cwd=books)
        assert result.exit_code == 1, kind
        assert (
            "attention: USD: 1 entry does not balance, beyond beancount's tolerance: "
            f"ledgers/2025.beancount:{line + 1}" in result.stderr
        ), kind
        assert "Rounding within tolerance" not in result.stdout, kind


def test_a_report_over_unchanged_books_is_its_text_from_the_cache(books, bo, monkeypatch):
    from bo.reports import render as render_module

    rendered = []
    real = render_module.render
    monkeypatch.setattr(
        render_module, "render", lambda *a, **k: rendered.append(a[0]) or real(*a, **k)
    )
    args = ("report", "pnl", "--period", "2025-01", "--format", "md")
    first = bo(*args, cwd=books)
    again = bo(*args, cwd=books)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert rendered == ["pnl"]  # the second run drew nothing
    bo("report", "pnl", "--period", "2025-01", "--format", "html", cwd=books)
    bo("report", "pnl", "--period", "2025-01", "--format", "html", cwd=books)
    assert rendered == ["pnl", "pnl", "pnl"]  # HTML says when it was generated: drawn each time
    with open(books / "ledgers/2025.beancount", "a") as ledger:
        ledger.write('\n2025-01-20 * "Client" "Late invoice"\n  Assets:Bank:Checking  75.00 USD\n'
                     "  Income:Services\n")  # fmt: skip
    changed = bo(*args, cwd=books)
    assert len(rendered) == 4 and changed.stdout != first.stdout


def test_the_texts_kept_in_the_cache_never_say_when_they_were_made():
    # Markdown (and the terminal, drawn from it) is kept as text: a template printing
    # `generated` would show a stale time. HTML prints it, and is not kept.
    from bo.reports.rendered import template_inputs
    from bo.resources import defaults_dir

    markdown = sorted(defaults_dir("templates").glob("*.md.j2"))
    assert markdown and not [p.name for p in markdown if "generated" in p.read_text()]
    assert template_inputs(defaults_dir("templates").parent, "html") is None


def test_a_report_from_the_books_own_templates_is_drawn_each_time(books):
    from bo.reports.rendered import template_inputs
    from bo.resources import defaults_dir

    assert template_inputs(books, "md")  # bo's own templates: kept, keyed on their digests
    (books / "templates").mkdir()
    default = defaults_dir("templates") / "trial.md.j2"
    (books / "templates/trial.md.j2").write_bytes(default.read_bytes())
    assert template_inputs(books, "md")  # a copy of bo's own is bo's own
    (books / "templates/trial.md.j2").write_text("custom {{ report.as_of }}\n")
    assert template_inputs(books, "md") is None  # runs only while trusted: asked each time
