"""`bo import` through the real CLI: real statement files in, beancount that loads out."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from beancount import loader
from beancount.core.amount import Amount

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


def test_a_near_miss_of_a_typed_entry_is_held_not_booked_twice(small, bo):
    # The bank shows 2,009.00 where the entry typed by hand says 2,000.00: one payment, two
    # figures. Adding the line would pay the landlord twice in the books.
    path = statement(small, "jan.csv", ["2025-01-05,-2009.00,LANDLORD ACH"])
    result = run_import(bo, small, path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["added"] == []
    (held,) = report["present"]
    assert held["entries"][0].endswith("ledgers/2025.beancount:5")
    assert "correct the entry to the bank's -2,009.00 USD" in held["doubt"]
    assert not (small / "ledgers/imports").exists()
    # Once the person corrects the entry, the line is simply present.
    ledger = small / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text().replace("Rent  2000.00 USD", "Rent  2009.00 USD"))
    again = run_import(bo, small, path)
    assert again.exit_code == 0, again.stdout
    (present,) = json.loads(again.stdout)["present"]
    assert present["doubt"] is None


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
    # The wire fee the books lack, categorized by its rule; the transposed payment is held
    # against the entry typed as 1,245.00 for the bookkeeper to correct, not booked twice.
    (added,) = report["added"]
    assert (added["payee"], added["account"]) == ("INCOMING WIRE FEE", "Expenses:BankFees")
    (held,) = [p for p in report["present"] if p["doubt"]]
    assert held["payee"] == "FERNWOOD PHOTOGRAPHY ACH PAYMENT"
    assert "transposed" in held["doubt"]
    # Multi-check deposits the books hold as several receipts are present, not new.
    assert len(report["present"]) == report["lines"] - 1
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


# --- Layouts: the same bookkeeper's day on each demo CSV layout and on OFX -------------------

CHECKING, SAVINGS, CARD = "Assets:Bank:Checking", "Assets:Bank:Savings", "Liabilities:CreditCard"
OFX_FORMAT = "  ofx:\n    kind: ofx\n"
Row = tuple[str, str, str, str]  # ISO date, amount as the books sign it, bank text, bank id


def chase_csv(rows: list[Row], opening: str = "10000.00") -> str:
    """The demo checking/savings layout: US dates, signed amounts, balance, newest first."""
    balance, out = Decimal(opening), []
    for day, amount, text, _ in rows:
        balance += Decimal(amount)
        kind = "CREDIT" if Decimal(amount) > 0 else "DEBIT"
        us = f"{day[5:7]}/{day[8:10]}/{day[:4]}"
        out.append(f"{kind},{us},{text},{amount},ACH_{kind},{balance},")
    head = "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
    return head + "\n".join(reversed(out)) + "\n"


def capitalone_csv(rows: list[Row]) -> str:
    """The demo card layout: ISO dates, charges in Debit, payments and refunds in Credit."""
    out = ["Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit"]
    for day, amount, text, _ in rows:
        number = Decimal(amount)
        debit, credit = (f"{-number}", "") if number < 0 else ("", f"{number}")
        out.append(f'{day},{day},3318,"{text}",Other,{debit},{credit}')
    return "\n".join(out) + "\n"


def ofx(rows: list[Row], account_id: str = "000123456789", currency: str = "USD") -> str:
    """An OFX 1 bank statement; each row's bank id becomes its FITID."""
    body = "".join(
        f"<STMTTRN>\n<TRNTYPE>{'CREDIT' if Decimal(a) > 0 else 'DEBIT'}\n"
        f"<DTPOSTED>{d.replace('-', '')}\n<TRNAMT>{a}\n<FITID>{fitid}\n<NAME>{text}\n</STMTTRN>\n"
        for d, a, text, fitid in rows
    )
    head = (DATA / "checking.ofx").read_text().split("<BANKTRANLIST>")[0]
    head = head.replace("<CURDEF>USD", f"<CURDEF>{currency}")
    head = head.replace("<ACCTID>000123456789", f"<ACCTID>{account_id}")
    return (
        f"{head}<BANKTRANLIST>\n<DTSTART>{rows[0][0].replace('-', '')}\n"
        f"<DTEND>{rows[-1][0].replace('-', '')}\n{body}</BANKTRANLIST>\n"
        f"<LEDGERBAL>\n<BALAMT>1000.00\n<DTASOF>{rows[-1][0].replace('-', '')}\n</LEDGERBAL>\n"
        "</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
    )


