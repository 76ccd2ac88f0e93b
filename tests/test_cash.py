"""`bo cash check` on the demo books, through the CLI as cron runs it.

The days are the ones ledgers/README.md lists under "Cash-check days" (the generator asserts
that the story holds them). Every test works on a copy of the demo books in tmp_path, so
nothing (not even a cache) is written into the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DEMO_PARTS, PROJECT

CHECKING = "Assets:Bank:Checking"
RECORD = "recs/2025-09/assets-bank-checking.yaml"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the demo books for the tests that only read them."""
    target = tmp_path_factory.mktemp("cash") / "demo"
    target.mkdir()
    for part in (*DEMO_PARTS, "scenarios"):
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def check(bo, books: Path, day: str, *args: str):
    return bo("cash", "check", "--as-of", day, "--books", str(books), *args)


def alerts(bo, books: Path, day: str) -> list[dict]:
    result = check(bo, books, day, "--json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["alerts"]


def append(books: Path, text: str) -> None:
    with open(books / "ledgers/2025.beancount", "a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def pay(books: Path, day: str, payee: str, amount: str, meta: str = "", to: str = "Expenses:Rent"):
    """A payment out of checking on `day`, refunded five days later so that the month's
    balance assertion (written from the bank statement) still holds."""
    refund = date.fromisoformat(day) + timedelta(days=5)
    append(
        books,
        f'{day} * "{payee}" "payment"\n{meta}  {to}  {amount} USD\n  {CHECKING}\n\n'
        f'{refund} * "{payee}" "refund"\n  {to}  {-Decimal(amount)} USD\n  {CHECKING}\n',
    )


# --- the demo's planted days -------------------------------------------------------------------


def test_a_quiet_day_prints_nothing_and_exits_0(bo, shared):
    result = check(bo, shared, "2025-07-15")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_a_stale_statement(bo, shared):
    result = check(bo, shared, "2024-10-10")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "bo cash check 2024-10-10: 1 alert for Larkspur Design Studio LLC",
        "- Assets:Bank:Checking: the newest bank data is from 2024-10-01 (statement "
        "statements/checking/2024-10.csv), 9 days ago, more than 7: download the latest "
        "statement and import it (bo import) [setting: accounts.Assets:Bank:Checking.stale_days]",
    ]


def test_a_balance_under_its_minimum(bo, shared):
    result = check(bo, shared, "2024-11-18")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "bo cash check 2024-11-18: 1 alert for Larkspur Design Studio LLC",
        "- Assets:Bank:Checking is at 14,082.94 USD, under its minimum of 15,000.00: move money "
        "in or hold payments [setting: accounts.Assets:Bank:Checking.minimum]",
    ]


def test_an_unusual_payment_to_a_new_payee(bo, shared):
    result = check(bo, shared, "2025-03-10")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "- 2025-03-10 Apple: 3,600.00 USD out of Liabilities:CreditCard to a payee never paid "
        "before, above materiality (1,000.00): check it was meant [setting: thresholds.materiality]"
    ]
    (found,) = alerts(bo, shared, "2025-03-10")
    assert found["where"].endswith("ledgers/2025.beancount:" + found["where"].split(":")[-1])


def test_stale_data_past_the_end_of_the_statements(bo, shared):
    found = alerts(bo, shared, "2026-02-15")
    assert {a["kind"] for a in found} == {"stale"}
    assert {a["account"]: a["setting"] for a in found} == {
        CHECKING: f"accounts.{CHECKING}.stale_days",
        "Assets:Bank:Savings": "thresholds.stale_days",
        "Liabilities:CreditCard": "thresholds.stale_days",
    }


# --- stale data is the bank's word, not anyone's typing ------------------------------------------


def test_a_hand_typed_entry_does_not_make_the_bank_data_current(bo, demo):
    pay(demo, "2024-10-09", "Stationery", "12.00", to="Expenses:Office")
    assert [a["kind"] for a in alerts(bo, demo, "2024-10-10")] == ["stale"]


@pytest.mark.parametrize(
    "evidence",
    [
        lambda books: pay(books, "2024-10-09", "Stationery", "12.00", '  import-id: "b:1"\n'),
        lambda books: append(books, f"2024-10-10 balance {CHECKING}  60800.00 USD\n"),
    ],
    ids=["an imported entry", "a balance assertion"],
)
def test_an_import_or_a_statement_balance_is_the_banks_word(bo, demo, evidence):
    evidence(demo)
    assert alerts(bo, demo, "2024-10-10") == []


