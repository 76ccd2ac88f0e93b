"""The demo books are the seeded generator's output, and they are what the README says."""

from __future__ import annotations

from pathlib import Path

import pytest
from beancount import loader

from bo.settings import load_settings
from bo.statements import read_statement
from tests.conftest import PROJECT, bench_module

GENERATED = ("bo.yaml", "ledgers", "statements", "schedules", "budgets")


def generator():
    return bench_module("generate_books")


def tree(root: Path) -> dict[str, bytes]:
    files = {}
    for part in GENERATED:
        path = root / part
        paths = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        paths = [p for p in paths if not p.name.startswith(".")]  # a tool's cache, not output
        files.update({str(p.relative_to(root)): p.read_bytes() for p in paths})
    return files


def test_committed_demo_books_are_exactly_the_generators_output(tmp_path):
    generator().main(["--out", str(tmp_path)])
    fresh, committed = tree(tmp_path), tree(PROJECT)
    assert sorted(fresh) == sorted(committed), "run `make demo-books` and commit the result"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"regenerate with `make demo-books`: {changed[:5]}"


def test_demo_books_pass_bo_check_with_the_one_planted_warning(bo):
    result = bo("check", "--books", str(PROJECT), "--no-cache")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "SQ *COFFEE CART 4471" in result.stdout
    assert "0 errors, 1 warning " in result.stderr


def test_every_demo_statement_reads_in_its_configured_format():
    settings = load_settings(PROJECT)
    count = 0
    for account, conf in settings.accounts.items():
        if conf.statement is None:
            continue
        files = sorted((PROJECT / conf.statement.dir).glob("*.csv"))
        assert len(files) == 15, account  # October 2024 to December 2025
        for path in files:
            statement = read_statement(path, account, settings)
            assert statement.lines
            count += 1
    assert count == 45


def test_september_carries_the_planted_problems():
    settings = load_settings(PROJECT)
    september = read_statement(
        PROJECT / "statements/checking/2025-09.csv", "Assets:Bank:Checking", settings
    )
    payees = [line.payee for line in september.lines]
    assert "INCOMING WIRE FEE" in payees
    assert any(line.amount.number == -1254 for line in september.lines)
    ledger = (PROJECT / "ledgers/2025.beancount").read_text()
    assert "1245.00 USD" in ledger and "-1254.00 USD" not in ledger
    assert "WIRE FEE" not in ledger
    readme = (PROJECT / "ledgers/README.md").read_text()
    for problem in (
        "duplicated vendor payment",
        "bank fee on the statement",
        "outstanding check",
        "deposit in transit",
        "transposed amount",
        "uncategorized card charge",
        "more than 90 days past due",
    ):
        assert problem in readme


@pytest.mark.parametrize("options", [["--years", "2", "--scale", "2", "--entities", "2"]])
def test_large_books_options_write_valid_books(tmp_path, options):
    generator().main(["--out", str(tmp_path), *options])
    for entity in ("entity-01", "entity-02"):
        books = tmp_path / entity
        entries, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
        assert not errors, errors[:3]
        assert sum(1 for e in entries if type(e).__name__ == "Transaction") > 2500
        assert load_settings(books).entity.name
    first = (tmp_path / "entity-01/bo.yaml").read_text()
    assert first != (tmp_path / "entity-02/bo.yaml").read_text()


def test_fava_opens_the_demo_books_without_errors():
    core = pytest.importorskip("fava.core")
    ledger = core.FavaLedger(str(PROJECT / "ledgers/main.beancount"))
    ledger.load_file()
    assert ledger.errors == []
    assert len(ledger.all_entries) > 1000