def use_ofx(demo: Path, account: str) -> None:
    """Point `account`'s statement format at OFX in the demo's bo.yaml."""
    settings = demo / "bo.yaml"
    text = settings.read_text()
    if OFX_FORMAT not in text:  # once: a key given twice in bo.yaml is refused
        text = text.replace("statement_formats:\n", "statement_formats:\n" + OFX_FORMAT)
    head, rest = text.split(f"  {account}:\n", 1)
    rest = re.sub(r"format: [\w-]+", "format: ofx", rest, count=1)
    settings.write_text(f"{head}  {account}:\n{rest}")


@dataclass(frozen=True)
class Layout:
    """One statement layout of the demo books, and a line of it a rule categorizes."""

    name: str
    account: str
    folder: str
    suffix: str
    write: Callable[[list[Row]], str]
    rule_text: str  # a bank text one of the demo's rules categorizes
    rule_account: str


LAYOUTS = [
    Layout("checking-csv", CHECKING, "checking", "csv", chase_csv,
           "HARBOR PROPERTIES ACH RENT", "Expenses:Rent"),
    Layout("card-csv", CARD, "card", "csv", capitalone_csv,
           "FIGMA MONTHLY SUBSCRIPTION", "Expenses:Software"),
    Layout("checking-ofx", CHECKING, "checking", "ofx", ofx,
           "HARBOR PROPERTIES ACH RENT", "Expenses:Rent"),
]  # fmt: skip


@pytest.fixture(params=LAYOUTS, ids=lambda layout: layout.name)
def layout(request, demo: Path) -> Layout:
    if request.param.suffix == "ofx":
        use_ofx(demo, request.param.account)
    return request.param


def write_statement(demo: Path, layout: Layout, name: str, rows: list[Row]) -> Path:
    path = demo / "statements" / layout.folder / f"{name}.{layout.suffix}"
    path.write_text(layout.write(rows))
    return path


def imported_to(books: Path, account: str) -> list:
    return [e for e in imported(books) if e.postings[0].account == account]


def test_each_layout_categorizes_writes_and_reimports_nothing(demo, bo, layout):
    rows = [
        ("2026-01-05", "-75.00", layout.rule_text, "F1"),
        ("2026-01-06", "-18.40", "XQ UNKNOWN MERCHANT 7", "F2"),
    ]
    path = write_statement(demo, layout, "2026-01", rows)
    result = run_import(bo, demo, path)
    assert result.exit_code == 1, result.stderr  # one uncategorized line
    report = json.loads(result.stdout)
    assert sorted((a["date"], a["payee"], a["account"]) for a in report["added"]) == [
        ("2026-01-05", layout.rule_text, layout.rule_account),
        ("2026-01-06", "XQ UNKNOWN MERCHANT 7", "Expenses:Uncategorized"),
    ]
    entries = imported_to(demo, layout.account)
    assert [(str(e.date), e.postings[0].units.number) for e in entries] == [
        ("2026-01-05", Decimal("-75.00")),
        ("2026-01-06", Decimal("-18.40")),
    ]
    again = json.loads(run_import(bo, demo, path).stdout)
    assert again["added"] == [] and {p["how"] for p in again["present"]} == {"imported"}


def test_each_layout_overlap_adds_only_new_rows_and_the_late_posted_one(demo, bo, layout):
    first = [("2026-01-03", "-6.50", "XQ COFFEE", "A"), ("2026-01-10", "-40.00", "XQ LUNCH", "B")]
    run_import(bo, demo, write_statement(demo, layout, "2026-01", first))
    second = [
        ("2026-01-03", "-6.50", "XQ COFFEE", "A"),
        ("2026-01-05", "-12.00", "XQ LATE POSTED PARKING", "C"),
        ("2026-01-10", "-40.00", "XQ LUNCH", "B"),
        ("2026-01-20", "-15.00", "XQ BOOKS", "D"),
    ]
    path = write_statement(demo, layout, "2026-01b", second)
    report = json.loads(run_import(bo, demo, path).stdout)
    assert sorted(a["payee"] for a in report["added"]) == ["XQ BOOKS", "XQ LATE POSTED PARKING"]
    assert len(imported_to(demo, layout.account)) == 4


def test_each_layout_keeps_two_identical_rows(demo, bo, layout):
    rows = [("2026-01-03", "-6.50", "XQ COFFEE", "A"), ("2026-01-03", "-6.50", "XQ COFFEE", "B")]
    path = write_statement(demo, layout, "2026-01", rows)
    assert len(json.loads(run_import(bo, demo, path).stdout)["added"]) == 2
    assert json.loads(run_import(bo, demo, path).stdout)["added"] == []
    assert len(imported_to(demo, layout.account)) == 2