def test_a_new_statement_file_makes_the_data_current(bo, demo):
    assert check(bo, demo, "2026-02-15").exit_code == 1
    lines = (demo / "statements/checking/2025-12.csv").read_text().splitlines()
    (demo / "statements/checking/2026-02.csv").write_text(
        f"{lines[0]}\nDEBIT,02/13/2026,MONTHLY SERVICE FEE,-25.00,FEE_TRANSACTION,105258.81,\n"
    )
    kinds = {(a["kind"], a["account"]) for a in alerts(bo, demo, "2026-02-15")}
    assert ("stale", CHECKING) not in kinds and ("stale", "Assets:Bank:Savings") in kinds


def test_a_statement_bo_cannot_read_is_bad_input(bo, demo):
    (demo / "statements/checking/2026-01.csv").write_text("not,a,statement\n1,2,3\n")
    result = check(bo, demo, "2025-07-15")
    assert result.exit_code == 2
    assert "statements/checking/2026-01.csv" in result.stderr and "Traceback" not in result.stderr


# --- unusual outflows: the payee's history and the account's --------------------------------------


def test_a_payment_far_above_the_payees_usual_names_the_multiple(bo, demo):
    pay(demo, "2025-07-15", "Harbor Properties", "13000.00")
    (found,) = alerts(bo, demo, "2025-07-15")
    assert found["setting"] == "thresholds.unusual_multiple"
    assert (
        "13,000.00 USD out of Assets:Bank:Checking more than 3x its largest earlier payment"
        in (found["message"])
    )
    settings = demo / "bo.yaml"
    settings.write_text(
        settings.read_text().replace(
            "  flux_combine: and\n", "  flux_combine: and\n  unusual_multiple: 4\n"
        )
    )
    assert check(bo, demo, "2025-07-15").exit_code == 0


def test_a_payment_far_above_the_accounts_usual_without_materiality(bo, demo):
    settings = demo / "bo.yaml"
    text = settings.read_text()
    settings.write_text(text.replace("  materiality: 1000.00 USD ", "  # materiality: none "))
    pay(demo, "2025-07-15", "Gallery Lease Co", "60000.00")
    (found,) = [a for a in alerts(bo, demo, "2025-07-15") if a["kind"] == "unusual"]
    assert "more than 3x the largest payment ever made from it" in found["message"]
    assert found["setting"] == "thresholds.unusual_multiple"


def test_moving_money_between_own_accounts_is_not_a_payment(bo, demo):
    pay(demo, "2025-07-15", "Transfer to savings", "20000.00", to="Assets:Bank:Savings")
    assert check(bo, demo, "2025-07-15").exit_code == 0


# --- payables due against available cash -------------------------------------------------------


def test_bills_due_within_the_window_beyond_available_cash(bo, demo):
    settings = demo / "bo.yaml"
    # With a minimum this high nothing is available above it, so any bill due is too much.
    settings.write_text(
        settings.read_text().replace("minimum: 15000.00 USD", "minimum: 500000.00 USD")
    )
    payables = [a for a in alerts(bo, demo, "2025-09-05") if a["kind"] == "payables"]
    assert len(payables) == 1
    assert payables[0]["setting"] == "thresholds.payables_days, accounts.*.minimum"
    assert "(within 7 days)" in payables[0]["message"]
    settings.write_text(
        settings.read_text().replace(
            "  flux_combine: and\n", "  flux_combine: and\n  payables_days: 0\n"
        )
    )
    assert not [a for a in alerts(bo, demo, "2025-09-05") if a["kind"] == "payables"]


# --- reconciliation items open too long ----------------------------------------------------------


def test_reconciliation_items_open_too_long(bo, demo):
    assert bo("reconcile", CHECKING, "--period", "2025-09", cwd=demo).exit_code == 1
    found = {a["amount"]: a for a in alerts(bo, demo, "2025-10-10")}
    # Ten days on: the deposit is overdue, the fee and the transposed amount wait on the
    # bookkeeper, and the check written on the 30th is well within its 90 days.
    assert {amount: a["setting"] for amount, a in found.items()} == {
        "3150.00": "thresholds.deposit_in_transit_days",
        "-15.00": "thresholds.unreconciled_days",
        "-9.00": "thresholds.unreconciled_days",
    }
    assert found["3150.00"]["message"] == (
        "Assets:Bank:Checking: 3,150.00 from 2025-09-30 (Acme Robotics Payment for INV-1159 "
        "(check)) is a deposit in transit, open 10 days (more than 5) in the 2025-09 "
        "reconciliation: ask the bank where the deposit is"
    )
    assert found["-15.00"]["where"] == "statements/checking/2025-09.csv:17"
    later = {a["amount"]: a["setting"] for a in alerts(bo, demo, "2026-01-05")}
    assert later["-2400.00"] == "thresholds.outstanding_check_days"
    # The record of September speaks only once September is over.
    assert check(bo, demo, "2025-09-29").exit_code == 0


