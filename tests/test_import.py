"""`bo import` through the real CLI: real statement files in, beancount that loads out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from beancount import loader

from bo.imports import INCLUDE_LINE
from bo.io import books_lock
from tests.conftest import PROJECT

DATA = PROJECT / "tests/data/statements"
CHECKING_IMPORTS = "ledgers/imports/assets-bank-checking"

BANK_FORMAT = """\
statement_formats:
  bank:
    kind: csv
    date: Date
    amount: Amount
    payee: Description
  ofx:
    kind: ofx
rules:
  - name: Rent
    match: {payee: landlord}
    set: {account: Expenses:Rent, payee: Landlord}
"""


@pytest.fixture
def small(books: Path) -> Path:
    """The small books with a CSV format for checking and a rule for rent."""
    settings = books / "bo.yaml"
    text = settings.read_text().replace(
        "    minimum: 1000.00 USD\n",
        "    minimum: 1000.00 USD\n    statement: {format: bank, dir: statements/checking}\n",
    )
    settings.write_text(text + BANK_FORMAT)
    return books


def statement(books: Path, name: str, rows: list[str]) -> Path:
    path = books / "statements/checking" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Date,Amount,Description\n" + "\n".join(rows) + "\n")
    return path


def entries_of(books: Path) -> list:
    entries, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    assert not errors, errors[:3]  # what bean-check would say
    return [e for e in entries if type(e).__name__ == "Transaction"]


def imported(books: Path) -> list:
    return [e for e in entries_of(books) if "import-id" in e.meta]


def run_import(bo, books: Path, path: Path, *args: str):
    return bo("import", str(path), "--json", *args, cwd=books)


def test_import_writes_categorized_entries_once(small, bo):
    path = statement(
        small,
        "2025-02.csv",
        ["2025-02-01,-2000.00,LANDLORD LLC RENT", "2025-02-03,-6.50,BLUE BOTTLE"],
    )
    result = run_import(bo, small, path)
    assert result.exit_code == 1, result.stderr  # one line is uncategorized
    report = json.loads(result.stdout)
    assert [a["rule"] for a in report["added"]] == ["Rent", "(none: uncategorized)"]
    assert report["uncategorized"] == 1

    written = (small / CHECKING_IMPORTS / "2025-02.beancount").read_text()
    assert '"Landlord" "LANDLORD LLC RENT"' in written
    assert 'import-rule: "Rent"' in written
    assert 'import-source: "statements/checking/2025-02.csv:2"' in written
    assert '2025-02-03 ! "BLUE BOTTLE"' in written  # flagged for a person to finish
    assert INCLUDE_LINE in (small / "ledgers/main.beancount").read_text()
    rent = next(e for e in imported(small) if e.payee == "Landlord")
    assert [p.account for p in rent.postings] == ["Assets:Bank:Checking", "Expenses:Rent"]

    again = run_import(bo, small, path)
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert report["added"] == [] and report["written"] == []
    assert {p["how"] for p in report["present"]} == {"imported"}
    assert len(imported(small)) == 2


def test_overlapping_export_adds_only_new_rows_even_a_late_posted_one(small, bo):
    first = ["2025-02-03,-6.50,COFFEE", "2025-02-10,-40.00,LUNCH"]
    run_import(bo, small, statement(small, "a.csv", first))
    # The next export repeats both rows, adds a later one, and a row the bank posted late,
    # dated before rows already imported: a "last date seen" importer would drop it.
    second = [
        "2025-02-03,-6.50,COFFEE",
        "2025-02-05,-12.00,LATE POSTED PARKING",
        "2025-02-10,-40.00,LUNCH",
        "2025-02-20,-15.00,BOOKS",
    ]
    report = json.loads(run_import(bo, small, statement(small, "b.csv", second)).stdout)
    assert sorted(a["payee"] for a in report["added"]) == ["BOOKS", "LATE POSTED PARKING"]
    assert sorted(e.payee for e in imported(small)) == [
        "BOOKS",
        "COFFEE",
        "LATE POSTED PARKING",
        "LUNCH",
    ]


def test_two_identical_rows_are_two_entries(small, bo):
    rows = ["2025-02-03,-6.50,BLUE BOTTLE", "2025-02-03,-6.50,BLUE BOTTLE"]
    path = statement(small, "coffee.csv", rows)
    report = json.loads(run_import(bo, small, path).stdout)
    assert len(report["added"]) == 2
    assert len({a["id"] for a in report["added"]}) == 2
    assert json.loads(run_import(bo, small, path).stdout)["added"] == []
    assert len(imported(small)) == 2


def test_an_entry_typed_by_hand_is_matched_not_added_again(small, bo):
    # The fixture's January rent was typed by hand; the statement shows it two days later.
    path = statement(small, "jan.csv", ["2025-01-07,-2000.00,LANDLORD ACH", "2025-01-08,-9.99,APP"])
    report = json.loads(run_import(bo, small, path).stdout)
    assert [a["payee"] for a in report["added"]] == ["APP"]
    (present,) = report["present"]
    assert present["how"] == "typed"
    assert present["entries"][0].endswith("ledgers/2025.beancount:5")
    assert any("2 days apart" in reason for reason in present["reasons"])


def test_a_near_miss_is_added_and_flagged(small, bo):
    path = statement(small, "jan.csv", ["2025-01-05,-2009.00,LANDLORD ACH"])
    result = run_import(bo, small, path)
    assert result.exit_code == 1
    (added,) = json.loads(result.stdout)["added"]
    assert added["near"]["entry"].endswith("ledgers/2025.beancount:5")


def test_dry_run_writes_nothing(small, bo):
    before = (small / "ledgers/main.beancount").read_text()
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    result = bo("import", str(path), "--dry-run", cwd=small)
    assert result.exit_code == 0, result.stderr
    assert "would add 1 entry" in result.stdout
    assert not (small / "ledgers/imports").exists()
    assert (small / "ledgers/main.beancount").read_text() == before


def test_ofx_import_uses_the_banks_ids(small, bo):
    settings = small / "bo.yaml"
    settings.write_text(settings.read_text().replace("format: bank,", "format: ofx,"))
    target = small / "statements/checking/2025-09.ofx"
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / "checking.ofx", target)
    # The OFX file's account: open the accounts the rules will need.
    with open(small / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Income:Services USD\n")
    report = json.loads(run_import(bo, small, target).stdout)
    assert [a["id"] for a in report["added"]] == [
        "bank:202509020001",
        "bank:202509050001",
        "bank:202509300001",
    ]
    check = next(e for e in imported(small) if e.payee == "CHECK 1001")
    assert check.meta["check"] == "1001"
    assert json.loads(run_import(bo, small, target).stdout)["added"] == []


def test_a_bad_file_is_refused_and_nothing_is_written(small, bo):
    path = statement(small, "bad.csv", ["2025-02-01,-2000.00,LANDLORD", "2025-02-31,-1.00,X"])
    result = bo("import", str(path), cwd=small)
    assert result.exit_code == 2
    assert "bad.csv:3" in result.stderr and "Traceback" not in result.stderr
    assert not (small / "ledgers/imports").exists()


def test_a_file_outside_any_statement_folder_needs_account(small, bo, tmp_path):
    path = tmp_path / "elsewhere.csv"
    path.write_text("Date,Amount,Description\n2025-02-01,-1.00,X\n")
    result = bo("import", str(path), cwd=small)
    assert result.exit_code == 2 and "--account" in result.stderr
    result = bo("import", str(path), "--account", "Assets:Bank:Checking", cwd=small)
    assert result.exit_code == 1  # imported, uncategorized


def test_a_second_writer_is_refused_while_the_lock_is_held(small, bo):
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    with books_lock(small, "bo close 2025-02"):
        result = bo("import", str(path), cwd=small)
    assert result.exit_code == 3
    assert "bo close 2025-02" in result.stderr


def test_import_repairs_a_missing_include_before_planning(small, bo):
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    run_import(bo, small, path)
    main = small / "ledgers/main.beancount"
    # A crash between writing the month file and the include line leaves this state.
    main.write_text(main.read_text().replace(INCLUDE_LINE, ""))
    report = json.loads(run_import(bo, small, path).stdout)
    assert report["added"] == []
    assert len(imported(small)) == 1


def test_demo_september_checking_adds_only_what_the_books_lack(demo, bo):
    path = demo / "statements/checking/2025-09.csv"
    result = run_import(bo, demo, path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    added = {a["payee"]: a for a in report["added"]}
    # The wire fee the books lack, categorized by its rule; the transposed payment is
    # added uncategorized and flagged as near the entry typed as 1,245.00.
    assert set(added) == {"INCOMING WIRE FEE", "FERNWOOD PHOTOGRAPHY ACH PAYMENT"}
    assert added["INCOMING WIRE FEE"]["account"] == "Expenses:BankFees"
    assert "transposed" in " ".join(added["FERNWOOD PHOTOGRAPHY ACH PAYMENT"]["near"]["reasons"])
    # Multi-check deposits the books hold as several receipts are present, not new.
    assert len(report["present"]) == report["lines"] - 2
    entries_of(demo)  # bean-check passes after the import
    assert json.loads(run_import(bo, demo, path).stdout)["added"] == []


def test_demo_card_statements_are_already_in_the_books(demo, bo):
    for month in ("2025-08", "2025-09"):
        report = json.loads(run_import(bo, demo, demo / f"statements/card/{month}.csv").stdout)
        assert report["added"] == [], report["added"][:2]


def test_a_statement_of_another_card_is_refused(demo, bo):
    own = (demo / "statements/card/2025-09.csv").read_text()
    other = demo / "statements/card/2025-10.csv"
    other.write_text(own.replace(",3318,", ",7781,").replace("2025-09-", "2025-10-"))
    before = sorted(p.name for p in (demo / "ledgers").rglob("*"))
    result = bo("import", str(other), cwd=demo)
    assert result.exit_code == 2
    assert '2025-10.csv:2: column "Card No.": account number `7781` is not' in result.stderr
    assert "accounts.Liabilities:CreditCard.statement.account_id" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (demo / "ledgers").rglob("*")) == before
