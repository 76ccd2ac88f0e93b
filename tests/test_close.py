"""`bo close`, `bo signoff`, `bo reopen` on the demo books, through the real CLI and git."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from beancount import loader
from beancount.core import data

from tests.conftest import OWNER, PREPARER, REVIEWER, SHORT_CLOSE, as_person, git, signoff


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


def test_two_people_can_close_when_no_one_reviews_their_own_step(short, bo):
    # A two-person business: the bookkeeper is also the owner who reviews the controller.
    settings = short / "bo.yaml"
    data = yaml.safe_load(settings.read_text())
    data["people"] = [
        {**p, "roles": ["bookkeeper", "owner"]} if p["name"] == PREPARER else p
        for p in data["people"]
        if p["name"] != OWNER
    ]
    settings.write_text(yaml.safe_dump(data, sort_keys=False))
    git(short, "commit", "-qam", "two people")
    assert bo("close", "2025-08", cwd=short).exit_code == 1
    dana = signoff(bo, short, PREPARER, "2025-08")
    assert dana.exit_code == 0, dana.stderr
    sam = signoff(bo, short, REVIEWER, "2025-08")
    assert sam.exit_code == 0, sam.stderr
    # Dana prepared ledger-valid and schedules; she may not also review them.
    signoffs = record(short, "2025-08")["signoffs"]
    assert {s: (v["preparer"]["name"], v["reviewer"]["name"]) for s, v in signoffs.items()} == {
        "ledger-valid": (PREPARER, REVIEWER),
        "schedules": (PREPARER, REVIEWER),
        "review": (REVIEWER, PREPARER),
    }
    locked = bo("close", "2025-08", cwd=short)
    assert locked.exit_code == 0, locked.stdout + locked.stderr
    assert record(short, "2025-08")["locked"]


def test_signoff_keeps_duties_apart(books, bo):
    bo("close", "2025-09", cwd=books)
    # The controller may not sign a step the controller owns as its reviewer too.
    assert signoff(bo, books, PREPARER, "2025-09", "ledger-valid").exit_code == 0
    refused = signoff(bo, books, PREPARER, "2025-09", "flux")
    assert refused.exit_code == 3  # flux is the controller's and the owner's
    failing = signoff(bo, books, PREPARER, "2025-09", "bank-rec")
    assert failing.exit_code == 3 and "fix it" in failing.stderr
    as_someone = bo("signoff", "2025-09", "--as", REVIEWER, cwd=books)
    assert as_someone.exit_code == 3 and "only Sam Okafor signs as Sam Okafor" in as_someone.stderr
    signed = record(books, "2025-09")["signoffs"]["ledger-valid"]
    assert signed["preparer"]["name"] == PREPARER and "reviewer" not in signed


def test_explanations_clear_the_flux_step(books, bo):
    bo("close", "2025-09", cwd=books)
    assert statuses(books, "2025-09")["flux"] == "failed"
    git(books, "add", "-A")
    git(books, "commit", "-qm", "first close run", "--allow-empty")
    # Every line the flux flags: against August, and outside the budget's bands.
    others = [e for e in explain_flagged(bo, books, "2025-09") if "Income:Services" not in e]
    assert len(others) == 6
    result = bo(
        "close",
        "2025-09",
        "--explain",
        "Income:Services=August had two large launches",
        *others,
        cwd=books,
    )
    assert statuses(books, "2025-09")["flux"] == "passed", result.stdout
    # `bo report flux` is the step's computation: the same lines, with the close's words.
    shown = json.loads(bo("report", "flux", "--period", "2025-09", "--json", cwd=books).stdout)
    flagged = {line["account"]: line for line in shown["report"]["lines"] if line["reasons"]}
    assert sorted(flagged) == sorted([*(e.split("=")[1] for e in others), "Income:Services"])
    assert flagged["Income:Services"]["explanation"] == "August had two large launches"
    assert shown["problems"] == []  # every flagged line explained, as the step says
    page = bo("report", "flux", "--period", "2025-09", "--format", "html", cwd=books).stdout
    assert '<table class="fit">' in page and "August had two large launches" in page
    # The explanation keeps the figures it was given for.
    assert record(books, "2025-09")["explanations"]["Income:Services"] == {
        "text": "August had two large launches",
        "figures": {"current": "48350.00", "prior": "103040.00", "budget": "56850.00"},
    }

    # A late invoice changes September's services income: the explanation no longer holds.
    ledger = books / "ledgers/2025.beancount"
    with ledger.open("a") as handle:
        handle.write(
            '\n2025-09-29 * "Acme Robotics" "Rush job" ^INV-9001\n'
            '  invoice: "INV-9001"\n  note: "billed late, after the close started"\n'
            "  Assets:AccountsReceivable  900.00 USD\n  Income:Services\n"
        )
    git(books, "commit", "-qam", "late invoice")
    again = bo("close", "2025-09", cwd=books)
    assert statuses(books, "2025-09")["flux"] == "failed"
    assert "explained for other figures" in again.stdout
    assert "current 48350.00" in again.stdout


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
        result = signoff(bo, books, name, period)
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


def test_a_close_parses_the_ledger_once_and_a_close_of_unchanged_books_loads_nothing(
    books, bo, ledger_untouched, monkeypatch
):
    from bo import books as books_module

    stored = []
    keep = books_module.store_ledger
    monkeypatch.setattr(books_module, "store_ledger", lambda *a: (stored.append(1), keep(*a)))
    from bo.close import posted

    monkeypatch.setattr(posted, "store_ledger", books_module.store_ledger)
    first = bo("close", "2025-09", cwd=books)
    assert first.exit_code == 1
    # Stored once, as the close left it: pickling the ledger it parsed too costs a third of a
    # parse, for an entry the close's own posting makes stale.
    assert len(stored) == 1
    # It posted the schedules: the ledger it kept in bo's cache is the one the files now
    # hold, with bo check's answer over it, so the pre-commit hook's `bo check` loads no entry.
    with ledger_untouched():
        assert bo("check", cwd=books).exit_code == 0
    parse = books_module._parse_ledger

    def no_parse(*args, **kwargs):
        raise AssertionError("the ledger was parsed again")

    monkeypatch.setattr(books_module, "_parse_ledger", no_parse)
    second = bo("close", "2025-09", cwd=books)  # the ledger changed: steps run on the kept one
    monkeypatch.setattr(books_module, "_parse_ledger", parse)
    assert second.exit_code == 1, second.stdout
    with ledger_untouched():
        third = bo("close", "2025-09", cwd=books)
    assert third.exit_code == 1 and third.stdout == second.stdout
    assert git(books, "status", "--porcelain").strip() == ""


def test_a_changed_statement_runs_again_only_the_steps_that_read_statements(books, bo, monkeypatch):
    from bo.close.registry import CHECKS

    bo("close", "2025-09", cwd=books)
    bo("close", "2025-09", cwd=books)
    ran = []
    for name, func in list(CHECKS.items()):

        def spy(ctx, params, name=name, func=func):
            ran.append(name)
            return func(ctx, params)

        monkeypatch.setitem(CHECKS, name, spy)
    statement = books / "statements/checking/2025-10.csv"
    statement.write_text(statement.read_text() + "\n")
    bo("close", "2025-09", cwd=books)
    assert sorted(ran) == ["calendar", "imports-current", "ledger-valid", "no-duplicates",
                           "reconciled"]  # fmt: skip


def test_every_built_in_step_says_what_it_reads():
    from bo.close.inputs import READS, UNCACHED
    from bo.close.params import PARAMS

    assert set(PARAMS) == set(READS) | UNCACHED


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
    later steps must see exactly what a fresh load sees, caches key on the new file, and the
    merged ledger bo keeps in its cache is the one a fresh load gives."""
    from beancount.parser import printer

    from bo.books import Books, ledger_inputs, load_ledger
    from bo.close.posted import keep_in_cache, settled, with_posted
    from bo.settings import load_settings

    path = demo / "ledgers/closing/2025-08.beancount"
    text = path.read_text()
    path.unlink()
    before = Books(demo, load_settings(demo), use_cache=False)
    assert before.ledger  # loaded without August's closing entries
    path.write_text(text)
    posted, added = with_posted(before, {path: text})
    merged = posted.ledger
    fresh = Books(demo, load_settings(demo), use_cache=False).ledger

    def shown(entries):
        return [
            (printer.format_entry(e), e.meta.get("filename"), e.meta.get("lineno")) for e in entries
        ]

    assert added and len(merged.entries) == len(before.ledger.entries) + len(added)
    assert shown(merged.entries) == shown(fresh.entries)
    assert str(path.resolve()) in merged.files
    # Until the file is written, nothing may be cached under the books' inputs...
    assert not posted.use_cache and merged.inputs == {}
    # ...and once it is, the inputs are those a fresh load records,
    again = settled(posted, True)
    assert again.ledger.inputs == ledger_inputs(fresh.files, demo)
    # and the ledger bo keeps for the next command is the fresh load's, errors included.
    assert keep_in_cache(again, added, {path: (None, text)})
    kept = load_ledger(demo / "ledgers/main.beancount", demo)
    assert kept.from_cache
    assert shown(kept.entries) == shown(fresh.entries)
    assert [str(e) for e in kept.errors] == [str(e) for e in fresh.errors]