GOOD_ITEM = "{kind: deposit in transit, date: 2025-09-30, amount: '3150.00', text: x, where: y}"
BAD_RECORDS = {
    "a merge conflict": ("period: 2025-09\nopen: [\n", f"{RECORD}:3: not valid YAML"),
    "in_transit not a list": (
        "period: 2025-09\nopen:\n  in_transit: 5\n",
        f"{RECORD}:3: `open.in_transit`",
    ),
    "a list at the top": ("- 1\n- 2\n", f"{RECORD}:1: not a reconciliation record"),
    "an amount of null": (
        "period: 2025-09\nopen:\n  missing:\n"
        "    - {kind: missing from the books, date: 2025-09-16, amount: null}\n",
        f"{RECORD}:4: `open.missing[0].amount`",
    ),
    "an item without an amount": (
        "period: 2025-09\nopen:\n  in_transit:\n"
        f"    - {GOOD_ITEM}\n    - {{kind: deposit in transit, date: 2025-09-30}}\n",
        f"{RECORD}:5: `open.in_transit[1].amount` is required",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_a_damaged_reconciliation_record_is_bad_input_not_a_quiet_morning(bo, demo, case):
    text, message = BAD_RECORDS[case]
    (demo / RECORD).parent.mkdir(parents=True)
    (demo / RECORD).write_text(text)
    result = check(bo, demo, "2025-10-10")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# --- books beancount finds wrong -----------------------------------------------------------------


def test_an_unbalanced_transaction_is_an_alert_not_silence(bo, demo):
    append(
        demo,
        '2025-07-14 * "Typo"\n  Expenses:Office  10.00 USD\n  Expenses:Meals  -1.00 USD\n',
    )
    result = check(bo, demo, "2025-07-15")
    assert result.exit_code == 1
    assert "the ledger has 1 error, so the figures may be wrong" in result.stdout
    assert "2025.beancount" in result.stdout and "[setting: ledger]" in result.stdout


# --- the kept answer ---------------------------------------------------------------------------


def test_the_kept_answer_follows_the_books(bo, demo, ledger_untouched):
    first = check(bo, demo, "2024-11-18")
    assert first.exit_code == 1
    with ledger_untouched():
        assert check(bo, demo, "2024-11-18").stdout == first.stdout
    # Money in from savings before the 18th (and back again after it).
    pay(demo, "2024-11-14", "Transfer from savings", "-5000.00", to="Assets:Bank:Savings")
    assert check(bo, demo, "2024-11-18").exit_code == 0


def test_the_kept_answer_follows_the_reconciliation_records(bo, demo):
    assert check(bo, demo, "2025-10-10").exit_code == 0
    assert bo("reconcile", CHECKING, "--period", "2025-09", cwd=demo).exit_code == 1
    assert check(bo, demo, "2025-10-10").exit_code == 1


# --- what cron mails, and what a person sees ----------------------------------------------------


def run_bo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "bo", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_the_output_for_cron_is_plain_text(shared):
    """Through a pipe, as cron runs it: no colour codes, no table borders, one alert a line."""
    result = run_bo("cash", "check", "--as-of", "2024-11-18", cwd=shared)
    assert result.returncode == 1 and result.stderr == ""
    assert "\x1b[" not in result.stdout
    assert not set(result.stdout) & set("─│┃━┏┓┗┛╭╮╰╯")
    assert result.stdout.splitlines() == [
        "bo cash check 2024-11-18: 1 alert for Larkspur Design Studio LLC",
        "- Assets:Bank:Checking is at 14,082.94 USD, under its minimum of 15,000.00: move money "
        "in or hold payments [setting: accounts.Assets:Bank:Checking.minimum]",
    ]


def run_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run bo with its stdout on a pseudo-terminal; return exit code and what it showed."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bo", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_the_alerts_are_a_table(shared):
    code, shown = run_on_a_terminal("cash", "check", "--as-of", "2024-11-18", cwd=shared)
    assert code == 1
    assert set(shown) & set("─│┃━┏┓┗┛╭╮╰╯")  # a rich table
    assert "14,082.94" in shown and "accounts.Assets:Bank:Checking.minimum" in shown
