"""`bo init --adopt`: a ledger someone already keeps becomes books bo works with, each
inferred role shown with its evidence, and not a byte of the ledger changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.foreign import BUSINESS_LEDGER, EXAMPLE_SPANS


@pytest.fixture
def example(examples, tmp_path) -> Path:
    """A fresh copy of an example ledger, not adopted yet."""
    shutil.copy(examples[EXAMPLE_SPANS[0][0]] / "ledger.beancount", tmp_path / "ledger.beancount")
    return tmp_path


def test_adopting_shows_each_role_with_its_evidence(example, bo):
    result = bo("init", "--adopt", "ledger.beancount", cwd=example)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  Assets")}
    lines |= {line.split()[0]: line for line in out.splitlines() if line.startswith("  Liab")}
    checking = lines["Assets:US:BofA:Checking"]
    assert " bank " in checking and 'name "checking"' in checking
    assert 'institution "Bank of America" (on Assets:US:BofA)' in checking
    assert "balance assertions" in checking
    card = lines["Liabilities:US:Chase:Slate"]  # no word of it says card: what it does does
    assert " card " in card and "charges to Expenses, paid from Assets:US:BofA:Checking" in card
    assert " investment " in lines["Assets:US:ETrade:ITOT"]
    assert "holds ITOT at cost" in lines["Assets:US:ETrade:ITOT"]
    assert 'base currency USD: option "operating_currency"' in out
    assert "VACHR: not money (no price, not an operating currency)" in out
    assert "IRAUSD: not money" in out
    assert "Liabilities:AccountsPayable: no role: payable by its name, but no postings" in out
    assert "proposed folder statements/assets-us-bofa-checking/" in out
    assert "the ledger is untouched" in out


def test_the_written_settings_carry_the_evidence_and_pass_bo_check(example, bo):
    assert bo("init", "--adopt", "ledger.beancount", cwd=example).exit_code == 0
    text = (example / "bo.yaml").read_text()
    settings = yaml.safe_load(text)
    assert settings["ledger"] == "ledger.beancount"
    assert settings["entity"] == {
        "name": "Example Beancount file",
        "currency": "USD",
        "fiscal_year_start": 1,
        "country": "US",
    }
    assert settings["accounts"]["Liabilities:US:Chase:Slate"] == {"role": "card"}
    assert settings["commodities"] == {"not_money": ["IRAUSD", "VACHR"]}
    assert "  # card: " in text and "charges to Expenses, paid from" in text  # the evidence
    assert "# statement: {format: plain, dir: statements/assets-us-bofa-checking}" in text
    assert sorted(p.name for p in (example / "sops").iterdir())  # the default checklists
    check = bo("check", cwd=example)
    assert check.exit_code == 0, check.stdout + check.stderr


def test_a_business_ledger_gets_its_cash_flow_right_once_adopted(tmp_path, bo):
    (tmp_path / "books.beancount").write_text(BUSINESS_LEDGER)
    assert bo("init", "--adopt", "books.beancount", cwd=tmp_path).exit_code == 0
    settings = yaml.safe_load((tmp_path / "bo.yaml").read_text())
    roles = {account: conf["role"] for account, conf in settings["accounts"].items()}
    assert roles == {
        "Assets:AccountsReceivable": "receivable",
        "Assets:Bank:Checking": "bank",
        "Assets:Bank:Euro": "bank",
        "Liabilities:AccountsPayable": "payable",
        "Liabilities:CreditCard": "card",
    }
    flow = bo("report", "cashflow", "--period", "2025-02", "--format", "md", cwd=tmp_path)
    assert flow.exit_code == 0, flow.stderr
    assert "| Cash at start | 9,010.00 | 500.00 |" in flow.stdout  # not 0.00 -> 0.00
    assert (
        "Assets:Bank:"
        not in flow.stdout.split("Conversions and rounding")[0].split("Net income")[1]
    ), "the bank is cash, not an operating item"


def test_init_in_a_folder_that_keeps_a_ledger_adopts_it(example, bo):
    result = bo("init", str(example), cwd=example.parent)
    assert result.exit_code == 0, result.stderr
    assert (example / "bo.yaml").is_file()
    assert bo("check", cwd=example).exit_code == 0


def test_books_already_there_are_refused_and_left_alone(example, bo):
    assert bo("init", "--adopt", "ledger.beancount", cwd=example).exit_code == 0
    before = (example / "bo.yaml").read_text()
    for args in (("init", "--adopt", "ledger.beancount"), ("init", str(example))):
        result = bo(*args, cwd=example)
        assert result.exit_code == 3, args
        assert "books already" in result.stderr or "not empty" in result.stderr
    assert (example / "bo.yaml").read_text() == before


def test_a_ledger_outside_the_books_or_unreadable_is_bad_input(tmp_path, bo):
    outside = tmp_path / "elsewhere.beancount"
    outside.write_text(BUSINESS_LEDGER)
    books = tmp_path / "books"
    books.mkdir()
    result = bo("init", "--adopt", str(outside), cwd=books)
    assert result.exit_code == 2 and "must be inside the books folder" in result.stderr
    (books / "broken.beancount").write_text("2025-01-01 open Assets:Bank\n2025-01-02 * oops\n")
    result = bo("init", "--adopt", "broken.beancount", cwd=books)
    assert result.exit_code == 2, result.stderr
    assert "broken.beancount:2" in result.stderr and "Traceback" not in result.stderr
    missing = bo("init", "--adopt", "nowhere.beancount", cwd=books)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert sorted(p.name for p in books.iterdir() if p.name != ".bo") == ["broken.beancount"]


def test_a_dry_run_writes_nothing(example, bo):
    result = bo("init", "--adopt", "ledger.beancount", "--dry-run", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "Dry run: nothing written." in result.stdout
    assert sorted(p.name for p in example.iterdir() if p.name != ".bo") == ["ledger.beancount"]


def test_a_role_on_an_account_nothing_posts_to_is_a_warning(tmp_path, bo):
    (tmp_path / "books.beancount").write_text(
        BUSINESS_LEDGER + "2025-01-01 open Assets:Bank:Old USD\n"
    )
    assert bo("init", "--adopt", "books.beancount", cwd=tmp_path).exit_code == 0
    text = (tmp_path / "bo.yaml").read_text()
    text = text.replace("accounts:\n", "accounts:\n  Assets:Bank:Old:\n    role: bank\n", 1)
    (tmp_path / "bo.yaml").write_text(text)
    result = bo("check", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert (
        "warning: `accounts.Assets:Bank:Old` has role bank, but no entry posts to it"
        in result.stdout
    )


SMALL_FIRM = """\
option "title" "Fernwood Joinery"
option "operating_currency" "GBP"
option "name_assets" "Actif"
2024-01-01 open Actif:Barclays GBP
  institution: "Barclays"
  iban: "GB29NWBK60161331926819"