def test_what_a_step_reads_of_a_few_accounts_is_what_it_would_find_in_every_entry(demo):
    """`CloseContext.touching` (one pass shared by the reconciliation and the agings) gives
    each account's transactions and balance assertions in ledger order, as a scan would,
    for accounts bo.yaml names and for one it does not."""
    from bo.books import Books
    from bo.close.context import CloseContext
    from bo.periods import Period
    from bo.settings import load_settings

    books = Books(demo, load_settings(demo), use_cache=False)
    ctx = CloseContext(books, Period.parse("2025-09"), date(2025, 10, 3), {})
    entries = books.ledger.entries

    def scanned(*accounts):
        return [
            e
            for e in entries
            if (type(e) is data.Transaction and any(p.account in accounts for p in e.postings))
            or (type(e) is data.Balance and e.account in accounts)
        ]

    named = sorted(books.settings.accounts)
    other = next(a for a in sorted(books.ledger.opened) if a not in books.settings.accounts)
    for accounts in [(named[0],), tuple(named[:3]), tuple(named), (other,), (named[0], other)]:
        assert ctx.touching(*accounts) == scanned(*accounts), accounts
    assert ctx.touching("Assets:Bank:Checking")  # the demo's bank account: a real check
    assert any(type(e) is data.Balance for e in ctx.touching("Assets:Bank:Checking"))


