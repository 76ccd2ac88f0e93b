"""`bo import` and `bo reconcile` make one decision, and a reconciliation rests on the bank's
figure: small books from text, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from beancount import loader

from bo.close.record import period_digest
from bo.periods import Period

CHECKING = "Assets:Bank:Checking"

SETTINGS = """\
entity: {name: Small Books LLC, currency: USD}
accounts:
  Assets:Bank:Checking:
    role: bank
    statement: {format: bank, dir: statements/checking}
  Expenses:Uncategorized: {role: uncategorized}
statement_formats:
  bank: {kind: csv, date: Date, amount: Amount, payee: Description}
"""
LEDGER = """\
option "operating_currency" "USD"
2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Equity:Opening-Balances USD
2025-01-01 open Expenses:Rent USD
2025-01-01 open Expenses:Legal USD
2025-01-01 open Expenses:Meals USD
2025-01-01 open Expenses:Cleaning USD
2025-01-01 open Expenses:Photos USD
2025-01-01 open Expenses:Uncategorized USD
2025-01-01 open Income:Sales USD

2025-02-01 * "Opening balance"
  Assets:Bank:Checking  10000.00 USD
  Equity:Opening-Balances

2025-02-27 * "Atlas Legal" "Retainer"
  check: "1201"
  Assets:Bank:Checking  -800.00 USD
  Expenses:Legal

2025-03-01 * "Landlord" "March rent"
  Assets:Bank:Checking  -2000.00 USD
  Expenses:Rent

2025-03-05 * "Blue Bottle" "Coffee"
  Assets:Bank:Checking  -6.50 USD
  Expenses:Meals

2025-03-05 * "Blue Bottle" "Coffee"
  Assets:Bank:Checking  -6.50 USD
  Expenses:Meals

2025-03-10 * "Acme Robotics" "Invoice 7"
  Assets:Bank:Checking  1200.00 USD
  Income:Sales

2025-03-10 * "Bolt Hosting" "Invoice 8"
  Assets:Bank:Checking  800.00 USD
  Income:Sales

2025-03-20 * "Fernwood Photography" "Photos"
  Assets:Bank:Checking  -1245.00 USD
  Expenses:Photos

2025-03-25 * "Harbor Cleaning" "Cleaning"
  Assets:Bank:Checking  -300.00 USD
  Expenses:Cleaning

2025-04-01 * "Corner Deli" "Team lunch"
  Assets:Bank:Checking  -42.00 USD
  Expenses:Meals
"""
MARCH = """\
Date,Amount,Description
2025-03-01,-2000.00,LANDLORD LLC RENT
2025-03-04,-800.00,CHECK 1201
2025-03-06,-6.50,BLUE BOTTLE COFFEE
2025-03-06,-6.50,BLUE BOTTLE COFFEE
2025-03-11,2000.00,REMOTE ONLINE DEPOSIT
2025-03-15,-15.00,INCOMING WIRE FEE
2025-03-20,-1254.00,FERNWOOD PHOTOGRAPHY
2025-03-25,-300.00,XYZZY PLUGH
2025-03-30,-42.00,CORNER DELI
"""


@pytest.fixture
def march(tmp_path: Path) -> Path:
    """Books whose March is mostly typed by hand, a statement of it without balances."""
    (tmp_path / "bo.yaml").write_text(SETTINGS)
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text(LEDGER)
    (tmp_path / "statements/checking").mkdir(parents=True)
    (tmp_path / "statements/checking/2025-03.csv").write_text(MARCH)
    return tmp_path


def reconcile(bo, books: Path, period: str, *args: str):
    return bo("reconcile", CHECKING, "--period", period, "--json", *args, cwd=books)


def row(source: str) -> str:
    """A statement line's `file:row`, whatever folder it is named from."""
    name, _, number = source.rpartition(":")
    return f"{Path(name).name}:{number}"


def test_every_line_import_skips_is_matched_by_reconcile_to_that_entry(march, bo):
    statement = march / "statements/checking/2025-03.csv"
    plan = json.loads(bo("import", str(statement), "--json", "--dry-run", cwd=march).stdout)
    rec = json.loads(reconcile(bo, march, "2025-03").stdout)
    matched = {}
    for match in rec["matches"]:
        for line in match["lines_at"]:
            matched[row(line)] = sorted(match["entries_at"])
    differs = {item["line"]: item["where"] for item in rec["open"]["amount_differs"]}
    line_ids = {m["lines_at"][0]: m["lines"][0] for m in rec["matches"] if len(m["lines"]) == 1}
    assert line_ids  # the record names every matched line by file:row and by id
    # Held, not skipped: the bank's amount differs from the typed entry's (a transposition).
    held = [p for p in plan["present"] if "correct the entry" in (p["doubt"] or "")]
    skipped = [p for p in plan["present"] if p not in held]
    # Every line but the wire fee is in the books: the check written in February, the two
    # coffees, the deposit of two receipts, the lunch booked on April 1st, and a line
    # held on amount and date alone.
    assert len(skipped) == 7 and len(held) == 1
    assert [a["payee"] for a in plan["added"]] == ["INCOMING WIRE FEE"]
    for present in skipped:
        assert matched[row(present["source"])] == sorted(present["entries"]), present
    (fernwood,) = held
    assert list(differs.values()) == fernwood["entries"]
    (fee,) = rec["open"]["missing"]
    assert row(fee["where"]) == "2025-03.csv:7"
    # What import would add is what reconcile suggests, and nothing else.
    assert "INCOMING WIRE FEE" in fee["text"] and len(rec["open"]["missing"]) == 1


