"""A ledger that renames beancount's root accounts (`option "name_assets" "Aktiva"`...) gets
the very same reports as the same ledger under the default names: bo asks the ledger's
options what an income or an asset account is, never a prefix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.foreign import (
    BUSINESS_LEDGER,
    BUSINESS_YAML,
    EXAMPLE_SPANS,
    RENAMED,
    back_to_default,
    rename_roots,
    with_default_options,
    with_renamed_options,
)

BUDGET = """\
year: 2025
tolerance: {pct: 10}
accounts:
  Expenses:Rent: {monthly: 1500.00 USD}
  Expenses:Travel: {monthly: 400.00 USD}
"""
KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")


def _books(root: Path, settings: str, ledger: str, budget: str | None = None) -> Path:
    root.mkdir()
    (root / "bo.yaml").write_text(settings + "ledger: ledger.beancount\n")
    (root / "ledger.beancount").write_text(ledger)
    if budget is not None:
        (root / "budgets").mkdir()
        (root / "budgets/2025.yaml").write_text(budget)
    return root


def _same_reports(bo, plain: Path, renamed: Path, periods, kinds=KINDS) -> None:
    for period in periods:
        for kind in kinds:
            for fmt in ("json", "md"):
                want = bo("report", kind, "--period", period, "--format", fmt, cwd=plain)
                got = bo("report", kind, "--period", period, "--format", fmt, cwd=renamed)
                assert got.exit_code == want.exit_code, (kind, period, got.stderr)
                assert want.exit_code in (0, 1), (kind, period, want.stderr)
                shown = back_to_default(got.stdout.replace(str(renamed), str(plain)))
                assert shown == want.stdout, (kind, period, fmt)
                assert back_to_default(got.stderr) == want.stderr, (kind, period, fmt)


def test_a_business_in_two_currencies_reports_the_same_under_renamed_roots(tmp_path, bo):
    plain = _books(tmp_path / "plain", BUSINESS_YAML, with_default_options(BUSINESS_LEDGER), BUDGET)
    renamed = _books(
        tmp_path / "renamed",
        rename_roots(BUSINESS_YAML),
        with_renamed_options(BUSINESS_LEDGER),
        rename_roots(BUDGET),
    )
    _same_reports(bo, plain, renamed, ("2025-02", "2025-03"))
    pnl = bo("report", "pnl", "--period", "2025-03", "--format", "md", cwd=renamed).stdout
    assert "| Ertrag:Consulting |" in pnl and "Income:" not in pnl
    assert bo("check", cwd=renamed).exit_code == 0


def test_an_example_ledger_reports_the_same_under_renamed_roots(examples, tmp_path, bo):
    text = (examples[EXAMPLE_SPANS[0][0]] / "ledger.beancount").read_text()
    settings = (
        "entity:\n  name: Example\n  currency: USD\naccounts:\n"
        "  Assets:US:BofA:Checking: {role: bank}\n  Liabilities:US:Chase:Slate: {role: card}\n"
        "  Assets:US:Vanguard:RGAGX: {role: investment}\n"
        "commodities:\n  not_money: [VACHR, IRAUSD]\n"
    )
    plain = _books(tmp_path / "plain", settings, with_default_options(text))
    renamed = _books(tmp_path / "renamed", rename_roots(settings), with_renamed_options(text))
    _same_reports(bo, plain, renamed, ("2023-03", "2023-12"), ("trial", "pnl", "balance",
                  "cashflow", "flux"))  # fmt: skip


def test_adopting_a_ledger_with_renamed_roots_infers_the_same_roles(tmp_path, bo):
    plain = _books(tmp_path / "plain", "", with_default_options(BUSINESS_LEDGER))
    renamed = _books(tmp_path / "renamed", "", with_renamed_options(BUSINESS_LEDGER))
    for root in (plain, renamed):
        (root / "bo.yaml").unlink()
        assert bo("init", "--adopt", "ledger.beancount", cwd=root).exit_code == 0
    want = (plain / "bo.yaml").read_text()
    got = back_to_default((renamed / "bo.yaml").read_text())
    for old, new in RENAMED.items():  # statement folders are named after the account
        got = got.replace(f"statements/{new.lower()}-", f"statements/{old.lower()}-")
    assert got == want
    assert "role: receivable" in want and "role: payable" in want


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_default_current_earnings_line_is_under_beancounts_default_equity_root():
    from bo.chart import DEFAULT_CURRENT_EARNINGS, Chart

    assert Chart.of(None).current_earnings == DEFAULT_CURRENT_EARNINGS
