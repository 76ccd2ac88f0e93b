"""A month of payables and receivables on fresh `bo init` books, through the real CLI and
git: bills and an invoice in, approvals by two people, a payment run, the bank statement
that shows the payments imported and reconciled; the aging, the rec and the close agree.
No entry is typed by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import git

POLICY = """
approvals:
  idle_days: 2
  bands:
    - {above: 0.00 USD, approvers: 1, roles: [controller, owner]}
    - {above: 1000.00 USD, approvers: 2, roles: [controller, owner]}
"""
RULES = """rules:
  - name: Owner money in
    match: {payee: OWNER CONTRIBUTION}
    set: {account: Equity:Owner:Contributions}
"""
VENDORS = {
    "pixel-print": "name: Pixel Print Co\naliases: [PIXEL PRINT]\nterms: net 30\n"
    "account: Expenses:Office\nonboarded: 2026-01-05\n",
    "copper-legal": "name: Copper Legal LLP\naliases: [COPPER LEGAL]\nterms: net 15\n"
    "account: Expenses:Professional\nonboarded: 2026-02-01\n"
    "tax_id: {kind: W-9, number: 12-3456789, document: documents/w9/copper.pdf}\n",
}
EMAILS = {
    "Bookkeeper": "books@acme.example",
    "Controller": "control@acme.example",
    "Owner": "owner@acme.example",
    "Sam Okafor": "sam@larkspur.example",
    "Priya Shah": "priya@larkspur.example",
}
CUSTOMER = "name: Northwind Traders\nemail: ap@northwind.example\naccount: Income:Services\n"
HEADER = "Date,Description,Amount,Balance\n"
NOVEMBER = HEADER + "11/30/2026,OWNER CONTRIBUTION,20000.00,20000.00\n"
# The bank's export after the run, in its own words: the ACH posted the next day, the wire
# on Monday with the end-to-end id bo put in the payment file.
DECEMBER = HEADER + (
    "12/11/2026,ACH DEBIT PIXEL PRINT CO PPD ID: 9876543210,-400.00,19600.00\n"
    "12/14/2026,WIRE TYPE:BOOK OUT DATE:261214 BNF:COPPER LEGAL LLP REF:20261210-CL-88,"
    "-2500.00,17100.00\n"
)


def run_as(bo, books: Path, name: str, *args: str):
    """`bo *args` run by `name` (git's user.email is who runs bo), then back to the enterer."""
    default = git(books, "config", "user.email").strip()
    git(books, "config", "user.email", EMAILS[name])
    try:
        return bo(*args, cwd=books)
    finally:
        git(books, "config", "user.email", default)


@pytest.fixture
def fresh(tmp_path: Path, bo, monkeypatch: pytest.MonkeyPatch) -> Path:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    # The books' pre-commit hook runs `bo check`: this bo.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    books = tmp_path / "acme"
    assert bo("init", str(books), "--name", "Acme Studio").exit_code == 0
    git(books, "config", "user.name", "Bookkeeper")
    git(books, "config", "user.email", "books@acme.example")
    settings = books / "bo.yaml"
    text = settings.read_text().replace(
        "statement: {format: plain, dir: statements/checking}",
        "statement: {format: plain-balance, dir: statements/checking}",
    )
    # These books have no card (its statements would be missing at the close).
    text = text.replace("  Liabilities:CreditCard:\n    role: card\n", "")
    text = text.replace("rules: []", RULES) + POLICY
    # Three people, one role each; bo knows who runs it by git's user.email.
    people = "".join(
        f"  - {{name: {name}, email: {EMAILS[name]}, roles: [{name.lower()}]}}\n"
        for name in ("Bookkeeper", "Controller", "Owner")
    )
    start, end = text.index("people:\n") + len("people:\n"), text.index("\n# Who reviews")
    text = text[:start] + people + text[end:]
    settings.write_text(text)
    for slug, record in VENDORS.items():
        path = books / "parties/vendors" / f"{slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record)
    (books / "parties/customers").mkdir(parents=True)
    (books / "parties/customers/northwind.yaml").write_text(CUSTOMER)
    git(books, "add", "-A")
    git(books, "commit", "-qm", "policy and parties")
    return books


def november_in(books: Path, bo) -> Path:
    """The owner's money in, imported from November's statement: the statements' folder."""
    statements = books / "statements/checking"
    statements.mkdir(parents=True)
    (statements / "2026-11.csv").write_text(NOVEMBER)
    assert bo("import", "statements/checking/2026-11.csv", cwd=books).exit_code == 0
    return statements


def test_bills_approvals_payment_run_import_reconcile_and_close_agree(fresh, bo):
    books = fresh
    statements = november_in(books, bo)

    out = bo("bill", "add", "Pixel Print Co", "PP-0016", "--date", "2026-11-05",
             "--line", "400.00", cwd=books)  # fmt: skip
    assert out.exit_code == 0, out.stderr
    out = bo("bill", "add", "copper legal", "CL-88", "--date", "2026-11-25",
             "--line", "Expenses:Professional=2500.00", cwd=books)  # fmt: skip
    assert out.exit_code == 0, out.stderr
    out = bo("invoice", "add", "Northwind Traders", "INV-1112", "--date", "2026-12-02",
             "--line", "3000.00", cwd=books)  # fmt: skip
    assert out.exit_code == 0, out.stderr

    # The enterer may not approve; the large bill needs two people.
    out = bo("approve", "Pixel Print Co", "PP-0016", cwd=books)
    assert out.exit_code == 3 and "someone else must approve" in out.stderr
    assert run_as(bo, books, "Controller", "approve", "Pixel Print Co", "PP-0016").exit_code == 0
    assert run_as(bo, books, "Controller", "approve", "Copper Legal LLP", "CL-88").exit_code == 0
    proposal = bo("pay", "--run", "2026-12-10", "--format", "md", cwd=books)
    assert proposal.exit_code == 1  # the Copper Legal bill waits for its second approval
    assert "needs 1 more approval (above 1,000.00 USD, approved by Controller)" in (proposal.stdout)
    assert run_as(bo, books, "Owner", "approve", "Copper Legal LLP", "CL-88").exit_code == 0

    run = bo("pay", "--run", "2026-12-10", "--commit", cwd=books)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert (books / "payments/2026-12-10.csv").read_text().count("\n") == 3
    again = bo("pay", "--run", "2026-12-10", "--commit", cwd=books)
    assert again.exit_code == 0 and "nothing written" in again.stderr

    # The bank's next export shows the payments: they are in the books already.
    (statements / "2026-12.csv").write_text(DECEMBER)
    imported = bo("import", "statements/checking/2026-12.csv", "--json", cwd=books)
    assert imported.exit_code == 0, imported.stdout

    summary = json.loads(imported.stdout)
    assert summary["added"] == [] and [p["how"] for p in summary["present"]] == ["paid"] * 2
    rec = bo("reconcile", "Assets:Bank:Checking", "--period", "2026-12", "--json", cwd=books)
    assert rec.exit_code == 0, rec.stdout
    matches = json.loads(rec.stdout)["matches"]
    assert (
        sorted(m["entries_at"][0].split(":")[0] for m in matches)
        == ["ledgers/ap-ar/payments-2026-12.beancount"] * 2
    )

    ap = bo("report", "aging-ap", "--as-of", "2026-12-31", "--format", "json", cwd=books)
    assert ap.exit_code == 0, ap.stderr
    ap_report = json.loads(ap.stdout)["report"]
    assert ap_report["ties"] and ap_report["total"] == "0.00"
    ar = bo("report", "aging-ar", "--as-of", "2026-12-31", "--format", "json", cwd=books)
    assert ar.exit_code == 0 and json.loads(ar.stdout)["report"]["total"] == "3000.00"

    git(books, "add", "-A")
    git(books, "commit", "-qm", "December statements")
    bo("close", "2026-12", cwd=books)  # exit 1: steps await sign-off
    steps = yaml.safe_load((books / "closes/2026-12.yaml").read_text())["steps"]
    for step in ("bank-rec", "ap-aging", "ar-aging", "duplicates", "ledger-valid"):
        assert steps[step]["status"] == "passed", (step, steps[step])
    assert git(books, "status", "--porcelain").strip() == ""


def _ledger_state(books: Path) -> tuple[str, str]:
    ledgers = sorted((books / "ledgers").rglob("*.beancount"))
    return git(books, "rev-parse", "HEAD"), "".join(p.read_text() for p in ledgers)


def test_bad_input_exits_2_or_3_with_the_reason_and_writes_nothing(fresh, bo):
    books = fresh
    out = bo("bill", "add", "Pixel Print Co", "INV-0042", "--date", "2026-11-05",
             "--line", "400.00", cwd=books)  # fmt: skip
    assert out.exit_code == 0
    before = _ledger_state(books)
    cases = [
        (2, "unknown vendor `Bramble Paper`",
         ["bill", "add", "Bramble Paper", "1", "--date", "2026-11-05", "--line", "X:Y=1"]),
        (2, "unknown customer `Bramble Paper`",
         ["invoice", "add", "Bramble Paper", "1", "--date", "2026-11-05", "--line", "9.00"]),
        # The same number spelled another way, under the vendor's alias.
        (3, "ledgers/ap-ar/bills-2026-11.beancount:4",
         ["bill", "add", "PIXEL PRINT", "inv 42", "--date", "2026-11-09", "--line", "400.00"]),
        (2, "amount in EUR, but Pixel Print Co is billed in USD",
         ["bill", "add", "Pixel Print Co", "PP-9", "--date", "2026-11-05", "--line",
          "400.00 EUR"]),
        (2, "amount in GBP, but Northwind Traders is billed in USD",
         ["invoice", "add", "Northwind Traders", "N-1", "--date", "2026-11-05", "--line",
          "Income:Services=90.00 GBP"]),
        (3, "Bookkeeper entered bill INV-0042", ["approve", "Pixel Print Co", "INV-0042"]),
        (2, "--as Bookkeeper2: not in bo.yaml people",
         ["approve", "Pixel Print Co", "INV-0042", "--as", "Bookkeeper2"]),
        (2, "never opens Expenses:Nowhere",
         ["bill", "add", "Pixel Print Co", "PP-10", "--date", "2026-11-05", "--line",
          "Expenses:Nowhere=5.00"]),
        (2, "Expenses:Office is not a `role: bank` account",
         ["pay", "--run", "2026-12-31", "--commit", "--from", "Expenses:Office"]),
    ]  # fmt: skip
    for code, reason, args in cases:
        result = bo(*args, cwd=books)
        assert (result.exit_code, reason in result.stderr) == (code, True), (args, result)
        assert "Traceback" not in result.stderr
        # Nothing written: the ledger, the git history and the work tree are as they were.
        assert _ledger_state(books) == before, args
        assert git(books, "status", "--porcelain").strip() == "", args


def test_payment_proposal_and_reminder_letter_golden(fresh, bo, golden):
    books = fresh
    with open(books / "bo.yaml", "a") as handle:
        handle.write(
            "payments: {iban: DE89370400440532013000, bic: COBADEFFXXX, "
            "discount_account: Income:Other}\n"
        )
    record = books / "parties/vendors/pixel-print.yaml"
    record.write_text(
        record.read_text().replace("net 30", "2/10 net 30")
        + "remittance: {iban: GB29NWBK60161331926819, bic: NWBKGB2LXXX}\n"
    )
    with open(books / "parties/vendors/copper-legal.yaml", "a") as handle:
        handle.write("remittance: {iban: FR1420041010050500013M02606}\n")
    git(books, "commit", "-qam", "IBANs and discount terms")
    statements = books / "statements/checking"
    statements.mkdir(parents=True)
    (statements / "2026-11.csv").write_text(HEADER + "11/30/2026,OWNER CONTRIBUTION,8000.00,8000\n")
    assert bo("import", "statements/checking/2026-11.csv", cwd=books).exit_code == 0
    entered = [
        ("bill", "Pixel Print Co", "PP-0101", "2026-12-01", "1000.00"),  # 2% off to 12-11
        ("bill", "Copper Legal LLP", "CL-7", "2026-11-20", "900.00"),  # due 12-05
        ("bill", "Copper Legal LLP", "CL-8", "2026-11-22", "2800.00"),  # due 12-07: no cash
        ("bill", "Pixel Print Co", "PP-0102", "2026-11-01", "50.00"),  # unapproved
        (
            "invoice",
            "Northwind Traders",
            "INV-7",
            "2026-10-01",
            "1200.00",
        ),  # 39 days past due: second notice
        ("invoice", "Northwind Traders", "INV-9", "2026-11-20", "300.00"),  # not due yet
    ]
    for kind, party, number, day, amount in entered:
        out = bo(kind, "add", party, number, "--date", day, "--line", amount, cwd=books)
        assert out.exit_code == 0, out.stderr
    for number, vendor in (("PP-0101", "Pixel Print Co"), ("CL-7", "Copper Legal LLP")):
        assert run_as(bo, books, "Controller", "approve", vendor, number).exit_code == 0
    for who in ("Controller", "Owner"):
        assert run_as(bo, books, who, "approve", "Copper Legal LLP", "CL-8").exit_code == 0

    proposal = bo("pay", "--run", "2026-12-09", "--format", "md", cwd=books)
    assert proposal.exit_code == 1
    golden("payrun-2026-12-09.md", proposal.stdout)

    run = bo("pay", "--run", "2026-12-09", "--commit", cwd=books)
    assert run.exit_code == 1, run.stderr
    xml = (books / "payments/2026-12-09.xml").read_text()
    assert "pain.001.001.03" in xml and '<InstdAmt Ccy="USD">980.00</InstdAmt>' in xml
    payments = (books / "ledgers/ap-ar/payments-2026-12.beancount").read_text()
    assert "Income:Other" in payments and "-20.00 USD" in payments

    reminders = books / "out"
    remind = bo("remind", "--as-of", "2026-12-09", "--out", str(reminders), cwd=books)
    assert remind.exit_code == 1
    assert "Northwind Traders" in remind.stdout and "second notice" in remind.stdout
    golden("remind-northwind.md", (reminders / "northwind-traders.md").read_text())
    golden("remind-northwind.html", (reminders / "northwind-traders.html").read_text())
    eml = (reminders / "northwind-traders.eml").read_text()
    assert "To: ap@northwind.example" in eml and "multipart/alternative" in eml
    # Nothing at a dunning stage yet: silent, exit 0, for cron.
    quiet = bo("remind", "--as-of", "2026-10-05", cwd=books)
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


EXPORT = """\
Contact Name,Invoice Number,Invoice Date,Due Date,Description,Account,Amount,Tax
Northwind Traders,INV-2001,2026-11-02,2026-12-02,Brand refresh,Income:Services,1800.00,
Northwind Traders,INV-2001,2026-11-02,2026-12-02,Print management,Income:Other,200.00,
Foxglove Books,INV-2002,2026-11-09,,Catalog layout,,950.00,
"""


def test_invoice_import_from_a_csv_export_once_and_all_or_nothing(fresh, bo):
    books = fresh
    (books / "parties/customers/foxglove.yaml").write_text(
        "name: Foxglove Books\nterms: net 15\naccount: Income:Services\n"
    )
    git(books, "add", "-A")
    git(books, "commit", "-qm", "Foxglove")
    export = books / "export.csv"
    export.write_text(EXPORT)
    out = run_as(bo, books, "Bookkeeper", "invoice", "import", str(export))
    assert out.exit_code == 0, out.stderr
    text = (books / "ledgers/ap-ar/invoices-2026-11.beancount").read_text()
    assert text.count('invoice: "INV-2001"') == 1 and "due: 2026-11-24" in text
    assert "Assets:AccountsReceivable                        2000.00 USD" in text
    again = run_as(bo, books, "Bookkeeper", "invoice", "import", str(export))
    assert again.exit_code == 0 and "added 0 invoices, skipped 2" in again.stderr
    assert "export.csv:4: INV-2002 of Foxglove Books: in the books" in again.stderr

    before = _ledger_state(books)
    export.write_text(EXPORT.replace("INV-2002", "INV-2003") + "Nobody Ltd,9,2026-11-10,,,,5,\n")
    bad = run_as(bo, books, "Bookkeeper", "invoice", "import", str(export))
    assert bad.exit_code == 2 and "export.csv:5: unknown customer `Nobody Ltd`" in bad.stderr
    assert _ledger_state(books) == before


def test_1099_lists_vendors_paid_over_the_threshold_and_flags_a_missing_tax_id(demo, bo):
    out = bo("report", "1099", "--year", "2025", "--format", "md", cwd=demo)
    assert out.exit_code == 1
    assert "| Blue Harbor Copywriting | Blue Harbor Copywriting | 12,275.00 | **missing** |" in (
        out.stdout
    )
    assert "| Pixel Print Co | Pixel Print Co | 9,915.00 | W-9 ***0960 |" in out.stdout
    assert out.stderr.strip() == (
        "attention: Blue Harbor Copywriting: paid 12,275.00, no tax id on file"
    )
    assert bo("report", "1099", cwd=demo).exit_code == 2


def test_1099_as_csv_and_as_a_workbook_carries_the_same_vendors(demo, bo, tmp_path):
    import csv

    from openpyxl import load_workbook

    out = bo("report", "1099", "--year", "2025", "--format", "csv", cwd=demo)
    assert out.exit_code == 1
    rows = list(csv.DictReader(out.stdout.splitlines()))
    paid = {row["vendor"]: (row["paid"], row["tax_id"]) for row in rows}
    assert paid["Blue Harbor Copywriting"] == ("12275.00", "")
    assert paid["Pixel Print Co"] == ("9915.00", "W-9 ***0960")

    made = bo("report", "1099", "--year", "2025", "--format", "xlsx", "--out", str(tmp_path),
              cwd=demo)  # fmt: skip
    assert made.exit_code == 1 and "1099-2025.xlsx" in made.stderr
    sheet = load_workbook(tmp_path / "1099-2025.xlsx").active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[:3] == ["Vendor", "Legal name", "Paid"])
    listed = {row[0]: row[2] for row in cells[header + 1 :] if isinstance(row[2], (int, float))}
    assert listed["Pixel Print Co"] == 9915 and listed["Blue Harbor Copywriting"] == 12275
    assert len(listed) == len(rows)
    assert not (demo / "reports" / "1099-2025.xlsx").exists()