2024-01-01 open Actif:Debtors GBP
2024-01-01 open Actif:Workshop:Machinery GBP
2024-01-01 open Actif:Workshop:Accumulated-Depreciation GBP
2024-01-01 open Actif:Prepaid:Insurance GBP
2024-01-01 open Liabilities:VAT GBP
2024-01-01 open Liabilities:Wages:Withholding GBP
2024-01-01 open Liabilities:Notes-Payable:Bank GBP
2024-01-01 open Equity:Owner:Capital GBP
2024-01-01 open Equity:Retained-Earnings GBP
2024-01-01 open Income:Joinery GBP
2024-01-01 open Expenses:Wages GBP
2024-01-01 open Expenses:Depreciation GBP

2024-01-02 * "Owner" "Capital"
  Actif:Barclays  20000.00 GBP
  Equity:Owner:Capital
2024-01-03 * "Bank" "Loan for the saw"
  Actif:Workshop:Machinery  12000.00 GBP
  Liabilities:Notes-Payable:Bank
2024-01-10 * "Client" "Kitchen"
  Actif:Debtors  6000.00 GBP
  Income:Joinery  -5000.00 GBP
  Liabilities:VAT  -1000.00 GBP
2024-01-15 * "Insurer" "A year of cover"
  Actif:Prepaid:Insurance  1200.00 GBP
  Actif:Barclays