# --- Two accounts: ids are the account's own; a transfer is booked once -----------------------


def test_the_same_fee_on_checking_and_savings_is_two_lines(demo, bo):
    fee = [("2026-01-30", "-25.00", "MONTHLY SERVICE FEE", "")]
    for folder in ("checking", "savings"):
        path = demo / "statements" / folder / "2026-01.csv"
        path.write_text(chase_csv(fee))
        report = json.loads(run_import(bo, demo, path).stdout)
        assert len(report["added"]) == 1, (folder, report["present"])
    assert len(imported_to(demo, CHECKING)) == len(imported_to(demo, SAVINGS)) == 1


def test_a_bank_id_two_accounts_share_is_two_lines(demo, bo):
    use_ofx(demo, CHECKING)
    use_ofx(demo, SAVINGS)
    rows = [("2026-01-30", "-25.00", "MONTHLY SERVICE FEE", "202601300001")]
    for folder, account_id in (("checking", "4521"), ("savings", "7789")):
        path = demo / "statements" / folder / "2026-01.ofx"
        path.write_text(ofx(rows, account_id))
        report = json.loads(run_import(bo, demo, path).stdout)
        assert [a["id"] for a in report["added"]] == ["bank:202601300001"], folder
    assert len(imported_to(demo, SAVINGS)) == 1


@pytest.mark.parametrize("first", ["checking", "card"])
def test_a_card_payment_is_booked_once_whichever_statement_comes_first(demo, bo, first):
    statements = {
        "checking": chase_csv([("2026-01-05", "-1234.56", "CAPITAL ONE ONLINE PMT", "")]),
        "card": capitalone_csv([("2026-01-06", "1234.56", "CAPITAL ONE AUTOPAY", "")]),
    }
    order = [first, *(name for name in statements if name != first)]
    reports = {}
    for folder in order:
        path = demo / "statements" / folder / "2026-01.csv"
        path.write_text(statements[folder])
        result = run_import(bo, demo, path)
        assert result.exit_code == 0, result.stdout + result.stderr
        reports[folder] = json.loads(result.stdout)
    assert len(reports[first]["added"]) == 1
    second = reports[order[1]]
    assert second["added"] == []
    (present,) = second["present"]
    assert present["how"] == "transfer"
    assert "imports/" in present["entries"][0]
    assert "statement" in present["reasons"][0]
    payments = [e for e in imported(demo) if str(e.date) >= "2026-01-01"]
    assert len(payments) == 1  # and bean-check passes (imported() loads without errors)
    assert sorted(p.account for p in payments[0].postings) == [CHECKING, CARD]
    for folder in order:  # importing either again changes nothing
        again = run_import(bo, demo, demo / "statements" / folder / "2026-01.csv")
        assert json.loads(again.stdout)["added"] == []


# --- A typed entry that agrees on amount and date alone is reported, not trusted silently -------