def test_reconcile_json_names_every_line_and_entry_by_file_and_line(march, bo):
    rec = json.loads(reconcile(bo, march, "2025-03").stdout)
    for match in rec["matches"]:
        assert len(match["lines_at"]) == len(match["lines"])
        assert len(match["entries_at"]) == len(match["entries"])
        for where in match["lines_at"]:
            assert where.startswith("statements/checking/2025-03.csv:"), where
        for where in match["entries_at"]:
            assert where.startswith("ledgers/main.beancount:"), where
    for items in rec["open"].values():
        for item in items:
            assert item["where"].split(":")[-1].isdigit(), item


def test_a_line_the_books_date_after_the_period_is_timing_not_missing(march, bo):
    rec = json.loads(reconcile(bo, march, "2025-03").stdout)
    (lunch,) = rec["open"]["booked_later"]
    assert (lunch["date"], lunch["amount"], lunch["text"]) == (
        "2025-04-01",
        "-42.00",
        "Corner Deli Team lunch",
    )
    assert not [i for i in rec["open"]["missing"] if "CORNER" in i["text"]]


def fix_march(books: Path) -> None:
    """What the reconciliation asks for: the fee booked, Fernwood corrected."""
    ledger = books / "ledgers/main.beancount"
    text = ledger.read_text().replace("-1245.00 USD", "-1254.00 USD")
    text += (
        '\n2025-03-15 * "First Coastal" "Wire fee"\n'
        "  Assets:Bank:Checking  -15.00 USD\n  Expenses:Uncategorized\n"
    )
    ledger.write_text(text)


def test_without_a_balance_column_only_the_statements_figure_reconciles(march, bo):
    fix_march(march)
    unknown = reconcile(bo, march, "2025-03")
    rec = json.loads(unknown.stdout)
    assert unknown.exit_code == 1 and rec["reconciled"] is False
    assert rec["balances"]["bank"] is None and rec["balances"]["difference"] is None
    assert "statement balance unknown" in rec["balances"]["bank_from"]
    terminal = bo("reconcile", CHECKING, "--period", "2025-03", cwd=march).stdout
    assert "NOT reconciled: statement balance unknown" in terminal

    # The books hold 10000 - 800 - 2000 - 13 + 2000 - 1254 - 300 - 15 = 7618.00 at March's
    # end; the bank also paid the lunch of the 30th, which the books date April 1st.
    given = reconcile(bo, march, "2025-03", "--statement-balance", "7576.00")
    rec = json.loads(given.stdout)
    assert given.exit_code == 0, rec
    assert rec["balances"]["statement"] == "7576.00" and rec["balances"]["difference"] == "0.00"
    kept = json.loads(reconcile(bo, march, "2025-03").stdout)
    assert kept["reconciled"] is True and kept["balances"]["statement"] == "7576.00"

    wrong = reconcile(bo, march, "2025-03", "--statement-balance", "7580.00")
    rec = json.loads(wrong.stdout)
    assert wrong.exit_code == 1 and rec["balances"]["difference"] == "4.00"

    refused = bo(
        "reconcile", CHECKING, "--period", "2025-03", "--statement-balance", "7,5x6", cwd=march
    )
    assert refused.exit_code == 2 and "--statement-balance 7,5x6" in refused.stderr


def test_accepting_marks_the_matched_postings_and_next_month_starts_from_the_rest(march, bo):
    fix_march(march)
    ledger = march / "ledgers/main.beancount"
    before, _, _ = loader.load_file(str(ledger))
    accepted = reconcile(bo, march, "2025-03", "--statement-balance", "7576.00", "--accept")
    assert accepted.exit_code == 0, accepted.stderr
    assert "postings marked reconciled" in accepted.stderr
    entries, errors, _ = loader.load_file(str(ledger))
    assert not errors  # bean-check and fava read the marks and the balance assertion
    marked = [
        (e.date, p.units.number)
        for e in entries
        if type(e).__name__ == "Transaction"
        for p in e.postings
        if p.account == CHECKING and (p.meta or {}).get("reconciled") == "2025-03"
    ]
    assert len(marked) == 10  # every posting the statement's nine lines matched
    assert (entries[0].date,) and not [m for m in marked if m[1] == 10000]
    # The marks are posting metadata, no part of a closed period's lock.
    march_period = Period(2025, 3)
    assert period_digest(entries, march_period) == period_digest(before, march_period)
    again = reconcile(bo, march, "2025-03", "--accept")
    assert again.exit_code == 0 and "accepted already" in again.stderr
    assert ledger.read_text().count('reconciled: "2025-03"') == 10

    # April's statement has a second lunch at the deli, on the day the books date the first
    # (the March line they booked on April 1st). That entry is proven against March's
    # statement by its mark: even with March's record gone, April's line is new, to import
    # and reconcile alike.
    (march / "recs/2025-03/assets-bank-checking.yaml").unlink()
    (march / "statements/checking/2025-04.csv").write_text(
        "Date,Amount,Description\n2025-04-01,-42.00,CORNER DELI\n"
    )
    april = json.loads(reconcile(bo, march, "2025-04").stdout)
    assert [i["text"] for i in april["open"]["missing"]] == ["CORNER DELI"]
    assert april["matches"] == []
    statement = march / "statements/checking/2025-04.csv"
    plan = json.loads(bo("import", str(statement), "--json", "--dry-run", cwd=march).stdout)
    assert [a["payee"] for a in plan["added"]] == ["CORNER DELI"]