def test_a_merge_beancount_would_load_differently_is_not_kept(demo):
    """Posted entries that a balance assertion after them looks at, or a plugin that may
    change them, leave the cache to a fresh parse."""
    from bo.books import Books
    from bo.close.posted import exact_merge, with_posted
    from bo.settings import load_settings

    path = demo / "ledgers/closing/2025-08.beancount"
    text = path.read_text()
    path.unlink()
    before = Books(demo, load_settings(demo), use_cache=False)
    posted, added = with_posted(before, {path: text})
    assert exact_merge(posted.ledger, added, {path: (None, text)})
    touched = sorted({p.account for e in added for p in e.postings})[0]
    parent = touched.rsplit(":", 1)[0]
    late = data.Balance({}, date(2025, 12, 31), parent, None, None, None)
    checked = replace(posted.ledger, entries=[*posted.ledger.entries, late])
    assert not exact_merge(checked, added, {path: (None, text)})
    plugin = {**posted.ledger.options, "plugin": [("beancount.plugins.auto_accounts", None)]}
    assert not exact_merge(replace(posted.ledger, options=plugin), added, {path: (None, text)})
    # A line put at the top of a file with entries in it moves them.
    main = demo / "ledgers/2025.beancount"
    old = main.read_text()
    assert not exact_merge(posted.ledger, added, {main: (old, "; top\n" + old)})
    assert exact_merge(posted.ledger, added, {main: (old, old + "; end\n")})


# --- each built-in check passes on books that are right and fails on books that are not ---------

TINY_YAML = """\
entity: {name: Tiny Books LLC, currency: USD}
people:
  - {name: Dana, roles: [bookkeeper]}
  - {name: Sam, roles: [controller]}
accounts:
  Assets:Bank:Checking:
    role: bank
    statement: {format: plain, dir: statements/checking}
  Assets:Suspense: {role: suspense}
  Liabilities:Payroll:Taxes: {role: payroll_liabilities}
  Liabilities:Loan: {role: loan}
thresholds:
  materiality: 2000.00 USD
statement_formats:
  plain: {kind: csv, date: Date, amount: Amount, payee: Payee}
"""

TINY_LEDGER = """\
option "operating_currency" "USD"
2024-12-01 open Assets:Bank:Checking USD
2024-12-01 open Assets:Suspense USD
2024-12-01 open Assets:Equipment USD
2024-12-01 open Assets:Depreciation USD
2024-12-01 open Liabilities:Payroll:Taxes USD
2024-12-01 open Liabilities:Loan USD
2024-12-01 open Equity:Opening USD
2024-12-01 open Expenses:Payroll:Wages USD
2024-12-01 open Expenses:Interest USD
2024-12-01 open Expenses:Depreciation USD
2024-12-01 open Expenses:Rent USD

2024-12-01 * "Opening balances"
  Assets:Bank:Checking  50000.00 USD
  Liabilities:Loan     -10000.00 USD
  Equity:Opening

2024-12-31 * "Gusto" "December payroll"
  document: "payroll/2024-12.pdf"
  Expenses:Payroll:Wages     5000.00 USD
  Liabilities:Payroll:Taxes -1000.00 USD
  Assets:Bank:Checking      -4000.00 USD

2025-01-15 * "IRS" "December payroll taxes"
  Liabilities:Payroll:Taxes  1000.00 USD
  Assets:Bank:Checking      -1000.00 USD

2025-01-20 * "First Bank" "Loan payment"
  Liabilities:Loan      400.00 USD
  Expenses:Interest      50.00 USD
  Assets:Bank:Checking -450.00 USD

2025-01-31 * "Gusto" "January payroll"
  document: "payroll/2025-01.pdf"
  Expenses:Payroll:Wages     5000.00 USD
  Liabilities:Payroll:Taxes -1000.00 USD
  Assets:Bank:Checking      -4000.00 USD

2025-01-31 * "Depreciation: equipment"
  schedule: "equipment"
  period: "2025-01"
  Expenses:Depreciation  100.00 USD
  Assets:Depreciation   -100.00 USD
"""

TINY_SCHEDULE = """\
schedules:
  - id: equipment
    title: "Depreciation: equipment"
    debit: Expenses:Depreciation
    credit: Assets:Depreciation
    amount: 100.00 USD
    from: 2025-01
    to: 2025-12
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """Small books where January 2025 is right for every check below."""
    root = tmp_path / "tiny"
    for name, text in {
        "bo.yaml": TINY_YAML,
        "ledgers/main.beancount": TINY_LEDGER,
        "schedules/equipment.yaml": TINY_SCHEDULE,
        "statements/checking/2025-01.csv": "Date,Amount,Payee\n2025-01-15,-1000.00,IRS\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def close_one_step(bo, root: Path, check: str, params: str = "") -> dict:
    """Close January with a checklist of one step running `check`; that step's record."""
    (root / "sops").mkdir(exist_ok=True)
    (root / "sops/month-end.yaml").write_text(
        "name: One step\ncadence: monthly\nsteps:\n"
        f"  - id: step\n    title: {check}\n    owner: bookkeeper\n    reviewer: controller\n"
        f"    due: BD+1\n    check: {check}\n" + (f"    with: {params}\n" if params else "")
    )
    result = bo("close", "2025-01", cwd=root)
    assert result.exit_code == 1, result.stdout + result.stderr  # never signed: not locked
    return record(root, "2025-01")["steps"]["step"]