def test_a_typed_entry_matching_on_amount_and_date_alone_is_reported(small, bo):
    path = statement(small, "jan.csv", ["2025-01-05,-2000.00,XYZZY PLUGH"])
    result = run_import(bo, small, path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["added"] == []  # held: adding it would book the rent twice if it is the rent
    (present,) = report["present"]
    assert present["how"] == "typed"
    assert "amount and date alone" in present["doubt"]
    text = bo("import", str(path), cwd=small).stdout
    assert "check: 2025-01-05" in text and "XYZZY PLUGH is held by" in text


def test_a_bank_text_naming_nobody_or_read_by_a_rule_is_no_doubt(small, bo):
    settings = small / "bo.yaml"
    settings.write_text(
        settings.read_text()
        + "  - name: Harbor\n    match: {payee: hbr prop}\n    set: {account: Expenses:Rent}\n"
    )
    for text in ("REMOTE ONLINE DEPOSIT", "HBR PROP 8812", "LANDLORD ACH"):
        path = statement(small, "jan.csv", [f"2025-01-05,-2000.00,{text}"])
        result = run_import(bo, small, path)
        (present,) = json.loads(result.stdout)["present"]
        assert present["doubt"] is None and result.exit_code == 0, text


# --- Nothing written that the ledger would refuse ----------------------------------------------


def test_a_rule_tag_beancount_cannot_read_is_refused_in_bo_yaml(small, bo):
    settings = small / "bo.yaml"
    settings.write_text(settings.read_text().replace(
        "set: {account: Expenses:Rent, payee: Landlord}",
        'set: {account: Expenses:Rent, payee: Landlord, tags: ["bad tag"]}',
    ))  # fmt: skip
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    result = bo("import", str(path), cwd=small)
    assert result.exit_code == 2
    line = (
        settings.read_text()
        .splitlines()
        .index(next(x for x in settings.read_text().splitlines() if "bad tag" in x))
    )
    assert f"bo.yaml:{line + 1}" in result.stderr and "not a beancount tag" in result.stderr
    assert not (small / "ledgers/imports").exists()


def test_a_statement_in_a_currency_the_account_does_not_allow_is_refused(small, bo):
    settings = small / "bo.yaml"
    settings.write_text(settings.read_text().replace("format: bank,", "format: ofx,"))
    path = small / "statements/checking/2025-09.ofx"
    path.parent.mkdir(parents=True)
    path.write_text(ofx([("2025-09-02", "-12.00", "XQ", "1")], currency="EUR"))
    before = (small / "ledgers/main.beancount").read_text()
    result = bo("import", str(path), cwd=small)
    assert result.exit_code == 2, result.stdout
    assert "Assets:Bank:Checking is opened for USD only, not EUR" in result.stderr
    assert "accounts.beancount:1" in result.stderr
    assert not (small / "ledgers/imports").exists()
    assert (small / "ledgers/main.beancount").read_text() == before


def test_a_line_dated_before_the_account_opens_is_refused(small, bo):
    path = statement(small, "old.csv", ["2024-12-30,-5.00,XQ FEE"])
    result = bo("import", str(path), cwd=small)
    assert result.exit_code == 2
    assert "old.csv:2" in result.stderr and "opened only on 2025-01-01" in result.stderr
    assert not (small / "ledgers/imports").exists()


def lock(books: Path, period: str) -> None:
    """Write the close record of a locked period, as `bo close` leaves it."""
    from bo.close.record import lock_data
    from bo.periods import Period

    entries, _, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    record = {"period": period, "locked": {"at": "2025-02-03T09:00:00", "by": "Sam Okafor",
                                           **lock_data(entries, Period.parse(period))}}  # fmt: skip
    (books / "closes").mkdir(exist_ok=True)
    (books / "closes" / f"{period}.yaml").write_text(yaml.safe_dump(record))


def test_a_line_in_a_locked_period_refuses_the_whole_import(small, bo):
    lock(small, "2025-01")
    path = statement(small, "late.csv", ["2025-01-20,-9.00,XQ LATE FEE", "2025-02-02,-4.00,XQ"])
    for args in ((), ("--dry-run",)):
        result = bo("import", str(path), *args, cwd=small)
        assert result.exit_code == 3, result.stdout + result.stderr
        assert "late.csv:2" in result.stderr and "2025-01 is closed and locked" in result.stderr
    assert not (small / "ledgers/imports").exists()
    # A statement of the open month alone goes in.
    path = statement(small, "feb.csv", ["2025-02-02,-4.00,XQ"])
    assert bo("import", str(path), cwd=small).exit_code == 1


def test_a_dry_run_does_not_wait_for_the_lock(small, bo):
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    with books_lock(small, "bo close 2025-02"):
        result = bo("import", str(path), "--dry-run", cwd=small)
    assert result.exit_code == 0, result.stderr
    assert "would add 1 entry" in result.stdout


def test_account_disagreeing_with_the_statement_folder_is_refused(demo, bo):
    path = demo / "statements/checking/2025-09.csv"
    result = bo("import", str(path), "--account", SAVINGS, cwd=demo)
    assert result.exit_code == 2
    assert "statements/checking, the statement folder of Assets:Bank:Checking" in result.stderr
    assert not (demo / "ledgers/imports").exists()


def test_a_rule_that_renames_the_payee_keeps_the_memo(demo, bo):
    path = demo / "statements/card/2026-01.csv"
    path.write_text(capitalone_csv([("2026-01-05", "-75.00", "FIGMA MONTHLY SUBSCRIPTION", "")]))
    assert run_import(bo, demo, path).exit_code == 0
    (entry,) = imported_to(demo, CARD)
    assert (entry.payee, entry.narration) == ("Figma", "FIGMA MONTHLY SUBSCRIPTION")
    assert entry.meta["memo"] == "Other"


def test_text_beancount_would_not_read_back_is_never_written(small):
    from bo.beanfile import format_transaction
    from bo.books import open_books
    from bo.errors import BadInputError
    from bo.imports import Added, build_entry, check_text
    from bo.statements import line_ids, read_statement

    books = open_books(small, small)
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD", "2025-02-02,-3.00,X"])
    lines = read_statement(path, CHECKING, books.settings).lines
    written = []
    for line, line_id in zip(lines, line_ids(lines), strict=True):
        entry = build_entry(small, line, line_id, None, "Expenses:Uncategorized")
        written.append((Added(line, line_id, entry, "(none)"), format_transaction(entry)))
    check_text(written)  # reads back: no error
    # A currency beancount's grammar refuses, in the second entry (entries of one shape
    # share their sample: the bad one must be a shape of its own).
    added, _ = written[1]
    postings = [p._replace(units=Amount(p.units.number, "usd")) for p in added.entry.postings]
    bad = added.entry._replace(postings=postings)
    written[1] = (Added(added.line, added.line_id, bad, "(none)"), format_transaction(bad))
    with pytest.raises(BadInputError) as caught:
        check_text(written)
    assert caught.value.source == lines[1].source
    assert "cannot read" in caught.value.message


@pytest.mark.parametrize(
    "payee",
    ['ACME "QUOTED" CO', "BACK\\SLASH \\", "CAFÉ MÜNCHEN", "TAB\tAND\nNEWLINE", 'MIX "\\ É'],
)
def test_a_payee_of_any_characters_reads_back(small, payee):
    """check_text samples payees by the characters that could end or break a string
    literal: whatever the characters, the text bo writes reads back as the entry."""
    from beancount.parser import parser

    from bo.beanfile import format_transaction
    from bo.books import open_books
    from bo.imports import Added, build_entry, check_text
    from bo.statements import line_ids, read_statement

    books = open_books(small, small)
    path = statement(small, "feb.csv", ["2025-02-01,-2000.00,LANDLORD"])
    (line,) = read_statement(path, CHECKING, books.settings).lines
    line = replace(line, payee=payee)
    line_id = line_ids([line])[0]
    entry = build_entry(small, line, line_id, None, "Expenses:Uncategorized")
    text = format_transaction(entry)
    check_text([(Added(line, line_id, entry, "(none)"), text)])
    (back,), errors, _ = parser.parse_string(text)
    assert not errors and back.payee == payee


@pytest.mark.parametrize(
    "others",
    [
        ["2025-01-10,1000.00,XQ VENDOR ACH RETURN"],
        # Two returns that only happen to sum to the first check.
        ["2025-01-10,400.00,XQ VENDOR ACH RETURN", "2025-01-10,600.00,ZZ OTHER CO ACH RETURN"],
    ],
    ids=["same amount", "summing lines"],
)
def test_lines_sharing_only_amount_and_date_do_not_take_a_receipt_from_its_deposit(
    small, bo, others
):
    with open(small / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Income:Services USD\n")
    with open(small / "ledgers/2025.beancount", "a") as handle:
        handle.write(
            '\n2025-01-10 * "Acme Robotics" "Payment for INV-1001 (check)"\n'
            "  Assets:Bank:Checking  1000.00 USD\n  Income:Services\n"
            '\n2025-01-10 * "Bellweather Foods" "Payment for INV-1002 (check)"\n'
            "  Assets:Bank:Checking  500.00 USD\n  Income:Services\n"
        )
    # The two checks went in on one slip; the same day a vendor's payment came back for
    # exactly the first check's amount.
    rows = ["2025-01-10,1500.00,REMOTE ONLINE DEPOSIT", *others]
    report = json.loads(run_import(bo, small, statement(small, "jan.csv", rows)).stdout)
    assert sorted(a["payee"] for a in report["added"]) == sorted(r.split(",")[2] for r in others)
    (deposit,) = report["present"]
    assert deposit["payee"] == "REMOTE ONLINE DEPOSIT" and len(deposit["entries"]) == 2
    assert deposit["doubt"] is None


def test_the_progress_bar_moves_while_lines_are_matched_and_ends_full(small):
    from bo.books import open_books
    from bo.imports import CHUNK_LINES, plan_import
    from bo.statements import read_statement

    rows = [f"2025-0{1 + n // 3000}-{1 + n % 28:02d},-{1 + n % 97}.25,XQ {n}" for n in range(9000)]
    path = statement(small, "big.csv", rows)
    books = open_books(small, small)
    steps: list[int] = []
    plan = plan_import(books, read_statement(path, CHECKING, books.settings), progress=steps.append)
    assert sum(steps) == len(rows) == len(plan.added)
    # Each chunk of lines matched moves the bar: the first half fills while matching.
    total, while_matching = 0, 0
    for step in steps:
        total += step
        if step and total <= len(rows) // 2:
            while_matching += 1
    assert while_matching >= len(rows) // CHUNK_LINES
