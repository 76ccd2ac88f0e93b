"""One convention for every command: --format and --json, paths from the books, completion,
`bo help TOPIC`, and close steps that do not apply saying n/a."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bo.formats import RENDERS, Format
from tests.conftest import OWNER, REVIEWER, as_person, git, signoff, small_books


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_every_data_command_takes_format_and_json(name, bo):
    shown = bo(*name.split(), "--help").stdout
    assert "--json" in shown and "--format" in shown, name
    assert "|".join(f.value for f in Format) in shown  # every format a choice
    assert "term" in RENDERS[name] and "json" in RENDERS[name]


def test_a_format_the_command_does_not_render_is_bad_input(books, bo):
    refused = bo("close", "2025-01", "--format", "xlsx", cwd=books)
    assert refused.exit_code == 2
    assert "xlsx is not available for `bo close`" in refused.stderr
    both = bo("check", "--json", "--format", "md", cwd=books)
    assert both.exit_code == 2 and "--json is --format json" in both.stderr
    assert bo("check", "--format", "json", cwd=books).stdout == bo("check", "--json").stdout


def _json(result, *keys: str):
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    data = json.loads(result.stdout)
    if keys:
        assert set(keys) <= set(data), sorted(data)
    return data


def test_the_small_books_commands_print_json(books, bo):
    root = str(books.resolve())
    runs = {
        "check": _json(bo("check", "--json", cwd=books), "ok", "findings", "entries"),
        "cash": _json(bo("cash", "check", "--as-of", "2025-01-31", "--json"), "alerts", "as_of"),
        "status": _json(bo("status", "--as-of", "2025-02-10", "--json"), "tasks", "closes"),
        "report": _json(
            bo("report", "trial", "--period", "2025-01", "--json"), "kind", "report", "problems"
        ),
        "forecast": _json(bo("forecast", "--as-of", "2025-01-31", "--json"), "forecasts"),
        "dupes": _json(bo("dupes", "--json")),
        "kpi": _json(bo("kpi", "--json")),
    }
    assert runs["cash"]["as_of"] == "2025-01-31"  # dates ISO
    assert runs["report"]["report"]["lines"][0]["debit"].count(".") <= 1  # amounts as text
    assert all(root not in json.dumps(data) for data in runs.values())


def test_close_and_signoff_print_json_with_paths_from_the_books(bo, tmp_path):
    root = small_books(tmp_path / "small")
    closed = _json(
        bo("close", "2025-03", "--json", cwd=root),
        "period", "state", "steps", "passed", "awaiting_signoff", "written",
    )  # fmt: skip
    assert closed["state"] == "open" and closed["period"] == "2025-03"
    step = closed["steps"][0]
    assert {"id", "status", "summary", "details", "owner", "reviewer", "due"} <= set(step)
    assert "closes/2025-03.yaml" in closed["written"]  # from the books, not from /
    assert str(root.resolve()) not in json.dumps(closed)
    as_person(root, REVIEWER)
    signed = _json(bo("signoff", "2025-03", "--json", cwd=root), "signed", "not_signed", "signer")
    assert signed["signer"] == REVIEWER and signed["signed"]


def test_import_and_reconcile_print_json_from_the_books(git_books, bo):
    statement = "statements/checking/2025-09.csv"
    imported = _json(
        bo("import", statement, "--dry-run", "--json", cwd=git_books), "file", "added", "written"
    )
    assert imported["file"] == statement
    assert all(not path.startswith("/") for path in imported["written"])
    rec = _json(bo("reconcile", "Assets:Bank:Savings", "--period", "2025-09", "--json"))
    assert {"account", "balances", "open"} <= set(rec)
    audit = _json(bo("audit", "--json"), "commits", "stale_signoffs")
    paying = _json(bo("pay", "--run", "2025-10-01", "--json"), "kind", "report")
    reminders = _json(bo("remind", "--as-of", "2025-10-01", "--json"))
    assert {"customer", "overdue", "invoices"} <= set(reminders[0])
    shown = json.dumps([imported, rec, audit, paying, reminders])
    assert str(git_books.resolve()) not in shown


# --- steps that do not apply ----------------------------------------------------------------

NOT_THIS_BUSINESS = """\
name: Month-end close
cadence: monthly
steps:
  - id: payroll
    title: Payroll tied out
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    check: payroll-tieout
  - id: loan
    title: Loan payments posted
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    check: loan-interest
  - id: suspense
    title: Suspense at zero
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    check: suspense-zero
  - id: review
    title: Reviewer reads the close report
    owner: controller
    reviewer: owner
    due: BD+5
    depends_on: [payroll, loan, suspense]
    manual: Close report read
"""


def test_steps_for_what_the_business_lacks_say_na_and_never_block(bo, tmp_path):
    # No payroll, no loan, no suspense account: three steps that do not apply.
    root = small_books(tmp_path / "small", sops={"month-end": NOT_THIS_BUSINESS})
    first = bo("close", "2025-03", cwd=root)
    assert first.exit_code == 1
    for step in ("payroll", "loan", "suspense"):
        assert f"n/a  {step}: no " in first.stdout, first.stdout
    assert "ok  payroll" not in first.stdout
    assert "0/4 steps passed, 3 n/a" in first.stdout
    steps = yaml.safe_load((root / "closes/2025-03.yaml").read_text())["steps"]
    assert [steps[s]["status"] for s in ("payroll", "loan", "suspense")] == ["n/a"] * 3
    assert steps["review"]["status"] == "manual"  # not blocked by them
    report = (root / "reports/2025-03/close.md").read_text()
    assert "| payroll | n/a |" in report and "3 do not apply to these books (n/a)" in report
    data = json.loads(bo("close", "2025-03", "--dry-run", "--json", cwd=root).stdout)
    assert data["not_applicable"] == 3
    # Nothing to sign on them: the one applying step's sign-offs lock the period.
    assert signoff(bo, root, REVIEWER, "2025-03", "payroll").exit_code == 2
    for name in (REVIEWER, OWNER):
        assert signoff(bo, root, name, "2025-03").exit_code == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "signed", "--allow-empty")
    done = bo("close", "2025-03", cwd=root)
    assert done.exit_code == 0, done.stdout + done.stderr
    assert "locked" in done.stdout


# --- completion and help ------------------------------------------------------------------


def test_shell_completion_is_shown_and_installed(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    bo = [str(Path(sys.executable).parent / "bo")]  # the installed script, as a shell runs it
    shown = subprocess.run(
        [*bo, "--show-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0 and "_bo_completion" in shown.stdout
    installed = subprocess.run(
        [*bo, "--install-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    assert "bo.sh" in (tmp_path / ".bashrc").read_text()
    # The script asks bo for the words: completing `bo clo` gives `close`.
    words = {**env, "_BO_COMPLETE": "complete_bash", "COMP_WORDS": "bo clo", "COMP_CWORD": "1"}
    completed = subprocess.run(bo, env=words, capture_output=True, text=True)
    assert completed.stdout.split() == ["close"]


def test_help_on_a_command_and_on_a_topic(bo):
    assert "Usage: bo cash check" in bo("help", "cash", "check").stdout
    assert "| 70 |" in bo("help", "exit-codes").stdout
    settings = bo("help", "settings").stdout
    assert settings.startswith("# bo.yaml") and "| Key |" in settings
    assert "| bo close | term, json |" in bo("help", "formats").stdout
    listing = bo("help").stdout
    assert "close" in listing and "exit-codes" in listing
    unknown = bo("help", "nonsense")
    assert unknown.exit_code == 2 and "no help on `nonsense`" in unknown.stderr