@pytest.mark.parametrize(
    ("check", "change", "finding"),
    [
        (
            "payroll-tieout",
            ('2025-01-15 * "IRS"', '2025-02-15 * "IRS"'),
            "Liabilities:Payroll:Taxes: owed 1,000.00 at the start, remitted 0",
        ),
        (
            "payroll-tieout",
            (
                "  Liabilities:Payroll:Taxes -1000.00 USD\n"
                "  Assets:Bank:Checking      -4000.00 USD\n"
                '\n2025-01-31 * "Depreciation',
                '  Assets:Bank:Checking      -5000.00 USD\n\n2025-01-31 * "Depreciation',
            ),
            "January payroll: payroll expense 5,000.00 with no withholdings",
        ),
        (
            "suspense-zero",
            ("  Expenses:Interest      50.00 USD", "  Assets:Suspense        50.00 USD"),
            "Assets:Suspense: 50.00 at 2025-01-31",
        ),
        (
            "documents",
            ('  document: "payroll/2025-01.pdf"\n', ""),
            "ledgers/main.beancount:34: 2025-01-31 Gusto 5,000.00",
        ),
        (
            "loan-interest",
            ('2025-01-20 * "First Bank"', '2025-02-20 * "First Bank"'),
            "Liabilities:Loan: no payment posted in 2025-01",
        ),
        (
            "loan-interest",
            ("  Expenses:Interest      50.00 USD", "  Expenses:Rent          50.00 USD"),
            "Liabilities:Loan: 1 payment, interest 0",
        ),
        (
            "cutoff",
            ('  period: "2025-01"', '  period: "2024-12"'),
            "closing entry of 2024-12 dated in 2025-01",
        ),
        (
            "schedules-posted",
            ('  schedule: "equipment"\n', ""),
            "2025-01-31 Depreciation: equipment not posted",
        ),
    ],
)
def test_a_check_fails_on_the_problem_it_is_for(tiny, bo, check, change, finding):
    assert close_one_step(bo, tiny, check)["status"] == "passed"
    ledger = tiny / "ledgers/main.beancount"
    assert change[0] in ledger.read_text()
    ledger.write_text(ledger.read_text().replace(*change))
    step = close_one_step(bo, tiny, check)
    assert step["status"] == "failed"
    assert any(finding in line for line in step["details"]), step["details"]


def test_suspense_in_another_currency_is_not_at_zero(tiny, bo):
    ledger = tiny / "ledgers/main.beancount"
    text = ledger.read_text().replace("open Assets:Suspense USD", "open Assets:Suspense")
    euros = '2025-01-10 * "Unknown euro deposit"\n  Assets:Suspense  50.00 EUR\n  Equity:Foreign\n'
    ledger.write_text(text + "\n2024-12-01 open Equity:Foreign\n" + euros)
    step = close_one_step(bo, tiny, "suspense-zero")
    assert step["status"] == "failed"
    assert step["details"] == ["Assets:Suspense: 50.00 EUR at 2025-01-31"]


def test_payroll_in_another_currency_ties_out_in_it(tiny, bo):
    (tiny / "bo.yaml").write_text(
        (tiny / "bo.yaml")
        .read_text()
        .replace("  Assets:Suspense:", "  Assets:Bank:Euro: {role: bank}\n  Assets:Suspense:")
    )
    ledger = tiny / "ledgers/main.beancount"
    text = ledger.read_text()
    for account in ("Expenses:Payroll:Wages", "Liabilities:Payroll:Taxes"):
        text = text.replace(f"open {account} USD", f"open {account}")
    ledger.write_text(
        text + "\n2024-12-01 open Assets:Bank:Euro EUR\n"
        '2025-01-31 * "Lohn" "January payroll, Berlin"\n'
        "  Expenses:Payroll:Wages     1000.00 EUR\n"
        "  Liabilities:Payroll:Taxes  -200.00 EUR\n"
        "  Assets:Bank:Euro           -800.00 EUR\n"
    )
    step = close_one_step(bo, tiny, "payroll-tieout")
    assert step["status"] == "passed", step
    assert step["details"][:2] == [
        "1 payroll run: expense 5,000.00 = liabilities 1,000.00 + net pay 4,000.00",
        "1 payroll run: expense 1,000.00 EUR = liabilities 200.00 EUR + net pay 800.00 EUR",
    ]
    assert (
        "Liabilities:Payroll:Taxes: owed 0.00 EUR at the start, remitted 0.00 EUR, "
        "accrued 200.00 EUR, owed 200.00 EUR at the end" in step["details"]
    )


def test_the_checks_read_the_ledgers_root_names(tiny, bo):
    # The same books under `name_expenses` / `name_liabilities` options: the payroll runs,
    # loan payments and interest are found as they are under the default names.
    renames = {"Expenses:": "Charges:", "Liabilities:": "Passif:"}
    for name in ("bo.yaml", "ledgers/main.beancount", "schedules/equipment.yaml"):
        text = (tiny / name).read_text()
        for old, new in renames.items():
            text = text.replace(old, new)
        (tiny / name).write_text(text)
    ledger = tiny / "ledgers/main.beancount"
    options = 'option "name_expenses" "Charges"\noption "name_liabilities" "Passif"\n'
    ledger.write_text(options + ledger.read_text())
    payroll = close_one_step(bo, tiny, "payroll-tieout")
    assert payroll["status"] == "passed", payroll
    assert any(line.startswith("1 payroll run: expense 5,000.00") for line in payroll["details"])
    loan = close_one_step(bo, tiny, "loan-interest")
    assert loan["status"] == "passed", loan
    assert any("interest 50.00" in line for line in loan["details"]), loan["details"]


