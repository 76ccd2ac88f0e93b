"""`bo close`, `bo signoff`, `bo reopen` on the demo books, through the real CLI and git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from beancount import loader

from tests.conftest import OWNER, PREPARER, REVIEWER, SHORT_CLOSE, git  # noqa: F401


@pytest.fixture
def books(git_books: Path) -> Path:
    """In this module, `books` are the demo books as their own git repo."""
    return git_books


def record(books: Path, period: str) -> dict:
    return yaml.safe_load((books / f"closes/{period}.yaml").read_text())


def statuses(books: Path, period: str) -> dict[str, str]:
    return {sid: step["status"] for sid, step in record(books, period)["steps"].items()}


def test_september_shows_the_planted_problems_as_failing_steps(books, bo):
    result = bo("close", "2025-09", cwd=books)
    assert result.exit_code == 1, result.stderr
    steps = statuses(books, "2025-09")
    assert steps["bank-rec"] == "failed"
    assert steps["uncategorized"] == "failed"
    assert steps["review"] == "blocked"
    assert "INCOMING WIRE FEE" in result.stdout
    assert "FERNWOOD PHOTOGRAPHY" in result.stdout and "-9.00" in result.stdout
    assert "SQ *COFFEE CART 4471" in result.stdout
    aging = record(books, "2025-09")["steps"]["ar-aging"]["details"]
    assert any("past due" in line and "Bellweather Foods" in line for line in aging)
    report = (books / "reports/2025-09/close.md").read_text()
    assert "| bank-rec | failed |" in report
    # The close committed what it wrote, and only that.
    assert git(books, "log", "-1", "--format=%s").startswith("close 2025-09: ")
    assert git(books, "status", "--porcelain").strip() == ""


def test_schedules_are_posted_once(books, bo):
    bo("close", "2025-09", cwd=books)
    closing = books / "ledgers/closing/2025-09.beancount"
    text = closing.read_text()
    assert text.count('schedule: "depreciation-equipment-2023"') == 1
    assert "reversal: TRUE" in text  # the accrual's reversal on October 1st
    bo("close", "2025-09", cwd=books)
    assert closing.read_text() == text
    _, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    assert not errors


def test_a_dirty_tree_is_refused(books, bo):
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write("\n")
    result = bo("close", "2025-09", cwd=books)
    assert result.exit_code == 3
    assert "uncommitted changes" in result.stderr
    assert not (books / "closes").exists()


def test_signoff_keeps_duties_apart(books, bo):
    bo("close", "2025-09", cwd=books)
    # The controller may not sign a step the controller owns as its reviewer too.
    assert bo("signoff", "2025-09", "ledger-valid", "--as", PREPARER, cwd=books).exit_code == 0
    refused = bo("signoff", "2025-09", "flux", "--as", PREPARER, cwd=books)
    assert refused.exit_code == 3  # flux is the controller's and the owner's
    failing = bo("signoff", "2025-09", "bank-rec", "--as", PREPARER, cwd=books)
    assert failing.exit_code == 3 and "fix it" in failing.stderr
    unknown = bo("signoff", "2025-09", "--as", "Nobody", cwd=books)
    assert unknown.exit_code == 2
    signed = record(books, "2025-09")["signoffs"]["ledger-valid"]
    assert signed["preparer"]["name"] == PREPARER and "reviewer" not in signed


def test_explanations_clear_the_flux_step(books, bo):
    bo("close", "2025-09", cwd=books)
    assert statuses(books, "2025-09")["flux"] == "failed"
    git(books, "add", "-A")
    git(books, "commit", "-qm", "first close run", "--allow-empty")
    result = bo(
        "close",
        "2025-09",
        "--explain",
        "Income:Services=August had two large launches",
        cwd=books,
    )
    assert statuses(books, "2025-09")["flux"] == "passed", result.stdout
    assert record(books, "2025-09")["explanations"] == {
        "Income:Services": "August had two large launches"
    }


def test_bad_explain_and_period_are_bad_input(books, bo):
    assert bo("close", "2025-13", cwd=books).exit_code == 2
    assert bo("close", "2025-09", "--explain", "no equals sign", cwd=books).exit_code == 2


def test_reopen_needs_a_locked_period(books, bo):
    result = bo("reopen", "2025-09", "--reason", "late bill", cwd=books)
    assert result.exit_code == 3


def test_checklist_with_unknown_check_names_file_and_line(books, bo):
    path = books / "sops/month-end.yaml"
    path.write_text(path.read_text().replace("check: suspense-zero", "check: suspense-zeroo"))
    git(books, "commit", "-qam", "typo")
    result = bo("close", "2025-09", cwd=books)
    assert result.exit_code == 2
    assert "sops/month-end.yaml:" in result.stderr and "suspense-zeroo" in result.stderr


def sign_all(bo, books: Path, period: str) -> None:
    for name in (PREPARER, REVIEWER, OWNER):
        result = bo("signoff", period, "--as", name, cwd=books)
        assert result.exit_code == 0, result.stderr


def test_signed_off_close_locks_and_a_later_edit_is_named(short, bo):
    first = bo("close", "2025-08", cwd=short)
    assert first.exit_code == 1  # everything passed, nothing signed yet
    sign_all(bo, short, "2025-08")
    locked = bo("close", "2025-08", cwd=short)
    assert locked.exit_code == 0, locked.stdout + locked.stderr
    assert record(short, "2025-08")["locked"]["digest"]
    assert "close/2025-08" in git(short, "tag")
    assert git(short, "log", "-1", "--format=%s").strip() == "close 2025-08: 3/3 steps, locked"
    assert 'plugin "bo.plugins.lock"' in (short / "ledgers/main.beancount").read_text()
    assert bo("check", cwd=short).exit_code == 0

    # Someone edits a locked August entry: bo check and bean-check both name it.
    ledger = short / "ledgers/2025.beancount"
    text = ledger.read_text()
    ledger.write_text(text.replace("Rent August 2025", "Rent for August 2025", 1))
    line = next(
        n for n, row in enumerate(ledger.read_text().splitlines(), 1) if "Rent for August" in row
    )
    check = bo("check", "--no-cache", cwd=short)
    assert check.exit_code == 1
    assert f"ledgers/2025.beancount:{line}: entry in locked period 2025-08" in check.stdout
    assert "Rent August 2025" in check.stdout  # the removed version, from the record
    _, errors, _ = loader.load_file(str(short / "ledgers/main.beancount"))
    assert any("locked period 2025-08" in e.message for e in errors)

    # A second close of a locked period is refused; reopening is on the record.
    assert bo("close", "2025-08", cwd=short).exit_code == 3
    assert bo("reopen", "2025-08", "--reason", "", cwd=short).exit_code == 2
    reopened = bo("reopen", "2025-08", "--reason", "rent narration corrected", cwd=short)
    assert reopened.exit_code == 0
    history = record(short, "2025-08")["history"]
    assert history[-1]["reason"] == "rent narration corrected"
    assert bo("check", "--no-cache", cwd=short).exit_code == 0


def test_a_signoff_goes_stale_when_the_period_changes(short, bo):
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")
    ledger = short / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text().replace("Rent August 2025", "Rent (Aug) 2025", 1))
    git(short, "commit", "-qam", "fix narration")
    result = bo("close", "2025-08", cwd=short)
    assert result.exit_code == 1  # the sign-offs saw other entries
    assert "awaiting sign-off" in result.stdout
    assert not record(short, "2025-08").get("locked")


def test_a_second_run_of_a_closed_month_changes_no_file(short, bo):
    bo("close", "2025-07", cwd=short)
    sign_all(bo, short, "2025-07")
    assert bo("close", "2025-07", cwd=short).exit_code == 0
    head = git(short, "rev-parse", "HEAD")
    assert bo("close", "2025-07", cwd=short).exit_code == 3  # locked: refused, nothing written
    assert git(short, "rev-parse", "HEAD") == head
    assert git(short, "status", "--porcelain").strip() == ""


def explain_flagged(bo, books: Path, period: str) -> list[str]:
    """Write an explanation for every flux line the close flagged (as the controller would)."""
    flux = record(books, period)["steps"]["flux"]
    accounts = [
        line.split(": ", 1)[0] for line in flux["details"] if line.endswith("needs an explanation")
    ]
    return [
        f"--explain={account}=reviewed: volume of work moved between months" for account in accounts
    ]


def close_for_good(bo, books: Path, period: str) -> None:
    first = bo("close", period, cwd=books)
    assert first.exit_code == 1, first.stdout + first.stderr
    explain = explain_flagged(bo, books, period)
    if explain:
        again = bo("close", period, *explain, cwd=books)
        assert again.exit_code == 1
    failing = {s: v for s, v in statuses(books, period).items() if v in ("failed", "error")}
    assert not failing, f"{period}: {failing}\n{record(books, period)['steps']}"
    sign_all(bo, books, period)
    locked = bo("close", period, cwd=books)
    assert locked.exit_code == 0, locked.stdout + locked.stderr


def test_fixing_the_planted_problems_lets_september_close_and_lock(books, bo):
    assert bo("close", "2025-09", cwd=books).exit_code == 1
    ledger = books / "ledgers/2025.beancount"
    text = ledger.read_text()
    # The transposition: the payment to Fernwood was 1,254.00, as the bank says.
    fern = text.index('"ACH payment for FP-')
    text = text[:fern] + text[fern:].replace("1245.00 USD", "1254.00 USD", 1)
    # The uncategorized coffee is a meal.
    text = text.replace("Expenses:Uncategorized        ", "Expenses:Meals                ", 1)
    ledger.write_text(text)
    # The missing bank fee comes in from the statement; nothing else is new.
    imported = bo("import", "statements/checking/2025-09.csv", "--json", cwd=books)
    added = json.loads(imported.stdout)["added"]
    assert [(a["payee"], a["account"]) for a in added] == [
        ("INCOMING WIRE FEE", "Expenses:BankFees")
    ]
    # The double payment really left the bank: not an error to undo, a refund to chase.
    (dupe,) = json.loads(bo("dupes", "--period", "2025-09", "--json", cwd=books).stdout)
    dismissed = bo("dupes", "--dismiss", dupe["id"], "--reason", "refund requested", cwd=books)
    assert dismissed.exit_code == 0
    git(books, "add", "-A")
    git(books, "commit", "-qm", "September fixes")

    close_for_good(bo, books, "2025-09")
    assert record(books, "2025-09")["locked"]
    assert git(books, "describe", "--tags").strip() == "close/2025-09"

    # An edit to a locked September entry is named by bo check and by bean-check.
    text = ledger.read_text()
    coffee = text.index('"SQ *COFFEE CART 4471"')
    text = text[:coffee] + text[coffee:].replace("Expenses:Meals ", "Expenses:Office", 1)
    ledger.write_text(text)
    check = bo("check", "--no-cache", cwd=books)
    assert check.exit_code == 1 and "entry in locked period 2025-09" in check.stdout
    assert "SQ *COFFEE CART 4471" in check.stdout
    _, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    assert any("SQ *COFFEE CART 4471" in e.message for e in errors)


def test_every_month_before_september_closes_and_locks_in_a_row(books, bo):
    months = [f"2024-{m:02d}" for m in (10, 11, 12)] + [f"2025-{m:02d}" for m in range(1, 9)]
    for period in months:
        close_for_good(bo, books, period)
        head = git(books, "rev-parse", "HEAD")
        assert bo("close", period, cwd=books).exit_code == 3  # locked: refused, untouched
        assert git(books, "rev-parse", "HEAD") == head
        assert git(books, "status", "--porcelain").strip() == ""
    tags = git(books, "tag").split()
    assert tags == [f"close/{m}" for m in months]
    kpi = json.loads(bo("kpi", "--json", cwd=books).stdout)
    assert [row["period"] for row in kpi] == months


def test_entries_posted_mid_close_are_merged_as_a_fresh_load_would_read_them(demo):
    """The close merges what an action writes instead of parsing the whole ledger again;
    later steps must see exactly what a fresh load sees, and caches key on the new file."""
    from beancount.parser import printer

    from bo.books import Books, ledger_inputs
    from bo.close.run import _with_posted
    from bo.settings import load_settings

    path = demo / "ledgers/closing/2025-08.beancount"
    text = path.read_text()
    path.unlink()
    before = Books(demo, load_settings(demo), use_cache=False)
    assert before.ledger  # loaded without August's closing entries
    path.write_text(text)
    merged = _with_posted(before, {path: text}).ledger
    fresh = Books(demo, load_settings(demo), use_cache=False).ledger

    def shown(entries):
        return [printer.format_entry(e) for e in entries]

    assert len(merged.entries) > len(before.ledger.entries)
    assert shown(merged.entries) == shown(fresh.entries)
    assert str(path.resolve()) in merged.files
    assert merged.inputs == ledger_inputs(fresh.files, demo)
