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
    assert "# statement: {format: bank-csv, dir: statements/assets-us-bofa-checking}" in text
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