def test_credit_notes_are_taken_off_the_run_and_the_aging_closes_both(fresh, bo):
    books = fresh
    statements = november_in(books, bo)
    entered = [
        ("Pixel Print Co", "PP-0201", "2026-11-01", "1000.00"),
        ("Pixel Print Co", "CN-0201", "2026-11-10", "-150.00"),  # a misprint credited
        ("Copper Legal LLP", "CL-90", "2026-11-12", "150.00"),
        ("Copper Legal LLP", "CLC-3", "2026-11-13", "-200.00"),  # more than the bill
    ]
    for vendor, number, day, amount in entered:
        out = bo("bill", "add", vendor, number, "--date", day, f"--line={amount}", cwd=books)
        assert out.exit_code == 0, out.stderr
        assert out.stdout.startswith("credit note" if amount[0] == "-" else "bill")
    reused = bo("bill", "add", "Pixel Print Co", "cn 0201", "--date", "2026-11-11",
                "--line=-10.00", cwd=books)  # fmt: skip
    assert reused.exit_code == 3 and "CN-0201 of Pixel Print Co is in the books" in reused.stderr
    for vendor, number in (("Pixel Print Co", "PP-0201"), ("Copper Legal LLP", "CL-90")):
        assert run_as(bo, books, "Controller", "approve", vendor, number).exit_code == 0

    run = bo("pay", "--run", "2026-12-01", "--commit", "--format", "json", cwd=books)
    assert run.exit_code == 0, run.stdout + run.stderr
    paid = {
        p["number"]: (p["credit"], p["amount"])
        for p in json.loads(run.stdout)["report"]["payments"]
    }
    assert paid == {"PP-0201": ("150.00", "850.00"), "CL-90": ("150.00", "0.00")}
    # Only money that leaves the bank is in the bank's file.
    rows = (books / "payments/2026-12-01.csv").read_text().splitlines()
    assert len(rows) == 2 and ",PP-0201,850.00," in rows[1]

    ap = bo("report", "aging-ap", "--as-of", "2026-12-01", "--format", "json", cwd=books)
    report = json.loads(ap.stdout)["report"]
    left = [(i["invoice"], i["amount"]) for i in report["items"]]
    assert report["ties"] and left == [("CLC-3", "-50.00")]

    (statements / "2026-12.csv").write_text(
        HEADER + "12/02/2026,ACH DEBIT PIXEL PRINT CO PPD ID: 9876543210,-850.00,19150.00\n"
    )
    imported = bo("import", "statements/checking/2026-12.csv", "--json", cwd=books)
    summary = json.loads(imported.stdout)
    assert summary["added"] == [] and [p["how"] for p in summary["present"]] == ["paid"]
    assert bo("check", cwd=books).exit_code == 0


def test_1099_out_to_a_folder_as_text_is_bad_input(demo, bo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = bo("report", "1099", "--year", "2025", "--format", "csv", "--out", str(folder),
             cwd=demo)  # fmt: skip
    assert out.exit_code == 2
    assert f"--out {folder}: cannot write it" in out.stderr
    assert list(folder.iterdir()) == []