def test_imports_current_fails_without_the_period_statement(tiny, bo):
    assert close_one_step(bo, tiny, "imports-current")["status"] == "passed"
    (tiny / "statements/checking/2025-01.csv").rename(tiny / "statements/checking/old.csv")
    step = close_one_step(bo, tiny, "imports-current")
    assert step["status"] == "failed"
    assert any("no statement for 2025-01" in line for line in step["details"])


def test_documents_take_a_materiality_of_their_own(tiny, bo):
    step = close_one_step(bo, tiny, "documents", "{materiality: 400.00 USD}")
    assert step["status"] == "failed"
    assert step["details"] == [
        "ledgers/main.beancount:25: 2025-01-15 IRS 1,000.00",
        "ledgers/main.beancount:29: 2025-01-20 First Bank 450.00",
    ]


PAYROLL_REGISTER = """\
date,gross,employee_taxes,employer_taxes,net_pay
2025-01-31,5000.00,1000.00,0.00,4000.00
"""


def test_payroll_ties_out_to_the_register(tiny, bo):
    (tiny / "payroll").mkdir()
    register = tiny / "payroll/register.csv"
    register.write_text(PAYROLL_REGISTER)
    step = close_one_step(bo, tiny, "payroll-tieout", "{register: payroll/register.csv}")
    assert step["status"] == "passed", step["details"]
    register.write_text(PAYROLL_REGISTER.replace("1000.00,0.00,4000.00", "900.00,0.00,4100.00"))
    step = close_one_step(bo, tiny, "payroll-tieout", "{register: payroll/register.csv}")
    assert step["status"] == "failed"
    assert "liabilities: books 1,000.00, register 900.00 (payroll/register.csv)" in step["details"]
    assert "net pay: books 4,000.00, register 4,100.00 (payroll/register.csv)" in step["details"]
    register.unlink()
    step = close_one_step(bo, tiny, "payroll-tieout", "{register: payroll/register.csv}")
    assert step["status"] == "error" and "payroll register not found" in step["summary"]


# --- nothing written on bad input; dry runs write nothing ----------------------------------------


