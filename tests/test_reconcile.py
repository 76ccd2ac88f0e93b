"""`bo reconcile` on the demo books through the real CLI: the planted September, clean months."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from beancount import loader

CHECKING = "Assets:Bank:Checking"
ACCOUNTS = (CHECKING, "Assets:Bank:Savings", "Liabilities:CreditCard")
EARLIER = [f"2024-{m:02d}" for m in (10, 11, 12)] + [f"2025-{m:02d}" for m in range(1, 9)]


def reconcile(bo, demo: Path, account: str, period: str, *args: str):
    return bo("reconcile", account, "--period", period, *args, cwd=demo)


def record(demo: Path, account: str, period: str) -> dict:
    slug = account.replace(":", "-").lower()
    return yaml.safe_load((demo / f"recs/{period}/{slug}.yaml").read_text())


def test_september_shows_exactly_the_planted_items_and_explains_the_difference(demo, bo):
    result = reconcile(bo, demo, CHECKING, "2025-09", "--format", "json")
    assert result.exit_code == 1, result.stderr  # entries are needed: not reconciled yet
    rec = json.loads(result.stdout)
    balances = rec["balances"]
    assert balances["difference"] == "0.00"
    assert balances["bank"] == "120156.21" and balances["books"] == "120930.21"
    in_transit = {(i["kind"], i["amount"]) for i in rec["open"]["in_transit"]}
    assert in_transit == {("outstanding check", "-2400.00"), ("deposit in transit", "3150.00")}
    (missing,) = rec["open"]["missing"]
    assert (missing["amount"], missing["text"]) == ("-15.00", "INCOMING WIRE FEE FEE_TRANSACTION")
    (differs,) = rec["open"]["amount_differs"]
    assert differs["amount"] == "-9.00"
    assert "transposed" in " ".join(differs["reasons"])
    assert differs["where"].startswith("ledgers/2025.beancount:")


def test_the_report_matches_its_golden_file(demo, bo, golden):
    result = reconcile(bo, demo, CHECKING, "2025-09", "--format", "md")
    golden("reconciliation.md", result.stdout)
    html = reconcile(bo, demo, CHECKING, "2025-09", "--format", "html").stdout
    assert '<td class="num">120,156.21</td>' in html and "INCOMING WIRE FEE" in html


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_earlier_month_reconciles_with_nothing_open(demo, bo, account):
    for period in EARLIER:
        result = reconcile(bo, demo, account, period)
        assert result.exit_code == 0, f"{account} {period}:\n{result.stdout}{result.stderr}"
        rec = record(demo, account, period)
        assert rec["reconciled"] is True
        assert rec["open"] == {"in_transit": [], "missing": [], "amount_differs": []}


def test_october_clears_what_september_left_open(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-08")
    reconcile(bo, demo, CHECKING, "2025-09")
    september = {i["entry"] for i in record(demo, CHECKING, "2025-09")["open"]["in_transit"]}
    assert len(september) == 2
    result = reconcile(bo, demo, CHECKING, "2025-10", "--format", "json")
    rec = json.loads(result.stdout)
    # The check and the deposit open at September's end clear in October's statement.
    assert rec["open"]["in_transit"] == []
    cleared = {key for m in rec["matches"] for key in m["entries"]}
    assert september <= cleared


def test_running_twice_leaves_the_record_alone(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-08")
    path = demo / "recs/2025-08/assets-bank-checking.yaml"
    first = path.read_text()
    mtime = path.stat().st_mtime_ns
    reconcile(bo, demo, CHECKING, "2025-08")
    assert path.read_text() == first and path.stat().st_mtime_ns == mtime


def test_a_pin_by_hand_survives_reruns(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-09")
    rec = record(demo, CHECKING, "2025-09")
    differs = rec["open"]["amount_differs"][0]
    path = demo / "recs/2025-09/assets-bank-checking.yaml"
    text = path.read_text().replace(
        "pins: []", f"pins:\n- line: {differs['line']}\n  entry: '{differs['entry']}'"
    )
    path.write_text(text)
    reconcile(bo, demo, CHECKING, "2025-09")
    again = record(demo, CHECKING, "2025-09")
    assert again["pins"] == [{"line": differs["line"], "entry": differs["entry"]}]
    assert again["open"]["amount_differs"] == []
    assert any(m["how"] == "pinned" for m in again["matches"])


def test_accept_writes_a_balance_assertion_only_when_reconciled(demo, bo):
    refused = reconcile(bo, demo, CHECKING, "2025-09", "--accept")
    assert refused.exit_code == 1 and "nothing accepted" in refused.stderr
    assert not (demo / "ledgers/recs").exists()

    accepted = reconcile(bo, demo, CHECKING, "2025-08", "--accept")
    assert accepted.exit_code == 0, accepted.stderr
    cleared = (demo / "ledgers/recs/assets-bank-checking.beancount").read_text()
    assert "2025-09-01 balance Assets:Bank:Checking 82148.33 USD" in cleared
    again = reconcile(bo, demo, CHECKING, "2025-08", "--accept")
    assert again.exit_code == 0 and "accepted already" in again.stderr
    assert (demo / "ledgers/recs/assets-bank-checking.beancount").read_text() == cleared
    _, errors, _ = loader.load_file(str(demo / "ledgers/main.beancount"))
    assert not errors  # fava and bean-check see the assertion, and it holds


def test_no_statement_for_the_period_is_a_clear_error(demo, bo):
    result = reconcile(bo, demo, CHECKING, "2026-03")
    assert result.exit_code == 2
    assert "no statement for 2026-03 in statements/checking/" in result.stderr


def test_a_broken_statement_is_refused_and_no_record_is_written(demo, bo):
    path = demo / "statements/checking/2025-09.csv"
    path.write_text(path.read_text().replace("09/16/2025", "09/31/2025", 1))
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2 and "2025-09.csv:" in result.stderr
    assert not (demo / "recs").exists()
