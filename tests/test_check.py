"""`bo check` on small books: beancount's errors and bo's checks, with exit codes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from bo.books import load_ledger


def test_clean_books_pass(books, bo):
    result = bo("check", cwd=books)
    assert result.exit_code == 0, result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_syntax_error_names_included_file_and_line(books, bo):
    path = books / "ledgers/2025.beancount"
    lines = path.read_text().splitlines()
    lines.insert(4, '2025-01-03 * "Broken" this is not beancount')  # becomes line 5
    path.write_text("\n".join(lines) + "\n")
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "ledgers/2025.beancount:5:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_include_is_bad_input(books, bo):
    (books / "ledgers/main.beancount").write_text('include "nowhere.beancount"\n')
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "ledgers/main.beancount:1:" in result.stderr


def test_failed_balance_assertion_needs_attention(books, bo, write):
    write(
        "ledgers/2025.beancount",
        (books / "ledgers/2025.beancount").read_text()
        + "\n2025-02-01 balance Assets:Bank:Checking 9000.00 USD\n",
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 1
    assert "ledgers/2025.beancount:9:" in result.stdout
    assert "Balance failed for 'Assets:Bank:Checking'" in result.stdout


def test_uncategorized_is_a_warning(books, bo):
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write(
            '\n2025-01-09 * "SQ *BLUE BOTTLE"\n  Expenses:Uncategorized  4.50 USD\n'
            "  Assets:Bank:Checking\n"
        )
    result = bo("check", cwd=books)
    assert result.exit_code == 0
    assert "ledgers/2025.beancount:9: warning: 4.50 USD to Expenses:Uncategorized" in result.stdout
    assert "1 warning in" in result.stderr


@pytest.mark.parametrize(
    ("day", "code", "says"),
    [
        # A typo in the year within bo's dates is flagged; one that leaves them (year 2205,
        # year 1) is refused by every command: no report, forecast or close computes on it.
        ("2125-01-09", 1, "ledgers/2025.beancount:9: dated 2125-01-09"),
        ("2205-01-09", 2, "ledgers/2025.beancount:9: 2205-01-09 is outside the dates bo"),
    ],
)
def test_far_future_entry_is_flagged(books, bo, day, code, says):
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write(f'\n{day} * "Typo year"\n  Expenses:Rent  1.00 USD\n  Assets:Bank:Checking\n')
    result = bo("check", cwd=books)
    assert result.exit_code == code
    assert says in result.stdout + result.stderr


def test_account_closed_with_balance(books, bo):
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-03-01 close Assets:Bank:Checking\n")
    (books / "bo.yaml").write_text((books / "bo.yaml").read_text())
    result = bo("check", cwd=books)
    assert result.exit_code == 1
    assert (
        "Assets:Bank:Checking closed on 2025-03-01 with a balance of 8000.00 USD" in result.stdout
    )


def test_json_output(books, bo):
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write(
            '\n2025-01-09 * "Coffee"\n  Expenses:Uncategorized  4.50 USD\n  Assets:Bank:Checking\n'
        )
    result = bo("check", "--json", cwd=books)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["files"] == 3
    [finding] = data["findings"]
    assert finding["check"] == "uncategorized"
    assert finding["line"] == 9
    assert finding["file"].endswith("ledgers/2025.beancount")


def test_books_option_from_elsewhere(books, bo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = bo("check", "--books", str(books), cwd=elsewhere)
    assert result.exit_code == 0, result.stderr


def test_books_option_before_the_command(books, bo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    other = tmp_path_factory.mktemp("other")
    result = bo("--books", str(books), "check", cwd=elsewhere)
    assert result.exit_code == 0, result.stderr
    assert "bo check: 0 errors" in result.stderr
    result = bo("--books", str(books), "cash", "check", "--json", cwd=elsewhere)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.startswith("{")
    # The command's own --books wins over the one before it.
    result = bo("--books", str(books), "check", "--books", str(other), cwd=elsewhere)
    assert result.exit_code == 2
    assert "no bo.yaml there" in result.stderr


def test_check_from_a_subfolder(books, bo):
    result = bo("check", cwd=books / "ledgers")
    assert result.exit_code == 0, result.stderr


def test_cache_is_keyed_on_content_not_mtime(books):
    main = books / "ledgers/main.beancount"
    first = load_ledger(main, books)
    assert not first.from_cache
    second = load_ledger(main, books)
    assert second.from_cache
    assert len(second.entries) == len(first.entries)

    # Change an included file but restore its size and mtime: an mtime cache would be fooled.
    path = books / "ledgers/2025.beancount"
    stat = path.stat()
    path.write_text(path.read_text().replace("2000.00 USD", "2100.00 USD"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    third = load_ledger(main, books)
    assert not third.from_cache
    rent = next(e for e in third.entries if getattr(e, "payee", None) == "Landlord")
    assert str(rent.postings[0].units) == "2100.00 USD"


def test_corrupt_cache_is_a_miss(books):
    from bo.cache import books_folder

    main = books / "ledgers/main.beancount"
    load_ledger(main, books)
    (books_folder(books) / "ledger.cache").write_bytes(b"garbage")
    assert not load_ledger(main, books).from_cache
    assert load_ledger(main, books).from_cache


def test_internal_error_exits_70_with_log(books, bo, monkeypatch, tmp_path_factory):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("logs")))

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("bo.checks.run_check", explode)
    result = bo("check", cwd=books)
    assert result.exit_code == 70
    assert "internal error" in result.stderr and "bo-crash-" in result.stderr
    assert "Traceback" not in result.stderr
    log = result.stderr.rsplit("details in ", 1)[1].strip()
    assert "RuntimeError: boom" in Path(log).read_text()


def test_check_result_is_reused_only_while_every_input_is_unchanged(books, bo):
    from datetime import date

    from bo.books import open_books
    from bo.checks import run_check

    def check(today=date(2025, 6, 1)):
        return run_check(open_books(books, books), today)

    first = check()
    assert not first.from_cache and not first.findings
    assert check().from_cache

    # The ledger changes: an uncategorized charge appears.
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write(
            '\n2025-02-01 * "SQ *CART"\n  Expenses:Uncategorized  4.50 USD\n'
            "  Assets:Bank:Checking\n"
        )
    changed = check()
    assert not changed.from_cache and len(changed.warnings) == 1
    assert check().from_cache and len(check().warnings) == 1

    # bo.yaml changes: the account loses its role, so the posting is no longer flagged.
    settings = books / "bo.yaml"
    settings.write_text(settings.read_text().replace("role: uncategorized", "role: suspense"))
    assert not check().from_cache

    # Another day can make an entry "far in the future" or not: the date is in the key.
    assert check().from_cache
    assert not check(date(2025, 6, 2)).from_cache

    # A checklist edit is an input too (bo check validates sops/).
    (books / "sops").mkdir(exist_ok=True)
    (books / "sops/custom.yaml").write_text("broken: [")
    result = bo("check", cwd=books)
    assert result.exit_code == 2 and "sops/custom.yaml" in result.stderr


def test_a_new_file_matching_an_include_glob_invalidates_the_cache(books):
    main = books / "ledgers/main.beancount"
    (books / "ledgers/closing").mkdir()
    (books / "ledgers/closing/2025-01.beancount").write_text("")
    main.write_text(main.read_text() + 'include "closing/*.beancount"\n')
    first = load_ledger(main, books)
    assert load_ledger(main, books).from_cache
    (books / "ledgers/closing/2025-02.beancount").write_text(
        '2025-02-28 * "Depreciation"\n  Expenses:Rent  1.00 USD\n  Assets:Bank:Checking\n'
    )
    second = load_ledger(main, books)
    assert not second.from_cache
    assert len(second.entries) == len(first.entries) + 1


def test_a_commodity_declared_in_its_own_history_is_no_date_problem(books, bo):
    # bean-example declares `1792-01-01 commodity USD`: beancount accepts it, and bo
    # computes nothing from a declaration's date.
    main = books / "ledgers/main.beancount"
    main.write_text('1792-01-01 commodity USD\n  name: "US Dollar"\n' + main.read_text())
    result = bo("check", cwd=books)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "outside the dates" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("day", "says"),
    [
        ("2026-11-31", "`2026-11-31`: no such date"),
        ("2025-02-29", "`2025-02-29`: no such date"),
        ("2025-9-1", "write a date as YYYY-MM-DD"),
        ("1899-12-31", "outside the dates bo supports"),
    ],
)
def test_a_date_argument_says_what_is_wrong_with_it(books, bo, day, says):
    result = bo("cash", "check", "--as-of", day, cwd=books)
    assert result.exit_code == 2
    assert says in " ".join(result.stderr.split())