def tree(root: Path) -> dict[str, bytes]:
    """Every file under the books (but bo's private .bo/ and git's own), with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] not in (".bo", ".git")
    }


def test_a_dry_run_writes_nothing(books, bo):
    path = books / "sops/month-end.yaml"
    path.write_text(
        path.read_text().replace(
            "    action: render-reports\n    with: {kinds: [trial, pnl, balance]}\n",
            "    command: bo report trial --period {period} --format md --out trial.md\n",
        )
    )
    git(books, "commit", "-qam", "reports by a command")
    before = tree(books)
    result = bo("close", "2025-09", "--dry-run", cwd=books)
    assert result.exit_code == 1
    assert "skip  reports: dry run: would run `bo report trial" in result.stdout
    assert "FAIL  bank-rec" in result.stdout  # the checks still run and say what they find
    assert "dry run: nothing written" in result.stdout
    assert tree(books) == before
    assert git(books, "status", "--porcelain").strip() == ""


def test_a_bad_schedule_stops_the_close_before_anything_is_written(books, bo):
    (books / "schedules/bad.yaml").write_text(
        "schedules:\n  - id: x\n    title: X\n    debit: Expenses:Rent\n"
        "    credit: Assets:Bank:Checking\n    amount: lots\n    from: 2025-01\n    to: 2025-12\n"
    )
    git(books, "add", "-A")
    git(books, "commit", "-qm", "a bad schedule")
    before = tree(books)
    result = bo("close", "2025-09", cwd=books)
    assert result.exit_code == 2
    assert "schedules/bad.yaml:6:" in result.stderr and "Traceback" not in result.stderr
    assert tree(books) == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("period: '2025-09'\nexplanations: x\n", "closes/2025-09.yaml:2: `explanations`"),
        ("- a list\n- of things\n", "closes/2025-09.yaml:1:"),
        ("steps: {bank-rec: {status: fine}}\n", "closes/2025-09.yaml:1: `steps.bank-rec"),
    ],
)
def test_a_close_record_of_the_wrong_shape_is_bad_input(books, bo, text, where):
    (books / "closes").mkdir()
    (books / "closes/2025-09.yaml").write_text(text)
    git(books, "add", "-A")
    git(books, "commit", "-qm", "a hand-made record")
    before = tree(books)
    result = bo("close", "2025-09", cwd=books)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert where in result.stderr
    assert tree(books) == before


def test_a_command_that_is_not_installed_fails_its_step(short, bo):
    path = short / "sops/month-end.yaml"
    path.write_text(
        path.read_text().replace(
            "    action: post-schedules\n", "    command: no-such-tool-anywhere {period}\n"
        )
    )
    git(short, "commit", "-qam", "a command step")
    assert bo("trust", cwd=short).exit_code == 0
    result = bo("close", "2025-08", cwd=short)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "`no-such-tool-anywhere 2025-08` could not run" in result.stdout
    assert statuses(short, "2025-08")["schedules"] == "failed"


def test_a_malformed_lock_is_named_by_bo_check_and_bean_check(short, bo):
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")
    assert bo("close", "2025-08", cwd=short).exit_code == 0
    path = short / "closes/2025-08.yaml"
    text = path.read_text()
    start = text.index("  entries:\n")
    path.write_text(text[:start] + "  entries: [not, a, map]\n" + _after_entries(text, start))
    line = path.read_text().splitlines().index("  entries: [not, a, map]") + 1
    check = bo("check", "--no-cache", cwd=short)
    assert check.exit_code == 2
    assert f"closes/2025-08.yaml:{line}: close record: `locked.entries`" in check.stderr
    assert check.exception is None or isinstance(check.exception, SystemExit)
    _, errors, _ = loader.load_file(str(short / "ledgers/main.beancount"))
    assert any("close record: `locked.entries`" in e.message for e in errors)


def _after_entries(text: str, start: int) -> str:
    lines = text[start:].splitlines(keepends=True)[1:]
    rest = [i for i, row in enumerate(lines) if not row.startswith("    ")]
    return "".join(lines[rest[0] :]) if rest else ""


# --- the record: who and when, per step and per run ----------------------------------------------


def test_each_step_says_when_and_by_whom_and_keeps_it_while_unchanged(short, bo):
    bo("close", "2025-08", cwd=short)
    first = record(short, "2025-08")
    assert first["run"]["by"] == PREPARER and first["run"]["at"]
    assert first["started"]["commit"] == git(short, "rev-parse", "HEAD~1").strip()
    for step in first["steps"].values():
        assert step["by"] == PREPARER and step["at"]
    as_person(short, REVIEWER)  # who runs bo is the person git's email names
    text = (short / "closes/2025-08.yaml").read_text()
    head = git(short, "rev-parse", "HEAD")
    bo("close", "2025-08", cwd=short)
    # Nothing new found: the record (and so the ledger's cache) stays as it was, no commit.
    assert (short / "closes/2025-08.yaml").read_text() == text
    assert git(short, "rev-parse", "HEAD") == head
    bo("close", "2025-08", "--explain", "Expenses:Rent=new lease", cwd=short)
    again = record(short, "2025-08")
    assert again["steps"] == first["steps"]  # same results: same when, same who
    assert again["run"]["by"] == REVIEWER and again["run"]["at"] >= first["run"]["at"]
    assert again["started"] == first["started"]


# --- the lock covers every directive --------------------------------------------------------------


def test_a_note_added_to_a_locked_period_is_named(short, bo):
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")
    assert bo("close", "2025-08", cwd=short).exit_code == 0
    ledger = short / "ledgers/2025.beancount"
    with ledger.open("a") as handle:
        handle.write('\n2025-08-20 note Assets:Bank:Checking "called the bank about a fee"\n')
    line = len(ledger.read_text().splitlines())
    check = bo("check", "--no-cache", cwd=short)
    assert check.exit_code == 1
    assert f"ledgers/2025.beancount:{line}: entry in locked period 2025-08" in check.stdout
    assert "note Assets:Bank:Checking called the bank about a fee" in check.stdout
    _, errors, _ = loader.load_file(str(ledger.parent / "main.beancount"))
    assert any("called the bank" in e.message for e in errors)


# --- sign-off ---------------------------------------------------------------------------------


def test_a_person_with_two_roles_signs_what_they_may_and_hears_what_they_may_not(short, bo):
    settings = short / "bo.yaml"
    settings.write_text(
        settings.read_text().replace("roles: [controller]", "roles: [controller, owner]")
    )
    git(short, "commit", "-qam", "Sam is the owner's stand-in too")
    bo("close", "2025-08", cwd=short)
    assert signoff(bo, short, PREPARER, "2025-08").exit_code == 0
    both = signoff(bo, short, REVIEWER, "2025-08")
    assert both.exit_code == 0, both.stderr
    assert "signed ledger-valid: reviewer Sam Okafor" in both.stdout
    assert "signed schedules: reviewer Sam Okafor" in both.stdout
    assert "signed review: preparer Sam Okafor" in both.stdout
    signed = record(short, "2025-08")["signoffs"]
    assert "reviewer" not in signed["review"]
    # Asked again, Sam is told why the rest is not his to sign; nothing changes.
    again = signoff(bo, short, REVIEWER, "2025-08")
    assert again.exit_code == 0
    assert "not signed: review: Sam Okafor signed as its preparer; its reviewer must be" in (
        again.stdout
    )
    assert record(short, "2025-08")["signoffs"] == signed
    assert signoff(bo, short, OWNER, "2025-08", "review").exit_code == 0
    assert bo("close", "2025-08", cwd=short).exit_code == 0


def test_a_refused_signoff_says_which_role_the_person_holds(short, bo):
    bo("close", "2025-08", cwd=short)
    refused = signoff(bo, short, PREPARER, "2025-08", "ledger-valid", "--role", "reviewer")
    assert refused.exit_code == 3
    assert (
        "Dana Reyes holds bookkeeper (preparer of ledger-valid), not controller (its reviewer)"
        in refused.stderr
    )
    assert "signoffs" not in record(short, "2025-08") or not record(short, "2025-08")["signoffs"]


# --- cutoff from git history ------------------------------------------------------------------


def test_an_entry_slipped_into_the_period_after_the_close_started_needs_a_note(books, bo):
    bo("close", "2025-09", cwd=books)
    assert statuses(books, "2025-09")["cutoff"] == "passed"
    ledger = books / "ledgers/2025.beancount"
    late = (
        '\n2025-09-12 * "Keystone CPA" "Advisory call"\n'
        "  Expenses:Professional  300.00 USD\n  Liabilities:AccountsPayable\n"
    )
    with ledger.open("a") as handle:
        handle.write(late)
    line = len(ledger.read_text().splitlines()) - 2
    git(books, "commit", "-qam", "a late bill")
    result = bo("close", "2025-09", cwd=books)
    assert statuses(books, "2025-09")["cutoff"] == "failed"
    assert (
        f"ledgers/2025.beancount:{line}: 2025-09-12 Keystone CPA: added after the close started"
        in result.stdout
    )
    ledger.write_text(
        ledger.read_text().replace(
            '"Advisory call"\n', '"Advisory call"\n  note: "bill arrived on BD+1"\n'
        )
    )
    git(books, "commit", "-qam", "why the bill is late")
    bo("close", "2025-09", cwd=books)
    cutoff = record(books, "2025-09")["steps"]["cutoff"]
    assert cutoff["status"] == "passed"
    assert any("(note: bill arrived on BD+1)" in line for line in cutoff["details"])


# --- parameters are honoured ------------------------------------------------------------------


def test_reconciled_reconciles_the_accounts_its_step_names(books, bo):
    path = books / "sops/month-end.yaml"
    path.write_text(
        path.read_text().replace(
            "with: {outstanding_check_days: 90, deposit_in_transit_days: 5}",
            "with: {accounts: [Assets:Bank:Savings, Liabilities:CreditCard]}",
        )
    )
    git(books, "commit", "-qam", "checking is reconciled elsewhere")
    bo("close", "2025-09", cwd=books)
    rec = record(books, "2025-09")["steps"]["bank-rec"]
    assert rec["status"] == "passed"
    assert [line.split(":")[0] for line in rec["details"]] == ["Assets", "Liabilities"]
    assert not (books / "recs/2025-09/assets-bank-checking.yaml").exists()


def test_aging_is_produced_and_lists_what_is_over_90_days(books, bo):
    bo("close", "2025-09", cwd=books)
    aging = record(books, "2025-09")["steps"]["ar-aging"]
    assert aging["status"] == "passed"
    assert any(
        "INV-1160 Bellweather Foods" in line and "days past due" in line
        for line in aging["details"]
    )
    report = (books / "reports/2025-09/aging-ar.md").read_text()
    assert "## Over 90 days past due" in report and "INV-1160" in report
    assert (books / "reports/2025-09/aging-ap.md").is_file()
    assert "reports/2025-09/aging-ar.md" in git(books, "show", "--name-only", "HEAD")


# --- git ----------------------------------------------------------------------------------------


def test_close_and_reopen_commit_with_a_trailer_naming_the_command(short, bo):
    bo("close", "2025-08", cwd=short)
    assert git(short, "log", "-1", "--format=%(trailers:key=Bo-Command,valueonly)").strip() == (
        "close 2025-08"
    )
    sign_all(bo, short, "2025-08")
    assert bo("close", "2025-08", cwd=short).exit_code == 0
    as_person(short, REVIEWER)
    reopened = bo("reopen", "2025-08", "--reason", "late credit", cwd=short)
    assert reopened.exit_code == 0, reopened.stderr
    author = git(short, "log", "-1", "--format=%an <%ae>").strip()
    assert author == f"{REVIEWER} <sam@larkspur.example>"
    assert git(short, "log", "-1", "--format=%s").strip() == "reopen 2025-08: late credit"
    assert git(short, "log", "-1", "--format=%(trailers:key=Bo-Command,valueonly)").strip() == (
        "reopen 2025-08"
    )
    assert git(short, "status", "--porcelain").strip() == ""
    event = record(short, "2025-08")["history"][-1]
    assert event["by"] == REVIEWER and event["reason"] == "late credit"


def test_books_in_a_folder_of_a_larger_repository_are_committed_too(demo, bo):
    (demo / "sops/month-end.yaml").write_text(SHORT_CLOSE)
    outer = demo.parent
    (outer / ".gitignore").write_text(".bo/\n")
    git(outer, "init", "-q")
    git(outer, "config", "user.name", PREPARER)
    git(outer, "config", "user.email", "dana@larkspur.example")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "books in a folder")
    assert bo("close", "2025-08", cwd=demo).exit_code == 1
    assert git(outer, "log", "-1", "--format=%s").startswith("close 2025-08: ")
    assert "demo/closes/2025-08.yaml" in git(outer, "show", "--name-only", "HEAD")
    with open(demo / "ledgers/2025.beancount", "a") as handle:
        handle.write("\n")
    assert bo("close", "2025-08", cwd=demo).exit_code == 3  # dirty: refused


# --- schedules ----------------------------------------------------------------------------------


def _schedule(**fields: str):
    from bo.close.schedules import Schedule

    base = {"id": "laptops", "title": "Depreciation: laptops", "debit": "Expenses:Depreciation",
            "credit": "Assets:FixedAssets:AccumulatedDepreciation", "from": "2025-01"}  # fmt: skip
    return Schedule.model_validate({**base, **fields})


def test_straight_line_depreciation_spreads_cost_less_salvage_over_the_life():
    from bo.periods import Period

    laptops = _schedule(cost="1000.00 USD", salvage="100.00 USD", life="7")
    months = [Period(2025, m) for m in range(1, 8)]
    amounts = [laptops.amount_in(p).number for p in months]
    assert amounts == [Decimal("128.57")] * 6 + [Decimal("128.58")]  # the cents go last
    assert sum(amounts) == Decimal("900.00")
    assert laptops.due_in(Period(2025, 7)) and not laptops.due_in(Period(2025, 8))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cost": "1000.00 USD"}, "straight-line needs `cost` and `life`"),
        ({"amount": "10.00 USD", "life": "3", "cost": "30.00 USD"}, "give either `amount`"),
        ({"cost": "100.00 USD", "salvage": "100.00 USD", "life": "3"}, "below `cost`"),
        ({"cost": "100.00 USD", "life": "3", "to": "2025-12"}, "3 months from 2025-01 end in"),
        ({"amount": "10.00 USD"}, "`to` is required with `amount`"),
    ],
)
def test_a_schedule_says_what_is_wrong_with_it(fields, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        _schedule(**fields)


def test_a_straight_line_schedule_posts_like_a_fixed_one(short, bo):
    (short / "schedules/laptops.yaml").write_text(
        'schedules:\n  - id: laptops\n    title: "Depreciation: laptops"\n'
        "    debit: Expenses:Depreciation\n    credit: Assets:FixedAssets:AccumulatedDepreciation\n"
        "    cost: 1200.00 USD\n    life: 12\n    from: 2025-08\n"
    )
    git(short, "add", "-A")
    git(short, "commit", "-qm", "laptops")
    bo("close", "2025-08", cwd=short)
    text = (short / "ledgers/closing/2025-08.beancount").read_text()
    assert 'schedule: "laptops"' in text and "100.00 USD" in text.split('"laptops"')[1]
    assert bo("check", cwd=short).exit_code == 0


def test_the_close_report_reads_as_the_golden_file(demo, golden):
    """September's close report, at a pinned time, by a pinned person (review the diff)."""
    from datetime import UTC, date, datetime

    from bo.books import Books
    from bo.close.run import run_close
    from bo.commands.close import _render_reports
    from bo.periods import Period
    from bo.settings import load_settings

    books = Books(demo, load_settings(demo), use_cache=False)
    outcome = run_close(
        books,
        Period(2025, 9),
        dry_run=False,
        explanations={"Income:Services": "two launches landed in August"},
        today=date(2025, 11, 3),  # the demo books run to December: keep it within 60 days
        now=datetime(2025, 11, 3, 9, 30, tzinfo=UTC),
        by=PREPARER,
    )
    _render_reports(demo, outcome)
    golden("close-2025-09.md", outcome.pending[demo / "reports/2025-09/close.md"])
    # Nothing is on disk until the command flushes what the close collected.
    assert not (demo / "closes").exists() and not (demo / "reports").exists()
    assert not (demo / "ledgers/closing/2025-09.beancount").exists()
    outcome.flush()
    assert (demo / "reports/2025-09/pnl.md").is_file()
    assert (demo / "ledgers/closing/2025-09.beancount").is_file()


