"""`bo close`, `bo signoff`, `bo reopen` on the demo books, through the real CLI and git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from beancount import loader

PREPARER, REVIEWER, OWNER = "Dana Reyes", "Sam Okafor", "Priya Shah"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def books(demo: Path) -> Path:
    """The demo books as their own git repo, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (demo / ".gitignore").write_text(".bo/\n")
    git(demo, "init", "-q")
    git(demo, "config", "user.name", PREPARER)
    git(demo, "config", "user.email", "dana@larkspur.example")
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "Demo books")
    return demo


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
