"""January 2026 on the demo books, through the real CLI and git: bills and an invoice in,
approvals by two people, a payment run, the bank's January statements imported and
reconciled, the close run. The aging, the rec and the close agree; no entry is typed."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import EMAILS, OWNER, REVIEWER, git

# As First Coastal exports them: newest first, the bank's own words, posted on Tuesday the
# 20th (the run on Friday the 16th, Monday a holiday), with the balance carried from
# December's statement (105,283.81).
CHECKING = """\
Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #
DEBIT,01/30/2026,MONTHLY SERVICE FEE,-25.00,FEE_TRANSACTION,100839.81,
DEBIT,01/20/2026,ORIG CO NAME:ATLAS LEGAL LLP DESCR:PAYMENT SEC:CCD,-3200.00,ACH_DEBIT,100864.81,
DEBIT,01/20/2026,REDWOOD IT SVCS ACH PAYMENT,-640.00,ACH_DEBIT,104064.81,
DEBIT,01/20/2026,FERNWOOD PHOTOGRAPHY ACH PAYMENT,-475.00,ACH_DEBIT,104704.81,
DEBIT,01/20/2026,FERNWOOD PHOTOGRAPHY ACH PAYMENT,-9.00,ACH_DEBIT,105179.81,
DEBIT,01/20/2026,EVERGREEN PLANTSCAPES ACH PAYMENT,-95.00,ACH_DEBIT,105188.81,
"""
SAVINGS = """\
Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #
CREDIT,01/31/2026,INTEREST PAYMENT,78.02,MISC_CREDIT,45877.66,
"""
CARD = """\
Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit
2026-01-02,2026-01-03,3318,GOOGLE *GSUITE,Software,72.00,
2026-01-08,2026-01-09,3318,FIGMA MONTHLY SUBSCRIPTION,Software,75.00,
"""
PAID = {  # what the run owes on 2026-01-16: the two new bills and three due from December
    ("Atlas Legal LLP", "AL-7781"): "3200.00",
    ("Redwood IT Services", "RIT-2026-01"): "640.00",
    ("Fernwood Photography", "FP-0041"): "475.00",
    ("Fernwood Photography", "FP-0036"): "9.00",
    ("Evergreen Plantscapes", "EP44"): "95.00",
}


def run_as(bo, books: Path, name: str, *args: str):
    """`bo *args` run by `name` (git's user.email is who runs bo), then back to Dana."""
    git(books, "config", "user.email", EMAILS[name])
    try:
        return bo(*args, cwd=books)
    finally:
        git(books, "config", "user.email", "dana@larkspur.example")


def json_of(result) -> dict:
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return json.loads(result.stdout)


def test_a_month_of_bills_approvals_payments_and_the_bank_agree_on_the_demo_books(git_books, bo):
    books = git_books
    entered = [
        ("bill", "Atlas Legal LLP", "AL-7781", "2026-01-02", "net 14", "3200.00"),
        ("bill", "Redwood IT Services", "RIT-2026-01", "2026-01-05", "net 10", "640.00"),
        ("invoice", "Northwind Traders", "INV-1201", "2026-01-06", "net 45", "4800.00"),
    ]
    for kind, party, number, day, terms, amount in entered:
        out = bo(kind, "add", party, number, "--date", day, "--terms", terms, "--line", amount,
                 cwd=books)  # fmt: skip
        assert out.exit_code == 0, out.stderr

    # Both bills wait in `bo status`; the bookkeeper who entered them may not approve.
    tasks = json_of(bo("status", "--as-of", "2026-01-07", "--json", cwd=books))["tasks"]
    waiting = sorted(t["step"] for t in tasks if t["checklist"] == "approvals")
    assert waiting == ["Atlas Legal LLP AL-7781", "Redwood IT Services RIT-2026-01"]
    assert bo("approve", "Atlas Legal LLP", "AL-7781", cwd=books).exit_code == 3
    for vendor, number in (("Atlas Legal LLP", "AL-7781"), ("Redwood IT Services", "RIT-2026-01")):
        assert run_as(bo, books, REVIEWER, "approve", vendor, number).exit_code == 0

    # Above 2,500.00 a bill needs a second person: until then the run defers it.
    proposal = json_of(bo("pay", "--run", "2026-01-16", "--format", "json", cwd=books))
    assert [(d["vendor"], d["number"]) for d in proposal["report"]["deferred"]] == [
        ("Atlas Legal LLP", "AL-7781")
    ]
    assert run_as(bo, books, OWNER, "approve", "Atlas Legal LLP", "AL-7781").exit_code == 0

    run = bo("pay", "--run", "2026-01-16", "--commit", "--format", "json", cwd=books)
    assert run.exit_code == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)["report"]
    paid = {(p["vendor"], p["number"]): p["amount"] for p in report["payments"]}
    assert paid == PAID
    assert (books / "payments/2026-01-16.csv").read_text().count("\n") == 1 + len(PAID)

    # The bank's January statements, imported as they come: the five payments are in the
    # books already (bo pay wrote them), the service fee and the rest are new.
    for folder, text in (("checking", CHECKING), ("savings", SAVINGS), ("card", CARD)):
        (books / "statements" / folder / "2026-01.csv").write_text(text)
    checking = json_of(bo("import", "statements/checking/2026-01.csv", "--json", cwd=books))
    assert [(a["payee"], a["rule"]) for a in checking["added"]] == [
        ("MONTHLY SERVICE FEE", "First Coastal Bank")
    ]
    present = checking["present"]
    assert len(present) == 5 and {p["how"] for p in present} == {"paid"}
    assert {p["entries"][0].split(":")[0] for p in present} == {
        "ledgers/ap-ar/payments-2026-01.beancount"
    }
    for folder in ("savings", "card"):
        out = bo("import", f"statements/{folder}/2026-01.csv", cwd=books)
        assert out.exit_code == 0, out.stderr
    again = json_of(bo("import", "statements/checking/2026-01.csv", "--json", cwd=books))
    assert again["added"] == [] and len(again["present"]) == 6

    # The rec matches every line to one entry, the payments to the entries bo pay wrote.
    # Its difference is December's: the September wire fee (15.00) and transposed payment
    # (9.00) planted in the demo books, still unfixed; the month adds nothing to it.
    rec = json_of(
        bo("reconcile", "Assets:Bank:Checking", "--period", "2026-01", "--json", cwd=books)
    )
    payments = [m for m in rec["matches"] if "ap-ar/payments" in m["entries_at"][0]]
    assert len(rec["matches"]) == 6 and len(payments) == 5
    assert all(len(m["lines"]) == len(m["entries"]) == 1 for m in rec["matches"])
    assert rec["balances"]["difference"] == "-24.00"
    december = json_of(
        bo("reconcile", "Assets:Bank:Checking", "--period", "2025-12", "--json", cwd=books)
    )
    assert december["balances"]["difference"] == rec["balances"]["difference"]

    # The aging shows the bills paid: what is left is the planted Pixel Print debit balance.
    ap = json_of(bo("report", "aging-ap", "--as-of", "2026-01-31", "--format", "json", cwd=books))
    left = {(i["party"], i["invoice"]) for i in ap["report"]["items"]}
    assert ap["report"]["ties"] and not left & set(PAID)
    assert left == {("Pixel Print Co", "PP-2025-0016")}
    ar = json_of(bo("report", "aging-ar", "--as-of", "2026-01-31", "--format", "json", cwd=books))
    assert ar["report"]["ties"]
    assert [i["amount"] for i in ar["report"]["items"] if i["invoice"] == "INV-1201"] == ["4800.00"]

    git(books, "add", "-A")
    git(books, "commit", "-qm", "January statements and recs")
    bo("close", "2026-01", cwd=books)  # exit 1: a month without payroll has findings
    steps = yaml.safe_load((books / "closes/2026-01.yaml").read_text())["steps"]
    for step in ("ledger-valid", "imports", "cutoff", "duplicates", "ap-aging", "ar-aging"):
        assert steps[step]["status"] == "passed", (step, steps[step])
    details = "\n".join(steps["bank-rec"]["details"])
    assert "Assets:Bank:Checking: difference -24.00" in details
    assert "Assets:Bank:Savings: difference 0.00" in details
    assert git(books, "status", "--porcelain").strip() == ""