def test_a_signoff_never_replaces_someone_elses(short, bo):
    settings = short / "bo.yaml"
    settings.write_text(
        settings.read_text().replace("roles: [owner]", "roles: [owner, controller]")
    )
    git(short, "commit", "-qam", "Priya can stand in for the controller")
    bo("close", "2025-08", cwd=short)
    assert signoff(bo, short, REVIEWER, "2025-08", "ledger-valid").exit_code == 0
    taken = signoff(bo, short, OWNER, "2025-08", "ledger-valid", "--role", "reviewer")
    assert taken.exit_code == 3
    assert "ledger-valid: its reviewer is signed by Sam Okafor already" in taken.stderr
    assert record(short, "2025-08")["signoffs"]["ledger-valid"]["reviewer"]["name"] == REVIEWER


def test_a_check_after_a_command_reads_the_statements_the_command_left(tiny, bo):
    # The checks share their statement reads: a command step may change the statements, and
    # a check after it reads them again.
    (tiny / "fix.py").write_text(
        "from pathlib import Path\n"
        "Path('statements/checking/2025-01.csv').write_text("
        "'Date,Amount,Payee\\n2025-01-15,-1000.00,IRS\\n2025-01-20,-25.00,Bank fee\\n')\n"
    )
    step = "    owner: bookkeeper\n    reviewer: controller\n    due: BD+1\n"
    (tiny / "sops").mkdir(exist_ok=True)
    (tiny / "sops/month-end.yaml").write_text(
        "name: Statements change\ncadence: monthly\nsteps:\n"
        f"  - id: before\n    title: Before\n{step}    check: reconciled\n"
        f"  - id: fetch\n    title: Fetch\n{step}    command: {sys.executable} fix.py\n"
        f"  - id: after\n    title: After\n{step}    depends_on: [fetch]\n"
        "    check: reconciled\n"
    )
    assert bo("trust", cwd=tiny).exit_code == 0
    result = bo("close", "2025-01", cwd=tiny)
    assert result.exit_code == 1, result.stdout + str(result.exception)
    steps = record(tiny, "2025-01")["steps"]
    assert steps["fetch"]["status"] == "passed", steps["fetch"]
    # The fee the command added to the statement is on it for the check after, not before.
    assert "Bank fee" not in " ".join(steps["before"]["details"]), steps["before"]
    assert "Bank fee" in " ".join(steps["after"]["details"]), steps["after"]
