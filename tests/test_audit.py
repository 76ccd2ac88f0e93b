"""`bo audit` over a real git books repo: entries per commit, authors, a backdated edit."""

from __future__ import annotations

import json

from tests.conftest import OWNER, PREPARER, REVIEWER, git
from tests.test_close import sign_all


def commit_as(books, name: str, email: str, message: str) -> None:
    git(books, "add", "-A")
    git(books, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qm", message)


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