2024-01-31 * "Payroll" "January"
  Expenses:Wages  3000.00 GBP
  Liabilities:Wages:Withholding  -600.00 GBP
  Actif:Barclays  -2400.00 GBP
2024-01-31 * "Depreciation"
  Expenses:Depreciation  200.00 GBP
  Actif:Workshop:Accumulated-Depreciation
2024-01-31 * "Close of last year"
  Equity:Retained-Earnings  0.01 GBP
  Equity:Owner:Capital
2024-02-01 balance Actif:Barclays  16400.00 GBP
"""


def test_each_role_of_a_small_firm_is_read_from_its_ledger():
    from beancount import loader

    from bo.adopt import infer_adoption

    entries, errors, options = loader.load_string(SMALL_FIRM)
    assert not errors, errors
    adoption = infer_adoption(entries, options, 0, "books.beancount", None)
    assert (adoption.name, adoption.currency) == ("Fernwood Joinery", "GBP")
    roles = {i.account: i.role for i in adoption.roles}
    assert roles == {
        # Named nothing like a bank: its institution, IBAN and assertion say it is one.
        "Actif:Barclays": "bank",
        "Actif:Debtors": "receivable",
        "Actif:Workshop:Machinery": "fixed_asset",
        "Actif:Workshop:Accumulated-Depreciation": "accumulated_depreciation",
        "Actif:Prepaid:Insurance": "prepaid",
        "Liabilities:VAT": "sales_tax",
        "Liabilities:Wages:Withholding": "payroll_liabilities",
        "Liabilities:Notes-Payable:Bank": "loan",
        "Equity:Owner:Capital": "owner_equity",
        "Equity:Retained-Earnings": "retained_earnings",
    }
    barclays = next(i for i in adoption.roles if i.account == "Actif:Barclays")
    assert 'institution "Barclays"' in barclays.evidence
    assert adoption.statement_dirs == {"Actif:Barclays": "statements/actif-barclays"}


def test_a_small_firm_adopted_checks_clean_and_its_reports_tie(tmp_path, bo):
    (tmp_path / "books.beancount").write_text(SMALL_FIRM)
    assert bo("init", "--adopt", "books.beancount", cwd=tmp_path).exit_code == 0
    check = bo("check", cwd=tmp_path)
    assert check.exit_code == 0 and "0 warnings" in check.stderr, check.stdout + check.stderr
    flow = bo("report", "cashflow", "--period", "2024-01", "--format", "md", cwd=tmp_path)
    assert flow.exit_code == 0, flow.stderr
    assert "| Cash at end | 16,400.00 |" in flow.stdout  # what the Barclays assertion says
    assert "The statement ties to the change in cash." in flow.stdout
    for kind in ("trial", "pnl", "balance"):
        result = bo("report", kind, "--period", "2024-01", "--format", "md", cwd=tmp_path)
        assert result.exit_code == 0, (kind, result.stderr)


def test_adopted_books_run_bos_own_checklists_but_not_templates_of_their_own(tmp_path, bo):
    from bo.trust import is_trusted

    (tmp_path / "books.beancount").write_text(SMALL_FIRM)
    result = bo("init", "--adopt", "books.beancount", cwd=tmp_path)
    assert "bo trust" not in result.stdout
    assert is_trusted(tmp_path)  # only bo's own checklists, as `bo init` writes them
    other = tmp_path / "other"
    (other / "templates").mkdir(parents=True)
    (other / "templates/pnl.md.j2").write_text("{{ report.period }}\n")
    (other / "books.beancount").write_text(SMALL_FIRM)
    result = bo("init", "--adopt", "books.beancount", cwd=other)
    assert result.exit_code == 0, result.stderr
    assert "run once you trust them: bo trust" in result.stdout
    assert not is_trusted(other)
