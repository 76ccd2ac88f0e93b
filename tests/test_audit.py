"""`bo audit` over a real git books repo: entries per commit, authors, a backdated edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import OWNER, PREPARER, REVIEWER, SHORT_CLOSE, git
from tests.test_close import sign_all


def commit_as(books, name: str, email: str, message: str, *flags: str) -> None:
    git(books, "add", "-A")
    git(
        books,
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email}",
        "commit",
        *flags,
        "-qm",
        message,
    )


def test_audit_reports_entries_by_author_and_flags_a_backdated_edit(short, bo):
    # Dana imports September's missing fee; Sam corrects a narration.
    assert bo("import", "statements/checking/2025-09.csv", cwd=short).exit_code in (0, 1)
    commit_as(short, PREPARER, "dana@larkspur.example", "Import September checking")
    ledger = short / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text().replace("Rent September 2025", "Rent Sept 2025", 1))
    commit_as(short, REVIEWER, "sam@larkspur.example", "Fix rent narration")

    # August closes and locks; then someone edits an August entry.
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")
    assert bo("close", "2025-08", cwd=short).exit_code == 0
    ledger.write_text(ledger.read_text().replace("Rent August 2025", "Rent Aug 2025", 1))
    commit_as(short, OWNER, "priya@larkspur.example", "Tidy August")

    result = bo("audit", "--json", cwd=short)
    assert result.exit_code == 1  # the backdated edit is flagged
    commits = {c["subject"]: c for c in json.loads(result.stdout)["commits"]}

    imported = commits["Import September checking"]
    assert imported["author"] == PREPARER
    added = [c for c in imported["changes"] if c["change"] == "added"]
    assert any("INCOMING WIRE FEE" in c["what"] for c in added)
    assert all(c["where"].startswith("ledgers/imports/") for c in added)

    fixed = commits["Fix rent narration"]
    assert fixed["author"] == REVIEWER
    (change,) = fixed["changes"]
    assert change["change"] == "changed" and change["fields"] == ["narration"]
    assert change["where"].startswith("ledgers/2025.beancount:")
    assert not fixed["flags"]

    tidy = commits["Tidy August"]
    assert tidy["author"] == OWNER
    assert any("locked period 2025-08" in flag for flag in tidy["flags"])
    # bo's own commit of the close is not flagged for touching bo's files.
    assert not commits["close 2025-08: 3/3 steps, locked"]["flags"]

    # The terminal form names the commit, the author and the flag.
    text = bo("audit", "--period", "2025-08", cwd=short).stdout
    assert "Priya Shah: Tidy August" in text and "FLAG changed an entry in locked period" in text


def test_audit_is_cached_by_commit(short, bo):
    bo("audit", cwd=short)
    cached = list((short / ".bo/cache/audit").glob("*.json"))
    assert cached
    again = bo("audit", "--json", cwd=short)
    assert again.exit_code == 0


AUGUST_CSV = """\
Date,Description,Amount,Balance
08/01/2025,OPENING DEPOSIT,12000.00,12000.00
08/05/2025,FIGMA INC,-45.00,11955.00
08/14/2025,CLIENT PAYMENT BELLWEATHER,3200.00,15155.00
08/28/2025,GITHUB,-21.00,15134.00
"""

RENT = """\
2025-08-01 * "Keystone Properties" "Rent August 2025"
  Expenses:Rent                 2400.00 USD
  Liabilities:AccountsPayable  -2400.00 USD
"""


def test_audit_of_books_started_with_bo_init(tmp_path, bo, monkeypatch):
    """From `bo init` to a flagged backdated edit, every step through the CLI."""
    # The pre-commit hook `bo init` installs runs `bo check` on every commit below.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert bo("init", "acme", "--name", "Acme Studio LLC", cwd=tmp_path).exit_code == 0
    books = tmp_path / "acme"
    settings = (books / "bo.yaml").read_text()
    for role, name in (("Bookkeeper", PREPARER), ("Controller", REVIEWER), ("Owner", OWNER)):
        settings = settings.replace(f"- name: {role}\n", f"- name: {name}\n")
    settings = settings.replace(
        "    # statement: {format: bank-csv, dir: statements/checking}",
        "    statement: {format: bank-csv, dir: statements/checking}",
    )
    (books / "bo.yaml").write_text(settings)
    (books / "sops/month-end.yaml").write_text(SHORT_CLOSE)
    main = books / "ledgers/main.beancount"
    main.write_text(
        main.read_text().replace('; include "2025.beancount"', 'include "2025.beancount"')
    )
    assert "Expenses:Rent" in (books / "ledgers/accounts.beancount").read_text()
    (books / "ledgers/2025.beancount").write_text("; 2025, by hand\n")
    commit_as(books, PREPARER, "dana@acme.example", "Set up the books")

    # Dana imports August's bank statement; Sam books the rent by hand.
    (books / "statements/checking").mkdir(parents=True)
    (books / "statements/checking/2025-08.csv").write_text(AUGUST_CSV)
    imported = bo("import", "statements/checking/2025-08.csv", cwd=books)
    assert imported.exit_code in (0, 1), imported.stderr
    commit_as(books, PREPARER, "dana@acme.example", "Import August checking")
    ledger = books / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text() + "\n" + RENT)
    commit_as(books, REVIEWER, "sam@acme.example", "Book August rent")

    # August closes and locks; then Priya changes the rent after the lock.
    first = bo("close", "2025-08", cwd=books)
    assert first.exit_code == 1, first.stdout + first.stderr  # passed, awaiting sign-off
    sign_all(bo, books, "2025-08")
    assert bo("close", "2025-08", cwd=books).exit_code == 0
    ledger.write_text(ledger.read_text().replace("2400.00 USD", "2600.00 USD"))
    with pytest.raises(subprocess.CalledProcessError) as refused:
        commit_as(books, OWNER, "priya@acme.example", "Rent was higher")
    assert "2025-08" in refused.value.stdout + refused.value.stderr  # the hook names the lock
    commit_as(books, OWNER, "priya@acme.example", "Rent was higher", "--no-verify")

    result = bo("audit", "--json", cwd=books)
    assert result.exit_code == 1, result.stderr
    commits = {c["subject"]: c for c in json.loads(result.stdout)["commits"]}

    imports = commits["Import August checking"]
    assert imports["author"] == PREPARER
    added = [c for c in imports["changes"] if c["change"] == "added"]
    assert len(added) == 4 and any("FIGMA" in c["what"] for c in added)
    assert not imports["flags"]

    rent = commits["Book August rent"]
    assert rent["author"] == REVIEWER
    (change,) = rent["changes"]
    assert change["change"] == "added" and "Rent August 2025" in change["what"]

    later = commits["Rent was higher"]
    assert later["author"] == OWNER
    (change,) = later["changes"]
    assert change["change"] == "changed" and change["where"].startswith("ledgers/2025.beancount:")
    assert any("locked period 2025-08" in flag for flag in later["flags"])
    assert not commits["close 2025-08: 3/3 steps, locked"]["flags"]
